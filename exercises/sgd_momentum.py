# This file is generated from solutions/sgd_momentum.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("sgd_momentum") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check sgd_momentum` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("sgd_momentum") (or `... -m nncore hint sgd_momentum`) gives the next hint, one at a time.
# `... -m nncore reset sgd_momentum` restores the original stub (your file is kept as sgd_momentum.py.bak).

"""Exercise: SGD with momentum (notebook 06, sections 2 and 7).

For each parameter array p with gradient g, at every step (element-wise)::

    v <- mu v + g        v: the velocity, zeros before the first step; mu = momentum
    p <- p - lr v

This is the form torch.optim.SGD uses. Each parameter has its own velocity, and
it must survive from one step to the next: that memory is what momentum is.
"""

import numpy as np

from nncore.optim import Optimizer


class SGDMomentum(Optimizer):
    """SGD with momentum, used like nncore.optim.SGD:

        optimizer = SGDMomentum(lr=0.1, momentum=0.9)
        optimizer.step(model.parameters(), model.gradients())

    The base class Optimizer does the bookkeeping: step() calls update(p, g, state, lr)
    once for every parameter array, with this step's learning rate lr (already
    decayed: lr / (1 + decay * t)). You write update().
    """

    def __init__(self, lr=0.01, *, momentum=0.9, decay=0.0):
        super().__init__(lr, decay=decay)
        self.momentum = float(momentum)

    def update(self, p, g, state, lr):
        """Move parameter p (any shape) in place, given its gradient g (same shape).

        state: a dict that belongs to this one parameter; it is empty at the first
        step and keeps whatever you store in it until the next step.
        lr: the learning rate of this step (use it, not self.lr: it includes decay).
        """
        raise NotImplementedError('SGDMomentum.update in exercises/sgd_momentum.py is not implemented yet: the momentum step of p, in place, with the velocity kept in state. nncore.hint("sgd_momentum") gives a hint, nncore.check("sgd_momentum") checks it.')
