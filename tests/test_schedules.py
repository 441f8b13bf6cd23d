"""nncore.schedules against torch.optim.lr_scheduler, step for step, in float64.

torch's scheduler is stepped once after every optimizer step, so the learning rate
torch uses in step t (counting from 0) must equal schedule(t) for every t.
"""

import warnings

import numpy as np
import pytest
import torch

from nncore import Dense, ReLU, Sequential, SoftmaxCrossEntropy
from nncore.data import spiral
from nncore.errors import NNCoreError
from nncore.optim import SGD, Adam
from nncore.schedules import Scheduled, cosine_with_warmup, exponential, step_decay

S = torch.optim.lr_scheduler
LR = 0.1


def torch_lrs(make_scheduler, steps, lr=LR):
    """The learning rate of each of `steps` torch.optim.SGD steps under the scheduler."""
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        w.grad = torch.zeros(1, dtype=torch.float64)
        optimizer.step()
        scheduler.step()
    return np.array(lrs)


def ours(schedule, steps):
    return np.array([schedule(t) for t in range(steps)])


CASES = {
    "step 50, 0.5": (step_decay(LR, step_size=50, gamma=0.5), lambda o: S.StepLR(o, step_size=50, gamma=0.5)),
    "step 7, default 0.1": (step_decay(LR, step_size=7), lambda o: S.StepLR(o, step_size=7)),
    "exponential 0.99": (exponential(LR, gamma=0.99), lambda o: S.ExponentialLR(o, gamma=0.99)),
    "exponential 0.9": (exponential(LR, gamma=0.9), lambda o: S.ExponentialLR(o, gamma=0.9)),
    "cosine, warm-up 20": (
        cosine_with_warmup(LR, warmup=20, total=300, start_factor=0.1, min_lr=1e-3),
        lambda o: S.SequentialLR(o, [S.LinearLR(o, 0.1, 1.0, 20), S.CosineAnnealingLR(o, 280, 1e-3)], [20])),
    "cosine, warm-up 1, to 0": (
        cosine_with_warmup(LR, warmup=1, total=250, start_factor=0.5),
        lambda o: S.SequentialLR(o, [S.LinearLR(o, 0.5, 1.0, 1), S.CosineAnnealingLR(o, 249, 0.0)], [1])),
}


@pytest.mark.parametrize("case", CASES)
def test_matches_torch_lr_scheduler_at_every_step(case):
    schedule, make = CASES[case]
    steps = 301 if "cosine" not in case else (301 if "20" in case else 251)  # up to and with step `total`
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's deprecation notes, if any
        theirs = torch_lrs(make, steps)
    mine = ours(schedule, steps)
    assert len(mine) == steps
    np.testing.assert_allclose(mine, theirs, rtol=1e-13, atol=1e-17)


def test_cosine_without_warmup_is_cosine_annealing():
    schedule = cosine_with_warmup(LR, warmup=0, total=200, min_lr=0.01)
    np.testing.assert_allclose(ours(schedule, 201), torch_lrs(lambda o: S.CosineAnnealingLR(o, 200, 0.01), 201),
                               rtol=1e-13)


def test_the_shapes_the_notebook_describes():
    warm = ours(cosine_with_warmup(LR, warmup=10, total=100, start_factor=0.1), 120)
    assert warm[0] == pytest.approx(0.01) and warm[10] == LR and np.all(np.diff(warm[:11]) > 0)
    assert np.all(np.diff(warm[10:101]) < 0) and warm[100] == 0.0 and np.all(warm[100:] == 0.0)
    steps = ours(step_decay(LR, step_size=30, gamma=0.5), 90)
    assert set(steps[:30]) == {LR} and set(steps[30:60]) == {LR / 2} and set(steps[60:]) == {LR / 4}
    assert ours(exponential(LR, gamma=0.5), 3) == pytest.approx([LR, LR / 2, LR / 4])


@pytest.mark.parametrize("nesterov", [False, True])
def test_scheduled_optimizer_follows_torch_with_the_same_scheduler(nesterov):
    """Parameters, not only learning rates: SGD with momentum under a warm-up cosine, 200 steps."""
    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(4, 3)), "b": rng.normal(size=(3,))}
    tensors = [torch.tensor(p.copy(), requires_grad=True) for p in params.values()]
    theirs = torch.optim.SGD(tensors, lr=LR, momentum=0.9, nesterov=nesterov)
    scheduler = S.SequentialLR(theirs, [S.LinearLR(theirs, 0.1, 1.0, 10), S.CosineAnnealingLR(theirs, 190)], [10])
    mine = Scheduled(SGD(LR, momentum=0.9, nesterov=nesterov), cosine_with_warmup(LR, warmup=10, total=200))
    gap = 0.0
    for _ in range(200):
        grads = {name: rng.normal(size=p.shape) for name, p in params.items()}
        for t, g in zip(tensors, grads.values()):
            t.grad = torch.tensor(g)
        mine.step(params, grads)
        theirs.step()
        scheduler.step()
        gap = max(gap, max(float(np.abs(t.detach().numpy() - p).max()) for t, p in zip(tensors, params.values())))
    assert mine.optimizer.iterations == 200
    assert gap < 1e-12


def test_scheduled_works_in_fit_and_changes_the_lr_per_step():
    X, y = spiral(20, 3)
    model = Sequential([Dense(2, 8, seed=0), ReLU(), Dense(8, 3, seed=1)])
    optimizer = Scheduled(Adam(0.01), step_decay(0.01, step_size=3, gamma=0.5))
    history = model.fit(X, y, SoftmaxCrossEntropy(), optimizer, epochs=3, batch_size=20, verbose=False)
    assert len(history["loss"]) == 3 and np.all(np.isfinite(history["loss"]))
    assert optimizer.optimizer.iterations == 9          # 60 points in batches of 20, 3 epochs
    assert optimizer.optimizer.lr == 0.01 / 4 and optimizer.lr == 0.01 / 8
    assert "Scheduled(Adam(lr=" in repr(optimizer)


BAD = [
    (lambda: step_decay(0, step_size=10), "lr"), (lambda: step_decay(-0.1, step_size=10), "lr"),
    (lambda: step_decay(0.1, step_size=0), "step_size"), (lambda: step_decay(0.1, step_size=2.5), "step_size"),
    (lambda: step_decay(0.1, step_size=10, gamma=1.5), "gamma"), (lambda: exponential(0.1, gamma=0), "gamma"),
    (lambda: exponential(float("nan"), gamma=0.9), "lr"), (lambda: exponential(0.1, gamma=-0.5), "gamma"),
    (lambda: cosine_with_warmup(0.1, warmup=-1, total=10), "warmup"),
    (lambda: cosine_with_warmup(0.1, warmup=10, total=10), "total"),
    (lambda: cosine_with_warmup(0.1, warmup=10, total=100, start_factor=0), "start_factor"),
    (lambda: cosine_with_warmup(0.1, warmup=10, total=100, min_lr=0.1), "min_lr"),
    (lambda: step_decay(0.1, step_size=10)(-1), "t"), (lambda: exponential(0.1, gamma=0.9)(1.5), "t"),
    (lambda: Scheduled(SGD(0.1, decay=0.01), exponential(0.1, gamma=0.9)), "optimizer"),
    (lambda: Scheduled("SGD", exponential(0.1, gamma=0.9)), "optimizer"),
    (lambda: Scheduled(SGD(0.1), 0.1), "schedule"),
    (lambda: Scheduled(SGD(0.1), lambda t: -1.0).step({"w": np.zeros(1)}, {"w": np.ones(1)}), r"schedule\(t\)"),
]


@pytest.mark.parametrize("make, argument", BAD, ids=[f"{i}-{a}" for i, (_, a) in enumerate(BAD)])
def test_bad_arguments_name_the_argument(make, argument):
    with pytest.raises(NNCoreError, match=rf"^{argument}: expected"):
        make()


def test_options_after_lr_are_keyword_only():
    with pytest.raises(TypeError):
        step_decay(0.1, 10)  # the step size must be named, as the options of the optimizers
