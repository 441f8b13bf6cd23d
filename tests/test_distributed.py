"""nncore.distributed: the ring all-reduce against a plain sum, and real processes on 127.0.0.1 against
one process: the same weights to float64 precision, and a failed, killed or hanging worker stopped with
an error that names it, within a bounded time."""

import os
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore.distributed import (failing, launch, ring_allreduce, shard, timing, train_ddp,
                                train_nncore)
from nncore.errors import NNCoreError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@given(n=st.integers(0, 50), P=st.integers(1, 9))
def test_shards_cover_every_sample_once(n, P):
    parts = [shard(n, r, P) for r in range(P)]
    assert np.array_equal(np.concatenate([np.arange(n)[s] for s in parts]), np.arange(n))
    sizes = [s.stop - s.start for s in parts]
    assert max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize("rank, world_size, named", [(2, 2, "rank"), (-1, 2, "rank"), (0, 0, "world_size"),
                                                     (0, 1.5, "world_size")])
def test_shard_refuses_impossible_ranks(rank, world_size, named):
    with pytest.raises(NNCoreError, match=named):
        shard(10, rank, world_size)


@settings(max_examples=60, deadline=None)
@given(P=st.integers(1, 7), n=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_ring_allreduce_is_the_sum_on_every_worker(P, n, seed):
    arrays = [np.random.default_rng(seed + p).integers(-9, 9, n).astype(float) for p in range(P)]
    before = [a.copy() for a in arrays]
    sums, sent = ring_allreduce(arrays)
    for s in sums:
        assert np.array_equal(s, np.sum(arrays, axis=0))
    assert all(np.array_equal(a, b) for a, b in zip(arrays, before)), "the inputs must not change"
    # Worker p sends every chunk but (p + 1) mod P in the reduce-scatter, and every chunk but
    # (p + 2) mod P in the all-gather; with one worker there is no one to send to.
    size = [len(c) for c in np.array_split(np.arange(n), P)]
    assert sent == [2 * n - size[(p + 1) % P] - size[(p + 2) % P] if P > 1 else 0 for p in range(P)]


@pytest.mark.parametrize("P", [2, 4, 8])
def test_ring_traffic_is_2_p_minus_1_over_p_of_the_gradient(P):
    n = 8 * 1000
    _, sent = ring_allreduce([np.ones(n)] * P)
    assert sent == [2 * (P - 1) * n // P] * P


def test_ring_allreduce_refuses_arrays_of_different_shapes():
    with pytest.raises(NNCoreError, match=r"arrays.*ravel"):
        ring_allreduce([np.ones(3), np.ones(4)])
    with pytest.raises(NNCoreError, match="empty"):
        ring_allreduce([])


def test_two_processes_give_the_one_process_weights():
    one = train_nncore(0, 1, steps=5)
    results = launch(train_nncore, 2, kwargs={"steps": 5})
    assert results[0].keys() == one.keys()
    for key in one:
        assert np.array_equal(results[0][key], results[1][key]), f"{key}: the two workers disagree"
        assert np.abs(results[0][key] - one[key]).max() < 1e-12, key


def test_unequal_shards_are_weighted_by_their_size():
    one = train_nncore(0, 1, steps=3, n=1001)
    for w in launch(train_nncore, 2, kwargs={"steps": 3, "n": 1001}):
        for key in one:
            assert np.abs(w[key] - one[key]).max() < 1e-12, key


def test_ddp_gives_the_one_process_weights():
    one = train_nncore(0, 1, steps=5)
    for result in launch(train_ddp, 2, kwargs={"steps": 5}):
        for key, value in result.items():
            assert value.shape == one[key].shape
            assert np.abs(value - one[key]).max() < 1e-12, key


def test_ddp_refuses_shards_that_sampler_would_pad():
    with pytest.raises(NNCoreError, match="multiple of world_size"):
        train_ddp(0, 2, n=1001)


@pytest.mark.parametrize("how, says", [("raise", r"worker 1 raised ValueError: worker 1 gave up at step 3.*\n"
                                                 r"  in failing, nncore/distributed\.py line \d+"),
                                       ("kill", "worker 1 was ended by signal SIGKILL")])
def test_a_failed_worker_stops_the_launch_with_its_name(how, says):
    start = time.monotonic()
    with pytest.raises(NNCoreError, match=says) as info:
        launch(failing, 2, kwargs={"how": how}, timeout=60)
    assert time.monotonic() - start < 30, "the partner of a dead worker must not wait for gloo's timeout"
    assert "Then worker 0 stopped too: its collective operation lost a partner." in str(info.value)
    # A killed worker leaves no traceback; a worker that raised leaves its own.
    assert set(info.value.tracebacks) == ({0, 1} if how == "raise" else {0})


def test_a_hanging_worker_ends_at_the_timeout():
    start = time.monotonic()
    with pytest.raises(NNCoreError, match=r"did not finish within timeout=8 s"):
        launch(failing, 2, kwargs={"how": "hang"}, timeout=8)
    assert time.monotonic() - start < 20


def test_launch_refuses_a_function_the_workers_cannot_import():
    with pytest.raises(NNCoreError, match="importable module"):
        launch(lambda rank, world_size: None, 2)
    with pytest.raises(NNCoreError, match="world_size"):
        launch(train_nncore, 0)


def test_timing_reports_epochs_and_allreduce_times():
    results = launch(timing, 2, kwargs={"epochs": 1, "n": 1024, "sizes": (10, 1000)})
    for r in results:
        assert r["epoch_seconds"].shape == r["allreduce_in_epoch"].shape == (1,) and r["allreduce_seconds"].shape == (2,)
        assert int(r["steps"]) == 1024 // 256 and int(r["n_parameters"]) == 784 * 128 + 128 + 128 * 10 + 10


def test_torchrun_runs_the_module():
    env = {**os.environ, "PYTHONPATH": ROOT, "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
                          "-m", "nncore.distributed", "--steps", "3"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "2 processes, 3 steps: loss 2.4143 before the first, 2.1968 before the last"


def test_the_module_without_torchrun_says_how_to_start_it():
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE")}
    out = subprocess.run([sys.executable, "-m", "nncore.distributed"], capture_output=True, text=True,
                         env={**env, "PYTHONPATH": ROOT}, timeout=60)
    assert out.returncode != 0 and "torchrun --standalone --nproc-per-node 2" in out.stderr


def test_a_worker_that_returns_no_dict_gets_told_what_to_return():
    # shard(rank, world_size, 3) returns a slice, not a dict of arrays
    with pytest.raises(NNCoreError, match=r"what shard returned: expected a dict of arrays or numbers, or None, "
                                          r"got a slice"):
        launch(shard, 2, args=(3,))


@pytest.mark.parametrize("call, says", [
    (lambda: launch(len, 2), "worker: expected a function defined at the top level"),
    (lambda: launch(SGDlike, 2), "worker: expected a function"),
    (lambda: launch(train_nncore, 2, args=20), r"args: .*args=\(20,\)"),
    (lambda: launch(train_nncore, 2, kwargs=[("steps", 2)]), "kwargs: expected a dict"),
    (lambda: launch(train_nncore, 2, timeout=0), "timeout: expected a positive number"),
    (lambda: launch(train_nncore, True), "world_size"),
    (lambda: train_nncore(0, 1, steps=0), "steps: expected a whole number >= 1"),
    (lambda: train_nncore(0, 1, lr=-0.5), "lr: expected a positive number"),
    (lambda: train_nncore(0, 1, n=5000), "n: expected a number of digits from world_size=1 to 1797"),
    (lambda: train_nncore(0, 4, n=3), "Every worker needs at least one sample"),
    (lambda: train_ddp(0, 1, steps=2.5), "steps"),
    (lambda: timing(0, 1, batch_size=0), "batch_size"),
    (lambda: timing(0, 4, batch_size=2, n=100), "a sample per worker"),
    (lambda: timing(0, 1, n=100), "n: expected a whole number of samples >= batch_size=256"),
    (lambda: timing(0, 1, n=1024, sizes=(10, -1)), "sizes"),
])
def test_bad_arguments_are_refused_before_any_process_starts_or_any_training(call, says):
    with pytest.raises(NNCoreError, match=says):
        call()


class SGDlike:
    """A class is callable, but a worker must be a function that returns a dict."""
