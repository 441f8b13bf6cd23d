# This file is generated from solutions/softmax_jacobian.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("softmax_jacobian") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check softmax_jacobian` (Windows: .venv\Scripts\python).
# `... -m nncore reset softmax_jacobian` restores the original stub (your file is kept as softmax_jacobian.py.bak).

"""Exercise: softmax, its Jacobian, and backprop through it (notebook 05).

For one sample with logits z (C,) and outputs s = softmax(z)::

    s_i = exp(z_i) / sum_j exp(z_j)
    J[i, k] = d s_i / d z_k = s_i (delta_ik - s_k)        J = diag(s) - s s^T, shape (C, C)

For a batch, one sample per row: S = softmax(Z) and dA = dL/dS, both (N, C). Each
sample's row of dZ = dL/dZ is its own Jacobian applied to its own row of dA::

    dZ[n] = J_n^T @ dA[n]          with J_n = softmax_jacobian(S[n])

(J is symmetric, so J^T = J; the transpose is written to show where it comes from.)
"""

import numpy as np


def softmax(Z):
    """Row-wise softmax of logits Z (N, C) -> probabilities (N, C), each row summing to 1.

    Must stay finite for any finite logits, even 1e4: exp(1e4) overflows float64.
    """
    # HINT: subtract each row's maximum first (Z.max(axis=1, keepdims=True)); it cancels in
    # HINT: the ratio, and every exponent becomes <= 0. Then exponentiate and divide each row by its sum.
    # HINT: Do not change Z in place (no -=): the caller still needs it.
    raise NotImplementedError("softmax in exercises/softmax_jacobian.py is not implemented yet. Hint: subtract each row's maximum first (Z.max(axis=1, keepdims=True)); it cancels in the ratio, and every exponent becomes <= 0. Then exponentiate and divide each row by its sum. Do not change Z in place (no -=): the caller still needs it.")


def softmax_jacobian(s):
    """Jacobian of softmax for ONE sample, from its output s (C,) -> J (C, C), J[i, k] = ds_i/dz_k."""
    # HINT: J = diag(s) - s s^T. np.diag(s) is the first term; the outer product s s^T is
    # HINT: np.outer(s, s) (for a 1-D s, s @ s.T is a single number, not a matrix).
    raise NotImplementedError('softmax_jacobian in exercises/softmax_jacobian.py is not implemented yet. Hint: J = diag(s) - s s^T. np.diag(s) is the first term; the outer product s s^T is np.outer(s, s) (for a 1-D s, s @ s.T is a single number, not a matrix).')


def softmax_backward(S, dA):
    """Backprop through softmax: S = softmax(Z) and dA = dL/dS, both (N, C) -> dZ = dL/dZ, (N, C).

    One row per sample: dZ[n] = J_n^T @ dA[n]. Nothing is summed over the batch.
    """
    # HINT: make dZ = np.zeros_like(dA, dtype=float); for each row n, build J with your
    # HINT: softmax_jacobian(S[n]) and set dZ[n] = J.T @ dA[n]. Return dZ.
    raise NotImplementedError('softmax_backward in exercises/softmax_jacobian.py is not implemented yet. Hint: make dZ = np.zeros_like(dA, dtype=float); for each row n, build J with your softmax_jacobian(S[n]) and set dZ[n] = J.T @ dA[n]. Return dZ.')
