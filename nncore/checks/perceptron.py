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
    # z = 0.9 is neither 0 nor 1, so an error computed from z instead of the prediction shows.
    x, target = np.array([[1.0, 1.0]]), np.array([0])
    w0, b0, lr = np.array([0.5, 0.3]), 0.1, 0.1
    p.weights, p.bias = w0.copy(), b0
    mistakes = p.train(x, target, epochs=1)
    expect_close("weights after one perceptron update (x=[1, 1], y=0, predicted 1, lr=0.1)",
                 p.weights, w0 - lr * x[0], variants=_update_mistakes(w0, x[0], lr, "w", "weights"))
    expect_close("bias after that update", p.bias, b0 - lr, variants=_update_mistakes(b0, 1.0, lr, "b", "bias"))
    if not isinstance(mistakes, (list, tuple, np.ndarray)) or list(np.ravel(mistakes)) != [1]:
        hint = ""
        if isinstance(mistakes, (list, tuple, np.ndarray)) and np.size(mistakes) == 1 and np.ravel(mistakes)[0] < 0:
            hint = (" A count cannot be negative: count the samples whose error != 0 (wrong += int(error != 0)), "
                    "not the error itself, which is -1 for a sample predicted 1 too high.")
        raise CheckFailure(f"Perceptron.train return value: expected the list [1] (one count per epoch: one "
                           f"mistake in one epoch), got {mistakes!r}.{hint}")
    passed("one update follows w += lr * (y - y_hat) * x and b += lr * (y - y_hat)")

    for gate in ("or", "and"):
        X, y = logic_gate(gate)
        p = mod.Perceptron(2, learning_rate=0.1, seed=0)
        w_start, b_start = np.array(p.weights, dtype=np.float64), float(p.bias)
        mistakes = p.train(X, y, epochs=20)
        if not isinstance(mistakes, (list, tuple, np.ndarray)) or len(mistakes) != 20:
            hint = (" Is `return mistakes` inside the for loop? It belongs after it, once every epoch has run."
                    if isinstance(mistakes, (list, tuple, np.ndarray)) and 0 < len(mistakes) < 20 else "")
            raise CheckFailure(f"Perceptron.train(X, y, epochs=20): expected a list of 20 mistake counts, "
                               f"got {mistakes!r}.{hint}")
        acc = float(np.mean(p.predict(X) == y))
        if acc < 1:
            raise CheckFailure(f"after 20 epochs on {gate.upper()} the accuracy is {acc:.0%}, expected 100%: "
                               f"predictions {p.predict(X)}, targets {y}. Check the sign of the update.")
        expected = _reference_counts(w_start, b_start, 0.1, X, y, 20)
        counts = [int(count) for count in np.ravel(mistakes)]
        if counts != expected:
            hint = ""
            if all(count == len(X) for count in counts):
                hint = (f" Every count is {len(X)}: every sample is counted, not only the misclassified ones. "
                        "Count a sample only when its error != 0.")
            raise CheckFailure(f"Perceptron.train(X, y, epochs=20) on {gate.upper()}: expected the mistake counts "
                               f"{expected[:6]}..., got {counts[:6]}...{hint}")
        passed(f"learns {gate.upper()} within 20 epochs (mistakes per epoch: {list(mistakes[:6])}...)")


def _update_mistakes(start, x, lr, symbol, name):
    """(value, message) for the usual slips in one update of a sample x (y = 0) predicted 1 with z = 0.9."""
    return [
        (start + lr * x, f"{name} moved the wrong way (wrong sign). The error is y - y_hat = 0 - 1 = -1 here, "
                         f"and the rule is {symbol} += lr * (y - y_hat) * x, which lowers z for a sample "
                         "predicted 1 too high."),
        (start, f"the {name} never changed in this update: apply {symbol} += lr * (y - y_hat) "
                f"{'* x ' if symbol == 'w' else ''}for every misclassified sample."),
        (start - x, "the update is error * x without the learning_rate: multiply by self.learning_rate."),
        (start - 0.9 * lr * x, "the error is computed from forward(x) = z = 0.9 instead of the prediction: "
                               "use error = y - predict(x), with the 0/1 class from predict."),
    ]


def _reference_counts(w, b, lr, X, y, epochs):
    """The mistakes per epoch of the perceptron rule from weights w and bias b."""
    w, counts = w.copy(), []
    for _ in range(epochs):
        wrong = 0
        for x_i, y_i in zip(X, y):
            error = y_i - int(x_i @ w + b > 0)
            w += lr * error * x_i
            b += lr * error
            wrong += int(error != 0)
        counts.append(wrong)
    return counts


EXERCISES = {
    "perceptron": Exercise("Perceptron rule on OR and AND", "01_perceptron", check_perceptron),
}
