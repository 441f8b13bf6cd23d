"""Tests for nncore.data: toy data, splitting and scaling, IDX files, loaders.

Nothing here touches the real network or the real ~/.cache: every test gets
its own cache folder (NNCORE_DATA points into tmp_path), and downloads are
served by a small HTTP server on 127.0.0.1.
"""

import functools
import gzip
import hashlib
import http.server
import os
import socket
import struct
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import data
from nncore.errors import NNCoreError
from nncore.data import (
    IDX_FILES,
    _load_idx_dataset,
    download_file,
    load_digits,
    load_fashion_mnist,
    logic_gate,
    normalize,
    one_hot,
    read_idx,
    scale_pixels,
    spiral,
    train_val_split,
)

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Give every test its own empty cache folder and no HTTP proxy."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NNCORE_DATA", str(cache))
    # A proxy from the environment would send our 127.0.0.1 requests elsewhere.
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    return cache


# --------------------------------------------------------------------------
# Logic gates, spiral, digits
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name, outputs", [
    ("or", [0, 1, 1, 1]),
    ("and", [0, 0, 0, 1]),
    ("xor", [0, 1, 1, 0]),
    ("XoR", [0, 1, 1, 0]),
])
def test_logic_gate_truth_tables(name, outputs):
    X, y = logic_gate(name)
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert y.dtype == np.int64 and y.shape == (4,)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, outputs)


def test_logic_gate_returns_fresh_arrays():
    X, _ = logic_gate("or")
    X[:] = 7
    assert logic_gate("or")[0].max() == 1


@pytest.mark.parametrize("bad", ["nand", "", 3, None])
def test_logic_gate_unknown_name_lists_valid_names(bad):
    with pytest.raises(NNCoreError) as info:
        logic_gate(bad)
    message = str(info.value)
    assert message.startswith("name:")
    for valid in ("'or'", "'and'", "'xor'"):
        assert valid in message


def test_spiral_shapes_and_classes():
    X, y = spiral(points_per_class=50, classes=4)
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [50, 50, 50, 50])
    # Radii grow from 0 to 1 along each arm.
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)


def test_spiral_is_deterministic_by_seed():
    X1, y1 = spiral(seed=3)
    X2, y2 = spiral(seed=3)
    X3, _ = spiral(seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert spiral()[0].shape == (300, 2)


def test_spiral_without_noise_ignores_seed():
    np.testing.assert_array_equal(spiral(noise=0, seed=1)[0], spiral(noise=0, seed=2)[0])


@pytest.mark.parametrize("kwargs, name", [
    ({"points_per_class": 0}, "points_per_class"),
    ({"points_per_class": 2.5}, "points_per_class"),
    ({"classes": 0}, "classes"),
    ({"classes": True}, "classes"),
    ({"noise": -0.1}, "noise"),
    ({"noise": "a"}, "noise"),
    ({"seed": -1}, "seed"),
    ({"seed": "zero"}, "seed"),
])
def test_spiral_bad_arguments_are_named(kwargs, name):
    with pytest.raises(NNCoreError, match=f"^{name}:"):
        spiral(**kwargs)


def test_load_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16
    assert set(np.unique(y)) == set(range(10))


# --------------------------------------------------------------------------
# train_val_split
# --------------------------------------------------------------------------

def _ids_and_labels(counts):
    """X holds each row's id, so a split can be checked for lost or doubled rows."""
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.arange(len(y)).reshape(-1, 1)
    return X, y


def test_split_default_is_80_20_per_class():
    X, y = _ids_and_labels([20, 30, 50])
    X_train, X_val, y_train, y_val = train_val_split(X, y)
    assert len(X_train) == len(y_train) == 80
    assert len(X_val) == len(y_val) == 20
    np.testing.assert_array_equal(np.bincount(y_val), [4, 6, 10])
    np.testing.assert_array_equal(np.bincount(y_train), [16, 24, 40])
    # Every row lands in exactly one part, with its own label.
    ids = np.concatenate([X_train[:, 0], X_val[:, 0]])
    np.testing.assert_array_equal(np.sort(ids), np.arange(100))
    np.testing.assert_array_equal(y[X_train[:, 0]], y_train)
    np.testing.assert_array_equal(y[X_val[:, 0]], y_val)


def test_split_is_shuffled_and_deterministic_by_seed():
    X, y = _ids_and_labels([50, 50])
    first = train_val_split(X, y, seed=1)
    again = train_val_split(X, y, seed=1)
    other = train_val_split(X, y, seed=2)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])
    # Shuffled: the classes are mixed, not in two blocks.
    y_train = first[2]
    assert np.any(y_train[:40] == 1) and np.any(y_train[40:] == 0)


def test_split_without_stratify():
    X, y = _ids_and_labels([10, 90])
    X_train, X_val, y_train, y_val = train_val_split(X, y, val_fraction=0.25, stratify=False)
    assert (len(X_train), len(X_val)) == (75, 25)
    np.testing.assert_array_equal(np.sort(np.concatenate([X_train, X_val])[:, 0]), np.arange(100))
    # 0.25 * 10 = 2.5 rounds half up, as in the stratified split
    assert len(train_val_split(*_ids_and_labels([5, 5]), val_fraction=0.25, stratify=False)[1]) == 3


def test_split_keeps_feature_shape():
    X = np.zeros((10, 28, 28))
    y = np.arange(10) % 2
    X_train, X_val, _, _ = train_val_split(X, y)
    assert X_train.shape == (8, 28, 28) and X_val.shape == (2, 28, 28)


@pytest.mark.parametrize("X, y, kwargs, name", [
    (np.zeros((10, 2)), np.zeros(9), {}, "y"),
    (np.zeros((10, 2)), np.zeros((10, 2)), {}, "y"),
    (np.zeros((0, 2)), np.zeros(0), {}, "X"),
    (np.zeros((10, 2)), np.zeros(10), {"val_fraction": 0}, "val_fraction"),
    (np.zeros((10, 2)), np.zeros(10), {"val_fraction": 1.0}, "val_fraction"),
    (np.zeros((10, 2)), np.zeros(10), {"val_fraction": 1.5}, "val_fraction"),
    (np.zeros((10, 2)), np.zeros(10), {"val_fraction": "0.2"}, "val_fraction"),
    (np.zeros((2, 2)), np.zeros(2), {"val_fraction": 0.2}, "val_fraction"),  # 0 val rows
    (np.zeros((10, 2)), np.zeros(10), {"seed": 1.5}, "seed"),
])
def test_split_bad_arguments_are_named(X, y, kwargs, name):
    with pytest.raises(NNCoreError, match=f"^{name}:"):
        train_val_split(X, y, **kwargs)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(1, 40), min_size=1, max_size=6),
       fraction=st.floats(0.05, 0.95),
       seed=st.integers(0, 2**32 - 1))
def test_split_stratifies_every_class(counts, fraction, seed):
    X, y = _ids_and_labels(counts)
    expected_val = [int(fraction * c + 0.5) for c in counts]
    if sum(expected_val) in (0, len(y)):
        with pytest.raises(NNCoreError, match="^val_fraction:"):
            train_val_split(X, y, val_fraction=fraction, seed=seed)
        return
    X_train, X_val, y_train, y_val = train_val_split(X, y, val_fraction=fraction, seed=seed)
    k = len(counts)
    np.testing.assert_array_equal(np.bincount(y_val, minlength=k), expected_val)
    np.testing.assert_array_equal(np.bincount(y_train, minlength=k),
                                  np.array(counts) - expected_val)
    np.testing.assert_array_equal(np.sort(np.concatenate([X_train, X_val])[:, 0]),
                                  np.arange(len(y)))


# --------------------------------------------------------------------------
# normalize, scale_pixels, one_hot
# --------------------------------------------------------------------------

def test_normalize_standardises_each_feature():
    rng = np.random.default_rng(0)
    X = rng.normal(5.0, 3.0, size=(200, 3))
    X[:, 2] = 7.0  # a constant feature
    X_norm, mean, std = normalize(X)
    assert X_norm.dtype == np.float64 and mean.shape == std.shape == (3,)
    np.testing.assert_allclose(X_norm.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X_norm[:, :2].std(axis=0), 1.0)
    # Constant feature: std 0 is used as 1, so the feature becomes 0, not NaN.
    assert std[2] == 1.0
    np.testing.assert_array_equal(X_norm[:, 2], 0.0)


def test_normalize_applies_training_statistics():
    X_train = np.array([[0.0, 10.0], [2.0, 30.0]])
    _, mean, std = normalize(X_train)
    X_val_norm, mean2, std2 = normalize(np.array([[1.0, 50.0]]), mean, std)
    np.testing.assert_allclose(X_val_norm, [[0.0, 3.0]])
    np.testing.assert_array_equal(mean2, mean)
    np.testing.assert_array_equal(std2, std)


@pytest.mark.parametrize("kwargs, name", [
    ({"mean": np.zeros(3)}, "std"),
    ({"std": np.ones(3)}, "mean"),
    ({"mean": np.zeros(2), "std": np.ones(3)}, "mean"),
    ({"mean": np.zeros(3), "std": np.ones((3, 1))}, "std"),
    ({"mean": np.zeros(3), "std": -np.ones(3)}, "std"),
])
def test_normalize_bad_statistics_are_named(kwargs, name):
    with pytest.raises(NNCoreError, match=f"^{name}:"):
        normalize(np.ones((4, 3)), **kwargs)


def test_normalize_rejects_nan_and_non_arrays():
    with pytest.raises(NNCoreError, match="^X:"):
        normalize(np.array([[1.0, np.nan]]))
    with pytest.raises(NNCoreError, match="^X:"):
        normalize("not data")


def test_scale_pixels():
    X = np.array([[0, 51, 255]], dtype=np.uint8)
    scaled = scale_pixels(X)
    assert scaled.dtype == np.float32 and scaled.shape == (1, 3)
    np.testing.assert_allclose(scaled, [[0.0, 0.2, 1.0]], rtol=1e-6)
    np.testing.assert_allclose(scale_pixels(np.array([8.0, 16.0]), max_value=16), [0.5, 1.0])
    for bad in (0, -1, "255"):
        with pytest.raises(NNCoreError, match="^max_value:"):
            scale_pixels(X, max_value=bad)


def test_one_hot_basic():
    encoded = one_hot(np.array([2, 0, 1]), 4)
    assert encoded.dtype == np.float64
    np.testing.assert_array_equal(encoded, [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
    assert one_hot([0, 3]).shape == (2, 4)  # num_classes inferred as max + 1


@pytest.mark.parametrize("y, num_classes, name", [
    ([0, 3], 3, "y"),        # label too large
    ([-1, 0], 3, "y"),       # negative label
    ([-2, -1], None, "y"),   # negative, num_classes inferred
    ([0.5, 1.0], 2, "y"),    # not whole numbers
    ([0, np.nan], 2, "y"),
    ([], 2, "y"),
    ([0, 1], 0, "num_classes"),
    ([0, 1], 2.0, "num_classes"),
])
def test_one_hot_bad_labels_are_named(y, num_classes, name):
    with pytest.raises(NNCoreError, match=f"^{name}:"):
        one_hot(y, num_classes)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), num_classes=st.integers(1, 12))
def test_one_hot_round_trip(data, num_classes):
    labels = data.draw(st.lists(st.integers(0, num_classes - 1), min_size=1, max_size=50))
    encoded = one_hot(np.array(labels), num_classes)
    assert encoded.shape == (len(labels), num_classes)
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    np.testing.assert_array_equal(encoded.argmax(axis=1), labels)


# --------------------------------------------------------------------------
# IDX files, written here by hand so the reader is checked against the format
# --------------------------------------------------------------------------

IDX_CODES = {"uint8": 0x08, "int8": 0x09, "int16": 0x0B, "int32": 0x0C,
             "float32": 0x0D, "float64": 0x0E}


def idx_bytes(array):
    """The IDX encoding of `array`: header, then big-endian data."""
    array = np.asarray(array)
    header = bytes([0, 0, IDX_CODES[array.dtype.name], array.ndim])
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_idx(path, array, compress=True):
    raw = idx_bytes(array)
    Path(path).write_bytes(gzip.compress(raw) if compress else raw)
    return Path(path)


@pytest.mark.parametrize("compress", [True, False])
def test_read_idx_images_and_labels(tmp_path, compress):
    images = np.arange(5 * 28 * 28, dtype=np.uint32).reshape(5, 28, 28).astype(np.uint8)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    got_images = read_idx(write_idx(tmp_path / "images", images, compress))
    got_labels = read_idx(write_idx(tmp_path / "labels", labels, compress))
    assert got_images.dtype == np.uint8 and got_images.shape == (5, 28, 28)
    assert got_labels.dtype == np.uint8 and got_labels.shape == (5,)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    got_images[0, 0, 0] = 9  # the result is an ordinary, writable array


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "float32", "float64"])
def test_read_idx_other_number_types(tmp_path, dtype):
    values = (np.arange(12).reshape(3, 4) - 6).astype(dtype) * 3
    if dtype.startswith("float"):
        values = values / 7  # fractions check that the byte order is right
    got = read_idx(write_idx(tmp_path / "values.idx", values.astype(dtype)))
    assert got.dtype == np.dtype(dtype)  # native byte order
    assert got.dtype.isnative
    np.testing.assert_array_equal(got, values.astype(dtype))


def test_read_idx_detects_gzip_by_content_not_name(tmp_path):
    labels = np.array([7, 8], dtype=np.uint8)
    gz_named_raw = write_idx(tmp_path / "labels.raw", labels, compress=True)
    raw_named_gz = write_idx(tmp_path / "labels.gz", labels, compress=False)
    np.testing.assert_array_equal(read_idx(gz_named_raw), labels)
    np.testing.assert_array_equal(read_idx(raw_named_gz), labels)


def test_read_idx_bad_magic(tmp_path):
    path = tmp_path / "not-idx.bin"
    path.write_bytes(b"PK\x03\x04 this is a zip file")
    with pytest.raises(NNCoreError) as info:
        read_idx(path)
    assert "not-idx.bin" in str(info.value) and "50 4b 03 04" in str(info.value)


def test_read_idx_unknown_type_code(tmp_path):
    path = tmp_path / "odd.idx"
    path.write_bytes(bytes([0, 0, 0x07, 1]) + struct.pack(">I", 2) + b"\x01\x02")
    with pytest.raises(NNCoreError, match="odd.idx.*0x07"):
        read_idx(path)


@pytest.mark.parametrize("compress", [True, False])
def test_read_idx_truncated_data(tmp_path, compress):
    raw = idx_bytes(np.zeros((4, 3, 3), dtype=np.uint8))[:-5]  # header says 36 data bytes
    path = tmp_path / "short.idx"
    path.write_bytes(gzip.compress(raw) if compress else raw)
    with pytest.raises(NNCoreError, match=r"short\.idx.*36 bytes.*31 bytes.*truncated"):
        read_idx(path)


def test_read_idx_extra_data_and_short_header(tmp_path):
    path = tmp_path / "long.idx"
    path.write_bytes(idx_bytes(np.zeros(3, dtype=np.uint8)) + b"\x00")
    with pytest.raises(NNCoreError, match="long.idx.*longer than its header says"):
        read_idx(path)
    path = tmp_path / "header.idx"
    path.write_bytes(bytes([0, 0, 0x08, 3, 0, 0, 0, 5]))  # 3 dimensions, only 1 size
    with pytest.raises(NNCoreError, match="header.idx.*header of 16 bytes"):
        read_idx(path)


def test_read_idx_damaged_gzip(tmp_path):
    packed = gzip.compress(idx_bytes(np.arange(1000, dtype=np.int32)))
    path = tmp_path / "cut.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(NNCoreError, match="cut.gz.*gzip"):
        read_idx(path)


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(NNCoreError, match="^path:.*nothing-here"):
        read_idx(tmp_path / "nothing-here")


# --------------------------------------------------------------------------
# Loaders: files on disk, downloads from a local server
# --------------------------------------------------------------------------

def write_fake_dataset(folder, n_train=5, n_test=3):
    """Write the four IDX files of a tiny fake data set; return {file: (sha256,)}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    arrays = [
        rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, size=n_train, dtype=np.uint8),
        rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, size=n_test, dtype=np.uint8),
    ]
    checksums = {}
    for name, array in zip(IDX_FILES, arrays):
        path = write_idx(folder / name, array)
        checksums[name] = (hashlib.sha256(path.read_bytes()).hexdigest(),)
    return arrays, checksums


def load_fake(**kwargs):
    kwargs.setdefault("mirrors", [])
    kwargs.setdefault("download", False)
    return _load_idx_dataset("fake", IDX_FILES, **kwargs)


def test_loader_reads_files_from_data_dir(tmp_path):
    arrays, checksums = write_fake_dataset(tmp_path / "mine")
    (X_train, y_train), (X_test, y_test) = load_fake(checksums=checksums, data_dir=tmp_path / "mine")
    assert X_train.shape == (5, 28, 28) and X_train.dtype == np.uint8
    assert y_train.shape == (5,) and y_train.dtype == np.int64
    assert X_test.shape == (3, 28, 28) and y_test.shape == (3,)
    for got, want in zip((X_train, y_train, X_test, y_test), arrays):
        np.testing.assert_array_equal(got, want)


def test_loader_without_checksums_parses_only(tmp_path):
    write_fake_dataset(tmp_path / "mine")
    (X_train, _), _ = load_fake(checksums=None, data_dir=tmp_path / "mine")
    assert X_train.shape == (5, 28, 28)


def test_loader_uses_system_dirs_after_cache(tmp_path, private_cache):
    arrays, checksums = write_fake_dataset(tmp_path / "system")
    (X_train, _), _ = load_fake(checksums=checksums, system_dirs=[tmp_path / "system"])
    np.testing.assert_array_equal(X_train, arrays[0])
    assert not (private_cache / "fake").exists()  # read in place, nothing copied


def test_loader_rejects_mismatched_counts(tmp_path):
    write_fake_dataset(tmp_path / "mine")
    write_idx(tmp_path / "mine" / IDX_FILES[1], np.zeros(4, dtype=np.uint8))  # 5 images, 4 labels
    with pytest.raises(NNCoreError, match="5 labels, one per image, got 4"):
        load_fake(checksums=None, data_dir=tmp_path / "mine")


def test_loader_reports_bad_file_when_not_downloading(tmp_path):
    _, checksums = write_fake_dataset(tmp_path / "mine")
    (tmp_path / "mine" / IDX_FILES[2]).write_bytes(b"damaged")
    with pytest.raises(NNCoreError) as info:
        load_fake(checksums=checksums, data_dir=tmp_path / "mine")
    message = str(info.value)
    assert IDX_FILES[2] in message and checksums[IDX_FILES[2]][0] in message
    assert "download=True" in message


@pytest.fixture
def http_server(tmp_path):
    """Serve tmp_path/"served" on 127.0.0.1; yields (base URL, folder)."""
    folder = tmp_path / "served"
    folder.mkdir()

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        timeout = 5  # a stuck client cannot hold the server thread for long

        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens, so connecting fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_download_lands_in_cache_and_loads(http_server, private_cache):
    base, served = http_server
    arrays, checksums = write_fake_dataset(served)
    (X_train, y_train), (X_test, y_test) = load_fake(mirrors=[base], checksums=checksums, download=True)
    np.testing.assert_array_equal(X_test, arrays[2])
    assert sorted(os.listdir(private_cache / "fake")) == sorted(IDX_FILES)  # no temp files left
    # Served files gone: the second load needs no network, only the cache.
    for name in IDX_FILES:
        (served / name).unlink()
    (X_again, _), _ = load_fake(checksums=checksums, download=False)
    np.testing.assert_array_equal(X_again, X_train)


def test_download_tries_the_next_mirror(http_server, closed_port_url, tmp_path):
    base, served = http_server
    arrays, checksums = write_fake_dataset(served)
    (_, y_train), _ = load_fake(mirrors=[closed_port_url, base], checksums=checksums,
                                data_dir=tmp_path / "mine", download=True)
    np.testing.assert_array_equal(y_train, arrays[1])
    assert sorted(os.listdir(tmp_path / "mine")) == sorted(IDX_FILES)


def test_corrupt_cached_file_is_downloaded_again(http_server, private_cache):
    base, served = http_server
    arrays, checksums = write_fake_dataset(served)
    cached = private_cache / "fake" / IDX_FILES[0]
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"half a download")
    (X_train, _), _ = load_fake(mirrors=[base], checksums=checksums, download=True)
    np.testing.assert_array_equal(X_train, arrays[0])
    assert cached.read_bytes() == (served / IDX_FILES[0]).read_bytes()


def test_checksum_mismatch_writes_nothing(http_server, private_cache):
    base, served = http_server
    write_fake_dataset(served)
    wrong = {name: ("0" * 64,) for name in IDX_FILES}
    with pytest.raises(NNCoreError) as info:
        load_fake(mirrors=[base], checksums=wrong, download=True)
    message = str(info.value)
    actual = hashlib.sha256((served / IDX_FILES[0]).read_bytes()).hexdigest()
    assert base + IDX_FILES[0] in message  # the URL
    assert "0" * 64 in message and actual in message  # expected and actual sha256
    assert "nothing was written" in message
    assert os.listdir(private_cache / "fake") == []  # not the file, not a temp file


def test_download_file_directly(http_server, tmp_path):
    base, served = http_server
    (served / "hello.txt").write_bytes(b"hello")
    good = hashlib.sha256(b"hello").hexdigest()
    dest = download_file(base + "hello.txt", tmp_path / "out" / "hello.txt", good.upper(), timeout=5)
    assert dest.read_bytes() == b"hello"
    assert download_file(base + "hello.txt", tmp_path / "nocheck.txt", None).read_bytes() == b"hello"
    with pytest.raises(NNCoreError, match="nothing was written"):
        download_file(base + "hello.txt", tmp_path / "bad" / "hello.txt", "f" * 64)
    assert os.listdir(tmp_path / "bad") == []


def test_download_file_http_error_leaves_nothing(http_server, tmp_path):
    base, _ = http_server
    with pytest.raises(OSError):  # urllib.error.HTTPError 404
        download_file(base + "missing.gz", tmp_path / "out" / "missing.gz", None)
    assert os.listdir(tmp_path / "out") == []


@pytest.mark.parametrize("kwargs, name", [
    ({"url": "ftp://example.org/x"}, "url"),
    ({"url": None}, "url"),
    ({"sha256": "abc"}, "sha256"),
    ({"sha256": "g" * 64}, "sha256"),
    ({"timeout": 0}, "timeout"),
])
def test_download_file_bad_arguments_are_named(tmp_path, kwargs, name):
    args = {"url": "http://127.0.0.1:9/x", "dest": tmp_path / "x", "sha256": None, **kwargs}
    with pytest.raises(NNCoreError, match=f"^{name}:"):
        download_file(**args)
    assert not (tmp_path / "x").exists()


def test_offline_says_how_to_get_the_data(closed_port_url, private_cache):
    _, checksums = write_fake_dataset(private_cache.parent / "elsewhere")
    with pytest.raises(NNCoreError) as info:
        load_fake(mirrors=[closed_port_url], checksums=checksums, download=True)
    message = str(info.value)
    assert str(private_cache / "fake") in message  # where it looked and where to put files
    assert closed_port_url in message and "downloading failed" in message
    assert "internet access" in message
    assert not any(name.endswith(".part") for name in os.listdir(private_cache / "fake"))


def test_fashion_mnist_missing_everywhere_mentions_apt(monkeypatch, closed_port_url, private_cache):
    monkeypatch.setitem(data.FASHION_MNIST, "system_dirs", [])
    monkeypatch.setitem(data.FASHION_MNIST, "mirrors", [closed_port_url])
    for download in (False, True):
        with pytest.raises(NNCoreError) as info:
            load_fashion_mnist(download=download)
        message = str(info.value)
        assert "sudo apt-get install dataset-fashion-mnist" in message
        assert str(private_cache / "fashion-mnist") in message


def test_mnist_and_fashion_mnist_constants():
    for spec in (data.MNIST, data.FASHION_MNIST):
        assert set(spec["sha256"]) == set(IDX_FILES)
        for values in spec["sha256"].values():
            assert values and all(len(v) == 64 and int(v, 16) >= 0 for v in values)
        assert spec["mirrors"] and all(m.endswith("/") for m in spec["mirrors"])
    assert data.FASHION_MNIST["mirrors"][0] == "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
    assert data.MNIST["mirrors"][0] == "https://ossci-datasets.s3.amazonaws.com/mnist/"


@pytest.mark.skipif(not DEBIAN_DIR.is_dir(),
                    reason=f"{DEBIAN_DIR} is missing: install the Debian package "
                           "dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist)")
def test_real_fashion_mnist_from_debian_package(private_cache):
    (X_train, y_train), (X_test, y_test) = load_fashion_mnist(download=False)
    assert X_train.shape == (60000, 28, 28) and X_train.dtype == np.uint8
    assert X_test.shape == (10000, 28, 28) and X_test.dtype == np.uint8
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert y_train.dtype == np.int64
    assert y_train.min() == 0 and y_train.max() == 9 and y_test.min() == 0 and y_test.max() == 9
    np.testing.assert_array_equal(np.bincount(y_train), [6000] * 10)
    # The loader only uses files whose sha256 is listed; check that those matched.
    for name in IDX_FILES:
        digest = hashlib.sha256((DEBIAN_DIR / name).read_bytes()).hexdigest()
        assert digest in data.FASHION_MNIST["sha256"][name]
    assert not (private_cache / "fashion-mnist").exists()  # read in place, not copied


def test_split_refuses_nan_labels_and_one_hot_labels_with_fitting_advice():
    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(NNCoreError, match="^y: expected finite numbers"):
        train_val_split(X, np.array([0, 1, np.nan, 1, 0, 1, 0, 1, 0, 1]))
    with pytest.raises(NNCoreError, match=r"y\.argmax\(axis=1\)"):
        train_val_split(X, np.eye(10))


def test_one_hot_blames_num_classes_not_a_model():
    with pytest.raises(NNCoreError, match=r"num_classes = 2\).*Either num_classes is too small"):
        one_hot([0, 3], 2)
