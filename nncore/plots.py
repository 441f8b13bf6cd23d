"""Pictures the notebooks draw again and again. Each function returns the Axes it drew on."""

import numpy as np


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
    ax = _axes(ax)
    points, xx, yy = grid_for(X, resolution)
    Z = np.asarray(predict(points)).reshape(xx.shape)
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
