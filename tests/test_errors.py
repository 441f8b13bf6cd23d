"""Bad inputs give an NNCoreError a learner can act on.

Each message must name the thing that is wrong, what was expected and what was
given, so these tests check the words, not just the exception type.
"""

import numpy as np
import pytest

from nncore.activations import ReLU, Sigmoid, Softmax
from nncore.errors import NNCoreError, fail
from nncore.layers import Dense, init_weights
from nncore.losses import MSE, BinaryCrossEntropy, CrossEntropy, SoftmaxCrossEntropy
from nncore.model import Sequential
from nncore.optim import SGD
from nncore.regularization import GaussianNoise


def message_of(fn, *args, **kwargs):
    """Run fn, expect an NNCoreError, return its message."""
    with pytest.raises(NNCoreError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def assert_mentions(message, *parts):
    for part in parts:
        assert part in message, f"{part!r} is missing from the message: {message}"


LOGITS = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [3.0, 0.0, 0.0]])  # N = 4, C = 3


def test_nncore_error_is_a_value_error_with_a_fixed_shape_of_message():
    assert issubclass(NNCoreError, ValueError)
    message = message_of(fail, "lr", "a positive number", "-1", "Try 0.1.")
    assert message == "lr: expected a positive number, got -1. Try 0.1."


# --- shapes ---------------------------------------------------------------------------

def test_wrong_shapes_between_layers():
    model = Sequential([Dense(3, 4, seed=0), Dense(5, 2, seed=1)])
    message = message_of(model.forward, np.ones((2, 3)))
    # Which layer, what it expects, what it got, and the rule to fix it.
    assert_mentions(message, "Dense(5, 2)", "5 features", "got shape (2, 4)",
                    "previous layer's output size must equal this layer's input size")


def test_wrong_number_of_features():
    message = message_of(Dense(3, 4).forward, np.ones((2, 5)))
    assert_mentions(message, "input X of Dense(3, 4)", "3 features per sample", "(N, 3)", "shape (2, 5)")


def test_one_dimensional_input():
    message = message_of(Dense(3, 4).forward, np.ones(3))
    assert_mentions(message, "input X of Dense(3, 4)", "2-D array", "shape (3,) (1-D)", "x.reshape(1, -1)")
    message = message_of(SoftmaxCrossEntropy().forward, np.ones(3), np.array([0]))
    assert_mentions(message, "predictions A of SoftmaxCrossEntropy", "2-D array", "shape (3,)")
    message = message_of(Softmax().forward, np.ones(3))
    assert_mentions(message, "input Z of Softmax()", "2-D array", "shape (3,)")


def test_input_that_is_not_an_array():
    message = message_of(Dense(2, 1).forward, "1, 2")
    assert_mentions(message, "input X of Dense(2, 1)", "a NumPy array", "got str", "np.asarray")


def test_empty_batch():
    message = message_of(Dense(3, 4).forward, np.zeros((0, 3)))
    assert_mentions(message, "input X of Dense(3, 4)", "at least one sample", "shape (0, 3)")
    message = message_of(MSE().forward, np.zeros((0, 1)), np.zeros((0, 1)))
    assert_mentions(message, "predictions A of MSE", "at least one sample", "shape (0, 1)")
    model = Sequential([Dense(3, 2)])
    message = message_of(model.fit, np.zeros((0, 3)), np.zeros(0, dtype=int), SoftmaxCrossEntropy(), SGD())
    assert_mentions(message, "X: expected at least one sample", "shape (0, 3)")


def test_gradient_of_the_wrong_shape_in_backward():
    layer = Dense(3, 4)
    layer.forward(np.ones((2, 3)))
    message = message_of(layer.backward, np.ones((2, 3)))
    assert_mentions(message, "dZ of Dense(3, 4)", "shape (2, 4)", "got shape (2, 3)")
    relu = ReLU()
    relu.forward(np.ones((2, 3)))
    assert_mentions(message_of(relu.backward, np.ones((3, 2))), "dA of ReLU()", "shape (2, 3)", "shape (3, 2)")
    softmax = Softmax()
    softmax.forward(np.ones((2, 3)))
    assert_mentions(message_of(softmax.backward, np.ones((1, 3))), "dA of Softmax()", "shape (2, 3)",
                    "got shape (1, 3)")
    noise = GaussianNoise(0.1, seed=0)
    noise.forward(np.ones((2, 3)))
    assert_mentions(message_of(noise.backward, np.ones((3, 2))), "dA of GaussianNoise", "shape (2, 3)")


# --- labels and targets -----------------------------------------------------------------

def test_labels_out_of_range():
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, np.array([0, 1, 7, 2]))
    assert_mentions(message, "labels Y", "labels in 0..2", "3 outputs", "labels from 0 to 7")
    message = message_of(CrossEntropy().forward, Softmax().forward(LOGITS), np.array([0, -1, 1, 2]))
    assert_mentions(message, "labels Y", "labels in 0..2", "from -1 to 2", "re-indexing from 0")
    # The classic off-by-one: labels 1..C instead of 0..C-1.
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, np.array([1, 2, 3, 3]))
    assert_mentions(message, "labels Y", "labels in 0..2", "labels from 1 to 3")


def test_fractional_labels():
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, np.array([0.0, 1.5, 2.0, 1.0]))
    assert_mentions(message, "labels Y", "whole-number class labels", "float64 with fractions")


def test_labels_count_differs_from_rows():
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, np.array([0, 1, 2, 1, 0]))
    assert_mentions(message, "labels Y", "4 labels (one per row", "got 5")
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, np.eye(3)[[0, 1, 2]])
    assert_mentions(message, "labels Y", "4 labels", "got 3")
    model = Sequential([Dense(2, 3, seed=0)])
    message = message_of(model.fit, np.ones((10, 2)), np.zeros(9, dtype=int), SoftmaxCrossEntropy(), SGD())
    assert_mentions(message, "y: expected 10 labels or targets (one per row of X), got 9")


def test_one_hot_with_the_wrong_number_of_classes():
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, np.eye(4))
    assert_mentions(message, "labels Y", "one-hot rows of shape (N, 3)", "got shape (4, 4)")


def test_mse_target_shape_mismatch():
    A = np.zeros((4, 2))
    message = message_of(MSE().forward, A, np.zeros((4, 3)))
    assert_mentions(message, "targets Y of MSE", "shape (4, 2)", "got shape (4, 3)")
    # Same number of values, transposed: refused rather than silently mispaired.
    message = message_of(MSE().forward, A, np.zeros((2, 4)))
    assert_mentions(message, "targets Y of MSE", "shape (4, 2)", "got shape (2, 4)", "Y.T")
    message = message_of(MSE().forward, A, np.zeros(4))  # flat targets are only fine for one output
    assert_mentions(message, "targets Y of MSE", "shape (4, 2)", "got shape (4,)")


def test_bce_targets_outside_zero_to_one():
    A = np.full((3, 1), 0.5)
    message = message_of(BinaryCrossEntropy().forward, A, np.array([0.0, 1.0, 2.0]))
    assert_mentions(message, "targets Y of BinaryCrossEntropy", "between 0 and 1", "from 0.0 to 2.0")
    message = message_of(BinaryCrossEntropy().forward, A, np.array([-1, 0, 1]))
    assert_mentions(message, "targets Y of BinaryCrossEntropy", "between 0 and 1", "from -1.0 to 1.0")
    message = message_of(BinaryCrossEntropy().forward, A, np.zeros((3, 2)))
    assert_mentions(message, "targets Y of BinaryCrossEntropy", "shape (3, 1)", "got shape (3, 2)")


# --- NaN and inf ----------------------------------------------------------------------

def test_nan_or_inf_in_inputs():
    X = np.ones((3, 4))
    X[1, 2] = np.nan
    message = message_of(Dense(4, 2).forward, X)
    assert_mentions(message, "input X of Dense(4, 2)", "finite numbers", "1 NaN/inf value(s)",
                    "first at index (1, 2)")
    X[2, 0] = np.inf
    with np.errstate(invalid="ignore"):  # inf times weights of both signs is NaN; the error below says more
        assert_mentions(message_of(Dense(4, 2).forward, X), "2 NaN/inf value(s)", "index (1, 2)")

    A = np.array([[0.5], [np.inf]])
    message = message_of(MSE().forward, A, np.zeros((2, 1)))
    assert_mentions(message, "predictions A of MSE", "finite numbers", "index (1, 0)")


def test_nan_weights_and_overflow_in_a_layer_are_explained():
    layer = Dense(4, 2, seed=0)
    layer.W[3, 1] = np.nan  # as after a diverged update
    assert_mentions(message_of(layer.forward, np.ones((3, 4))), "weights W of Dense(4, 2)", "finite numbers",
                    "index (3, 1)", "learning rate")
    big = Dense(4, 2, seed=0, dtype=np.float32)
    big.W[...] = 1.0  # four inputs of 3e38 sum past float32's largest value, 3.4e38
    with np.errstate(over="ignore"):  # the overflow is the point; NumPy's own warning adds nothing
        message = message_of(big.forward, np.full((1, 4), 3e38, dtype=np.float32))
    assert_mentions(message, "output Z of Dense(4, 2)", "overflow", "scale the inputs")


def test_nan_in_targets_or_labels():
    message = message_of(MSE().forward, np.zeros((2, 1)), np.array([[0.0], [np.nan]]))
    assert_mentions(message, "targets Y of MSE", "finite numbers", "index (1, 0)")
    message = message_of(BinaryCrossEntropy().forward, np.full((2, 1), 0.5), np.array([np.nan, 1.0]))
    assert_mentions(message, "targets Y of BinaryCrossEntropy", "finite numbers")
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, np.array([0, 1, np.nan, 2]))
    assert_mentions(message, "labels Y", "finite numbers", "index (2,)")
    Y = np.eye(3)[[0, 1, 2, 0]]
    Y[3, 1] = np.inf
    message = message_of(SoftmaxCrossEntropy().forward, LOGITS, Y)
    assert_mentions(message, "one-hot labels Y", "finite numbers", "index (3, 1)")


def test_nan_loss_during_fit_advises_a_smaller_learning_rate(monkeypatch):
    import nncore.model
    monkeypatch.setattr(nncore.model, "DIVERGED", np.inf)  # only the inf guard: the growth rule would stop first
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 2))
    Y = 3 * X[:, :1]
    model = Sequential([Dense(2, 8, seed=0), Sigmoid(), Dense(8, 1, seed=1)])
    with np.errstate(over="ignore", invalid="ignore"):  # the overflow is the point of this test
        message = message_of(model.fit, X, Y, MSE(), SGD(lr=1e6), epochs=100)
    assert_mentions(message, "the loss became inf", "training diverged", "smaller learning rate",
                    "now 1000000.0")
    assert "at epoch" in message and ", step 1:" in message


def test_a_finite_loss_that_grows_by_orders_of_magnitude_stops_fit():
    # The case: SGD(lr=1e8) on the spirals ended at a loss of 5.7e7 without a word.
    from nncore.data import spiral
    X, y = spiral(100, 3)
    model = Sequential([Dense(2, 64, seed=0), ReLU(), Dense(64, 3, seed=1)])
    message = message_of(model.fit, X, y, SoftmaxCrossEntropy(), SGD(lr=1e8), epochs=50)
    assert_mentions(message, "fit: the mean loss grew to", "more than 1000 times the first step's",
                    "at epoch 2: training diverged", "smaller learning rate (now 100000000.0)")


# --- order of calls, and what goes into a model -----------------------------------------

@pytest.mark.parametrize("layer, named", [(Dense(2, 3), "Dense"), (ReLU(), "ReLU"), (Sigmoid(), "Sigmoid"),
                                          (Softmax(), "Softmax"),
                                          (Sequential([Dense(2, 3), ReLU()]), "ReLU")],  # last layer first
                         ids=["Dense", "ReLU", "Sigmoid", "Softmax", "Sequential"])
def test_backward_before_forward(layer, named):
    message = message_of(layer.backward, np.ones((1, 3)))
    assert_mentions(message, f"{named}.backward was called before forward", "forward(X)")


@pytest.mark.parametrize("loss", [MSE(), BinaryCrossEntropy(), CrossEntropy(), SoftmaxCrossEntropy()],
                         ids=repr)
def test_loss_backward_before_forward(loss):
    message = message_of(loss.backward)
    assert_mentions(message, f"{type(loss).__name__}.backward was called before forward", "forward(A, Y)")


def test_a_class_instead_of_an_instance_in_sequential():
    message = message_of(Sequential, [Dense(2, 3), ReLU, Dense(3, 1)])
    assert_mentions(message, "layers[1]", "an nncore Layer", "the class ReLU", "ReLU(...) instead of ReLU")
    message = message_of(Sequential, [Dense, ReLU()])
    assert_mentions(message, "layers[0]", "the class Dense")


def test_something_that_is_not_a_layer_in_sequential():
    message = message_of(Sequential, [Dense(2, 3), "relu"])
    assert_mentions(message, "layers[1]", "an nncore Layer", "got a str")


def test_predict_or_evaluate_without_a_loss():
    model = Sequential([Dense(2, 3)])
    X, y = np.ones((2, 2)), np.array([0, 1])
    assert_mentions(message_of(model.predict, X), "predict needs to know the loss", "fit(", "loss=")
    assert_mentions(message_of(model.evaluate, X, y), "evaluate needs to know the loss", "fit(", "loss=")


def test_bad_batch_size():
    model = Sequential([Dense(2, 3)])
    message = message_of(model.fit, np.ones((4, 2)), np.zeros(4, dtype=int), SoftmaxCrossEntropy(), SGD(),
                         batch_size=0)
    assert_mentions(message, "batch_size", "positive whole number", "got 0")


# --- construction -----------------------------------------------------------------------

def test_bad_init_name():
    message = message_of(Dense, 2, 3, init="gaussian")
    assert_mentions(message, "init", "'he'", "'xavier'", "'small'", "'uniform'", "got 'gaussian'")
    assert_mentions(message_of(init_weights, 2, 3, "He"), "got 'He'")


@pytest.mark.parametrize("n_in, n_out, name, given", [(0, 3, "n_in", "0"), (2, -1, "n_out", "-1"),
                                                       (2.5, 3, "n_in", "2.5"), ("2", 3, "n_in", "'2'")])
def test_bad_layer_sizes(n_in, n_out, name, given):
    message = message_of(Dense, n_in, n_out)
    assert_mentions(message, f"Dense {name}", "a positive whole number", f"got {given}")
