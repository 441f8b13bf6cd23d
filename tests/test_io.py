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
    with pytest.raises(NNCoreError, match="not a plain .npz"):
        load_parameters(mlp(0), path)


def test_missing_file(tmp_path):
    with pytest.raises(NNCoreError, match="no file at"):
        load_parameters(mlp(0), tmp_path / "nope.npz")
