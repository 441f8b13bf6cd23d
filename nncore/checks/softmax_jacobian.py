"""Check for the softmax_jacobian exercise (notebook 05).

Each step names the function it tests and compares the learner's result with
nncore's own function and with finite differences, so a failure says which
function is wrong, how (shape expected vs got, or the largest error and where),
and what the usual cause is.
"""

import warnings

import numpy as np

from .. import gradcheck
from ..activations import Softmax
from ..activations import softmax as ref_softmax
from ..activations import softmax_jacobian as ref_jacobian
from . import CheckFailure, Exercise, diagnose, expect_close, expect_shape, learner_line


def _close(what, got, expected, hint=None, atol=1e-8):
    """expect_close, with a hint about the usual cause appended to the failure."""
    try:
        expect_close(what, got, expected, atol=atol)
    except CheckFailure as exc:
        raise CheckFailure(f"{exc} {hint}" if hint else str(exc)) from None


def numerical_jacobian(z, h=1e-5):
    """J[i, k] = d softmax(z)_i / d z_k by central differences, for one sample z (C,)."""
    z = np.array(z, dtype=np.float64)
    return np.stack([gradcheck.numerical_gradient(lambda: float(ref_softmax(z)[i]), z, h=h)
                     for i in range(z.size)])


def _call(mod, what, func, *args, hint):
    """func(*args); a ValueError (a shape that does not broadcast) in the learner's code gets `hint` and its line."""
    try:
        return func(*args)
    except ValueError as exc:
        raise CheckFailure(f"{what}: your code raised ValueError: {exc}{learner_line(mod, exc)}. {hint}") from None


def check_softmax_jacobian(mod, passed):
    rng = np.random.default_rng(0)

    # --- softmax ---------------------------------------------------------------------------
    Z = rng.standard_normal((3, 4)) * 2
    Z_before = Z.copy()
    S = _call(mod, "softmax(Z) for Z of shape (3, 4)", mod.softmax, Z,
              hint="Each row's sum must stay a column for the division to broadcast: "
              "E.sum(axis=1, keepdims=True) has shape (N, 1); without keepdims=True it is (N,).")
    expect_shape("softmax(Z) for Z of shape (3, 4)", S, (3, 4))
    if not np.array_equal(Z, Z_before):
        raise CheckFailure("softmax(Z) changed its input Z (an in-place `Z -= ...`?): compute "
                           "Z - Z.max(axis=1, keepdims=True) into a new array instead.")
    _close("softmax(Z) for Z of shape (3, 4)", S, ref_softmax(Z),
           "Each row is exp(z_i) / sum_j exp(z_j) over that row only: sum with axis=1, keepdims=True.")
    passed("softmax(Z) has shape (N, C), matches nncore.softmax, and leaves Z unchanged")

    big = np.array([[1e4, 0.0, -1e4, 5.0],
                    [1e4, 1e4 - 1.0, 1e4 - 2.0, 1e4 - 3.0],
                    [-1e4, -1e4, -1e4, -1e4 + 1.0]])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        S_big = mod.softmax(big)
    expect_shape("softmax(Z) for logits of size 1e4, shape (3, 4)", S_big, (3, 4))
    S_big = np.asarray(S_big, dtype=np.float64)
    if not np.all(np.isfinite(S_big)):
        bad = np.argwhere(~np.isfinite(S_big))
        raise CheckFailure(
            f"softmax(Z) for logits of size 1e4: expected finite probabilities, got "
            f"{len(bad)} NaN/inf value(s), the first in row {int(bad[0][0])} ({big[bad[0][0]]}). "
            "exp(1e4) overflows float64 (the largest is about exp(709)); subtract each row's "
            "maximum before exponentiating: it cancels in the ratio and keeps every exponent <= 0.")
    _close("softmax(Z) for logits of size 1e4", S_big, ref_softmax(big),
           "Subtract each row's own maximum (axis=1, keepdims=True), not the maximum of the whole array.")
    passed("softmax stays finite and exact for logits of size 1e4 (rows shifted by their maximum)")

    # --- softmax_jacobian ---------------------------------------------------------------------
    for z in (np.array([1.0, 2.0, 3.0, 0.5]), np.array([-1.0, 4.0])):
        s = ref_softmax(z)
        shown = np.array2string(s, precision=3)
        what = f"softmax_jacobian(s) for s = {shown}"
        J = mod.softmax_jacobian(s)
        expect_shape(what, J, (z.size, z.size))
        J = np.asarray(J, dtype=np.float64)
        hint = "Expected J[i, k] = s_i (delta_ik - s_k), i.e. np.diag(s) - np.outer(s, s)."
        hint = diagnose(J, [
            (np.diag(s * (1 - s)), "You have only the diagonal s_i (1 - s_i); the off-diagonal entries are "
                                   "-s_i s_k, because every output depends on every logit."),
            (np.diag(s) - s @ s, "You subtracted the number s @ s.T (for a 1-D s that is a dot product); "
                                 "the outer product s s^T is np.outer(s, s)."),
            (np.outer(s, s) - np.diag(s), "Every entry has the wrong sign: J = diag(s) - s s^T, "
                                          "not s s^T - diag(s)."),
            (np.diag(s) + np.outer(s, s), "s s^T is added; J = diag(s) minus s s^T: np.diag(s) - np.outer(s, s)."),
            (np.outer(s, 1 - s), "J[i, k] = s_i (delta_ik - s_k): you have s_i (1 - s_k) everywhere, without "
                                 "the delta (1 only where i == k). np.diag(s) - np.outer(s, s) puts it in."),
        ]) or hint
        _close(what, J, ref_jacobian(s), hint)
        _close(f"{what} against finite differences of softmax", J, numerical_jacobian(z), hint, atol=1e-7)
    passed("softmax_jacobian(s) equals diag(s) - s s^T and the numerical Jacobian (C = 4 and C = 2)")

    # --- softmax_backward ---------------------------------------------------------------------
    N, C = 5, 4
    Z = rng.standard_normal((N, C))
    S = ref_softmax(Z)
    dA = rng.standard_normal((N, C))
    what = "softmax_backward(S, dA) for S and dA of shape (5, 4)"
    dZ = _call(mod, what, mod.softmax_backward, S.copy(), dA.copy(),
               hint="Inside the loop each sample uses its own row: dZ[n] = J.T @ dA[n], a (C,) vector, with "
               "J = softmax_jacobian(S[n]) of shape (C, C).")
    if dZ is not None and np.shape(dZ) in ((C,), (1, C)):
        raise CheckFailure(f"{what}: expected shape {(N, C)}, got shape {np.shape(dZ)}. It looks summed "
                           "over the batch: dZ keeps one row per sample; only dW and db sum over samples.")
    expect_shape(what, dZ, (N, C))
    layer = Softmax()
    layer.forward(Z)
    hint = "Each row is dZ[n] = J_n.T @ dA[n] with J_n = softmax_jacobian(S[n])."
    right = layer.backward(dA)
    first_rows = np.vstack([right[:C], np.zeros((N - C, C))])
    hint = diagnose(dZ, [
        (dA * S * (1 - S), "You multiplied dA by s (1 - s) element by element: that uses only the diagonal of "
                           "each Jacobian. Multiply each row dA[n] by the whole matrix J_n."),
        (dA @ ref_jacobian(S[0]), "Every row uses the Jacobian of sample 0: each sample n has its own Jacobian, "
                                  "softmax_jacobian(S[n]), built inside the loop over the samples."),
        (first_rows, f"Only the first {C} rows are filled: the loop runs over S.shape[1] = {C} (the classes); "
                     f"it must run over the samples, range(S.shape[0]) = range({N})."),
        (np.stack([ref_jacobian(S[n]) @ S[n] for n in range(N)]),
         "Each row is J_n @ S[n]: the Jacobian must be applied to the incoming gradient, dA[n]."),
    ]) or hint
    _close(what, dZ, layer.backward(dA), hint)

    def f():  # L = sum(softmax(Z) * dA), so dL/dS = dA and dL/dZ is what backward must return
        return float(np.sum(ref_softmax(Z) * dA))

    _close(f"{what} against finite differences", dZ, gradcheck.numerical_gradient(f, Z), hint, atol=1e-7)
    passed("softmax_backward(S, dA) has shape (N, C) and matches nncore's Softmax layer and finite differences")

    Y = np.eye(C)[rng.integers(0, C, N)]
    dA_ce = -Y / S / N  # dL/dS of the mean cross-entropy
    dZ = mod.softmax_backward(S.copy(), dA_ce)
    expect_shape("softmax_backward(S, -Y / S / N)", dZ, (N, C))
    _close("softmax_backward(S, -Y / S / N), the cross-entropy gradient through the Jacobians",
           dZ, (S - Y) / N, hint)
    passed("the cross-entropy gradient -Y / (N S) through your Jacobians gives the fused (S - Y) / N")


EXERCISES = {
    "softmax_jacobian": Exercise("softmax, its Jacobian, and backprop through it", "05_softmax_jacobian",
                                 check_softmax_jacobian),
}
