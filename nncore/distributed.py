"""Data parallelism: the same training on several processes (notebook 10).

A batch's gradient is a sum over its samples, so P workers that each take a shard of the batch and
then add up their gradients (an all-reduce) compute exactly the full-batch gradient. Here:

* `shard`, `ring_allreduce`: the split and the collective itself, simulated in one process with NumPy;
  `ring_allreduce` sends 2 (P - 1) / P times the gradient's size per worker.
* `launch(worker, P)`: P real processes on this machine, joined by torch.distributed (gloo on the CPU,
  NCCL with one GPU per process), each calling `worker(rank, P, ...)`; a failed or killed worker
  ends the launch with an NNCoreError that names it, and every process is stopped.
* `train_nncore`: nncore's network trained on a shard, its gradients summed with
  `torch.distributed.all_reduce`; `train_ddp`: the same network in torch with DistributedDataParallel.
* `timing`: seconds per epoch and per all-reduce, for the cost model of notebook 10.

Run under torchrun, ``python -m nncore.distributed`` trains `train_nncore` on the processes torchrun
started (see `main`).
"""

import argparse
import datetime
import inspect
import os
import signal
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

from .errors import NNCoreError, as_numbers, fail, is_real, is_whole

#: How long a collective may wait for its partners before torch.distributed gives up (a safety net:
#: `launch` notices a dead worker within a second and stops the others itself).
COLLECTIVE_TIMEOUT = 60


# --- the idea, in one process ------------------------------------------------------------------

def shard(n, rank, world_size):
    """The slice of n samples that worker `rank` of `world_size` takes: contiguous, sizes differ by <= 1."""
    if not is_whole(n, 0):
        fail("n", "a whole number >= 0 (the number of samples)", repr(n))
    if not is_whole(world_size, 1):
        fail("world_size", "a whole number >= 1 (the number of workers)", repr(world_size))
    if not is_whole(rank, 0) or rank >= world_size:
        fail("rank", f"a whole number from 0 to {world_size - 1} (world_size - 1)", repr(rank))
    start, stop = rank * n // world_size, (rank + 1) * n // world_size
    return slice(start, stop)


def ring_chunks(arrays):
    """Each worker's array cut into P chunks, as a float copy: chunks[p][c] is chunk c of worker p.

    arrays: P 1-D arrays of the same length n. np.array_split makes the first n mod P chunks one value
    longer than the others. The inputs are not changed.
    """
    if not (isinstance(arrays, (list, tuple)) or isinstance(arrays, np.ndarray) and arrays.ndim >= 1):
        fail("arrays", "a list with one 1-D array per worker (or a 2-D array, a row per worker)",
             f"a {type(arrays).__name__}",
             "Put the workers' gradients in a list: [g0, g1, ...].")
    arrays = [as_numbers(a, f"arrays[{p}]") for p, a in enumerate(arrays)]
    if not arrays or any(a.ndim != 1 or a.shape != arrays[0].shape for a in arrays):
        fail("arrays", "one or more 1-D arrays of the same length (one gradient per worker)",
             [a.shape for a in arrays] or "an empty list", "Flatten each gradient with .ravel() first.")
    return [np.array_split(a.astype(np.result_type(a, np.float64), copy=True), len(arrays)) for a in arrays]


def ring_allreduce(arrays, steps=None):
    """Every worker's sum of P arrays, by a ring all-reduce; and the number of values each worker sent.

    arrays: P 1-D arrays of the same length n, arrays[p] held by worker p. Each array is cut into P
    chunks. Reduce-scatter: in step s = 0 .. P-2 worker p sends chunk (p - s) mod P to worker p + 1,
    which adds it to its own; afterwards worker p holds the whole sum of chunk (p + 1) mod P.
    All-gather: in step s, worker p sends chunk (p + 1 - s) mod P, and the receiver keeps it.
    All messages of a step leave at once, so each is taken from the state before the step.

    Returns (sums, sent): P new arrays, each the element-wise sum, and sent[p], the number of values
    worker p sent, 2 (P - 1) / P * n when P divides n. The inputs are not changed. A list given as
    `steps` receives (phase, s, state) after every step, state[p][c] being chunk c of worker p.
    """
    chunks = ring_chunks(arrays)
    P = len(chunks)
    sent = [0] * P
    for phase in ("reduce-scatter", "all-gather"):
        for s in range(P - 1):
            first = 0 if phase == "reduce-scatter" else 1
            messages = [(p, (p + first - s) % P, chunks[p][(p + first - s) % P].copy()) for p in range(P)]
            for p, c, values in messages:
                receiver = (p + 1) % P
                if phase == "reduce-scatter":
                    chunks[receiver][c] += values
                else:
                    chunks[receiver][c] = values
                sent[p] += values.size
            if steps is not None:
                steps.append((phase, s, [[c.copy() for c in worker] for worker in chunks]))
    return [np.concatenate(c) for c in chunks], sent


# --- real processes ------------------------------------------------------------------------------

def backend_for(world_size):
    """('nccl', 'cuda') when there is a GPU for every process, else ('gloo', 'cpu')."""
    import torch
    if torch.cuda.is_available() and torch.cuda.device_count() >= world_size:
        return "nccl", "cuda"
    return "gloo", "cpu"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker_main(worker, rank, world_size, port, args, kwargs, folder):
    """What each spawned process runs: join the group, call worker, save its result or its error."""
    import torch
    import torch.distributed as dist
    from threadpoolctl import threadpool_limits
    # One thread each: P processes share the machine's cores, and more threads would compete for them.
    threadpool_limits(1)
    torch.set_num_threads(1)
    backend, device = backend_for(world_size)
    if device == "cuda":
        torch.cuda.set_device(rank % torch.cuda.device_count())
    try:
        dist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{port}", rank=rank,
                                world_size=world_size, timeout=datetime.timedelta(seconds=COLLECTIVE_TIMEOUT))
        result = worker(rank, world_size, *args, **kwargs)
        if result is not None and not isinstance(result, dict):
            fail(f"what {getattr(worker, '__name__', 'the worker')} returned", "a dict of arrays or numbers, "
                 "or None", f"a {type(result).__name__}", "Return for example {'W': W, 'loss': loss}.")
        np.savez(folder / f"rank{rank}.npz", **(result or {}))
    except BaseException as exc:
        # A worker that failed inside torch.distributed (in a collective) usually failed because a partner
        # died first: the launch names the partner as the cause.
        partner = (any("torch/distributed" in f.filename.replace(os.sep, "/")
                       for f in traceback.extract_tb(exc.__traceback__))
                   or type(exc).__name__ in ("DistBackendError", "DistNetworkError")
                   or any(word in str(exc) for word in ("Connection closed", "Connection reset", "gloo")))
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        (folder / f"rank{rank}.error").write_text("\n".join([
            "partner" if partner else "own", f"{type(exc).__name__}: {message}".rstrip(": "), _where(exc),
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))]))
        code = 1
    else:
        code = 0
    if dist.is_initialized():
        dist.destroy_process_group()
    # Leave without the interpreter's teardown: torch's background threads (DDP's, gloo's) can abort the
    # process while it destroys them ("terminate called without an active exception"), after the work is done.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _stop(processes):
    started = [p for p in processes if p.pid is not None]
    for p in started:
        if p.is_alive():
            p.terminate()
    for p in started:
        p.join(5)
        if p.is_alive():
            p.kill()
            p.join()


def _where(exc):
    """'function, file line N' of the innermost frame outside the libraries, file relative to the course."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename] or \
        traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    frame, path = frames[-1], Path(frames[-1].filename)
    root = Path(__file__).resolve().parent.parent
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    return f"in {frame.name}, {shown} line {frame.lineno}"


def _failure(p, rank, folder):
    """(rank of the likely cause: 0 first, first line, where, full traceback) for a worker that ended badly
    or still runs after a partner failed. A worker that failed in a collective comes last: it lost a partner."""
    error = folder / f"rank{rank}.error"
    if error.exists():
        kind, summary, where, text = error.read_text().split("\n", 3)
        return (0 if kind == "own" else 3), f"worker {rank} raised {summary}", where, text
    if p.exitcode is None:
        return 2, f"worker {rank} was still running, neither finished nor failed (waiting forever?)", "", ""
    if p.exitcode < 0:
        return 1, f"worker {rank} was ended by signal {signal.Signals(-p.exitcode).name}", "", ""
    return 1, (f"worker {rank} ended with exit code {p.exitcode} before it reached the worker function "
               "(in a script, start the launch under `if __name__ == \"__main__\":`, because each new "
               "process imports the script again)"), "", ""


def launch(worker, world_size, *, args=(), kwargs=None, timeout=300):
    """Run worker(rank, world_size, *args, **kwargs) in world_size processes; return their results.

    Each process joins one torch.distributed group on 127.0.0.1 (see backend_for) before calling
    worker, which must be a function of an importable module (spawned processes import it; a function
    defined in a notebook cannot be found by them) and return a dict of arrays or numbers, or None.
    Returns a list with each rank's dict. If a worker raises or dies, the others are stopped and an
    NNCoreError names the worker and its error; so does a launch that takes longer than `timeout` s.
    """
    import multiprocessing

    if not inspect.isfunction(worker) or worker.__module__ == "__main__" or "<" in worker.__qualname__:
        fail("worker", "a function defined at the top level of an importable module, such as "
             "nncore.distributed.train_nncore", repr(worker),
             "Spawned processes import the worker by name: move it into a .py file and import it from there.")
    if not is_whole(world_size, 1):
        fail("world_size", "a whole number >= 1 (the number of processes)", repr(world_size))
    if not isinstance(args, (tuple, list)):
        fail("args", "a tuple of the worker's further arguments, such as (20,)", f"a {type(args).__name__}",
             "A single argument needs a comma: args=(20,).")
    if not isinstance(kwargs, (dict, type(None))):
        fail("kwargs", "a dict of the worker's keyword arguments, such as {'steps': 20}", f"a {type(kwargs).__name__}")
    if not (is_real(timeout) and timeout > 0):
        fail("timeout", "a positive number of seconds", repr(timeout))
    ctx = multiprocessing.get_context("spawn")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="nncore-launch-") as tmp:
        folder = Path(tmp)
        processes = [ctx.Process(target=_worker_main, daemon=True,
                                 args=(worker, rank, world_size, port, tuple(args), dict(kwargs or {}), folder))
                     for rank in range(world_size)]
        try:
            for p in processes:
                p.start()
            deadline = time.monotonic() + timeout
            while any(p.is_alive() for p in processes):
                if any(p.exitcode not in (None, 0) for p in processes):
                    # The partners of a failed worker notice it in their next collective and leave their errors.
                    until = min(time.monotonic() + 5.0, deadline)
                    for p in processes:
                        p.join(max(0.0, until - time.monotonic()))
                    break
                if time.monotonic() > deadline:
                    raise NNCoreError(f"launch: the {world_size} workers did not finish within timeout={timeout} s. "
                                      "Give a larger timeout, or fewer steps.")
                time.sleep(0.02)
            failed = any(p.exitcode not in (None, 0) for p in processes)
            failures = [_failure(p, rank, folder) for rank, p in enumerate(processes) if failed and p.exitcode != 0]
        finally:
            _stop(processes)
        if failures:
            failures.sort(key=lambda f: f[0])  # the likely cause first, the partners that lost it after
            cause, *partners = failures
            lines = [f"launch: {cause[1]}"] + [f"  {cause[2]}"] * bool(cause[2])
            lines += [f"Then {first.split(' raised')[0]} stopped too: its collective operation lost a partner."
                      if kind == 3 else f"Then {first.replace('raised', 'stopped too:', 1)}"
                      for kind, first, _, _ in partners]
            error = NNCoreError("\n".join(lines + [f"All {world_size} processes have been stopped; the full "
                                                   "tracebacks are in this error's .tracebacks."]))
            error.tracebacks = {int(f[1].split()[1]): f[3] for f in failures if f[3]}
            raise error
        return [dict(np.load(folder / f"rank{rank}.npz")) for rank in range(world_size)]


def allreduce_sum_(arrays):
    """Replace each NumPy array by its sum over all processes, in place (a no-op without a group).

    The arrays travel as one flat buffer, one all-reduce per call: every message costs a latency, so
    one large message is cheaper than one per parameter (DDP groups its gradients into buckets likewise).
    """
    import torch
    import torch.distributed as dist
    if not dist.is_initialized() or dist.get_world_size() == 1:
        return
    flat = torch.from_numpy(np.concatenate([a.ravel() for a in arrays]))
    if dist.get_backend() == "nccl":  # NCCL adds on the GPU only
        on_gpu = flat.cuda()
        dist.all_reduce(on_gpu)
        flat = on_gpu.cpu()
    else:
        dist.all_reduce(flat)
    offset = 0
    for a in arrays:
        a[...] = flat[offset:offset + a.size].numpy().reshape(a.shape)
        offset += a.size


# --- the workers of notebook 10 --------------------------------------------------------------------

DIGITS = 1797  # scikit-learn's digits


def _check_run(world_size, **counts_and_rates):
    """Refuse counts that are not whole numbers >= 1, rates that are not positive, and n outside the digits."""
    for name, value in counts_and_rates.items():
        if name == "lr":
            if not (is_real(value) and value > 0):
                fail("lr", "a positive number, such as 0.5", repr(value))
        elif not is_whole(value, 1):
            fail(name, "a whole number >= 1", repr(value))
    n = counts_and_rates.get("n")
    if n is not None and not world_size <= n <= DIGITS:
        fail("n", f"a number of digits from world_size={world_size} to {DIGITS}", n,
             "Every worker needs at least one sample, and scikit-learn's digits are 1,797 images.")


def digits_problem(n=1792):
    """The first n digits, pixels scaled to [0, 1], and notebook 10's 64-32-10 network (float64)."""
    from . import Dense, ReLU, Sequential
    from .data import load_digits
    X, y = load_digits()
    return X[:n] / 16.0, y[:n], Sequential([Dense(64, 32, seed=0), ReLU(), Dense(32, 10, seed=1)])


def train_nncore(rank, world_size, steps=20, lr=0.5, n=1792):
    """Full-batch gradient descent on notebook 10's network, this worker on its shard of the n digits.

    Each worker's gradient is the mean over its n_p samples; scaled by n_p / n and summed over the
    workers it is the mean over all n samples, whatever the shard sizes. With world_size = 1 (and no
    group) this is plain one-process training. Returns the final parameters and the loss of every step,
    measured before that step's update.
    """
    from . import SGD, SoftmaxCrossEntropy
    _check_run(world_size, steps=steps, lr=lr, n=n)
    X, y, model = digits_problem(n)
    part = shard(len(X), rank, world_size)
    X, y, share = X[part], y[part], (part.stop - part.start) / len(X)
    loss, optimizer = SoftmaxCrossEntropy(), SGD(lr)
    losses = np.empty(steps)
    for k in range(steps):
        value = np.array([loss.forward(model.forward(X), y) * share])
        model.backward(loss.backward())
        grads = model.gradients()
        for g in grads.values():
            g *= share
        allreduce_sum_([*grads.values(), value])
        optimizer.step(model.parameters(), grads)
        losses[k] = value[0]
    return {**model.parameters(), "losses": losses}


def train_ddp(rank, world_size, steps=20, lr=0.5, n=1792):
    """The same training in torch: DistributedDataParallel, with DistributedSampler giving the shards.

    DDP averages the workers' gradients, the full-batch mean only when every shard has n / P samples
    (DistributedSampler pads the last shard with repeated samples otherwise), so n must be a multiple
    of world_size. Returns the final parameters in nncore's layout (W as (n_in, n_out)).
    """
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
    from .bench import build_torch
    _check_run(world_size, steps=steps, lr=lr, n=n)
    if n % world_size:
        fail("n", f"a multiple of world_size={world_size}", n,
             "DistributedSampler would repeat samples to even out the shards.")
    X, y, model = digits_problem(n)
    _, device = backend_for(world_size)
    net = build_torch(model).to(device)
    if dist.is_initialized():
        net = DistributedDataParallel(net)
    data = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    sampler = DistributedSampler(data, shuffle=False) if dist.is_initialized() else None
    batches = DataLoader(data, batch_size=n // world_size, sampler=sampler)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        for Xb, yb in batches:  # one batch: this worker's whole shard
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(net(Xb.to(device)), yb.to(device)).backward()
            optimizer.step()
    plain = net.module if isinstance(net, DistributedDataParallel) else net
    out = {}
    for i, m in enumerate(plain):  # build_torch keeps nncore's layer order, so i is the nncore index
        if isinstance(m, torch.nn.Linear):
            out[f"layers[{i}].W"] = m.weight.detach().cpu().numpy().T
            out[f"layers[{i}].b"] = m.bias.detach().cpu().numpy()[None, :]
    return out


def timing(rank, world_size, epochs=3, n=60000, batch_size=256, sizes=(1_000, 10_000, 100_000, 1_000_000)):
    """Seconds per epoch of a 784-128-10 network (Adam, float32) on random data of Fashion-MNIST's shape,
    the global batch of `batch_size` split over the workers, and how many of them went to all-reduces;
    then the median seconds of one all-reduce of `sizes` float32 values. The data's values do not change
    the time, so no download is needed. The network is nncore.bench's, the one `python -m nncore.bench` times.
    """
    import torch
    import torch.distributed as dist
    from . import Adam, SoftmaxCrossEntropy
    from .bench import build_nncore
    _check_run(world_size, epochs=epochs, batch_size=batch_size)
    if not is_whole(n, batch_size):
        fail("n", f"a whole number of samples >= batch_size={batch_size}", repr(n))
    if batch_size < world_size:
        fail("batch_size", f"at least world_size={world_size}, a sample per worker", batch_size)
    if not all(is_whole(size, 1) for size in sizes):
        fail("sizes", "whole numbers >= 1, the lengths of the arrays to all-reduce", repr(sizes))
    rng = np.random.default_rng(rank)
    part = shard(n, rank, world_size)
    X = rng.random((part.stop - part.start, 784), dtype=np.float32)
    y = rng.integers(0, 10, len(X))
    model = build_nncore((784, 128, 10), seed=0)
    loss, optimizer = SoftmaxCrossEntropy(), Adam(1e-3)
    local = batch_size // world_size
    starts = range(0, len(X) - local + 1, local)  # one step per full local batch
    epoch_seconds, allreduce_in_epoch = [], []
    for _ in range(epochs):
        start, waiting = time.perf_counter(), 0.0
        for i in starts:
            loss.forward(model.forward(X[i:i + local]), y[i:i + local])
            model.backward(loss.backward())
            grads = model.gradients()
            before = time.perf_counter()
            allreduce_sum_(list(grads.values()))
            waiting += time.perf_counter() - before
            optimizer.step(model.parameters(), grads)
        epoch_seconds.append(time.perf_counter() - start)
        allreduce_in_epoch.append(waiting)
    allreduce_seconds, device = [], backend_for(world_size)[1]
    for size in sizes:
        buffer, times = torch.zeros(size, dtype=torch.float32, device=device), []
        for _ in range(20):
            if dist.is_initialized():
                dist.barrier()
            start = time.perf_counter()
            if dist.is_initialized():
                dist.all_reduce(buffer)
            times.append(time.perf_counter() - start)
        allreduce_seconds.append(np.median(times))
    return {"epoch_seconds": np.array(epoch_seconds), "allreduce_in_epoch": np.array(allreduce_in_epoch),
            "allreduce_seconds": np.array(allreduce_seconds),
            "sizes": np.array(sizes), "n_parameters": sum(p.size for p in model.parameters().values()),
            "steps": len(starts)}


def failing(rank, world_size, fail_rank=1, at_step=3, how="raise"):
    """All-reduces that worker `fail_rank` abandons at step `at_step`: by raising (how='raise'), by being
    killed (how='kill') or by waiting forever (how='hang'). For notebook 10 and the tests."""
    import torch
    import torch.distributed as dist
    x = torch.ones(10)
    for step in range(10):
        if rank == fail_rank and step == at_step:
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if how == "hang":
                time.sleep(3600)
            raise ValueError(f"worker {rank} gave up at step {step} (a deliberate failure)")
        dist.all_reduce(x)
    return {"x": x.numpy()}


# --- torchrun ------------------------------------------------------------------------------------------

def main(argv=None):
    """``torchrun --standalone --nproc-per-node 2 -m nncore.distributed --steps 20``: train_nncore on the
    processes torchrun started (it sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT); rank 0 prints."""
    import torch.distributed as dist
    parser = argparse.ArgumentParser(prog="python -m nncore.distributed", description=main.__doc__)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.5)
    options = parser.parse_args(argv)
    if "RANK" not in os.environ:
        parser.error("start it with torchrun, which sets RANK and WORLD_SIZE, e.g. "
                     "torchrun --standalone --nproc-per-node 2 -m nncore.distributed")
    rank, world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    # GPUs are counted per machine: LOCAL_WORLD_SIZE processes share this machine's, one each (LOCAL_RANK).
    backend, device = backend_for(int(os.environ.get("LOCAL_WORLD_SIZE", world_size)))
    if device == "cuda":
        import torch
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    dist.init_process_group(backend, timeout=datetime.timedelta(seconds=COLLECTIVE_TIMEOUT))
    try:
        result = train_nncore(rank, world_size, steps=options.steps, lr=options.lr)
    finally:
        dist.destroy_process_group()
    if rank == 0:
        losses = result["losses"]
        print(f"{world_size} processes, {options.steps} steps: loss {losses[0]:.4f} before the first, "
              f"{losses[-1]:.4f} before the last")


if __name__ == "__main__":
    main()
