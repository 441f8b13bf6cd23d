# This file is generated from solutions/dropout.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("dropout") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check dropout` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("dropout") (or `... -m nncore hint dropout`) gives the next hint, one at a time.
# `... -m nncore reset dropout` restores the original stub (your file is kept as dropout.py.bak).

"""Exercise: inverted dropout, forward and backward (notebook 07, section 3).

In training, each unit of A is kept with probability p = 1 - rate and the kept
units are scaled by 1/p::

    m     = 1[u < p] / p       u uniform in [0, 1), one number per entry of A; m is 0 or 1/p
    A_out = A * m              element by element: each entry is 0 or A / p
    dA_in = dA_out * m         backward: the SAME mask m as the forward pass

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
    raise NotImplementedError('dropout_forward in exercises/dropout.py is not implemented yet: the inverted-dropout mask and A_out (A itself and a mask of ones when not training). nncore.hint("dropout") gives a hint, nncore.check("dropout") checks it.')


def dropout_backward(dA, mask):
    """Gradient through dropout: dA (the gradient of A_out) times the mask of the forward pass."""
    raise NotImplementedError('dropout_backward in exercises/dropout.py is not implemented yet: dA times the mask of the forward pass. nncore.hint("dropout") gives a hint, nncore.check("dropout") checks it.')
