# This file is generated from solutions/ring_allreduce.py by `python -m nncore generate`.
# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it
# with nncore.check("ring_allreduce") in a notebook, or in a terminal in the course folder with
# `.venv/bin/python -m nncore check ring_allreduce` (Windows: .venv\Scripts\python).
# Stuck? nncore.hint("ring_allreduce") (or `... -m nncore hint ring_allreduce`) gives the next hint, one at a time.
# `... -m nncore reset ring_allreduce` restores the original stub (your file is kept as ring_allreduce.py.bak).

"""Exercise: a ring all-reduce over P simulated workers (notebook 10, section 3).

P workers sit in a ring; worker p talks only to worker (p + 1) mod P. Each holds a gradient of n
values, cut into P chunks: chunks[p][c] is chunk c of worker p, a 1-D array of n_c values (n_c is
n / P when P divides n; np.array_split makes the first n mod P chunks one value longer). A step is
one message from every worker to the next, all sent at the same time, so each message is taken from
the state before the step::

    reduce-scatter, steps s = 0 .. P-2:
        worker p sends chunk c = (p - s) mod P to worker (p + 1) mod P, which adds it:
        chunks[p + 1][c] <- chunks[p + 1][c] + chunks[p][c]
        afterwards worker p holds the whole sum of chunk (p + 1) mod P over the P workers
    all-gather, steps s = 0 .. P-2:
        worker p sends chunk c = (p + 1 - s) mod P to worker (p + 1) mod P, which keeps a copy:
        chunks[p + 1][c] <- chunks[p][c]
        afterwards every worker holds every summed chunk

(worker indices mod P as well). Each worker sends P - 1 chunks per phase, all its chunks but one,
so sent[p] = 2 (P - 1) / P * n values over both phases when P divides n: less than 2 n, however
many workers there are. ring_allreduce, given at the end, splits the arrays, runs your two phases and joins the
chunks again: it returns what nncore.distributed.ring_allreduce returns.
"""

import numpy as np

from nncore.distributed import ring_chunks


def reduce_scatter(chunks):
    """The reduce-scatter phase, in place: afterwards chunks[p][(p + 1) % P] is the sum over all workers.

    chunks: a list of P lists (one per worker p = 0 .. P-1) of P chunks each, chunks[p][c] a 1-D float
    array; chunk c has the same length n_c on every worker. These are the workers' own buffers: change
    them where they are (add into chunks[r][c], or put a new array there), and do not make new lists.
    In step s = 0 .. P-2 worker p sends chunk (p - s) mod P to worker (p + 1) mod P, which adds it to
    its own chunk of that index. Every message of a step is taken from the state before the step.

    Returns sent: a list of P ints, sent[p] the number of values (not chunks) worker p sent.
    """
    raise NotImplementedError('reduce_scatter in exercises/ring_allreduce.py is not implemented yet: the P - 1 steps of reduce-scatter, each adding one chunk into the next worker\'s, and the values each sent. nncore.hint("ring_allreduce") gives a hint, nncore.check("ring_allreduce") checks it.')


def all_gather(chunks):
    """The all-gather phase, in place: afterwards every worker holds every summed chunk.

    chunks: as reduce_scatter leaves them: worker p holds the whole sum of chunk (p + 1) mod P (its
    other chunks hold partial sums, which all-gather overwrites). In step s = 0 .. P-2 worker p sends
    chunk (p + 1 - s) mod P to worker (p + 1) mod P, which replaces its chunk of that index by a copy
    of the message: a worker's chunk must never be the same array as another worker's (they are
    separate machines). Every message of a step is taken from the state before the step.

    Returns sent: a list of P ints, sent[p] the number of values worker p sent in this phase.
    """
    raise NotImplementedError('all_gather in exercises/ring_allreduce.py is not implemented yet: the P - 1 steps of all-gather, each passing a complete chunk on as a copy, and the values each worker sent. nncore.hint("ring_allreduce") gives a hint, nncore.check("ring_allreduce") checks it.')


def ring_allreduce(arrays):
    """Every worker's sum of P arrays, by your reduce_scatter and all_gather; and the values each worker sent.

    arrays: P 1-D arrays of the same length n, arrays[p] held by worker p. Returns (sums, sent): P new
    arrays, each the element-wise sum of all P, and sent[p], the number of values worker p sent in both
    phases. The inputs are not changed (each worker's chunks are cut from a copy). Used like
    nncore.distributed.ring_allreduce, which returns the same.
    """
    chunks = ring_chunks(arrays)   # chunks[p][c]: chunk c of a copy of arrays[p]
    first = reduce_scatter(chunks)
    second = all_gather(chunks)
    sums = [np.concatenate(worker) for worker in chunks]
    return sums, [a + b for a, b in zip(first, second)]
