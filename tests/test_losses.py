"""Losses: every formula proven by a gradient check and against PyTorch.

Each case builds predictions A and targets Y for a random batch (shapes drawn by
hypothesis, float64), then checks loss.backward() against central differences of
loss.forward (relative error < 1e-7) and both against torch autograd
(largest absolute difference < 1e-10).
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import gradcheck
from nncore.activations import Softmax, softmax
from nncore.losses import MSE, BinaryCrossEntropy, CrossEntropy, SoftmaxCrossEntropy

FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)
TORCH_TOL = 1e-10
GRAD_TOL = 1e-7

rows = st.integers(1, 8)
classes = st.integers(2, 6)
seeds = st.integers(0, 2**32 - 1)


def one_hot(y, C):
    return np.eye(C)[y]


def probabilities(rng, N, C):
    """Rows that sum to 1 with every entry at least 0.5 / C.

    Far enough from 0 that the O(h^2) error of central differences on log(A)
    (about h^2 / A^2) stays well under the 1e-7 tolerance.
    """
    P = rng.uniform(0.5, 1.0, (N, C))
    return P / P.sum(axis=1, keepdims=True)


def make_case(name, N, C, seed):
    """(loss, A, Y, torch_loss) where torch_loss(At) is the same loss in torch."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, C, N)
    if name == "MSE":
        A, Y = rng.standard_normal((N, C)), rng.standard_normal((N, C))
        return MSE(), A, Y, lambda At: F.mse_loss(At, torch.tensor(Y))
    if name == "BinaryCrossEntropy":
        A = rng.uniform(0.1, 0.9, (N, C))
        # Hard 0/1 targets in some columns, soft targets in others: BCE allows both.
        Y = np.where(rng.random((N, C)) < 0.5, rng.integers(0, 2, (N, C)), rng.random((N, C)))
        return BinaryCrossEntropy(), A, Y, lambda At: F.binary_cross_entropy(At, torch.tensor(Y))
    if name == "CrossEntropy, integer labels":
        A = probabilities(rng, N, C)
        return CrossEntropy(), A, y, lambda At: F.nll_loss(torch.log(At), torch.tensor(y))
    if name == "CrossEntropy, one-hot":
        A, Y = probabilities(rng, N, C), one_hot(y, C)
        return CrossEntropy(), A, Y, lambda At: -(torch.tensor(Y) * torch.log(At)).sum() / N
    # Logits in [-3, 3]: with normal logits a rare confident sample has gradients near 3e-5, where the
    # rounding of finite differences alone exceeds the 1e-7 tolerance of the gradient check.
    if name == "SoftmaxCrossEntropy, integer labels":
        Z = rng.uniform(-3, 3, (N, C))
        return SoftmaxCrossEntropy(), Z, y, lambda Zt: F.cross_entropy(Zt, torch.tensor(y))
    if name == "SoftmaxCrossEntropy, one-hot":
        Z, Y = rng.uniform(-3, 3, (N, C)), one_hot(y, C)
        # torch's cross_entropy takes class probabilities as a float target of shape (N, C).
        return SoftmaxCrossEntropy(), Z, Y, lambda Zt: F.cross_entropy(Zt, torch.tensor(Y))
    raise AssertionError(name)


CASES = ["MSE", "BinaryCrossEntropy", "CrossEntropy, integer labels", "CrossEntropy, one-hot",
         "SoftmaxCrossEntropy, integer labels", "SoftmaxCrossEntropy, one-hot"]


@pytest.mark.parametrize("name", CASES)
@FAST
@given(N=rows, C=classes, seed=seeds)
def test_loss_passes_gradient_check(name, N, C, seed):
    loss, A, Y, _ = make_case(name, N, C, seed)
    assert gradcheck.check_loss(loss, A, Y, tol=GRAD_TOL) < GRAD_TOL


@pytest.mark.parametrize("name", CASES)
@FAST
@given(N=rows, C=classes, seed=seeds)
def test_loss_and_gradient_equal_torch(name, N, C, seed):
    loss, A, Y, torch_loss = make_case(name, N, C, seed)
    L = loss.forward(A, Y)
    dA = loss.backward()
    At = torch.tensor(A, requires_grad=True)
    Lt = torch_loss(At)
    Lt.backward()
    assert isinstance(L, float)
    assert dA.shape == A.shape and dA.dtype == np.float64
    assert abs(L - Lt.item()) < TORCH_TOL
    assert np.max(np.abs(dA - At.grad.numpy())) < TORCH_TOL


def test_mse_accepts_flat_targets_for_one_output():
    A = np.array([[1.0], [2.0], [4.0]])
    loss = MSE()
    assert loss.forward(A, np.array([1.0, 1.0, 1.0])) == pytest.approx((0 + 1 + 9) / 3)
    np.testing.assert_allclose(loss.backward(), 2 * np.array([[0.0], [1.0], [3.0]]) / 3)
    assert gradcheck.check_loss(MSE(), A, np.array([0.5, 1.0, 2.0])) < GRAD_TOL


def test_bce_accepts_flat_targets_for_one_output():
    A = np.array([[0.8], [0.3]])
    expected = -(np.log(0.8) + np.log(0.7)) / 2
    assert BinaryCrossEntropy().forward(A, np.array([1, 0])) == pytest.approx(expected)


# --- softmax + cross-entropy, fused and not ----------------------------------------------

@FAST
@given(N=rows, C=classes, seed=seeds)
def test_fused_gradient_is_softmax_minus_one_hot_over_N(N, C, seed):
    rng = np.random.default_rng(seed)
    Z, y = 3 * rng.standard_normal((N, C)), rng.integers(0, C, N)
    fused = SoftmaxCrossEntropy()
    L = fused.forward(Z, y)
    dZ = fused.backward()
    np.testing.assert_allclose(dZ, (softmax(Z) - one_hot(y, C)) / N, rtol=0, atol=1e-15)

    # The long way: softmax layer, cross-entropy on its probabilities, back through the Jacobian.
    layer, ce = Softmax(), CrossEntropy()
    L_long = ce.forward(layer.forward(Z), y)
    dZ_long = layer.backward(ce.backward())
    assert L == pytest.approx(L_long, rel=1e-12)
    assert np.max(np.abs(dZ - dZ_long)) < 1e-12

    # Integer labels and one-hot rows are the same thing.
    assert fused.forward(Z, one_hot(y, C)) == L
    np.testing.assert_array_equal(fused.backward(), dZ)
    np.testing.assert_array_equal(fused.probabilities(Z), softmax(Z))


@FAST
@given(N=rows, C=classes, seed=seeds)
def test_cross_entropy_integer_and_one_hot_agree(N, C, seed):
    rng = np.random.default_rng(seed)
    A, y = probabilities(rng, N, C), rng.integers(0, C, N)
    loss = CrossEntropy()
    L_int, dA_int = loss.forward(A, y), loss.backward()
    L_hot, dA_hot = loss.forward(A, one_hot(y, C)), loss.backward()
    assert L_int == L_hot == pytest.approx(-np.mean(np.log(A[np.arange(N), y])))
    np.testing.assert_array_equal(dA_int, dA_hot)
    # Labels as an (N, 1) column or as whole-number floats are accepted too.
    assert loss.forward(A, y.reshape(-1, 1)) == L_int
    assert loss.forward(A, y.astype(np.float64)) == L_int


@pytest.mark.parametrize("name", CASES)
def test_gradient_includes_the_one_over_N(name):
    # Repeating the batch twice leaves the mean loss unchanged and halves each row's gradient.
    loss, A, Y, _ = make_case(name, 3, 4, seed=5)
    L, dA = loss.forward(A, Y), loss.backward()
    L2 = loss.forward(np.concatenate([A, A]), np.concatenate([Y, Y]))
    dA2 = loss.backward()
    assert L2 == pytest.approx(L, rel=1e-12)
    np.testing.assert_allclose(dA2[:3], dA / 2, rtol=1e-12)


# --- extreme inputs -----------------------------------------------------------------------

def test_softmax_cross_entropy_is_finite_for_logits_of_1e4():
    Z = np.array([[1e4, -1e4, 0.0], [1e4, 1e4, 1e4], [-1e4, 0.0, 1e4]])
    y = np.array([1, 2, 2])
    loss = SoftmaxCrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        L = loss.forward(Z, y)
        dZ = loss.backward()
    assert np.isfinite(L) and np.all(np.isfinite(dZ))
    # Sample 0 pays 2e4 (its label's logit is 2e4 below the best), sample 1 log 3, sample 2 nothing.
    assert L == pytest.approx((2e4 + np.log(3.0) + 0.0) / 3, rel=1e-15)
    Zt = torch.tensor(Z, requires_grad=True)
    Lt = F.cross_entropy(Zt, torch.tensor(y))
    Lt.backward()
    assert abs(L - Lt.item()) < TORCH_TOL
    assert np.max(np.abs(dZ - Zt.grad.numpy())) < TORCH_TOL


@FAST
@given(N=rows, C=classes, seed=seeds)
def test_softmax_cross_entropy_stays_finite_up_to_1e4(N, C, seed):
    rng = np.random.default_rng(seed)
    Z, y = rng.uniform(-1e4, 1e4, (N, C)), rng.integers(0, C, N)
    loss = SoftmaxCrossEntropy()
    L, dZ = loss.forward(Z, y), loss.backward()
    Zt = torch.tensor(Z, requires_grad=True)
    F.cross_entropy(Zt, torch.tensor(y)).backward()
    assert np.isfinite(L) and np.all(np.isfinite(dZ))
    assert np.max(np.abs(dZ - Zt.grad.numpy())) < TORCH_TOL


def test_binary_cross_entropy_is_finite_at_probabilities_0_and_1():
    A = np.array([[0.0], [1.0], [0.0], [1.0]])
    loss = BinaryCrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        L_right = loss.forward(A, np.array([[0.0], [1.0], [0.0], [1.0]]))
        dA_right = loss.backward()
        L_wrong = loss.forward(A, np.array([[1.0], [0.0], [1.0], [0.0]]))
        dA_wrong = loss.backward()
    assert 0.0 <= L_right < 1e-12  # certain and right: (almost) nothing to pay
    # Certain and wrong: large but finite, -log(eps) with eps = 2.2e-16 (torch caps at 100 instead).
    assert L_wrong == pytest.approx(-np.log(np.finfo(np.float64).eps), rel=1e-9)
    assert np.all(np.isfinite(dA_right)) and np.all(np.isfinite(dA_wrong))
    assert np.all(dA_wrong[[0, 2]] < 0) and np.all(dA_wrong[[1, 3]] > 0)  # pushes towards the truth


def test_cross_entropy_is_finite_at_probabilities_0_and_1():
    A = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    loss = CrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        L_right = loss.forward(A, np.array([0, 1]))
        dA_right = loss.backward()
        L_wrong = loss.forward(A, np.array([2, 1]))  # sample 0 gave its true class probability 0
        dA_wrong = loss.backward()
    assert L_right == 0.0
    assert L_wrong == pytest.approx(-np.log(1e-12) / 2)  # clipped at 1e-12: about 27.6 / 2
    assert np.all(np.isfinite(dA_right)) and np.all(np.isfinite(dA_wrong))
    assert dA_wrong[0, 2] < 0  # raise the true class's probability


# --- predictions and accuracy ----------------------------------------------------------

def test_predict_and_accuracy():
    Z = np.array([[2.0, 1.0, 0.0], [0.0, 0.5, 3.0], [1.0, 4.0, 0.0], [0.0, 0.0, 1.0]])
    y = np.array([0, 2, 0, 2])
    for loss in (SoftmaxCrossEntropy(), CrossEntropy()):
        np.testing.assert_array_equal(loss.predict(Z), [0, 2, 1, 2])
        assert loss.accuracy(Z, y) == 0.75
        assert loss.accuracy(Z, one_hot(y, 3)) == 0.75

    A = np.array([[0.9], [0.2], [0.6], [0.4]])
    bce = BinaryCrossEntropy()
    np.testing.assert_array_equal(bce.predict(A), [[1], [0], [1], [0]])
    assert bce.accuracy(A, np.array([1, 0, 0, 0])) == 0.75
    np.testing.assert_array_equal(bce.predict(np.array([[0.5], [0.5 + 1e-12]])), [[0], [1]])  # A > 0.5 is 1

    mse = MSE()
    np.testing.assert_array_equal(mse.predict(A), A)  # regression: the outputs themselves
    assert mse.accuracy(A, A) is None


def test_call_is_forward_and_repr():
    A, y = np.array([[0.2, 0.8]]), np.array([1])
    assert CrossEntropy()(A, y) == CrossEntropy().forward(A, y) == pytest.approx(-np.log(0.8))
    assert repr(SoftmaxCrossEntropy()) == "SoftmaxCrossEntropy()"


def test_integer_predictions_do_not_truncate_the_targets():
    loss = MSE()
    assert loss.forward(np.array([[1], [0]]), np.array([0.5, 0.5])) == pytest.approx(0.25)
    np.testing.assert_allclose(loss.backward().ravel(), [0.5, -0.5])
    bce = BinaryCrossEntropy()
    assert np.isfinite(bce.forward(np.array([[1], [0]]), np.array([1.0, 0.0])))
