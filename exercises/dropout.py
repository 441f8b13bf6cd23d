# This file is generated from solutions/dropout.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("dropout") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check dropout` (Windows: .venv\Scripts\python).
# `... -m nncore reset dropout` restores the original stub (your file is kept as dropout.py.bak).

"""Exercise: inverted dropout, forward and backward (notebook 07).

In training, each unit of A is kept with probability p = 1 - rate and the kept
units are scaled by 1/p::

    mask  = (u < p) / p        u ~ uniform[0, 1), one number per entry of A
    A_out = A * mask           each entry is 0 or A / p
    dA_in = dA_out * mask      backward: the SAME mask as the forward pass

E[A_out] = p * (A / p) = A, so the expected activation is unchanged and, in
evaluation mode, dropout simply returns A (no rescaling at test time).
"""

import numpy as np


def dropout_forward(A, rate, rng, training=True):
    """Inverted dropout of A (any shape); returns (A_out, mask), both with A's shape.

    rate: the fraction of units to drop, in [0, 1). rng: a np.random.Generator;
    draw the mask from it (rng.random(A.shape)) so results are repeatable.
    mask holds 0 for dropped units and 1/(1 - rate) for kept ones, so A_out = A * mask.
    With training=False nothing is dropped: return A itself and a mask of ones.
    """
    # HINT: if not training: return A, np.ones_like(A).
    # HINT: keep = 1 - rate; a unit is kept where rng.random(A.shape) < keep;
    # HINT: the mask is 1/keep for kept units and 0 for the others. Return A * mask, mask.
    raise NotImplementedError('dropout_forward in exercises/dropout.py is not implemented yet. Hint: if not training: return A, np.ones_like(A). keep = 1 - rate; a unit is kept where rng.random(A.shape) < keep; the mask is 1/keep for kept units and 0 for the others. Return A * mask, mask.')


def dropout_backward(dA, mask):
    """Gradient through dropout: dA (the gradient of A_out) times the mask of the forward pass."""
    # HINT: A_out = A * mask, so dA_in = dA * mask (one line; do not draw a new mask).
    raise NotImplementedError('dropout_backward in exercises/dropout.py is not implemented yet. Hint: A_out = A * mask, so dA_in = dA * mask (one line; do not draw a new mask).')
