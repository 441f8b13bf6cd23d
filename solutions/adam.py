"""Exercise: Adam, with bias correction (notebook 06, sections 4 and 8).

For each parameter array p with gradient g, at its t-th step, t = 1, 2, 3, ... (element-wise)::

    m <- beta1 m + (1 - beta1) g               running mean of g        (m, v: zeros before step 1)
    v <- beta2 v + (1 - beta2) g^2             running mean of g^2
    m_hat = m / (1 - beta1^t)                  bias correction: m and v start at 0,
    v_hat = v / (1 - beta2^t)                  so their first averages are too small
    p <- p - lr m_hat / (sqrt(v_hat) + eps)

This is what torch.optim.Adam computes (eps is added after the square root of
the corrected v_hat).
"""

import numpy as np

from nncore.optim import Optimizer


class Adam(Optimizer):
    """Adam, used like nncore.optim.Adam:

        optimizer = Adam(lr=0.001)
        optimizer.step(model.parameters(), model.gradients())

    The base class Optimizer does the bookkeeping: step() calls update(p, g, state, lr)
    once for every parameter array, with this step's learning rate lr (already
    decayed: lr / (1 + decay * t)). You write update().
    """

    def __init__(self, lr=0.001, *, beta1=0.9, beta2=0.999, eps=1e-8, decay=0.0):
        super().__init__(lr, decay=decay)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def update(self, p, g, state, lr):
        """Move parameter p (any shape) in place, given its gradient g (same shape).

        state: a dict that belongs to this one parameter; it is empty at the first
        step and keeps whatever you store in it until the next step.
        lr: the learning rate of this step (use it, not self.lr: it includes decay).
        """
        ### BEGIN SOLUTION
        # TASK: one Adam step of p, in place, with t, m and v kept in state
        # HINT 1: Notebook 06, section 4 ("Adaptive learning rates"): Adam keeps two running means per parameter, of g
        # and of g^2, corrects both for starting at zero, and divides one by the square root of the other.
        # Section 8 lists the mistakes the check recognises.
        # HINT 2: At this parameter's t-th step, t = 1, 2, ... (element-wise, every array of p's shape):
        #   m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2     (both 0 before step 1)
        #   m_hat = m / (1 - beta1^t)             v_hat = v / (1 - beta2^t)
        #   p <- p - lr m_hat / (sqrt(v_hat) + eps)                                   (eps after the root)
        # HINT 3: Steps:
        #   1. add 1 to this parameter's step count in state (missing means 0, so the first step has t = 1);
        #   2. update m and v from their values in state (0 when missing) and g, and store them back in state;
        #   3. compute the two bias-corrected values from m, v, the betas and t;
        #   4. change p in place (-=) by lr times m_hat divided by (the square root of v_hat, plus eps);
        #      use the lr argument, which includes the decay, not self.lr.
        t = state["t"] = state.get("t", 0) + 1
        m = state["m"] = self.beta1 * state.get("m", 0.0) + (1 - self.beta1) * g
        v = state["v"] = self.beta2 * state.get("v", 0.0) + (1 - self.beta2) * g ** 2
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        p -= lr * m_hat / (np.sqrt(v_hat) + self.eps)
        ### END SOLUTION
