"""Check for the SimpleNN exercise (notebook 04)."""

import numpy as np

from .. import gradcheck
from ..data import logic_gate
from ..losses import BinaryCrossEntropy
from . import CheckFailure, Exercise, diagnose, expect_attr, expect_close, expect_shape


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
    # A large output logit: a sigmoid written as exp(z) / (1 + exp(z)) gives inf / inf = NaN.
    big = mod.SimpleNN(2, 4, 1, learning_rate=1.0, seed=0)
    for b2 in (1000.0, -1000.0):
        big.b2 = np.full_like(np.asarray(big.b2, dtype=np.float64), b2)
        with np.errstate(all="ignore"):
            out = np.asarray(big.forward(X), dtype=np.float64)
        if not np.all(np.isfinite(out)):
            raise CheckFailure(f"SimpleNN.forward with b2 = {b2:g} (so Z2 is about {b2:g}): expected probabilities "
                               f"near {int(b2 > 0)}, got NaN or inf: exp overflows to inf for large |Z2|, and "
                               "inf / inf is NaN. Write the sigmoid as 1 / (1 + np.exp(-Z2)): its overflow only "
                               "gives 1 / inf = 0.")
    passed("forward returns sigmoid(tanh(X W1 + b1) W2 + b2), shape (4, 1), keeps Z1, A1, Z2, A2, "
           "and stays finite for an output logit of +-1000")

    # Gradient check of backward against the binary cross-entropy of forward.
    bce = BinaryCrossEntropy()
    nn.forward(X)
    nn.backward(X, y)
    m = y.size
    wrong = _known_mistakes(nn, X, y)
    for name in ("W2", "b2", "W1", "b1"):  # backward's own order: the first wrong one is where to look
        analytic = np.array(expect_attr(nn, "d" + name, "SimpleNN.backward"), dtype=np.float64)
        param = getattr(nn, name)
        numeric = gradcheck.numerical_gradient(lambda: bce.forward(nn.forward(X), y), param)
        try:
            gradcheck.compare(f"d{name}", analytic, numeric, tol=1e-6)
        except gradcheck.GradientCheckError as exc:
            hint = (_shape_hint(name, analytic, numeric, X.shape[0]) or _scale_hint(analytic, numeric, m)
                    or _value_hint(name, analytic, wrong))
            raise CheckFailure(f"SimpleNN.backward: {exc}{hint}") from None
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
                           f"{0.1 * losses[0]:.4f}).{_update_hint(mod, X, y, list(shapes))}")
    pred = (nn.forward(X) > 0.5).astype(int)
    if not np.array_equal(pred, y.astype(int)):
        raise CheckFailure(f"after training, predictions {pred.ravel()} differ from the XOR targets {y.ravel().astype(int)}.")
    passed(f"learns XOR: loss {losses[0]:.3f} -> {losses[-1]:.4f}, 4/4 correct")


def _update_hint(mod, X, y, names):
    """Which parameter one epoch of train moved the wrong way, by comparing it with p - lr * dp."""
    try:
        nn = mod.SimpleNN(2, 4, 1, learning_rate=1.0, seed=0)
        before = {name: np.array(getattr(nn, name), dtype=np.float64) for name in names}
        nn.forward(X)
        nn.backward(X, y)
        grads = {name: np.array(getattr(nn, "d" + name), dtype=np.float64) for name in names}
        nn.train(X, y, epochs=1)
    except Exception:  # the diagnosis only adds a hint; the failure itself is already known
        return " Check that train subtracts learning_rate * gradient from every parameter (-=)."
    for name in names:
        after = np.asarray(getattr(nn, name), dtype=np.float64)
        if after.shape == before[name].shape and np.allclose(after, before[name] + grads[name]) \
                and not np.allclose(grads[name], 0):
            return (f" One epoch moved {name} up its gradient ({name} + lr * d{name}): gradient descent "
                    f"subtracts it, self.{name} -= self.learning_rate * self.d{name}.")
    return " Check that train subtracts learning_rate * gradient from every parameter (-=)."


# What each gradient is computed from, for the messages: d{name} = {input}.T @ dZ.
_INPUTS = {"W1": ("X", "dZ1"), "W2": ("A1", "dZ2"), "b1": (None, "dZ1"), "b2": (None, "dZ2")}


def _shape_hint(name, analytic, numeric, n_samples):
    """' Your dW1 has the shape of W1 transposed ...' when the gradient's shape is a known slip, else ''."""
    got, want = analytic.shape, numeric.shape
    if got == want:
        return ""
    source, dZ = _INPUTS[name]
    if name.startswith("W"):
        if got == want[::-1]:
            return (f" Your d{name} has the shape of {name} transposed: d{name} = {source}.T @ {dZ} has "
                    f"shape (n_in, n_out) = {want}, the shape of {name}.")
        return f" d{name} = {source}.T @ {dZ}, (n_in, N) @ (N, n_out) = {want}: use this layer's own input, {source}."
    fix = f"{dZ}.sum(axis=0, keepdims=True)"
    if got == (want[1],):
        return f" d{name} lost its row dimension: sum with keepdims=True, {fix}, to keep shape {want}."
    if len(got) == 2 and got[0] == n_samples:
        if got[1] == want[1]:
            return (f" d{name} has one row per sample: it is not summed over the batch. The bias is shared "
                    f"by all samples, so its gradient sums over them, axis=0: {fix}.")
        return (f" d{name} is summed over axis 1 (the units of each sample); the bias gradient sums over the "
                f"samples, axis=0: {fix}.")
    return ""


def _known_mistakes(nn, X, y):
    """{name: [(gradient, message)]}: the gradients that the usual slips in backward compute."""
    W2 = np.asarray(nn.W2, dtype=np.float64)
    Z1 = X @ nn.W1 + nn.b1
    A1 = np.tanh(Z1)
    A2 = 1.0 / (1.0 + np.exp(-(A1 @ W2 + nn.b2)))
    dZ2 = (A2 - y) / y.size

    def grads(dZ2, tanh_slope):
        dZ1 = (dZ2 @ W2.T) * tanh_slope
        return {"W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0, keepdims=True),
                "W1": X.T @ dZ1, "b1": dZ1.sum(axis=0, keepdims=True)}

    slips = [
        (grads(dZ2 * A2 * (1 - A2), 1 - A1 ** 2),
         "dZ2 is multiplied by the sigmoid's slope A2 * (1 - A2). With binary cross-entropy that slope "
         "cancels: dZ2 = (A2 - y) / m, nothing more."),
        (grads(dZ2, 1.0), "dZ1 is missing tanh'(Z1): the derivative of the hidden activation. "
                          "dZ1 = (dZ2 @ W2.T) * (1 - A1**2)."),
        (grads(dZ2, 1 - A2 ** 2), "dZ1 uses 1 - A2**2, the output layer's A2; tanh' belongs to the hidden "
                                  "layer, so it is computed from its own output: (1 - A1**2)."),
        (grads(dZ2, 1 - A1), "tanh'(Z1) = 1 - tanh(Z1)**2 = 1 - A1**2; you have 1 - A1 (not squared)."),
        (grads(dZ2, 1 - Z1 ** 2), "tanh' is computed from Z1 as 1 - Z1**2; it needs the activation "
                                  "A1 = tanh(Z1): 1 - A1**2."),
    ]
    return {name: [(g[name], message) for g, message in slips] for name in _INPUTS}


def _value_hint(name, analytic, wrong):
    """' Your numbers match a known slip: ...' when the gradient equals what a slip computes, else ''."""
    named = diagnose(analytic, wrong[name], atol=1e-9)
    return f" Your numbers match a known slip: {named}" if named else ""


def _scale_hint(analytic, numeric, m):
    """' Every entry is 4 times ...' when the analytic gradient is a constant multiple of the true one.

    Only for gradients of the right shape: for any other, the shape message says what is wrong.
    """
    analytic, numeric = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape or not np.all(np.isfinite(analytic)):
        return ""
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
