"""Check for the L2- and L1-penalty exercise (notebook 07)."""

import numpy as np

from .. import gradcheck
from ..layers import Dense
from . import CheckFailure, Exercise, expect_close, expect_shape, expect_unchanged


def _expect_W_unchanged(what, W, W_given):
    expect_unchanged(what, W, W_given,
                     "your function changed W in place (W was "
                     f"{W.tolist()}, afterwards {np.round(np.asarray(W_given, dtype=np.float64), 6).tolist()}). W belongs to the layer: compute "
                     "a new array, 2 * lam * W, instead of W *= ... .")


def check_l2(mod, passed):
    W = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])
    lam = 0.1
    expected = lam * float(np.sum(W ** 2))  # 0.1 * 16.5 = 1.65
    W_given = W.copy()
    got = mod.l2_penalty(W_given, lam)
    _expect_W_unchanged("l2_penalty(W, lam)", W, W_given)
    if got is None:
        raise CheckFailure("l2_penalty(W, lam): expected a number, got None (did the function return its result?).")
    if np.ndim(got) != 0:
        raise CheckFailure(f"l2_penalty(W, lam): expected a single number (the sum over every entry of W), "
                           f"got an array of shape {np.shape(got)}. Sum it: lam * np.sum(W ** 2).")
    got = float(got)
    if np.isclose(got, expected / 2):
        raise CheckFailure(f"l2_penalty(W, lam={lam}): expected lam * sum(W^2) = {expected:.4g}, got {got:.4g}, "
                           "exactly half. Some texts write lam/2 * sum(W^2); here (and in Dense(l2=lam)) the "
                           "penalty is lam * sum(W^2).")
    if np.isclose(got, lam * np.sum(np.abs(W))):
        raise CheckFailure(f"l2_penalty(W, lam={lam}): got {got:.4g} = lam * sum|W|, the L1 penalty. "
                           "L2 squares the weights: lam * sum(W^2).")
    if np.isclose(got, lam * np.sum(W)):
        raise CheckFailure(f"l2_penalty(W, lam={lam}): got {got:.4g} = lam * sum(W): the weights are not squared. "
                           f"L2 sums their squares: lam * sum(W^2) = {expected:.4g}.")
    if np.isclose(got, lam * np.sqrt(np.sum(W ** 2))):
        raise CheckFailure(f"l2_penalty(W, lam={lam}): got {got:.4g} = lam * ||W||, the norm of W. The L2 penalty "
                           f"is lam times the squared norm, lam * sum(W^2) = {expected:.4g}: no square root.")
    if np.isclose(got, lam * np.mean(W ** 2)):
        raise CheckFailure(f"l2_penalty(W, lam={lam}): got {got:.4g} = lam * mean(W^2). Sum over the entries "
                           f"instead of averaging: expected {expected:.4g}.")
    if not np.isclose(got, expected, rtol=1e-10, atol=0):
        raise CheckFailure(f"l2_penalty(W, lam={lam}) for W = {W.tolist()}: expected lam * sum(W^2) = "
                           f"{expected:.4g}, got {got:.4g}.")
    passed(f"l2_penalty(W, {lam}) = lam * sum(W^2) = {expected:.4g}")

    W_given = W.copy()
    grad = mod.l2_gradient(W_given, lam)
    _expect_W_unchanged("l2_gradient(W, lam)", W, W_given)
    if grad is not None and np.ndim(grad) == 0:
        raise CheckFailure(f"l2_gradient(W, lam) (one gradient per weight): expected an array of shape {W.shape}, "
                           f"got the single number {float(grad):.4g}: the gradient is summed. Each weight w gets "
                           "its own derivative, 2 * lam * w: return 2 * lam * W, without np.sum.")
    expect_shape("l2_gradient(W, lam) (one gradient per weight)", grad, W.shape)
    grad = np.asarray(grad, dtype=np.float64)
    right = 2 * lam * W
    mistakes = [
        (lam * W, "expected 2*lam*W, got lam*W: the factor 2 from d/dW W^2 = 2W is missing"),
        (2 * W, "expected 2*lam*W, got 2*W: multiply by the strength lam too"),
        (-right, "expected 2*lam*W, got -2*lam*W: the gradient of the penalty points away from 0 "
                 "(the optimizer subtracts it, which pulls weights towards 0)"),
        (lam * W ** 2, "expected 2*lam*W, got lam*W^2, the penalty's terms, not their derivative"),
        (2 * lam * np.abs(W), "expected 2*lam*W, got 2*lam*|W|: keep the sign of each weight"),
        (lam * np.sign(W), "expected 2*lam*W, got lam*sign(W), the gradient of the L1 penalty"),
    ]
    if not np.allclose(grad, right, rtol=1e-10, atol=1e-12):
        for wrong, message in mistakes:
            if np.allclose(grad, wrong, rtol=1e-10, atol=1e-12):
                raise CheckFailure(f"l2_gradient(W, lam={lam}): {message}.")
        expect_close(f"l2_gradient(W, lam={lam}) (expected 2*lam*W)", grad, right)
    passed("l2_gradient(W, lam) = 2 * lam * W")

    rng = np.random.default_rng(0)
    V = rng.standard_normal((4, 3))
    numeric = gradcheck.numerical_gradient(lambda: float(mod.l2_penalty(V, 0.03)), V)
    try:
        err = gradcheck.compare("l2_gradient", np.asarray(mod.l2_gradient(V, 0.03), dtype=np.float64),
                                numeric, tol=1e-7)
    except gradcheck.GradientCheckError as exc:
        raise CheckFailure(str(exc)) from None
    passed(f"the gradient check agrees: relative error {'< 1e-8' if err < 1e-8 else f'{err:.1e}'} "
           "against finite differences of l2_penalty")

    layer = Dense(4, 3, seed=0, l2=0.03)
    expect_close("l2_penalty(layer.W, 0.03) compared with nncore's Dense(4, 3, l2=0.03).penalty()",
                 mod.l2_penalty(layer.W, 0.03), layer.penalty(), atol=1e-12)
    passed("the same numbers as nncore's Dense(..., l2=lam).penalty()")

    _check_l1(mod, passed, W, lam)


def _check_l1(mod, passed, W, lam):
    """l1_penalty and l1_gradient: the values, the usual mistakes named, a gradient check, nncore's Dense(l1=)."""
    expected = lam * float(np.sum(np.abs(W)))  # 0.1 * 8 = 0.8
    W_given = W.copy()
    got = mod.l1_penalty(W_given, lam)
    expect_unchanged("l1_penalty(W, lam)", W, W_given,
                     "your function changed W in place (np.abs(W, out=W)?). W belongs to the layer: compute a "
                     "new array instead.")
    if got is None:
        raise CheckFailure("l1_penalty(W, lam): expected a number, got None (did the function return its result?).")
    if np.ndim(got) != 0:
        raise CheckFailure(f"l1_penalty(W, lam): expected a single number (the sum over every entry of W), "
                           f"got an array of shape {np.shape(got)}. Sum it: lam * np.sum(np.abs(W)).")
    got = float(got)
    mistakes = [
        (lam * float(np.sum(W)), "lam * sum(W): the absolute values are missing, so positive and negative "
                                 "weights cancel. L1 adds up their sizes: lam * sum(|W|)"),
        (lam * float(np.sum(W ** 2)), "lam * sum(W^2), the L2 penalty. L1 takes the absolute values, not the "
                                      "squares: lam * sum(|W|)"),
        (lam * float(np.mean(np.abs(W))), "lam * mean(|W|). Sum over the entries instead of averaging"),
        (float(np.sum(np.abs(W))), "sum(|W|) without the strength: multiply by lam"),
        (-expected, "minus lam * sum(|W|): a penalty is added to the loss, so it is positive"),
    ]
    if not np.isclose(got, expected, rtol=1e-10, atol=0):
        for wrong, message in mistakes:
            if np.isclose(got, wrong, rtol=1e-10, atol=0):
                raise CheckFailure(f"l1_penalty(W, lam={lam}): expected lam * sum(|W|) = {expected:.4g}, got "
                                   f"{got:.4g} = {message}.")
        raise CheckFailure(f"l1_penalty(W, lam={lam}) for W = {W.tolist()}: expected lam * sum(|W|) = "
                           f"{expected:.4g}, got {got:.4g}.")
    passed(f"l1_penalty(W, {lam}) = lam * sum(|W|) = {expected:.4g}")

    W_given = W.copy()
    with np.errstate(all="ignore"):
        grad = mod.l1_gradient(W_given, lam)
    expect_unchanged("l1_gradient(W, lam)", W, W_given,
                     "your function changed W in place. W belongs to the layer: return a new array, lam * np.sign(W).")
    if grad is not None and np.ndim(grad) == 0:
        raise CheckFailure(f"l1_gradient(W, lam) (one gradient per weight): expected an array of shape {W.shape}, "
                           f"got the single number {float(grad):.4g}: the gradient is summed. Each weight w gets "
                           "its own derivative, lam * sign(w).")
    expect_shape("l1_gradient(W, lam) (one gradient per weight)", grad, W.shape)
    grad = np.asarray(grad, dtype=np.float64)
    right = lam * np.sign(W)
    if np.any(np.isnan(grad)) and np.allclose(grad[W != 0], right[W != 0]):
        raise CheckFailure(f"l1_gradient(W, lam={lam}): nan where W is 0 (W = {W.tolist()}): W / |W| divides 0 by 0 "
                           "there. The notebook takes the slope 0 at w = 0: np.sign(W) gives 1, -1 or 0.")
    mistakes = [
        (np.sign(W), "expected lam*sign(W), got sign(W): multiply by the strength lam"),
        (-right, "expected lam*sign(W), got -lam*sign(W): the gradient of the penalty points away from 0 "
                 "(the optimizer subtracts it, which pulls weights towards 0)"),
        (lam * W, "expected lam*sign(W), got lam*W, a pull proportional to the weight (that is L2's kind of "
                  "gradient). The slope of lam*|w| has the same size lam for every non-zero weight"),
        (2 * lam * W, "expected lam*sign(W), got 2*lam*W, the gradient of the L2 penalty"),
        (2 * right, "expected lam*sign(W), got 2*lam*sign(W): there is no factor 2 in L1 (|w| is not squared)"),
        (lam * np.abs(W), "expected lam*sign(W), got lam*|W|, the penalty's terms, not their derivative"),
        (np.where(W >= 0, lam, -lam), "expected lam*sign(W), got lam where W is 0: the notebook takes sign(0) = 0, "
                                      "as np.sign does"),
        (np.full(W.shape, lam), "expected lam*sign(W), got lam everywhere: keep the sign of each weight"),
    ]
    if not np.allclose(grad, right, rtol=1e-10, atol=1e-12):
        for wrong, message in mistakes:
            if np.allclose(grad, wrong, rtol=1e-10, atol=1e-12):
                raise CheckFailure(f"l1_gradient(W, lam={lam}): {message}.")
        expect_close(f"l1_gradient(W, lam={lam}) (expected lam*sign(W))", grad, right)
    passed("l1_gradient(W, lam) = lam * sign(W), and 0 where W is 0")

    rng = np.random.default_rng(1)
    V = rng.standard_normal((4, 3))  # no entry within h of 0, where |w| has a kink
    numeric = gradcheck.numerical_gradient(lambda: float(mod.l1_penalty(V, 0.03)), V)
    try:
        err = gradcheck.compare("l1_gradient", np.asarray(mod.l1_gradient(V, 0.03), dtype=np.float64),
                                numeric, tol=1e-7)
    except gradcheck.GradientCheckError as exc:
        raise CheckFailure(str(exc)) from None
    layer = Dense(4, 3, seed=0, l1=0.03)
    expect_close("l1_penalty(layer.W, 0.03) compared with nncore's Dense(4, 3, l1=0.03).penalty()",
                 mod.l1_penalty(layer.W, 0.03), layer.penalty(), atol=1e-12)
    passed(f"the L1 gradient check agrees (relative error {'< 1e-8' if err < 1e-8 else f'{err:.1e}'}), and "
           "l1_penalty equals nncore's Dense(..., l1=lam).penalty()")


EXERCISES = {
    "l2": Exercise("L2 and L1 penalties and their gradients", "07_regularization", check_l2),
}
