"""The gradient checker itself: it must measure correctly and fail loudly, naming what is wrong."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import gradcheck
from nncore.activations import ReLU, Tanh
from nncore.errors import NNCoreError
from nncore.gradcheck import GradientCheckError, compare, numerical_gradient, relative_error
from nncore.layers import Dense
from nncore.losses import MSE, SoftmaxCrossEntropy
from nncore.model import Sequential
from nncore.regularization import Dropout, GaussianNoise

FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None)

seeds = st.integers(0, 2**32 - 1)
shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


# --- numerical_gradient ---------------------------------------------------------------

@FAST
@given(shape=shapes, seed=seeds)
def test_numerical_gradient_of_a_known_function(shape, seed):
    x = np.random.default_rng(seed).uniform(-2, 2, shape)
    before = x.copy()
    grad = numerical_gradient(lambda: float(np.sum(x ** 3 + np.sin(x))), x)
    assert grad.shape == x.shape and grad.dtype == np.float64
    # Central differences are exact up to h^2 f'''/6 (here |f'''| <= 7, h^2 = 1e-10).
    np.testing.assert_allclose(grad, 3 * x ** 2 + np.cos(x), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(x, before)  # every element put back exactly


def test_numerical_gradient_is_exact_for_a_quadratic():
    # For f(x) = x^T M x the central difference has no h^2 term: only rounding remains.
    rng = np.random.default_rng(0)
    M, x = rng.standard_normal((5, 5)), rng.standard_normal(5)
    grad = numerical_gradient(lambda: float(x @ M @ x), x)
    np.testing.assert_allclose(grad, (M + M.T) @ x, rtol=0, atol=1e-9)


def test_numerical_gradient_error_shrinks_like_h_squared():
    x = np.array([0.7])
    true = np.cos(0.7)
    errors = [abs(numerical_gradient(lambda: float(np.sin(x[0])), x, h=h)[0] - true) for h in (1e-2, 1e-3)]
    assert errors[0] / errors[1] == pytest.approx(100, rel=0.01)


def test_numerical_gradient_refuses_integer_arrays():
    x = np.array([1, 2, 3])
    with pytest.raises(NNCoreError, match=r"^numerical_gradient x: expected a float64 NumPy array.*got dtype int64"):
        numerical_gradient(lambda: float(np.sum(x)), x)


def test_numerical_gradient_refuses_lists_and_float32():
    # A list cannot be nudged in place (and f would not read it); float32 rounds x + h.
    with pytest.raises(NNCoreError, match=r"float64 NumPy array.*got a list\. Create it with np\.array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    x32 = np.array([1.0, 2.0], dtype=np.float32)
    with pytest.raises(NNCoreError, match="got dtype float32"):
        numerical_gradient(lambda: float(np.sum(x32 ** 2)), x32)


def test_numerical_gradient_of_a_0d_array():
    x = np.array(3.0)
    assert numerical_gradient(lambda: float(x ** 2), x) == pytest.approx(6.0, abs=1e-8)


# --- relative_error -------------------------------------------------------------------

@FAST
@given(shape=shapes, seed=seeds, scale=st.floats(1e-6, 1e6))
def test_relative_error_properties(shape, seed, scale):
    rng = np.random.default_rng(seed)
    a, n = rng.standard_normal(shape), rng.standard_normal(shape)
    err = relative_error(a, n)
    assert 0.0 <= err <= 1.0                                   # triangle inequality
    assert err == pytest.approx(relative_error(n, a), abs=1e-15)  # symmetric
    assert err == pytest.approx(relative_error(scale * a, scale * n), rel=1e-9)  # no units
    assert relative_error(a, a) == 0.0
    assert relative_error(a, np.zeros(shape)) == pytest.approx(1.0)  # one side all zero
    assert relative_error(a, -a) == pytest.approx(1.0)                # opposite directions
    assert relative_error(a, 2 * a) == pytest.approx(1 / 3)           # off by a factor of 2


def test_relative_error_of_two_zero_gradients_is_zero():
    assert relative_error(np.zeros((2, 3)), np.zeros((2, 3))) == 0.0


def test_relative_error_is_not_dominated_by_rounding_noise_in_zero_entries():
    # Element-wise relative errors would call 1e-13 vs 0 a 100% error; over the whole array it is tiny.
    a = np.array([1.0, 2.0, 0.0])
    n = np.array([1.0, 2.0, 1e-13])
    assert relative_error(a, n) < 1e-13


# --- compare ------------------------------------------------------------------------------

def test_compare_returns_the_error_when_within_tolerance():
    a = np.array([1.0, 2.0, 3.0])
    assert compare("W", a, a + 1e-10) == pytest.approx(relative_error(a, a + 1e-10))


def test_compare_names_parameter_error_and_index():
    analytic = np.array([[1.0, 2.0], [3.0, 4.0]])
    numeric = analytic.copy()
    numeric[1, 0] = 30.0
    with pytest.raises(GradientCheckError) as info:
        compare("layers[2].W", analytic, numeric)
    message = str(info.value)
    assert "layers[2].W" in message
    assert f"relative error {relative_error(analytic, numeric):.2e}" in message
    assert "tolerance 1e-07" in message
    assert "index (1, 0)" in message
    assert "analytic 3" in message and "numerical 30" in message
    assert isinstance(info.value, AssertionError)  # so a bare pytest test reports it as a failure


def test_compare_names_shapes_when_they_differ():
    with pytest.raises(GradientCheckError, match=r"W.*shape \(3, 2\).*shape \(2, 3\)"):
        compare("W", np.zeros((3, 2)), np.zeros((2, 3)))


def test_compare_catches_nan_gradients():
    with pytest.raises(GradientCheckError, match=r"b: relative error nan.*index \(1,\)"):
        compare("b", np.array([1.0, np.nan, 3.0]), np.array([1.0, 2.0, 3.0]))
    with pytest.raises(GradientCheckError, match=r"b: relative error nan.*index \(0,\)"):
        compare("b", np.full(3, np.nan), np.ones(3))  # all NaN: still a clear message


def test_compare_of_0d_arrays():
    # A scalar parameter as a 0-d array: np.abs of it is a NumPy scalar, which once broke compare.
    with pytest.raises(GradientCheckError, match=r"failed for b: relative error 3\.33e-01.*index \(\): "
                                                 r"analytic 1, numerical 2"):
        compare("b", np.array(1.0), np.array(2.0))
    with pytest.raises(GradientCheckError, match=r"relative error nan.*index \(\)"):
        compare("b", np.array(np.nan), np.array(2.0))
    assert compare("b", np.array(1.0), np.array(1.0)) == 0.0


# --- deliberately wrong layers are caught, and named -----------------------------------------

class ForgetsTranspose(Dense):
    """dW = dZ^T X instead of X^T dZ: a classic slip."""

    def backward(self, dZ):
        dX = super().backward(dZ)
        self.dW = dZ.T @ self.X
        return dX


class DoublesBias(Dense):
    def backward(self, dZ):
        dX = super().backward(dZ)
        self.db = 2 * self.db
        return dX


class ForgetsWeightTranspose(Dense):
    """dX = dZ W instead of dZ W^T."""

    def backward(self, dZ):
        super().backward(dZ)
        return dZ @ self.W


def random_batch(N, n_in, seed=10):
    # Not seed 0: check_layer draws its output gradient G with seed 0, and X = G would make
    # X^T G symmetric, hiding a forgotten transpose.
    return np.random.default_rng(seed).standard_normal((N, n_in))


def test_forgotten_transpose_in_dW_is_caught_and_named():
    # Square W: the shapes agree, only the values give it away.
    with pytest.raises(GradientCheckError, match=r"failed for W: relative error .* at index \(\d, \d\)"):
        gradcheck.check_layer(ForgetsTranspose(3, 3, seed=0), random_batch(5, 3))
    # Not square: the shape is already wrong, and the message says so.
    with pytest.raises(GradientCheckError, match=r"failed for W: .*shape \(2, 4\).*shape \(4, 2\)"):
        gradcheck.check_layer(ForgetsTranspose(4, 2, seed=0), random_batch(5, 4))


def test_doubled_db_is_caught_with_its_error_and_index():
    layer = DoublesBias(3, 4, seed=0)
    X = random_batch(6, 3)
    G = np.random.default_rng(0).standard_normal((6, 4))  # what check_layer uses with seed=0
    true_db = G.sum(axis=0, keepdims=True)
    worst = int(np.argmax(np.abs(true_db)))  # 2 db - db is largest where |db| is
    with pytest.raises(GradientCheckError) as info:
        gradcheck.check_layer(layer, X, seed=0)
    message = str(info.value)
    assert message.startswith("gradient check failed for b:")
    error = float(re.search(r"relative error ([0-9.e+-]+)", message).group(1))
    assert error == pytest.approx(1 / 3, rel=1e-3)  # |2d - d| / (|2d| + |d|)
    assert f"index (0, {worst})" in message


def test_wrong_dX_is_caught_and_named():
    with pytest.raises(GradientCheckError, match="failed for input X"):
        gradcheck.check_layer(ForgetsWeightTranspose(3, 3, seed=0), random_batch(4, 3))


def test_check_model_names_the_wrong_parameter():
    model = Sequential([Dense(2, 3, seed=0), Tanh(), DoublesBias(3, 1, seed=1)])
    X, Y = random_batch(5, 2), random_batch(5, 1, seed=11)
    with pytest.raises(GradientCheckError, match=r"failed for layers\[2\]\.b"):
        gradcheck.check_model(model, MSE(), X, Y)


def test_check_loss_catches_a_missing_one_over_N():
    class SumSquaredError(MSE):
        def _gradient(self):
            A, Y = self._cache
            return 2.0 * (A - Y)  # forgot to divide by A.size

    A, Y = random_batch(4, 2), random_batch(4, 2, seed=11)
    with pytest.raises(GradientCheckError, match=r"SumSquaredError dL/dA: relative error"):
        gradcheck.check_loss(SumSquaredError(), A, Y)
    assert gradcheck.check_loss(MSE(), A, Y) < 1e-7


def test_check_layer_leaves_the_layer_unchanged():
    layer = Dense(3, 2, seed=0)
    W, b = layer.W.copy(), layer.b.copy()
    X = random_batch(4, 3)
    X_before = X.copy()
    gradcheck.check_layer(layer, X)
    np.testing.assert_array_equal(layer.W, W)
    np.testing.assert_array_equal(layer.b, b)
    np.testing.assert_array_equal(X, X_before)


# --- what a gradient check cannot measure is refused, not misreported ---------------------------

def test_float32_parameters_are_refused():
    # In float32 a correct Dense gives a relative error near 1e-4: it would be called wrong.
    X = random_batch(4, 3)
    with pytest.raises(NNCoreError, match=r"^check_layer: the layer's parameters: expected float64 arrays, "
                                          r"got W \(float32\), b \(float32\)\. .*dtype=np\.float64"):
        gradcheck.check_layer(Dense(3, 2, seed=0, dtype=np.float32), X)
    model = Sequential([Dense(3, 4, seed=0), Tanh(), Dense(4, 1, seed=1, dtype=np.float32)])
    with pytest.raises(NNCoreError, match=r"^check_model: the model's parameters: .*got layers\[2\]\.W \(float32\)"):
        gradcheck.check_model(model, MSE(), X, random_batch(4, 1, seed=11))


def dropout_model():
    return Sequential([Dense(3, 8, seed=0), ReLU(), Dropout(0.5, seed=0), Dense(8, 3, seed=1)])


def test_dropout_in_training_mode_is_named_not_misreported():
    X, y = random_batch(6, 3), np.array([0, 1, 2, 0, 1, 2])
    model = dropout_model()
    with pytest.raises(NNCoreError, match=r"^check_model: layers\[2\] \(Dropout\(rate=0\.5\)\): expected the same "
                                          r"output.*Call model\.eval\(\) first.*fixed mask"):
        gradcheck.check_model(model, SoftmaxCrossEntropy(), X, y)
    assert model.training and model.layers[2].training  # refused, not silently switched to evaluation
    errors = gradcheck.check_model(model.eval(), SoftmaxCrossEntropy(), X, y)
    assert max(errors.values()) < 1e-7


def test_random_layers_are_found_inside_nested_models_and_alone():
    X = random_batch(5, 3)
    nested = Sequential([Dense(3, 4, seed=0), Sequential([Tanh(), GaussianNoise(0.1, seed=0)]), Dense(4, 2, seed=1)])
    with pytest.raises(NNCoreError, match=r"^check_layer: layers\[1\]\.layers\[1\] \(GaussianNoise\(std=0\.1\)\)"):
        gradcheck.check_layer(nested, X)
    with pytest.raises(NNCoreError, match=r"^check_layer: Dropout\(rate=0\.3\): expected the same output"):
        gradcheck.check_layer(Dropout(0.3, seed=0), X)
