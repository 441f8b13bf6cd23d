"""Check for the SGD-with-momentum exercise (notebook 06), and the helpers the Adam check shares.

The learner's optimizer and torch.optim run on the same parameters and the same
gradients, step by step, in float64. At the first step that disagrees, the
learner's numbers are compared with NumPy versions of the usual mistakes; if
they match one, the failure message names it.
"""

import warnings

import numpy as np

from . import CheckFailure, Exercise, same_memory

#: Two parameters of different shapes, as in a Dense layer: each needs its own state.
SHAPES = {"W": (3, 2), "b": (1, 2)}
ATOL = 1e-9  # float64 optimizers agree to ~1e-16; every known mistake is off by far more than this


# --------------------------------------------------------------------------
# Shared helpers (also used by nncore/checks/adam.py)
# --------------------------------------------------------------------------

def start_params(shapes=SHAPES, seed=0):
    rng = np.random.default_rng(seed)
    return {name: rng.normal(size=shape) for name, shape in shapes.items()}


def gradient_steps(steps, shapes=SHAPES, seed=1, scales=None):
    """One dict of gradients per step; scales[k] multiplies step k's gradients (default 1)."""
    rng = np.random.default_rng(seed)
    scales = [1.0] * steps if scales is None else scales
    return [{name: s * rng.normal(size=shape) for name, shape in shapes.items()} for s in scales]


def copy_params(params):
    return {name: np.array(p, dtype=np.float64, copy=True) for name, p in params.items()}


def run_learner(optimizer, params, grad_steps):
    """Call optimizer.step on `params` (changed in place) for each gradient dict; copies after each step.

    The gradients are copied before each call, so a learner's update that changes g
    cannot change the sequence the others see. Division by zero and overflow warnings
    are silenced: the check reports NaN and inf itself, in words.
    """
    after = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        for grads in grad_steps:
            optimizer.step(params, copy_params(grads))
            after.append(copy_params(params))
    return after


def run_torch(make_optimizer, params, grad_steps, decay=0.0):
    """The same steps with torch.optim (float64); decay as LambdaLR(1 / (1 + decay * t))."""
    import torch
    tensors = {name: torch.tensor(p.copy(), dtype=torch.float64, requires_grad=True)
               for name, p in params.items()}
    optimizer = make_optimizer(list(tensors.values()))
    scheduler = (torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1.0 / (1.0 + decay * t))
                 if decay else None)
    after = []
    for grads in grad_steps:
        for name, t in tensors.items():
            t.grad = torch.tensor(grads[name], dtype=torch.float64)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        after.append({name: t.detach().numpy().copy() for name, t in tensors.items()})
    return after


def run_numpy(update, params, grad_steps, lr, decay=0.0):
    """A NumPy optimizer given as update(name, p, g, state, lr_t) -> new p, run like Optimizer.step."""
    params, states, after = copy_params(params), {}, []
    with np.errstate(all="ignore"):
        for t, grads in enumerate(grad_steps):
            lr_t = lr / (1.0 + decay * t)
            for name in params:
                params[name] = update(name, params[name], grads[name], states.setdefault(name, {}), lr_t)
            after.append(copy_params(params))
    return after


def first_difference(got, expected, atol=ATOL):
    """None if every step agrees, else (step (1-based), name, max |diff|, index, got value, expected value)."""
    for k, (g_step, e_step) in enumerate(zip(got, expected), 1):
        for name in e_step:
            g, e = g_step[name], e_step[name]
            diff = np.abs(g - e)
            if not np.all(diff <= atol):  # NaN fails too
                flat = int(np.argmax(np.where(np.isnan(diff), np.inf, diff)))
                where = tuple(int(i) for i in np.unravel_index(flat, diff.shape))
                return k, name, float(np.nanmax(diff)) if np.any(~np.isnan(diff)) else np.nan, where, \
                    float(g[where]), float(e[where])
    return None


def same_steps(got, other, steps):
    """Do the first `steps` steps of two runs agree (NaN where the other has NaN counts as equal)?"""
    return all(np.allclose(g[name], o[name], rtol=1e-7, atol=1e-10, equal_nan=True)
               for g, o in zip(got[:steps], other[:steps]) for name in o)


def describe_difference(what, reference, diff):
    step, name, size, where, got, expected = diff
    size = "NaN" if np.isnan(size) else f"{size:.3g}"
    return (f"{what}: after step {step}, {name} differs from {reference} by up to {size} "
            f"(at index {where}: got {got:.6g}, expected {expected:.6g}).")


def compare_run(what, reference, got, expected, variants, atol=ATOL):
    """Raise CheckFailure at the first step where `got` differs from `expected` by more than atol.

    variants: (message, run) pairs, one per known mistake; the first whose run
    agrees with `got` up to that step adds its message (what is wrong, how to fix it).
    """
    diff = first_difference(got, expected, atol)
    if diff is None:
        return
    message = describe_difference(what, reference, diff)
    step = diff[0]
    for hint, run in variants:
        if same_steps(got, run, step):
            message += f" Your numbers match a known mistake: {hint}"
            break
    raise CheckFailure(message)


def step_ratio(got, start, expected):
    """The learner's first step divided by the expected one (median over entries; negative: wrong way)."""
    mine = np.concatenate([(got[n] - start[n]).ravel() for n in start])
    theirs = np.concatenate([(expected[n] - start[n]).ravel() for n in start])
    with np.errstate(all="ignore"):
        return float(np.median(mine / theirs))


def expect_in_place_step(optimizer, params, grads, what):
    """One step: the arrays in params must change in place, the gradients must not change."""
    before = copy_params(params)
    arrays = dict(params)
    grads_given = copy_params(grads)
    run_learner_once(optimizer, params, grads_given)
    if any(params[n] is not arrays[n] for n in params):
        raise CheckFailure(f"{what}: step() replaced the parameter arrays in the dict; it must change "
                           "the arrays themselves (p -= ...), because the model keeps using them.")
    if all(np.array_equal(params[n], before[n]) for n in params):
        raise CheckFailure(f"{what}: after one step the parameters have not changed. Change p in place "
                           "(p -= lr * ...): `p = p - lr * ...` makes a new array that only your function "
                           "sees, and the model's weights stay as they were.")
    aliased = _state_aliasing_gradient(optimizer, grads_given)
    if aliased:
        name, key = aliased
        raise CheckFailure(f"{what}: after the first step, state[{key!r}] of {name} is the same array as its "
                           f"gradient g, not a copy. The model reuses (overwrites) its gradient arrays at every "
                           f"backward pass, so your {key} would change behind your back, and an in-place update "
                           f"of {key} changes g. Store a new array: state[{key!r}] = g.copy(), or compute it with a "
                           f"formula such as momentum * v + g, which makes a new array.")
    changed = [n for n in grads if not np.array_equal(grads_given[n], grads[n])]
    if changed:
        raise CheckFailure(f"{what}: the step changed the gradient array of {changed[0]}, which belongs to "
                           "the model. Do not write into g (no g *= ... or g += ...), and store a copy, not g "
                           "itself, in state: an array you later change in place must be your own.")


def _state_aliasing_gradient(optimizer, grads):
    """(parameter name, state key) of a state array that shares memory with that parameter's gradient, or None."""
    states = getattr(optimizer, "state", None)
    if not isinstance(states, dict):
        return None
    for name, g in grads.items():
        state = states.get(name)
        for key, value in (state.items() if isinstance(state, dict) else ()):
            if same_memory(value, g):
                return name, key
    return None


def run_learner_once(optimizer, params, grads):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        optimizer.step(params, grads)


def two_parameter_run(make, params, grad_steps, what):
    """run_learner, turning a shape error with two parameters into advice about per-parameter state."""
    try:
        return run_learner(make(), params, grad_steps)
    except ValueError as exc:
        if "broadcast" not in str(exc) and "shape" not in str(exc):
            raise
        raise CheckFailure(
            f"{what}: with two parameters of different shapes ({', '.join(f'{n} {s}' for n, s in SHAPES.items())}) "
            f"your update raised ValueError: {exc}. Does each parameter keep its own memory? Store it in "
            "`state` (a separate dict for every parameter), not on self.") from None


def train_spiral_losses(optimizer, epochs=30):
    """Losses of the notebook's spiral network (2-64-3), full batch, trained by `optimizer`."""
    from ..activations import ReLU
    from ..data import spiral
    from ..layers import Dense
    from ..losses import SoftmaxCrossEntropy
    from ..model import Sequential
    X, y = spiral(100, 3)
    model = Sequential([Dense(2, 64, seed=0), ReLU(), Dense(64, 3, seed=1)])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        history = model.fit(X, y, SoftmaxCrossEntropy(), optimizer, epochs=epochs)
    return np.array(history["loss"])


def expect_same_training(what, mine, reference, name):
    if mine.shape != reference.shape or not np.allclose(mine, reference, rtol=1e-9, atol=1e-12):
        k = int(np.argmax(~np.isclose(mine, reference, rtol=1e-9, atol=1e-12))) if mine.shape == reference.shape else 0
        raise CheckFailure(f"{what}: the loss history differs from {name}'s from epoch {k + 1} "
                           f"(got {mine[k]:.6g}, expected {reference[k]:.6g}).")


# --------------------------------------------------------------------------
# Known mistakes in SGD with momentum, as NumPy updates
# --------------------------------------------------------------------------

def momentum_update(mu, mistake=None, lr0=None):
    """update(name, p, g, state, lr) for torch's momentum (mistake=None) or one of the usual mistakes."""
    def update(name, p, g, state, lr):
        if mistake == "self.lr":
            lr = lr0
        if mistake == "no memory":          # a fresh velocity every step: plain SGD
            return p - lr * g
        if mistake == "dampened":           # an average of g, as Adam's m
            v = state["v"] = mu * state.get("v", 0.0) + (1 - mu) * g
            return p - lr * v
        if mistake == "seed form":          # u = mu u - lr g; p += u
            u = state["u"] = mu * state.get("u", 0.0) - lr * g
            return p + u
        if mistake == "lr twice":           # v = mu v + lr g, then p -= lr v
            v = state["v"] = mu * state.get("v", 0.0) + lr * g
            return p - lr * v
        v = state["v"] = mu * state.get("v", 0.0) + g
        if mistake == "uphill":
            return p + lr * v
        return p - lr * v
    return update


MOMENTUM_MISTAKES = {
    "no memory": "the velocity is not kept between steps, so every step is plain SGD (p -= lr * g). "
                 "Store it in state (state[\"v\"] = v) and start the next step from it.",
    "dampened": "v = momentum * v + (1 - momentum) * g is a running average (Adam's m), so every step is only "
                "(1 - momentum) times as long as torch's; torch's SGD adds the whole gradient: v = momentum * v + g.",
    "uphill": "the step has the wrong sign: it moves p up the slope (as p += lr * v does); descent "
              "subtracts, p -= lr * v with v = momentum * v + g. Check the signs in v and in the step.",
    "lr twice": "the learning rate is applied twice (in v and again in p -= lr * v); v = momentum * v + g "
                "holds gradients only.",
    "seed form": "u = momentum * u - lr * g; p += u. That form is the same as torch's while lr is "
                 "constant, but with decay its velocity keeps the larger learning rates of earlier steps. "
                 "Keep lr out of the velocity: v = momentum * v + g, then p -= lr * v.",
    "self.lr": "the update uses self.lr, the starting learning rate, so decay has no effect. Use the lr "
               "argument: the base class passes lr / (1 + decay * t).",
}


def momentum_variants(params, grad_steps, lr, mu, decay=0.0, names=tuple(MOMENTUM_MISTAKES)):
    return [(MOMENTUM_MISTAKES[m], run_numpy(momentum_update(mu, m, lr), params, grad_steps, lr, decay))
            for m in names]


# --------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------

def check_sgd_momentum(mod, passed):
    import torch

    lr, mu = 0.2, 0.9  # lr != 1 - mu, so every mistake below gives different numbers

    # 1. One step on one parameter: in place, gradient untouched, p - lr * g (the velocity starts at 0).
    params = start_params({"W": (3, 2)})
    start = copy_params(params)
    grads = gradient_steps(1, {"W": (3, 2)})
    expect_in_place_step(mod.SGDMomentum(lr, momentum=mu), params, grads[0],
                         f"SGDMomentum(lr={lr}, momentum={mu})")
    expected = run_torch(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mu), start, grads)
    got = [copy_params(params)]
    try:
        compare_run(f"SGDMomentum(lr={lr}, momentum={mu}), first step", "p - lr * g (torch.optim.SGD)",
                    got, expected, momentum_variants(start, grads, lr, mu,
                                                     names=("dampened", "uphill", "lr twice")))
    except CheckFailure as failure:
        ratio = step_ratio(got[0], start, expected[0])
        if not np.isfinite(ratio):
            raise
        raise CheckFailure(f"{failure} Your first step is {ratio:.3g} times the expected one.") from None
    passed("one step changes p in place by -lr * g (the velocity starts at 0) and leaves g unchanged")

    # 2. Five steps on two parameters of different shapes, constant lr: torch.optim.SGD step for step.
    params, grads = start_params(), gradient_steps(5)
    what = f"SGDMomentum(lr={lr}, momentum={mu})"
    got = two_parameter_run(lambda: mod.SGDMomentum(lr, momentum=mu), copy_params(params), grads, what)
    expected = run_torch(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mu), params, grads)
    compare_run(what, f"torch.optim.SGD(lr={lr}, momentum={mu})", got, expected,
                momentum_variants(params, grads, lr, mu))
    passed(f"5 steps on W (3, 2) and b (1, 2) match torch.optim.SGD(lr={lr}, momentum={mu})")

    # 3. momentum=0 must be plain SGD: the update has to use self.momentum, not a fixed 0.9.
    got = run_learner(mod.SGDMomentum(lr, momentum=0.0), copy_params(params), grads[:3])
    expected = run_torch(lambda ps: torch.optim.SGD(ps, lr=lr), params, grads[:3])
    compare_run(f"SGDMomentum(lr={lr}, momentum=0.0)", f"plain SGD, torch.optim.SGD(lr={lr})", got, expected,
                [("the update ignores self.momentum (it behaves as momentum=0.9). Use self.momentum.",
                  run_numpy(momentum_update(0.9), params, grads[:3], lr))])
    passed("momentum=0 gives plain SGD, p -= lr * g")

    # 4. With decay the learning rate changes every step; only the torch form stays equal to torch.
    decay, steps = 0.5, 6
    grads = gradient_steps(steps, seed=2)
    what = f"SGDMomentum(lr={lr}, momentum={mu}, decay={decay})"
    got = run_learner(mod.SGDMomentum(lr, momentum=mu, decay=decay), copy_params(params), grads)
    expected = run_torch(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=mu), params, grads, decay=decay)
    compare_run(what, f"torch.optim.SGD(lr={lr}, momentum={mu}) with LambdaLR 1 / (1 + {decay} t)",
                got, expected, momentum_variants(params, grads, lr, mu, decay, ("seed form", "self.lr")))
    passed(f"with decay={decay} (lr / (1 + {decay} t)) {steps} steps match torch's SGD with a LambdaLR schedule")

    # 5. In a real training loop: the same loss curve as nncore.optim.SGD.
    from ..optim import SGD
    mine = train_spiral_losses(mod.SGDMomentum(lr, momentum=mu))
    reference = train_spiral_losses(SGD(lr, momentum=mu))
    expect_same_training(f"Sequential.fit on the spiral with SGDMomentum(lr={lr}, momentum={mu})", mine,
                         reference, f"nncore.optim.SGD(lr={lr}, momentum={mu})")
    passed(f"trains the spiral network exactly like nncore.optim.SGD: loss {mine[0]:.3f} -> {mine[-1]:.3f} "
           f"in {len(mine)} epochs")


EXERCISES = {
    "sgd_momentum": Exercise("SGD with momentum, step for step like torch.optim.SGD", "06_optimizers",
                             check_sgd_momentum),
}
