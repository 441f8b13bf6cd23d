"""Regularization: L1/L2 penalties in Dense, Dropout and GaussianNoise.

Penalties: the value, gradient checks of the whole objective, PyTorch's autograd
on the same objective, and L2 as torch's weight_decay = 2 * l2.
Dropout: train vs eval, the 1/(1 - rate) scale, the same mask in backward,
gradient checks with a fixed mask, and clear errors for bad rates.
"""

import math

import numpy as np
import pytest
import torch

from nncore import gradcheck
from nncore.activations import ReLU, Tanh
from nncore.errors import NNCoreError
from nncore.layers import Dense, Layer
from nncore.losses import MSE, SoftmaxCrossEntropy
from nncore.model import Sequential
from nncore.optim import SGD
from nncore.regularization import Dropout, GaussianNoise, RegularizedLoss

STRENGTHS = dict(l1=0.03, l2=0.05, l1_bias=0.02, l2_bias=0.04)


def regularized_dense(n_in, n_out, seed, **strengths):
    """A Dense layer with a non-zero bias, so the bias terms are really tested."""
    layer = Dense(n_in, n_out, seed=seed, **strengths)
    layer.b[...] = np.random.default_rng(seed + 100).standard_normal(layer.b.shape)
    return layer


# --- L1 and L2 penalties -------------------------------------------------------------------

def test_penalty_value_is_the_formula():
    layer = regularized_dense(4, 3, seed=0, **STRENGTHS)
    W, b = layer.W, layer.b
    expected = (0.03 * np.abs(W).sum() + 0.05 * (W ** 2).sum()
                + 0.02 * np.abs(b).sum() + 0.04 * (b ** 2).sum())
    assert isinstance(layer.penalty(), float)
    assert layer.penalty() == pytest.approx(expected, rel=1e-12)
    assert layer.regularized


def test_no_penalty_by_default_and_repr_unchanged():
    layer = Dense(3, 4, seed=0)
    assert layer.penalty() == 0.0 and not layer.regularized
    assert repr(layer) == "Dense(3, 4)"
    assert Layer().penalty() == 0.0 and ReLU().penalty() == 0.0
    assert repr(Dense(3, 4, l2=0.01)) == "Dense(3, 4, l2=0.01)"


@pytest.mark.parametrize("name", ["l1", "l2", "l1_bias", "l2_bias"])
@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf, "0.1", None, True])
def test_bad_strength_is_explained(name, bad):
    with pytest.raises(NNCoreError, match=f"Dense {name}: expected a number >= 0"):
        Dense(2, 3, **{name: bad})


def test_strengths_are_keyword_only():
    with pytest.raises(TypeError):
        Dense(2, 3, "he", 0, np.float64, 0.1)


def test_sequential_penalty_sums_the_layers():
    a, b = regularized_dense(3, 5, 0, l2=0.1), regularized_dense(5, 2, 1, l1=0.2)
    model = Sequential([a, Tanh(), b])
    assert model.penalty() == pytest.approx(a.penalty() + b.penalty(), rel=1e-12)
    assert model.regularized
    assert not Sequential([Dense(3, 2), ReLU()]).regularized
    assert Sequential([Dense(3, 2), ReLU()]).penalty() == 0.0


def test_penalty_gradient_is_added_in_backward():
    layer = regularized_dense(4, 3, seed=1, **STRENGTHS)
    plain = Dense(4, 3, seed=1)
    plain.b[...] = layer.b
    X = np.random.default_rng(0).standard_normal((5, 4))
    G = np.random.default_rng(1).standard_normal((5, 3))
    layer.forward(X)
    plain.forward(X)
    dX = layer.backward(G)
    np.testing.assert_array_equal(dX, plain.backward(G))  # the penalty does not touch dX
    W, b = layer.W, layer.b
    np.testing.assert_allclose(layer.dW, plain.dW + 0.03 * np.sign(W) + 2 * 0.05 * W, rtol=1e-12)
    np.testing.assert_allclose(layer.db, plain.db + 0.02 * np.sign(b) + 2 * 0.04 * b, rtol=1e-12)


@pytest.mark.parametrize("strengths", [dict(l2=0.05), dict(l1=0.03), STRENGTHS],
                         ids=["l2", "l1", "all four"])
def test_gradient_check_of_the_regularized_objective(strengths):
    rng = np.random.default_rng(0)
    model = Sequential([regularized_dense(3, 6, 0, **strengths), Tanh(),
                        regularized_dense(6, 4, 1, **strengths)])
    X, y = rng.standard_normal((7, 3)), rng.integers(0, 4, 7)
    objective = RegularizedLoss(SoftmaxCrossEntropy(), model)
    errors = gradcheck.check_model(model, objective, X, y)
    assert errors.keys() == model.parameters().keys()
    assert max(errors.values()) < 1e-7


def test_gradient_check_fails_if_the_penalty_is_left_out_of_the_loss():
    """The check is sharp: the data loss alone does not match the regularized gradients."""
    rng = np.random.default_rng(0)
    model = Sequential([regularized_dense(3, 4, 0, l2=0.5), Tanh(), Dense(4, 2, seed=1)])
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 2, 6)
    with pytest.raises(gradcheck.GradientCheckError, match="layers\\[0\\].W"):
        gradcheck.check_model(model, SoftmaxCrossEntropy(), X, y)


def test_loss_and_gradients_equal_torch_autograd():
    rng = np.random.default_rng(0)
    model = Sequential([regularized_dense(4, 5, 0, **STRENGTHS), ReLU(),
                        regularized_dense(5, 3, 1, **STRENGTHS)])
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    objective = RegularizedLoss(SoftmaxCrossEntropy(), model)
    L = objective.forward(model.forward(X), y)
    model.backward(objective.backward())

    params = {k: torch.tensor(v, requires_grad=True) for k, v in model.parameters().items()}
    H = torch.relu(torch.tensor(X) @ params["layers[0].W"] + params["layers[0].b"])
    Z = H @ params["layers[2].W"] + params["layers[2].b"]
    Lt = torch.nn.functional.cross_entropy(Z, torch.tensor(y))
    for i in (0, 2):
        W, b = params[f"layers[{i}].W"], params[f"layers[{i}].b"]
        Lt = Lt + 0.03 * W.abs().sum() + 0.05 * (W ** 2).sum() + 0.02 * b.abs().sum() + 0.04 * (b ** 2).sum()
    Lt.backward()
    assert abs(L - Lt.item()) < 1e-12
    for name, g in model.gradients().items():
        np.testing.assert_allclose(g, params[name].grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


def test_l2_step_equals_torch_weight_decay_of_twice_the_strength():
    """SGD on loss + l2 * sum(w^2) is torch's SGD(weight_decay=2 * l2): the gradient of w^2 is 2w."""
    rng = np.random.default_rng(0)
    l2, lr = 0.01, 0.1
    layer = regularized_dense(3, 2, 0, l2=l2, l2_bias=l2)
    X, Y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    W0, b0 = torch.tensor(layer.W.copy(), requires_grad=True), torch.tensor(layer.b.copy(), requires_grad=True)
    opt = torch.optim.SGD([W0, b0], lr=lr, weight_decay=2 * l2)
    loss = MSE()
    for _ in range(3):
        loss.forward(layer.forward(X), Y)
        layer.backward(loss.backward())
        SGD(lr=lr).step(layer.parameters(), layer.gradients())
        opt.zero_grad()
        torch.nn.functional.mse_loss(torch.tensor(X) @ W0 + b0, torch.tensor(Y)).backward()
        opt.step()
    np.testing.assert_allclose(layer.W, W0.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.b, b0.detach().numpy(), rtol=1e-12)


def test_fit_reports_data_loss_plus_penalty():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)), rng.integers(0, 2, 20)
    model = Sequential([regularized_dense(3, 4, 0, l2=0.1), Tanh(), Dense(4, 2, seed=1)])
    loss = SoftmaxCrossEntropy()
    data_loss, penalty = loss.forward(model.forward(X), y), model.penalty()
    history = model.fit(X, y, loss, SGD(lr=0.1), epochs=3, validation_data=(X, y))  # full batch
    assert set(history) == {"loss", "data_loss", "accuracy", "val_loss", "val_accuracy"}
    # With one full batch per epoch, epoch 1 reports the loss before the first step.
    assert history["data_loss"][0] == pytest.approx(data_loss, rel=1e-12)
    assert history["loss"][0] == pytest.approx(data_loss + penalty, rel=1e-12)
    assert all(t > d for t, d in zip(history["loss"], history["data_loss"]))


def test_l2_keeps_weights_smaller():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 5)), rng.integers(0, 3, 40)

    def trained_norm(l2):
        model = Sequential([Dense(5, 16, seed=0, l2=l2), ReLU(), Dense(16, 3, seed=1, l2=l2)])
        model.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.2), epochs=200)
        return sum(float((p ** 2).sum()) for p in model.parameters().values())

    assert trained_norm(0.01) < 0.7 * trained_norm(0.0)


# --- Dropout ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5, math.nan, "0.5", None, True])
def test_dropout_rate_is_validated(bad):
    with pytest.raises(NNCoreError, match=r"Dropout rate: expected a number in \[0, 1\)"):
        Dropout(bad)


def test_dropout_train_scales_kept_units_and_eval_is_identity():
    X = np.random.default_rng(0).uniform(1, 2, (200, 50))
    layer = Dropout(0.25, seed=0)
    A = layer.forward(X)
    kept = A != 0
    np.testing.assert_allclose(A[kept], X[kept] / 0.75, rtol=1e-15)
    assert abs(kept.mean() - 0.75) < 0.01  # 10000 entries: the std of the fraction is 0.0043

    layer.training = False
    np.testing.assert_array_equal(layer.forward(X), X)
    np.testing.assert_array_equal(layer.backward(X), X)


def test_dropout_preserves_the_mean_activation():
    """Inverted dropout keeps E[A] = X; dropping without the 1/(1 - rate) scale shrinks it to (1 - rate) X."""
    X = np.ones((2000, 500))
    rate = 0.3
    A = Dropout(rate, seed=1).forward(X)
    # Each entry is 0 or 1/0.7: its std is sqrt(rate / (1 - rate)) = 0.65, so the mean of
    # 10^6 entries has std 6.5e-4; 0.005 is more than 7 standard deviations.
    assert abs(A.mean() - 1.0) < 0.005
    kept = A != 0  # the common mistake, the same mask without the rescaling, would give about 1 - rate
    assert abs(kept.mean() - (1 - rate)) < 0.005 and np.allclose(A[kept], 1 / (1 - rate))


def test_dropout_backward_uses_the_forward_mask():
    rng = np.random.default_rng(0)
    X, G = rng.uniform(1, 2, (30, 20)), rng.standard_normal((30, 20))
    layer = Dropout(0.5, seed=3)
    A = layer.forward(X)
    dX = layer.backward(G)
    np.testing.assert_allclose(dX, G * (A / X), rtol=1e-15)
    np.testing.assert_array_equal(dX == 0, A == 0)
    # A second forward draws a new mask, and backward follows it.
    A2 = layer.forward(X)
    assert not np.array_equal(A2 == 0, A == 0)
    np.testing.assert_allclose(layer.backward(G), G * (A2 / X), rtol=1e-15)


def test_dropout_is_repeatable_with_a_seed():
    X = np.ones((10, 10))
    a, b = Dropout(0.5, seed=7), Dropout(0.5, seed=7)
    for _ in range(3):
        A = a.forward(X)
        np.testing.assert_array_equal(A, b.forward(X))
        assert (A == 0).any()  # it does drop something
    assert not np.array_equal(Dropout(0.5, seed=8).forward(X), Dropout(0.5, seed=7).forward(X))


class FixedMaskDropout(Dropout):
    """Dropout that draws the same mask on every forward, so finite differences see one function."""

    def forward(self, X):
        self.rng = np.random.default_rng(0)
        return super().forward(X)


def test_dropout_gradient_check_with_a_fixed_mask():
    X = np.random.default_rng(0).standard_normal((6, 5))
    errors = gradcheck.check_layer(FixedMaskDropout(0.4), X)
    assert errors["input X"] < 1e-9


def test_model_with_dropout_gradient_check():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 8, seed=0), ReLU(), FixedMaskDropout(0.5), Dense(8, 3, seed=1)])
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 3, 6)
    errors = gradcheck.check_model(model, SoftmaxCrossEntropy(), X, y)
    assert max(errors.values()) < 1e-7


def test_dropout_in_a_model_is_off_in_predict_and_evaluate():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 8, seed=0), ReLU(), Dropout(0.5, seed=0), Dense(8, 3, seed=1)])
    X, y = rng.standard_normal((10, 3)), rng.integers(0, 3, 10)
    model.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.1), epochs=2)
    assert not model.layers[2].training  # fit leaves the model in evaluation mode
    np.testing.assert_array_equal(model.forward(X), model.forward(X))
    first = model.evaluate(X, y)
    assert model.evaluate(X, y) == first
    model.train()
    assert not np.array_equal(model.forward(X), model.forward(X))
    # predict and evaluate switch to evaluation mode themselves, and back
    np.testing.assert_array_equal(model.predict(X), model.predict(X))
    assert model.evaluate(X, y) == first and model.training


def test_dropout_keeps_float32_and_matches_torch_scaling():
    X = np.ones((100, 100), dtype=np.float32)
    A = Dropout(0.2, seed=0).forward(X)
    assert A.dtype == np.float32
    At = torch.nn.functional.dropout(torch.ones(100, 100), p=0.2, training=True)
    # torch also uses inverted dropout: every kept unit is x / (1 - p).
    assert set(np.unique(A)) == {0.0, np.float32(1 / 0.8)}
    assert set(np.unique(At.numpy())) == {0.0, np.float32(1 / 0.8)}


def test_dropout_rate_zero_and_backward_before_forward():
    X = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(Dropout(0.0).forward(X), X)
    with pytest.raises(NNCoreError, match="before forward"):
        Dropout(0.5).backward(X)
    layer = Dropout(0.5, seed=0)
    layer.forward(X)
    with pytest.raises(NNCoreError, match="shape"):
        layer.backward(np.ones((3, 3)))


# --- GaussianNoise ---------------------------------------------------------------------------

def test_gaussian_noise_in_training_only():
    X = np.zeros((1000, 100))
    layer = GaussianNoise(0.5, seed=0)
    A = layer.forward(X)
    assert abs(A.mean()) < 0.005 and abs(A.std() - 0.5) < 0.005  # 10^5 draws
    G = np.random.default_rng(1).standard_normal(X.shape)
    np.testing.assert_array_equal(layer.backward(G), G)
    layer.training = False
    np.testing.assert_array_equal(layer.forward(X), X)


def test_gaussian_noise_gradient_check_and_dtype():
    class FixedNoise(GaussianNoise):
        def forward(self, X):
            self.rng = np.random.default_rng(0)
            return super().forward(X)

    X = np.random.default_rng(0).standard_normal((4, 3))
    assert gradcheck.check_layer(FixedNoise(0.3), X)["input X"] < 1e-9
    assert GaussianNoise(0.1, seed=0).forward(np.ones((2, 2), np.float32)).dtype == np.float32


@pytest.mark.parametrize("bad", [-1.0, math.nan, "0.1", None])
def test_gaussian_noise_std_is_validated(bad):
    with pytest.raises(NNCoreError, match="GaussianNoise std: expected a number >= 0"):
        GaussianNoise(bad)
    with pytest.raises(NNCoreError, match="before forward"):
        GaussianNoise(0.1).backward(np.ones((2, 2)))


def test_integer_inputs_are_scaled_and_noised_as_floats():
    X = np.full((1000, 100), 10)
    assert Dropout(0.3, seed=0).forward(X).mean() == pytest.approx(10, rel=0.01)
    assert (GaussianNoise(0.5, seed=0).forward(X) - X).std() == pytest.approx(0.5, rel=0.01)


@pytest.mark.parametrize("strength", [dict(l1_bias=0.03), dict(l2_bias=0.05)])
def test_a_bias_only_penalty_counts_in_the_loss_and_the_gradients(strength):
    layer = Dense(3, 2, seed=0, **strength)
    layer.b[...] = [[0.5, -1.0]]
    assert layer.regularized and layer.penalty() > 0
    model = Sequential([layer, Tanh(), Dense(2, 2, seed=1)])
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 3)), np.array([0, 1, 0, 1, 1])
    errors = gradcheck.check_model(model, RegularizedLoss(SoftmaxCrossEntropy(), model), X, y)
    assert max(errors.values()) < 1e-7
