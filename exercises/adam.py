# This file is generated from solutions/adam.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("adam") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check adam` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("adam") (or `... -m nncore hint adam`) gives the next hint, one at a time.
# `... -m nncore reset adam` restores the original stub (your file is kept as adam.py.bak).

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
        raise NotImplementedError('Adam.update in exercises/adam.py is not implemented yet: one Adam step of p, in place, with t, m and v kept in state. nncore.hint("adam") gives a hint, nncore.check("adam") checks it.')
