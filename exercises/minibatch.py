# This file is generated from solutions/minibatch.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("minibatch") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check minibatch` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("minibatch") (or `... -m nncore hint minibatch`) gives the next hint, one at a time.
# `... -m nncore reset minibatch` restores the original stub (your file is kept as minibatch.py.bak).

"""Exercise: the mini-batch training loop (notebook 06, section 9).

One epoch is one pass over all N samples in a new random order, cut into batches of batch_size
(the last batch holds what is left, so it may be smaller). Every batch is one step::

    forward     A = the model's output for X_batch
    loss        L = the loss of A against y_batch, the batch's mean
    backward    the loss's gradient dL/dA, passed back through the model: the parameters' gradients
    update      one optimizer step, with the model's parameters and their gradients (two dicts)

so an epoch takes ceil(N / batch_size) steps. This is the loop inside nncore's Sequential.fit.
"""

import numpy as np


def train(model, loss, optimizer, X, y, epochs, batch_size, seed=0):
    """Train `model` for `epochs` epochs of mini-batches; return the mean loss of each epoch, a list of floats.

    model: anything with forward(X), backward(dA), parameters() and gradients() (a Sequential, or your Network).
    loss: forward(A, y) -> float and backward() -> dA. optimizer: step(params, grads).
    X (N, features) and y (N,) or (N, K): one row per sample, the same order.
    Shuffling: one generator for the whole run, np.random.default_rng(seed), made once; at the start
    of every epoch draw a new order of the N samples from it, rng.permutation(N), and index X and y with it.
    An epoch's loss is the mean over its samples: each batch's loss counts with its size,
    sum(L_batch * batch size) / N (the last, smaller batch counts less), as in Sequential.fit.
    """
    raise NotImplementedError('train in exercises/minibatch.py is not implemented yet: the epochs of shuffled mini-batches, one optimizer step per batch, returning each epoch\'s mean loss. nncore.hint("minibatch") gives a hint, nncore.check("minibatch") checks it.')
