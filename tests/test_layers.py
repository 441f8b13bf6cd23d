"""Dense and weight initialisation, proven by gradient checks and against PyTorch.

nncore's Dense computes Z = X @ W + b with W of shape (n_in, n_out);
torch.nn.functional.linear computes X @ weight.T + bias with weight of shape
(n_out, n_in), so the comparison passes W.T as torch's weight and transposes
torch's weight gradient back.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import NNCoreError, gradcheck
from nncore.layers import Dense, Layer, init_weights

FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)
TORCH_TOL = 1e-10
GRAD_TOL = 1e-7

sizes = st.integers(1, 7)
seeds = st.integers(0, 2**32 - 1)


def dense_with_random_bias(n_in, n_out, seed):
    """A Dense layer whose b is not zero, so a wrong db cannot hide behind b = 0."""
    layer = Dense(n_in, n_out, seed=seed)
    layer.b[...] = np.random.default_rng(seed + 7).standard_normal(layer.b.shape)
    return layer


# --- gradient check and PyTorch ---------------------------------------------------------

@FAST
@given(N=sizes, n_in=sizes, n_out=sizes, seed=seeds)
def test_dense_passes_gradient_check(N, n_in, n_out, seed):
    layer = dense_with_random_bias(n_in, n_out, seed)
    X = np.random.default_rng(seed + 1).standard_normal((N, n_in))
    errors = gradcheck.check_layer(layer, X, seed=seed, tol=GRAD_TOL)
    assert set(errors) == {"input X", "W", "b"}
    assert max(errors.values()) < GRAD_TOL


@FAST
@given(N=sizes, n_in=sizes, n_out=sizes, seed=seeds)
def test_dense_forward_and_backward_equal_torch(N, n_in, n_out, seed):
    layer = dense_with_random_bias(n_in, n_out, seed)
    rng = np.random.default_rng(seed + 1)
    X = rng.standard_normal((N, n_in))
    G = rng.standard_normal((N, n_out))  # dL/dZ for L = sum(Z * G)

    Z = layer.forward(X)
    dX = layer.backward(G)

    Xt = torch.tensor(X, requires_grad=True)
    weight = torch.tensor(layer.W.T.copy(), requires_grad=True)  # torch's (out, in)
    bias = torch.tensor(layer.b.ravel(), requires_grad=True)     # torch's (out,)
    Zt = F.linear(Xt, weight, bias)
    (Zt * torch.tensor(G)).sum().backward()

    assert Z.shape == (N, n_out)
    assert layer.dW.shape == layer.W.shape == (n_in, n_out)
    assert layer.db.shape == layer.b.shape == (1, n_out)
    assert dX.shape == X.shape
    assert np.max(np.abs(Z - Zt.detach().numpy())) < TORCH_TOL
    assert np.max(np.abs(layer.dW - weight.grad.numpy().T)) < TORCH_TOL
    assert np.max(np.abs(layer.db - bias.grad.numpy()[None, :])) < TORCH_TOL
    assert np.max(np.abs(dX - Xt.grad.numpy())) < TORCH_TOL


def test_dense_backward_formulas_by_hand():
    layer = Dense(2, 3)
    layer.W[...] = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    layer.b[...] = [[0.5, -0.5, 1.0]]
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(layer.forward(X), [[1.5, 1.5, 4.0], [4.5, 4.5, 7.0]])
    dZ = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    dX = layer.backward(dZ)
    np.testing.assert_array_equal(layer.dW, X.T @ dZ)
    np.testing.assert_array_equal(layer.db, [[1.0, 0.0, 2.0]])  # summed over the batch, not averaged
    np.testing.assert_array_equal(dX, [[1.0, 4.0], [6.0, 12.0]])  # one row per sample


def test_parameters_and_gradients_are_the_layers_own_arrays():
    layer = Dense(3, 2, seed=0)
    params, grads = layer.parameters(), layer.gradients()
    assert params.keys() == grads.keys() == {"W", "b"}
    assert params["W"] is layer.W and params["b"] is layer.b  # optimizers update them in place
    layer.forward(np.ones((4, 3)))
    layer.backward(np.ones((4, 2)))
    grads = layer.gradients()
    assert grads["W"] is layer.dW and grads["b"] is layer.db
    for name in params:
        assert grads[name].shape == params[name].shape


def test_dense_keeps_float32():
    layer = Dense(3, 2, seed=0, dtype=np.float32)
    assert layer.W.dtype == layer.b.dtype == np.float32
    X = np.ones((4, 3), dtype=np.float32)
    assert layer.forward(X).dtype == np.float32
    assert layer.backward(np.ones((4, 2), dtype=np.float32)).dtype == np.float32
    assert layer.dW.dtype == np.float32


def test_bias_starts_at_zero_and_repr():
    layer = Dense(4, 5, seed=0)
    np.testing.assert_array_equal(layer.b, np.zeros((1, 5)))
    assert repr(layer) == "Dense(4, 5)"
    assert layer.training is True


def test_base_layer_names_what_is_missing():
    class Half(Layer):
        pass

    with pytest.raises(NotImplementedError, match="Half.forward"):
        Half().forward(np.ones((1, 1)))
    with pytest.raises(NotImplementedError, match="Half.backward"):
        Half().backward(np.ones((1, 1)))
    assert Half().parameters() == {} and Half().gradients() == {}


# --- initialisation -------------------------------------------------------------------

@pytest.mark.parametrize("method", ["he", "xavier", "glorot", "small", "uniform"])
def test_init_shape_dtype_and_seeded_determinism(method):
    W = init_weights(5, 3, method, seed=42)
    assert W.shape == (5, 3) and W.dtype == np.float64
    np.testing.assert_array_equal(W, init_weights(5, 3, method, seed=42))
    np.testing.assert_array_equal(W, init_weights(5, 3, method, seed=np.random.default_rng(42)))
    assert not np.array_equal(W, init_weights(5, 3, method, seed=43))
    assert init_weights(5, 3, method, seed=42, dtype=np.float32).dtype == np.float32
    # Dense draws its W the same way.
    np.testing.assert_array_equal(Dense(5, 3, init=method, seed=42).W, W)


def test_glorot_is_another_name_for_xavier():
    np.testing.assert_array_equal(init_weights(6, 4, "glorot", seed=1), init_weights(6, 4, "xavier", seed=1))


def test_he_std_is_sqrt_2_over_n_in():
    n_in, n_out = 200, 500
    W = init_weights(n_in, n_out, "he", seed=0)
    # 100,000 draws: the sample std is within 1% of the truth by a wide margin.
    assert W.std() == pytest.approx(np.sqrt(2.0 / n_in), rel=0.01)
    assert abs(W.mean()) < 0.01 * np.sqrt(2.0 / n_in) * 5
    # It depends on n_in only, not on n_out.
    assert init_weights(n_in, 50, "he", seed=1).std() == pytest.approx(np.sqrt(2.0 / n_in), rel=0.03)


def test_small_std_is_0_01():
    assert init_weights(100, 100, "small", seed=0).std() == pytest.approx(0.01, rel=0.02)


def test_xavier_stays_within_its_limit_and_fills_it():
    n_in, n_out = 300, 200
    limit = np.sqrt(6.0 / (n_in + n_out))
    W = init_weights(n_in, n_out, "xavier", seed=0)
    assert np.all(np.abs(W) <= limit)
    assert np.abs(W).max() > 0.99 * limit
    # Uniform on (-l, l) has variance l^2 / 3 = 2 / (n_in + n_out).
    assert W.var() == pytest.approx(2.0 / (n_in + n_out), rel=0.02)


def test_uniform_is_in_minus_half_to_half():
    W = init_weights(200, 200, "uniform", seed=0)
    assert W.min() >= -0.5 and W.max() < 0.5
    assert W.min() < -0.49 and W.max() > 0.49
    assert abs(W.mean()) < 0.01
    assert W.var() == pytest.approx(1.0 / 12.0, rel=0.02)


def test_he_keeps_relu_activations_from_fading_with_depth():
    # The reason He exists: the mean square of ReLU activations stays about constant layer
    # after layer, while "small" init shrinks it by roughly 100x per layer.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 100))
    for method, low, high in (("he", 0.3, 3.0), ("small", 0.0, 1e-10)):
        A = X
        for seed in range(6):
            A = np.maximum(A @ init_weights(100, 100, method, seed=seed), 0.0)
        assert low < np.mean(A ** 2) < high, method


# --- bad arguments are explained ------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, match", [
    ((0, 3), {}, r"^init_weights n_in: expected a positive whole number, got 0\."),  # was ZeroDivisionError
    ((2.5, 3), {}, r"^init_weights n_in: .*got 2\.5\."),                             # was TypeError
    ((2, -1), {}, r"^init_weights n_out: .*got -1\."),
    ((True, 3), {}, r"^init_weights n_in: .*got True\."),
    ((2, 3), {"seed": -1}, r"^init_weights seed: expected None .*got -1\."),        # was numpy's ValueError
    ((2, 3), {"seed": 1.5}, r"^init_weights seed: .*got 1\.5\."),
    ((2, 3), {"dtype": np.int64}, r"^init_weights dtype: expected a floating-point dtype.*got int64\."),
    ((2, 3), {"dtype": "floaty"}, r"^init_weights dtype: .*got 'floaty'\."),
])
def test_init_weights_explains_bad_arguments(args, kwargs, match):
    with pytest.raises(NNCoreError, match=match):
        init_weights(*args, **kwargs)


def test_init_weights_accepts_numpy_integers():
    W = init_weights(np.int64(3), np.int32(2), seed=np.int64(5))
    np.testing.assert_array_equal(W, init_weights(3, 2, seed=5))


def test_dense_refuses_an_integer_dtype_instead_of_zero_weights():
    # int64 used to truncate the weights toward 0 (most of them to exactly 0) without a word.
    with pytest.raises(NNCoreError, match=r"^Dense dtype: expected a floating-point dtype.*got int64\. .*round"):
        Dense(2, 3, dtype=np.int64)
    with pytest.raises(NNCoreError, match=r"^Dense seed: .*got -1\."):
        Dense(2, 3, seed=-1)
    with pytest.raises(NNCoreError, match=r"^Dense n_out: expected a positive whole number, got 0\."):
        Dense(2, 0)
    assert Dense(2, 3, dtype="float32").W.dtype == np.float32


def test_dense_backward_before_forward_is_explained():
    with pytest.raises(NNCoreError, match=r"^Dense\.backward was called before forward: run forward\(X\)"):
        Dense(2, 3).backward(np.ones((1, 3)))
