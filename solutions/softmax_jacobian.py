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
    ### BEGIN SOLUTION
    # HINT: subtract each row's maximum first (Z.max(axis=1, keepdims=True)); it cancels in
    # HINT: the ratio, and every exponent becomes <= 0. Then exponentiate and divide each row by its sum.
    # HINT: Do not change Z in place (no -=): the caller still needs it.
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
    ### END SOLUTION


def softmax_jacobian(s):
    """Jacobian of softmax for ONE sample, from its output s (C,) -> J (C, C), J[i, k] = ds_i/dz_k."""
    ### BEGIN SOLUTION
    # HINT: J = diag(s) - s s^T. np.diag(s) is the first term; the outer product s s^T is
    # HINT: np.outer(s, s) (for a 1-D s, s @ s.T is a single number, not a matrix).
    s = np.asarray(s, dtype=np.float64)
    return np.diag(s) - np.outer(s, s)
    ### END SOLUTION


def softmax_backward(S, dA):
    """Backprop through softmax: S = softmax(Z) and dA = dL/dS, both (N, C) -> dZ = dL/dZ, (N, C).

    One row per sample: dZ[n] = J_n^T @ dA[n]. Nothing is summed over the batch.
    """
    ### BEGIN SOLUTION
    # HINT: make dZ = np.zeros_like(dA, dtype=float); for each row n, build J with your
    # HINT: softmax_jacobian(S[n]) and set dZ[n] = J.T @ dA[n]. Return dZ.
    S = np.asarray(S, dtype=np.float64)
    dA = np.asarray(dA, dtype=np.float64)
    dZ = np.zeros_like(dA)
    for n in range(S.shape[0]):
        J = softmax_jacobian(S[n])
        dZ[n] = J.T @ dA[n]
    return dZ
    ### END SOLUTION
