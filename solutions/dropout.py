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
    ### BEGIN SOLUTION
    # TASK: the inverted-dropout mask and A_out (A itself and a mask of ones when not training)
    # HINT 1: Notebook 07, section 3 ("Dropout"): each unit is kept with probability p = 1 - rate and the kept ones
    # are divided by p, so that the expected output is A and evaluation needs no change. The common mistake
    # in that section is dropping without rescaling.
    # HINT 2: p = 1 - rate; u = rng.random(A.shape), uniform in [0, 1), one number per entry of A;
    # m = 1[u < p] / p (0 or 1/p per entry); A_out = A * m, element by element. Both arrays have A's shape.
    # With training=False: A_out = A and m = ones.
    # HINT 3: Steps: when not training, return A and ones shaped like A; otherwise compute the keep probability,
    # draw one uniform number per entry of A from rng, turn "the number is below the keep probability" into
    # 1 or 0 and divide by the keep probability: that is the mask; return A times the mask, and the mask.
    if not training:
        return A, np.ones_like(A)
    keep = 1.0 - rate
    mask = (rng.random(A.shape) < keep) / keep
    return A * mask, mask
    ### END SOLUTION


def dropout_backward(dA, mask):
    """Gradient through dropout: dA (the gradient of A_out) times the mask of the forward pass."""
    ### BEGIN SOLUTION
    # TASK: dA times the mask of the forward pass
    # HINT 1: Notebook 07, section 3: a dropped unit did not influence the loss, and a kept one was multiplied by
    # 1/p; its gradient gets the same factor. Backward uses the forward pass's mask, never a new one.
    # HINT 2: dA_in = dA * m, element by element; dA, m and dA_in have A's shape.
    # HINT 3: One step: multiply dA by the given mask, element by element, and return the product. A new mask here
    # would send gradients to units that were dropped in the forward pass.
    return dA * mask
    ### END SOLUTION
