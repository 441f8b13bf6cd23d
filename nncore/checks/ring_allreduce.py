"""Check for the ring_allreduce exercise (notebook 10): reduce-scatter and all-gather over P simulated workers.

Each phase is run alone for P = 1 .. 5 workers on arrays whose length P does not divide, so the chunks
differ in length (and with n < P some are empty). Worker p's values are 10^p times 1, 2, ..., n, so a
sum says which workers it holds and how often: 12 is worker 0's 1 twice and worker 1's 10 once. The
state after the call (every chunk of every worker) and the values each worker sent are compared with
the ring simulated step by step; a simulation of each known mistake (the wrong chunk sent, the wrong
receiver, a step too few or too many, the loops nested the other way, adding instead of replacing, ...)
names it when it gives the learner's state in every case (a slip in counting the traffic likewise). all_gather starts from the reference reduce-scatter's
state, so a fault of one phase is never blamed on the other. Last, the file's ring_allreduce, which runs
the learner's two phases, is compared with nncore.distributed.ring_allreduce.
"""

import numpy as np

from ..distributed import ring_allreduce as reference_allreduce
from . import CheckFailure, Exercise, learner_line, matches, same_memory

# (P, n): the first case is the one a failure usually shows, small enough to print.
CASES = [(3, 7), (2, 5), (4, 10), (5, 12), (5, 3), (1, 4)]

RS, AG = "reduce-scatter", "all-gather"
SENDS = {RS: "(p - s) mod P", AG: "(p + 1 - s) mod P"}


def _tagged(P, n):
    """Worker p's chunks of 10^p * [1, 2, ..., n], cut as np.array_split cuts them."""
    return [np.array_split((10.0 ** p) * np.arange(1, n + 1), P) for p in range(P)]


def _copy(state):
    return [[np.array(c, dtype=np.float64) for c in worker] for worker in state]


def _simulate(state, phase, *, index=None, to=1, steps=None, order="steps", op=None):
    """(chunks, sent) after running `phase` on a copy of `state`; the keywords make the known mistakes.

    index(p, s): the chunk worker p sends in step s (mod P); to: the receiver is p + to; steps(P): the
    number of steps; order "steps" (right), "one after another" (each message of a step taken after the
    step's earlier deliveries) or "workers" (worker 0 makes all its sends, then worker 1, ...); op: "add"
    or "replace" at the receiver.
    """
    P = len(state)
    chunks = _copy(state)
    index = index or ((lambda p, s: p - s) if phase == RS else (lambda p, s: p + 1 - s))
    op = op or ("add" if phase == RS else "replace")
    n_steps = P - 1 if steps is None else steps(P)
    sent = [0] * P

    def deliver(p, c, values):
        r = (p + to) % P
        chunks[r][c] = chunks[r][c] + values if op == "add" else values.copy()
        sent[p] += values.size

    if order == "steps":
        for s in range(n_steps):
            messages = [(p, index(p, s) % P, chunks[p][index(p, s) % P].copy()) for p in range(P)]
            for message in messages:
                deliver(*message)
    elif order == "one after another":  # each message taken after the step's earlier deliveries
        for s in range(n_steps):
            for p in range(P):
                deliver(p, index(p, s) % P, chunks[p][index(p, s) % P].copy())
    else:
        for p in range(P):
            for s in range(n_steps):
                c = index(p, s) % P
                deliver(p, c, chunks[p][c].copy())
    return chunks, sent


def _flat(chunks):
    """The state as a (P, n) array: worker p's chunks one after another."""
    return np.array([np.concatenate([np.asarray(c, dtype=np.float64) for c in worker]) for worker in chunks])


def _show(a):
    a = np.asarray(a, dtype=np.float64).ravel()
    shown = ", ".join(f"{v:.10g}" for v in a[:8])
    return f"[{shown}{', ...' if a.size > 8 else ''}]"


def _times(k):
    return {1: "once", 2: "twice"}.get(k, f"{k} times")


def _contents(values, start, P):
    """Which workers' values `values` (a chunk starting at element `start`) holds, in words, or ''.

    Worker p's element i is 10^p (i + 1), so value / (i + 1) spells, digit by digit, how often each
    worker's values were added; a count above P (above 2 for one worker) means the value is no such sum,
    and so does a value that is not finite: then '' is returned.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return ""
    q = values / np.arange(start + 1, start + 1 + values.size)
    if not np.all(np.isfinite(q)) or not np.all(q == q[0]) or q[0] != int(q[0]) or not 0 <= q[0] < 10 ** P:
        return ""
    counts = [int(d) for d in reversed(str(int(q[0])).zfill(P))]
    if not any(counts):
        return "zeros"
    if max(counts) > max(P, 2):
        return ""
    groups = []
    for k in sorted({k for k in counts if k}, reverse=True):
        who = [str(p) for p, count in enumerate(counts) if count == k]
        groups.append((who, k))
    if len(groups) == 1 and groups[0][1] == 1:
        who = groups[0][0]
        return f"worker {who[0]}'s values alone" if len(who) == 1 else \
            f"the sum of workers {', '.join(who[:-1])} and {who[-1]}"

    def part(who, k, first):
        if len(who) == 1:
            return f"worker {who[0]}'s values {_times(k)}" if first else f"worker {who[0]}'s {_times(k)}"
        names = f"{', '.join(who[:-1])} and {who[-1]}"
        return f"{'the values' if first else 'those'} of workers {names} {_times(k)} each"

    return ", ".join(part(who, k, i == 0) for i, (who, k) in enumerate(groups))


def _first_difference(got, expected, P):
    """' Worker p, chunk c: expected [...] (...), got [...] (...).' for the first chunk that differs."""
    for p in range(P):
        start = 0
        for c in range(P):
            e, g = expected[p][c], np.asarray(got[p][c], dtype=np.float64)
            if not matches(g, e):
                say_e, say_g = _contents(e, start, P), _contents(g, start, P)
                return (f" Worker {p}, chunk {c}: expected {_show(e)}{f' ({say_e})' if say_e else ''}, "
                        f"got {_show(g)}{f' ({say_g})' if say_g else ''}.")
            start += len(e)
    return ""


def _call(mod, what, func, *args):
    """func(*args); an exception other than NotImplementedError becomes a CheckFailure naming the line."""
    try:
        return func(*args)
    except (NotImplementedError, CheckFailure):
        raise
    except Exception as exc:
        advice = ("An index past the last worker or chunk? Worker and chunk numbers go round the ring: take "
                  "them mod P, e.g. (p + 1) % P." if isinstance(exc, IndexError) else
                  "Print P, s, p and the chunk index on that line, and the shapes of the chunks it uses.")
        raise CheckFailure(f"{what} raised {type(exc).__name__}: {exc}{learner_line(mod, exc)}. {advice}") from None


def _structure(what, chunks, lengths):
    """Raise CheckFailure unless chunks is still P lists of P 1-D arrays of the given lengths."""
    P = len(lengths)
    if not isinstance(chunks, list) or len(chunks) != P or not all(isinstance(w, list) and len(w) == P
                                                                     for w in chunks):
        raise CheckFailure(f"{what}: afterwards chunks must still be a list of {P} workers, each a list of {P} "
                           "chunks. Change the chunks inside the lists given (chunks[r][c] = ... or +=), without "
                           "appending to them or putting other lists in their place.")
    for p, worker in enumerate(chunks):
        for c, chunk in enumerate(worker):
            if chunk is None or np.shape(chunk) != (lengths[c],):
                got = "None" if chunk is None else f"shape {np.shape(chunk)}"
                raise CheckFailure(f"{what}: chunk {c} of worker {p} should be a 1-D array of {lengths[c]} values "
                                   f"(chunk {c} has that length on every worker), got {got}. A message is one "
                                   "whole chunk, and the receiver's chunk of the same index keeps its length.")


def _shared(chunks):
    """(p, q, c) for two workers whose chunk c is one array in memory, or None."""
    P = len(chunks)
    for c in range(P):
        for p in range(P):
            for q in range(p + 1, P):
                if np.size(chunks[p][c]) and same_memory(chunks[p][c], chunks[q][c]):
                    return p, q, c
    return None


# --- the known mistakes, as simulations of the ring ------------------------------------------------

WHICH = "which chunk worker p sends in step s"


def _state_mistakes(phase, P):
    """(simulation keywords, message) for the usual slips of one phase."""
    send = SENDS[phase]
    owner = "(p + 1) mod P"
    common = [
        (dict(steps=lambda P: P - 2), "one step short: the loop over the steps ran P - 2 times. A chunk needs "
                                      "P - 1 hops to pass all P workers: steps s = 0 .. P - 2, range(P - 1)."),
        (dict(steps=lambda P: P), "one step too many: the loop over the steps ran P times. After P - 1 steps "
                                  "the phase is done; a P-th step sends chunks a second time. Steps s = 0 .. "
                                  "P - 2, range(P - 1)."),
        (dict(order="workers"), "the loops are nested the other way: worker 0 made all its sends, then worker 1 "
                                "made its sends, ... In step s every worker sends one message, all at the same "
                                "time, each taken from the state before the step: the loop over the steps goes "
                                "outside, the loop over the workers inside it."),
        (dict(to=-1), "the messages went to worker (p - 1) mod P: in this ring worker p sends to the next worker, "
                      f"(p + 1) mod P (the chunk {send})."),
    ]
    if phase == RS:
        return common + [
            (dict(index=lambda p, s: p + s), f"{WHICH} is wrong: worker p sent chunk (p + s) mod P. It must "
                                             "send the chunk it received in the step before, which has collected "
                                             "one more worker at every hop: chunk (p - s) mod P."),
            (dict(index=lambda p, s: p - s - 1), "the complete sums ended one worker too early: worker p holds "
                                                 f"the whole chunk p, not chunk {owner}, so {WHICH} is off by one. "
                                                 "It is (p - s) mod P: in step 0 (s counts from 0) each worker sends "
                                                 "its own chunk p. Yours sent (p - s - 1) mod P, or counted s from 1."),
            (dict(index=lambda p, s: p - s + 1), f"{WHICH} is off by one: yours sent (p - s + 1) mod P, so the "
                                                 "complete sums ended on the wrong workers. Worker p sends chunk "
                                                 f"(p - s) mod P; afterwards it holds chunk {owner}."),
            (dict(index=lambda p, s: p), "worker p sent the same chunk p in every step, so chunk p reached worker "
                                         f"p + 1 again and again and was added each time: {WHICH} moves one back "
                                         "per step, (p - s) mod P, the chunk received in the step before."),
            (dict(index=lambda p, s: s, order="one after another"),
             "every worker sent chunk s in step s, and the messages were delivered one after another, so a chunk "
             "forwarded later in the same step already held this step's addition: values count twice. Take every "
             f"message of a step from the state before the step (copy first, then deliver); and {WHICH} depends on "
             "p too: (p - s) mod P."),
            (dict(index=lambda p, s: s), f"every worker sent the same chunk s in step s, but {WHICH} depends on p "
                                         "too: (p - s) mod P, so that the P workers send P different chunks."),
            (dict(to=-1, index=lambda p, s: p + s), "your ring runs backwards: worker p sent chunk (p + s) mod P "
                                                    "to worker p - 1. The sums are complete, but on the wrong "
                                                    "workers (worker p holds chunk (p - 1) mod P), and all_gather "
                                                    f"expects chunk {owner} on worker p. Send chunk (p - s) mod P "
                                                    "to worker (p + 1) mod P."),
            (dict(op="replace"), "the receiver replaced its chunk by the message instead of adding the message to "
                                 "it: reduce-scatter adds, chunks[r][c] + message; only all-gather replaces."),
        ]
    return common + [
        (dict(index=lambda p, s: p - s), "worker p sent chunk (p - s) mod P, reduce-scatter's chunk (or s counted "
                                         f"from 1). After reduce-scatter worker p owns the complete chunk {owner}, "
                                         f"so all-gather's step 0 sends that one: {WHICH} is (p + 1 - s) mod P."),
        (dict(index=lambda p, s: p + 1 + s), f"{WHICH} is wrong: yours sent (p + 1 + s) mod P. Each step worker "
                                             "p passes on the complete chunk it received in the step before: "
                                             "(p + 1 - s) mod P."),
        (dict(index=lambda p, s: p + 2 - s), f"{WHICH} is off by one: yours sent (p + 2 - s) mod P, a partial sum "
                                             f"in step 0. Worker p owns chunk {owner}: it sends (p + 1 - s) mod P."),
        (dict(index=lambda p, s: p + 1), "worker p sent its own complete chunk (p + 1) mod P in every step, so the "
                                         "other complete chunks never travel on. Pass on, in step s, the chunk "
                                         "received in the step before: (p + 1 - s) mod P."),
        (dict(to=-1, index=lambda p, s: p - 1 + s), "your ring runs backwards: worker p sent chunk (p - 1 + s) mod P "
                                                    f"to worker p - 1. Reduce-scatter left chunk {owner} complete on "
                                                    "worker p, and all-gather passes it on in the same direction: "
                                                    "send chunk (p + 1 - s) mod P to worker (p + 1) mod P."),
        (dict(op="add"), "the receiver added the message to its chunk instead of replacing it: its chunk held a "
                         "partial sum from reduce-scatter, so those values now count twice. All-gather only "
                         "copies complete chunks; the receiver keeps a copy of the message."),
    ]


def _sent_mistakes(phase, state, expected, P, n):
    """(wrong sent, message) for the usual slips in counting the traffic."""
    _, received = _simulate(state, phase, to=1)  # the same schedule, counted at the receivers
    received = [received[(p - 1) % P] for p in range(P)]
    mistakes = [
        (received, "sent[p] counts what worker p received, not what it sent: add each message's size to its "
                   "sender's count. (Chunks of unequal length make the two differ.)"),
        ([P - 1] * P, "sent[p] counts messages (chunks), not values: add each message's size, the number of values "
                      "in the chunk sent."),
        ([(P - 1) * P] * P, "sent[p] adds len(chunks[p]) per message, the number of chunks a worker holds; the "
                            "size of a message is the number of values in the one chunk sent."),
        ([2 * k for k in expected], "sent[p] is twice what worker p sent in this phase: each phase counts only its "
                                    "own messages; ring_allreduce adds the two phases' counts."),
        ([8 * k for k in expected], "sent[p] counts bytes (8 per float64 value); count values."),
        ([(P - 1) * n / P] * P, "sent[p] is computed from the formula (P - 1) n / P. With chunks of unequal length "
                                "(np.array_split makes the first n mod P chunks one value longer) it is not a whole "
                                "number: add up the sizes of the chunks actually sent."),
        ([sum(expected)] * P, "every sent[p] is the total over all workers: count each worker's own messages."),
    ]
    if phase == AG:
        mistakes.append((_simulate(state, phase, to=-1, index=lambda p, s: p + 1 + s)[1],
                         "your all-gather runs the ring backwards: worker p sent to worker p - 1 (chunk (p + 1 + s) "
                         "mod P). Every worker gets every sum that way too, but not with the ring's traffic: send "
                         "chunk (p + 1 - s) mod P to worker (p + 1) mod P."))
        mistakes.append((_simulate(state, phase, steps=lambda P: P)[1],
                         "one step too many: the loop over the steps ran P times. The P-th step sends every worker "
                         "a complete chunk it already owns (so the sums are right), but the traffic is wrong: steps "
                         "s = 0 .. P - 2, range(P - 1)."))
    return mistakes


# --- one phase --------------------------------------------------------------------------------------

FUNCTIONS = {RS: "reduce_scatter", AG: "all_gather"}


def _start(phase, P, n):
    """The chunks a phase starts from: the tagged arrays, or for all-gather the reference reduce-scatter's result."""
    return _tagged(P, n) if phase == RS else _simulate(_tagged(P, n), RS)[0]


def _attempts(mod, phase):
    """The learner's chunks after the phase on every case, None where it raised or broke the lists.

    Used only to name a mistake: a simulated mistake names it only if it explains every case, not a
    coincidence of one.
    """
    found = []
    for P, n in CASES:
        start = _start(phase, P, n)
        chunks = _copy(start)
        try:
            getattr(mod, FUNCTIONS[phase])(chunks)
            _structure("", chunks, [len(c) for c in start[0]])
            found.append((start, _flat(chunks)))
        except Exception:
            found.append((start, None))
    return found


def _explains(attempts, phase, keywords):
    return all(got is None or matches(got, _flat(_simulate(start, phase, **keywords)[0])) for start, got in attempts)


def _run_phase(mod, phase, P, n):
    """Run the learner's phase on a fresh copy of its input; raise CheckFailure on a wrong state."""
    name = FUNCTIONS[phase]
    start = _start(phase, P, n)
    lengths = [len(c) for c in start[0]]
    what = f"{name}(chunks) for P = {P} worker{'s' if P > 1 else ''}, n = {n} values each (chunk lengths {lengths})"
    expected, expected_sent = _simulate(start, phase)
    chunks = _copy(start)
    sent = _call(mod, what, getattr(mod, name), chunks)
    _structure(what, chunks, lengths)
    got = _flat(chunks)

    if P > 1 and np.array_equal(got, _flat(start)):
        returned = " and returned new chunks" if isinstance(sent, (list, tuple)) and sent and \
            isinstance(sent[0], (list, tuple)) else ""
        raise CheckFailure(f"{what}: chunks is unchanged after the call{returned}. The lists and arrays given are the "
                           f"workers' own buffers: {name} works on them in place (chunks[r][c] += ... or "
                           "chunks[r][c] = ...), not on a copy, and returns only sent.")
    twins = _shared(chunks)
    if twins:
        p, q, c = twins
        how = ("the receiver kept the message itself, not a copy" if phase == AG else
               "a chunk was replaced by another worker's array, or a message was added into its sender's array")
        raise CheckFailure(f"{what}: worker {q}'s chunk {c} is the same array in memory as worker {p}'s: {how}. "
                           "Workers are separate machines, each with its own buffers; here a later in-place change "
                           "on one worker (the next reduce-scatter's +=, an optimizer's update) would change the "
                           "other's too. Deliver a copy of the message (take .copy() of the chunk sent).")
    if not matches(got, _flat(expected)):
        detail = _first_difference(chunks, expected, P)
        if P == 1:
            raise CheckFailure(f"{what}: with one worker there is no one to send to: P - 1 = 0 steps, so chunks "
                               f"stay as they are and sent is [0]. Your loop ran anyway.{detail}")
        if phase == RS:
            owned = [expected[p][(p + 1) % P] for p in range(P)]
            mine = [chunks[p][(p + 1) % P] for p in range(P)]
        else:
            owned, mine = [np.concatenate(w) for w in expected], [np.concatenate(w) for w in chunks]
        if all(matches(m, o / P) for m, o in zip(mine, owned)):
            raise CheckFailure(f"{what}: the complete chunks are divided by P = {P}: an all-reduce sums the "
                               "workers' arrays; averaging, if wanted, is the caller's business (notebook 10 "
                               f"scales each gradient before the all-reduce). Do not divide.{detail}")
        attempts = _attempts(mod, phase)
        for keywords, message in _state_mistakes(phase, P):
            if matches(got, _flat(_simulate(start, phase, **keywords)[0])) and _explains(attempts, phase, keywords):
                raise CheckFailure(f"{what}: {message}{detail}")
        goal = ("worker p holds the whole sum of chunk (p + 1) mod P, its other chunks the partial sums the ring "
                "leaves" if phase == RS else "every worker holds every summed chunk")
        raise CheckFailure(f"{what}: expected that afterwards {goal}.{detail} In step s worker p sends chunk "
                           f"{SENDS[phase]} to worker (p + 1) mod P, which "
                           f"{'adds it to' if phase == RS else 'replaces'} its chunk of that index; steps s = 0 .. "
                           "P - 2, every message taken from the state before the step.")
    return {"what": what, "P": P, "n": n, "start": start, "sent": sent, "expected": expected_sent}


def _counts(got, P):
    """got as a float array of shape (P,), or None."""
    try:
        values = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return values if values.shape == (P,) else None


def _check_sent(phase, runs):
    """Each run's sent against the expected counts; a known slip is named if it explains every run."""
    for run in runs:
        what, got, expected, P = run["what"], run["sent"], run["expected"], run["P"]
        if got is None:
            raise CheckFailure(f"{what} returned None; expected sent, a list of {P} whole numbers: sent[p] is the "
                               "number of values worker p sent (did the function return it?).")
        if isinstance(got, tuple) and len(got) == 2 and _counts(got[1], P) is not None:
            raise CheckFailure(f"{what} returned a pair; expected sent alone, a list of {P} whole numbers. The "
                               "chunks change in place, in the lists given, so they need not be returned.")
        values = _counts(got, P)
        if values is None:
            try:
                total = np.ndim(got) == 0 and float(got) == sum(expected)
            except (TypeError, ValueError):
                total = False
            if np.ndim(got) == 0 and P > 1:
                raise CheckFailure(f"{what}: returned one number{' (the total over all workers)' if total else ''}, "
                                   f"{got!r:.40}; expected a list of {P} counts, one per worker: {expected}.")
            raise CheckFailure(f"{what}: expected sent, a list of {P} whole numbers (one per worker), got "
                               f"{got!r:.80}.")
        if np.array_equal(values, expected):
            continue
        table = [_sent_mistakes(phase, r["start"], r["expected"], r["P"], r["n"]) for r in runs]
        for i, (wrong, message) in enumerate(_sent_mistakes(phase, run["start"], expected, P, run["n"])):
            if matches(values, wrong) and all(_counts(r["sent"], r["P"]) is not None and
                                              matches(_counts(r["sent"], r["P"]), mistakes[i][0])
                                              for r, mistakes in zip(runs, table)):
                raise CheckFailure(f"{what}: {message} Expected sent = {expected}, got {_show(values)}.")
        raise CheckFailure(f"{what}: expected sent = {expected}, got {_show(values)}. Each worker sends P - 1 = "
                           f"{P - 1} chunks in this phase, all but one of its chunks; sent[p] adds up their lengths.")


def _check_phase(mod, passed, phase):
    name = FUNCTIONS[phase]
    runs = [_run_phase(mod, phase, P, n) for P, n in CASES]
    if phase == RS:
        passed("reduce_scatter: after P - 1 steps worker p holds the whole sum of chunk (p + 1) mod P (and the "
               "partial sums the ring leaves in its other chunks), in place, for P = 1 .. 5 and chunks of unequal "
               "length, some of them empty")
    else:
        passed("all_gather: afterwards every worker holds every summed chunk, each in its own array (no two "
               "workers share memory), for P = 1 .. 5 and chunks of unequal length")
    _check_sent(phase, runs)
    first = runs[0]
    passed(f"{name} returns the values each worker sent: sent = {first['expected']} for P = {first['P']}, "
           f"n = {first['n']}, chunk lengths {[len(c) for c in first['start'][0]]} (each worker sends all its "
           "chunks but one)")


# --- both phases: the file's ring_allreduce against nncore's ------------------------------------------

GIVEN = ("ring_allreduce is given code, and your two phases pass on their own, so put it back as it was: "
         "nncore.exercises.reset(\"ring_allreduce\") (or `python -m nncore reset ring_allreduce`) restores the "
         "whole file and keeps yours as ring_allreduce.py.bak, to copy your two functions from.")


def _check_allreduce(mod, passed):
    if not hasattr(mod, "ring_allreduce"):
        raise CheckFailure(f"ring_allreduce is missing from your file. {GIVEN}")
    rng = np.random.default_rng(0)
    shapes = [(1, 5), (2, 6), (3, 10), (5, 13), (4, 1000)]
    cases = [rng.integers(-9, 10, shape).astype(np.float64) for shape in shapes] + [rng.standard_normal((4, 9))]
    for arrays in cases:
        P, n = arrays.shape
        given = [a.copy() for a in arrays]
        what = f"ring_allreduce(arrays) for P = {P} arrays of n = {n} values"
        result = _call(mod, what, mod.ring_allreduce, given)
        if any(not np.array_equal(a, b) for a, b in zip(given, arrays)):
            raise CheckFailure(f"{what} changed the arrays given to it: each worker's chunks must be cut from a "
                               f"copy. {GIVEN}")
        sums, sent = reference_allreduce(arrays)
        if not isinstance(result, tuple) or len(result) != 2:
            raise CheckFailure(f"{what}: expected the pair (sums, sent), as nncore.distributed.ring_allreduce "
                               f"returns it, got {type(result).__name__}. {GIVEN}")
        got_sums, got_sent = result
        try:
            same = len(got_sums) == P and all(matches(g, s) for g, s in zip(got_sums, sums))
            shown = _show(got_sums[0])
        except (TypeError, ValueError, IndexError):
            same, shown = False, repr(got_sums)[:60]
        if not same:
            raise CheckFailure(f"{what}: expected every worker to get the sum {_show(sums[0])}, as "
                               f"nncore.distributed.ring_allreduce gives it; worker 0 got {shown}. {GIVEN}")
        counts = _counts(got_sent, P)
        if counts is None or not np.array_equal(counts, sent):
            raise CheckFailure(f"{what}: expected sent = {list(sent)}, the two phases' counts added, as "
                               f"nncore.distributed.ring_allreduce counts them; got {got_sent!r:.80}. {GIVEN}")
    per_worker = reference_allreduce(cases[4])[1][0]
    passed("ring_allreduce with your two phases gives nncore.distributed.ring_allreduce's sums and traffic for "
           f"P = 1 .. 5, its inputs unchanged; for P = 4 and n = 1000 each worker sends {per_worker} values, "
           "2 (P - 1) / P n")


def check_ring_allreduce(mod, passed):
    _check_phase(mod, passed, RS)
    _check_phase(mod, passed, AG)
    _check_allreduce(mod, passed)


EXERCISES = {
    "ring_allreduce": Exercise("A ring all-reduce over P simulated workers: reduce-scatter and all-gather",
                               "10_distributed", check_ring_allreduce, order=0),
}
