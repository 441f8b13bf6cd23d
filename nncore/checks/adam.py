"""Check for the Adam exercise (notebook 06): torch.optim.Adam step for step, and the usual mistakes named."""

import numpy as np

from . import CheckFailure, Exercise
from .sgd_momentum import (compare_run, copy_params, expect_in_place_step, expect_same_training,
                           gradient_steps, run_learner, run_numpy, run_torch, start_params, step_ratio,
                           train_spiral_losses, two_parameter_run)


def adam_update(b1, b2, eps, mistake=None, lr0=None):
    """update(name, p, g, state, lr) for torch's Adam (mistake=None) or one of the usual mistakes."""
    counter = {"calls": 0}   # for "shared t": one count for all parameters

    def update(name, p, g, state, lr):
        if mistake == "self.lr":
            lr = lr0
        if mistake == "no state":               # m, v and t start afresh every step
            state = {}
        t = state["t"] = state.get("t", 0) + 1
        if mistake == "no memory":              # t is counted, but m and v start afresh
            state = {"t": t}
        if mistake == "shared t":
            counter["calls"] += 1
            t = counter["calls"]
        t_used = {"t = 0": t - 1, "t + 1": t + 1, "t stuck": 1}.get(mistake, t)
        c1, c2 = (b2, b1) if mistake in ("betas swapped", "betas swapped everywhere") else (b1, b2)
        m = state["m"] = c1 * state.get("m", 0.0) + (1 - c1) * (g ** 2 if mistake == "m of g**2" else g)
        v = state["v"] = c2 * state.get("v", 0.0) + (1 - c2) * g ** 2
        if mistake != "betas swapped everywhere":   # "betas swapped": in the averages only
            c1, c2 = b1, b2
        m_hat = m if mistake in ("no correction", "only v corrected") else m / (1 - c1 ** t_used)
        v_hat = v if mistake in ("no correction", "only m corrected") else v / (1 - c2 ** t_used)
        if mistake == "power outside":      # m / (1 - beta1) ** t
            m_hat, v_hat = m / (1 - c1) ** t_used, v / (1 - c2) ** t_used
        if mistake == "eps inside sqrt":
            return p - lr * m_hat / np.sqrt(v_hat + eps)
        if mistake == "eps before correction":  # (sqrt(v) + eps) / sqrt(1 - beta2^t)
            return p - lr * m_hat / ((np.sqrt(v) + eps) / np.sqrt(1 - b2 ** t_used))
        if mistake == "no sqrt":
            return p - lr * m_hat / (v_hat + eps)
        return p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return update


ADAM_MISTAKES = {
    "no correction": "no bias correction. m and v start at 0, so after step 1 m = (1 - beta1) g and "
                     "v = (1 - beta2) g**2: far smaller than g and g**2, and not by the same factor (with the "
                     "default betas the first step comes out about 3 times too long). Use "
                     "m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t).",
    "only m corrected": "only m is bias-corrected: divide v too, v_hat = v / (1 - beta2**t), "
                        "then use sqrt(v_hat).",
    "only v corrected": "only v is bias-corrected: divide m too, m_hat = m / (1 - beta1**t).",
    "t + 1": "the bias correction uses t + 1 where Adam uses t: at the first step t must be 1 "
             "(1 - beta1**1 = 1 - beta1). Count t from 1, or if your t starts at 0, add 1 once, not twice.",
    "t = 0": "t is 0 at the first step, so 1 - beta1**t = 0 and the correction divides by zero. Count steps "
             "from 1: increment t before using it (state[\"t\"] = state.get(\"t\", 0) + 1). "
             "(self.iterations counts the steps already taken: it is 0 during the first step.)",
    "t stuck": "the step counter t never advances: it is 1 at every step. Adam's bias correction needs "
               "t = 1, 2, 3, ...: store it in state, state[\"t\"] = state.get(\"t\", 0) + 1, and use that t.",
    "power outside": "the bias correction divides by (1 - beta1)**t; it must be 1 - beta1**t (the power applies "
                     "to beta1 alone): m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t).",
    "betas swapped": "beta1 and beta2 are swapped: m, the mean of g, uses beta1 (0.9, a short memory); v, the mean "
                     "of g**2, uses beta2 (0.999, a long one).",
    "betas swapped everywhere": "beta1 and beta2 are swapped: m, the mean of g, and its correction use beta1; "
                                "v, the mean of g**2, and its correction use beta2.",
    "m of g**2": "m is a running mean of g, not of g**2: m = beta1 * m + (1 - beta1) * g. Only v squares g.",
    "shared t": "t grows once per parameter instead of once per step (one counter on self, shared by W and b, "
                "so b already sees t = 2 at the first step). Keep t in state: every parameter has its own.",
    "no memory": "m and v are not kept between steps. Store them in state (state[\"m\"] = m, "
                 "state[\"v\"] = v) and start the next step from state.get(\"m\", 0.0).",
    "no state": "m, v and t are not kept between steps. Store them in state (state[\"m\"] = m, ...) "
                "and start the next step from what is there: state.get(\"m\", 0.0).",
    "eps inside sqrt": "eps is inside the square root, sqrt(v_hat + eps); Adam (and torch) add it after: "
                       "sqrt(v_hat) + eps.",
    "eps before correction": "eps is added before v is bias-corrected: (sqrt(v) + eps) / sqrt(1 - beta2**t). "
                             "torch.optim.Adam corrects v first and adds eps after: sqrt(v_hat) + eps.",
    "no sqrt": "the update divides by v_hat; divide by its square root: m_hat / (np.sqrt(v_hat) + eps).",
    "self.lr": "the update uses self.lr, the starting learning rate, so decay has no effect. Use the lr "
               "argument: the base class passes lr / (1 + decay * t).",
}


def adam_variants(params, grad_steps, lr, b1, b2, eps, decay=0.0, names=tuple(ADAM_MISTAKES)):
    return [(ADAM_MISTAKES[m], run_numpy(adam_update(b1, b2, eps, m, lr), params, grad_steps, lr, decay))
            for m in names]


def expect_finite(what, run):
    """Name the step where NaN or inf appeared (a zero division at step 1 means t started at 0)."""
    for k, step in enumerate(run, 1):
        for name, p in step.items():
            bad = ~np.isfinite(p)
            if bad.any():
                if k == 1 and bad.all():
                    raise CheckFailure(f"{what}: after step 1, every entry of {name} is NaN or inf. "
                                       f"A likely cause: {ADAM_MISTAKES['t = 0']}")
                raise CheckFailure(f"{what}: after step {k}, {name} holds {int(bad.sum())} NaN or inf "
                                   f"value(s) (of {p.size}). v must be a running mean of g**2 (>= 0) and the "
                                   "denominator sqrt(v_hat) + eps > 0; check that g is squared.")


def learner_run(what, make, params, grad_steps):
    """run the learner's Adam; a division by zero in plain Python floats means t started at 0."""
    try:
        return two_parameter_run(make, copy_params(params), grad_steps, what)
    except ZeroDivisionError as exc:
        raise CheckFailure(f"{what}: your update raised ZeroDivisionError ({exc}). "
                           f"{ADAM_MISTAKES['t = 0']}") from None


def check_adam(mod, passed):
    import torch

    def torch_adam(lr, b1=0.9, b2=0.999, eps=1e-8):
        return lambda ps: torch.optim.Adam(ps, lr=lr, betas=(b1, b2), eps=eps)

    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    what = f"Adam(lr={lr})"
    # With eps = 1e-8 where eps goes changes p by ~1e-8: tolerate that here; step 3 judges eps
    # with eps = 1e-3, where the placements differ clearly. Every other mistake is off by > 1e-4.
    atol = 1e-7

    # 1. One step on one parameter: in place, gradient untouched, and the value of torch's first step.
    shape = {"W": (3, 2)}
    params, grads = start_params(shape), gradient_steps(1, shape)
    start = copy_params(params)
    try:
        expect_in_place_step(mod.Adam(lr), params, grads[0], what)
    except ZeroDivisionError as exc:
        raise CheckFailure(f"{what}: your update raised ZeroDivisionError ({exc}). "
                           f"{ADAM_MISTAKES['t = 0']}") from None
    got = [copy_params(params)]
    expect_finite(f"{what}, first step", got)
    expected = run_torch(torch_adam(lr), start, grads)
    try:
        compare_run(f"{what}, first step", "torch.optim.Adam", got, expected,
                    adam_variants(start, grads, lr, b1, b2, eps,
                                  names=("no correction", "only m corrected", "only v corrected", "t + 1",
                                         "no sqrt", "betas swapped", "m of g**2")), atol=atol)
    except CheckFailure as failure:
        ratio = step_ratio(got[0], start, expected[0])
        if not np.isfinite(ratio):
            raise
        raise CheckFailure(f"{failure} Your first step is {ratio:.3g} times torch's (a bias-corrected "
                           "first step is lr * g / (|g| + eps), about lr in every entry).") from None
    passed("one step changes p in place by torch's first step (about lr per entry) and leaves g unchanged")

    # 2. Ten steps on two parameters of different shapes; the gradients shrink, then grow.
    params = start_params()
    grads = gradient_steps(10, scales=[1.0, 0.5, 0.2, 0.1, 0.2, 1.0, 2.0, 3.0, 1.0, 0.5])
    got = learner_run(what, lambda: mod.Adam(lr), params, grads)
    expect_finite(what, got)
    compare_run(what, f"torch.optim.Adam(lr={lr})", got, run_torch(torch_adam(lr), params, grads),
                adam_variants(params, grads, lr, b1, b2, eps), atol=atol)
    passed(f"10 steps on W (3, 2) and b (1, 2) match torch.optim.Adam(lr={lr})")

    # 3. Where eps goes: with eps = 1e-3 and gradients near 1e-3 the placements differ clearly.
    big_eps = 1e-3
    what_eps = f"Adam(lr={lr}, eps={big_eps:g})"
    grads = gradient_steps(5, scales=[1e-3] * 5, seed=3)
    got = learner_run(what_eps, lambda: mod.Adam(lr, eps=big_eps), params, grads)
    expect_finite(what_eps, got)
    compare_run(what_eps, f"torch.optim.Adam(lr={lr}, eps={big_eps:g})", got,
                run_torch(torch_adam(lr, eps=big_eps), params, grads),
                adam_variants(params, grads, lr, b1, b2, big_eps))
    passed("eps is added after the square root of the corrected v: sqrt(v_hat) + eps (checked with eps=1e-3)")

    # 4. Other betas: the update must use self.beta1 and self.beta2.
    c1, c2 = 0.5, 0.9
    what_betas = f"Adam(lr={lr}, beta1={c1}, beta2={c2})"
    grads = gradient_steps(5, seed=4)
    got = learner_run(what_betas, lambda: mod.Adam(lr, beta1=c1, beta2=c2), params, grads)
    expect_finite(what_betas, got)
    compare_run(what_betas, f"torch.optim.Adam(lr={lr}, betas=({c1}, {c2}))", got,
                run_torch(torch_adam(lr, c1, c2), params, grads),
                [("the update ignores self.beta1 / self.beta2 (it behaves as beta1=0.9, beta2=0.999). "
                  "Use self.beta1, self.beta2 and self.eps.", run_numpy(adam_update(b1, b2, eps), params, grads, lr))]
                + adam_variants(params, grads, lr, c1, c2, eps), atol=atol)
    passed(f"beta1={c1}, beta2={c2}: 5 steps match torch.optim.Adam(betas=({c1}, {c2}))")

    # 5. Decay: the lr argument changes every step.
    decay = 0.5
    what_decay = f"Adam(lr={lr}, decay={decay})"
    grads = gradient_steps(5, seed=5)
    got = learner_run(what_decay, lambda: mod.Adam(lr, decay=decay), params, grads)
    expect_finite(what_decay, got)
    compare_run(what_decay, f"torch.optim.Adam(lr={lr}) with LambdaLR 1 / (1 + {decay} t)", got,
                run_torch(torch_adam(lr), params, grads, decay=decay),
                adam_variants(params, grads, lr, b1, b2, eps, decay, ("self.lr",)), atol=atol)
    passed(f"with decay={decay} (lr / (1 + {decay} t)) 5 steps match torch's Adam with a LambdaLR schedule")

    # 6. In a real training loop: the same loss curve as nncore.optim.Adam.
    from ..optim import Adam
    mine = train_spiral_losses(mod.Adam(0.02))
    expect_same_training("Sequential.fit on the spiral with Adam(lr=0.02)", mine,
                         train_spiral_losses(Adam(0.02)), "nncore.optim.Adam(lr=0.02)")
    passed(f"trains the spiral network exactly like nncore.optim.Adam: loss {mine[0]:.3f} -> {mine[-1]:.3f} "
           f"in {len(mine)} epochs")


EXERCISES = {
    "adam": Exercise("Adam with bias correction, step for step like torch.optim.Adam", "06_optimizers",
                     check_adam, order=1),
}
