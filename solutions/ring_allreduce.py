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
    ### BEGIN SOLUTION
    # TASK: the P - 1 steps of reduce-scatter, each adding one chunk into the next worker's, and the values each sent
    # HINT 1: Notebook 10, section 3: in a ring every worker talks only to its neighbour. A chunk travels
    # around the ring, one hop per step, and picks up one more worker's values at every hop: after P - 1
    # hops it has passed every worker and holds the whole sum. All workers send at the same moment, so
    # every message of a step is what its sender held before the step.
    # HINT 2: In step s (s = 0 .. P-2) worker p sends chunk c = (p - s) mod P, a 1-D array of n_c values,
    # to worker r = (p + 1) mod P; the receiver computes chunks[r][c] + message, an array of the same
    # length n_c, and keeps it as its chunk c. Worker p's count grows by n_c. Python's % gives a result in
    # 0 .. P-1 for a negative p - s too. So in step 0 worker p sends its own chunk p, in step 1 chunk p - 1
    # (what it received in step 0), and so on.
    # HINT 3: Steps: read P from the number of workers; start a list of P zero counts; for each step, first
    # collect the P messages, each as (sender, chunk index, a copy of the sender's chunk), then deliver them:
    # add each one to the receiver's chunk of the same index and add its size to the sender's count. After
    # the last step, give back the counts.
    P = len(chunks)
    sent = [0] * P
    for s in range(P - 1):
        messages = [(p, (p - s) % P, chunks[p][(p - s) % P].copy()) for p in range(P)]
        for p, c, values in messages:
            chunks[(p + 1) % P][c] += values
            sent[p] += values.size
    return sent
    ### END SOLUTION


def all_gather(chunks):
    """The all-gather phase, in place: afterwards every worker holds every summed chunk.

    chunks: as reduce_scatter leaves them: worker p holds the whole sum of chunk (p + 1) mod P (its
    other chunks hold partial sums, which all-gather overwrites). In step s = 0 .. P-2 worker p sends
    chunk (p + 1 - s) mod P to worker (p + 1) mod P, which replaces its chunk of that index by a copy
    of the message: a worker's chunk must never be the same array as another worker's (they are
    separate machines). Every message of a step is taken from the state before the step.

    Returns sent: a list of P ints, sent[p] the number of values worker p sent in this phase.
    """
    ### BEGIN SOLUTION
    # TASK: the P - 1 steps of all-gather, each passing a complete chunk on as a copy, and the values each worker sent
    # HINT 1: Notebook 10, section 3: after reduce-scatter each worker owns one complete chunk. All-gather
    # passes the complete chunks around the same ring, one hop per step, and each receiver keeps what it
    # receives in place of its partial sum: nothing is added any more. After P - 1 hops every complete chunk
    # has reached every worker.
    # HINT 2: In step s (s = 0 .. P-2) worker p sends chunk c = (p + 1 - s) mod P, n_c values, to worker
    # r = (p + 1) mod P, whose chunk c becomes a copy of the message (same length n_c). Step 0 sends the chunk
    # worker p owns, (p + 1) mod P; step 1 the one it received in step 0; and so on. Worker p's count grows
    # by n_c per message.
    # HINT 3: Steps: as in reduce_scatter, P from the number of workers and P zero counts; for each step,
    # first collect the P messages (sender, chunk index, a copy of the sender's chunk), then deliver each one
    # by storing it as the receiver's chunk of that index (no addition) and adding its size to the sender's
    # count. After the last step, give back the counts.
    P = len(chunks)
    sent = [0] * P
    for s in range(P - 1):
        messages = [(p, (p + 1 - s) % P, chunks[p][(p + 1 - s) % P].copy()) for p in range(P)]
        for p, c, values in messages:
            chunks[(p + 1) % P][c] = values
            sent[p] += values.size
    return sent
    ### END SOLUTION


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
