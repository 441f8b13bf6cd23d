"""Activations: every formula proven by a gradient check and against PyTorch.

For each activation layer we check, on random shapes drawn by hypothesis and in float64:

* the backward pass against central differences (nncore.gradcheck, relative error < 1e-7);
* forward values and backward gradients against torch autograd on the same inputs
  (largest absolute difference < 1e-10).

Softmax also gets its explicit Jacobian compared with torch's, and every
activation is pushed to inputs of magnitude 1e4 to show it stays finite.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import NNCoreError, gradcheck
from nncore.activations import (LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Tanh, leaky_relu,
                                leaky_relu_derivative, log_softmax, relu, relu_derivative, sigmoid,
                                sigmoid_derivative, softmax, softmax_jacobian, tanh,
                                tanh_derivative)

# derandomize: the same examples every run, so a failure can always be reproduced.
FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)
TORCH_TOL = 1e-10
GRAD_TOL = 1e-7

shapes = st.tuples(st.integers(1, 6), st.integers(1, 6))
seeds = st.integers(0, 2**32 - 1)

# name -> (nncore layer factory, the same function in torch)
ACTIVATIONS = {
    "Linear": (Linear, lambda z: z * 1.0),
    "ReLU": (ReLU, torch.relu),
    "LeakyReLU": (LeakyReLU, lambda z: F.leaky_relu(z, 0.01)),
    "LeakyReLU(0.2)": (lambda: LeakyReLU(alpha=0.2), lambda z: F.leaky_relu(z, 0.2)),
    "Sigmoid": (Sigmoid, torch.sigmoid),
    "Tanh": (Tanh, torch.tanh),
    "Softmax": (Softmax, lambda z: torch.softmax(z, dim=1)),
}
KINKED = {"ReLU", "LeakyReLU", "LeakyReLU(0.2)"}


def random_inputs(seed, shape, scale=3.0, away_from_zero=False):
    """Z of `shape` in float64, uniform in (-scale, scale); optionally |Z| >= 1e-3."""
    rng = np.random.default_rng(seed)
    if away_from_zero:
        # ReLU and LeakyReLU have a kink at 0, where the derivative jumps. A central
        # difference that straddles it (|z| < h = 1e-5) measures an average of the two
        # slopes, not the derivative, so the numerical check stays clear of it.
        return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(1e-3, scale, size=shape)
    return rng.uniform(-scale, scale, size=shape)


def torch_forward_backward(fn, Z, G):
    """A = fn(Z) and dZ = dL/dZ for L = sum(A * G), by torch autograd."""
    Zt = torch.tensor(Z, requires_grad=True)
    At = fn(Zt)
    (At * torch.tensor(G)).sum().backward()
    return At.detach().numpy(), Zt.grad.numpy()


# --- gradient checks and PyTorch, every activation ------------------------------------

@pytest.mark.parametrize("name", ACTIVATIONS)
@FAST
@given(shape=shapes, seed=seeds)
def test_backward_passes_gradient_check(name, shape, seed):
    make, _ = ACTIVATIONS[name]
    Z = random_inputs(seed, shape, away_from_zero=name in KINKED)
    errors = gradcheck.check_layer(make(), Z, seed=seed, tol=GRAD_TOL)
    assert set(errors) == {"input X"}
    assert errors["input X"] < GRAD_TOL


@pytest.mark.parametrize("name", ACTIVATIONS)
@FAST
@given(shape=shapes, seed=seeds)
def test_forward_and_backward_equal_torch(name, shape, seed):
    make, torch_fn = ACTIVATIONS[name]
    Z = random_inputs(seed, shape)  # kinks included: both use slope(0) = 0 (alpha for leaky)
    G = np.random.default_rng(seed + 1).standard_normal(shape)
    layer = make()
    A = layer.forward(Z)
    dZ = layer.backward(G)
    A_torch, dZ_torch = torch_forward_backward(torch_fn, Z, G)
    assert A.shape == Z.shape and dZ.shape == Z.shape
    assert A.dtype == np.float64 and dZ.dtype == np.float64
    assert np.max(np.abs(A - A_torch)) < TORCH_TOL
    assert np.max(np.abs(dZ - dZ_torch)) < TORCH_TOL


@pytest.mark.parametrize("make, slope_at_zero", [(ReLU, 0.0), (LeakyReLU, 0.01)])
def test_slope_at_the_kink_is_the_same_as_torch(make, slope_at_zero):
    Z = np.array([[0.0, -0.0, 1.0, -1.0]])
    layer = make()
    layer.forward(Z)
    dZ = layer.backward(np.ones_like(Z))
    torch_fn = torch.relu if make is ReLU else (lambda z: F.leaky_relu(z, 0.01))
    _, dZ_torch = torch_forward_backward(torch_fn, Z, np.ones_like(Z))
    np.testing.assert_array_equal(dZ, dZ_torch)
    assert dZ[0, 0] == slope_at_zero


# --- the plain functions are the same formulas ----------------------------------------

@FAST
@given(shape=shapes, seed=seeds)
def test_plain_functions_equal_torch_and_the_layers(shape, seed):
    Z = random_inputs(seed, shape, scale=5.0)
    Zt = torch.tensor(Z, requires_grad=True)

    def torch_derivative(fn):
        Zt.grad = None
        fn(Zt).sum().backward()  # element-wise, so d(sum)/dz_i = g'(z_i)
        return Zt.grad.numpy().copy()

    pairs = [
        (sigmoid(Z), torch.sigmoid(Zt)), (tanh(Z), torch.tanh(Zt)), (relu(Z), torch.relu(Zt)),
        (leaky_relu(Z), F.leaky_relu(Zt, 0.01)), (leaky_relu(Z, 0.3), F.leaky_relu(Zt, 0.3)),
        (softmax(Z), torch.softmax(Zt, 1)), (log_softmax(Z), torch.log_softmax(Zt, 1)),
    ]
    for ours, theirs in pairs:
        assert np.max(np.abs(ours - theirs.detach().numpy())) < TORCH_TOL
    assert np.max(np.abs(sigmoid_derivative(Z) - torch_derivative(torch.sigmoid))) < TORCH_TOL
    assert np.max(np.abs(tanh_derivative(Z) - torch_derivative(torch.tanh))) < TORCH_TOL
    np.testing.assert_array_equal(relu_derivative(Z), torch_derivative(torch.relu))
    np.testing.assert_array_equal(leaky_relu_derivative(Z, 0.3),
                                  torch_derivative(lambda z: F.leaky_relu(z, 0.3)))
    # The layers use the very same functions.
    np.testing.assert_array_equal(Sigmoid().forward(Z), sigmoid(Z))
    np.testing.assert_array_equal(Softmax().forward(Z), softmax(Z))


def test_derivatives_accept_lists_like_the_other_functions():
    # np.result_type([1, -1], ...) reads a list as a dtype description and raised a TypeError.
    np.testing.assert_array_equal(relu_derivative([1, -1, 0]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(leaky_relu_derivative([1, -1, 0], 0.2), [1.0, 0.2, 0.2])
    np.testing.assert_array_equal(leaky_relu_derivative([[2.0, -3.0]]), [[1.0, 0.01]])
    assert relu_derivative([1, -1]).dtype == np.float64  # integers give float64, like sigmoid_derivative
    assert relu_derivative(np.array([1.0], np.float32)).dtype == np.float32
    assert leaky_relu_derivative(np.array([1.0], np.float32)).dtype == np.float32


def test_known_values():
    np.testing.assert_allclose(sigmoid(np.array([0.0, np.log(3.0)])), [0.5, 0.75])
    assert sigmoid_derivative(0.0) == 0.25
    assert tanh_derivative(0.0) == 1.0
    np.testing.assert_allclose(softmax(np.array([[0.0, np.log(3.0)]])), [[0.25, 0.75]])
    np.testing.assert_array_equal(leaky_relu(np.array([-2.0, 3.0]), 0.5), [-1.0, 3.0])


# --- softmax: the Jacobian --------------------------------------------------------------

@FAST
@given(shape=shapes, seed=seeds)
def test_softmax_jacobian_equals_torch_per_sample(shape, seed):
    Z = random_inputs(seed, shape)
    layer = Softmax()
    S = layer.forward(Z)
    J_layer = layer.jacobian()
    J_given = layer.jacobian(Z)
    J_plain = softmax_jacobian(S)
    N, C = shape
    assert J_layer.shape == (N, C, C)
    for n in range(N):
        J_torch = torch.autograd.functional.jacobian(
            lambda z: torch.softmax(z, dim=0), torch.tensor(Z[n])).numpy()
        assert np.max(np.abs(J_layer[n] - J_torch)) < TORCH_TOL
        assert np.max(np.abs(softmax_jacobian(S[n]) - J_torch)) < TORCH_TOL  # one sample, (C,)
    np.testing.assert_array_equal(J_layer, J_given)
    np.testing.assert_array_equal(J_layer, J_plain)


@FAST
@given(shape=shapes, seed=seeds)
def test_softmax_backward_is_jacobian_transpose_times_dA(shape, seed):
    Z = random_inputs(seed, shape)
    dA = np.random.default_rng(seed + 1).standard_normal(shape)
    layer = Softmax()
    layer.forward(Z)
    J = layer.jacobian()  # J[n, i, k] = dA_ni / dZ_nk
    through_jacobian = np.einsum("nik,ni->nk", J, dA)  # J^T dA for each sample n
    assert np.max(np.abs(layer.backward(dA) - through_jacobian)) < 1e-14
    # J = diag(s) - s s^T is symmetric, and its columns sum to 0 (the outputs always sum to 1).
    np.testing.assert_allclose(J, np.swapaxes(J, 1, 2), rtol=0, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


# --- extreme inputs: finite values and finite gradients ---------------------------------

EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [800.0, -800.0, 1e-300], [-1e4, -1e4, -1e4]])


def assert_finite_and_matches_torch(make, torch_fn, Z, G):
    """Forward Z and backward G through make(): no overflow, 0/0 or log(0), finite results equal to torch's."""
    layer = make()
    # Overflow, 0/0 or log(0) would raise here; underflow of exp(-1e4) to 0 is harmless.
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        A = layer.forward(Z)
        dZ = layer.backward(G)
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(dZ))
    A_torch, dZ_torch = torch_forward_backward(torch_fn, Z, G)
    assert np.max(np.abs(A - A_torch)) < TORCH_TOL
    assert np.max(np.abs(dZ - dZ_torch)) < TORCH_TOL


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_extreme_inputs_give_finite_values_without_overflow(name):
    assert_finite_and_matches_torch(*ACTIVATIONS[name], EXTREME, np.ones_like(EXTREME))


def test_sigmoid_and_softmax_saturate_to_exact_limits():
    np.testing.assert_array_equal(sigmoid(np.array([1e4, -1e4, 0.0])), [1.0, 0.0, 0.5])
    np.testing.assert_array_equal(softmax(np.array([[1e4, -1e4, 0.0]])), [[1.0, 0.0, 0.0]])
    # log_softmax keeps the information that softmax rounds to 0.
    np.testing.assert_array_equal(log_softmax(np.array([[1e4, -1e4, 0.0]])), [[0.0, -2e4, -1e4]])


@FAST
@given(shape=shapes, seed=seeds)
def test_sigmoid_and_softmax_stay_finite_up_to_1e4(shape, seed):
    Z = random_inputs(seed, shape, scale=1e4)
    G = np.random.default_rng(seed + 1).standard_normal(shape)
    for name in ("Sigmoid", "Softmax", "Tanh"):
        assert_finite_and_matches_torch(*ACTIVATIONS[name], Z, G)
    assert np.all(np.isfinite(log_softmax(Z)))


# --- interface ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_have_no_parameters_and_keep_dtype(name):
    make, _ = ACTIVATIONS[name]
    layer = make()
    assert layer.parameters() == {} and layer.gradients() == {}
    Z = np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)
    A = layer.forward(Z)
    assert A.dtype == np.float32
    assert layer.backward(np.ones_like(Z)).dtype == np.float32
    assert layer(Z).shape == (3, 4)  # calling the layer is forward


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_backward_before_forward_is_explained(name):
    make, _ = ACTIVATIONS[name]
    with pytest.raises(NNCoreError, match=r"\.backward was called before forward: run forward"):
        make().backward(np.ones((2, 3)))


def test_softmax_jacobian_before_forward_is_explained():
    with pytest.raises(NNCoreError, match=r"^Softmax\.jacobian\(\) was called before forward: run forward\(Z\)"):
        Softmax().jacobian()
    Z = np.array([[0.0, np.log(3.0)]])
    np.testing.assert_allclose(Softmax().jacobian(Z), [[[0.1875, -0.1875], [-0.1875, 0.1875]]])  # s = (1/4, 3/4)


def test_repr_names_the_layer():
    assert repr(ReLU()) == "ReLU()"
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"
