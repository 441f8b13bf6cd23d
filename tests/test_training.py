"""Sequential.fit's training-loop options: early stopping, the progress bar, the NaN guard.

Also: the training step skips the first layer's dX (the gradient for the data)
without changing any parameter gradient.
"""

import numpy as np
import pytest

from nncore.activations import ReLU, Sigmoid, Tanh
from nncore.data import spiral, train_val_split
from nncore.errors import NNCoreError
from nncore.layers import Dense, Layer
from nncore.losses import MSE, SoftmaxCrossEntropy
from nncore.model import Sequential
from nncore.optim import SGD, Adam
from nncore.regularization import Dropout


def overfitting_case():
    """A big network on few noisy spiral points: the validation loss soon goes up again."""
    X, y = spiral(30, 3, noise=0.3, seed=0)
    X_train, X_val, y_train, y_val = train_val_split(X, y, 0.5, seed=0)
    model = Sequential([Dense(2, 64, seed=0), ReLU(), Dense(64, 64, seed=1), ReLU(), Dense(64, 3, seed=2)])
    return model, X_train, y_train, (X_val, y_val)


# --- early stopping ------------------------------------------------------------------------------

def test_early_stopping_stops_and_restores_the_best_parameters():
    model, X, y, val = overfitting_case()
    history = model.fit(X, y, SoftmaxCrossEntropy(), Adam(0.01), epochs=300, validation_data=val,
                        early_stopping=10)
    stopped, best = history["stopped_epoch"], history["best_epoch"]
    assert stopped is not None and stopped < 300
    assert len(history["val_loss"]) == len(history["loss"]) == stopped
    assert stopped - best == 10
    assert best == int(np.argmin(history["val_loss"])) + 1
    # The model now holds the parameters of the best epoch: evaluating gives that epoch's numbers exactly.
    assert model.evaluate(*val) == (history["val_loss"][best - 1], history["val_accuracy"][best - 1])


def test_early_stopping_that_never_triggers_still_restores_the_best():
    model, X, y, val = overfitting_case()
    history = model.fit(X, y, SoftmaxCrossEntropy(), Adam(0.01), epochs=120, validation_data=val,
                        early_stopping=1000)
    assert history["stopped_epoch"] is None and len(history["loss"]) == 120
    best = history["best_epoch"]
    assert best < 120, "the case should overfit, so that restoring the best epoch changes the weights"
    assert model.evaluate(*val)[0] == history["val_loss"][best - 1] == min(history["val_loss"])
    assert min(history["val_loss"]) < history["val_loss"][-1]


class Frozen(SGD):
    """An optimizer that never moves: every epoch sees the same weights, so history values are exact."""

    def update(self, p, g, state, lr):
        pass


def test_a_tie_in_validation_loss_is_not_an_improvement():
    model, X, y, val = overfitting_case()
    history = model.fit(X, y, SoftmaxCrossEntropy(), Frozen(0.1), epochs=10, validation_data=val,
                        early_stopping=2)
    assert (history["best_epoch"], history["stopped_epoch"]) == (1, 3)


def test_epoch_loss_and_accuracy_weigh_each_sample_once_with_a_partial_last_batch():
    X, y = spiral(10, 3, seed=0)                      # 30 samples: batches of 8, 8, 8 and 6
    model = Sequential([Dense(2, 8, seed=0), Tanh(), Dense(8, 3, seed=1)])
    loss = SoftmaxCrossEntropy()
    A = model.forward(X)
    expected_loss, expected_accuracy = loss.forward(A, y), loss.accuracy(A, y)
    history = model.fit(X, y, loss, Frozen(0.1), epochs=1, batch_size=8)
    assert history["loss"][0] == pytest.approx(expected_loss, rel=1e-12)
    assert history["accuracy"][0] == pytest.approx(expected_accuracy, rel=1e-12)


def test_without_early_stopping_the_history_is_unchanged():
    model, X, y, val = overfitting_case()
    history = model.fit(X, y, SoftmaxCrossEntropy(), Adam(0.01), epochs=5, validation_data=val)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 5 for values in history.values())


def test_shuffle_changes_the_order_every_epoch_and_shuffle_false_keeps_it():
    class Recorder(Layer):
        def __init__(self):
            self.seen = []

        def forward(self, X):
            self.seen.append(X[:, 0].copy())
            return X

        def backward(self, dA):
            return dA

    X, y = np.arange(12.0).reshape(6, 2), np.arange(6.0)
    for shuffle in (True, False):
        recorder = Recorder()
        Sequential([recorder, Dense(2, 1, seed=0)]).fit(X, y, MSE(), SGD(0.01), epochs=2, shuffle=shuffle)
        if shuffle:
            assert not np.array_equal(recorder.seen[0], X[:, 0])
            assert not np.array_equal(recorder.seen[0], recorder.seen[1])
        else:
            np.testing.assert_array_equal(recorder.seen[0], X[:, 0])
            np.testing.assert_array_equal(recorder.seen[1], X[:, 0])


def test_early_stopping_needs_validation_data_and_a_patience():
    model, X, y, val = overfitting_case()
    with pytest.raises(NNCoreError, match="early_stopping: expected validation_data"):
        model.fit(X, y, SoftmaxCrossEntropy(), SGD(0.1), epochs=3, early_stopping=2)
    for bad in (0, -1, 2.5, True, "3"):
        with pytest.raises(NNCoreError, match="early_stopping: expected None or a patience"):
            model.fit(X, y, SoftmaxCrossEntropy(), SGD(0.1), epochs=3, validation_data=val, early_stopping=bad)


# --- the progress bar ----------------------------------------------------------------------------

def test_progress_bar_runs_in_a_terminal_and_changes_nothing(capsys):
    def run(progress):
        model, X, y, val = overfitting_case()
        model.layers.insert(2, Dropout(0.2, seed=0))
        history = model.fit(X, y, SoftmaxCrossEntropy(), Adam(0.01), epochs=5, batch_size=16,
                            validation_data=val, progress=progress)
        return history, model.parameters()

    plain, plain_params = run(False)
    assert capsys.readouterr().err == ""
    shown, shown_params = run(True)
    err = capsys.readouterr().err
    assert "training" in err and "5/5" in err
    assert f"loss={shown['loss'][-1]:.4f}" in err and f"val_accuracy={shown['val_accuracy'][-1]:.4f}" in err
    assert shown == plain
    for name in plain_params:
        np.testing.assert_array_equal(shown_params[name], plain_params[name])


def test_progress_bar_with_verbose_lines(capsys):
    model, X, y, _ = overfitting_case()
    model.fit(X, y, SoftmaxCrossEntropy(), SGD(0.1), epochs=3, progress=True, verbose=True)
    out = capsys.readouterr()
    assert "epoch    3  loss" in out.out + out.err


def diverging_case():
    """Regression with a far too large learning rate: the loss overflows to inf in the first steps."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 2))
    model = Sequential([Dense(2, 8, seed=0), Sigmoid(), Dense(8, 1, seed=1)])
    return model, X, 3 * X[:, :1]


def test_progress_bar_is_closed_when_training_diverges(capsys):
    model, X, Y = diverging_case()
    with pytest.raises(NNCoreError, match="training diverged"), np.errstate(over="ignore", invalid="ignore"):
        model.fit(X, Y, MSE(), SGD(1e6), epochs=100, progress=True)
    assert "training" in capsys.readouterr().err


# --- the NaN guard -------------------------------------------------------------------------------

def test_nan_guard_message(monkeypatch):
    import nncore.model
    monkeypatch.setattr(nncore.model, "DIVERGED", np.inf)  # only the inf guard: the growth rule would stop first
    model, X, Y = diverging_case()
    with pytest.raises(NNCoreError) as info, np.errstate(over="ignore", invalid="ignore"):
        model.fit(X, Y, MSE(), SGD(1e6), epochs=100)
    message = str(info.value)
    assert "the loss became inf at epoch" in message and "training diverged" in message
    assert "smaller learning rate (now 1000000.0)" in message and "divided by 255" in message


def test_nan_guard_also_watches_the_penalty():
    X, y = spiral(10, 2, seed=0)
    model = Sequential([Dense(2, 4, seed=0, l2=1e300), Tanh(), Dense(4, 2, seed=1)])
    model.layers[0].W[...] = 1e200  # the penalty overflows to inf while the data loss stays finite
    with pytest.raises(NNCoreError, match="the loss became inf at epoch 1"), np.errstate(over="ignore"):
        model.fit(X, y, SoftmaxCrossEntropy(), SGD(1e-3), epochs=2)


# --- the training step skips the data's gradient -------------------------------------------------

def test_training_step_gradients_equal_full_backward():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 5, seed=0, l2=0.1), ReLU(), Dense(5, 2, seed=1)])
    X, y = rng.standard_normal((4, 3)), rng.integers(0, 2, 4)
    loss = SoftmaxCrossEntropy()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    full = {k: v.copy() for k, v in model.gradients().items()}
    for g in model.gradients().values():
        g[...] = np.nan  # so a gradient the training step forgot to compute cannot pass as the old one
    model._backward_for_step(loss.backward())
    for name, g in model.gradients().items():
        np.testing.assert_array_equal(g, full[name])


def test_dense_backward_without_input_gradient():
    layer = Dense(3, 2, seed=0)
    rng = np.random.default_rng(0)
    X, G = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    layer.forward(X)
    dX = layer.backward(G)
    dW, db = layer.dW.copy(), layer.db.copy()
    layer.dW[...], layer.db[...] = 0.0, 0.0
    assert layer.backward(G, input_gradient=False) is None
    np.testing.assert_array_equal(layer.dW, dW)
    np.testing.assert_array_equal(layer.db, db)
    assert dX.shape == (4, 3)


def test_fit_works_with_a_dense_subclass_whose_backward_has_no_input_gradient():
    class Plain(Dense):
        def backward(self, dZ):   # the signature of the interface, without the keyword
            return super().backward(dZ)

    X, y = spiral(10, 2, seed=0)
    model = Sequential([Plain(2, 4, seed=0), Tanh(), Dense(4, 2, seed=1)])
    history = model.fit(X, y, SoftmaxCrossEntropy(), SGD(0.1), epochs=2)
    assert len(history["loss"]) == 2


# --- fit's arguments are checked before an epoch is spent -------------------------------------

def _tiny():
    X, y = spiral(10, 3, seed=0)
    return X, y, Sequential([Dense(2, 8, seed=0), ReLU(), Dense(8, 3, seed=1)])


@pytest.mark.parametrize("kwargs, name", [
    (dict(epochs=0), "epochs"), (dict(epochs=2.5), "epochs"), (dict(epochs=None), "epochs"),
    (dict(batch_size=2.5), "batch_size"), (dict(batch_size=0), "batch_size"),
    (dict(loss=SoftmaxCrossEntropy), "loss"), (dict(optimizer=SGD), "optimizer"), (dict(loss="mse"), "loss"),
    (dict(validation_data="X"), "validation_data"), (dict(validation_data=(np.zeros((2, 2)),)), "validation_data"),
])
def test_fit_rejects_bad_arguments_by_name_before_training(kwargs, name):
    X, y, model = _tiny()
    before = {k: v.copy() for k, v in model.parameters().items()}
    args = dict(loss=SoftmaxCrossEntropy(), optimizer=SGD(0.1), epochs=2)
    args.update(kwargs)
    with pytest.raises(NNCoreError, match=f"^{name}:"):
        model.fit(X, y, **args)
    assert all(np.array_equal(before[k], v) for k, v in model.parameters().items())  # nothing trained


def test_fit_rejects_labels_that_are_not_one_per_sample():
    X, _, model = _tiny()
    for y in (None, 3):
        with pytest.raises(NNCoreError, match="^y:"):
            model.fit(X, y, SoftmaxCrossEntropy(), SGD(0.1))


def test_sequential_wants_a_list_of_layers():
    with pytest.raises(NNCoreError, match="^layers: expected a list of layers"):
        Sequential(Dense(2, 3))


def test_evaluation_mode_comes_back_after_fit_fails():
    X, y = spiral(10, 3, seed=0)
    model = Sequential([Dense(2, 8, seed=0), Dropout(0.5, seed=0), Dense(8, 1, seed=1)])
    with pytest.raises(NNCoreError, match="the loss became inf"), np.errstate(over="ignore"):  # (1e160)^2
        model.fit(X * 1e160, y.astype(float), MSE(), SGD(0.1), epochs=1)
    assert not model.training and not model.layers[1].training
    np.testing.assert_array_equal(model.forward(X), model.forward(X))  # no dropout in predictions


def test_a_nan_born_inside_the_network_is_traced_back_to_the_row_of_X():
    class Log(Layer):
        """log(x): NaN for a negative input, so a NaN appears inside the network, not in X."""

        def forward(self, X):
            self.X = X
            return np.log(X)

        def backward(self, dA):
            return dA / self.X

    X = np.ones((8, 2))
    X[5, 0] = -1.0  # finite, so fit's check of X lets it through; the layer makes the NaN
    y = np.zeros(8, dtype=np.int64)
    model = Sequential([Log(), Dense(2, 2, seed=0)])
    with pytest.raises(NNCoreError) as info, np.errstate(invalid="ignore"):
        model.fit(X, y, SoftmaxCrossEntropy(), SGD(0.1), batch_size=4, seed=3)
    message = str(info.value)
    order = np.random.default_rng(3).permutation(8)
    row = int(np.flatnonzero(order == 5)[0]) % 4  # where X[5] landed in its batch
    assert message.startswith(f"fit: input X of Dense(2, 2) holds 1 NaN/inf value(s), the first at index ({row}, 0) "
                              f"(row {row} of that batch is row 5 of your X) at epoch 1, step ")
    assert "training diverged" in message and "X and y were checked before training" in message
