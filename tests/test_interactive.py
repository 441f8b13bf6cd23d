"""nncore.interactive: the plain functions behind the optimizer sliders, and the widgets.

Everything runs headless: matplotlib's Agg backend, and ipywidgets objects driven
from Python (setting a slider's value runs the callback synchronously).
"""

import math
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402
from ipywidgets import FloatLogSlider, FloatSlider, interactive  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nncore import Sequential  # noqa: E402
from nncore.errors import NNCoreError  # noqa: E402
from nncore.gradcheck import numerical_gradient  # noqa: E402
from nncore.interactive import (CURVATURE, START, descent_path, descent_widget, make_sliders,  # noqa: E402
                                plot_descent, plot_spiral, quadratic, quadratic_grad, show_descent,
                                spiral_data, spiral_widget, train_spiral)
from nncore.optim import SGD, Adam  # noqa: E402

FAST_EPOCHS = 40  # enough to see training work, short enough for a quick test


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line(ax, label):
    """The one line on ax with this legend label."""
    found = [l for l in ax.get_lines() if l.get_label() == label]
    assert len(found) == 1, [l.get_label() for l in ax.get_lines()]
    return found[0]


def path_of(fig):
    return np.asarray(line(fig.axes[0], "SGD").get_xydata())


# --- the quadratic bowl ------------------------------------------------------------------

def test_quadratic_values():
    a, b = CURVATURE
    assert quadratic([0.0, 0.0]) == 0.0
    assert quadratic([1.0, 1.0]) == pytest.approx(0.5 * (a + b))
    assert b / a >= 10, "the bowl should be narrow enough for momentum to matter"
    batch = np.array([[[1.0, 2.0], [3.0, -1.0]]])
    assert quadratic(batch).shape == (1, 2)
    assert quadratic_grad(batch).shape == batch.shape


@settings(max_examples=20, deadline=None)
@given(w1=st.floats(-5, 5), w2=st.floats(-3, 3))
def test_quadratic_grad_is_the_gradient(w1, w2):
    w = np.array([w1, w2])
    numeric = numerical_gradient(lambda: quadratic(w), w)
    np.testing.assert_allclose(quadratic_grad(w), numeric, atol=1e-6)


def test_quadratic_rejects_wrong_shapes():
    with pytest.raises(NNCoreError, match="^w:"):
        quadratic(np.zeros(3))
    with pytest.raises(NNCoreError, match="^w:"):
        quadratic_grad(np.zeros((4, 3)))


# --- descent_path --------------------------------------------------------------------------

def test_descent_path_shapes_and_start():
    path, losses = descent_path(SGD(0.01), START, steps=25)
    assert path.shape == (26, 2) and losses.shape == (26,)
    np.testing.assert_array_equal(path[0], START)
    np.testing.assert_allclose(losses, quadratic(path))


def test_plain_gradient_descent_follows_the_closed_form():
    # On a quadratic, each coordinate shrinks by (1 - lr * curvature) per step.
    lr, steps = 0.03, 30
    path, _ = descent_path(SGD(lr), START, steps)
    t = np.arange(steps + 1)[:, None]
    expected = np.array(START) * (1 - lr * np.array(CURVATURE)) ** t
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-15)


def test_descent_path_works_with_any_optimizer_and_start():
    path, losses = descent_path(Adam(0.1), start=(2.0, -1.0), steps=100)
    np.testing.assert_array_equal(path[0], [2.0, -1.0])
    assert losses[-1] < 0.05 * losses[0]


def test_momentum_helps_in_the_narrow_valley():
    _, plain = descent_path(SGD(10 ** -1.5), START, 50)
    _, heavy = descent_path(SGD(10 ** -1.5, momentum=0.7), START, 50)
    assert heavy[-1] < 1e-3 * plain[-1]


def test_divergence_leaves_nan_and_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow is expected here, but no warning may escape
        path, losses = descent_path(SGD(1.0), START, steps=100)
    diverged = np.isnan(losses)
    assert diverged.any() and not diverged[:5].any()
    assert np.all(diverged[np.argmax(diverged):])  # once diverged, NaN to the end
    assert np.isfinite(path[~diverged]).all()


def test_descent_path_checks_its_arguments():
    with pytest.raises(NNCoreError, match="^steps:"):
        descent_path(SGD(0.1), START, steps=0)
    with pytest.raises(NNCoreError, match="^start:"):
        descent_path(SGD(0.1), start=(1.0, 2.0, 3.0))


# --- plot_descent --------------------------------------------------------------------------

def test_plot_descent_draws_path_and_loss():
    fig = plot_descent(0.03, 0.9, steps=40)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax_path, ax_loss = fig.axes
    path, losses = descent_path(SGD(0.03, momentum=0.9), START, 40)
    np.testing.assert_array_equal(path_of(fig), path)
    np.testing.assert_array_equal(path_of(fig)[0], START)
    np.testing.assert_array_equal(line(ax_loss, "SGD").get_ydata(), losses)
    assert ax_loss.get_yscale() == "log"
    assert "0.03" in ax_path.get_title() and "0.90" in ax_path.get_title()
    # With momentum, plain SGD at the same lr is drawn for comparison.
    plain, _ = descent_path(SGD(0.03), START, 40)
    np.testing.assert_array_equal(line(ax_path, "momentum 0").get_xydata(), plain)
    assert ax_path.collections, "the contours of the bowl"


def test_plot_descent_without_momentum_has_no_comparison_line():
    fig = plot_descent(0.03, 0.0)
    assert "momentum 0" not in [l.get_label() for l in fig.axes[0].get_lines()]


def test_a_larger_lr_changes_the_path():
    small, large = path_of(plot_descent(0.01, 0.5)), path_of(plot_descent(0.05, 0.5))
    assert small.shape == large.shape
    np.testing.assert_array_equal(small[0], large[0])
    assert np.abs(small[1:] - large[1:]).min() > 0


def test_plot_descent_reports_divergence():
    fig = plot_descent(0.5, 0.0, steps=50)
    assert "diverged" in fig.axes[1].get_title()


def test_plot_descent_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    assert plot_descent(0.03, 0.5, ax=axes) is fig
    assert len(fig.axes) == 2 and path_of(fig).shape == (51, 2)
    with pytest.raises(NNCoreError, match="^ax:"):
        plot_descent(0.03, 0.5, ax=[axes[0]])


# --- the spiral network --------------------------------------------------------------------

def test_train_spiral_learns_and_is_repeatable():
    model, history = train_spiral(0.1, 0.9, epochs=300)
    assert isinstance(model, Sequential)
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "ReLU", "Dense"]
    assert (model.layers[0].n_in, model.layers[0].n_out, model.layers[2].n_out) == (2, 64, 3)
    assert len(history["loss"]) == len(history["accuracy"]) == 300 and history["diverged"] is None
    assert history["loss"][-1] < 0.3 * history["loss"][0]
    X, y = spiral_data()
    assert X.shape == (300, 2) and np.mean(model.predict(X) == y) > 0.9
    _, again = train_spiral(0.1, 0.9, epochs=300)
    assert again["loss"] == history["loss"]


def test_train_spiral_depends_on_its_arguments():
    base = train_spiral(0.1, 0.9, epochs=FAST_EPOCHS)[1]["loss"]
    for other in [train_spiral(0.2, 0.9, epochs=FAST_EPOCHS), train_spiral(0.1, 0.5, epochs=FAST_EPOCHS),
                  train_spiral(0.1, 0.9, epochs=FAST_EPOCHS, seed=1)]:
        assert other[1]["loss"] != base
    model, history = train_spiral(0.1, 0.0, epochs=5, hidden=8)
    assert model.layers[0].n_out == 8 and len(history["loss"]) == 5
    for bad, argument in [(dict(epochs=0), "epochs"), (dict(hidden=1.5), "hidden"), (dict(seed=None), "seed"),
                          (dict(lr=0.0), "lr"), (dict(momentum=1.0), "momentum")]:
        kwargs = dict(lr=0.1, momentum=0.9, epochs=5) | bad
        with pytest.raises(NNCoreError, match=rf"^{argument}:"):
            train_spiral(**kwargs)


def test_train_spiral_stops_when_it_diverges():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow is expected here, but no warning may escape
        model, history = train_spiral(1e100, 0.9, epochs=50)
    assert history["diverged"] is not None and len(history["loss"]) < 50
    assert all(math.isfinite(v) for v in history["loss"])
    fig = plot_spiral(1e100, 0.9, epochs=50)
    assert "diverged" in fig.axes[1].get_title()


def test_plot_spiral_draws_loss_and_regions():
    fig = plot_spiral(0.1, 0.9, epochs=FAST_EPOCHS)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax_loss, ax_regions = fig.axes
    _, history = train_spiral(0.1, 0.9, epochs=FAST_EPOCHS)
    np.testing.assert_array_equal(line(ax_loss, "SGD").get_ydata(), history["loss"])
    _, plain = train_spiral(0.1, 0.0, epochs=FAST_EPOCHS)
    np.testing.assert_array_equal(line(ax_loss, "momentum 0").get_ydata(), plain["loss"])
    assert ax_loss.get_yscale() == "log"
    assert len(ax_regions.collections) >= 2, "filled regions and the scattered points"
    assert "accuracy" in ax_regions.get_title()


# --- sliders and widgets -----------------------------------------------------------------

def on_grid(value, step):
    return abs(value / step - round(value / step)) < 1e-9


def test_make_sliders():
    sliders = make_sliders(lr=0.1, momentum=0.9)
    lr, mu = sliders["lr"], sliders["momentum"]
    assert isinstance(lr, FloatLogSlider) and isinstance(mu, FloatSlider)
    assert (lr.base, lr.min, lr.max) == (10, -3, 1) and lr.value == 0.1
    assert (mu.min, mu.max, mu.value) == (0.0, 0.99, 0.9)
    # Bounds and starting values sit exactly on the step grid (the browser would snap them otherwise).
    for value in (lr.min, lr.max, math.log10(lr.value)):
        assert on_grid(value - lr.min, lr.step)
    for value in (mu.min, mu.max, mu.value):
        assert on_grid(value - mu.min, mu.step)


@pytest.mark.parametrize("kwargs, argument", [
    (dict(lr=0.05), "lr"), (dict(lr=100.0), "lr"), (dict(momentum=0.955), "momentum"),
    (dict(momentum=1.0), "momentum"), (dict(lr_exponents=(1, -3)), "lr_exponents")])
def test_make_sliders_rejects_values_off_the_grid(kwargs, argument):
    with pytest.raises(NNCoreError, match=rf"^{argument}:"):
        make_sliders(**kwargs)


def test_callback_displays_once_and_closes_the_figure(capsys):
    fig = show_descent(0.03, 0.5, steps=10)
    assert isinstance(fig, Figure)
    assert fig.number not in plt.get_fignums(), "closed after display, so it is not drawn twice"
    assert "Figure" in capsys.readouterr().out  # outside a kernel, display() prints the repr


def test_descent_widget_redraws_when_a_slider_moves():
    w = descent_widget()
    assert isinstance(w, interactive)
    lr_slider, mu_slider = w.children[0], w.children[1]
    assert lr_slider.description == "learning rate" and mu_slider.description == "momentum"
    first = w.result
    assert isinstance(first, Figure)
    np.testing.assert_array_equal(path_of(first), descent_path(SGD(10 ** -1.5, momentum=0.7), START, 50)[0])

    lr_slider.value = 0.01
    assert w.kwargs["lr"] == 0.01 and w.result is not first
    after_lr = path_of(w.result)
    np.testing.assert_array_equal(after_lr, descent_path(SGD(0.01, momentum=0.7), START, 50)[0])
    assert not np.array_equal(after_lr, path_of(first))

    mu_slider.value = 0.0
    assert w.kwargs["momentum"] == 0.0
    np.testing.assert_array_equal(path_of(w.result), descent_path(SGD(0.01), START, 50)[0])
    assert "momentum 0" not in [l.get_label() for l in w.result.axes[0].get_lines()]
    assert plt.get_fignums() == []  # every drawn figure was released


def test_spiral_widget_redraws_when_a_slider_moves():
    w = spiral_widget(epochs=FAST_EPOCHS)
    lr_slider, mu_slider = w.children[0], w.children[1]
    assert isinstance(lr_slider, FloatLogSlider) and isinstance(mu_slider, FloatSlider)
    before = line(w.result.axes[0], "SGD").get_ydata()
    np.testing.assert_array_equal(before, train_spiral(0.1, 0.9, FAST_EPOCHS)[1]["loss"])

    lr_slider.value = 1.0
    after = line(w.result.axes[0], "SGD").get_ydata()
    np.testing.assert_array_equal(after, train_spiral(1.0, 0.9, FAST_EPOCHS)[1]["loss"])
    assert "lr = 1," in w.result.axes[0].get_title()

    mu_slider.value = 0.5
    assert w.kwargs == {"lr": 1.0, "momentum": 0.5, "epochs": FAST_EPOCHS, "hidden": 64, "seed": 0}
    np.testing.assert_array_equal(line(w.result.axes[0], "SGD").get_ydata(),
                                  train_spiral(1.0, 0.5, FAST_EPOCHS)[1]["loss"])
