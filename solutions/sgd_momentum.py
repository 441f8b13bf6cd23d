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
        ### BEGIN SOLUTION
        # TASK: the momentum step of p, in place, with the velocity kept in state
        # HINT 1: Notebook 06, section 2 ("Momentum"): each parameter keeps a velocity, a decaying sum of its past
        # gradients, and the step follows the velocity. Section 7 says where the velocity lives between steps
        # and why p must change in place.
        # HINT 2: v <- mu v + g, then p <- p - lr v; v, g and p have p's shape; v is 0 before the first step;
        # mu = self.momentum, and lr is the argument (it already includes the decay).
        # HINT 3: Steps: read this parameter's velocity from state (0.0 when state has none yet, at the first step);
        # compute the new velocity from it, the momentum and g; store the new velocity back in state; subtract
        # lr times the new velocity from p in place (`p = p - ...` would only make a new array that the model
        # never sees).
        v = state["v"] = self.momentum * state.get("v", 0.0) + g
        p -= lr * v
        ### END SOLUTION
