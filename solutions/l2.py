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


def l1_penalty(W, lam):
    """The penalty lam * sum_ij |W_ij|, over every entry of W, as a single float."""
    ### BEGIN SOLUTION
    # TASK: lam times the sum of the absolute values of W's entries, as one float
    # HINT 1: Notebook 07, section 2 ("L1 and L2 penalties"): the L1 term adds up the sizes of all the weights,
    # whatever their sign, and multiplies that sum by the strength lambda.
    # HINT 2: penalty = lam * sum_ij |W_ij|; W has any shape, and the result is a single Python float.
    # HINT 3: Take the absolute value of W element by element, add up every entry (no axis), multiply by lam,
    # and convert the result to float before returning it. Nothing is squared.
    return float(lam * np.sum(np.abs(W)))
    ### END SOLUTION


def l1_gradient(W, lam):
    """The gradient of l1_penalty(W, lam) with respect to W; same shape as W, and 0 where W is 0."""
    ### BEGIN SOLUTION
    # TASK: the gradient of the L1 penalty with respect to W, an array shaped like W
    # HINT 1: Notebook 07, section 2: the slope of lam |w| is lam for a positive weight and -lam for a negative
    # one, the same size however large the weight is; at 0 the notebook takes the slope 0.
    # HINT 2: d penalty / d W_ij = lam * sign(W_ij), with sign(w) = 1, -1 or 0 for w > 0, w < 0, w = 0; the
    # result has W's shape.
    # HINT 3: NumPy has a function that gives the sign of every entry of an array (0 for a zero entry); multiply
    # its result by lam. Dividing W by its absolute value would also give the sign, but 0 / 0 is nan.
    return lam * np.sign(W)
    ### END SOLUTION
