"""Check for the SimpleNN exercise (notebook 04)."""

import numpy as np

from .. import gradcheck
from ..data import logic_gate
from ..losses import BinaryCrossEntropy
from . import CheckFailure, Exercise, expect_attr, expect_close, expect_shape


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
    for name in ("Z1", "A1", "Z2", "A2"):  # backward needs them: a local variable would be lost
        expect_attr(nn, name, "SimpleNN.forward (backward needs it)")
    A1 = np.tanh(X @ nn.W1 + nn.b1)
    expect_close("SimpleNN.forward(X)", A2, 1 / (1 + np.exp(-(A1 @ nn.W2 + nn.b2))))
    passed("forward returns sigmoid(tanh(X W1 + b1) W2 + b2), shape (4, 1), and keeps Z1, A1, Z2, A2")

    # Gradient check of backward against the binary cross-entropy of forward.
    bce = BinaryCrossEntropy()
    nn.forward(X)
    nn.backward(X, y)
    m = y.size
    for name in ("W2", "b2", "W1", "b1"):  # backward's own order: the first wrong one is where to look
        analytic = np.array(expect_attr(nn, "d" + name, "SimpleNN.backward"), dtype=np.float64)
        param = getattr(nn, name)
        numeric = gradcheck.numerical_gradient(lambda: bce.forward(nn.forward(X), y), param)
        try:
            gradcheck.compare(f"d{name}", analytic, numeric, tol=1e-6)
        except gradcheck.GradientCheckError as exc:
            raise CheckFailure(f"SimpleNN.backward: {exc}{_scale_hint(analytic, numeric, m)}") from None
    passed("backward's dW1, db1, dW2, db2 match numerical gradients of the mean binary cross-entropy")

    nn = mod.SimpleNN(2, 4, 1, learning_rate=1.0, seed=0)
    before = {name: np.array(getattr(nn, name), dtype=np.float64) for name in shapes}
    with np.errstate(over="ignore"):  # a diverging run overflows exp; the message below says more than a warning
        losses = nn.train(X, y, epochs=2000)
    if losses is None or len(losses) != 2000:
        got = "None" if losses is None else f"{len(losses)} value{'s' if len(losses) != 1 else ''}"
        hint = " Is `return losses` inside the for loop?" if losses is not None and len(losses) < 2000 else ""
        raise CheckFailure(f"SimpleNN.train(X, y, epochs=2000): expected a list of 2000 losses, got {got}.{hint}")
    odd = next((v for v in losses if not isinstance(v, (int, float, np.integer, np.floating))), None)
    if odd is not None:
        raise CheckFailure(f"SimpleNN.train: the list of losses holds a {type(odd).__name__}, not a number. "
                           "Append the value of the loss, self.loss(y), with its parentheses.")
    unchanged = [name for name in shapes if np.array_equal(before[name], getattr(nn, name))]
    if unchanged:
        raise CheckFailure(f"SimpleNN.train never changed {', '.join(unchanged)}. Update every parameter on "
                           "self, e.g. self.b1 -= self.learning_rate * self.db1; a line such as "
                           "`b1 = self.b1 - ...` only makes a local copy that is thrown away.")
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


def _scale_hint(analytic, numeric, m):
    """' Every entry is 4 times ...' when the analytic gradient is a constant multiple of the true one."""
    big = np.abs(numeric) > 1e-8
    if not np.any(big):
        return ""
    ratio = analytic[big] / numeric[big]
    if not np.allclose(ratio, ratio[0], rtol=1e-4):
        return ""
    c = float(ratio[0])
    if np.isclose(c, m, rtol=1e-4):
        return (f" Every entry is {m} times too large, and m = N * output = {m}: the 1/m is missing. "
                "Divide dZ2 by y.size.")
    if np.isclose(c, 1 / m, rtol=1e-4):
        return f" Every entry is {m} times too small: the 1/m is applied twice (m = {m})."
    if np.isclose(c, -1, rtol=1e-4):
        return " Every entry has the wrong sign: dZ2 = (A2 - y) / m, not (y - A2) / m."
    return f" Every entry is {c:.4g} times the numerical gradient: a constant factor is wrong."


EXERCISES = {
    "simple_nn": Exercise("SimpleNN: a 2-layer net that learns XOR", "04_backprop", check_simple_nn),
}
