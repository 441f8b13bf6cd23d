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
    ### BEGIN SOLUTION
    # TASK: lam times the sum of the squared entries of W, as one float
    # HINT 1: Notebook 07, section 2 ("L1 and L2 penalties"): the L2 term adds up the squares of all the weights and
    # multiplies that sum by the strength lambda.
    # HINT 2: penalty = lam * sum_ij W_ij^2; W has any shape, and the result is a single Python float, not an array.
    # HINT 3: Square W element by element, add up every entry (no axis), multiply by lam, and convert the result to
    # float before returning it.
    return float(lam * np.sum(W ** 2))
    ### END SOLUTION


def l2_gradient(W, lam):
    """The gradient of l2_penalty(W, lam) with respect to W; same shape as W."""
    ### BEGIN SOLUTION
    # TASK: the gradient of the penalty with respect to W, an array shaped like W
    # HINT 1: Notebook 07, section 2 gives the gradient of the penalty terms; mind the factor 2 ("A common mistake:
    # losing the 2", after the gradient check).
    # HINT 2: d penalty / d W_ij = 2 lam W_ij for every entry; the result has W's shape.
    # HINT 3: Differentiate lam w^2 for a single weight w; applied to the whole array W, entry by entry, that
    # expression is the answer. Nothing is summed: each weight has its own derivative.
    return 2.0 * lam * W
    ### END SOLUTION
