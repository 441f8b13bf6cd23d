"""Check for the minibatch exercise (notebook 06): the training loop, watched by a recording model.

A fake model, loss and optimizer record every call of the learner's train(): which rows of X and which
labels each batch held, in what order the calls came, how many steps were taken. Row n of X holds the
number n, and so does y[n], so every batch says which samples it took. The recording is compared with
what one generator np.random.default_rng(seed), one permutation per epoch, gives, and the usual mistakes
are named. Last, the loop trains a real network exactly like Sequential.fit.
"""

import numpy as np

from . import CheckFailure, Exercise, learner_line


class _Recorder:
    """Model, loss and optimizer in one log: events in order, and the sample ids of every batch."""

    def __init__(self):
        self.events, self.batches, self.labels, self.values = [], [], [], []
        self.w, self.dw = np.zeros(1), np.zeros(1)


class _Model:
    def __init__(self, log):
        self.log = log

    def forward(self, X):
        ids = np.asarray(X)[:, 0].astype(int)
        self.log.events.append("forward")
        self.log.batches.append(ids)
        return np.asarray(X, dtype=np.float64)

    def backward(self, dA):
        self.log.events.append("backward")
        self.log.dw = np.full(1, float(np.sum(dA)))
        return dA

    def parameters(self):
        return {"w": self.log.w}

    def gradients(self):
        return {"w": self.log.dw}


class _Loss:
    """Its value for a batch is the mean of the batch's sample ids, so every batch has its own loss."""

    def __init__(self, log):
        self.log = log

    def forward(self, A, y):
        self.log.events.append("loss")
        self.log.labels.append(np.asarray(y).astype(int))
        value = float(np.mean(np.asarray(A)[:, 0]))
        self.log.values.append(value)
        self._A = A
        return value

    def backward(self):
        self.log.events.append("loss.backward")
        return np.ones_like(self._A) / len(self._A)


class _Optimizer:
    def __init__(self, log):
        self.log = log

    def step(self, params, grads):
        self.log.events.append("step")
        if set(params) != {"w"} or set(grads) != {"w"}:
            raise CheckFailure("optimizer.step(params, grads): expected model.parameters() and model.gradients() "
                               f"(the dicts), got {type(params).__name__} and {type(grads).__name__}.")


def _expected_orders(N, epochs, seed):
    rng = np.random.default_rng(seed)
    return [rng.permutation(N) for _ in range(epochs)]


def _run(mod, N, epochs, batch_size, seed):
    log = _Recorder()
    X = np.column_stack([np.arange(N), np.zeros(N)]).astype(np.float64)
    y = np.arange(N)
    what = f"train(model, loss, optimizer, X, y, epochs={epochs}, batch_size={batch_size}, seed={seed}) with N = {N}"
    try:
        result = mod.train(_Model(log), _Loss(log), _Optimizer(log), X, y, epochs, batch_size, seed=seed)
    except CheckFailure:
        raise
    except NotImplementedError:
        raise
    except Exception as exc:
        raise CheckFailure(f"{what}: your code raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. "
                           "The model, loss and optimizer here are stand-ins that record what your loop asks of "
                           "them: use only model.forward/backward/parameters/gradients, loss.forward/backward "
                           "and optimizer.step.") from None
    return what, log, result


def _epochs_of(log, N):
    """Split the recorded batches into epochs: a new epoch starts once N samples have been seen."""
    epochs, current, seen = [], [], 0
    for ids in log.batches:
        current.append(ids)
        seen += len(ids)
        if seen >= N:
            epochs.append(current)
            current, seen = [], 0
    if current:
        epochs.append(current)
    return epochs


def check_minibatch(mod, passed):
    N, epochs, B, seed = 10, 3, 4, 0
    what, log, result = _run(mod, N, epochs, B, seed)
    expected = _expected_orders(N, epochs, seed)
    steps = -(-N // B)  # ceil(N / B)

    # 1. The calls of one step, in order, and one step per batch.
    n_forward, n_step = log.events.count("forward"), log.events.count("step")
    if n_forward == 0:
        raise CheckFailure(f"{what}: model.forward was never called. Each batch is: A = model.forward(X_batch), "
                           "loss.forward(A, y_batch), model.backward(loss.backward()), optimizer.step(...).")
    if n_step == epochs and n_forward > epochs:
        raise CheckFailure(f"{what}: optimizer.step was called {n_step} times, once per epoch, for {n_forward} "
                           f"batches. Step once per batch, inside the batch loop: {epochs} epochs of "
                           f"{steps} batches are {epochs * steps} steps.")
    one_step = ["forward", "loss", "loss.backward", "backward", "step"]
    if n_step != n_forward or log.events != one_step * n_forward:
        first = log.events[:6]
        raise CheckFailure(f"{what}: each batch must call, in this order, {' -> '.join(one_step)} (model.forward, "
                           f"loss.forward, loss.backward, model.backward, optimizer.step); your loop's first calls "
                           f"were {' -> '.join(first)}, with {n_forward} forward passes and {n_step} steps.")
    passed("every batch: model.forward, loss.forward, loss.backward, model.backward, optimizer.step, in order")

    # 2. X and y: the same rows, in the same order, batches of batch_size.
    for ids, labels in zip(log.batches, log.labels):
        if len(ids) != len(labels) or not np.array_equal(ids, labels):
            raise CheckFailure(f"{what}: a batch held the rows {ids.tolist()} of X but the labels of the samples "
                               f"{labels.tolist()}: X and y are indexed with different orders. Take one set of "
                               "indices per batch from the epoch's permutation and use it for both: X[idx], y[idx].")
    sizes = [len(ids) for ids in log.batches]
    if any(size == N for size in sizes) and B < N:
        raise CheckFailure(f"{what}: a batch held all {N} samples: the whole X went to forward instead of "
                           f"the batch of {B} rows.")
    split = _epochs_of(log, N)
    per_epoch = [sum(len(ids) for ids in e) for e in split]
    if len(log.batches) == epochs * (N // B) and all(size == B for size in sizes):
        raise CheckFailure(f"{what}: the batches were all of size {B}, {N // B} per epoch, so {N % B} samples "
                           f"per epoch were never used: the last, smaller batch is dropped. Let the batches run "
                           f"to the end of the permutation (range(0, N, batch_size)); the last one holds the "
                           f"{N % B} left over.")
    if len(split) != epochs or per_epoch != [N] * epochs:
        raise CheckFailure(f"{what}: expected {epochs} epochs of {N} samples each ({steps} batches: "
                           f"{[B] * (N // B) + ([N % B] if N % B else [])}), got batches of sizes {sizes}.")
    if any(sorted(np.concatenate(e).tolist()) != list(range(N)) for e in split):
        raise CheckFailure(f"{what}: an epoch did not visit every sample exactly once (batches "
                           f"{[ids.tolist() for ids in log.batches[:steps]]}). Cut one permutation of 0..N-1 into "
                           "consecutive slices.")
    passed(f"X and y indexed with the same rows; {epochs} epochs of {steps} batches, the last one smaller ({N % B})")

    # 3. Shuffling: a new permutation each epoch, from one generator.
    orders = [np.concatenate(e) for e in split]
    if all(np.array_equal(o, np.arange(N)) for o in orders):
        raise CheckFailure(f"{what}: every epoch took the samples in their stored order 0, 1, ..., {N - 1}: nothing "
                           "is shuffled. Batches in a fixed order make every epoch the same sequence of steps "
                           "(and with sorted data, whole batches of one class). Draw rng.permutation(N) at the "
                           "start of each epoch and take the batches from it.")
    if all(np.array_equal(o, orders[0]) for o in orders):
        raise CheckFailure(f"{what}: every epoch walked the samples in the same order {orders[0].tolist()}: the "
                           "permutation is drawn once before the epochs, or a new np.random.default_rng(seed) is "
                           "made inside the epoch loop (the same seed gives the same first permutation every "
                           "time). Make one generator before the loop and draw a new permutation from it each epoch.")
    if not all(np.array_equal(o, e) for o, e in zip(orders, expected)):
        if np.array_equal(orders[0], expected[0]):
            raise CheckFailure(f"{what}: epoch 1 has the expected order, but a later epoch does not (epoch 2: "
                               f"expected {expected[1].tolist()}, got {orders[1].tolist()}). Use one generator "
                               "for the whole run and draw exactly one rng.permutation(N) per epoch from it.")
        raise CheckFailure(f"{what}: epoch 1 took the samples in the order {orders[0].tolist()}; "
                           f"np.random.default_rng({seed}).permutation({N}) gives {expected[0].tolist()}. Make the "
                           "generator from the seed argument, np.random.default_rng(seed), once, and take each "
                           "epoch's order from rng.permutation(N) (not np.random.shuffle or a fixed seed).")
    passed(f"a new order every epoch, from one np.random.default_rng({seed}): the same orders as Sequential.fit")

    # 4. What train returns: the mean loss of each epoch, weighted by the batch sizes.
    values = np.array(log.values).reshape(epochs, steps)
    weights = np.array([len(ids) for ids in log.batches[:steps]], dtype=np.float64)
    right = values @ weights / N
    if result is None:
        raise CheckFailure(f"{what}: returned None; expected the list of the {epochs} epochs' mean losses "
                           "(did the function return its result?).")
    try:
        got = np.asarray(result, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise CheckFailure(f"{what}: expected a list of {epochs} numbers, got {result!r:.80}.") from None
    if got.shape == (epochs * steps,) and np.allclose(got, values.reshape(-1)):
        raise CheckFailure(f"{what}: returned one loss per batch ({len(got)} numbers); expected one per epoch, "
                           "the mean over that epoch's samples.")
    if got.shape != (epochs,):
        raise CheckFailure(f"{what}: expected one loss per epoch, {epochs} numbers, got {got.shape[0]}.")
    mistakes = [
        (values[:, -1], "each epoch's loss is the loss of its last batch alone; expected the mean over the "
                        "epoch: add up each batch's loss times its size, then divide by N."),
        (values.mean(axis=1), "each epoch's loss is the plain mean of the batch losses, but the last batch is "
                              "smaller and should count less: weight each batch's loss by its size, "
                              "sum(L_batch * len(batch)) / N."),
        (values.sum(axis=1), "each epoch's loss is the sum of the batch losses; expected their mean over the "
                             "samples: sum(L_batch * len(batch)) / N."),
        (values @ weights, "each epoch's loss is sum(L_batch * len(batch)) without the division by N."),
        (np.cumsum(values @ weights) / N, "the running total is not reset at the start of each epoch: each "
                                          "epoch's loss includes the epochs before it."),
    ]
    if not np.allclose(got, right, rtol=1e-10):
        for wrong, message in mistakes:
            if np.allclose(got, wrong, rtol=1e-10):
                raise CheckFailure(f"{what}: {message} (expected {np.round(right, 4).tolist()}, got "
                                   f"{np.round(got, 4).tolist()})")
        raise CheckFailure(f"{what}: expected the epochs' mean losses {np.round(right, 4).tolist()}, got "
                           f"{np.round(got, 4).tolist()}.")
    passed("returns each epoch's mean loss, every batch weighted by its size")

    # 5. A real network: the same losses as Sequential.fit, which runs this loop.
    from ..activations import ReLU
    from ..data import spiral
    from ..layers import Dense
    from ..losses import SoftmaxCrossEntropy
    from ..model import Sequential
    from ..optim import Adam

    X, y = spiral(50, 3, seed=0)

    def model():
        return Sequential([Dense(2, 16, seed=0), ReLU(), Dense(16, 3, seed=1)])

    mine = mod.train(model(), SoftmaxCrossEntropy(), Adam(0.02), X, y, 20, 32, seed=3)
    reference = model().fit(X, y, SoftmaxCrossEntropy(), Adam(0.02), epochs=20, batch_size=32, seed=3)["loss"]
    if not np.allclose(np.asarray(mine, dtype=np.float64), reference, rtol=1e-9, atol=1e-12):
        raise CheckFailure(f"train(...) on the spiral, 20 epochs, batch_size 32, seed 3: the losses per epoch differ "
                           f"from Sequential.fit's with the same seed (epoch 20: yours {float(mine[-1]):.6g}, "
                           f"fit {reference[-1]:.6g}).")
    passed(f"trains a spiral network exactly like Sequential.fit(..., seed=3): loss {reference[0]:.3f} -> "
           f"{reference[-1]:.3f} in 20 epochs")


EXERCISES = {
    "minibatch": Exercise("The mini-batch training loop: shuffled epochs, one step per batch", "06_optimizers",
                          check_minibatch, order=2),
}
