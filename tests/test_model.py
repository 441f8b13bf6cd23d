"""Sequential: forward, backward and training, proven against a torch model with the same weights.

Also: gradient checks of whole models, training on the spiral data, the fit history,
mini-batches and validation data, evaluation mode, and SGD against torch.optim.SGD.
"""

import math

import numpy as np
import pytest
import torch
from torch import nn

from nncore import gradcheck
from nncore.activations import LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Tanh
from nncore.data import spiral
from nncore.layers import Dense, Layer
from nncore.losses import MSE, BinaryCrossEntropy, CrossEntropy, SoftmaxCrossEntropy
from nncore.model import Sequential
from nncore.optim import SGD

TORCH_TOL = 1e-10


# --- a torch twin of an nncore model -----------------------------------------------------

TORCH_ACTIVATIONS = {ReLU: nn.ReLU, Tanh: nn.Tanh, Sigmoid: nn.Sigmoid, Linear: nn.Identity,
                     Softmax: lambda: nn.Softmax(dim=1)}


def torch_twin(model):
    """An nn.Sequential with the same layers and a copy of the same weights, in float64."""
    modules = []
    for layer in model.layers:
        if isinstance(layer, Dense):
            linear = nn.Linear(layer.n_in, layer.n_out, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.tensor(layer.W.T))  # torch keeps W as (out, in)
                linear.bias.copy_(torch.tensor(layer.b.ravel()))
            modules.append(linear)
        elif isinstance(layer, LeakyReLU):
            modules.append(nn.LeakyReLU(layer.alpha))
        else:
            modules.append(TORCH_ACTIVATIONS[type(layer)]())
    return nn.Sequential(*modules)


def torch_gradients(twin):
    """The twin's parameter gradients, named and shaped as nncore's model.gradients()."""
    grads = {}
    for i, module in enumerate(twin):
        if isinstance(module, nn.Linear):
            grads[f"layers[{i}].W"] = module.weight.grad.numpy().T
            grads[f"layers[{i}].b"] = module.bias.grad.numpy()[None, :]
    return grads


def torch_parameters(twin):
    params = {}
    for i, module in enumerate(twin):
        if isinstance(module, nn.Linear):
            params[f"layers[{i}].W"] = module.weight.detach().numpy().T
            params[f"layers[{i}].b"] = module.bias.detach().numpy()[None, :]
    return params


def classification_case(rng):
    model = Sequential([Dense(4, 8, seed=1), ReLU(), Dense(8, 6, seed=2), Tanh(),
                        Dense(6, 5, seed=3), LeakyReLU(0.1), Dense(5, 3, seed=4)])
    X, y = rng.standard_normal((10, 4)), rng.integers(0, 3, 10)
    return model, SoftmaxCrossEntropy(), nn.CrossEntropyLoss(), X, y, torch.tensor(y)


def softmax_output_case(rng):
    model = Sequential([Dense(4, 7, seed=1), Sigmoid(), Dense(7, 3, seed=2), Softmax()])
    X, y = rng.standard_normal((9, 4)), rng.integers(0, 3, 9)
    return model, CrossEntropy(), lambda P, t: nn.NLLLoss()(torch.log(P), t), X, y, torch.tensor(y)


def regression_case(rng):
    model = Sequential([Dense(3, 6, seed=1), Tanh(), Dense(6, 2, seed=2), Linear()])
    X, Y = rng.standard_normal((8, 3)), rng.standard_normal((8, 2))
    return model, MSE(), nn.MSELoss(), X, Y, torch.tensor(Y)


def binary_case(rng):
    model = Sequential([Dense(2, 5, seed=1), ReLU(), Dense(5, 1, seed=2), Sigmoid()])
    X, y = rng.standard_normal((12, 2)), rng.integers(0, 2, (12, 1)).astype(np.float64)
    return model, BinaryCrossEntropy(), nn.BCELoss(), X, y, torch.tensor(y)


CASES = [classification_case, softmax_output_case, regression_case, binary_case]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_forward_loss_and_every_gradient_equal_torch(case):
    model, loss, torch_loss, X, Y, Yt = case(np.random.default_rng(0))
    twin = torch_twin(model)

    A = model.forward(X)
    L = loss.forward(A, Y)
    dX = model.backward(loss.backward())

    Xt = torch.tensor(X, requires_grad=True)
    At = twin(Xt)
    Lt = torch_loss(At, Yt)
    Lt.backward()

    assert np.max(np.abs(A - At.detach().numpy())) < TORCH_TOL
    assert abs(L - Lt.item()) < TORCH_TOL
    grads, expected = model.gradients(), torch_gradients(twin)
    assert grads.keys() == expected.keys()
    for name in grads:
        assert grads[name].shape == expected[name].shape, name
        assert np.max(np.abs(grads[name] - expected[name])) < TORCH_TOL, name
    assert np.max(np.abs(dX - Xt.grad.numpy())) < TORCH_TOL


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_check_model_passes(case):
    model, loss, _, X, Y, _ = case(np.random.default_rng(1))
    # Finite differences are only valid away from a ReLU kink (see test_activations):
    # make sure no pre-activation of a ReLU or LeakyReLU is within 1e-3 of 0.
    A = X
    for layer in model.layers:
        if isinstance(layer, (ReLU, LeakyReLU)):
            assert np.min(np.abs(A)) > 1e-3
        A = layer.forward(A)
    errors = gradcheck.check_model(model, loss, X, Y)
    assert errors.keys() == model.parameters().keys()
    assert max(errors.values()) < 1e-7


def test_a_model_is_a_layer_and_passes_check_layer():
    model = Sequential([Dense(3, 4, seed=0), Tanh(), Dense(4, 2, seed=1)])
    errors = gradcheck.check_layer(model, np.random.default_rng(0).standard_normal((5, 3)))
    assert set(errors) == {"input X", "layers[0].W", "layers[0].b", "layers[2].W", "layers[2].b"}
    assert max(errors.values()) < 1e-7


# --- parameters, gradients, modes ----------------------------------------------------------

def test_parameters_and_gradients_have_matching_keys_and_are_the_layers_arrays():
    model = Sequential([Dense(2, 3, seed=0), ReLU(), Dense(3, 1, seed=1), Sigmoid()])
    params, grads = model.parameters(), model.gradients()
    assert list(params) == ["layers[0].W", "layers[0].b", "layers[2].W", "layers[2].b"]
    assert params.keys() == grads.keys()
    assert params["layers[2].W"] is model.layers[2].W  # in-place optimizer updates reach the layer
    for name in params:
        assert grads[name].shape == params[name].shape


class Recorder(Layer):
    """Records the training flag at each forward; halves its input while training (like dropout)."""

    def __init__(self):
        self.seen = []

    def forward(self, X):
        self.seen.append(self.training)
        return X * 0.5 if self.training else X

    def backward(self, dA):
        return dA * 0.5 if self.training else dA


def test_train_and_eval_flags_reach_every_layer_even_nested():
    inner = Sequential([Dense(2, 2, seed=0), Recorder()])
    model = Sequential([Dense(2, 2, seed=1), inner, ReLU()])
    assert model.eval() is model
    assert model.training is False and inner.training is False
    assert all(layer.training is False for layer in model.layers + inner.layers)
    assert model.train() is model
    assert all(layer.training is True for layer in model.layers + inner.layers)


def test_predict_and_evaluate_run_in_eval_mode_and_restore_the_mode():
    recorder = Recorder()
    model = Sequential([Dense(2, 3, seed=0), recorder])
    X, y = np.array([[1.0, 2.0], [-1.0, 0.5]]), np.array([0, 2])
    model.train()
    A_eval = model.layers[0].forward(X)  # what the model outputs in eval mode
    pred = model.predict(X, loss=SoftmaxCrossEntropy())
    L, acc = model.evaluate(X, y, loss=SoftmaxCrossEntropy())
    assert recorder.seen == [False, False]
    assert model.training is True and recorder.training is True  # back to training mode
    np.testing.assert_array_equal(pred, np.argmax(A_eval, axis=1))
    assert L == pytest.approx(SoftmaxCrossEntropy().forward(A_eval, y))
    assert acc == np.mean(np.argmax(A_eval, axis=1) == y)
    model.eval()
    model.predict(X, loss=SoftmaxCrossEntropy())
    assert model.training is False  # and eval mode stays eval mode


def test_fit_trains_in_training_mode_validates_in_eval_mode_and_ends_in_eval_mode():
    recorder = Recorder()
    model = Sequential([Dense(2, 3, seed=0), recorder])
    X, y = spiral(10, 3, seed=0)
    model.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.1), epochs=2, validation_data=(X, y))
    assert recorder.seen == [True, False, True, False]
    assert model.training is False


def test_predict_uses_the_loss_from_fit():
    X, y = spiral(20, 3, seed=0)
    model = Sequential([Dense(2, 8, seed=0), ReLU(), Dense(8, 3, seed=1)])
    model.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.5), epochs=3)
    pred = model.predict(X)
    assert pred.shape == (60,) and pred.dtype.kind == "i"
    np.testing.assert_array_equal(pred, np.argmax(model.forward(X), axis=1))
    assert model.evaluate(X, y) == model.evaluate(X, y, loss=SoftmaxCrossEntropy())


# --- training ---------------------------------------------------------------------------

def test_fit_learns_the_spiral():
    X, y = spiral(100, 3, seed=0)
    model = Sequential([Dense(2, 64, seed=0), ReLU(), Dense(64, 3, seed=1)])
    history = model.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=1.0, momentum=0.9), epochs=300)
    # A straight-line classifier gets about 0.5 on three spiral arms; this net gets about 0.99.
    assert history["accuracy"][-1] > 0.95
    assert history["loss"][-1] < 0.1 < history["loss"][0]
    X_new, y_new = spiral(100, 3, seed=1)  # fresh noise, same arms
    loss, accuracy = model.evaluate(X_new, y_new)
    assert accuracy > 0.9 and loss < 0.5


def test_fit_history_has_one_entry_per_epoch():
    X, y = spiral(20, 3, seed=0)
    model = Sequential([Dense(2, 16, seed=0), ReLU(), Dense(16, 3, seed=1)])
    history = model.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.5), epochs=7)
    assert set(history) == {"loss", "accuracy"}
    assert len(history["loss"]) == len(history["accuracy"]) == 7
    assert all(isinstance(v, float) and 0 <= a <= 1 for v, a in zip(history["loss"], history["accuracy"]))
    assert history["loss"][-1] < history["loss"][0]


def test_fit_is_deterministic():
    X, y = spiral(30, 3, seed=0)

    def run():
        model = Sequential([Dense(2, 16, seed=0), ReLU(), Dense(16, 3, seed=1)])
        history = model.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.3), epochs=5, batch_size=16, seed=3)
        return history, model.parameters()

    (h1, p1), (h2, p2) = run(), run()
    assert h1 == h2
    for name in p1:
        np.testing.assert_array_equal(p1[name], p2[name])


def test_batch_size_sets_the_number_of_steps_and_validation_data_is_recorded():
    X, y = spiral(50, 3, seed=0)            # 150 samples
    X_val, y_val = spiral(20, 3, seed=1)
    model = Sequential([Dense(2, 32, seed=0), ReLU(), Dense(32, 3, seed=1)])
    optimizer = SGD(lr=0.5, momentum=0.9)
    history = model.fit(X, y, SoftmaxCrossEntropy(), optimizer, epochs=40, batch_size=32,
                        validation_data=(X_val, y_val))
    assert optimizer.iterations == 40 * math.ceil(150 / 32)  # the last batch of each epoch has 22
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 40 for v in history.values())
    assert history["val_loss"][-1] < history["val_loss"][0]
    assert history["val_accuracy"][-1] > 0.8
    # The last validation entry is the model's score on the validation data, after training.
    assert (history["val_loss"][-1], history["val_accuracy"][-1]) == model.evaluate(X_val, y_val)


def test_full_batch_is_one_step_per_epoch_and_batch_mean_matches_loss():
    X, y = spiral(10, 3, seed=0)
    model = Sequential([Dense(2, 4, seed=0), Tanh(), Dense(4, 3, seed=1)])
    L_before = SoftmaxCrossEntropy().forward(model.forward(X), y)
    optimizer = SGD(lr=0.1)
    history = model.fit(X, y, SoftmaxCrossEntropy(), optimizer, epochs=3, shuffle=False)
    assert optimizer.iterations == 3
    assert history["loss"][0] == pytest.approx(L_before)  # the loss before the first step


def test_fit_on_regression_records_no_accuracy():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (64, 1))
    Y = np.sin(3 * X)
    model = Sequential([Dense(1, 16, seed=0), Tanh(), Dense(16, 1, seed=1)])
    history = model.fit(X, Y, MSE(), SGD(lr=0.2, momentum=0.9), epochs=200)
    assert history["accuracy"] == [None] * 200
    assert history["loss"][-1] < 0.1 * history["loss"][0]
    assert model.predict(X).shape == (64, 1)


# --- one optimizer, against torch ---------------------------------------------------------

@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_steps_equal_torch_sgd(momentum):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((16, 3)), rng.integers(0, 4, 16)
    model = Sequential([Dense(3, 5, seed=0), ReLU(), Dense(5, 4, seed=1)])
    twin = torch_twin(model)
    loss, torch_loss = SoftmaxCrossEntropy(), nn.CrossEntropyLoss()
    optimizer = SGD(lr=0.1, momentum=momentum)
    torch_optimizer = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=momentum, weight_decay=0)
    Xt, yt = torch.tensor(X), torch.tensor(y)

    for step in range(5):
        batch = slice(4 * (step % 4), 4 * (step % 4) + 4)  # a different mini-batch each step
        loss.forward(model.forward(X[batch]), y[batch])
        model.backward(loss.backward())
        optimizer.step(model.parameters(), model.gradients())

        torch_optimizer.zero_grad()
        torch_loss(twin(Xt[batch]), yt[batch]).backward()
        torch_optimizer.step()

        expected = torch_parameters(twin)
        for name, p in model.parameters().items():
            assert np.max(np.abs(p - expected[name])) < TORCH_TOL, (step, name)
    assert optimizer.iterations == 5
