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
    "simple_nn": Exercise("SimpleNN: a 2-layer net that learns XOR", "04_backprop", check_simple_nn),
}
