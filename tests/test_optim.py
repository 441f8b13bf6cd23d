"""nncore.optim against torch.optim, step for step, plus the optimizers' contracts.

Every optimizer runs on the same parameters (a dict of float64 arrays of different
shapes) and the same seeded random gradients as its torch.optim counterpart; after
every one of 100 steps the parameters must agree to 1e-10.
"""

import math
import tracemalloc

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes

from nncore.errors import NNCoreError
from nncore.optim import SGD, AdaGrad, Adam, Optimizer, RMSProp

TOL = 1e-10
SHAPES = {"layers[0].W": (4, 3), "layers[0].b": (1, 3), "layers[2].W": (5,)}


def make_params(shapes=SHAPES, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return {name: rng.normal(size=shape).astype(dtype) for name, shape in shapes.items()}


def gradient_sequence(shapes, steps, seed=1, scale=1.0):
    rng = np.random.default_rng(seed)
    return [{name: scale * rng.normal(size=shape) for name, shape in shapes.items()}
            for _ in range(steps)]


def lambda_lr(decay):
    """torch's version of nncore's decay: lr_t = lr / (1 + decay * t), t = steps taken so far."""
    return lambda t: 1.0 / (1.0 + decay * t)


def max_difference_per_step(ours, make_torch, decay=None, shapes=SHAPES, steps=100, scale=1.0, seed=0):
    """Run `ours` and torch on identical params and gradients; max |difference| after each step."""
    params = make_params(shapes, seed)
    tensors = [torch.tensor(p.copy(), requires_grad=True) for p in params.values()]
    theirs = make_torch(tensors)
    scheduler = torch.optim.lr_scheduler.LambdaLR(theirs, lambda_lr(decay)) if decay else None
    differences = []
    for grads in gradient_sequence(shapes, steps, seed + 1, scale):
        for t, g in zip(tensors, grads.values()):
            t.grad = torch.tensor(g)
        ours.step(params, grads)
        theirs.step()
        if scheduler:
            scheduler.step()
        differences.append(max(float(np.max(np.abs(t.detach().numpy() - p)))
                               for t, p in zip(tensors, params.values())))
    return np.array(differences)


T = torch.optim
CASES = {
    "sgd": (lambda: SGD(0.1), lambda ps: T.SGD(ps, lr=0.1), None),
    "sgd_momentum": (lambda: SGD(0.05, momentum=0.9), lambda ps: T.SGD(ps, lr=0.05, momentum=0.9), None),
    "sgd_decay": (lambda: SGD(0.1, decay=0.05), lambda ps: T.SGD(ps, lr=0.1), 0.05),
    "sgd_momentum_decay": (lambda: SGD(0.05, momentum=0.8, decay=0.1),
                           lambda ps: T.SGD(ps, lr=0.05, momentum=0.8), 0.1),
    "sgd_nesterov": (lambda: SGD(0.05, momentum=0.9, nesterov=True),
                     lambda ps: T.SGD(ps, lr=0.05, momentum=0.9, nesterov=True), None),
    "sgd_nesterov_decay": (lambda: SGD(0.05, momentum=0.8, decay=0.1, nesterov=True),
                           lambda ps: T.SGD(ps, lr=0.05, momentum=0.8, nesterov=True), 0.1),
    "adagrad": (lambda: AdaGrad(0.1), lambda ps: T.Adagrad(ps, lr=0.1), None),
    "adagrad_eps": (lambda: AdaGrad(0.1, eps=1e-3), lambda ps: T.Adagrad(ps, lr=0.1, eps=1e-3), None),
    "adagrad_decay": (lambda: AdaGrad(0.1, decay=0.05), lambda ps: T.Adagrad(ps, lr=0.1), 0.05),
    # torch's Adagrad has the same decay built in: clr = lr / (1 + (step - 1) * lr_decay)
    "adagrad_lr_decay": (lambda: AdaGrad(0.1, decay=0.05), lambda ps: T.Adagrad(ps, lr=0.1, lr_decay=0.05), None),
    "rmsprop": (lambda: RMSProp(0.01), lambda ps: T.RMSprop(ps, lr=0.01), None),
    "rmsprop_rho": (lambda: RMSProp(0.01, rho=0.9, eps=1e-6),
                    lambda ps: T.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-6), None),
    "rmsprop_decay": (lambda: RMSProp(0.01, decay=0.05), lambda ps: T.RMSprop(ps, lr=0.01), 0.05),
    "adam": (lambda: Adam(0.01), lambda ps: T.Adam(ps, lr=0.01), None),
    "adam_betas": (lambda: Adam(0.05, beta1=0.5, beta2=0.9, eps=1e-4),
                   lambda ps: T.Adam(ps, lr=0.05, betas=(0.5, 0.9), eps=1e-4), None),
    "adam_decay": (lambda: Adam(0.01, decay=0.05), lambda ps: T.Adam(ps, lr=0.01), 0.05),
}


@pytest.mark.parametrize("case", CASES)
def test_matches_torch_at_every_step(case):
    ours, make_torch, decay = CASES[case]
    differences = max_difference_per_step(ours(), make_torch, decay)
    assert len(differences) == 100
    assert differences.max() < TOL, f"first step over {TOL}: {np.argmax(differences >= TOL) + 1}"


def test_nesterov_matches_torch_to_the_last_bits_and_differs_from_plain_momentum():
    """100 float64 steps: nncore's Nesterov SGD is torch.optim.SGD(nesterov=True) up to rounding,
    and it is a different method from plain momentum (the comparison would notice a swap)."""
    make_torch = lambda ps: T.SGD(ps, lr=0.05, momentum=0.9, nesterov=True)  # noqa: E731
    assert max_difference_per_step(SGD(0.05, momentum=0.9, nesterov=True), make_torch).max() < 1e-14
    assert max_difference_per_step(SGD(0.05, momentum=0.9), make_torch).max() > 1e-2


def test_nesterov_without_momentum_is_refused_as_torch_refuses_it():
    with pytest.raises(ValueError):
        T.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, nesterov=True)
    with pytest.raises(NNCoreError, match=r"^nesterov: expected momentum > 0.*got momentum=0.*momentum=0.9"):
        SGD(0.1, nesterov=True)
    assert SGD(0.1, momentum=0.9, nesterov=True).nesterov is True
    assert SGD(0.1, momentum=0.9).nesterov is False
    assert "nesterov=True" in repr(SGD(0.1, momentum=0.9, nesterov=True))
    assert "nesterov" not in repr(SGD(0.1, momentum=0.9))


def test_the_comparison_is_sensitive():
    """A small change (a slightly different lr) is caught, so the checks above mean something."""
    differences = max_difference_per_step(Adam(0.01 * (1 + 1e-6)), lambda ps: T.Adam(ps, lr=0.01))
    assert differences.max() > 100 * TOL


def test_defaults_are_torchs():
    t = torch.zeros(1, requires_grad=True)
    assert Adam().lr == T.Adam([t]).defaults["lr"]
    assert (Adam().beta1, Adam().beta2) == T.Adam([t]).defaults["betas"]
    assert Adam().eps == T.Adam([t]).defaults["eps"]
    assert RMSProp().rho == T.RMSprop([t]).defaults["alpha"]
    assert (RMSProp().lr, RMSProp().eps) == (T.RMSprop([t]).defaults["lr"], T.RMSprop([t]).defaults["eps"])
    assert (AdaGrad().lr, AdaGrad().eps) == (T.Adagrad([t]).defaults["lr"], T.Adagrad([t]).defaults["eps"])


def test_adam_adds_eps_after_the_bias_correction():
    """With tiny gradients eps matters; adding it before correcting v (another common
    variant) would not match torch, nncore's Adam does."""
    tiny = 1e-7

    class EpsBeforeCorrection(Adam):
        def update(self, p, g, state, lr):
            m, v = state.setdefault("m", np.zeros_like(p)), state.setdefault("v", np.zeros_like(p))
            t = state["t"] = state.get("t", 0) + 1
            m[...] = self.beta1 * m + (1 - self.beta1) * g
            v[...] = self.beta2 * v + (1 - self.beta2) * g * g
            lr_t = lr * math.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)
            p -= lr_t * m / (np.sqrt(v) + self.eps)

    make_torch = lambda ps: T.Adam(ps, lr=0.01)  # noqa: E731
    assert max_difference_per_step(Adam(0.01), make_torch, scale=tiny, steps=20).max() < TOL
    assert max_difference_per_step(EpsBeforeCorrection(0.01), make_torch, scale=tiny, steps=20).max() > 1e-4


# --- momentum written with lr inside the velocity --------------------------------------

def lr_inside_velocity(params, grads_sequence, lr, mu, decay=0.0):
    """u <- mu * u - lr_t * g;  p <- p + u   (another common way to write momentum)."""
    u = {name: np.zeros_like(p) for name, p in params.items()}
    history = []
    for t, grads in enumerate(grads_sequence):
        lr_t = lr / (1 + decay * t)
        for name, p in params.items():
            u[name] = mu * u[name] - lr_t * grads[name]
            p += u[name]
        history.append({name: p.copy() for name, p in params.items()})
    return history


def sgd_history(params, grads_sequence, optimizer):
    history = []
    for grads in grads_sequence:
        optimizer.step(params, grads)
        history.append({name: p.copy() for name, p in params.items()})
    return history


def largest_gap(history_a, history_b):
    return max(np.max(np.abs(a[name] - b[name])) for a, b in zip(history_a, history_b) for name in a)


def test_lr_inside_velocity_is_the_same_method_for_a_constant_lr():
    grads = gradient_sequence(SHAPES, 100)
    theirs = lr_inside_velocity(make_params(), grads, lr=0.05, mu=0.9)
    ours = sgd_history(make_params(), grads, SGD(0.05, momentum=0.9))
    # The same numbers up to rounding (u = -lr * v at every step, by induction).
    assert len(theirs) == len(ours) == 100
    assert largest_gap(theirs, ours) < 1e-12
    # ... and so the same as torch, which nncore's SGD matches.
    assert max_difference_per_step(SGD(0.05, momentum=0.9),
                                   lambda ps: T.SGD(ps, lr=0.05, momentum=0.9)).max() < TOL


def test_lr_inside_velocity_differs_when_lr_changes():
    grads = gradient_sequence(SHAPES, 100)
    theirs = lr_inside_velocity(make_params(), grads, lr=0.05, mu=0.9, decay=0.1)
    ours = sgd_history(make_params(), grads, SGD(0.05, momentum=0.9, decay=0.1))
    assert largest_gap(theirs, ours) > 1e-3


# --- random shapes and hyperparameters ---------------------------------------------------

OPTIMIZERS = {
    "sgd": (lambda h: SGD(h["lr"], momentum=h["mu"], decay=h["decay"]),
            lambda ps, h: T.SGD(ps, lr=h["lr"], momentum=h["mu"])),
    "adagrad": (lambda h: AdaGrad(h["lr"], decay=h["decay"], eps=h["eps"]),
                lambda ps, h: T.Adagrad(ps, lr=h["lr"], eps=h["eps"])),
    "rmsprop": (lambda h: RMSProp(h["lr"], rho=h["b2"], decay=h["decay"], eps=h["eps"]),
                lambda ps, h: T.RMSprop(ps, lr=h["lr"], alpha=h["b2"], eps=h["eps"])),
    "adam": (lambda h: Adam(h["lr"], beta1=h["mu"], beta2=h["b2"], eps=h["eps"], decay=h["decay"]),
             lambda ps, h: T.Adam(ps, lr=h["lr"], betas=(h["mu"], h["b2"]), eps=h["eps"])),
}

hyperparameters = st.fixed_dictionaries({
    "lr": st.floats(1e-4, 0.5),
    "mu": st.sampled_from([0.0, 0.5, 0.9, 0.99]),
    "b2": st.sampled_from([0.0, 0.9, 0.99, 0.999]),
    "eps": st.sampled_from([1e-10, 1e-8, 1e-3]),
    "decay": st.sampled_from([0.0, 0.01, 0.5]),
})


@pytest.mark.parametrize("kind", OPTIMIZERS)
@settings(max_examples=10, deadline=None)
@given(shapes=st.lists(array_shapes(min_dims=1, max_dims=3, max_side=5), min_size=1, max_size=3),
       h=hyperparameters, seed=st.integers(0, 2**16))
def test_matches_torch_for_random_shapes_and_hyperparameters(kind, shapes, h, seed):
    ours, theirs = OPTIMIZERS[kind]
    shapes = {f"p{i}": s for i, s in enumerate(shapes)}
    differences = max_difference_per_step(ours(h), lambda ps: theirs(ps, h), h["decay"],
                                          shapes=shapes, steps=20, seed=seed)
    assert differences.max() < TOL


# --- the contract: state, errors, in place, dtype ----------------------------------------

ALL = {
    "SGD": lambda: SGD(0.1),
    "SGD momentum": lambda: SGD(0.1, momentum=0.9),
    "SGD nesterov": lambda: SGD(0.1, momentum=0.9, nesterov=True),
    "AdaGrad": lambda: AdaGrad(0.1),
    "RMSProp": lambda: RMSProp(0.01),
    "Adam": lambda: Adam(0.01),
}


@pytest.mark.parametrize("name", ALL)
def test_updates_in_place(name):
    params = make_params()
    originals = {k: p for k, p in params.items()}
    before = {k: p.copy() for k, p in params.items()}
    ALL[name]().step(params, gradient_sequence(SHAPES, 1)[0])
    for k, p in params.items():
        assert p is originals[k]
        assert not np.array_equal(p, before[k])


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("grad_dtype", [np.float32, np.float64])
def test_float32_parameters_stay_float32(name, grad_dtype):
    params = make_params(dtype=np.float32)
    optimizer = ALL[name]()
    for grads in gradient_sequence(SHAPES, 3):
        optimizer.step(params, {k: g.astype(grad_dtype) for k, g in grads.items()})
    for k, p in params.items():
        assert p.dtype == np.float32
        assert np.all(np.isfinite(p))
        for array in optimizer.state[k].values():
            if isinstance(array, np.ndarray):
                assert array.dtype == np.float32


@pytest.mark.parametrize("name", ["SGD momentum", "AdaGrad", "RMSProp", "Adam"])
def test_state_is_kept_per_parameter_name(name):
    # Two parameters of the same shape with different gradients must not share state.
    shapes = {"a": (3, 2), "b": (3, 2)}
    params = make_params(shapes)
    initial = {k: p.copy() for k, p in params.items()}
    optimizer = ALL[name]()
    for grads in gradient_sequence(shapes, 5):
        optimizer.step(params, grads)
    assert set(optimizer.state) == {"a", "b"}
    for key, array in optimizer.state["a"].items():
        if isinstance(array, np.ndarray):
            assert array.shape == (3, 2)
            assert array is not optimizer.state["b"][key]
    # The same state as two separate optimizers, one per parameter.
    for k in shapes:
        alone = {k: initial[k].copy()}
        solo = ALL[name]()
        for grads in gradient_sequence(shapes, 5):
            solo.step(alone, {k: grads[k]})
        np.testing.assert_array_equal(alone[k], params[k])


def test_adam_counts_steps_per_parameter():
    optimizer = Adam()
    params = make_params()
    for grads in gradient_sequence(SHAPES, 3):
        optimizer.step(params, grads)
    assert all(optimizer.state[k]["t"] == 3 for k in SHAPES)
    assert optimizer.iterations == 3


@pytest.mark.parametrize("name", ALL)
def test_mismatched_names_raise(name):
    params = make_params()
    grads = gradient_sequence(SHAPES, 1)[0]
    grads["extra"] = grads.pop("layers[0].b")
    with pytest.raises(NNCoreError, match="same names"):
        ALL[name]().step(params, grads)


@pytest.mark.parametrize("name", ALL)
def test_mismatched_shapes_raise_and_change_nothing(name):
    params = make_params()
    before = {k: p.copy() for k, p in params.items()}
    grads = gradient_sequence(SHAPES, 1)[0]
    grads["layers[2].W"] = grads["layers[2].W"][:4]  # the last parameter: nothing may move before the error
    with pytest.raises(NNCoreError, match=r"gradient of layers\[2\]\.W: expected shape \(5,\)"):
        ALL[name]().step(params, grads)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


@pytest.mark.parametrize("name", ["SGD momentum", "AdaGrad", "RMSProp", "Adam"])
def test_reusing_an_optimizer_for_another_model_is_explained(name):
    optimizer = ALL[name]()
    optimizer.step({"W": np.ones((2, 3))}, {"W": np.ones((2, 3))})
    with pytest.raises(NNCoreError, match="different model"):
        optimizer.step({"W": np.ones((3, 3))}, {"W": np.ones((3, 3))})


BAD = [
    (lambda: SGD(0), "lr"), (lambda: SGD(-0.1), "lr"), (lambda: SGD(float("nan")), "lr"),
    (lambda: SGD(float("inf")), "lr"), (lambda: SGD("0.1"), "lr"), (lambda: Adam(lr=0), "lr"),
    (lambda: SGD(0.1, decay=-1), "decay"), (lambda: RMSProp(0.1, decay=float("nan")), "decay"),
    (lambda: SGD(0.1, momentum=1.0), "momentum"), (lambda: SGD(0.1, momentum=-0.1), "momentum"),
    (lambda: SGD(0.1, momentum=1.5), "momentum"), (lambda: SGD(0.1, momentum=None), "momentum"),
    (lambda: Adam(beta1=1.0), "beta1"), (lambda: Adam(beta1=-0.5), "beta1"),
    (lambda: Adam(beta2=1.0), "beta2"), (lambda: Adam(beta2=2), "beta2"),
    (lambda: RMSProp(rho=1.0), "rho"), (lambda: RMSProp(rho=-0.1), "rho"),
    (lambda: AdaGrad(eps=-1e-8), "eps"), (lambda: Adam(eps=float("nan")), "eps"),
    (lambda: AdaGrad(0.0), "lr"),
    (lambda: SGD(0.1, nesterov=True), "nesterov"), (lambda: SGD(0.1, momentum=0.0, nesterov=True), "nesterov"),
    (lambda: SGD(0.1, momentum=0.9, nesterov="yes"), "nesterov"), (lambda: SGD(0.1, momentum=0.9, nesterov=1), "nesterov"),
]


@pytest.mark.parametrize("make, argument", BAD, ids=[f"{i}-{a}" for i, (_, a) in enumerate(BAD)])
def test_bad_hyperparameters_name_the_argument(make, argument):
    with pytest.raises(NNCoreError, match=rf"^{argument}: expected"):
        make()


@settings(max_examples=25, deadline=None)
@given(value=st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0), st.just(float("nan"))))
def test_any_coefficient_outside_0_1_is_rejected(value):
    for make, argument in [(lambda: SGD(0.1, momentum=value), "momentum"), (lambda: Adam(beta1=value), "beta1"),
                           (lambda: Adam(beta2=value), "beta2"), (lambda: RMSProp(rho=value), "rho")]:
        if value == 0.0:
            make()  # 0 is allowed: no memory at all
        else:
            with pytest.raises(NNCoreError, match=rf"^{argument}:"):
                make()


def test_decay_comes_from_the_base_class():
    optimizer = Adam(0.1, decay=0.5)
    params = {"w": np.zeros(3)}
    seen = []
    optimizer.update = lambda p, g, state, lr: seen.append(lr)
    for _ in range(4):
        optimizer.step(params, {"w": np.ones(3)})
    assert seen == pytest.approx([0.1, 0.1 / 1.5, 0.1 / 2.0, 0.1 / 2.5])
    assert isinstance(optimizer, Optimizer)


@pytest.mark.parametrize("name, full_size_temporaries", [
    ("SGD", 1), ("SGD momentum", 1), ("SGD nesterov", 1), ("AdaGrad", 0), ("RMSProp", 0), ("Adam", 0)])
def test_a_step_allocates_few_temporaries(name, full_size_temporaries):
    """After the first step (which creates the state), a step reuses its memory."""
    shapes = {"W": (256, 256)}
    params, grads = make_params(shapes), gradient_sequence(shapes, 1)[0]
    optimizer = ALL[name]()
    optimizer.step(params, grads)
    size = params["W"].nbytes
    tracemalloc.start()
    try:
        optimizer.step(params, grads)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < (full_size_temporaries + 0.5) * size


@pytest.mark.parametrize("name", ALL)
def test_repr_shows_the_hyperparameters(name):
    text = repr(ALL[name]())
    assert text.startswith(name.split()[0] + "(") and "lr=" in text


@pytest.mark.parametrize("bad, got", [([1.0, 2.0], "a list"), (0.5, "a float"),
                                      (np.array([1, 2]), "dtype int64")])
def test_parameters_that_cannot_change_in_place_are_refused(bad, got):
    # `p -= ...` on a list or a float would rebind a local name and silently train nothing.
    params = {"w": bad, "v": np.zeros(2)}
    grads = {"w": np.ones(np.shape(bad)), "v": np.ones(2)}
    optimizer = SGD(0.1)
    with pytest.raises(NNCoreError, match=f"^parameter w: expected a float NumPy array.*{got}"):
        optimizer.step(params, grads)
    assert optimizer.iterations == 0 and np.array_equal(params["v"], np.zeros(2))
    with pytest.raises(NNCoreError, match="^optimizer.step: expected two dicts"):
        optimizer.step([np.zeros(2)], [np.ones(2)])
