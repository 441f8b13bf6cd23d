"""Optimizers: how parameters move once their gradients are known.

The interface, shared by every optimizer::

    optimizer.step(params, grads)

``params`` and ``grads`` are dicts with the same keys (``model.parameters()``
and ``model.gradients()``). Each parameter array is updated **in place**, so the
model sees the new values without reassigning anything, and no new arrays are
made on the hot path. Per-parameter memory (velocities, caches) lives in
``optimizer.state[name]``.

Learning-rate decay is shared too: at step t (counting from 0)::

    lr_t = lr / (1 + decay * t)
"""

import numpy as np

from .errors import NNCoreError, fail


class Optimizer:
    """Base class: the step loop, decay and per-parameter state. Subclasses write `update`."""

    def __init__(self, lr=0.01, decay=0.0):
        if not np.isfinite(lr) or lr <= 0:
            fail("lr", "a positive learning rate such as 0.1 or 1e-3", repr(lr))
        if decay < 0:
            fail("decay", "a decay >= 0 (0 means a constant learning rate)", repr(decay))
        self.lr, self.decay = float(lr), float(decay)
        self.iterations = 0
        self.state = {}

    @property
    def current_lr(self):
        """The learning rate the next step will use: lr / (1 + decay * t)."""
        return self.lr / (1.0 + self.decay * self.iterations)

    def step(self, params, grads):
        """Update every array in `params` in place from the matching array in `grads`."""
        if params.keys() != grads.keys():
            raise NNCoreError(
                f"optimizer.step: params and grads must have the same names; "
                f"params has {sorted(params)}, grads has {sorted(grads)}. "
                "Pass model.parameters() and model.gradients() after a backward pass.")
        lr = self.current_lr
        for name, p in params.items():
            g = grads[name]
            if g.shape != p.shape:
                fail(f"gradient of {name}", f"shape {p.shape} (the parameter's shape)", f"shape {g.shape}")
            self.update(p, g, self.state.setdefault(name, {}), lr)
        self.iterations += 1

    def update(self, p, g, state, lr):
        """Change p in place, given its gradient g, its state dict and this step's lr."""
        raise NotImplementedError(f"{type(self).__name__}.update is not implemented")

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr}, decay={self.decay})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Without momentum:  p <- p - lr * g
    With momentum mu (the form torch.optim.SGD uses)::

        v <- mu * v + g
        p <- p - lr * v

    v remembers a decaying sum of past gradients, so steps keep going in a
    consistent direction and the zig-zag across a narrow valley cancels out.
    """

    def __init__(self, lr=0.01, momentum=0.0, decay=0.0):
        super().__init__(lr, decay)
        if not 0 <= momentum < 1:
            fail("momentum", "a value in [0, 1), such as 0.9", repr(momentum))
        self.momentum = float(momentum)

    def update(self, p, g, state, lr):
        if self.momentum:
            v = state.get("v")
            if v is None:
                v = state["v"] = np.zeros_like(p)
            v *= self.momentum
            v += g
            g = v
        p -= lr * g

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, decay={self.decay})"
