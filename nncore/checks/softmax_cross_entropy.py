"""Check for the softmax_cross_entropy exercise (notebook 05): the fused loss on logits.

The learner's loss is compared with nncore.SoftmaxCrossEntropy on ordinary and on extreme logits, with
one-hot and integer labels, and its backward with the fused gradient and with finite differences of the
learner's own forward. Wrong numbers that a known mistake produces are named.
"""

import numpy as np

from .. import gradcheck
from ..losses import SoftmaxCrossEntropy as Reference
from . import CheckFailure, Exercise, diagnose, expect_close, expect_shape, learner_line


def _reference(Z, Y):
    loss = Reference()
    value = loss.forward(Z, Y)
    return value, loss.backward()


def _forward(mod, what, Z, Y):
    """The learner's (loss object, value) for forward(Z, Y), with Z checked to be unchanged; warnings hushed."""
    loss = mod.SoftmaxCrossEntropy()
    Z_given = Z.copy()
    with np.errstate(all="ignore"):
        value = loss.forward(Z_given, Y)
    if not np.array_equal(Z_given, Z):
        raise CheckFailure(f"{what}: your forward changed Z in place (a `Z -= Z.max(...)`?). Z belongs to the "
                           "layer before the loss: compute Z - Z.max(axis=1, keepdims=True) into a new array.")
    if value is None:
        raise CheckFailure(f"{what}: expected the mean loss, a number, got None (did forward return its result?).")
    if np.ndim(value) != 0:
        raise CheckFailure(f"{what}: expected one number, the mean over the batch, got an array of shape "
                           f"{np.shape(value)}: sum over the classes and the samples, then divide by N.")
    return loss, float(value)


def _backward(loss, what, shape):
    with np.errstate(all="ignore"):
        dZ = loss.backward()
    expect_shape(what, dZ, shape)
    return np.asarray(dZ, dtype=np.float64)


def _loss_mistakes(L, N, C):
    return [
        (N * L, f"the cross-entropy is summed over the batch, not averaged: it is {N} (N) times too large. "
                "Divide the sum by N, the number of rows."),
        (L / C, f"the mean is taken over all N*C entries of Y * log_P ({C} times too small): only the true "
                "class of each row has a term, so add up everything and divide by N alone."),
        (-L, "the loss has the wrong sign: the cross-entropy is MINUS the sum of y log y_hat, a positive number."),
        (L / N, f"the loss is divided by N twice ({N} times too small): divide the sum once."),
    ]


def check_softmax_cross_entropy(mod, passed):
    rng = np.random.default_rng(0)
    N, C = 5, 3
    Z = rng.standard_normal((N, C)) * 2
    labels = np.array([2, 0, 1, 1, 0])
    Y = np.eye(C)[labels]
    L, dZ = _reference(Z, labels)
    what = f"forward(Z, Y) for logits Z of shape ({N}, {C}) and one-hot Y"

    # 1. One-hot targets: the mean loss.
    try:
        loss, got = _forward(mod, what, Z, Y)
    except (ValueError, IndexError) as exc:
        raise CheckFailure(f"{what}: your code raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. "
                           f"Y may come as one-hot rows (N, C) as well as integer labels (N,): turn only "
                           f"labels with one dimension into one-hot rows, and use one-hot Y as it is.") from None
    if not np.isclose(got, L, rtol=1e-10, atol=1e-12):
        named = diagnose(got, _loss_mistakes(L, N, C))
        if named:
            raise CheckFailure(f"{what}: {named} (expected {L:.6g}, got {got:.6g})")
        raise CheckFailure(f"{what}: expected the mean cross-entropy -1/N sum Y log softmax(Z) = {L:.6g} "
                           f"(nncore.SoftmaxCrossEntropy), got {got:.6g}.")
    passed(f"forward with one-hot Y: the mean cross-entropy {L:.4f}, as nncore.SoftmaxCrossEntropy")

    # 2. Integer labels (N,): the same loss, after building one-hot rows.
    what_int = f"forward(Z, y) for integer labels y = {labels.tolist()} (shape ({N},))"
    try:
        _, got_int = _forward(mod, what_int, Z, labels)
    except (ValueError, IndexError) as exc:
        raise CheckFailure(f"{what_int}: your code raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. "
                           f"One-hot Y works, so the integer labels are not turned into one-hot rows: for "
                           f"labels of shape (N,), build Y = np.eye(C)[y] (shape (N, C)) first.") from None
    if not np.isclose(got_int, L, rtol=1e-10, atol=1e-12):
        raise CheckFailure(f"{what_int}: expected {L:.6g}, the same as with one-hot rows, got {got_int:.6g}. "
                           "Integer labels must be turned into one-hot rows (np.eye(C)[y]) before the product "
                           "with log_P: multiplied as they are, they broadcast against the wrong axis.")
    passed("forward with integer labels (N,) gives the same loss as with one-hot rows")

    # 3. Backward: the fused gradient, against the named mistakes.
    what_b = f"backward() after {what}"
    loss, _ = _forward(mod, what, Z, Y)
    got_dZ = _backward(loss, what_b, (N, C))
    P = dZ * N + Y
    expect_close(what_b, got_dZ, dZ, atol=1e-10, variants=[
        (dZ * N, f"the 1/N is missing: expected (softmax(Z) - Y) / N, got softmax(Z) - Y ({N} times too large). "
                 "forward averages over the N rows, so its gradient is divided by N."),
        (dZ / N, f"the gradient is divided by N twice ({N} times too small): (softmax(Z) - Y) / N, once."),
        (-dZ, "the gradient has the wrong sign: it is (softmax(Z) - Y) / N, predictions minus targets; "
              "Y - softmax(Z) would make gradient descent raise the loss."),
        (dZ / C, f"the gradient is divided by N*C ({C} times too small): divide by N only, the number of rows."),
        ((P - Y) / (N * P), "the gradient is divided by softmax(Z) as well: that is the cross-entropy's own "
                            "gradient -Y/P mixed in; the fused gradient is simply (softmax(Z) - Y) / N."),
        (P / N, "the gradient is softmax(Z) / N: subtract the one-hot targets, (softmax(Z) - Y) / N."),
    ])
    passed("backward() returns the fused gradient (softmax(Z) - Y) / N")

    # 4. Gradient check of the learner's own forward and backward.
    _, dZ_int = _reference(Z, labels)
    loss, _ = _forward(mod, what_int, Z, labels)
    got_int_dZ = _backward(loss, f"backward() after {what_int}", (N, C))
    expect_close(f"backward() after {what_int}", got_int_dZ, dZ_int, atol=1e-10)
    try:
        err = gradcheck.check_loss(mod.SoftmaxCrossEntropy(), Z, labels)
    except gradcheck.GradientCheckError as exc:
        raise CheckFailure(f"{exc} Your forward and backward do not belong together.") from None
    passed(f"the gradient check agrees: relative error {'< 1e-8' if err < 1e-8 else f'{err:.1e}'} against "
           "finite differences of your forward")

    # 5. Large logits: exp(1000) overflows unless each row's maximum is subtracted first.
    Z_close = np.array([[1000.0, 999.0, 998.0], [798.0, 800.0, 799.0]])
    y_close = np.array([0, 2])
    L_close, _ = _reference(Z_close, y_close)
    what_close = "forward(Z, y) for Z = [[1000, 999, 998], [798, 800, 799]], y = [0, 2]"
    _, got = _forward(mod, what_close, Z_close, y_close)
    if not np.isfinite(got):
        raise CheckFailure(f"{what_close}: expected {L_close:.6g}, got {got}. exp(1000) overflows to inf, and "
                           "inf / inf is nan: subtract each row's maximum before exponentiating, "
                           "Z - Z.max(axis=1, keepdims=True) (softmax does not change when a row is shifted).")
    if not np.isclose(got, L_close, rtol=1e-10):
        raise CheckFailure(f"{what_close}: expected {L_close:.6g}, got {got:.6g}.")
    passed("logits near 1000: each row is shifted by its maximum, so nothing overflows")

    # 6. Extreme logits: e^(-2000) underflows to 0, so the log must come before the exponential.
    Z_big = np.array([[1000.0, 0.0, -1000.0], [-5.0, 800.0, 3.0]])
    y_big = np.array([2, 1])
    L_big, dZ_big = _reference(Z_big, y_big)
    what_big = "forward(Z, y) for logits of +-1000, Z = [[1000, 0, -1000], [-5, 800, 3]], y = [2, 1]"
    loss, got = _forward(mod, what_big, Z_big, y_big)
    if not np.isfinite(got):
        raise CheckFailure(f"{what_big}: expected {L_big:g}, got {got}. e^(-2000) underflows to 0 and log(0) is "
                           "-inf (and 0 * -inf is nan): the log is taken of softmax(Z), after exponentiating. Take "
                           "it before: log_P = (Z - m) - log(sum(exp(Z - m))), the stable log-softmax of "
                           "notebook 05, section 7.")
    if not np.isclose(got, L_big, rtol=1e-10):
        hint = (" That is the loss of a clipped probability (-log 1e-12 is about 27.6 per sample): compute the "
                "stable log-softmax, (Z - m) - log(sum(exp(Z - m))), instead of the log of softmax(Z)."
                if got < L_big / 2 else "")
        raise CheckFailure(f"{what_big}: expected the exact mean loss {L_big:g}, got {got:.6g}.{hint}")
    got_dZ = _backward(loss, f"backward() after {what_big}", Z_big.shape)
    if not np.all(np.isfinite(got_dZ)):
        raise CheckFailure(f"backward() after {what_big}: the gradient holds nan or inf. The probabilities kept "
                           "for backward must come from the shifted logits too (exp of the stable log-softmax).")
    expect_close(f"backward() after {what_big}", got_dZ, dZ_big, atol=1e-10)
    passed(f"logits of +-1000: the loss is the exact {L_big:g} and the gradient is finite")

    # 7. In training: the learner's loss trains a network exactly like nncore's.
    from ..data import spiral
    from ..layers import Dense
    from ..activations import ReLU
    from ..model import Sequential
    from ..optim import Adam

    X, y = spiral(50, 3, seed=0)

    def losses(loss):
        model = Sequential([Dense(2, 16, seed=0), ReLU(), Dense(16, 3, seed=1)])
        return model.fit(X, y, loss, Adam(0.02), epochs=30, batch_size=50, seed=0)["loss"]

    mine, reference = losses(mod.SoftmaxCrossEntropy()), losses(Reference())
    if not np.allclose(mine, reference, rtol=1e-9, atol=1e-12):
        raise CheckFailure(f"Sequential.fit on the spiral with your loss: the loss per epoch differs from "
                           f"nncore.SoftmaxCrossEntropy's (epoch 30: yours {mine[-1]:.6g}, "
                           f"nncore {reference[-1]:.6g}).")
    passed(f"trains the spiral network exactly like nncore.SoftmaxCrossEntropy: loss {mine[0]:.3f} -> "
           f"{mine[-1]:.3f} in 30 epochs")


EXERCISES = {
    "softmax_cross_entropy": Exercise("Softmax cross-entropy on logits: stable forward, fused backward",
                                      "05_softmax_jacobian", check_softmax_cross_entropy, order=1),
}
