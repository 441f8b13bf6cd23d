"""The benchmark runs on a tiny configuration and prints every figure (no timing assertions:
speed belongs to the benchmark's output, not to tests on a shared machine)."""

import re

from nncore import bench


def test_flops_per_epoch_counts_forward_and_the_needed_backward_products():
    # 784-128-10 on one sample: forward 2*(784*128 + 128*10), dW the same again, dX only for layer 2.
    assert bench.flops_per_epoch(1, [784, 128, 10]) == 2 * (2 * (784 * 128 + 128 * 10) + 128 * 10)


def test_tiny_benchmark_prints_every_figure(capsys):
    bench.main(["--data", "digits", "--epochs", "2", "--hidden", "16", "--batch-size", "64"])
    out = capsys.readouterr().out
    number = r"\d+\.\d+"
    assert re.search(rf"median epoch\s+nncore {number} s\s+torch {number} s\s+ratio nncore/torch {number}x", out)
    assert re.search(rf"test accuracy\s+nncore {number}\s+torch {number}", out)
    # the peak is timed 3 times before training and once after each of the 2 pairs of epochs
    assert re.search(rf"matmul peak\s+{number} GFLOP/s \(float32, 2048\^3, median of 5 products "
                     r"timed before and between the epochs\)", out)
    assert re.search(rf"nncore reaches {number} GFLOP/s = {number}% of peak", out)
    assert "64-16-10 MLP" in out


def test_both_frameworks_learn_the_same_model():
    r = bench.run(hidden=(32,), epochs=10, batch_size=32, lr=3e-3, data="digits")
    # Same weights, batches and optimizer: both must learn, and end close to each other.
    assert r["nncore_acc"] > 0.8 and r["torch_acc"] > 0.8
    assert abs(r["nncore_acc"] - r["torch_acc"]) < 0.01
