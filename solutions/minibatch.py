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
    ### BEGIN SOLUTION
    # TASK: the epochs of shuffled mini-batches, one optimizer step per batch, returning each epoch's mean loss
    # HINT 1: Notebook 06, section 9 ("Mini-batches"): an epoch visits every sample once, in a new random order,
    # one batch at a time; every batch is a forward pass, a loss, a backward pass and one optimizer step.
    # HINT 2: one generator, np.random.default_rng(seed), before the epochs; per epoch a permutation of 0..N-1
    # drawn from it, the order;
    # batch k holds the samples order[k*B : (k+1)*B] (B = batch_size; the last may have fewer), so X[those]
    # is (B, features) and y[those] (B,). Epoch loss = sum over batches of L_batch * (its size) / N.
    # HINT 3: Steps: make the generator before any loop; for each epoch, draw the order and start a running
    # total at 0; for each start in 0, B, 2B, ... below N, take the indices of this batch from the order and
    # use the same indices for X and for y; forward, loss, backward of the loss's gradient, then one step with
    # the model's parameters and gradients; add the loss times the batch's size to the total; after the
    # batches, append the total divided by N to the list; return the list after the last epoch.
    rng = np.random.default_rng(seed)
    N = len(X)
    history = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        total = 0.0
        for start in range(0, N, batch_size):
            idx = order[start:start + batch_size]
            A = model.forward(X[idx])
            L = loss.forward(A, y[idx])
            model.backward(loss.backward())
            optimizer.step(model.parameters(), model.gradients())
            total += L * len(idx)
        history.append(total / N)
    return history
    ### END SOLUTION
