"""Check for the backprop exercise (notebook 04): Dense, ReLU and Network with nncore's Layer interface.

Dense and ReLU are compared with nncore's own layers given the same weights and inputs, then
gradient-checked with nncore.gradcheck.check_layer. Network's loops are tested alone, with layers
that record what they receive, so a fault in the loop is named apart from a fault in a layer; then a
3-layer network of the learner's own layers is compared with nncore's Sequential and gradient-checked
with check_model under SoftmaxCrossEntropy.
"""

import numpy as np

from .. import gradcheck
from ..activations import ReLU as ReferenceReLU
from ..layers import Dense as ReferenceDense
from ..layers import Layer
from ..losses import SoftmaxCrossEntropy
from ..model import Sequential
from . import CheckFailure, Exercise, diagnose, expect_close, expect_shape, expect_unchanged, learner_line, matches


def _call(mod, what, func, *args, advice=""):
    """func(*args); any exception but NotImplementedError becomes a CheckFailure naming the learner's line."""
    try:
        return func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:
        raise CheckFailure(f"{what} raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. "
                           f"{advice or 'Print the shapes of the arrays on that line (print(x.shape)).'}") from None


def _array(what, value):
    """value as a float64 array, or a CheckFailure that says what came back instead."""
    if value is None:
        raise CheckFailure(f"{what}: expected an array, got None. Did the method `return` its result?")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailure(f"{what}: expected an array of numbers, got a {type(value).__name__}.") from None


def _gradcheck(what, run):
    try:
        return run()
    except NotImplementedError:
        raise
    except gradcheck.GradientCheckError as exc:
        raise CheckFailure(f"{what}: the gradient check against finite differences failed: {exc}") from None


def _worst(errors):
    return "< 1e-8" if max(errors.values()) < 1e-8 else f"{max(errors.values()):.1g}"


# --- Dense ------------------------------------------------------------------------------------

def _dense(mod, n_in, n_out, seed, rng):
    """The learner's Dense(n_in, n_out, seed) with a non-zero b, and nncore's Dense with the same W and b."""
    layer = _call(mod, f"Dense({n_in}, {n_out}, seed={seed})", mod.Dense, n_in, n_out, seed)
    expect_shape(f"Dense({n_in}, {n_out}).W (n_in, n_out)", layer.W, (n_in, n_out))
    expect_shape(f"Dense({n_in}, {n_out}).b (1, n_out)", layer.b, (1, n_out))
    layer.b = rng.standard_normal((1, n_out))  # a zero b would hide a bias that is never added
    reference = ReferenceDense(n_in, n_out)
    reference.W[...], reference.b[...] = layer.W, layer.b
    return layer, reference


def _check_dense_forward(mod, passed, rng):
    layer, reference = _dense(mod, 4, 3, 0, rng)
    X = rng.standard_normal((5, 4))
    X_before = X.copy()
    Z = _call(mod, "Dense.forward(X) of Dense(4, 3)", layer.forward, X)
    expect_unchanged("Dense.forward(X)", X_before, X,
                     "it changed its input X in place. Compute Z as a new array; the layer below still needs X.")
    W, b = layer.W, layer.b
    expect_close(f"Dense.forward(X) of Dense(4, 3), with X {X.shape}", Z, reference.forward(X), atol=1e-10, variants=[
        (X @ W, "b is not added: Z = X W + b, with b (1, n_out) added to every row."),
        (X @ W - b, "b is subtracted: Z = X W + b."),
        (X, "it returned X itself: return Z = X W + b."),
    ])
    passed("Dense.forward returns Z = X W + b, shape (5, 3), and leaves X as it is")


def _dense_backward_mistakes(X, W, dZ):
    """(dW variants, db variants, dX variants): what the usual slips compute, each with its message."""
    N = X.shape[0]
    dW, db, dX = X.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T
    one_over_n = (f"every entry is the true value divided by N = {N}, the batch size. Leave out the 1/N: the "
                  "loss's gradient already has it (notebook 04, section 3), so the layer only sums over the samples.")
    dW_wrong = [
        (dZ.T @ X, f"dW is transposed: it holds dZ^T X, shape (n_out, n_in) = {(dZ.shape[1], X.shape[1])}. dW has "
                   f"the shape of W, (n_in, n_out) = {W.shape}: dW = X^T dZ, X transposed and on the left."),
        (dW / N, f"dW: {one_over_n}"),
        (np.zeros_like(W), "dW is all zeros, as __init__ left it: backward must store the gradient on self "
                           "(self.dW = ...), where gradients() reads it; a local variable dW is thrown away."),
    ]
    db_fix = "db = the sum of dZ over the samples, axis=0, with keepdims=True: shape (1, n_out)."
    db_wrong = [
        (dZ, f"db is not summed over the batch: it has one row per sample, shape {dZ.shape}. b is shared by "
             f"all samples, so its gradient adds up their contributions. {db_fix}"),
        (dZ.sum(axis=1, keepdims=True), f"db is summed over the wrong axis: axis=1 adds up the units of each "
                                        f"sample, shape {(N, 1)}. {db_fix}"),
        (dZ.sum(axis=1), f"db is summed over the wrong axis: axis=1 adds up the units of each sample. {db_fix}"),
        (dZ.sum(axis=0), f"db lost its row dimension: shape {db.shape[1:]} instead of {db.shape}; sum with "
                         f"keepdims=True. {db_fix}"),
        (dZ.sum(), f"db is one number, dZ summed over everything. {db_fix}"),
        (db / N, f"db: {one_over_n}"),
        (dZ.mean(axis=0), f"db: {one_over_n}"),
        (np.zeros_like(db), "db is all zeros, as __init__ left it: backward must store it on self (self.db = ...)."),
    ]
    dX_wrong = [
        (dZ @ W if W.shape[0] == W.shape[1] else None,  # only a square W lets dZ W run
         "dX uses W instead of W^T: dX = dZ W^T, (N, n_out)(n_out, n_in) = (N, n_in), the shape of X."),
        (dX / N, f"dX: {one_over_n}"),
        (dX.sum(axis=0, keepdims=True), "dX is summed over the batch. Each sample's input has its own gradient, "
                                        "one row per sample (notebook 04, section 2): dX = dZ W^T, shape (N, n_in)."),
        (dX.sum(axis=0), "dX is summed over the batch. Each sample's input has its own gradient, one row per "
                         "sample (notebook 04, section 2): dX = dZ W^T, shape (N, n_in)."),
        (dZ, "backward returned dZ itself. It returns the gradient of the layer's input: dX = dZ W^T."),
    ]
    return dW_wrong, db_wrong, dX_wrong


def _backward_error_advice(layer, X, dZ):
    """What to try when Dense.backward raised: the input not kept, or the shapes of the products."""
    kept = getattr(layer, "X", None)
    if kept is None:
        return ("self.X is None: forward did not keep its input. Backward needs it for dW = X^T dZ: "
                "store it in forward, self.X = X, before returning Z.")
    N, n_in = X.shape
    n_out = dZ.shape[1]
    return (f"Check the shapes: X is ({N}, {n_in}), dZ ({N}, {n_out}), W ({n_in}, {n_out}). "
            f"dW = X^T dZ is ({n_in}, {N})({N}, {n_out}); dX = dZ W^T is ({N}, {n_out})({n_out}, {n_in}). "
            f"dZ W, without the transpose, would be ({N}, {n_out})({n_in}, {n_out}), which does not fit.")


def _check_dense_backward(mod, passed, rng):
    for n_in, n_out in ((4, 4), (4, 3)):  # square first: W used for W^T runs there, and its values name it
        layer, reference = _dense(mod, n_in, n_out, 1, rng)
        X = rng.standard_normal((5, n_in))
        _call(mod, f"Dense.forward(X) of Dense({n_in}, {n_out})", layer.forward, X)
        dZ = rng.standard_normal((5, n_out))
        dZ_before = dZ.copy()
        what = f"Dense.backward(dZ) of Dense({n_in}, {n_out}), with X {X.shape} and dZ {dZ.shape}"
        try:
            dX = layer.backward(dZ)
        except NotImplementedError:
            raise
        except Exception as exc:
            raise CheckFailure(f"{what} raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. "
                               f"{_backward_error_advice(layer, X, dZ)}") from None
        expect_unchanged(what, dZ_before, dZ, "it changed dZ in place. Compute dW, db and dX as new arrays: "
                                              "dZ belongs to the layer above and may be used again.")
        reference.forward(X)
        dX_ref = reference.backward(dZ)
        dW_wrong, db_wrong, dX_wrong = _dense_backward_mistakes(X, np.asarray(layer.W, dtype=np.float64), dZ)
        expect_close(f"{what}: self.dW", _array(f"{what}: self.dW", getattr(layer, "dW", None)), reference.dW,
                     atol=1e-10, variants=dW_wrong)
        expect_close(f"{what}: self.db", _array(f"{what}: self.db", getattr(layer, "db", None)), reference.db,
                     atol=1e-10, variants=db_wrong)
        if dX is None:
            raise CheckFailure(f"{what} returned None. It must return dX = dZ W^T, shape ({5}, {n_in}): the "
                               "gradient the layer below receives.")
        expect_close(f"{what}: the returned dX", dX, dX_ref, atol=1e-10, variants=dX_wrong)
    errors = _gradcheck("Dense(4, 3)", lambda: gradcheck.check_layer(layer, X))
    passed(f"Dense.backward stores dW = X^T dZ and db = sum_n dZ_n and returns dX = dZ W^T, as nncore's Dense; "
           f"finite differences agree (relative error {_worst(errors)})")


# --- ReLU -------------------------------------------------------------------------------------

def _check_relu(mod, passed, rng):
    relu = _call(mod, "ReLU()", mod.ReLU)
    Z = rng.standard_normal((6, 4))
    Z[0, :2] = 0.0  # exact zeros: ReLU's slope there is 0, as in nncore and torch
    Z_before = Z.copy()
    A = _call(mod, "ReLU.forward(Z)", relu.forward, Z)
    expect_unchanged("ReLU.forward(Z)", Z_before, Z,
                     "it changed its input Z in place (for example Z[Z < 0] = 0). Return a new array, "
                     "np.maximum(Z, 0): the Dense layer that made Z may still need it.")
    Z = Z_before
    expect_close("ReLU.forward(Z)", A, ReferenceReLU().forward(Z), atol=0, variants=[
        (Z, "it returned Z unchanged: ReLU's output is max(0, Z), element by element."),
        (Z > 0, "it returned the mask Z > 0, not max(0, Z): keep the mask on self for backward, "
                "and return max(0, Z)."),
    ])

    dA = rng.standard_normal(Z.shape)
    dA_before = dA.copy()
    hint = ("forward must keep on self what backward needs (the mask Z > 0, or Z itself): "
            "a local variable of forward is gone when backward runs.")
    dZ = _call(mod, "ReLU.backward(dA) after forward(Z)", relu.backward, dA, advice=hint)
    expect_unchanged("ReLU.backward(dA)", dA_before, dA,
                     "it changed dA in place. Return a new array, dA times the mask.")
    again = _call(mod, "ReLU.backward(dA), a second time", relu.backward, dA)
    if dZ is not None and again is not None and not matches(again, dZ, atol=0):
        raise CheckFailure("ReLU.backward(dA) gave different results for the same dA after one forward pass: it "
                           "draws a new mask each time. The mask comes from the forward pass: where Z > 0.")
    mask = (Z > 0).astype(np.float64)
    expect_close("ReLU.backward(dA) after forward(Z)", dZ, dA * mask, atol=0, variants=[
        (dA * (dA > 0), "the mask is made from dA (dA > 0, or max(0, dA)): a new mask in backward. ReLU passes "
                        "the gradient where the forward pass's Z was > 0, whatever the sign of dA: use the mask "
                        "from the forward pass."),
        (dA, "it returned dA unchanged: multiply by the mask from the forward pass, 1 where Z > 0, else 0."),
        (dA * (Z >= 0), "the mask is Z >= 0: at Z = 0 exactly ReLU's slope is taken as 0 (nncore and torch do "
                        "so), so the mask is Z > 0, not Z >= 0."),
        (dA * (Z < 0), "the mask is inverted: the gradient passes where Z > 0, not where Z < 0."),
        (dA * (Z <= 0), "the mask is inverted: the gradient passes where Z > 0, not where Z <= 0."),
        (dA * Z, "dA is multiplied by Z: ReLU's slope is 1 where Z > 0 and 0 elsewhere, not Z."),
        (dA * np.maximum(Z, 0), "dA is multiplied by ReLU's output max(0, Z): the slope is 1 where Z > 0, "
                                "not the output itself."),
    ])
    Z2 = rng.standard_normal(Z.shape)
    relu.forward(Z)
    relu.forward(Z2)
    latest = _call(mod, "ReLU.backward(dA) after forward(Z) and forward(Z2)", relu.backward, dA)
    expect_close("ReLU.backward(dA) after forward(Z), then forward(Z2)", latest, dA * (Z2 > 0), atol=0, variants=[
        (dA * mask, "it used the mask of the first forward pass: keep the mask in forward, on every call, "
                    "so that backward uses the last one."),
    ])
    Z_smooth = Z + np.sign(Z) * 0.1 + (Z == 0) * 0.5  # no entry near the kink at 0
    errors = _gradcheck("ReLU", lambda: gradcheck.check_layer(relu, Z_smooth))
    passed(f"ReLU.forward returns max(0, Z); backward returns dA times the forward pass's mask Z > 0, as nncore's "
           f"ReLU; finite differences agree (relative error {_worst(errors)})")


# --- Network: the loops alone, with layers that record what they receive ----------------------

class _Recorder(Layer):
    """Adds k + 1 going forward and multiplies by k + 2 going backward, and logs every call."""

    def __init__(self, k, log):
        self.k, self.log = k, log

    def forward(self, X):
        self.log.append(("forward", self.k, np.array(X, dtype=np.float64)))
        return np.asarray(X, dtype=np.float64) + (self.k + 1)

    def backward(self, dA):
        self.log.append(("backward", self.k, np.array(dA, dtype=np.float64)))
        return np.asarray(dA, dtype=np.float64) * (self.k + 2)

    def __repr__(self):
        return f"layer {self.k}"


def _check_network_loops(mod, passed):
    log = []
    net = _call(mod, "Network(layers)", mod.Network, [_Recorder(k, log) for k in range(4)])
    X = np.zeros((2, 3))
    out = _call(mod, "Network.forward(X)", net.forward, X, advice="Call each layer's forward on the output of the "
                "layer before it.")
    calls = [k for kind, k, _ in log if kind == "forward"]
    what = "Network.forward(X) on 4 layers"
    if calls == [3, 2, 1, 0]:
        raise CheckFailure(f"{what} ran the layers last to first. Forward goes from the input: the layers in "
                           "their order, layers[0] first.")
    if calls != [0, 1, 2, 3]:
        raise CheckFailure(f"{what}: expected each layer's forward to be called once, in order 0, 1, 2, 3; "
                           f"got the calls {calls}. Loop once over self.layers.")
    inputs = [A for kind, _, A in log if kind == "forward"]
    if all(matches(A, X) for A in inputs):
        raise CheckFailure(f"{what}: every layer received X. Each layer's input is the output of the layer "
                           "before it: keep what forward returns and give it to the next layer.")
    outputs = [X + sum(range(1, k + 2)) for k in range(4)]  # what each recorder returned, in order: +1, +2, ...
    for k in range(1, 4):
        if not matches(inputs[k], outputs[k - 1]):
            raise CheckFailure(f"{what}: layer {k} did not receive the output of layer {k - 1}. Give each layer "
                               "what the one before it returned.")
    if out is None:
        raise CheckFailure(f"{what} returned None: return the output of the last layer.")
    if not matches(out, outputs[-1]):
        named = diagnose(out, [(X, "it returned X, the input")] +
                         [(outputs[k], f"it returned the output of layer {k}") for k in range(3)])
        raise CheckFailure(f"{what}: {named or 'it did not return the output of the last layer'}. "
                           "Return what the last layer's forward returned.")

    log.clear()
    G = np.ones((2, 3))
    dX = _call(mod, "Network.backward(dA)", net.backward, G, advice="Call each layer's backward on the gradient "
               "the layer after it returned.")
    calls = [k for kind, k, _ in log if kind == "backward"]
    what = "Network.backward(dA) on 4 layers"
    if any(kind == "forward" for kind, _, _ in log):
        raise CheckFailure(f"{what} called forward again. Backward only uses what each layer kept during the "
                           "forward pass: call each layer's backward, not its forward.")
    if calls == [0, 1, 2, 3]:
        raise CheckFailure(f"{what} visited the layers in forward order, layers[0] first. Backpropagation "
                           "starts at the loss, so the last layer goes first: loop over the layers in reverse "
                           "(reversed(self.layers)).")
    if calls != [3, 2, 1, 0]:
        raise CheckFailure(f"{what}: expected each layer's backward to be called once, last layer first "
                           f"(3, 2, 1, 0); got the calls {calls}. Loop once over the layers in reverse.")
    grads = [dA for kind, _, dA in log if kind == "backward"]
    if all(matches(dA, G) for dA in grads):
        raise CheckFailure(f"{what}: every layer received the dA given to the network, so the gradient is not "
                           "passed from layer to layer. Keep what each layer's backward returns and give it to "
                           "the layer before it: that is the chain rule.")
    passed_down = {3: G}
    for k in (2, 1, 0):
        passed_down[k] = passed_down[k + 1] * (k + 3)  # layer k + 1 returned its input times (k + 1) + 2
        if not matches(grads[3 - k], passed_down[k]):
            raise CheckFailure(f"{what}: layer {k} did not receive the gradient that layer {k + 1} returned. "
                               "Give each layer what the backward of the layer after it returned.")
    dX_true = passed_down[0] * 2
    if dX is None:
        raise CheckFailure(f"{what} returned None: return dX, the gradient that layers[0] returned.")
    if not matches(dX, dX_true):
        named = diagnose(dX, [(G, "it returned the dA it was given")] +
                         [(passed_down[k], f"it returned the gradient given to layer {k}") for k in (2, 1, 0)])
        raise CheckFailure(f"{what}: {named or 'it did not return the gradient layers[0] returned'}. Return dX, "
                           "what layers[0]'s backward returned: the gradient with respect to the network's input.")
    passed("Network.forward runs the layers in order, each on the last one's output; Network.backward runs them "
           "last to first, each on the gradient the next returned, and returns dX")


# --- Network of the learner's own layers, against nncore's Sequential ---------------------------

def _check_network_gradients(mod, passed, rng):
    sizes = [4, 6, 5, 3]
    layers = []
    for l in range(3):
        layers.append(_call(mod, f"Dense({sizes[l]}, {sizes[l + 1]}, seed={l})", mod.Dense, sizes[l], sizes[l + 1], l))
        if l < 2:
            layers.append(_call(mod, "ReLU()", mod.ReLU))
    for dense in layers[::2]:
        dense.b = rng.standard_normal(dense.b.shape) * 0.1
    net = _call(mod, "Network(layers)", mod.Network, layers)
    reference = Sequential([ReferenceDense(4, 6), ReferenceReLU(), ReferenceDense(6, 5), ReferenceReLU(),
                            ReferenceDense(5, 3)])
    for mine, theirs in zip(layers[::2], reference.layers[::2]):
        theirs.W[...], theirs.b[...] = mine.W, mine.b
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    loss = SoftmaxCrossEntropy()
    what = "a Network of your Dense(4, 6), ReLU, Dense(6, 5), ReLU, Dense(5, 3)"
    out = _call(mod, f"{what}: forward(X)", net.forward, X)
    expect_close(f"{what}: forward(X) with X {X.shape}", out, reference.forward(X), atol=1e-10)
    loss.forward(np.asarray(out, dtype=np.float64), y)
    dX = _call(mod, f"{what}: backward(dL/dZ)", net.backward, loss.backward())
    dX_ref = reference.backward(loss.backward())
    expect_close(f"{what}: backward(dL/dZ) returned dX", dX, dX_ref, atol=1e-10)
    params, grads = net.parameters(), net.gradients()
    if list(params) != list(reference.parameters()) or list(grads) != list(params):
        raise CheckFailure(f"{what}: parameters() and gradients() should be keyed like nncore's Sequential, "
                           f"{list(reference.parameters())}; got {list(params)} and {list(grads)}. They are given "
                           "in the file: restore them with nncore.solution or reset.")
    for name, ref in reference.gradients().items():
        expect_close(f"{what}: gradient {name}", grads[name], ref, atol=1e-10)
    errors = _gradcheck(what, lambda: gradcheck.check_model(net, loss, X, y))
    passed(f"a 3-layer Network of your layers gives the forward pass, dX and all 6 gradients of nncore's "
           f"Sequential, and check_model agrees (relative error {_worst(errors)})")


def check_backprop(mod, passed):
    rng = np.random.default_rng(0)
    _check_dense_forward(mod, passed, rng)
    _check_dense_backward(mod, passed, rng)
    _check_relu(mod, passed, rng)
    _check_network_loops(mod, passed)
    _check_network_gradients(mod, passed, rng)


EXERCISES = {
    "backprop": Exercise("Backpropagation: Dense, ReLU and a Network with nncore's Layer interface",
                         "04_backprop", check_backprop, order=1),
}
