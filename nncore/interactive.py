"""The functions behind the optimizer sliders: plain functions first, widgets last.

Everything a slider does is an ordinary function that returns numbers or a
matplotlib Figure, so it can be tested (and used) without a browser:

* :func:`quadratic`, :func:`quadratic_grad` - a long, narrow bowl
  L(w1, w2) = 0.5 * (a * w1^2 + b * w2^2) with a = 1, b = 20, minimum at (0, 0).
* :func:`descent_path` - run any nncore optimizer on that bowl.
* :func:`plot_descent` - the path over the contours, and the loss per step.
* :func:`train_spiral`, :func:`plot_spiral` - a small network on the spiral
  data, trained by SGD with a given learning rate and momentum.
* :func:`make_sliders`, :func:`descent_widget`, :func:`spiral_widget` -
  ``ipywidgets.interactive`` objects wired to the functions above.

ipywidgets is imported only by the widget functions, so the rest works without it.
"""

import functools
import math
import numbers

import numpy as np

from .data import spiral
from .errors import NNCoreError, as_numbers, check_has, fail, is_whole
from .activations import ReLU
from .layers import Dense
from .losses import SoftmaxCrossEntropy
from .model import Sequential
from .optim import SGD, fast_step
from .plots import plot_decision_regions

# --------------------------------------------------------------------------
# A narrow quadratic bowl
# --------------------------------------------------------------------------

#: Curvatures (a, b) of L(w1, w2) = 0.5 * (a * w1^2 + b * w2^2). Their ratio b / a = 20
#: (the condition number) makes the valley long and narrow: a learning rate small
#: enough for the steep w2 direction (lr < 2 / b = 0.1) crawls along the flat w1 direction.
CURVATURE = (1.0, 20.0)

#: Where every descent starts: far along the flat direction, a little up the steep side.
START = (-4.0, 1.5)

# Once |w| passes this, the run has diverged; later points are not computed.
_DIVERGED = 1e6

# The region drawn around the bowl (w1 from -5 to 5, w2 from -2.5 to 2.5).
_EXTENT = (-5.0, 5.0, -2.5, 2.5)


def quadratic(w):
    """L(w) = 0.5 * (a * w1^2 + b * w2^2) for w of shape (2,) or (..., 2); returns shape (...)."""
    w = np.asarray(w, dtype=np.float64)
    if w.shape[-1:] != (2,):
        fail("w", "shape (2,) or (..., 2): the point (w1, w2)", f"shape {w.shape}")
    a, b = CURVATURE
    return 0.5 * (a * w[..., 0] ** 2 + b * w[..., 1] ** 2)


def quadratic_grad(w):
    """dL/dw = (a * w1, b * w2), the same shape as w."""
    w = np.asarray(w, dtype=np.float64)
    if w.shape[-1:] != (2,):
        fail("w", "shape (2,) or (..., 2): the point (w1, w2)", f"shape {w.shape}")
    return w * np.array(CURVATURE)


def _check_steps(steps, name="steps"):
    if not is_whole(steps, 1):
        fail(name, "a whole number >= 1", repr(steps))
    return int(steps)


def descent_path(optimizer, start=START, steps=50):
    """Run `optimizer` on the quadratic bowl from `start` for `steps` steps.

    Returns path (steps + 1, 2), the point before each step and after the last,
    and losses (steps + 1,), L at each point. path[0] is `start`.

    The optimizer sees one parameter, {"w": w}, exactly as it sees a model's
    weights. If the run diverges (|w| grows past 1e6), the remaining rows of
    path and losses are NaN.
    """
    check_has(optimizer, "optimizer", ("step",), "an optimizer such as SGD(lr=0.1)")
    steps = _check_steps(steps)
    w = as_numbers(start, "start").astype(np.float64)
    if w.shape != (2,):
        fail("start", "a point (w1, w2)", f"shape {w.shape}")
    if not np.all(np.abs(w) < _DIVERGED):  # also NaN and inf
        fail("start", f"a point with |w1| and |w2| below {_DIVERGED:g}, such as START = (-4.0, 1.5)", repr(tuple(w)),
             "Beyond that the run counts as diverged before its first step.")
    params = {"w": w}
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            optimizer.step(params, {"w": quadratic_grad(w)})
            if not np.all(np.abs(w) < _DIVERGED):
                break
            path[t] = w
    return path, quadratic(path)


_contour_grid = None


def _bowl_grid():
    """The contour grid of the bowl, computed once (it never changes)."""
    global _contour_grid
    if _contour_grid is None:
        x0, x1, y0, y1 = _EXTENT
        W1, W2 = np.meshgrid(np.linspace(x0, x1, 101), np.linspace(y0, y1, 61))
        _contour_grid = (W1, W2, quadratic(np.stack([W1, W2], axis=-1)))
    return _contour_grid


def _two_axes(ax, figsize):
    """A new figure with two side-by-side axes, or the figure of the pair of axes given."""
    import matplotlib.pyplot as plt
    if ax is None:
        # Fixed margins instead of tight_layout: tight_layout alone would cost about 0.07 s.
        fig, ax = plt.subplots(1, 2, figsize=figsize, gridspec_kw=dict(
            left=0.08, right=0.98, bottom=0.14, top=0.88, wspace=0.28))
    else:
        if len(ax) != 2:
            fail("ax", "None or a pair of Axes (left, right)", f"{len(ax)} Axes")
        fig = ax[0].figure
    return fig, ax[0], ax[1]


def _log_scale(ax):
    """A log-scale y axis that redraws fast: no minor ticks, and labels such as 0.01 or 1e-06
    in plain text (the default 10^k labels are typeset as math, which dominated the redraw time)."""
    from matplotlib.ticker import FuncFormatter, NullLocator
    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:.3g}"))


def _describe(losses):
    """'loss after 50 steps: 1.2e-03' or 'diverged at step 7'."""
    finite = np.isfinite(losses)
    if finite.all():
        return f"loss after {len(losses) - 1} steps: {losses[-1]:.2g}"
    return f"diverged at step {int(np.argmin(finite))}: lower the learning rate"


def plot_descent(lr, momentum, steps=50, ax=None):
    """SGD(lr, momentum) on the quadratic bowl: the path over the contours, and the loss per step.

    ax: None (a new figure) or a pair of Axes (path, loss). Returns the Figure.
    The left panel's line labelled "SGD" is the path (its first point is START);
    with momentum > 0 a grey line "momentum 0" shows plain SGD with the same lr
    for comparison. The right panel plots the same runs' losses on a log scale.
    """
    path, losses = descent_path(SGD(lr, momentum=momentum), START, steps)
    fig, ax_path, ax_loss = _two_axes(ax, (9.0, 3.6))

    W1, W2, L = _bowl_grid()
    ax_path.contour(W1, W2, L, levels=np.geomspace(0.02, 150, 10), colors="0.75", linewidths=0.8)
    ax_path.plot(0, 0, "k*", markersize=10, label="minimum")
    if momentum > 0:
        plain, plain_losses = descent_path(SGD(lr), START, steps)
        ax_path.plot(plain[:, 0], plain[:, 1], ".--", color="0.55", markersize=3, linewidth=1,
                     label="momentum 0")
        ax_loss.plot(plain_losses, "--", color="0.55", linewidth=1, label="momentum 0")
    ax_path.plot(path[:, 0], path[:, 1], "o-", color="C0", markersize=3, linewidth=1.2, label="SGD")
    ax_loss.plot(losses, "-", color="C0", linewidth=1.5, label="SGD")

    x0, x1, y0, y1 = _EXTENT
    ax_path.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$w_1$", ylabel="$w_2$",
                title=f"SGD: lr = {lr:.3g}, momentum = {momentum:.2f}")
    ax_path.legend(loc="lower right", fontsize="small")
    _log_scale(ax_loss)
    ax_loss.set(xlim=(0, steps), xlabel="step", ylabel="loss $L(w)$", title=_describe(losses))
    ax_loss.legend(loc="upper right", fontsize="small")
    return fig


# --------------------------------------------------------------------------
# A small network on the spiral data
# --------------------------------------------------------------------------

def spiral_data():
    """The data set the spiral sliders train on: nncore.data.spiral(100, 3), 300 points, 3 classes."""
    return spiral(100, 3)


def train_spiral(lr, momentum, epochs=300, hidden=64, seed=0):
    """Train Dense(2, hidden) - ReLU - Dense(hidden, 3) on the spiral data with SGD(lr, momentum).

    Full-batch gradient descent: each epoch is one step on all 300 points, so
    the result depends only on lr, momentum, epochs, hidden and the seed of
    the initial weights. Returns (model, history); history["loss"] and
    history["accuracy"] hold one value per epoch, computed before that
    epoch's step. If training diverges (the numbers overflow), it stops:
    history["diverged"] is the epoch where that happened, otherwise None.
    """
    epochs = _check_steps(epochs, "epochs")
    hidden = _check_steps(hidden, "hidden")
    if not is_whole(seed, 0):
        fail("seed", "a whole number >= 0 (the same seed gives the same initial weights)", repr(seed))
    X, y = spiral_data()
    model = Sequential([Dense(2, hidden, seed=seed), ReLU(), Dense(hidden, 3, seed=seed + 1)])
    loss, optimizer = SoftmaxCrossEntropy(), SGD(lr, momentum=momentum)
    step = fast_step(optimizer)  # as in fit: the model's own arrays need no checks per step
    model.loss = loss  # so model.predict(X) knows the outputs are class scores
    history = {"loss": [], "accuracy": [], "diverged": None}
    model.train()
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            try:
                Z = model.forward(X)
                L = loss.forward(Z, y)
            except NNCoreError:
                # The architecture and data are fixed and valid, so the only thing
                # forward can complain about here is weights that overflowed to inf/NaN.
                history["diverged"] = epoch
                break
            if not math.isfinite(L):
                history["diverged"] = epoch
                break
            history["loss"].append(L)
            history["accuracy"].append(loss.accuracy(Z, y))
            model.backward(loss.backward())
            step(model.parameters(), model.gradients())
    model.eval()
    return model, history


@functools.lru_cache(maxsize=16)
def _plain_sgd_losses(lr, epochs, hidden, seed):
    """The comparison curve (momentum 0), remembered: moving only the momentum slider reuses it."""
    return tuple(train_spiral(lr, 0.0, epochs, hidden, seed)[1]["loss"])


def plot_spiral(lr, momentum, epochs=300, hidden=64, seed=0, ax=None):
    """Train with :func:`train_spiral`, then draw the loss per epoch and the decision regions.

    ax: None (a new figure) or a pair of Axes (loss, regions). Returns the Figure.
    The loss panel's line labelled "SGD" is this run; with momentum > 0 a grey
    line "momentum 0" shows plain SGD with the same lr and initial weights.
    """
    model, history = train_spiral(lr, momentum, epochs, hidden, seed)
    X, y = spiral_data()
    fig, ax_loss, ax_regions = _two_axes(ax, (9.0, 3.8))

    curves = [history["loss"]]
    if momentum > 0:
        plain = _plain_sgd_losses(lr, epochs, hidden, seed)
        ax_loss.plot(np.arange(1, len(plain) + 1), plain, "--", color="0.55", linewidth=1,
                     label="momentum 0")
        curves.append(plain)
    ax_loss.plot(np.arange(1, len(history["loss"]) + 1), history["loss"], color="C0", label="SGD")
    # A fixed floor keeps whole decades on the log axis, so runs are easy to compare.
    values = np.concatenate([np.asarray(c, dtype=float) for c in curves])
    top = max(3.0, 1.2 * values.max()) if values.size else 3.0
    bottom = min(1e-2, 0.8 * values.min()) if values.size else 1e-2
    _log_scale(ax_loss)
    ax_loss.set(xlim=(0, epochs), ylim=(bottom, top), xlabel="epoch", ylabel="training loss",
                title=f"SGD: lr = {lr:.3g}, momentum = {momentum:.2f}")
    ax_loss.legend(loc="upper right", fontsize="small")

    if history["diverged"] is None:
        # The accuracy of the final weights (history holds the accuracy before each step).
        accuracy = float(np.mean(model.predict(X) == y))
        plot_decision_regions(model.predict, X, y, ax=ax_regions, resolution=150,
                              title=f"after {epochs} epochs: accuracy {accuracy:.0%}")
    else:
        ax_regions.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=25)
        ax_regions.set_title(f"diverged at epoch {history['diverged']}: lower the learning rate")
    return fig


# --------------------------------------------------------------------------
# Widgets
# --------------------------------------------------------------------------

LR_STEP = 0.1         # the log-slider moves the exponent of 10 in steps of 0.1
MOMENTUM_STEP = 0.01


def _on_grid(value, step):
    return abs(value / step - round(value / step)) < 1e-9


def make_sliders(lr=0.1, momentum=0.9, lr_exponents=(-3, 1), continuous_update=False):
    """A log-scale learning-rate slider and a momentum slider, as {"lr": ..., "momentum": ...}.

    lr moves over 10**lo .. 10**hi (lr_exponents = (lo, hi)) in steps of 0.1 in the
    exponent; momentum over 0 .. 0.99 in steps of 0.01. Every bound and starting
    value is an exact multiple of its step: otherwise the browser snaps the value
    to the grid as soon as the slider appears, which re-runs the plot.
    """
    from ipywidgets import FloatLogSlider, FloatSlider, Layout

    lo, hi = lr_exponents
    if not (isinstance(lo, numbers.Integral) and isinstance(hi, numbers.Integral) and lo < hi):
        fail("lr_exponents", "two whole numbers lo < hi, such as (-3, 1)", repr(lr_exponents))
    if not 10.0 ** lo <= lr <= 10.0 ** hi or not _on_grid(math.log10(lr), LR_STEP):
        fail("lr", f"10**k for k from {lo} to {hi} in steps of {LR_STEP}, such as 0.1 or 10**-1.5",
             repr(lr))
    if not 0 <= momentum <= 0.99 or not _on_grid(momentum, MOMENTUM_STEP):
        fail("momentum", f"a multiple of {MOMENTUM_STEP} from 0 to 0.99, such as 0.9", repr(momentum))
    layout = Layout(width="420px")
    style = {"description_width": "110px"}
    return {
        "lr": FloatLogSlider(value=lr, base=10, min=lo, max=hi, step=LR_STEP, description="learning rate",
                             readout_format=".3g", continuous_update=continuous_update,
                             layout=layout, style=style),
        "momentum": FloatSlider(value=momentum, min=0.0, max=0.99, step=MOMENTUM_STEP,
                                description="momentum", readout_format=".2f",
                                continuous_update=continuous_update, layout=layout, style=style),
    }


def _show(fig):
    """Display fig once (in the widget's Output area) and release it from pyplot."""
    import matplotlib.pyplot as plt
    from IPython.display import display
    display(fig)
    plt.close(fig)  # closed, so the inline backend does not draw it a second time
    return fig


def show_descent(lr, momentum, steps=50):
    """The descent widget's callback: draw plot_descent and return the Figure."""
    return _show(plot_descent(lr, momentum, steps))


def show_spiral(lr, momentum, epochs=300, hidden=64, seed=0):
    """The spiral widget's callback: draw plot_spiral and return the Figure."""
    return _show(plot_spiral(lr, momentum, epochs, hidden, seed))


def descent_widget(lr=10 ** -1.5, momentum=0.7, steps=50):
    """Sliders for SGD's lr (1e-3 .. 1) and momentum on the quadratic bowl.

    Returns an ipywidgets.interactive: children[0] is the lr slider, children[1]
    the momentum slider, and .result the last Figure drawn.
    """
    from ipywidgets import fixed, interactive
    sliders = make_sliders(lr, momentum, lr_exponents=(-3, 0))
    return interactive(show_descent, **sliders, steps=fixed(_check_steps(steps)))


def spiral_widget(lr=0.1, momentum=0.9, epochs=300, hidden=64, seed=0):
    """Sliders for SGD's lr (1e-3 .. 10) and momentum training the spiral network.

    Returns an ipywidgets.interactive: children[0] is the lr slider, children[1]
    the momentum slider, and .result the last Figure drawn. The plot is redrawn
    when a slider is released (training takes a fraction of a second).
    """
    from ipywidgets import fixed, interactive
    sliders = make_sliders(lr, momentum, lr_exponents=(-3, 1), continuous_update=False)
    return interactive(show_spiral, **sliders, epochs=fixed(_check_steps(epochs, "epochs")),
                       hidden=fixed(_check_steps(hidden, "hidden")), seed=fixed(seed))
