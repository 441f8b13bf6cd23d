"""Exercise: the L2 penalty and its gradient (notebook 07).

L2 regularization adds lam * (the sum of the squared weights) to the loss::

    penalty = lam * sum_ij W_ij^2
    d penalty / d W_ij = 2 * lam * W_ij

so every training step also pulls each weight towards 0 by an amount
proportional to the weight itself ("weight decay"). nncore's Dense(..., l2=lam)
uses exactly this penalty.
"""

import numpy as np


def l2_penalty(W, lam):
    """lam * sum(W ** 2) over every entry of W, as a single float."""
    ### BEGIN SOLUTION
    # HINT: square element by element, sum everything, multiply by lam: lam * np.sum(W ** 2)
    return float(lam * np.sum(W ** 2))
    ### END SOLUTION


def l2_gradient(W, lam):
    """The gradient of l2_penalty(W, lam) with respect to W; same shape as W."""
    ### BEGIN SOLUTION
    # HINT: differentiate lam * w^2 for one weight w, then apply it to every entry of W.
    return 2.0 * lam * W
    ### END SOLUTION
