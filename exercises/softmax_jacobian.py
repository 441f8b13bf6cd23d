# This file is generated from solutions/softmax_jacobian.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("softmax_jacobian") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check softmax_jacobian` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("softmax_jacobian") (or `... -m nncore hint softmax_jacobian`) gives the next hint, one at a time.
# `... -m nncore reset softmax_jacobian` restores the original stub (your file is kept as softmax_jacobian.py.bak).

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
    raise NotImplementedError('softmax in exercises/softmax_jacobian.py is not implemented yet: the row-wise softmax of Z, finite for any finite logits. nncore.hint("softmax_jacobian") gives a hint, nncore.check("softmax_jacobian") checks it.')


def softmax_jacobian(s):
    """Jacobian of softmax for ONE sample, from its output s (C,) -> J (C, C), J[i, k] = ds_i/dz_k."""
    raise NotImplementedError('softmax_jacobian in exercises/softmax_jacobian.py is not implemented yet: the C x C Jacobian diag(s) - s s^T of one sample. nncore.hint("softmax_jacobian") gives a hint, nncore.check("softmax_jacobian") checks it.')


def softmax_backward(S, dA):
    """Backprop through softmax: S = softmax(Z) and dA = dL/dS, both (N, C) -> dZ = dL/dZ, (N, C).

    One row per sample: row n of dZ is J_n^T dA_n. Nothing is summed over the batch.
    """
    raise NotImplementedError('softmax_backward in exercises/softmax_jacobian.py is not implemented yet: dZ, one row per sample, each row from its own sample\'s Jacobian. nncore.hint("softmax_jacobian") gives a hint, nncore.check("softmax_jacobian") checks it.')
