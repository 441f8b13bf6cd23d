"""Benchmark: the same MLP trained by nncore and by PyTorch, in one run, epoch by epoch.

    python -m nncore.bench                      # 784-128-10, Adam, batch 128, Fashion-MNIST
    python -m nncore.bench --hidden 256 --epochs 10 --threads 2
    python -m nncore.bench --data digits --epochs 2      # tiny, offline

Both frameworks get the same data, the same initial weights, the same batches in
the same order, float32, and the same number of BLAS threads. Epochs alternate
(nncore, torch, nncore, ...) so a busy neighbour on a shared machine slows both
alike, and medians are reported. It prints:

* median seconds per epoch for each, and their ratio (nncore / torch; < 1 means nncore is faster)
* test accuracy for each
* the fraction of this machine's float32 matmul peak that the nncore training loop
  reaches: FLOPs needed per epoch / median epoch time / peak. The peak is the median
  speed of a large matrix product timed before training and after each pair of epochs,
  so it sees the same machine the epochs do.
"""

import argparse
import platform
import time

import numpy as np

from .activations import ReLU
from .data import load_digits, load_fashion_mnist
from .layers import Dense
from .losses import SoftmaxCrossEntropy
from .model import Sequential
from .optim import Adam, fast_step


def load(name):
    """(X_train, y_train, X_test, y_test) as float32 in [0, 1] and int64 labels."""
    if name == "fashion-mnist":
        (X, y), (Xt, yt) = load_fashion_mnist()
        X, Xt = X.reshape(len(X), -1), Xt.reshape(len(Xt), -1)
        return X.astype(np.float32) / 255, y, Xt.astype(np.float32) / 255, yt
    X, y = load_digits()
    X = (X / 16).astype(np.float32)
    return X[:1500], y[:1500], X[1500:], y[1500:]


def peak_operands(n=2048):
    """Two n x n float32 matrices for measuring the matmul peak (warmed up once)."""
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = a.T.copy()
    a @ b  # warm up the BLAS library and its buffers
    return a, b


def matmul_gflops(a, b):
    """Measured float32 GFLOP/s of one product a @ b of two n x n matrices."""
    start = time.perf_counter()
    a @ b
    return float(2 * a.shape[0] ** 3 / (time.perf_counter() - start) / 1e9)


def flops_per_epoch(n_samples, sizes):
    """Matmul FLOPs one epoch needs: forward Z = X W, and backward dW = X^T dZ for every
    layer and dX = dZ W^T for every layer but the first (nobody needs the gradient of the data)."""
    products = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 2 * n_samples * (2 * sum(products) + sum(products[1:]))


def build_nncore(sizes, seed):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(a, b, init="he", seed=seed + i, dtype=np.float32))
        if i < len(sizes) - 2:
            layers.append(ReLU())
    return Sequential(layers)


def build_torch(model):
    """A torch.nn.Sequential with the nncore model's weights (torch stores W transposed)."""
    import torch
    layers = []
    for layer in model.layers:
        if isinstance(layer, Dense):
            linear = torch.nn.Linear(layer.n_in, layer.n_out, dtype=torch.from_numpy(layer.W).dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.W.T.copy()))
                linear.bias.copy_(torch.from_numpy(layer.b.ravel().copy()))
            layers.append(linear)
        else:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def nncore_epoch(model, loss, optimizer, X, y, order, batch_size):
    model.train()
    step = fast_step(optimizer)  # as fit does: the model's own arrays need no checks per step
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        loss.forward(model.forward(X[idx]), y[idx])
        model._backward_for_step(loss.backward())  # as fit does: no gradient for the data itself
        step(model.parameters(), model.gradients())


def torch_epoch(model, loss_fn, optimizer, X, y, order, batch_size):
    import torch
    model.train()
    order = torch.from_numpy(order)
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(X[idx]), y[idx]).backward()
        optimizer.step()


def run(hidden=(128,), epochs=5, batch_size=128, threads=1, lr=1e-3, data="fashion-mnist", seed=0):
    """Train both, alternating epochs; return a dict of every figure the benchmark prints."""
    import torch
    from threadpoolctl import threadpool_info, threadpool_limits

    torch.set_num_threads(threads)
    with threadpool_limits(threads):
        X, y, Xt, yt = load(data)
        sizes = [X.shape[1], *hidden, int(y.max()) + 1]
        model = build_nncore(sizes, seed)
        tmodel = build_torch(model)
        loss, optimizer = SoftmaxCrossEntropy(), Adam(lr=lr)
        tloss, toptimizer = torch.nn.CrossEntropyLoss(), torch.optim.Adam(tmodel.parameters(), lr=lr)
        tX, ty = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
        # The peak is timed before training and again after each pair of epochs, and its median is
        # used: a busy neighbour on a shared machine then slows the peak and the epochs alike.
        a, b = peak_operands()
        peaks = [matmul_gflops(a, b) for _ in range(3)]

        times = {"nncore": [], "torch": []}
        rng = np.random.default_rng(seed)
        for epoch in range(epochs):
            order = rng.permutation(len(X))
            runs = [("nncore", lambda: nncore_epoch(model, loss, optimizer, X, y, order, batch_size)),
                    ("torch", lambda: torch_epoch(tmodel, tloss, toptimizer, tX, ty, order, batch_size))]
            for name, train_one_epoch in runs[::-1] if epoch % 2 else runs:
                start = time.perf_counter()
                train_one_epoch()
                times[name].append(time.perf_counter() - start)
            peaks.append(matmul_gflops(a, b))

        acc = float(np.mean(model.eval().forward(Xt).argmax(axis=1) == yt))
        with torch.no_grad():
            tacc = float((tmodel.eval()(torch.from_numpy(Xt)).argmax(dim=1).numpy() == yt).mean())
        blas = ", ".join(sorted({f"{i['internal_api']} {i.get('architecture', '')}".strip()
                                 for i in threadpool_info() if i["user_api"] == "blas"}))
    med = {k: float(np.median(v)) for k, v in times.items()}
    peak = float(np.median(peaks))
    return {
        "sizes": sizes, "epochs": epochs, "batch_size": batch_size, "threads": threads, "data": data,
        "samples": len(X), "nncore_s": med["nncore"], "torch_s": med["torch"],
        "ratio": med["nncore"] / med["torch"], "nncore_acc": acc, "torch_acc": tacc,
        "peak_gflops": peak, "peak_samples": len(peaks),
        "nncore_gflops": flops_per_epoch(len(X), sizes) / med["nncore"] / 1e9,
        "torch_version": torch.__version__, "numpy_version": np.__version__, "blas": blas,
    }


def report(r):
    arch = "-".join(str(s) for s in r["sizes"])
    lines = [
        f"nncore vs PyTorch {r['torch_version']}: {arch} MLP, Adam, batch {r['batch_size']}, float32, "
        f"{r['data']} ({r['samples']} training samples), {r['epochs']} epochs each, "
        f"{r['threads']} thread(s), {platform.machine()}, numpy {r['numpy_version']} ({r['blas']})",
        f"  median epoch   nncore {r['nncore_s']:.3f} s   torch {r['torch_s']:.3f} s   "
        f"ratio nncore/torch {r['ratio']:.2f}x",
        f"  test accuracy  nncore {r['nncore_acc']:.4f}    torch {r['torch_acc']:.4f}",
        f"  matmul peak    {r['peak_gflops']:.1f} GFLOP/s (float32, 2048^3, median of {r['peak_samples']} "
        "products timed before and between the epochs)",
        f"  nncore reaches {r['nncore_gflops']:.1f} GFLOP/s = {r['nncore_gflops'] / r['peak_gflops']:.1%} of peak",
    ]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m nncore.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--hidden", type=int, nargs="+", default=[128], help="hidden layer sizes (default 128)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=1, help="BLAS threads for both (default 1)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--data", choices=["fashion-mnist", "digits"], default="fashion-mnist")
    args = p.parse_args(argv)
    print(report(run(tuple(args.hidden), args.epochs, args.batch_size, args.threads, args.lr, args.data)))


if __name__ == "__main__":
    main()
