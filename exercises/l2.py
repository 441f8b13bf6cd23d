# This file is generated from solutions/l2.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("l2") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check l2` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("l2") (or `... -m nncore hint l2`) gives the next hint, one at a time.
# `... -m nncore reset l2` restores the original stub (your file is kept as l2.py.bak).

"""Exercise: the L2 penalty and its gradient (notebook 07, section 2).

L2 regularization adds lam * (the sum of the squared weights) to the loss::

    penalty = lam * sum_ij W_ij^2
    d penalty / d W_ij = 2 * lam * W_ij

so every training step also pulls each weight towards 0 by an amount
proportional to the weight itself ("weight decay"). nncore's Dense(..., l2=lam)
uses exactly this penalty.
"""

import numpy as np


def l2_penalty(W, lam):
    """The penalty lam * sum_ij W_ij^2, over every entry of W, as a single float."""
    raise NotImplementedError('l2_penalty in exercises/l2.py is not implemented yet: lam times the sum of the squared entries of W, as one float. nncore.hint("l2") gives a hint, nncore.check("l2") checks it.')


def l2_gradient(W, lam):
    """The gradient of l2_penalty(W, lam) with respect to W; same shape as W."""
    raise NotImplementedError('l2_gradient in exercises/l2.py is not implemented yet: the gradient of the penalty with respect to W, an array shaped like W. nncore.hint("l2") gives a hint, nncore.check("l2") checks it.')
