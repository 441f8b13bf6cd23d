"""The checks behind `python -m nncore check NAME`, one function per exercise.

A check receives the learner's module and a `passed(description)` callback.
It calls `passed` after each step that worked and raises CheckFailure with a
message that names what is wrong (expected vs got) at the first step that did not.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import gradcheck
from .data import logic_gate
from .exercises import CheckFailure
from .losses import BinaryCrossEntropy


@dataclass
class Exercise:
    title: str
    notebook: str
    check: Callable


# --- helpers that word the failures -------------------------------------------------------

def expect_shape(what, value, shape):
    got = np.shape(value)
    if value is None or got != shape:
        got = "None (did the function return its result?)" if value is None else f"shape {got}"
        raise CheckFailure(f"{what}: expected shape {shape}, got {got}.")


def expect_close(what, got, expected, atol=1e-8):
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    expect_shape(what, got, expected.shape)
    diff = np.abs(got - expected)
    if not np.all(diff <= atol):  # also catches NaN
        where = tuple(int(i) for i in np.unravel_index(int(np.nanargmax(diff)) if np.any(np.isfinite(diff))
                                                        else 0, diff.shape)) if diff.ndim else ()
        raise CheckFailure(f"{what}: values differ from the expected ones by up to {np.nanmax(diff):.3g} "
                           f"(largest at index {where}: got {got[where]:.6g}, expected {expected[where]:.6g}).")


def expect_attr(obj, name, what):
    if not hasattr(obj, name):
        raise CheckFailure(f"{what}: expected an attribute `{name}` on the object, but it has none. "
                           f"Store it with self.{name} = ...")
    return getattr(obj, name)


# --- Perceptron --------------------------------------------------------------------------

def check_perceptron(mod, passed):
    X, _ = logic_gate("or")
    p = mod.Perceptron(2, learning_rate=0.1, seed=0)
    p.weights = np.array([0.5, -1.0])
    p.bias = 0.25
    expect_close("Perceptron.forward(X) on the 4 OR inputs", p.forward(X), X @ p.weights + p.bias)
    passed("forward computes z = X @ w + b, shape (N,)")

    pred = p.predict(X)
    expect_shape("Perceptron.predict(X)", pred, (4,))
    if not np.array_equal(pred, (X @ p.weights + p.bias > 0).astype(int)):
        raise CheckFailure(f"Perceptron.predict(X): expected {(X @ p.weights + p.bias > 0).astype(int)} "
                           f"(1 where z > 0), got {np.asarray(pred)}.")
    passed("predict gives 1 where z > 0, else 0")

    # One epoch on one misclassified sample: exactly one application of the rule.
    x, target = np.array([[1.0, 1.0]]), np.array([0])
    p.weights, p.bias = np.array([0.5, 0.5]), 0.0
    mistakes = p.train(x, target, epochs=1)
    expect_close("weights after one perceptron update (x=[1, 1], y=0, predicted 1, lr=0.1)",
                 p.weights, [0.4, 0.4])
    expect_close("bias after that update", p.bias, -0.1)
    if list(np.atleast_1d(mistakes)) != [1]:
        raise CheckFailure(f"Perceptron.train return value: expected [1] (one mistake in one epoch), got {mistakes!r}.")
    passed("one update follows w += lr * (y - y_hat) * x and b += lr * (y - y_hat)")

    for gate in ("or", "and"):
        X, y = logic_gate(gate)
        p = mod.Perceptron(2, learning_rate=0.1, seed=0)
        mistakes = p.train(X, y, epochs=20)
        if mistakes is None or len(mistakes) != 20:
            raise CheckFailure(f"Perceptron.train(X, y, epochs=20): expected a list of 20 mistake counts, "
                               f"got {mistakes!r}.")
        acc = float(np.mean(p.predict(X) == y))
        if acc < 1:
            raise CheckFailure(f"after 20 epochs on {gate.upper()} the accuracy is {acc:.0%}, expected 100%: "
                               f"predictions {p.predict(X)}, targets {y}. Check the sign of the update.")
        passed(f"learns {gate.upper()} within 20 epochs (mistakes per epoch: {list(mistakes[:6])}...)")


# --- SimpleNN -------------------------------------------------------------------------------

def check_simple_nn(mod, passed):
    X, y = logic_gate("xor")
    y = y.reshape(-1, 1).astype(np.float64)
    nn = mod.SimpleNN(2, 4, 1, learning_rate=1.0, seed=0)
    shapes = {"W1": (2, 4), "b1": (1, 4), "W2": (4, 1), "b2": (1, 1)}
    for name, shape in shapes.items():
        expect_shape(f"SimpleNN(2, 4, 1).{name}", expect_attr(nn, name, "SimpleNN.__init__"), shape)
    passed("parameters have shapes W1 (2, 4), b1 (1, 4), W2 (4, 1), b2 (1, 1)")

    A2 = nn.forward(X)
    expect_shape("SimpleNN.forward(X) on the 4 XOR inputs", A2, (4, 1))
    A1 = np.tanh(X @ nn.W1 + nn.b1)
    expect_close("SimpleNN.forward(X)", A2, 1 / (1 + np.exp(-(A1 @ nn.W2 + nn.b2))))
    passed("forward returns sigmoid(tanh(X W1 + b1) W2 + b2), shape (4, 1)")

    # Gradient check of backward against the binary cross-entropy of forward.
    bce = BinaryCrossEntropy()
    nn.forward(X)
    nn.backward(X, y)
    for name in shapes:
        analytic = np.array(expect_attr(nn, "d" + name, "SimpleNN.backward"), dtype=np.float64)
        param = getattr(nn, name)
        numeric = gradcheck.numerical_gradient(lambda: bce.forward(nn.forward(X), y), param)
        try:
            gradcheck.compare(f"d{name}", analytic, numeric, tol=1e-6)
        except gradcheck.GradientCheckError as exc:
            raise CheckFailure(f"SimpleNN.backward: {exc}") from None
    passed("backward's dW1, db1, dW2, db2 match numerical gradients of the mean binary cross-entropy")

    nn = mod.SimpleNN(2, 4, 1, learning_rate=1.0, seed=0)
    losses = nn.train(X, y, epochs=2000)
    if losses is None or len(losses) != 2000:
        raise CheckFailure(f"SimpleNN.train(X, y, epochs=2000): expected a list of 2000 losses, got "
                           f"{'None' if losses is None else f'{len(losses)} values'}.")
    losses = np.asarray(losses, dtype=np.float64)
    if not np.all(np.isfinite(losses)):
        raise CheckFailure(f"SimpleNN.train: the loss became NaN or inf at epoch {int(np.argmin(np.isfinite(losses))) + 1}.")
    if not losses[-1] < 0.1 * losses[0]:
        raise CheckFailure(f"SimpleNN.train did not converge: the loss went from {losses[0]:.4f} to "
                           f"{losses[-1]:.4f} in 2000 epochs at learning rate 1.0 (expected below "
                           f"{0.1 * losses[0]:.4f}). Check that train subtracts learning_rate * gradient.")
    pred = (nn.forward(X) > 0.5).astype(int)
    if not np.array_equal(pred, y.astype(int)):
        raise CheckFailure(f"after training, predictions {pred.ravel()} differ from the XOR targets {y.ravel().astype(int)}.")
    passed(f"learns XOR: loss {losses[0]:.3f} -> {losses[-1]:.4f}, 4/4 correct")


EXERCISES = {
    "perceptron": Exercise("Perceptron rule on OR and AND", "01_perceptron", check_perceptron),
    "simple_nn": Exercise("SimpleNN: a 2-layer net that learns XOR", "04_backprop", check_simple_nn),
}
