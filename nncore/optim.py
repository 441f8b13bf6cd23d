"""Optimizers: how parameters move once their gradients are known.

The interface, shared by every optimizer::

    optimizer.step(params, grads)

``params`` and ``grads`` are dicts with the same keys (``model.parameters()``
and ``model.gradients()``). Each parameter array is updated **in place**, so the
model sees the new values without reassigning anything. Per-parameter memory
(velocities, running averages) lives in ``optimizer.state[name]``.

Learning-rate decay is shared too: at step t (counting from 0)::

    lr_t = lr / (1 + decay * t)

Every update rule here gives the same numbers as its ``torch.optim``
counterpart (tests/test_optim.py checks them step by step in float64):

===================================  ==================================================
nncore                               PyTorch
===================================  ==================================================
SGD(lr, momentum=mu)                 torch.optim.SGD(lr=lr, momentum=mu)
SGD(lr, momentum=mu, nesterov=True)  torch.optim.SGD(lr=lr, momentum=mu, nesterov=True)
AdaGrad(lr, eps=eps)                 torch.optim.Adagrad(lr=lr, eps=eps)
RMSProp(lr, rho=rho, eps=eps)        torch.optim.RMSprop(lr=lr, alpha=rho, eps=eps)
Adam(lr, beta1=b1, beta2=b2, eps=e)  torch.optim.Adam(lr=lr, betas=(b1, b2), eps=e)
decay=d                              LambdaLR(opt, lambda t: 1 / (1 + d * t)), stepped
                                     after every optimizer step (Adagrad also has
                                     lr_decay=d built in)
===================================  ==================================================

The learning rate is the only positional argument; everything after it is
keyword-only, as in torch.optim: SGD(0.1, momentum=0.9), never SGD(0.1, 0.9).
So a number cannot land on the wrong option: AdaGrad(0.1, 1e-3) is an error
that says so, not a decay of 1e-3.

The adaptive optimizers keep a scratch array per parameter (``state["tmp"]``)
and compute into it with ``out=`` arguments, so a step allocates no new
full-size arrays: the same memory is reused every step.
"""

import inspect
import math

import numpy as np

from .errors import NNCoreError, as_numbers, fail, is_real


# --------------------------------------------------------------------------
# Small helpers shared by the optimizers
# --------------------------------------------------------------------------

def _number(value, name, expected):
    """Return `value` as a float, or raise NNCoreError naming the argument."""
    if not is_real(value):
        fail(name, expected, repr(value))
    return float(value)


def _fraction(value, name, example):
    """A coefficient in [0, 1) such as a momentum or a beta; 1 would never forget anything."""
    value = _number(value, name, f"a number in [0, 1), such as {example}")
    if not 0.0 <= value < 1.0:
        fail(name, f"a number in [0, 1), such as {example}", repr(value),
             "It is the fraction of the old average kept at each step, so it must be below 1.")
    return value


def _epsilon(value, name="eps"):
    value = _number(value, name, "a small number >= 0, such as 1e-8")
    if value < 0:
        fail(name, "a small number >= 0, such as 1e-8", repr(value))
    return value


def _rms_step(p, g, S, eps, lr, tmp):
    """p <- p - lr * g / (sqrt(S) + eps), in place, using tmp as scratch (AdaGrad and RMSProp)."""
    np.sqrt(S, out=tmp)
    tmp += eps
    np.divide(g, tmp, out=tmp)
    tmp *= lr
    p -= tmp


def _buffer(state, key, p):
    """state[key], an array shaped and typed like parameter p (zeros the first time)."""
    buf = state.get(key)
    if buf is None:
        buf = state[key] = np.zeros_like(p)
    elif buf.shape != p.shape:
        fail(f"optimizer state {key!r}", f"shape {p.shape} (the parameter's shape)", f"shape {buf.shape}",
             "This optimizer was used with a different model: create a new optimizer for each model.")
    return buf


# --------------------------------------------------------------------------
# The base class
# --------------------------------------------------------------------------

# torch.optim's names for what nncore calls otherwise, with the advice for each.
_TORCH_NAMES = {
    "betas": "torch's betas=(b1, b2) are two options here: beta1=b1, beta2=b2.",
    "alpha": "torch's RMSprop alpha is rho here: RMSProp(lr, rho=0.99).",
    "lr_decay": "torch's Adagrad lr_decay is decay here: lr / (1 + decay * t).",
    "weight_decay": "torch's weight_decay is an L2 penalty; in nncore it belongs to the layer: Dense(..., l2=1e-4). "
                    "(decay= here lowers the learning rate over time, which is something else.)",
    "params": "nncore's optimizers are not given the parameters when created: pass them to each "
              "step(model.parameters(), model.gradients()) (fit does that for you).",
}


class Optimizer:
    """Base class: the step loop, decay and per-parameter state. Subclasses write `update`."""

    def __new__(cls, *args, **kwargs):
        # Runs before __init__, so an old positional call such as SGD(0.1, 0.9) gets advice
        # instead of Python's "takes from 1 to 2 positional arguments but 3 were given".
        if args and hasattr(args[0], "__iter__") and not isinstance(args[0], str):
            fail(f"{cls.__name__} lr", "a learning rate such as 0.1", f"a {type(args[0]).__name__}",
                 f"nncore's optimizers are not given the parameters when created, as torch.optim's are: "
                 f"write {cls.__name__}(lr=0.1), then optimizer.step(model.parameters(), model.gradients()) "
                 "(fit does that for you).")
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]  # without self
        known = {p.name for p in params}
        for name in kwargs.keys() - known:
            if not any(p.kind == p.VAR_KEYWORD for p in params):
                fail(f"{cls.__name__} {name}", f"one of the options {', '.join(sorted(known))}", f"{name}=...",
                     _TORCH_NAMES.get(name, "Check the spelling."))
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(args) > len(positional) and not any(p.kind == p.VAR_POSITIONAL for p in params):
            options = [p.name for p in params if p.kind == p.KEYWORD_ONLY]
            fail(cls.__name__, f"the learning rate as the only positional argument, then the options by name: "
                 f"{cls.__name__}(lr, {', '.join(o + '=...' for o in options)})",
                 f"{len(args)} positional arguments {args!r}",
                 f"Name each option after lr, e.g. {cls.__name__}({args[0]!r}, {options[0]}={args[1]!r}) if "
                 f"{args[1]!r} is meant as the {options[0]}: as in torch.optim, the options are keyword-only, "
                 "so a number cannot silently set the wrong one." if options else None)
        return super().__new__(cls)

    def __init__(self, lr=0.01, decay=0.0):  # decay stays positional here: subclasses pass it on
        lr = _number(lr, "lr", "a positive learning rate such as 0.1 or 1e-3")
        if lr <= 0:
            fail("lr", "a positive learning rate such as 0.1 or 1e-3", repr(lr))
        decay = _number(decay, "decay", "a decay >= 0 (0 means a constant learning rate)")
        if decay < 0:
            fail("decay", "a decay >= 0 (0 means a constant learning rate)", repr(decay))
        self.lr, self.decay = lr, decay
        self.iterations = 0
        self.state = {}

    @property
    def current_lr(self):
        """The learning rate the next step will use: lr / (1 + decay * t)."""
        return self.lr / (1.0 + self.decay * self.iterations)

    def step(self, params, grads):
        """Update every array in `params` in place from the matching array in `grads`."""
        if not isinstance(params, dict) or not isinstance(grads, dict):
            fail("optimizer.step", "two dicts, step(params, grads), such as model.parameters() and "
                 "model.gradients()", f"{type(params).__name__} and {type(grads).__name__}")
        if params.keys() != grads.keys():
            raise NNCoreError(
                f"optimizer.step: params and grads must have the same names; "
                f"params has {sorted(params)}, grads has {sorted(grads)}. "
                "Pass model.parameters() and model.gradients() after a backward pass.")
        # Check everything before changing anything, so a bad call leaves the model untouched.
        for name, p in params.items():
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                # `p -= ...` on a float or a list would only rebind a local name: nothing would learn.
                fail(f"parameter {name}", "a float NumPy array, updated in place",
                     f"a {type(p).__name__}" + (f" of dtype {p.dtype}" if isinstance(p, np.ndarray) else ""),
                     "Create it once with np.array(..., dtype=float) and pass that same array every step.")
            g = as_numbers(grads[name], f"gradient of {name}")
            if g.shape != p.shape:
                fail(f"gradient of {name}", f"shape {p.shape} (the parameter's shape)", f"shape {g.shape}")
            if not np.isfinite(g).all():
                fail(f"gradient of {name}", "finite numbers", f"{int(np.sum(~np.isfinite(g)))} NaN/inf value(s)",
                     "A step with them would make the parameter NaN. Check the loss and the backward pass "
                     "that produced them; if training diverged, lower the learning rate.")
        self._step(params, grads)

    def _step(self, params, grads):
        """step() without its checks, for fit's loop: the model's own parameters and gradients."""
        lr = self.current_lr
        for name, p in params.items():
            self.update(p, grads[name], self.state.setdefault(name, {}), lr)
        self.iterations += 1

    def update(self, p, g, state, lr):
        """Change p in place, given its gradient g, its state dict and this step's lr."""
        raise NotImplementedError(f"{type(self).__name__}.update is not implemented")

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr}, decay={self.decay})"


# --------------------------------------------------------------------------
# SGD
# --------------------------------------------------------------------------

class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Without momentum:  p <- p - lr * g
    With momentum mu (the form torch.optim.SGD uses)::

        v <- mu * v + g
        p <- p - lr * v

    v remembers a decaying sum of past gradients, so steps keep going in a
    consistent direction and the zig-zag across a narrow valley cancels out.

    Nesterov momentum (``nesterov=True``, the form torch.optim.SGD(nesterov=True)
    uses) looks one step ahead: the velocity is updated the same way, but the step
    uses the gradient plus the new velocity once more::

        v <- mu * v + g
        p <- p - lr * (g + mu * v)

    It needs momentum > 0 (with momentum 0 it would be plain SGD under another
    name, so torch refuses it, and so does nncore).

    Another common way to write momentum puts the learning rate inside the
    velocity: ``u <- mu * u - lr * g;  p <- p + u``. With a constant lr the two
    give the same parameters at every step (u is always -lr * v), so either is
    correct. They differ once lr changes over time (decay, schedules): there,
    old velocity keeps the old, larger lr inside it, while the form above
    applies today's lr to the whole velocity.
    """

    def __init__(self, lr=0.01, *, momentum=0.0, decay=0.0, nesterov=False):
        super().__init__(lr, decay=decay)
        self.momentum = _fraction(momentum, "momentum", 0.9)
        if not isinstance(nesterov, (bool, np.bool_)):
            fail("nesterov", "True or False", repr(nesterov))
        if nesterov and self.momentum == 0:
            fail("nesterov", "momentum > 0 with nesterov=True", f"momentum={momentum!r}",
                 "Nesterov momentum is a kind of momentum: give one, such as SGD(0.05, momentum=0.9, "
                 "nesterov=True), or drop nesterov=True for plain SGD (torch.optim.SGD refuses it too).")
        self.nesterov = bool(nesterov)

    def update(self, p, g, state, lr):
        if self.momentum:
            v = _buffer(state, "v", p)
            v *= self.momentum
            v += g
            if self.nesterov:
                # p <- p - lr * (g + mu * v), with one temporary, in torch's order: g + mu * v first
                step = v * self.momentum
                np.add(g, step, out=step)
                step *= lr
                p -= step
                return
            g = v
        p -= lr * g

    def __repr__(self):
        nesterov = ", nesterov=True" if self.nesterov else ""
        return f"SGD(lr={self.lr}, momentum={self.momentum}, decay={self.decay}{nesterov})"


# --------------------------------------------------------------------------
# Adaptive learning rates: AdaGrad, RMSProp, Adam
# --------------------------------------------------------------------------

class AdaGrad(Optimizer):
    """AdaGrad: each parameter's step shrinks with the sum of its past squared gradients.

    For each parameter array p with gradient g (element-wise)::

        G <- G + g^2                     (G starts at 0)
        p <- p - lr * g / (sqrt(G) + eps)

    Entries that have had large gradients take small steps from then on;
    rarely-changed entries keep taking large ones. G only grows, so the steps
    keep shrinking: AdaGrad can stall before it reaches a minimum (RMSProp
    fixes that by forgetting old gradients).

    Matches torch.optim.Adagrad(lr=lr, eps=eps) (initial_accumulator_value=0,
    eps added outside the square root); torch's lr_decay is this class's decay.
    """

    def __init__(self, lr=0.01, *, decay=0.0, eps=1e-10):
        super().__init__(lr, decay=decay)
        self.eps = _epsilon(eps)

    def update(self, p, g, state, lr):
        G = _buffer(state, "sum", p)
        tmp = _buffer(state, "tmp", p)   # scratch space: no new arrays per step
        # G <- G + g^2
        np.multiply(g, g, out=tmp)
        G += tmp
        # p <- p - lr * g / (sqrt(G) + eps)
        _rms_step(p, g, G, self.eps, lr, tmp)

    def __repr__(self):
        return f"AdaGrad(lr={self.lr}, decay={self.decay}, eps={self.eps})"


class RMSProp(Optimizer):
    """RMSProp: divide each step by a running average of recent squared gradients.

    For each parameter array p with gradient g (element-wise)::

        S <- rho * S + (1 - rho) * g^2   (S starts at 0)
        p <- p - lr * g / (sqrt(S) + eps)

    Like AdaGrad, but S forgets old gradients (it averages roughly the last
    1 / (1 - rho) steps), so the steps do not shrink forever.

    rho defaults to 0.99, PyTorch's default (torch calls it `alpha`), so
    RMSProp(lr) and torch.optim.RMSprop(lr=lr) behave the same; Keras and
    Hinton's lecture notes use 0.9, which reacts faster to changing gradients.
    """

    def __init__(self, lr=0.01, *, rho=0.99, decay=0.0, eps=1e-8):
        super().__init__(lr, decay=decay)
        self.rho = _fraction(rho, "rho", 0.99)
        self.eps = _epsilon(eps)

    def update(self, p, g, state, lr):
        S = _buffer(state, "square_avg", p)
        tmp = _buffer(state, "tmp", p)   # scratch space: no new arrays per step
        # S <- rho * S + (1 - rho) * g^2
        S *= self.rho
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - self.rho
        S += tmp
        # p <- p - lr * g / (sqrt(S) + eps)
        _rms_step(p, g, S, self.eps, lr, tmp)

    def __repr__(self):
        return f"RMSProp(lr={self.lr}, rho={self.rho}, decay={self.decay}, eps={self.eps})"


class Adam(Optimizer):
    """Adam: momentum (a running mean of g) divided by RMSProp's running RMS of g.

    For each parameter array p with gradient g, at its t-th step (t = 1, 2, ...)::

        m <- beta1 * m + (1 - beta1) * g          (m, v start at 0)
        v <- beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)                  (bias correction: m and v
        v_hat = v / (1 - beta2^t)                   start at 0, so early averages are too small)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    eps is added *after* correcting v, as in the Adam paper's Algorithm 1 and
    in torch.optim.Adam. The code computes the same thing in torch's order::

        denom = sqrt(v) / sqrt(1 - beta2^t) + eps
        p <- p - (lr / (1 - beta1^t)) * m / denom

    (Some libraries instead add eps to sqrt(v) before the correction; that
    makes eps effectively larger in the first steps and does not match torch.)
    """

    def __init__(self, lr=0.001, *, beta1=0.9, beta2=0.999, eps=1e-8, decay=0.0):
        super().__init__(lr, decay=decay)
        self.beta1 = _fraction(beta1, "beta1", 0.9)
        self.beta2 = _fraction(beta2, "beta2", 0.999)
        self.eps = _epsilon(eps)

    def update(self, p, g, state, lr):
        b1, b2 = self.beta1, self.beta2
        m = _buffer(state, "m", p)
        v = _buffer(state, "v", p)
        tmp = _buffer(state, "tmp", p)   # scratch space: no new arrays per step
        t = state["t"] = state.get("t", 0) + 1
        # m <- beta1 * m + (1 - beta1) * g
        m *= b1
        np.multiply(g, 1.0 - b1, out=tmp)
        m += tmp
        # v <- beta2 * v + (1 - beta2) * g^2
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - b2
        v += tmp
        # denom = sqrt(v) / sqrt(1 - beta2^t) + eps
        np.sqrt(v, out=tmp)
        tmp /= math.sqrt(1.0 - b2 ** t)
        tmp += self.eps
        # p <- p - (lr / (1 - beta1^t)) * m / denom
        np.divide(m, tmp, out=tmp)
        tmp *= lr / (1.0 - b1 ** t)
        p -= tmp

    def __repr__(self):
        return (f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}, "
                f"decay={self.decay})")


def fast_step(optimizer):
    """The step function for a training loop that passes a model's own parameters and gradients.

    For nncore's optimizers that is _step, which skips step()'s checks (fit checks its
    arguments once, before the first epoch); any other optimizer keeps its own step.
    """
    if isinstance(optimizer, Optimizer) and type(optimizer).step is Optimizer.step:
        return optimizer._step
    return optimizer.step
