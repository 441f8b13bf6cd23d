"""Check for the autograd exercise (notebook 09): unbroadcast, two backward rules and the topological order.

Each function is first called alone and compared with the engine's own (nncore.autograd), so a fault is
named where it is: a broadcast gradient not summed back, summed over the wrong axis or without keepdims,
the factors of a product swapped, a transpose missing or on the wrong side, a node listed before its
parents, twice, or not at all. Then the learner's four functions are put into the engine together (the
exercise file's used_by_the_engine) and a small network's gradients are compared with torch's autograd.
"""

import numpy as np

from .. import autograd
from . import CheckFailure, Exercise, diagnose, expect_close, expect_shape, learner_line


def _call(mod, what, func, *args):
    """func(*args); an exception other than NotImplementedError becomes a CheckFailure naming the line."""
    try:
        return func(*args)
    except NotImplementedError:
        raise
    except CheckFailure:
        raise
    except Exception as exc:
        raise CheckFailure(f"{what} raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. "
                           "Print the shapes of the arrays on that line (print(x.shape)).") from None


def _bound(diff):
    return "< 1e-13" if diff < 1e-13 else f"{diff:.1e}"


# --- unbroadcast -----------------------------------------------------------------------------------

UNBROADCAST_CASES = [((4, 3), (4, 3)), ((4, 3), (3,)), ((4, 3), (1, 3)), ((4, 3), (4, 1)), ((2, 4, 3), (4, 1)),
                     ((4, 3), ()), ((2, 4, 3), (2, 1, 3)), ((4, 3), (1, 1))]


def _unbroadcast_mistakes(grad, shape):
    """(wrong value, message) for the usual slips of unbroadcast(grad, shape)."""
    extra = grad.ndim - len(shape)
    lead = grad.sum(axis=tuple(range(extra))) if extra else grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and lead.shape[i] != 1)
    keepdims = ("keepdims=True: an axis where the operand had size 1 must stay, with size 1, so the gradient "
                "has the operand's shape")
    wrong = [(grad, f"the gradient is not summed back: it still has the broadcast shape {grad.shape}, but the "
                    f"operand has shape {shape}. A broadcast operand is used once per copy, so its gradient is "
                    "the sum over the copies (notebook 09, section 4).")]
    if extra:
        wrong.append((lead, f"the {extra} leading axis/axes the operand did not have were summed, but not the axes "
                            f"where it had size 1: shape {lead.shape}, expected {shape}."))
        wrong.append((grad.mean(axis=tuple(range(extra))), "the leading axes are averaged (mean), not summed: each "
                      "copy of the operand received its own gradient, and they add up."))
    if stretched:
        wrong.append((lead.sum(axis=stretched), f"the size-1 axes {stretched} are summed without {keepdims}."))
        wrong.append((lead.mean(axis=stretched, keepdims=True), "the size-1 axes are averaged (mean), not summed: "
                      "each copy received its own gradient, and they add up."))
        for axis in range(lead.ndim):
            if axis not in stretched and lead.shape[axis] != 1:
                wrong.append((lead.sum(axis=axis, keepdims=True), f"summed over the wrong axis: axis {axis}, where "
                              f"the operand has size {shape[axis]}; sum over the axes where its size is 1, "
                              f"{stretched}."))
    wrong.append((grad.sum(), "everything is summed to one number; sum only over the axes broadcasting added or "
                              "stretched."))
    return wrong


def _check_unbroadcast(mod, passed, rng):
    for grad_shape, shape in UNBROADCAST_CASES:
        grad = rng.standard_normal(grad_shape)
        before = grad.copy()
        got = _call(mod, f"unbroadcast(grad of shape {grad_shape}, {shape})", mod.unbroadcast, grad, shape)
        expected = autograd._unbroadcast(before, shape)
        what = f"unbroadcast(grad of shape {grad_shape}, {shape})"
        if not np.array_equal(grad, before):
            raise CheckFailure(f"{what} changed grad in place; compute the sums as new arrays.")
        got_shape = np.shape(got) if got is not None else None
        if got is None or got_shape != shape or not np.allclose(got, expected, atol=1e-12):
            named = diagnose(got, _unbroadcast_mistakes(before, shape), atol=1e-12)
            if named:
                raise CheckFailure(f"{what}: {named}")
        expect_close(what, got, expected, atol=1e-12)
    passed(f"unbroadcast sums a gradient back to its operand's shape in {len(UNBROADCAST_CASES)} cases: "
           "(4, 3) to (3,), (1, 3), (4, 1), (1, 1) and (), (2, 4, 3) to (4, 1) and (2, 1, 3), and an unchanged one")


# --- mul_backward ----------------------------------------------------------------------------------

def _check_mul(mod, passed, rng):
    for a_shape, b_shape in [((4, 3), (4, 3)), ((4, 3), (3,)), ((4, 1), (1, 3)), ((), (2, 3))]:
        a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
        dout = rng.standard_normal(np.broadcast_shapes(a_shape, b_shape))
        what = f"mul_backward(dout {dout.shape}, a {a_shape}, b {b_shape})"
        got = _call(mod, what, mod.mul_backward, dout, a, b)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise CheckFailure(f"{what}: expected a pair (da, db), got {type(got).__name__}. "
                               "Return both gradients: return da, db.")
        da, db = autograd.mul_backward(dout, a, b)
        un = autograd._unbroadcast
        not_summed = ("it is dout times the other factor but not summed back to the operand's shape: pass it "
                      "through unbroadcast(..., {}.shape).")
        expect_close(f"{what}: da", got[0], da, atol=1e-12, variants=[
            (un(dout * a, a_shape), "da = dout * a: the factors are swapped. The derivative of a * b with respect "
                                    "to a is b, so da = dout * b (and db = dout * a)."),
            (dout * b, not_summed.format("a")),
            (un(dout, a_shape), "da = dout: the other factor b is missing; da = dout * b."),
        ])
        expect_close(f"{what}: db", got[1], db, atol=1e-12, variants=[
            (un(dout * b, b_shape), "db = dout * b: the factors are swapped. The derivative of a * b with respect "
                                    "to b is a, so db = dout * a."),
            (dout * a, not_summed.format("b")),
            (un(dout, b_shape), "db = dout: the other factor a is missing; db = dout * a."),
        ])
    passed("mul_backward gives da = dout * b and db = dout * a, each summed back to its operand's shape "
           "(same shapes, a bias row, a row times a column, a single number)")


# --- matmul_backward -------------------------------------------------------------------------------

def _matmul_mistakes(dout, A, B):
    T = lambda X: np.swapaxes(X, -1, -2)  # noqa: E731
    square = A.ndim == 2 and B.ndim == 2 and A.shape[0] == A.shape[1] == B.shape[1]  # where the slips still run
    dA_wrong = [
        (dout @ B if square else None,
         "dA = dout B: B must be transposed. dA = dC B^T, (n, m)(m, k) = (n, k), the shape of A."),
        (T(B) @ dout if square else None, "dA = B^T dC: the factors are in the wrong order; dA = dC B^T."),
    ]
    dB_wrong = [
        (T(dout) @ A if square else None,
         "dB is transposed: it holds dC^T A; dB = A^T dC, A transposed and on the left."),
        (A @ dout if square else None,
         "dB = A dC: A must be transposed. dB = A^T dC, (k, n)(n, m) = (k, m), the shape of B."),
        (T(A) @ dout, "dB is not summed back over the stack: B was used by every matrix of the stack A, so its "
                      "gradient is the sum over the stack. Pass it through unbroadcast(..., B.shape) "
                      f"(shape {B.shape})."),
    ]
    return [v for v in dA_wrong if v[0] is not None], [v for v in dB_wrong if v[0] is not None]


def _check_matmul(mod, passed, rng):
    cases = [((4, 4), (4, 4)), ((5, 4), (4, 3)), ((2, 5, 4), (4, 3)), ((2, 1, 5, 4), (3, 4, 2))]
    for a_shape, b_shape in cases:
        A, B = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
        dout = rng.standard_normal((A @ B).shape)
        what = f"matmul_backward(dout {dout.shape}, A {a_shape}, B {b_shape})"
        try:
            got = mod.matmul_backward(dout, A, B)
        except NotImplementedError:
            raise
        except Exception as exc:
            stack = len(a_shape) > 2 or len(b_shape) > 2
            advice = ("For a stack of matrices, .T reverses *all* axes; swap only the last two with "
                      "np.swapaxes(X, -1, -2)." if stack else
                      f"Check the shapes: dC is {dout.shape}, A {a_shape}, B {b_shape}; dA = dC B^T is "
                      f"{dout.shape}({b_shape[::-1]}), dB = A^T dC is ({a_shape[::-1]}){dout.shape}.")
            raise CheckFailure(f"{what} raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. {advice}") from None
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise CheckFailure(f"{what}: expected a pair (dA, dB), got {type(got).__name__}.")
        dA, dB = autograd.matmul_backward(dout, A, B)
        dA_wrong, dB_wrong = _matmul_mistakes(dout, A, B)
        for k, (name, shape, formula) in enumerate((("dA", a_shape, "dC B^T"), ("dB", b_shape, "A^T dC"))):
            if np.shape(got[k]) == shape[::-1] and shape != shape[::-1]:
                raise CheckFailure(f"{what}: {name} has shape {np.shape(got[k])}, the reverse of {shape}: it is "
                                   f"transposed. {name} = {formula} has the shape of its matrix.")
        expect_close(f"{what}: dA", got[0], dA, atol=1e-10, variants=dA_wrong)
        expect_close(f"{what}: dB", got[1], dB, atol=1e-10, variants=dB_wrong)
    passed("matmul_backward gives dA = dC B^T and dB = A^T dC for matrices, and for stacks whose leading axes "
           "broadcast (a matrix used by the whole stack gets the sum over it)")


# --- topological_order -----------------------------------------------------------------------------

def _graph(rng):
    """A small graph with a value used twice, a constant, and a leaf without a gradient."""
    T = autograd.Tensor
    x = T(rng.standard_normal((3, 2)))                       # data: requires no gradient
    W = T(rng.standard_normal((2, 4)), requires_grad=True)
    b = T(rng.standard_normal(4), requires_grad=True)
    h = (x @ W + b).relu()
    y = h * h + h * 2.0                                      # h used twice, a constant 2.0
    return (y.sum() * 0.5), {"W": W, "b": b, "h": h}


def _check_order(mod, passed, rng):
    root, named = _graph(rng)
    what = "topological_order(L) of L = ((relu(X W + b))^2 + 2 relu(X W + b)).sum() / 2"
    order = _call(mod, "topological_order(L)", mod.topological_order, root)
    if order is None:
        raise CheckFailure(f"{what} returned None: return the list.")
    try:
        order = list(order)
    except TypeError:
        raise CheckFailure(f"{what}: expected a list of Tensors, got {type(order).__name__}.") from None
    strangers = [node for node in order if not isinstance(node, autograd.Tensor)]
    if strangers:
        raise CheckFailure(f"{what}: expected a list of Tensors, found a {type(strangers[0]).__name__} in it.")
    expected = autograd.topological_order(root)
    ids = [id(node) for node in order]
    twice = len(ids) - len(set(ids))
    if twice:
        raise CheckFailure(f"{what}: {twice} node(s) listed twice. A value used twice (h here) is reached by two "
                           "paths; keep a set of visited nodes and skip a node already in it, so each is listed once.")
    missing = [node for node in expected if id(node) not in set(ids)]
    if missing:
        if all(not node.parents for node in missing):
            kinds = "the leaves (W, b), the parameters whose gradients training needs"
        else:
            kinds = "the root L itself" if missing == [root] else f"{len(missing)} of the {len(expected)} nodes"
        raise CheckFailure(f"{what}: missing {kinds}. List every node that requires grad, leaves and root included.")
    extra = [node for node in order if node.requires_grad and id(node) not in {id(n) for n in expected}]
    if extra:
        raise CheckFailure(f"{what}: {len(extra)} node(s) listed that L was not made from.")

    def too_early(order):  # the nodes listed before one of their parents
        position = {id(node): i for i, node in enumerate(order)}
        return [node for node in order for p in node.parents
                if p.requires_grad and position[id(p)] > position[id(node)]]

    early = too_early(order)
    if early and not too_early(order[::-1]):
        raise CheckFailure(f"{what}: the root comes first: the list is reversed. List each node after its parents "
                           "(root last); backward() walks the list from the end itself.")
    if early:
        raise CheckFailure(f"{what}: {len(early)} node(s) listed before one of their parents. Append a node after "
                           "visiting all its parents (post-order), not when you first reach it (pre-order).")
    # The order in the engine: the same gradients as the engine's own order.
    grads = {}
    for source in ("engine", "yours"):
        root, named = _graph(np.random.default_rng(7))
        saved = autograd.topological_order
        if source == "yours":
            autograd.topological_order = mod.topological_order
        try:
            root.backward()
        finally:
            autograd.topological_order = saved
        grads[source] = {k: t.grad for k, t in named.items()}
    for k in grads["engine"]:
        expect_close(f"the engine's backward with your topological_order: gradient of {k}", grads["yours"][k],
                     grads["engine"][k], atol=1e-12)
    passed(f"topological_order lists all {len(expected)} nodes that require grad once each, every node after its "
           "parents, and the engine's backward with it gives the engine's gradients")


# --- all four in the engine, against torch ---------------------------------------------------------

def _check_together(mod, passed, rng):
    import torch

    sizes = [4, 6, 5, 3]
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    params = [(rng.standard_normal((m, n)) * np.sqrt(2 / m), rng.standard_normal(n) * 0.1)
              for m, n in zip(sizes, sizes[1:])]
    what = "a 4-6-5-3 ReLU network with cross_entropy, on your four functions in the engine"
    if not hasattr(mod, "used_by_the_engine"):
        raise CheckFailure("used_by_the_engine is missing from your file: restore it with nncore.solution or reset.")
    tensors = [(autograd.Tensor(W, requires_grad=True), autograd.Tensor(b, requires_grad=True)) for W, b in params]
    try:
        with mod.used_by_the_engine():
            A = autograd.Tensor(X)
            for i, (W, b) in enumerate(tensors):
                Z = A @ W + b
                A = Z.relu() if i < len(tensors) - 1 else Z
            loss = autograd.cross_entropy(A, y)
            loss.backward()
    except NotImplementedError:
        raise
    except Exception as exc:
        raise CheckFailure(f"{what}: backward raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}") from None
    tparams = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    tA = torch.tensor(X)
    for i, (W, b) in enumerate(tparams):
        tA = tA @ W + b
        tA = torch.relu(tA) if i < len(tparams) - 1 else tA
    torch.nn.functional.cross_entropy(tA, torch.tensor(y)).backward()
    worst = 0.0
    for i, ((W, b), (tW, tb)) in enumerate(zip(tensors, tparams)):
        for name, ours, theirs in ((f"W{i + 1}", W.grad, tW.grad), (f"b{i + 1}", b.grad, tb.grad)):
            expect_shape(f"{what}: gradient of {name}", ours, tuple(theirs.shape))
            expect_close(f"{what}: gradient of {name} against torch", ours, theirs.numpy(), atol=1e-12)
            worst = max(worst, float(np.max(np.abs(ours - theirs.numpy()))))
    passed(f"with your four functions in the engine, all 6 gradients of a 4-6-5-3 ReLU network equal "
           f"torch's autograd (largest difference {_bound(worst)})")


def check_autograd(mod, passed):
    rng = np.random.default_rng(0)
    _check_unbroadcast(mod, passed, rng)
    _check_mul(mod, passed, rng)
    _check_matmul(mod, passed, rng)
    _check_order(mod, passed, rng)
    _check_together(mod, passed, rng)


EXERCISES = {
    "autograd": Exercise("Autograd: unbroadcast, the backward rules of * and @, and the topological order",
                         "09_autograd", check_autograd, order=0),
}
