"""The autograd engine: every operation against torch.autograd and central differences.

For each operation we draw shapes with hypothesis (broadcasting included), compute a random
weighted sum L = sum(out * G) in float64 and check, for every input:

* the value and the gradient against torch autograd (largest absolute difference < 1e-10);
* the gradient against central differences (nncore.gradcheck, relative error < 1e-7).

Then: values used twice, accumulation over backward calls, no_grad, a whole MLP against
nncore's hand-written backward and torch, training with nncore's optimizers, and bad input.
"""

import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import NNCoreError, SGD, Adam, Dense, ReLU, Sequential, SoftmaxCrossEntropy
from nncore.autograd import Tensor, cross_entropy, no_grad, topological_order
from nncore.gradcheck import numerical_gradient, relative_error

# derandomize: the same examples every run, so a failure can always be reproduced.
FAST = settings(max_examples=20, deadline=None, derandomize=True, database=None)
TORCH_TOL = 1e-10
GRAD_TOL = 1e-7

seeds = st.integers(0, 2**32 - 1)
any_shape = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)  # () is a single number
batch_shape = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@st.composite
def broadcast_pair(draw):
    """Two shapes that broadcast: each drops some leading axes of a common shape and sets some sizes to 1."""
    full = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    shapes = []
    for _ in range(2):
        drop = draw(st.integers(0, len(full)))
        shapes.append(tuple(1 if draw(st.booleans()) else n for n in full[drop:]))
    return shapes


def max_diff(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, f"shapes {a.shape} and {b.shape}"
    return float(np.max(np.abs(a - b), initial=0.0))


def weights_for(shape, seed):
    """G for L = sum(out * G): a random dL/dout, so every entry's gradient is tested, not just their sum."""
    return np.asarray(np.random.default_rng(seed).standard_normal(shape))


def check_op(engine_fn, torch_fn, arrays, seed, numerical=True):
    """engine_fn(*Tensors) against torch_fn(*torch tensors) and central differences, for every input."""
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = engine_fn(*tensors)
    G = weights_for(out.shape, seed)
    (out * G).sum().backward()

    torch_inputs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out_torch = torch_fn(*torch_inputs)
    (out_torch * torch.tensor(G)).sum().backward()

    assert out.dtype == np.float64
    assert max_diff(out.data, out_torch.detach().numpy()) < TORCH_TOL
    for i, (t, t_torch) in enumerate(zip(tensors, torch_inputs)):
        assert t.grad.shape == arrays[i].shape  # a gradient always has its operand's shape
        assert max_diff(t.grad, t_torch.grad.numpy()) < TORCH_TOL, f"input {i}"
        if numerical:
            def L():
                return (engine_fn(*[Tensor(a) for a in arrays]) * G).sum().item()
            assert relative_error(t.grad, numerical_gradient(L, arrays[i])) < GRAD_TOL, f"input {i}"


def uniform(seed, shape, low=-2.0, high=2.0):
    return np.asarray(np.random.default_rng(seed).uniform(low, high, shape))


def away_from_zero(seed, shape, low=0.5, high=2.0):
    """|x| in (low, high): for divisors, and for kinks that a central difference must not straddle."""
    rng = np.random.default_rng(seed)
    return np.asarray(rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, shape))


# --- element-wise binary operations, with broadcasting -----------------------------------------

BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b),
    "-": (lambda a, b: a - b, lambda a, b: a - b),
    "*": (lambda a, b: a * b, lambda a, b: a * b),
    "/": (lambda a, b: a / b, lambda a, b: a / b),
}


@pytest.mark.parametrize("op", BINARY)
@FAST
@given(shapes=broadcast_pair(), seed=seeds)
def test_binary_operations_broadcast_like_torch(op, shapes, seed):
    a = uniform(seed, shapes[0])
    b = away_from_zero(seed + 1, shapes[1])  # a divisor far from 0
    check_op(*BINARY[op], [a, b], seed)


@pytest.mark.parametrize("op", BINARY)
@pytest.mark.parametrize("a_shape, b_shape", [((4, 3), (4, 3)), ((4, 3), (1, 3)), ((4, 3), (3,)), ((4, 3), ()),
                                              ((4, 3), (4, 1)), ((4, 3), (1, 1)), ((2, 4, 3), (1, 4, 1)),
                                              ((2, 4, 3), (2, 1, 3)), ((2, 4, 3), (4, 1)), ((2, 1, 3), (4, 1))])
def test_the_shapes_of_a_bias_sum_back_over_the_batch(op, a_shape, b_shape):
    """(N, k) with (1, k), (k,) and a single number: the gradient of the smaller one sums over the batch."""
    check_op(*BINARY[op], [uniform(0, a_shape), away_from_zero(1, b_shape)], seed=2)
    check_op(*BINARY[op], [away_from_zero(1, b_shape), away_from_zero(3, a_shape)], seed=4)  # and swapped


def test_bias_gradient_is_the_sum_over_the_batch():
    X, b = np.arange(12.0).reshape(4, 3), Tensor(np.zeros(3), requires_grad=True)
    Z = X + b
    dZ = weights_for((4, 3), 0)
    Z.backward(dZ)
    np.testing.assert_allclose(b.grad, dZ.sum(axis=0), rtol=0, atol=1e-15)


@pytest.mark.parametrize("op", BINARY)
@FAST
@given(shape=any_shape, seed=seeds, constant=st.floats(0.5, 3.0), left=st.booleans(), as_array=st.booleans())
def test_numbers_and_arrays_are_constants(op, shape, seed, constant, left, as_array):
    x = away_from_zero(seed, shape)
    c = np.full(shape, constant) if as_array else constant
    engine_fn, torch_fn = BINARY[op]
    if left:  # 2.0 - x, np_array / x: Tensor.__rsub__, __rtruediv__, ...
        check_op(lambda t: engine_fn(c, t), lambda t: torch_fn(torch.tensor(np.asarray(c)), t), [x], seed)
    else:
        check_op(lambda t: engine_fn(t, c), lambda t: torch_fn(t, torch.tensor(np.asarray(c))), [x], seed)


def test_a_tensor_copies_its_data_and_says_what_it_is():
    a = np.ones(3)
    t = Tensor(a, requires_grad=True)
    a[0] = 5.0  # as torch.tensor: the Tensor has its own copy
    assert t.data[0] == 1.0 and t.shape == (3,) and t.ndim == 1 and t.dtype == np.float64
    assert repr(t) == "Tensor([1., 1., 1.], requires_grad=True)"
    assert repr(t * 2) == "Tensor([2., 2., 2.], requires_grad=True, op='*')"
    assert Tensor(2.5).item() == 2.5 and repr(Tensor(2.5)) == "Tensor(2.5)"
    (t * 2).sum().backward()
    assert t.grad is not None and t.grad.shape == (3,)


def test_constants_get_no_gradient_and_keep_float32():
    x = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    y = (2 * x + 1.5) / 3.0 - np.float64(1.0)
    assert y.dtype == np.float32 and y.requires_grad
    y.sum().backward()
    assert x.grad.dtype == np.float32
    c = Tensor([1, 2, 3])  # integers become float64
    assert c.dtype == np.float64 and not c.requires_grad and c.grad is None


# --- matrix product ---------------------------------------------------------------------------

@st.composite
def matmul_shapes(draw):
    """(n, k) @ (k, m), with a vector on either side, or stacks of matrices that broadcast."""
    n, k, m = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    a, b = [(n, k), (k,)][draw(st.integers(0, 1))], [(k, m), (k,)][draw(st.integers(0, 1))]
    stack = draw(st.sampled_from([None, ((2,), ()), ((), (3,)), ((2, 1), (3,)), ((1,), (2,))]))
    if stack is not None:
        a, b = stack[0] + (n, k), stack[1] + (k, m)
    return a, b


@FAST
@given(shapes=matmul_shapes(), seed=seeds)
def test_matmul_equals_torch(shapes, seed):
    a, b = uniform(seed, shapes[0]), uniform(seed + 1, shapes[1])
    check_op(lambda A, B: A @ B, lambda A, B: A @ B, [a, b], seed)


def test_matmul_with_arrays_on_either_side():
    X, W = uniform(0, (5, 3)), uniform(1, (3, 2))
    check_op(lambda W: X @ W, lambda W: torch.tensor(X) @ W, [W], 2)  # Tensor.__rmatmul__
    check_op(lambda X: X @ W, lambda X: X @ torch.tensor(W), [X], 3)


def test_matmul_gradients_are_the_dense_layer_formulas():
    """C = A @ B: dA = dC @ B.T, dB = A.T @ dC, the rule of notebook 04."""
    A, B = Tensor(uniform(0, (4, 3)), requires_grad=True), Tensor(uniform(1, (3, 2)), requires_grad=True)
    dC = weights_for((4, 2), 2)
    (A @ B).backward(dC)
    assert max_diff(A.grad, dC @ B.data.T) < 1e-15 and max_diff(B.grad, A.data.T @ dC) < 1e-15


# --- element-wise functions, reductions and shapes --------------------------------------------

UNARY = {  # name -> (engine, torch, inputs)
    "neg": (lambda x: -x, lambda x: -x, uniform),
    "exp": (Tensor.exp, torch.exp, uniform),
    "log": (Tensor.log, torch.log, lambda s, shape: uniform(s, shape, 0.5, 3.0)),
    "relu": (Tensor.relu, torch.relu, away_from_zero),
    "tanh": (Tensor.tanh, torch.tanh, uniform),
    "sigmoid": (Tensor.sigmoid, torch.sigmoid, lambda s, shape: uniform(s, shape, -6.0, 6.0)),
    "x ** 2": (lambda x: x ** 2, lambda x: x ** 2, uniform),
    "x ** 3": (lambda x: x ** 3, lambda x: x ** 3, uniform),
    "x ** 0.5": (lambda x: x ** 0.5, lambda x: x ** 0.5, lambda s, shape: uniform(s, shape, 0.5, 3.0)),
    "x ** -1.5": (lambda x: x ** -1.5, lambda x: x ** -1.5, lambda s, shape: uniform(s, shape, 0.5, 3.0)),
    "T": (lambda x: x.T, lambda x: x.permute(tuple(reversed(range(x.ndim)))), uniform),
    "reshape(-1)": (lambda x: x.reshape(-1), lambda x: x.reshape(-1), uniform),
    "sum()": (Tensor.sum, torch.sum, uniform),
    "mean()": (Tensor.mean, torch.mean, uniform),
}


@pytest.mark.parametrize("name", UNARY)
@FAST
@given(shape=any_shape, seed=seeds)
def test_element_wise_and_whole_tensor_operations_equal_torch(name, shape, seed):
    engine_fn, torch_fn, inputs = UNARY[name]
    check_op(engine_fn, torch_fn, [inputs(seed, shape)], seed)


@st.composite
def shape_and_axis(draw):
    """A shape of 1-3 axes and axis: None, one axis (negative too) or a tuple of distinct axes."""
    shape = draw(batch_shape)
    ndim = len(shape)
    one = st.integers(-ndim, ndim - 1)
    many = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)
    return shape, draw(st.one_of(st.none(), one, many)), draw(st.booleans())


def torch_reduce(fn, x, axis, keepdims):
    if axis is None:
        out = fn(x)
        return out.reshape([1] * x.ndim) if keepdims else out
    return fn(x, dim=axis, keepdim=keepdims)


@pytest.mark.parametrize("name", ["sum", "mean"])
@FAST
@given(case=shape_and_axis(), seed=seeds)
def test_sum_and_mean_over_axes_equal_torch(name, case, seed):
    shape, axis, keepdims = case
    check_op(lambda x: getattr(x, name)(axis=axis, keepdims=keepdims),
             lambda x: torch_reduce(getattr(torch, name), x, axis, keepdims), [uniform(seed, shape)], seed)


@FAST
@given(shape=batch_shape, seed=seeds, data=st.data())
def test_reshape_and_transpose_equal_torch(shape, seed, data):
    x = uniform(seed, shape)
    new_shape = data.draw(st.sampled_from([(-1,), (x.size, 1), shape[::-1], (1,) + shape]))
    check_op(lambda t: t.reshape(*new_shape), lambda t: t.reshape(new_shape), [x], seed)
    check_op(lambda t: t.reshape(new_shape), lambda t: t.reshape(new_shape), [x], seed)  # a tuple too
    axes = data.draw(st.permutations(range(len(shape))))
    negative = [a - len(shape) for a in axes]  # -1 is the last axis, as in NumPy
    check_op(lambda t: t.transpose(*negative), lambda t: t.permute(*axes), [x], seed)


@pytest.mark.parametrize("name", ["log_softmax", "softmax"])
@FAST
@given(shape=batch_shape, seed=seeds, data=st.data())
def test_log_softmax_and_softmax_equal_torch(name, shape, seed, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    torch_fn = getattr(torch, name)
    check_op(lambda z: getattr(z, name)(axis=axis), lambda z: torch_fn(z, dim=axis), [uniform(seed, shape, -5, 5)],
             seed)


def test_log_softmax_stays_finite_for_large_logits():
    Z = Tensor(np.array([[1e4, 0.0, -1e4], [800.0, 799.0, 0.0]]), requires_grad=True)
    out = Z.log_softmax()
    out.sum().backward()
    assert np.isfinite(out.data).all() and np.isfinite(Z.grad).all()
    Zt = torch.tensor(Z.data, requires_grad=True)
    torch.log_softmax(Zt, dim=-1).sum().backward()
    assert max_diff(out.data, torch.log_softmax(Zt.detach(), dim=-1).numpy()) < TORCH_TOL
    assert max_diff(Z.grad, Zt.grad.numpy()) < TORCH_TOL


def test_sigmoid_and_exp_of_extreme_inputs_match_torch():
    x = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
    check_op(Tensor.sigmoid, torch.sigmoid, [x], 0, numerical=False)


def test_relu_slope_at_zero_is_zero_like_torch():
    check_op(Tensor.relu, torch.relu, [np.array([0.0, -0.0, 1.0, -1.0])], 0, numerical=False)


# --- cross-entropy ---------------------------------------------------------------------------

@FAST
@given(N=st.integers(1, 6), C=st.integers(1, 5), seed=seeds)
def test_cross_entropy_equals_torch_and_its_gradient_is_softmax_minus_y(N, C, seed):
    Z0 = uniform(seed, (N, C), -4, 4)
    y = np.random.default_rng(seed).integers(0, C, N)
    check_op(lambda Z: cross_entropy(Z, y), lambda Z: F.cross_entropy(Z, torch.tensor(y)), [Z0], seed)
    Z = Tensor(Z0, requires_grad=True)
    cross_entropy(Z, y).backward()
    P = np.exp(Z0 - Z0.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    Y = np.eye(C)[y]
    assert max_diff(Z.grad, (P - Y) / N) < 1e-15  # notebook 05's (softmax - Y) / N
    loss = SoftmaxCrossEntropy()
    loss.forward(Z0, y)
    assert max_diff(Z.grad, loss.backward()) < 1e-15


# --- the graph: reuse, order, accumulation ---------------------------------------------------

@FAST
@given(shape=batch_shape, seed=seeds)
def test_a_value_used_twice_gets_the_sum_of_both_gradients(shape, seed):
    x = uniform(seed, shape)
    check_op(lambda t: t * t, lambda t: t * t, [x], seed)  # d(x^2)/dx = 2x, from two uses
    check_op(lambda t: t + t + t, lambda t: t + t + t, [x], seed)

    def two_branches(t, W):  # y feeds two branches that meet again: a diamond
        y = t.tanh()
        return (y * W).sum(axis=-1) + (y.exp() / (1 + y * y)).mean(axis=-1)
    check_op(two_branches, two_branches, [x, uniform(seed + 1, shape[-1:])], seed)
    check_op(lambda t: (t @ t.T).sum(), lambda t: (t @ t.T).sum(), [uniform(seed, (3, 2))], seed)


def test_topological_order_lists_each_node_once_after_its_parents():
    x = Tensor(uniform(0, (3, 2)), requires_grad=True)
    W = Tensor(uniform(1, (2, 2)), requires_grad=True)
    y = (x @ W).tanh()
    L = ((y * y + y) @ W.T).sum() + x.mean()
    order = topological_order(L)
    assert order[-1] is L and len(order) == len(set(order))
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert x in position and W in position


def test_deep_graphs_go_beyond_the_recursion_limit():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x
    for _ in range(3 * sys.getrecursionlimit()):
        y = y * 1.0001
    y.sum().backward()
    np.testing.assert_allclose(x.grad, 1.0001 ** (3 * sys.getrecursionlimit()), rtol=1e-12)


def test_backward_twice_with_retain_graph_adds_up_like_torch():
    x0 = uniform(0, (3, 2))
    x = Tensor(x0, requires_grad=True)
    y = x * 3.0  # an intermediate value: its rule must see this pass's gradient, not the sum so far
    L = (y * y).sum()
    L.backward(retain_graph=True)
    once = x.grad.copy()
    L.backward()
    xt = torch.tensor(x0, requires_grad=True)
    Lt = ((xt * 3.0) * (xt * 3.0)).sum()
    Lt.backward(retain_graph=True)
    Lt.backward()
    assert max_diff(x.grad, 2 * once) < 1e-15
    assert max_diff(x.grad, xt.grad.numpy()) < TORCH_TOL


def test_gradients_accumulate_over_forward_passes_until_reset():
    W = Tensor(uniform(0, (2, 2)), requires_grad=True)
    X = uniform(1, (4, 2))
    for _ in range(2):
        (X @ W).sum().backward()  # a new graph each time
    np.testing.assert_allclose(W.grad, 2 * X.T @ np.ones((4, 2)))
    W.zero_grad()
    assert W.grad is None
    (X @ W).sum().backward()
    np.testing.assert_allclose(W.grad, X.T @ np.ones((4, 2)))


def test_intermediate_results_keep_their_gradient_but_constants_get_none():
    X = Tensor(uniform(0, (4, 3)))
    W = Tensor(uniform(1, (3, 2)), requires_grad=True)
    Z = X @ W
    dZ = weights_for((4, 2), 2)
    Z.relu().backward(dZ)
    assert X.grad is None and not X.requires_grad
    assert max_diff(Z.grad, dZ * (Z.data > 0)) == 0
    assert Z.requires_grad and Z.op == "@" and Z.parents == (X, W)


def test_backward_with_a_gradient_argument_equals_torch():
    x0, g = uniform(0, (3, 4)), weights_for((3, 4), 1)
    x = Tensor(x0, requires_grad=True)
    x.tanh().backward(Tensor(g))
    xt = torch.tensor(x0, requires_grad=True)
    xt.tanh().backward(torch.tensor(g))
    assert max_diff(x.grad, xt.grad.numpy()) < TORCH_TOL


def test_numpy_arrays_on_the_left_give_tensors():
    x = Tensor(np.ones(3), requires_grad=True)
    for y in (np.full(3, 2.0) * x, np.full(3, 2.0) + x, np.full(3, 2.0) - x, np.float64(2.0) / x):
        assert isinstance(y, Tensor) and y.requires_grad


# --- no_grad ---------------------------------------------------------------------------------

def test_no_grad_records_nothing_and_restores_recording():
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    with no_grad():
        y = (W @ W).relu().sum()
        with no_grad():
            pass
        z = W * 2  # still off after the inner block
    assert not y.requires_grad and y.parents == () and not z.requires_grad
    assert (W * 2).requires_grad  # recording again
    with pytest.raises(NNCoreError, match="requires_grad=True"):
        y.backward()
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError  # an exception inside the block
    assert (W * 2).requires_grad

    @no_grad()
    def evaluate(W):
        return W @ W
    assert not evaluate(W).requires_grad and (W @ W).requires_grad


def test_detach_cuts_the_graph():
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    d = (W * 2).detach()
    assert not d.requires_grad and d.parents == ()
    (W * d).sum().backward()
    np.testing.assert_array_equal(W.grad, d.data)


# --- a whole network: the engine, nncore's hand-written backward and torch ----------------------

def engine_mlp(X, y, params):
    """Notebook 04's network, written with the engine: Dense, ReLU, Dense, softmax cross-entropy."""
    Z1 = X @ params["W1"] + params["b1"]
    Z2 = Z1.relu() @ params["W2"] + params["b2"]
    return cross_entropy(Z2, y), Z1, Z2


def nncore_mlp(n_in, hidden, classes, seed):
    return Sequential([Dense(n_in, hidden, seed=seed), ReLU(), Dense(hidden, classes, seed=seed + 1)])


def engine_params(model):
    first, second = model.layers[0], model.layers[2]
    return {"W1": Tensor(first.W, requires_grad=True), "b1": Tensor(first.b, requires_grad=True),
            "W2": Tensor(second.W, requires_grad=True), "b2": Tensor(second.b, requires_grad=True)}


@FAST
@given(N=st.integers(1, 8), n_in=st.integers(1, 4), hidden=st.integers(1, 8), classes=st.integers(2, 4),
       seed=st.integers(0, 2**31))
def test_mlp_gradients_equal_the_hand_written_backward_and_torch(N, n_in, hidden, classes, seed):
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((N, n_in)), rng.integers(0, classes, N)
    model, loss = nncore_mlp(n_in, hidden, classes, seed), SoftmaxCrossEntropy()
    L_hand = loss.forward(model.forward(X), y)
    dZ2 = loss.backward()
    model.backward(dZ2)
    hand = dict(zip(["W1", "b1", "W2", "b2"], model.gradients().values()))

    params = engine_params(model)
    L, Z1, Z2 = engine_mlp(X, y, params)
    L.backward()

    tp = {k: torch.tensor(v.data, requires_grad=True) for k, v in params.items()}
    Lt = F.cross_entropy(torch.relu(torch.tensor(X) @ tp["W1"] + tp["b1"]) @ tp["W2"] + tp["b2"], torch.tensor(y))
    Lt.backward()

    assert abs(L.item() - L_hand) < TORCH_TOL and abs(L.item() - Lt.item()) < TORCH_TOL
    assert max_diff(Z2.grad, dZ2) < TORCH_TOL  # the engine's dZ is notebook 04's dZ
    for name, p in params.items():
        assert max_diff(p.grad, hand[name]) < TORCH_TOL, name
        assert max_diff(p.grad, tp[name].grad.numpy()) < TORCH_TOL, name


@pytest.mark.parametrize("make_optimizer", [lambda: SGD(0.5, momentum=0.9), lambda: Adam(0.01)])
def test_training_with_nncore_optimizers_follows_the_hand_written_network(make_optimizer):
    from nncore.data import spiral
    X, y = spiral(20, 3, seed=0)
    model, loss = nncore_mlp(2, 16, 3, seed=0), SoftmaxCrossEntropy()
    params = engine_params(model)  # copies: the two networks train side by side
    names = dict(zip(params, model.parameters()))
    opt_engine, opt_hand = make_optimizer(), make_optimizer()
    for _ in range(25):
        for p in params.values():
            p.zero_grad()  # only the parameters: everything else is rebuilt by the forward pass
        L, _, _ = engine_mlp(X, y, params)
        L.backward()
        opt_engine.step({k: p.data for k, p in params.items()}, {k: p.grad for k, p in params.items()})

        L_hand = loss.forward(model.forward(X), y)
        model.backward(loss.backward())
        opt_hand.step(model.parameters(), model.gradients())
        assert abs(L.item() - L_hand) < 1e-10
    for k, p in params.items():
        assert max_diff(p.data, model.parameters()[names[k]]) < 1e-10


# --- bad input gets an NNCoreError that names the cause -----------------------------------------

@pytest.mark.parametrize("data, match", [
    ("abc", "Text is not numbers"),
    ([1, "a"], "Text is not numbers"),
    ([[1.0, 2.0], [3.0]], "rows of different lengths"),
    (np.array([1 + 2j]), "Complex"),
    (object(), "dtype object"),
    ([None, 1.0], "dtype object"),
])
def test_tensor_accepts_only_real_numbers(data, match):
    with pytest.raises(NNCoreError, match="Tensor data") as info:
        Tensor(data)
    assert match in str(info.value)


def test_tensor_of_a_tensor_and_a_bad_requires_grad():
    with pytest.raises(NNCoreError, match="detach"):
        Tensor(Tensor(1.0))
    with pytest.raises(NNCoreError, match="requires_grad: expected True or False"):
        Tensor(1.0, requires_grad="yes")


@pytest.mark.parametrize("op", BINARY)
def test_shapes_that_do_not_broadcast_name_both(op):
    a, b = Tensor(np.ones((4, 3))), Tensor(np.ones((4, 2)))
    with pytest.raises(NNCoreError, match=r"shapes \(4, 3\) and \(4, 2\)"):
        BINARY[op][0](a, b)
    with pytest.raises(NNCoreError, match="the other operand of"):
        BINARY[op][0](a, "x")


@pytest.mark.parametrize("a, b, match", [
    ((4, 3), (4, 2), r"\(4, 3\) @ \(4, 2\).*inner sizes 3 and 4.*A\.T @ B"),
    ((5, 3), (2, 3), r"inner sizes 3 and 2.*A @ B\.T\? A layer with W of shape \(n_in, n_out\)"),
    ((5, 3), (4, 2), r"inner sizes 3 and 4.*columns of A must match the rows of B"),
    ((3,), (4, 2), r"\(3,\) @ \(4, 2\).*inner sizes 3 and 4"),
    ((2, 5, 3), (4, 3, 2), r"leading \(stack\) axes that broadcast, got \(2,\) and \(4,\)"),
    ((), (3, 2), "Multiply by a number with \\*"),
])
def test_matmul_shape_mistakes_say_what_to_try(a, b, match):
    with pytest.raises(NNCoreError, match=match):
        Tensor(np.ones(a)) @ Tensor(np.ones(b))


def test_backward_mistakes():
    x = Tensor(np.ones((3, 2)), requires_grad=True)
    with pytest.raises(NNCoreError, match=r"shape \(3, 2\).*\.sum\(\)\.backward\(\)"):
        (x * 2).backward()
    with pytest.raises(NNCoreError, match=r"backward gradient: expected shape \(3, 2\).*got shape \(2, 3\)"):
        (x * 2).backward(np.ones((2, 3)))
    with pytest.raises(NNCoreError, match="requires_grad=True"):
        Tensor(np.ones(3)).sum().backward()
    L = (x * x).sum()
    L.backward()
    with pytest.raises(NNCoreError, match="a second time.*retain_graph=True"):
        L.backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data)  # the refused backward changed nothing
    M = (x * x).sum() + L  # a new graph that reaches into the freed one
    with pytest.raises(NNCoreError, match="a second time"):
        M.backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data)


def test_backward_rules_can_be_swapped_and_a_wrong_shape_is_named(monkeypatch):
    """An exercise replaces mul_backward, matmul_backward or topological_order: the engine looks them up
    when it uses them. A rule that forgets to sum a broadcast gradient back, or an order that visits a node
    too early, gets a message instead of a wrong .grad."""
    from nncore import autograd
    monkeypatch.setattr(autograd, "mul_backward", lambda dout, a, b: (dout * b, dout * a))
    x, b = Tensor(np.ones((4, 3)), requires_grad=True), Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(NNCoreError, match=r"rule of '\*': expected a gradient of shape \(3,\).*got shape \(4, 3\)"):
        (x * b).sum().backward()
    monkeypatch.setattr(autograd, "topological_order", lambda root: [x, b, root])  # misses the nodes between
    W = Tensor(np.ones((3, 2)), requires_grad=True)
    with pytest.raises(NNCoreError, match="topological_order.*got 1 node"):
        (x @ W).sum().backward()
    monkeypatch.setattr(autograd, "topological_order", lambda root: list(reversed(topological_order(root))))
    with pytest.raises(NNCoreError, match="every node after all of its parents"):
        (x @ W).sum().backward()


def test_axis_shape_and_exponent_mistakes():
    x = Tensor(np.ones((3, 2)), requires_grad=True)
    with pytest.raises(NNCoreError, match=r"sum axis: expected None or axes in -2\.\.1 .* got 2"):
        x.sum(axis=2)
    with pytest.raises(NNCoreError, match="mean axis"):
        x.mean(axis=1.5)
    with pytest.raises(NNCoreError, match="log_softmax axis"):
        x.log_softmax(axis=-3)
    with pytest.raises(NNCoreError, match=r"reshape shape: expected sizes whose product is 6.*got \(4, 2\)"):
        x.reshape(4, 2)
    with pytest.raises(NNCoreError, match="transpose axes"):
        x.transpose(0, 0)
    with pytest.raises(NNCoreError, match=r"x \*\* p: expected a constant number"):
        x ** x


def test_cross_entropy_mistakes():
    Z = Tensor(np.zeros((3, 4)), requires_grad=True)
    with pytest.raises(NNCoreError, match="cross_entropy logits: expected a 2-D Tensor"):
        cross_entropy(Tensor(np.zeros(4)), [1])
    with pytest.raises(NNCoreError, match="cross_entropy logits"):
        cross_entropy(np.zeros((3, 4)), [1, 2, 3])
    with pytest.raises(NNCoreError, match=r"cross_entropy labels: expected labels in 0\.\.3"):
        cross_entropy(Z, [0, 1, 4])
    with pytest.raises(NNCoreError, match="cross_entropy labels: expected 3 labels"):
        cross_entropy(Z, [0, 1])
    with pytest.raises(NNCoreError, match="cross_entropy labels"):
        cross_entropy(Z, [0.5, 1, 2])
