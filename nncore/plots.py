"""Pictures the notebooks draw again and again. Each function returns the Axes it drew on."""

import numpy as np

from .errors import as_array, as_numbers, check_finite, fail


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots()
    return ax


def grid_for(X, resolution=200, margin=0.5):
    """A (resolution^2, 2) grid of points covering the 2-D data X, plus the meshgrid xx, yy."""
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return np.column_stack([xx.ravel(), yy.ravel()]), xx, yy


def plot_decision_regions(predict, X, y, ax=None, resolution=200, title=None, cmap="coolwarm"):
    """Colour the plane by predict(points) -> class per point, and scatter X coloured by y.

    predict takes an (M, 2) array and returns M class labels (or an (M, 1) array of them).
    """
    if isinstance(predict, type) or not callable(predict):
        fail("predict", "a function from points (M, 2) to M class labels, such as model.predict",
             f"the class {predict.__name__} itself" if isinstance(predict, type) else f"a {type(predict).__name__}",
             "Pass the function without calling it: model.predict, not model.predict(X).")
    X = check_finite(as_array(X, "X", ndim=2), "X")
    if X.shape[1] != 2:
        fail("X", "points in the plane, shape (N, 2)", f"shape {X.shape}",
             "Decision regions are drawn for two input features only.")
    y = check_finite(as_numbers(y, "y"), "y").ravel()
    if y.size != len(X):
        fail("y", f"{len(X)} labels, one per row of X", f"{y.size}")
    ax = _axes(ax)
    points, xx, yy = grid_for(X, resolution)
    Z = as_numbers(predict(points), "predict(points)")
    if Z.size != xx.size:
        fail("predict(points)", f"one class label per point, {xx.size} in all", f"shape {Z.shape}",
             "For probabilities, pass a function that returns labels, e.g. model.predict or "
             "lambda P: (probabilities(P) > 0.5).astype(int).")
    Z = check_finite(Z, "predict(points)", "A class label per point, never NaN.").reshape(xx.shape)
    n_classes = int(max(np.max(Z), np.max(y))) + 1
    levels = np.arange(n_classes + 1) - 0.5
    ax.contourf(xx, yy, Z, levels=levels, cmap=cmap, alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y).ravel(), cmap=cmap, vmin=0, vmax=max(n_classes - 1, 1),
               edgecolors="k", s=25)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


def plot_history(history, keys=("loss",), ax=None, title=None, logy=False):
    """Plot per-epoch curves from a history dict (e.g. "loss" and "val_loss") against the epoch."""
    if isinstance(keys, str):
        keys = (keys,)  # plot_history(history, "loss") means one curve, not four letters
    if not isinstance(keys, (tuple, list)):
        fail("keys", "a tuple of names in the history, such as ('loss', 'val_loss')", repr(keys))
    missing = [key for key in keys if not isinstance(history, dict) or key not in history]
    if missing:
        fail("keys", f"names in the history, one of {sorted(history) if isinstance(history, dict) else '...'}",
             f"{missing}" + ("" if isinstance(history, dict) else f" in a {type(history).__name__}"),
             "Pass the dict that fit returned, and the names of its per-epoch lists.")
    ax = _axes(ax)
    for key in keys:
        values = [np.nan if v is None else v for v in history[key]]
        ax.plot(np.arange(1, len(values) + 1), values, label=key)
    ax.set_xlabel("epoch")
    if logy:
        ax.set_yscale("log")
    if len(keys) > 1:
        ax.legend()
    if title:
        ax.set_title(title)
    return ax


def plot_confusion_matrix(C, class_names=None, ax=None, title="confusion matrix"):
    """Show a (K, K) confusion matrix (rows: true class, columns: predicted) with counts in the cells."""
    ax = _axes(ax)
    C = np.asarray(C)
    K = C.shape[0]
    names = class_names or [str(k) for k in range(K)]
    ax.imshow(C, cmap="Blues")
    for i in range(K):
        for j in range(K):
            ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if C[i, j] > C.max() / 2 else "black")
    ax.set_xticks(range(K), names, rotation=45, ha="right")
    ax.set_yticks(range(K), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.grid(False)
    ax.set_title(title)
    return ax


def plot_misclassified(images, *args, y_pred=None, y_true=None, class_names=None, n=16, cols=8, fig=None):
    """A grid of the first `n` images whose prediction is wrong, titled 'true / predicted'.

    plot_misclassified(images, y_pred=..., y_true=..., class_names=None, n=16, cols=8): the labels
    by name, as in metrics.confusion_matrix, since a swap would mislabel every title silently.
    images: (N, H, W) or (N, H*W) for square images. Returns the Figure.
    """
    import matplotlib.pyplot as plt
    if args or y_pred is None or y_true is None:
        fail("plot_misclassified", "the labels by name: plot_misclassified(images, y_pred=predicted, y_true=y_test)",
             f"{len(args)} more positional argument(s)" if args else
             f"no {'y_pred' if y_pred is None else 'y_true'}",
             "Naming them keeps the true and the predicted class from being swapped in every title.")
    y_true, y_pred = as_numbers(y_true, "y_true").ravel(), as_numbers(y_pred, "y_pred").ravel()
    if y_true.shape != y_pred.shape:
        fail("y_pred", f"{y_true.size} predictions (one per label in y_true)", f"{y_pred.size}")
    wrong = np.flatnonzero(y_true != y_pred)[:n]
    images = np.asarray(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        images = images.reshape(len(images), side, side)
    rows = max(1, int(np.ceil(len(wrong) / cols)))
    fig = fig or plt.figure(figsize=(1.3 * cols, 1.5 * rows))
    names = class_names or [str(k) for k in range(int(max(y_true.max(), y_pred.max())) + 1)]
    for k, i in enumerate(wrong):
        ax = fig.add_subplot(rows, cols, k + 1)
        ax.imshow(images[i], cmap="gray_r")
        ax.set_title(f"{names[y_true[i]]} /\n{names[y_pred[i]]}", fontsize=7, color="firebrick")
        ax.axis("off")
    fig.suptitle("misclassified: true / predicted", fontsize=9)
    fig.tight_layout()
    return fig


def plot_ring_allreduce(P=4):
    """The ring all-reduce of P workers, step by step: a panel per step, a row per worker, a column per chunk.

    Each cell lists the workers whose part of that chunk the worker holds the sum of ("013": workers 0, 1
    and 3); darker means more of them. After the reduce-scatter each worker holds one complete chunk ("all"); after the all-gather,
    every worker holds every chunk. Returns the figure.
    """
    import matplotlib.pyplot as plt
    from .distributed import ring_allreduce
    if not (isinstance(P, int) and 2 <= P <= 8):
        fail("P", "a whole number of workers from 2 to 8 (larger rings do not fit in one picture)", repr(P))
    steps = []
    # Worker p contributes the bit 2**p to every chunk, so a sum names its contributors.
    ring_allreduce([np.full(P, 2.0 ** p) for p in range(P)], steps=steps)
    start = [[np.array([2.0 ** p])] * P for p in range(P)]
    states = [("start", "own gradients", start)] + [
        (phase, f"step {s + 1}", state) for phase, s, state in steps]
    fig, axes = plt.subplots(1, len(states), figsize=(1.6 * len(states), 2.4))
    for ax, (phase, when, state) in zip(axes, states):
        bits = [[int(state[p][c][0]) for c in range(P)] for p in range(P)]
        ax.imshow([[bin(b).count("1") for b in row] for row in bits], cmap="Blues", vmin=0, vmax=P * 1.3)
        for p in range(P):
            for c in range(P):
                who = [str(q) for q in range(P) if bits[p][c] >> q & 1]
                ax.text(c, p, "all" if len(who) == P else "".join(who), ha="center", va="center", fontsize=8)
        ax.set_xticks(range(P), [f"c{c}" for c in range(P)], fontsize=7)
        ax.set_yticks(range(P), [f"w{p}" for p in range(P)], fontsize=7)
        ax.grid(False)
        ax.set_title(f"{phase}\n{when}", fontsize=8)
    axes[0].set_ylabel("worker")
    fig.tight_layout()
    return fig
