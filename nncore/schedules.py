"""Learning-rate schedules: the learning rate at step t, as plain functions.

Each schedule is a function ``schedule(t) -> lr`` made by one of the builders
below, with t counting optimizer steps from 0 (the first step uses schedule(0)):

=====================================================  ===========================================
nncore.schedules                                       torch.optim.lr_scheduler
=====================================================  ===========================================
step_decay(lr, step_size=s, gamma=g)                   StepLR(opt, step_size=s, gamma=g)
  lr * g ** (t // s)
exponential(lr, gamma=g)                               ExponentialLR(opt, gamma=g)
  lr * g ** t
cosine_with_warmup(lr, warmup=w, total=T,              SequentialLR(opt, [LinearLR(opt, f, 1.0, w),
                   start_factor=f, min_lr=m)             CosineAnnealingLR(opt, T - w, m)], [w])
  warm-up: lr * (f + (1 - f) * t / w)  for t < w
  then m + (lr - m) * (1 + cos(pi * (t - w) / (T - w))) / 2, and m from t = T on
=====================================================  ===========================================

torch's schedulers are stepped once after every optimizer step, so its
learning rate during step t is the one above (tests/test_schedules.py checks
every step of a few hundred in float64).

How to use one with an nncore optimizer. The optimizers compute this step's
learning rate from ``optimizer.lr`` (divided by ``1 + decay * t``, the built-in
decay), so a schedule sets ``optimizer.lr`` before each step; keep ``decay=0``,
or the two would multiply. By hand::

    schedule = cosine_with_warmup(0.1, warmup=10, total=300)
    optimizer = SGD(0.1, momentum=0.9)
    for t in range(300):
        optimizer.lr = schedule(t)
        optimizer.step(params, grads)

or wrapped, which also works with ``Sequential.fit``:
``Scheduled(SGD(0.1, momentum=0.9), schedule)`` does the same before every step,
with t = the optimizer's own step count.
"""

import math

from .errors import fail, is_real, is_whole


def _positive(value, name, example):
    if not is_real(value) or value <= 0:
        fail(name, f"a number > 0, such as {example}", repr(value))
    return float(value)


def _gamma(value):
    """A factor in (0, 1]: 1 keeps the learning rate, 0 would stop training for good."""
    if not is_real(value) or not 0 < value <= 1:
        fail("gamma", "a factor in (0, 1], such as 0.5 or 0.99", repr(value),
             "The learning rate is multiplied by gamma; above 1 it would grow, at 0 it would stop.")
    return float(value)


def _step(t):
    if not is_whole(t, 0):
        fail("t", "a step number, a whole number >= 0 (the first step is 0)", repr(t))
    return int(t)


def step_decay(lr, *, step_size, gamma=0.1):
    """lr * gamma ** (t // step_size): the learning rate drops by gamma every step_size steps (StepLR)."""
    lr = _positive(lr, "lr", "0.1")
    if not is_whole(step_size, 1):
        fail("step_size", "a whole number of steps >= 1, such as 100", repr(step_size))
    gamma = _gamma(gamma)

    def schedule(t):
        return lr * gamma ** (_step(t) // step_size)
    return schedule


def exponential(lr, *, gamma):
    """lr * gamma ** t: the learning rate shrinks by the same factor every step (ExponentialLR)."""
    lr, gamma = _positive(lr, "lr", "0.1"), _gamma(gamma)

    def schedule(t):
        return lr * gamma ** _step(t)
    return schedule


def cosine_with_warmup(lr, *, warmup, total, start_factor=0.1, min_lr=0.0):
    """A linear warm-up from start_factor * lr to lr over `warmup` steps, then half a cosine
    down to min_lr at step `total`, and min_lr after that.

    The same as torch's LinearLR(start_factor, 1.0, warmup) followed by
    CosineAnnealingLR(T_max=total - warmup, eta_min=min_lr) in a SequentialLR,
    for t up to `total` (torch's cosine would rise again after it).
    """
    lr = _positive(lr, "lr", "0.1")
    if not is_whole(warmup, 0):
        fail("warmup", "a whole number of steps >= 0 (0 for no warm-up), such as 10", repr(warmup))
    if not is_whole(total, warmup + 1):
        fail("total", f"a whole number of steps > warmup = {warmup}, such as {warmup + 100}", repr(total),
             "The cosine runs from the end of the warm-up to step total.")
    if not is_real(start_factor) or not 0 < start_factor <= 1:
        fail("start_factor", "a fraction of lr in (0, 1], such as 0.1", repr(start_factor),
             "The warm-up starts at start_factor * lr (torch's LinearLR refuses 0 too).")
    if not is_real(min_lr) or not 0 <= min_lr < lr:
        fail("min_lr", f"a learning rate >= 0 and below lr = {lr}, such as 0.0", repr(min_lr))
    start_factor, min_lr = float(start_factor), float(min_lr)

    def schedule(t):
        t = _step(t)
        if t < warmup:
            return lr * (start_factor + (1.0 - start_factor) * t / warmup)
        if t >= total:
            return min_lr
        return min_lr + (lr - min_lr) * (1.0 + math.cos(math.pi * (t - warmup) / (total - warmup))) / 2.0
    return schedule


class Scheduled:
    """An nncore optimizer whose learning rate follows `schedule`: before each step it sets
    optimizer.lr = schedule(t), t being the number of steps taken so far. It has step(params,
    grads), so it goes wherever an optimizer goes, Sequential.fit included."""

    def __init__(self, optimizer, schedule):
        from .optim import Optimizer
        if not isinstance(optimizer, Optimizer):
            fail("optimizer", "an nncore optimizer such as SGD(0.1, momentum=0.9)", f"a {type(optimizer).__name__}",
                 "For torch.optim use torch.optim.lr_scheduler instead.")
        if optimizer.decay:
            fail("optimizer", "an optimizer with decay=0", f"decay={optimizer.decay}",
                 "The schedule sets the learning rate; the built-in decay would divide it once more.")
        if not callable(schedule):
            fail("schedule", "a function of the step t, such as step_decay(0.1, step_size=100)",
                 f"a {type(schedule).__name__}")
        self.optimizer, self.schedule = optimizer, schedule

    @property
    def lr(self):
        """The learning rate the next step will use."""
        return self.schedule(self.optimizer.iterations)

    def step(self, params, grads):
        lr = self.schedule(self.optimizer.iterations)
        if not is_real(lr) or lr < 0:
            fail("schedule(t)", "a learning rate >= 0", f"{lr!r} at t = {self.optimizer.iterations}")
        self.optimizer.lr = float(lr)
        self.optimizer.step(params, grads)

    def __repr__(self):
        return f"Scheduled({self.optimizer!r}, {getattr(self.schedule, '__qualname__', self.schedule)})"
