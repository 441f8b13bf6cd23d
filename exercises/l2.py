# This file is generated from solutions/l2.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("l2") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check l2` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("l2") (or `... -m nncore hint l2`) gives the next hint, one at a time.
# `... -m nncore reset l2` restores the original stub (your file is kept as l2.py.bak).

"""Exercise: the L2 and L1 penalties and their gradients (notebook 07, section 2).

L2 regularization adds lam * (the sum of the squared weights) to the loss::

    penalty = lam * sum_ij W_ij^2
    d penalty / d W_ij = 2 * lam * W_ij

so every training step also pulls each weight towards 0 by an amount
proportional to the weight itself ("weight decay"). nncore's Dense(..., l2=lam)
uses exactly this penalty.

L1 regularization adds lam * (the sum of the absolute values of the weights)::

    penalty = lam * sum_ij |W_ij|
    d penalty / d W_ij = lam * sign(W_ij)          (sign(0) = 0)

a pull of the same size lam on every non-zero weight, which drives small weights
to exactly 0. nncore's Dense(..., l1=lam) uses exactly this penalty.
"""

import numpy as np


def l2_penalty(W, lam):
    """The penalty lam * sum_ij W_ij^2, over every entry of W, as a single float."""
    raise NotImplementedError('l2_penalty in exercises/l2.py is not implemented yet: lam times the sum of the squared entries of W, as one float. nncore.hint("l2") gives a hint, nncore.check("l2") checks it.')


def l2_gradient(W, lam):
    """The gradient of l2_penalty(W, lam) with respect to W; same shape as W."""
    raise NotImplementedError('l2_gradient in exercises/l2.py is not implemented yet: the gradient of the penalty with respect to W, an array shaped like W. nncore.hint("l2") gives a hint, nncore.check("l2") checks it.')


def l1_penalty(W, lam):
    """The penalty lam * sum_ij |W_ij|, over every entry of W, as a single float."""
    raise NotImplementedError('l1_penalty in exercises/l2.py is not implemented yet: lam times the sum of the absolute values of W\'s entries, as one float. nncore.hint("l2") gives a hint, nncore.check("l2") checks it.')


def l1_gradient(W, lam):
    """The gradient of l1_penalty(W, lam) with respect to W; same shape as W, and 0 where W is 0."""
    raise NotImplementedError('l1_gradient in exercises/l2.py is not implemented yet: the gradient of the L1 penalty with respect to W, an array shaped like W. nncore.hint("l2") gives a hint, nncore.check("l2") checks it.')
