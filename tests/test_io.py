"""Saving and loading parameters: an exact round trip, no pickle, clear errors on a mismatch."""

import numpy as np
import pytest

from nncore import Dense, NNCoreError, ReLU, Sequential
from nncore.io import load_parameters, save_parameters


def mlp(seed, hidden=8):
    return Sequential([Dense(4, hidden, seed=seed), ReLU(), Dense(hidden, 3, seed=seed + 1)])


def test_round_trip_is_exact_and_in_place(tmp_path):
    a, b = mlp(0), mlp(1)
    X = np.random.default_rng(0).standard_normal((5, 4))
    path = save_parameters(a, tmp_path / "model")
    assert path.name == "model.npz"
    W_before = b.layers[0].W
    load_parameters(b, path)
    assert b.layers[0].W is W_before  # the same array object, updated in place
    np.testing.assert_array_equal(a.forward(X), b.forward(X))
    for name, p in a.parameters().items():
        np.testing.assert_array_equal(p, b.parameters()[name])


def test_files_are_plain_arrays_without_pickle(tmp_path):
    path = save_parameters(mlp(0), tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as saved:
        assert sorted(saved.files) == ["layers[0].W", "layers[0].b", "layers[2].W", "layers[2].b"]


def test_wrong_shapes_are_named(tmp_path):
    path = save_parameters(mlp(0, hidden=8), tmp_path / "m.npz")
    with pytest.raises(NNCoreError, match=r"layers\[0\]\.W: model \(4, 16\), file \(4, 8\)"):
        load_parameters(mlp(0, hidden=16), path)


def test_wrong_architecture_lists_missing_names(tmp_path):
    path = save_parameters(mlp(0), tmp_path / "m.npz")
    deeper = Sequential([Dense(4, 8), ReLU(), Dense(8, 3), ReLU(), Dense(3, 3)])
    with pytest.raises(NNCoreError, match=r"missing \['layers\[4\]\.W', 'layers\[4\]\.b'\]"):
        load_parameters(deeper, path)


def test_pickled_objects_are_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, **{"layers[0].W": np.array([object()], dtype=object)})
    assert_refused_and_unchanged(mlp(0), path, "not a plain .npz of arrays: it holds Python objects")


def test_missing_file(tmp_path):
    with pytest.raises(NNCoreError, match="no file at .*nope.npz. Check the folder"):
        load_parameters(mlp(0), tmp_path / "nope.npz")
    with pytest.raises(NNCoreError, match=r"no file at .*nope nor at .*nope\.npz"):
        load_parameters(mlp(0), tmp_path / "nope")


def test_load_adds_npz_like_save(tmp_path):
    a, b = mlp(0), mlp(1)
    save_parameters(a, tmp_path / "run")  # writes run.npz
    load_parameters(b, tmp_path / "run")
    np.testing.assert_array_equal(b.layers[0].W, a.layers[0].W)


def assert_refused_and_unchanged(model, path, match):
    before = {name: p.copy() for name, p in model.parameters().items()}
    with pytest.raises(NNCoreError, match=match) as info:
        load_parameters(model, path)
    assert info.value.__context__ is None  # our message only, not NumPy's traceback and its allow_pickle advice
    assert "allow_pickle" not in str(info.value)
    for name, p in model.parameters().items():
        np.testing.assert_array_equal(p, before[name])


def test_files_that_are_not_npz_are_refused_clearly(tmp_path):
    np.save(tmp_path / "one.npy", np.ones((4, 8)))
    assert_refused_and_unchanged(mlp(0), tmp_path / "one.npy", r"^load_parameters path: .*\.npy file with a single")
    assert_refused_and_unchanged(mlp(0), tmp_path, "which is a folder")
    (tmp_path / "notes.txt").write_text("not an array")
    assert_refused_and_unchanged(mlp(0), tmp_path / "notes.txt", "which is not a .npz file")
    whole = save_parameters(mlp(0), tmp_path / "whole.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(whole[: len(whole) // 2])
    assert_refused_and_unchanged(mlp(0), tmp_path / "cut.npz", "which is not a .npz file")


def test_non_numeric_arrays_are_refused_before_anything_is_copied(tmp_path):
    model = mlp(0)
    arrays = {name: p + 1.0 for name, p in model.parameters().items()}
    arrays["layers[2].b"] = np.full((1, 3), "x")  # the last one: the first three would be copied without the check
    np.savez(tmp_path / "m.npz", **arrays)
    assert_refused_and_unchanged(model, tmp_path / "m.npz", r"layers\[2\]\.b \(<U1\) does not hold numbers")


def test_float64_file_loads_into_a_float32_model(tmp_path):
    path = save_parameters(mlp(0), tmp_path / "m.npz")
    small = Sequential([Dense(4, 8, dtype=np.float32), ReLU(), Dense(8, 3, dtype=np.float32)])
    load_parameters(small, path)
    assert small.layers[0].W.dtype == np.float32
    np.testing.assert_allclose(small.layers[0].W, mlp(0).layers[0].W, rtol=1e-6)
