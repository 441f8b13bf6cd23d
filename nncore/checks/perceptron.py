"""Check for the Perceptron exercise (notebook 01)."""

import numpy as np

from ..data import logic_gate
from . import CheckFailure, Exercise, expect_close, expect_shape


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
    # z exactly 0 is class 0 (the step is 1 only for z > 0); notebook 01's OR result depends on it.
    p.weights, p.bias = np.array([1.0, 1.0]), 0.0
    on_the_line = p.predict(np.array([[0.0, 0.0], [1.0, 0.0]]))
    if list(np.ravel(on_the_line)) != [0, 1]:
        raise CheckFailure(f"Perceptron.predict with w = [1, 1], b = 0 on the points (0, 0) and (1, 0): expected "
                           f"[0 1], got {np.asarray(on_the_line)}. At (0, 0) z is exactly 0, and the step gives 1 "
                           "only for z > 0: use > 0, not >= 0.")
    passed("predict gives 1 where z > 0, else 0 (z = 0 is class 0)")

    # One epoch on one misclassified sample: exactly one application of the rule.
    x, target = np.array([[1.0, 1.0]]), np.array([0])
    p.weights, p.bias = np.array([0.5, 0.5]), 0.0
    mistakes = p.train(x, target, epochs=1)
    expect_close("weights after one perceptron update (x=[1, 1], y=0, predicted 1, lr=0.1)",
                 p.weights, [0.4, 0.4])
    expect_close("bias after that update", p.bias, -0.1)
    if not isinstance(mistakes, (list, tuple, np.ndarray)) or list(np.ravel(mistakes)) != [1]:
        raise CheckFailure(f"Perceptron.train return value: expected the list [1] (one count per epoch: one "
                           f"mistake in one epoch), got {mistakes!r}.")
    passed("one update follows w += lr * (y - y_hat) * x and b += lr * (y - y_hat)")

    for gate in ("or", "and"):
        X, y = logic_gate(gate)
        p = mod.Perceptron(2, learning_rate=0.1, seed=0)
        mistakes = p.train(X, y, epochs=20)
        if not isinstance(mistakes, (list, tuple, np.ndarray)) or len(mistakes) != 20:
            raise CheckFailure(f"Perceptron.train(X, y, epochs=20): expected a list of 20 mistake counts, "
                               f"got {mistakes!r}.")
        acc = float(np.mean(p.predict(X) == y))
        if acc < 1:
            raise CheckFailure(f"after 20 epochs on {gate.upper()} the accuracy is {acc:.0%}, expected 100%: "
                               f"predictions {p.predict(X)}, targets {y}. Check the sign of the update.")
        passed(f"learns {gate.upper()} within 20 epochs (mistakes per epoch: {list(mistakes[:6])}...)")


EXERCISES = {
    "perceptron": Exercise("Perceptron rule on OR and AND", "01_perceptron", check_perceptron),
}
