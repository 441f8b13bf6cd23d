"""Property test of nncore's public boundary: generated bad input ends in NNCoreError or a documented acceptance.

Each entry point below takes one generated value in one argument, all other arguments
being valid. The value is drawn from the mistakes a learner makes: strings, Python objects,
complex numbers, ragged lists, NaN and inf, empty and wrongly shaped arrays, classes
instead of instances, bools, negative or fractional counts, odd paths. Every call must
either raise NNCoreError (a message a learner can act on) or return a result without NaN.
Any other exception (a traceback from inside NumPy, pathlib or zlib) fails the test.

The gradient checks may also end in their own GradientCheckError: a check that ran and
found a difference larger than the tolerance given (say tol=1e-300) did its job.

Documented acceptances, where a result may hold NaN, and only if a NaN or inf went in:
* the plain activation functions (sigmoid, relu, softmax, ...) map NaN to NaN element by
  element, as NumPy and torch do;
* the forward and backward passes of activation and dropout layers, and the backward pass
  of Dense, pass NaN on without a check of their own: they run for every batch, and the
  next Dense layer's forward, the loss, or optimizer.step (which refuses NaN gradients)
  reports it with its place;
* ring_allreduce adds what it is given, NaN included, as torch.distributed.all_reduce does;
* relative_error of a gradient holding NaN or inf is NaN, which compare() and the check_*
  functions report as a failed gradient check.

Hypothesis runs derandomized (the same examples on every run) without an example database,
so the suite is deterministic in CI; it takes a few seconds.
"""

import os
import tempfile

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nncore import activations as act
from nncore import data, distributed, gradcheck, interactive, io, metrics, plots
from nncore.activations import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from nncore.errors import NNCoreError
from nncore.layers import Dense, init_weights
from nncore.losses import MSE, BinaryCrossEntropy, CrossEntropy, SoftmaxCrossEntropy
from nncore.model import Sequential
from nncore.optim import SGD, AdaGrad, Adam, RMSProp
from nncore.regularization import Dropout, GaussianNoise, RegularizedLoss

matplotlib.use("Agg")  # before the plots' first (lazy) import of pyplot

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# --- the generated values -----------------------------------------------------------------

_ODD = [None, "abc", "", b"xy", True, False, 1j, object(), {}, [], [[1.0, 2.0], [3.0]], [1, "a"],
        Dense, ReLU, MSE, SoftmaxCrossEntropy, SGD, Sequential, len,
        np.array(["a", "b"]), np.array([1, None], dtype=object), np.array([[1 + 2j, 3]]),
        np.array([[np.nan, 1.0]]), np.array([[np.inf, -np.inf]]), np.zeros((0, 2)), np.zeros(()),
        np.array(3.5), np.ones((2, 2, 2)), np.ones((3, 1)), np.ones((1, 3)), np.array([[1e308, -1e308]])]

_arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    elements=None)  # NaN, inf and extreme values included for the float dtypes

BAD = st.one_of(
    st.sampled_from(_ODD),
    _arrays,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-3, 4),  # small: a valid count such as epochs=4 must not make a long run
    st.text(max_size=4),
)


def _has_nan(result):
    if isinstance(result, dict):
        return any(_has_nan(v) for v in result.values())
    if isinstance(result, (list, tuple)):
        return any(_has_nan(v) for v in result)
    if isinstance(result, (float, np.floating, np.ndarray)):
        a = np.asarray(result)
        return a.dtype.kind in "fc" and bool(np.isnan(a).any())
    return False


def _nan_or_inf_in(value):
    try:
        a = np.asarray(value)
        return a.dtype.kind in "fc" and not np.isfinite(a).all()
    except Exception:
        return False


def outcome(call, value, nan_from_nan=False):
    """Run call(value): NNCoreError, or a result without NaN; anything else fails the test."""
    with np.errstate(all="ignore"):
        try:
            result = call(value)
        except NNCoreError:
            return "refused"
        except gradcheck.GradientCheckError:  # a check that ran and found a difference (e.g. a tiny tol)
            return "checked"
    if _has_nan(result):
        assert nan_from_nan and _nan_or_inf_in(value), f"a NaN result, without an error, from {value!r}"
    return "accepted"


# --- valid arguments around the generated one ---------------------------------------------

X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [1.0, 1.0]])
y = np.array([0, 1, 1, 0])
P = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.7, 0.3]])  # probabilities, rows sum to 1


def model():
    return Sequential([Dense(2, 3, seed=0), ReLU(), Dense(3, 2, seed=1)])


def trained():
    m = model()
    m.fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.1), epochs=1)
    return m


def forwarded(layer, inputs=X):
    layer.forward(inputs)
    return layer


def fit(**changes):
    args = dict(X=X, y=y, loss=SoftmaxCrossEntropy(), optimizer=SGD(lr=0.1), epochs=2)
    args.update(changes)
    return model().fit(**args)


def step(params=None, grads=None):
    p = {"w": np.ones((2, 2))}
    g = {"w": np.full((2, 2), 0.5)}
    return SGD(lr=0.1).step(p if params is None else params, g if grads is None else grads)


X64 = np.array([[0.5, -1.0], [2.0, 0.25]])


def _closed(draw, *args, **kwargs):
    """Draw, then close every figure (a plot returns an Axes or a Figure, neither of which holds NaN)."""
    import matplotlib.pyplot as plt
    try:
        draw(*args, **kwargs)
    finally:
        plt.close("all")

ENTRY_POINTS = {
    # layers
    "Dense n_in": lambda v: Dense(v, 3),
    "Dense n_out": lambda v: Dense(2, v),
    "Dense init": lambda v: Dense(2, 3, init=v),
    "Dense seed": lambda v: Dense(2, 3, seed=v),
    "Dense dtype": lambda v: Dense(2, 3, dtype=v),
    "Dense l2": lambda v: Dense(2, 3, l2=v),
    "Dense.forward X": lambda v: Dense(2, 3, seed=0).forward(v),
    "Dense.backward dZ": lambda v: forwarded(Dense(2, 3, seed=0)).backward(v),
    "init_weights init": lambda v: init_weights(2, 3, init=v),
    "init_weights seed": lambda v: init_weights(2, 3, seed=v),
    # activations
    "ReLU.forward": lambda v: ReLU().forward(v),
    "Sigmoid.forward": lambda v: Sigmoid().forward(v),
    "Tanh.backward": lambda v: forwarded(Tanh()).backward(v),
    "Softmax.forward": lambda v: Softmax().forward(v),
    "Softmax.backward": lambda v: forwarded(Softmax()).backward(v),
    "LeakyReLU alpha": lambda v: LeakyReLU(v).forward(X),
    # losses: predictions first, targets second
    "MSE A": lambda v: MSE().forward(v, np.ones((4, 2))),
    "MSE Y": lambda v: MSE().forward(X, v),
    "BinaryCrossEntropy A": lambda v: BinaryCrossEntropy().forward(v, np.ones((4, 1))),
    "BinaryCrossEntropy Y": lambda v: BinaryCrossEntropy().forward(np.full((4, 1), 0.5), v),
    "CrossEntropy A": lambda v: CrossEntropy().forward(v, y),
    "CrossEntropy Y": lambda v: CrossEntropy().forward(P, v),
    "SoftmaxCrossEntropy A": lambda v: SoftmaxCrossEntropy().forward(v, y),
    "SoftmaxCrossEntropy Y": lambda v: SoftmaxCrossEntropy().forward(X, v),
    "Loss.accuracy A": lambda v: SoftmaxCrossEntropy().accuracy(v, y),
    "Loss.accuracy Y": lambda v: SoftmaxCrossEntropy().accuracy(P, v),
    "BinaryCrossEntropy.accuracy Y": lambda v: BinaryCrossEntropy().accuracy(np.full((4, 1), 0.7), v),
    # the model
    "Sequential layers": lambda v: Sequential(v),
    "Sequential [layer]": lambda v: Sequential([v]),
    "fit X": lambda v: fit(X=v),
    "fit y": lambda v: fit(y=v),
    "fit loss": lambda v: fit(loss=v),
    "fit optimizer": lambda v: fit(optimizer=v),
    "fit epochs": lambda v: fit(epochs=v),
    "fit batch_size": lambda v: fit(batch_size=v),
    "fit seed": lambda v: fit(seed=v),
    "fit validation_data": lambda v: fit(validation_data=v),
    "fit validation X": lambda v: fit(validation_data=(v, y)),
    "fit early_stopping": lambda v: fit(early_stopping=v, validation_data=(X, y)),
    "predict X": lambda v: trained().predict(v),
    "predict loss": lambda v: model().predict(X, loss=v),
    "evaluate X": lambda v: trained().evaluate(v, y),
    "evaluate y": lambda v: trained().evaluate(X, v),
    "evaluate loss": lambda v: model().evaluate(X, y, loss=v),
    # optimizers
    "SGD lr": lambda v: SGD(v),
    "SGD momentum": lambda v: SGD(0.1, momentum=v),
    "SGD positional": lambda v: SGD(0.1, v),
    "AdaGrad eps": lambda v: AdaGrad(0.1, eps=v),
    "RMSProp rho": lambda v: RMSProp(0.1, rho=v),
    "Adam beta1": lambda v: Adam(0.1, beta1=v),
    "Adam decay": lambda v: Adam(0.1, decay=v),
    "step params": lambda v: step(params=v),
    "step gradient": lambda v: step(grads={"w": v}),
    # regularization
    "Dropout rate": lambda v: Dropout(v),
    "Dropout seed": lambda v: Dropout(0.5, seed=v),
    "Dropout.forward": lambda v: Dropout(0.5, seed=0).forward(v),
    "GaussianNoise std": lambda v: GaussianNoise(v),
    "RegularizedLoss loss": lambda v: RegularizedLoss(v, model()),
    "RegularizedLoss model": lambda v: RegularizedLoss(MSE(), v),
    # data
    "one_hot y": lambda v: data.one_hot(v),
    "one_hot num_classes": lambda v: data.one_hot(y, v),
    "train_val_split X": lambda v: data.train_val_split(v, y),
    "train_val_split y": lambda v: data.train_val_split(X, v),
    "train_val_split seed": lambda v: data.train_val_split(X, y, seed=v),
    "normalize X": lambda v: data.normalize(v),
    "scale_pixels X": lambda v: data.scale_pixels(v),
    "spiral points": lambda v: data.spiral(v, 2),
    "spiral seed": lambda v: data.spiral(5, 2, seed=v),
    "spiral noise": lambda v: data.spiral(5, 2, noise=v),
    "scale_pixels max_value": lambda v: data.scale_pixels(np.ones((2, 2)), v),
    "logic_gate name": lambda v: data.logic_gate(v),
    "read_idx path": lambda v: data.read_idx(v),
    # io (run inside a temporary folder, see below)
    "save_parameters path": lambda v: io.save_parameters(model(), v),
    "save_parameters model": lambda v: io.save_parameters(v, "m.npz"),
    "load_parameters path": lambda v: io.load_parameters(model(), v),
    "load_parameters model": lambda v: io.load_parameters(v, "m.npz"),
    # gradcheck
    "numerical_gradient f": lambda v: gradcheck.numerical_gradient(v, X64.copy()),
    "numerical_gradient x": lambda v: gradcheck.numerical_gradient(lambda: 1.0, v),
    "numerical_gradient f()": lambda v: gradcheck.numerical_gradient(lambda: v, X64.copy()),
    "numerical_gradient h": lambda v: gradcheck.numerical_gradient(lambda: 1.0, X64.copy(), h=v),
    "relative_error": lambda v: gradcheck.relative_error(np.ones(3), v),
    "check_layer layer": lambda v: gradcheck.check_layer(v, X64),
    "check_layer X": lambda v: gradcheck.check_layer(Dense(2, 2, seed=0), v),
    "check_layer tol": lambda v: gradcheck.check_layer(Dense(2, 2, seed=0), X64, tol=v),
    "check_loss loss": lambda v: gradcheck.check_loss(v, X64, [0, 1]),
    "check_loss A": lambda v: gradcheck.check_loss(SoftmaxCrossEntropy(), v, [0, 1]),
    "check_model X": lambda v: gradcheck.check_model(model(), SoftmaxCrossEntropy(), v, [0, 1]),
    # plots (on the Agg backend, closed after each example)
    "plot_decision_regions predict": lambda v: _closed(plots.plot_decision_regions, v, X, y, resolution=5),
    "plot_decision_regions X": lambda v: _closed(plots.plot_decision_regions, lambda P: P[:, 0] > 0.5, v, y,
                                                 resolution=5),
    "plot_history keys": lambda v: _closed(plots.plot_history, {"loss": [1.0, 0.5]}, keys=v),
    # interactive (notebook 06's sliders)
    "descent_path optimizer": lambda v: interactive.descent_path(v, steps=3),
    "descent_path start": lambda v: interactive.descent_path(SGD(0.1), start=v, steps=3),
    "train_spiral lr": lambda v: interactive.train_spiral(v, 0.9, epochs=2, hidden=4),
    # distributed (notebook 10): the parts that start no process
    "shard n": lambda v: distributed.shard(v, 0, 2),
    "shard rank": lambda v: distributed.shard(10, v, 2),
    "shard world_size": lambda v: distributed.shard(10, 0, v),
    "ring_allreduce arrays": lambda v: distributed.ring_allreduce(v),
    "ring_allreduce one array": lambda v: distributed.ring_allreduce([v, v]),
    "launch worker": lambda v: distributed.launch(v, 2),
    "plot_ring_allreduce P": lambda v: _closed(plots.plot_ring_allreduce, v),
    # metrics: the prediction first
    "accuracy y_pred": lambda v: metrics.accuracy(v, y),
    "accuracy y_true": lambda v: metrics.accuracy(y, v),
    "confusion_matrix y_pred": lambda v: metrics.confusion_matrix(y_pred=v, y_true=y),
    "confusion_matrix num_classes": lambda v: metrics.confusion_matrix(y_pred=y, y_true=y, num_classes=v),
}

# The plain activation functions: NaN in, NaN out is their documented acceptance.
PLAIN = {name: getattr(act, name) for name in ("sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu",
                                               "relu_derivative", "leaky_relu", "leaky_relu_derivative",
                                               "softmax", "log_softmax", "softmax_jacobian")}


@pytest.fixture(scope="module")
def in_a_temporary_folder():
    """io writes files named by the generated paths: keep them in a folder of their own."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        io.save_parameters(model(), "m.npz")
        try:
            yield folder
        finally:
            os.chdir(old)


# Entry points that pass a NaN on (see the module's docstring).
NAN_PASSES_THROUGH = {"Dense.backward dZ", "ReLU.forward", "Sigmoid.forward", "Tanh.backward", "Softmax.forward",
                      "Softmax.backward", "Dropout.forward", "relative_error", "ring_allreduce one array"}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
@SETTINGS
@given(value=BAD)
def test_bad_input_ends_in_nncore_error_or_a_clean_result(name, value, in_a_temporary_folder):
    outcome(ENTRY_POINTS[name], value, nan_from_nan=name in NAN_PASSES_THROUGH)


@pytest.mark.parametrize("name", sorted(PLAIN))
@SETTINGS
@given(value=BAD)
def test_plain_activation_functions_take_numbers_only(name, value):
    outcome(PLAIN[name], value, nan_from_nan=True)


# --- the cases the issue named, one by one --------------------------------------------------

def test_logits_into_a_loss_on_probabilities_are_refused_with_the_loss_on_logits_named():
    logits = np.array([[2.0, -1.0], [0.5, 3.0]])
    with pytest.raises(NNCoreError, match=r"expected probabilities in \[0, 1\].*look like logits.*SoftmaxCrossEntropy"):
        CrossEntropy().forward(logits, [0, 1])
    with pytest.raises(NNCoreError, match=r"expected probabilities in \[0, 1\].*Sigmoid\(\)"):
        BinaryCrossEntropy().forward(logits[:, :1], [[1], [0]])
    # A gradient check nudges a probability by h either side of 0 or 1: that is still a probability.
    assert gradcheck.check_loss(CrossEntropy(), np.array([[1e-7, 1 - 1e-7]]), [1]) < 1e-6


def test_old_positional_optimizer_calls_fail_instead_of_setting_another_option():
    with pytest.raises(NNCoreError, match=r"^AdaGrad: expected the learning rate as the only positional argument"):
        AdaGrad(0.1, 1e-3)  # used to set decay, while optim's table said eps
    with pytest.raises(NNCoreError, match=r"SGD\(0\.1, momentum=0\.9\)"):
        SGD(0.1, 0.9)
    with pytest.raises(NNCoreError, match=r"not given the parameters when created"):
        Adam(model().parameters(), lr=0.1)
    assert repr(RMSProp(0.1, rho=0.9, decay=0.01, eps=1e-6)) == "RMSProp(lr=0.1, rho=0.9, decay=0.01, eps=1e-06)"


@pytest.mark.parametrize("call, advice", [
    (lambda: Adam(0.1, betas=(0.9, 0.99)), r"beta1=b1, beta2=b2"),
    (lambda: RMSProp(0.1, alpha=0.9), r"rho here"),
    (lambda: AdaGrad(0.1, lr_decay=0.01), r"decay here"),
    (lambda: SGD(0.1, weight_decay=1e-4), r"Dense\(\.\.\., l2=1e-4\)"),
    (lambda: SGD(0.1, momentun=0.9), r"one of the options decay, lr, momentum.*Check the spelling"),
])
def test_torch_names_for_optimizer_options_get_the_nncore_name(call, advice):
    with pytest.raises(NNCoreError, match=advice):
        call()


def test_fit_names_a_nan_by_its_place_in_the_learners_own_arrays():
    X_nan = np.array(X)
    X_nan[1, 1] = np.nan
    with pytest.raises(NNCoreError, match=r"^X: expected finite numbers, got 1 NaN/inf value\(s\), the first at index "
                                          r"\(1, 1\)\. fit checks the data before training"):
        model().fit(X_nan, y, SoftmaxCrossEntropy(), SGD(lr=0.1), batch_size=2)
    y_nan = y.astype(float)
    y_nan[2] = np.nan
    with pytest.raises(NNCoreError, match=r"^y: .*index \(2,\)\. A label or target is missing.*nothing to do with it"):
        model().fit(X, y_nan, SoftmaxCrossEntropy(), SGD(lr=0.1))


def test_a_loss_class_or_swapped_arguments_are_recognised():
    with pytest.raises(NNCoreError, match="Create an instance: write SoftmaxCrossEntropy"):
        trained().predict(X, loss=SoftmaxCrossEntropy)
    with pytest.raises(NNCoreError, match="Create an instance"):
        trained().evaluate(X, y, loss=MSE)
    with pytest.raises(NNCoreError, match="They are swapped"):
        model().fit(X, y, SGD(lr=0.1), SoftmaxCrossEntropy())
    with pytest.raises(NNCoreError, match=r"Check the order of the arguments: check_layer\(layer, X\)"):
        gradcheck.check_layer(X64, Dense(2, 2))
    with pytest.raises(NNCoreError, match="They are swapped"):
        io.load_parameters("m.npz", model())


def test_the_bare_tracebacks_and_silent_results_of_the_issue_are_errors_now(tmp_path):
    x = X64.copy()
    with pytest.raises(NNCoreError, match=r"^numerical_gradient h: expected a small step > 0"):
        gradcheck.numerical_gradient(lambda: float(x.sum()), x, h=0)
    with pytest.raises(NNCoreError, match=r"^numerical_gradient f\(\): expected a single number.*shape \(2, 2\)"):
        gradcheck.numerical_gradient(lambda: x * 2, x)
    with pytest.raises(NNCoreError, match=r"^relative_error numeric: expected shape \(3,\).*got shape \(3, 1\)"):
        gradcheck.relative_error(np.ones(3), np.ones((3, 1)))
    with pytest.raises(NNCoreError, match=r"^input X of Dense\(2, 3\): expected numbers.*dtype complex128.*x\.real"):
        Dense(2, 3).forward(X.astype(complex))
    with pytest.raises(NNCoreError, match=r"^input X of Dense\(2, 3\): expected numbers.*dtype <U"):
        Dense(2, 3).forward(np.array([["1", "2"]]))
    with pytest.raises(NNCoreError, match=r"^gradient of w: expected finite numbers, got 1 NaN/inf"):
        step(grads={"w": np.array([[np.nan, 0.0], [0.0, 0.0]])})
    with pytest.raises(NNCoreError, match=r"^fit seed: expected None .* got -1"):
        fit(seed=-1)
    broken = tmp_path / "broken.gz"
    good = __import__("gzip").compress(bytes(4) + bytes(100))
    broken.write_bytes(good[:12] + bytes(b ^ 0xFF for b in good[12:20]) + good[20:])
    with pytest.raises(NNCoreError, match=r"expected a complete gzip file, got a damaged one"):
        data.read_idx(broken)


@pytest.mark.parametrize("call", [lambda: data.read_idx(0), lambda: data.load_fashion_mnist(data_dir=3),
                                  lambda: data.download_file("http://127.0.0.1:9/x", 5, None)])
def test_a_number_where_a_path_belongs_is_refused_before_anything_is_opened(call):
    # open(0) would read the standard input and then close it.
    with pytest.raises(NNCoreError, match=r"(path|data_dir|dest): expected .*a str or a pathlib\.Path"):
        call()
