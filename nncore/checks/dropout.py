"""Check for the inverted-dropout exercise (notebook 07)."""

import numpy as np

from . import CheckFailure, Exercise, expect_close, expect_shape, expect_unchanged


def _forward(mod, A, rate, seed, **kwargs):
    what = f"dropout_forward(A, rate={rate}, rng)"
    A_given = A.copy()
    result = mod.dropout_forward(A_given, rate, np.random.default_rng(seed), **kwargs)
    expect_unchanged(what, A, A_given, "your function changed A in place (A *= mask?). The layer before "
                     "still owns A, and backward needs it: return a new array, A * mask.")
    if not isinstance(result, tuple) or len(result) != 2:
        raise CheckFailure(f"{what}: expected a pair (A_out, mask), got "
                           f"{'None (did the function return its result?)' if result is None else type(result).__name__}.")
    A_out, mask = (np.asarray(r, dtype=np.float64) if r is not None else None for r in result)
    expect_shape(f"{what}: A_out", A_out, A.shape)
    expect_shape(f"{what}: mask", mask, A.shape)
    return A_out, mask


def check_dropout(mod, passed):
    rate = 0.25
    keep = 1 - rate
    A = np.random.default_rng(0).uniform(1.0, 2.0, (400, 50))  # no zeros, so dropped units are visible
    A_out, mask = _forward(mod, A, rate, seed=0)
    expect_close(f"dropout_forward(A, rate={rate}, rng): A_out (should be A * mask)", A_out, A * mask, atol=1e-12)
    passed("dropout_forward returns (A_out, mask) with A's shape, and A_out = A * mask")

    values = np.unique(np.round(mask, 12))
    if set(values) <= {0.0, 1.0}:
        raise CheckFailure(
            f"dropout_forward: the mask holds only 0 and 1, so the kept units are not rescaled. Inverted "
            f"dropout divides them by 1 - rate = {keep}: kept units must be 1/{keep} = {1 / keep:.4g} in the mask. "
            f"Without it the mean activation shrinks to {keep} times its value in training, and the network "
            "sees larger inputs at test time than it was trained on.")
    if np.allclose(values, [0.0, keep]):
        raise CheckFailure(f"dropout_forward: kept units are multiplied by 1 - rate = {keep}; they must be "
                           f"divided by it (mask value 1/{keep} = {1 / keep:.4g}), so that E[A_out] = A.")
    if np.allclose(values, [0.0, 1 / rate]):
        raise CheckFailure(f"dropout_forward: kept units are divided by rate = {rate} (1/rate = {1 / rate:.4g} in "
                           f"the mask); they must be divided by the probability of keeping them, 1 - rate = {keep} "
                           f"(mask value {1 / keep:.4g}), so that E[A_out] = A.")
    if not np.allclose(values, [0.0, 1 / keep]):
        raise CheckFailure(f"dropout_forward: expected mask values 0 (dropped) and 1/(1 - rate) = {1 / keep:.4g} "
                           f"(kept), got the values {values[:6]}{' ...' if len(values) > 6 else ''}.")
    passed(f"the mask is 0 or 1/(1 - rate) = {1 / keep:.4g}: kept units are scaled up")

    kept = float(np.mean(mask != 0))
    # 20000 entries: the kept fraction has std sqrt(0.25 * 0.75 / 20000) = 0.003.
    if abs(kept - rate) < 0.02 and abs(kept - keep) > 0.1:
        raise CheckFailure(f"dropout_forward(rate={rate}): {kept:.1%} of the units were kept, which is the rate. "
                           f"rate is the fraction DROPPED: keep each unit with probability 1 - rate = {keep}.")
    if abs(kept - keep) > 0.02:
        raise CheckFailure(f"dropout_forward(rate={rate}): expected about {keep:.0%} of the units kept "
                           f"(probability 1 - rate), got {kept:.1%}.")
    passed(f"about 1 - rate of the units are kept ({kept:.1%} of 20000, expected {keep:.0%})")

    ones = np.ones((1000, 1000))
    out, _ = _forward(mod, ones, 0.5, seed=1)
    mean = float(out.mean())
    # Each entry is 0 or 2 (std 1), so the mean of 10^6 entries has std 0.001.
    if abs(mean - 1.0) > 0.01:
        raise CheckFailure(f"dropout_forward on an array of ones with rate 0.5: expected the mean activation to "
                           f"stay about 1.0 (inverted dropout keeps E[A_out] = A), got {mean:.4f}.")
    passed(f"the mean activation is preserved (ones in, mean {mean:.3f} out at rate 0.5)")

    again, _ = _forward(mod, A, rate, seed=0)
    if not np.array_equal(again, A_out):
        raise CheckFailure("dropout_forward: two calls with generators seeded the same gave different masks. "
                           "Draw the random numbers from the rng argument (rng.random(A.shape)), not from "
                           "np.random, so runs are repeatable.")
    other, _ = _forward(mod, A, rate, seed=1)
    if np.array_equal(other, A_out):
        raise CheckFailure("dropout_forward: differently seeded generators gave the same mask. "
                           "Draw the mask from rng on every call.")
    passed("the mask is drawn from rng: repeatable with a seed, different with another")

    eval_out, eval_mask = _forward(mod, A, rate, seed=0, training=False)
    if np.any(eval_out == 0):
        raise CheckFailure(f"dropout_forward(A, rate, rng, training=False): {np.mean(eval_out == 0):.0%} of the units "
                           "are 0, so with training=False dropout still drops units. In evaluation mode nothing is "
                           "dropped: return A itself and a mask of ones.")
    if np.allclose(eval_out, A * keep):
        raise CheckFailure(f"dropout_forward(A, rate, rng, training=False): A_out is A * (1 - rate). That is the "
                           "test-time scaling of the original, non-inverted dropout; inverted dropout already "
                           "scaled the kept units by 1/(1 - rate) in training, so at test time it returns A as it is.")
    expect_close("dropout_forward(A, rate, rng, training=False): A_out (evaluation: nothing dropped, "
                 "no rescaling)", eval_out, A, atol=0)
    expect_close("dropout_forward(..., training=False): mask (all ones)", eval_mask, np.ones_like(A), atol=0)
    zero_out, _ = _forward(mod, A, 0.0, seed=0)
    expect_close("dropout_forward(A, rate=0.0, rng): A_out (nothing dropped)", zero_out, A, atol=1e-12)
    passed("evaluation mode (training=False) and rate 0 return A unchanged")

    dA = np.random.default_rng(2).standard_normal(A.shape)
    dA_in = mod.dropout_backward(dA, mask)
    expect_shape("dropout_backward(dA, mask)", dA_in, A.shape)
    dA_in = np.asarray(dA_in, dtype=np.float64)
    if np.allclose(dA_in, dA):
        raise CheckFailure("dropout_backward(dA, mask): returned dA unchanged. Units dropped in the forward "
                           "pass did not affect the output, so their gradient is 0: multiply by the mask.")
    if np.allclose(dA_in, dA * (mask != 0)):
        raise CheckFailure(f"dropout_backward(dA, mask): the dropped units are 0, but the kept ones are not "
                           f"scaled by 1/(1 - rate) = {1 / keep:.4g}. The forward pass multiplied them by "
                           "that, so the gradient must be multiplied by it too: dA * mask.")
    dropped = dA_in == 0
    if np.any(dropped) and not np.array_equal(dropped, mask == 0):
        raise CheckFailure("dropout_backward(dA, mask): the units set to 0 are not the ones dropped in the forward "
                           "pass: a new mask? Backward must use the mask from the forward pass (the `mask` "
                           "argument), so that exactly the units that did not reach the output get gradient 0: "
                           "return dA * mask.")
    expect_close("dropout_backward(dA, mask) (should be dA * mask, the mask of the forward pass)",
                 dA_in, dA * mask, atol=1e-12)
    passed("dropout_backward multiplies by the same mask: dropped units get gradient 0, kept ones 1/(1 - rate)")

    # End to end: differentiate the learner's own dropout_forward numerically. The same seed on every call
    # draws the same mask (checked above), so the forward pass is a fixed function of A.
    small = np.random.default_rng(3).standard_normal((3, 4))
    _, small_mask = _forward(mod, small, 0.5, seed=4)
    G = np.random.default_rng(5).standard_normal(small.shape)
    h = 1e-6
    numeric = np.zeros_like(small)
    for i in np.ndindex(small.shape):
        plus, minus = small.copy(), small.copy()
        plus[i] += h
        minus[i] -= h
        out_plus, _ = _forward(mod, plus, 0.5, seed=4)
        out_minus, _ = _forward(mod, minus, 0.5, seed=4)
        numeric[i] = np.sum(G * (out_plus - out_minus)) / (2 * h)
    expect_close("dropout_backward(G, mask) against a numerical gradient of dropout_forward (same seed, so "
                 "the same mask)", np.asarray(mod.dropout_backward(G, small_mask), dtype=np.float64), numeric,
                 atol=1e-6)
    passed("dropout_backward matches the numerical gradient of your dropout_forward")

EXERCISES = {
    "dropout": Exercise("Inverted dropout: forward with a scaled mask, backward with the same mask",
                        "07_regularization", check_dropout, order=1),
}
