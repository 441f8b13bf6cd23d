"""Exercise: softmax, its Jacobian, and backprop through it (notebook 05, section 8).

For one sample with logits z (C,) and outputs s = softmax(z)::

    s_i = exp(z_i) / sum_j exp(z_j)
    J[i, k] = d s_i / d z_k = s_i (delta_ik - s_k)        J = diag(s) - s s^T, shape (C, C)

For a batch, one sample per row: S = softmax(Z) and dA = dL/dS, both (N, C). Each
sample's row of dZ = dL/dZ is its own Jacobian applied to its own row of dA::

    dZ_n = J_n^T dA_n          with J_n = softmax_jacobian(S_n), S_n, dA_n and dZ_n the rows n

(J is symmetric, so J^T = J; the transpose is written to show where it comes from.)
"""

import numpy as np


def softmax(Z):
    """Row-wise softmax of logits Z (N, C) -> probabilities (N, C), each row summing to 1.

    Must stay finite for any finite logits, even 1e4: exp(1e4) overflows float64.
    """
    ### BEGIN SOLUTION
    # TASK: the row-wise softmax of Z, finite for any finite logits
    # HINT 1: Notebook 02, section 6 ("Computing sigmoid and softmax without overflow"): subtracting the same
    # number from every logit of a row changes nothing (notebook 02, section 4), and subtracting the row's
    # largest makes every exponent <= 0, so nothing overflows.
    # HINT 2: S_nc = e^(Z_nc - m_n) / sum_j e^(Z_nj - m_n), with m_n = max_j Z_nj, the largest logit of row n.
    # Z (N, C), m (N, 1), S (N, C), each row of S summing to 1.
    # HINT 3: Steps: take each row's maximum with keepdims=True, shape (N, 1), so that it broadcasts along the row;
    # exponentiate Z minus it into a new array (no -= on Z: the caller still needs Z); divide that array by
    # its row sums, again kept as a column of shape (N, 1).
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
    ### END SOLUTION


def softmax_jacobian(s):
    """Jacobian of softmax for ONE sample, from its output s (C,) -> J (C, C), J[i, k] = ds_i/dz_k."""
    ### BEGIN SOLUTION
    # TASK: the C x C Jacobian diag(s) - s s^T of one sample
    # HINT 1: Notebook 05, section 2 ("Deriving the Jacobian") ends with the matrix form of J; the common
    # mistake after it is about the outer product of a 1-D array.
    # HINT 2: J = diag(s) - s s^T, entry by entry J[i, k] = s_i (delta_ik - s_k); s (C,), J (C, C).
    # diag(s) has s on its diagonal and 0 elsewhere; s s^T is the outer product, (C, C).
    # HINT 3: Build the diagonal matrix of s (np.diag) and the outer product of s with itself (np.outer: for a
    # 1-D s, s @ s.T is a single number); return the first minus the second.
    s = np.asarray(s, dtype=np.float64)
    return np.diag(s) - np.outer(s, s)
    ### END SOLUTION


def softmax_backward(S, dA):
    """Backprop through softmax: S = softmax(Z) and dA = dL/dS, both (N, C) -> dZ = dL/dZ, (N, C).

    One row per sample: row n of dZ is J_n^T dA_n. Nothing is summed over the batch.
    """
    ### BEGIN SOLUTION
    # TASK: dZ, one row per sample, each row from its own sample's Jacobian
    # HINT 1: Notebook 05, section 5 ("Backpropagation through the Jacobian"): for one sample the chain rule gives
    # dz = J^T da; for a batch, do that for each row separately, with each row's own J (section 5, the
    # paragraph on a batch).
    # HINT 2: For each n in 0, ..., N-1: dZ_n = J_n^T dA_n with J_n = softmax_jacobian(S_n); the rows S_n, dA_n and
    # dZ_n have shape (C,), J_n is (C, C), and dZ is (N, C). Nothing is summed over n.
    # HINT 3: Steps: make an array of float zeros shaped like dA; loop over the row numbers n; in each, build J from
    # row n of S with your softmax_jacobian, multiply J transposed by row n of dA, and store the product as
    # row n of the result; after the loop, return the result.
    S = np.asarray(S, dtype=np.float64)
    dA = np.asarray(dA, dtype=np.float64)
    dZ = np.zeros_like(dA)
    for n in range(S.shape[0]):
        J = softmax_jacobian(S[n])
        dZ[n] = J.T @ dA[n]
    return dZ
    ### END SOLUTION
