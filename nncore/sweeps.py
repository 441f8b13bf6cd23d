"""The searches behind notebook 07's recipe tables, rerun on the validation set, and notebook 08's race gap.

    python -m nncore.sweeps                     # notebook 07's four tables: about 1,150 epochs of training
    python -m nncore.sweeps recipe              # section 6: inputs and optimizer of 784-128-10
    python -m nncore.sweeps better              # section 6: width, dropout, L2, depth (20 epochs)
    python -m nncore.sweeps ablation            # section 6: width, dropout and epochs separated
    python -m nncore.sweeps capstone            # section 7: the capstone's network, batch and epochs
    python -m nncore.sweeps recipe --quick      # one seed, 2 epochs, 6,000 training images: a check that it runs
    python -m nncore.sweeps race-gap            # notebook 08: why its race scores below notebook 07 (160 epochs)

Every run uses the notebook's data preparation: the stratified 80/20 split of the 60,000
training images with seed 0, pixels scaled to [0, 1] and, where the row says so,
standardised with the training part's statistics. Each row is trained with several seeds
(seed s for the weights, the dropout masks and fit's shuffling) and reports the mean
validation accuracy after the last epoch. The test images are never loaded into these
searches' runs.

race-gap is not a search: it chooses nothing, and explains a gap between two notebooks' test
accuracies (the table in notebook 08's section 5), so it is the one table that loads and
reports the test images. It is only run when asked for by name.

The capstone's table was made with the learner's exercises (float64 Dense layers); this
module trains the same architectures with nncore's float64 layers, so its digits differ a
little from the notebook's table (another implementation's rounding is another seed).
The spread of single runs is about half a point (README, "For maintainers"): read the
tables as rankings with that much noise, not as exact figures.
"""

import argparse
import time
from dataclasses import dataclass, field

import numpy as np

from .activations import ReLU
from .bench import nncore_epoch
from .data import load_fashion_mnist, scale_pixels, train_val_split
from .layers import Dense
from .losses import SoftmaxCrossEntropy
from .model import Sequential
from .optim import Adam
from .regularization import Dropout


@dataclass(frozen=True)
class Config:
    """One row of a table: a network, how it is trained, and on which inputs."""
    name: str
    hidden: tuple = (128,)
    dropout: float = 0.0
    input_dropout: float = 0.0
    l2: float = 0.0
    lr: float = 0.002
    decay: float = 0.001
    batch_size: int = 128
    epochs: int = 10
    standardise: bool = True
    dtype: type = np.float32


@dataclass
class Sweep:
    title: str
    seeds: tuple
    configs: list = field(default_factory=list)


SWEEPS = {
    "recipe": Sweep("Section 6: inputs and optimizer of 784-128-10, 10 epochs", (0, 1), [
        Config("scaled to [0, 1], Adam lr 0.001", lr=0.001, decay=0.0, standardise=False),
        Config("scaled to [0, 1], Adam lr 0.003 decay 0.001", lr=0.003, standardise=False),
        Config("standardised, Adam lr 0.001", lr=0.001, decay=0.0),
        Config("standardised, Adam lr 0.002 decay 0.001", lr=0.002),
    ]),
    "better": Sweep("Section 6: a better network, Adam lr 0.002 decay 0.001, 20 epochs", (0, 1, 2, 3), [
        Config("784-256-10, dropout 0.2", hidden=(256,), dropout=0.2, epochs=20),
        Config("784-256-10, dropout 0.3", hidden=(256,), dropout=0.3, epochs=20),
        Config("784-256-10, dropout 0.2, L2 1e-5", hidden=(256,), dropout=0.2, l2=1e-5, epochs=20),
        Config("784-256-10, dropout 0.2, input dropout 0.1", hidden=(256,), dropout=0.2, input_dropout=0.1,
               epochs=20),
        Config("784-256-128-10, dropout 0.2", hidden=(256, 128), dropout=0.2, epochs=20),
        Config("784-384-10, dropout 0.3", hidden=(384,), dropout=0.3, epochs=20),
        Config("784-512-10, dropout 0.3", hidden=(512,), dropout=0.3, epochs=20),
        Config("784-512-10, dropout 0.4", hidden=(512,), dropout=0.4, epochs=20),
    ]),
    "ablation": Sweep("Section 6's ablation: width, dropout and epochs one at a time (Adam lr 0.002 decay 0.001)",
                      (0, 1, 2, 3), [
        Config("784-128-10", hidden=(128,), epochs=10),
        Config("784-128-10", hidden=(128,), epochs=20),
        Config("784-128-10, dropout 0.3", hidden=(128,), dropout=0.3, epochs=20),
        Config("784-512-10", hidden=(512,), epochs=20),
        Config("784-512-10, dropout 0.3", hidden=(512,), dropout=0.3, epochs=20),
    ]),
    "capstone": Sweep("Section 7: the capstone's recipe (float64)", (0, 1), [
        Config("784-128-10, dropout 0.2, lr 0.002, batch 128, 15 epochs", hidden=(128,), dropout=0.2, epochs=15,
               dtype=np.float64),
        Config("784-256-10, dropout 0.2, lr 0.002, batch 128, 8 epochs", hidden=(256,), dropout=0.2, epochs=8,
               dtype=np.float64),
        Config("784-256-10, dropout 0.2, lr 0.003, batch 128, 8 epochs", hidden=(256,), dropout=0.2, lr=0.003,
               epochs=8, dtype=np.float64),
        Config("784-256-10, dropout 0.2, lr 0.002, batch 256, 10 epochs", hidden=(256,), dropout=0.2,
               batch_size=256, epochs=10, dtype=np.float64),
        Config("784-256-10, dropout 0.3, lr 0.003, batch 256, 12 epochs", hidden=(256,), dropout=0.3, lr=0.003,
               batch_size=256, epochs=12, dtype=np.float64),
        Config("784-256-10, dropout 0.2, lr 0.002, batch 256, 12 epochs", hidden=(256,), dropout=0.2,
               batch_size=256, epochs=12, dtype=np.float64),
    ]),
}


def prepare_data(limit=None, test=False):
    """The notebook's split and preparation: {"scaled": (X_tr, y_tr, X_va, y_va), "standardised": (...)}.

    limit=n keeps the first n training and n // 4 validation images (for quick runs and tests).
    test=True puts the 10,000 test images, prepared the same way, in place of the validation
    images (only race_gap asks for them).
    """
    (images, labels), (test_images, test_labels) = load_fashion_mnist()
    X_tr, X_va, y_tr, y_va = train_val_split(images, labels, 0.2, seed=0)
    if test:
        X_va, y_va = test_images, test_labels
    if limit is not None:
        X_tr, y_tr, X_va, y_va = X_tr[:limit], y_tr[:limit], X_va[:limit // 4], y_va[:limit // 4]
    X_tr = scale_pixels(X_tr).reshape(len(X_tr), -1)
    X_va = scale_pixels(X_va).reshape(len(X_va), -1)
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)     # the training part's statistics only
    std[std == 0] = 1.0
    return {"scaled": (X_tr, y_tr, X_va, y_va),
            "standardised": ((X_tr - mean) / std, y_tr, (X_va - mean) / std, y_va)}


def build(config, seed):
    """784 -> hidden... -> 10 with ReLU and He initialisation, as fashion_model in notebook 07."""
    layers, n_in = [], 784
    if config.input_dropout:
        layers.append(Dropout(config.input_dropout, seed=seed + 40))
    for i, n_out in enumerate(config.hidden):
        layers += [Dense(n_in, n_out, init="he", seed=seed + i, dtype=config.dtype, l2=config.l2), ReLU()]
        if config.dropout:
            layers.append(Dropout(config.dropout, seed=seed + 20 + i))
        n_in = n_out
    layers.append(Dense(n_in, 10, init="he", seed=seed + len(config.hidden), dtype=config.dtype, l2=config.l2))
    return Sequential(layers)


def run_config(config, seeds, data):
    """Mean validation accuracy of `config` over `seeds` (and the single runs' accuracies)."""
    X_tr, y_tr, X_va, y_va = data["standardised" if config.standardise else "scaled"]
    X_tr, X_va = X_tr.astype(config.dtype), X_va.astype(config.dtype)
    accuracies = []
    for seed in seeds:
        model = build(config, seed)
        model.fit(X_tr, y_tr, SoftmaxCrossEntropy(), Adam(config.lr, decay=config.decay), epochs=config.epochs,
                  batch_size=config.batch_size, seed=seed)
        accuracies.append(model.evaluate(X_va, y_va)[1])
    return float(np.mean(accuracies)), accuracies


def run_sweep(name, quick=False, limit=None, data=None, print_=print):
    """Run one table; returns [(config, mean validation accuracy)], printed as a Markdown table."""
    sweep = SWEEPS[name]
    seeds, configs = sweep.seeds, sweep.configs
    if quick:   # one seed, 2 epochs: checks that every row runs and gives a first ranking
        seeds = seeds[:1]
        configs = [Config(**{**c.__dict__, "epochs": min(c.epochs, 2)}) for c in configs]
    if data is None:
        data = prepare_data(limit if limit is not None else (6000 if quick else None))
    print_(f"\n{sweep.title}; seeds {', '.join(map(str, seeds))}, validation accuracy after the last epoch"
           + (" (--quick: 1 seed, at most 2 epochs, a subset of the data)" if quick else ""))
    print_("| network and training | epochs | validation accuracy (mean) | single runs | seconds |")
    print_("|---|---|---|---|---|")
    rows = []
    for config in configs:
        start = time.perf_counter()
        mean, accuracies = run_config(config, seeds, data)
        print_(f"| {config.name} | {config.epochs} | {mean:.2%} | {', '.join(f'{a:.2%}' for a in accuracies)} | "
               f"{time.perf_counter() - start:.0f} |")
        rows.append((config, mean))
    best = max(rows, key=lambda row: row[1])
    print_(f"best on the validation set: {best[0].name} ({best[1]:.2%})")
    return rows


RACE_GAP = Sweep("Notebook 08: its race's recipe against notebook 07's, 784-128-10", (0, 1, 2, 3), [
    Config("scaled to [0, 1], Adam lr 0.001 constant (notebook 08's race)", lr=0.001, decay=0.0, standardise=False),
    Config("scaled to [0, 1], Adam lr 0.002 decay 0.001", lr=0.002, standardise=False),
    Config("standardised, Adam lr 0.001 constant", lr=0.001, decay=0.0),
    Config("standardised, Adam lr 0.002 decay 0.001 (notebook 07)", lr=0.002),
])


def race_gap_config(config, seeds, data, checkpoints=(5, 10)):
    """Test accuracies of `config` after each checkpoint epoch: {epoch: [one per seed]}.

    Trained as notebook 08's race trains nncore: build_nncore's network (as `build` makes it), float32,
    and the race's loop, nncore_epoch over one permutation per epoch from default_rng(seed).
    """
    X_tr, y_tr, X_te, y_te = data["standardised" if config.standardise else "scaled"]
    accuracies = {epoch: [] for epoch in checkpoints}
    for seed in seeds:
        model, loss, optimizer = build(config, seed), SoftmaxCrossEntropy(), Adam(config.lr, decay=config.decay)
        rng = np.random.default_rng(seed)
        for epoch in range(1, max(checkpoints) + 1):
            nncore_epoch(model, loss, optimizer, X_tr, y_tr, rng.permutation(len(X_tr)), config.batch_size)
            if epoch in accuracies:
                accuracies[epoch].append(model.evaluate(X_te, y_te, loss)[1])
    return accuracies


def race_gap(quick=False, limit=None, data=None, print_=print):
    """Notebook 08's table: mean test accuracy of the four recipes after 5 and 10 epochs, printed as Markdown.

    Unlike the searches it uses the test set: it explains the gap between two notebooks and chooses nothing.
    Returns [(config, {epoch: mean test accuracy})].
    """
    seeds, checkpoints = (RACE_GAP.seeds[:1], (1, 2)) if quick else (RACE_GAP.seeds, (5, 10))
    if data is None:
        data = prepare_data(limit if limit is not None else (6000 if quick else None), test=True)
    print_(f"\n{RACE_GAP.title}; batch 128, the race's batch order, seeds {', '.join(map(str, seeds))}, "
           "TEST accuracy" + (" (--quick: 1 seed, 2 epochs, a subset of the data)" if quick else ""))
    after = " | ".join(f"after {e} epoch{'s' * (e != 1)} (mean)" for e in checkpoints)
    single = " | ".join(f"single runs, {e} epoch{'s' * (e != 1)}" for e in checkpoints)
    print_(f"| inputs and learning rate | {after} | {single} | seconds |")
    print_("|---" * (2 + 2 * len(checkpoints)) + "|")
    rows = []
    for config in RACE_GAP.configs:
        start = time.perf_counter()
        accuracies = race_gap_config(config, seeds, data, checkpoints)
        means = {e: float(np.mean(a)) for e, a in accuracies.items()}
        print_(f"| {config.name} | " + " | ".join(f"{means[e]:.2%}" for e in checkpoints) + " | "
               + " | ".join(", ".join(f"{a:.2%}" for a in accuracies[e]) for e in checkpoints)
               + f" | {time.perf_counter() - start:.0f} |")
        rows.append((config, means))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nncore.sweeps", description=__doc__.split("\n\n")[0])
    parser.add_argument("sweeps", nargs="*",
                        help=f"which tables ({', '.join(SWEEPS)}; default: these four), or race-gap "
                             "(notebook 08, the only one that uses the test set)")
    parser.add_argument("--quick", action="store_true", help="1 seed, at most 2 epochs, 6,000 training images")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N training images")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sweeps if name not in SWEEPS and name != "race-gap"]
    if unknown:
        parser.error(f"unknown sweep {', '.join(unknown)}: choose from {', '.join(SWEEPS)}, race-gap")
    try:   # one BLAS thread, as in the notebooks
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:
        pass
    limit = args.limit if args.limit is not None else (6000 if args.quick else None)
    names = args.sweeps or list(SWEEPS)
    if any(name in SWEEPS for name in names):
        data = prepare_data(limit)
    for name in names:
        if name == "race-gap":
            race_gap(quick=args.quick, data=prepare_data(limit, test=True))
        else:
            run_sweep(name, quick=args.quick, data=data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
