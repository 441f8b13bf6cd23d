"""Small data sets and the helpers to prepare them for training.

Toy problems (made in memory, no files):

* :func:`logic_gate` - the 4-row truth tables of OR, AND and XOR.
* :func:`spiral` - interleaved spiral arms, a classic non-linear problem.
* :func:`load_digits` - scikit-learn's bundled 8x8 digits (offline).

Real image data sets, read from IDX files (the MNIST file format):

* :func:`load_fashion_mnist` and :func:`load_mnist` find the four files on
  disk or download them once, checking every file's sha256 first.
* :func:`read_idx` reads one IDX file; :func:`download_file` fetches one URL.

Preparing data:

* :func:`train_val_split` (stratified, seeded), :func:`normalize`,
  :func:`scale_pixels` and :func:`one_hot`.

Shapes follow the rest of nncore: one sample per row, so X is (N, features)
(or (N, 28, 28) for images) and integer class labels y are (N,).
"""

import gzip
import hashlib
import numbers
import os
import struct
import sys
import tempfile
import urllib.request
import zlib
from pathlib import Path

import numpy as np

from nncore.errors import as_array, check_finite, check_labels, check_seed, check_table_size, fail, is_real


# --------------------------------------------------------------------------
# Small argument checks shared by the functions below
# --------------------------------------------------------------------------

def _check_int(value, name, minimum):
    """Return `value` as an int, raising NNCoreError unless it is >= minimum."""
    # bool is a subclass of int in Python, but spiral(classes=True) is a mistake.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        fail(name, f"a whole number >= {minimum}", f"{value!r} ({type(value).__name__})")
    if value < minimum:
        fail(name, f"a whole number >= {minimum}", repr(value))
    return int(value)


def _rng(seed):
    """A NumPy random generator: the same int seed always gives the same numbers.

    seed: None (fresh, unrepeatable randomness), a whole number >= 0, or a np.random.Generator,
    as everywhere in nncore.
    """
    return np.random.default_rng(check_seed(seed, "seed"))


def _check_number(value, name):
    """Return `value` as a float, raising NNCoreError if it is not a finite real number."""
    if not is_real(value):
        fail(name, "a finite number", f"{value!r} ({type(value).__name__})")
    return float(value)


# --------------------------------------------------------------------------
# Toy data sets
# --------------------------------------------------------------------------

_GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
_GATE_OUTPUTS = {
    "or": [0, 1, 1, 1],
    "and": [0, 0, 0, 1],
    "xor": [0, 1, 1, 0],
}


def logic_gate(name):
    """Truth table of a two-input logic gate.

    name: "or", "and" or "xor" (any letter case).
    Returns X float64 (4, 2), rows [0,0], [0,1], [1,0], [1,1], and
    y int64 (4,), the gate's output for each row.

    OR and AND can be learned by a single linear layer; XOR cannot, which is
    why it is the classic first test of a hidden layer.
    """
    valid = ", ".join(repr(gate) for gate in _GATE_OUTPUTS)
    if not isinstance(name, str) or name.lower() not in _GATE_OUTPUTS:
        fail("name", f"one of {valid}", repr(name), "For example logic_gate('xor').")
    # Copies, so a caller who edits X cannot change the next call's table.
    X = _GATE_INPUTS.copy()
    y = np.array(_GATE_OUTPUTS[name.lower()], dtype=np.int64)
    return X, y


def spiral(points_per_class=100, classes=3, noise=0.2, seed=0):
    """Spiral arms, one per class, winding around the origin.

    Returns X float64 (points_per_class * classes, 2) and y int64 (same N,),
    with the classes in blocks (all of class 0 first). The same `seed` always
    gives the same points.

    No straight line separates the arms, so a model needs a hidden layer to
    do well; `noise` (the standard deviation added to each point's angle, in
    radians) makes the task harder.
    """
    n = _check_int(points_per_class, "points_per_class", 1)
    k = _check_int(classes, "classes", 1)
    noise = _check_number(noise, "noise")
    if noise < 0:
        fail("noise", "a number >= 0 (a standard deviation)", repr(noise))
    rng = _rng(seed)

    X = np.zeros((n * k, 2), dtype=np.float64)
    y = np.zeros(n * k, dtype=np.int64)
    for c in range(k):
        rows = slice(c * n, (c + 1) * n)
        radius = np.linspace(0.0, 1.0, n)
        # Each arm sweeps 4 radians, starting where the previous arm started
        # plus 4: that offset is what interleaves the arms.
        angle = np.linspace(c * 4.0, (c + 1) * 4.0, n) + rng.normal(0.0, noise, n)
        X[rows, 0] = radius * np.sin(angle)
        X[rows, 1] = radius * np.cos(angle)
        y[rows] = c
    return X, y


def load_digits():
    """scikit-learn's bundled handwritten digits: 1797 images of 8x8 pixels.

    Returns X float64 (1797, 64), pixel values 0..16 as scikit-learn has them
    (flattened row by row), and y int64 (1797,), the digit 0..9.

    The data ships inside scikit-learn, so this works offline. It is small
    enough to train on in seconds, a good step between toy data and MNIST.
    """
    # Imported here, not at the top, so the rest of nncore works without
    # scikit-learn installed.
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError as error:
        raise ImportError(
            "load_digits needs scikit-learn, which is not installed. "
            "Install it with: pip install scikit-learn") from error
    digits = sklearn_load_digits()
    return digits.data.astype(np.float64), digits.target.astype(np.int64)


# --------------------------------------------------------------------------
# Preparing data
# --------------------------------------------------------------------------

def train_val_split(X, y, val_fraction=0.2, seed=0, stratify=True):
    """Split (X, y) into a training part and a validation part.

    X: (N, ...) samples; y: (N,) labels. Returns
    (X_train, X_val, y_train, y_val); each part is shuffled.

    With stratify=True each class is split on its own, so every class keeps
    the same share in both parts (the validation count of a class is
    val_fraction * its count, rounded half up). Without it, the rows are
    split as one pool. The same seed always gives the same split.
    """
    X = as_array(X, "X")
    y = as_array(y, "y", ndim=1, hint="Labels are one number per sample, shape (N,); for one-hot rows "
                 "pass y.argmax(axis=1).")
    if np.issubdtype(y.dtype, np.inexact):
        check_finite(y, "y")  # a NaN label equals no class, so its row would silently vanish
    if len(X) != len(y):
        fail("y", f"{len(X)} labels, one for each row of X", f"{len(y)} labels",
             "X and y must come from the same samples, in the same order.")
    fraction = _check_number(val_fraction, "val_fraction")
    if not 0.0 < fraction < 1.0:
        fail("val_fraction", "a number between 0 and 1 (exclusive)", repr(val_fraction),
             "0.2 keeps 20% of the samples for validation.")

    rng = _rng(seed)
    n = len(y)
    if stratify:
        train_parts, val_parts = [], []
        for label in np.unique(y):  # sorted, so the order is deterministic
            rows = rng.permutation(np.flatnonzero(y == label))
            n_val = int(fraction * len(rows) + 0.5)
            val_parts.append(rows[:n_val])
            train_parts.append(rows[n_val:])
        # Shuffle again, so the classes are mixed instead of in blocks.
        train = rng.permutation(np.concatenate(train_parts))
        val = rng.permutation(np.concatenate(val_parts))
    else:
        rows = rng.permutation(n)
        n_val = int(fraction * n + 0.5)
        train, val = rows[n_val:], rows[:n_val]

    if len(train) == 0 or len(val) == 0:
        fail("val_fraction", "a fraction that leaves samples in both parts",
             f"{val_fraction!r}, which gives {len(train)} training and {len(val)} "
             f"validation samples out of {n}",
             "Use more samples or a val_fraction nearer 0.5.")
    return X[train], X[val], y[train], y[val]


def normalize(X, mean=None, std=None):
    """Standardise each feature to mean 0 and standard deviation 1.

    X: (N, ...) samples; statistics are taken over axis 0, so mean and std
    have shape X.shape[1:]. Returns (X_norm float64, mean, std).

    Compute the statistics on the training set only, then pass them in for
    the validation and test sets: `X_val, _, _ = normalize(X_val, mean, std)`.
    Using the test set's own statistics would leak information about it.

    A feature that never changes has std 0; it is treated as 1, so the
    feature becomes 0 instead of a division by zero.
    """
    X = check_finite(as_array(X, "X", dtype=np.float64), "X")
    if (mean is None) != (std is None):
        given, missing = ("mean", "std") if std is None else ("std", "mean")
        fail(missing, f"a value too, because {given} was given",
             "None", "Pass both statistics of the training set, or neither.")

    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
    else:
        mean = np.asarray(mean, dtype=np.float64)
        std = np.asarray(std, dtype=np.float64)
        for name, stat in (("mean", mean), ("std", std)):
            if stat.shape != X.shape[1:]:
                fail(name, f"shape {X.shape[1:]} (one value per feature of X)",
                     f"shape {stat.shape}",
                     "Pass the mean and std returned by normalize(X_train).")
        if np.any(std < 0):
            fail("std", "standard deviations >= 0", f"{int(np.sum(std < 0))} negative value(s)")
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std


def scale_pixels(X, max_value=255.0):
    """Scale pixel values to 0..1: returns X / max_value as float32, same shape.

    float32 halves the memory of float64 (MNIST's 60000 images: 188 MB
    instead of 376 MB) and is precise enough for pixels.
    """
    X = check_finite(as_array(X, "X"), "X")
    max_value = _check_number(max_value, "max_value")
    if max_value <= 0:
        fail("max_value", "a number > 0 (the largest possible pixel value)", repr(max_value),
             "Use 255 for 8-bit images, 16 for load_digits.")
    return X.astype(np.float32) / np.float32(max_value)


def one_hot(y, num_classes=None):
    """Turn class labels into one-hot rows.

    y: int labels (N,) in 0..num_classes-1. Returns float64 (N, num_classes)
    with a single 1 per row, in the column of that row's label. When
    num_classes is None it is max(y) + 1.

    Example: one_hot([2, 0], 3) -> [[0, 0, 1], [1, 0, 0]].
    """
    y = check_finite(as_array(y, "y"), "y")
    if num_classes is None:
        # max(..., 1) so that all-negative labels reach check_labels below and
        # get its message instead of a confusing "num_classes" error.
        num_classes = max(int(np.max(y)) + 1, 1)
    num_classes = _check_int(num_classes, "num_classes", 1)
    y = check_labels(y, num_classes, "y", classes_from="num_classes")
    check_table_size(y.size * num_classes, "one_hot: its table of one row per label and one column per class")
    # Row n holds a single 1, in the column of label y[n].
    Y = np.zeros((y.size, num_classes), dtype=np.float64)
    Y[np.arange(y.size), y] = 1.0
    return Y


# --------------------------------------------------------------------------
# IDX files (the format of MNIST and Fashion-MNIST)
# --------------------------------------------------------------------------

# The third header byte says how each number is stored. IDX data is
# big-endian, hence the ">" in each NumPy dtype.
_IDX_DTYPES = {
    0x08: np.dtype(">u1"),  # uint8
    0x09: np.dtype(">i1"),  # int8
    0x0B: np.dtype(">i2"),  # int16
    0x0C: np.dtype(">i4"),  # int32
    0x0D: np.dtype(">f4"),  # float32
    0x0E: np.dtype(">f8"),  # float64
}

_GZIP_MAGIC = b"\x1f\x8b"


def read_idx(path):
    """Read an IDX file, gzip-compressed or not, into a NumPy array.

    The layout: two zero bytes, a byte for the number type, a byte for the
    number of dimensions `ndim`, then `ndim` big-endian uint32 sizes, then
    the numbers themselves, big-endian, in C (row-major) order.

    Returns an array whose shape is those sizes, in native byte order; for
    MNIST images that is uint8 (N, 28, 28), for its labels uint8 (N,).

    Compression is recognised by the file's first bytes (gzip files start
    with 1f 8b), not by its name, so a renamed file still reads correctly.
    """
    if not isinstance(path, (str, os.PathLike)):  # open(0) would read, then close, the standard input
        fail("path", "a file name as a str or a pathlib.Path", f"{path!r} ({type(path).__name__})",
             "For example read_idx('train-images-idx3-ubyte.gz').")
    label = f"IDX file {str(path)!r}"
    try:
        with open(path, "rb") as f:
            data = f.read()
    except (OSError, TypeError, ValueError) as error:  # ValueError: a NUL character in the name
        fail("path", "a readable IDX file", f"{path!r} ({error})",
             "Check the file name and folder.")

    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:  # zlib.error: damaged compressed data
            fail(label, "a complete gzip file", f"a damaged one ({error})",
                 "The file was probably cut off while downloading; delete it and get it again.")

    if len(data) < 4 or data[:2] != b"\x00\x00":
        fail(label, "the IDX header: two zero bytes, a type byte and a dimension byte",
             f"first bytes {data[:4].hex(' ') or '(empty file)'}",
             "This is not an IDX file (MNIST format); check that the right file is used.")
    code, ndim = data[2], data[3]
    if code not in _IDX_DTYPES:
        codes = ", ".join(f"0x{c:02X}" for c in _IDX_DTYPES)
        fail(label, f"a type code among {codes}", f"0x{code:02X}",
             "The file is damaged or is not an IDX file.")
    dtype = _IDX_DTYPES[code]

    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        fail(label, f"a header of {header_size} bytes for {ndim} dimensions",
             f"only {len(data)} bytes in total", "The file is cut off; get it again.")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - header_size
    if actual != expected:
        what = "cut off (truncated)" if actual < expected else "longer than its header says"
        fail(label, f"{expected} bytes of data for shape {shape} of {dtype.name}",
             f"{actual} bytes: the file is {what}", "Delete the file and get it again.")

    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    # astype to native byte order copies, so the result is also writable
    # (np.frombuffer on bytes gives a read-only array).
    return array.astype(dtype.newbyteorder("="))


# --------------------------------------------------------------------------
# Downloading
# --------------------------------------------------------------------------

def _sha256_of(path):
    """Hex sha256 of a file, read in 1 MiB blocks so big files fit in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress_bar(total, description):
    """A tqdm progress bar when tqdm is installed and we print to a terminal.

    Returns None otherwise: progress bars only clutter logs and test output.
    """
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc=description, leave=False)


def download_file(url, dest, sha256, timeout=30):
    """Download `url` to the file `dest`, checking its sha256 on the way.

    sha256: the expected hex digest, or None to skip the check.
    Returns `dest` as a Path.

    The bytes go to a temporary file in the same folder first, and only a
    file whose sha256 matches is moved into place (os.replace, which is
    atomic). So `dest` is never a half-downloaded or wrong file, even if the
    download is interrupted.

    Raises NNCoreError on a checksum mismatch (nothing is written), and
    OSError (such as urllib.error.URLError or TimeoutError) when the server
    cannot be reached.
    """
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        fail("url", "an http:// or https:// address as a string", repr(url))
    if sha256 is not None:
        is_hex = isinstance(sha256, str) and all(ch in "0123456789abcdef" for ch in sha256.lower())
        if not (is_hex and len(sha256) == 64):
            fail("sha256", "64 hexadecimal digits, or None to skip the check", repr(sha256))
    timeout = _check_number(timeout, "timeout")
    if timeout <= 0:
        fail("timeout", "a number of seconds > 0", repr(timeout))

    if not isinstance(dest, (str, os.PathLike)):
        fail("dest", "a file name as a str or a pathlib.Path", f"{dest!r} ({type(dest).__name__})")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Same folder as dest: os.replace can only move atomically within one file system.
    handle, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            total = response.length  # None when the server does not say
            bar = _progress_bar(total, dest.name)
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
                digest.update(block)
                if bar is not None:
                    bar.update(len(block))
            if bar is not None:
                bar.close()
        actual = digest.hexdigest()
        if sha256 is not None and actual != sha256.lower():
            fail("sha256", f"{sha256.lower()} for {url}", actual,
                 f"The downloaded file is not the expected one (damaged or changed on the "
                 f"server), so it was deleted and nothing was written to {dest.parent}.")
        os.replace(temp_name, dest)
    except BaseException:
        # Any failure (bad checksum, network error, Ctrl-C): leave no temp file behind.
        if os.path.exists(temp_name):
            os.remove(temp_name)
        raise
    return dest


# --------------------------------------------------------------------------
# MNIST and Fashion-MNIST
# --------------------------------------------------------------------------

# The four files, in the order the loaders use them.
IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

# For each data set: the mirrors to download from (tried in order), the
# accepted sha256 values of each file, and folders where an operating-system
# package installs the files.
#
# A file is used only if its sha256 is one of the listed values. The first
# value is the file exactly as the mirrors serve it; that is the one a
# download must match.
FASHION_MNIST = {
    "name": "fashion-mnist",
    "mirrors": [
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ],
    # Debian's dataset-fashion-mnist package gzips the same IDX data again
    # (new gzip header), so its .gz files have a second, different sha256.
    # Both decompress to identical bytes.
    "sha256": {
        "train-images-idx3-ubyte.gz": (
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",  # mirrors
            "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",  # Debian
        ),
        "train-labels-idx1-ubyte.gz": (
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
        ),
        "t10k-images-idx3-ubyte.gz": (
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
        ),
    },
    "system_dirs": ["/usr/share/datasets/fashion-mnist"],
    "install_hint": "on Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist",
}

MNIST = {
    "name": "mnist",
    "mirrors": [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
    ],
    "sha256": {
        "train-images-idx3-ubyte.gz": (
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        ),
        "train-labels-idx1-ubyte.gz": (
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        ),
        "t10k-images-idx3-ubyte.gz": (
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        ),
    },
    "system_dirs": [],
    "install_hint": None,
}


def _cache_dir(name):
    """Folder where downloaded files of data set `name` are kept.

    $NNCORE_DATA/<name> when the NNCORE_DATA environment variable is set,
    else ~/.cache/nncore/<name>. Each data set has its own folder because
    MNIST and Fashion-MNIST use the same file names.
    """
    root = os.environ.get("NNCORE_DATA")
    base = Path(root) if root else Path.home() / ".cache" / "nncore"
    return base / name


def _no_data_error(name, files, looked_in, target, reason, install_hint):
    """Raise the NNCoreError that says where we looked and how to get the data."""
    places = "; ".join(looked_in)
    ways = [install_hint] if install_hint else []
    ways += ["run once with internet access and download=True",
             f"or put the files {', '.join(files)} into {target}"]
    fail(f"{name} files", f"the {len(files)} files in one of: {places}", reason,
         "To get the data: " + "; ".join(ways) + ".")


def _load_idx_dataset(name, files, *, mirrors, checksums, data_dir=None,
                      download=True, system_dirs=(), install_hint=None):
    """Find, check, maybe download, and read the IDX files of one data set.

    files: (train images, train labels, test images, test labels) file names.
    mirrors: base URLs; a file's URL is mirror + file name.
    checksums: {file name: tuple of accepted sha256 values, the first being
    what the mirrors serve}, or None to skip checksums and trust the IDX
    header checks of read_idx alone.

    Where each file is looked for, in order: `data_dir` if given, else the
    cache folder (see _cache_dir); then each of `system_dirs` (read-only
    folders of OS packages). A missing file is downloaded into the first
    folder when `download` is true; a file there with a wrong sha256 is
    downloaded again, or reported when downloading is off.

    Returns ((X_train, y_train), (X_test, y_test)): images uint8 (N, rows,
    cols) and labels int64 (N,).
    """
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        fail("data_dir", "None (the cache folder) or a folder name as a str or a pathlib.Path",
             f"{data_dir!r} ({type(data_dir).__name__})")
    target = Path(data_dir) if data_dir is not None else _cache_dir(name)
    folders = [target] + [Path(folder) for folder in system_dirs]
    looked_in = [str(folder) for folder in folders]

    def accepted(file_name):
        return None if checksums is None else checksums[file_name]

    def is_good(path, file_name):
        return accepted(file_name) is None or _sha256_of(path) in accepted(file_name)

    paths = {}
    for file_name in files:
        # 1. A good copy already on disk?
        for folder in folders:
            path = folder / file_name
            if path.is_file() and is_good(path, file_name):
                paths[file_name] = path
                break
        if file_name in paths:
            continue

        # 2. A bad copy where we download to: never use it.
        bad = target / file_name
        if bad.is_file() and not download:
            fail(f"{name} file {str(bad)!r}",
                 f"sha256 {accepted(file_name)[0]}", _sha256_of(bad),
                 "The file is damaged or is a different file. Delete it and call again "
                 "with download=True, or replace it with a good copy.")

        # 3. Download it (this also replaces a bad copy, atomically).
        if not download:
            _no_data_error(name, files, looked_in, target,
                           f"no {file_name} and download=False", install_hint)
        expected = None if checksums is None else accepted(file_name)[0]
        errors = []
        for mirror in mirrors:
            url = mirror + file_name
            try:
                paths[file_name] = download_file(url, target / file_name, expected)
                break
            except OSError as error:  # URLError, HTTPError, timeouts: try the next mirror
                errors.append(f"{url}: {error}")
        if file_name not in paths:
            _no_data_error(name, files, looked_in, target,
                           f"no {file_name}, and downloading failed ("
                           + "; ".join(errors or ["no mirrors given"]) + ")", install_hint)

    train_images, train_labels, test_images, test_labels = (read_idx(paths[f]) for f in files)
    return (_check_pair(train_images, train_labels, paths, files[:2]),
            _check_pair(test_images, test_labels, paths, files[2:]))


def _check_pair(images, labels, paths, pair):
    """Check an image file and its label file belong together; return (X, y)."""
    images_name, labels_name = pair
    if images.ndim != 3 or images.dtype != np.uint8:
        fail(f"images in {paths[images_name]}", "uint8 images of shape (N, rows, cols)",
             f"{images.dtype} of shape {images.shape}", "Check that the file names are not swapped.")
    if labels.ndim != 1:
        fail(f"labels in {paths[labels_name]}", "labels of shape (N,)",
             f"shape {labels.shape}", "Check that the file names are not swapped.")
    if len(images) != len(labels):
        fail(f"labels in {paths[labels_name]}", f"{len(images)} labels, one per image",
             f"{len(labels)} labels", "The two files come from different data sets; get both again.")
    return images, labels.astype(np.int64)


def _load_known(spec, data_dir, download):
    return _load_idx_dataset(
        spec["name"], IDX_FILES, mirrors=spec["mirrors"], checksums=spec["sha256"],
        data_dir=data_dir, download=download, system_dirs=spec["system_dirs"],
        install_hint=spec["install_hint"])


def load_fashion_mnist(data_dir=None, download=True):
    """Fashion-MNIST: 28x28 grey images of 10 kinds of clothing.

    Returns ((X_train, y_train), (X_test, y_test)) with X_train uint8
    (60000, 28, 28), y_train int64 (60000,), X_test uint8 (10000, 28, 28),
    y_test int64 (10000,). Labels 0..9 are: T-shirt/top, Trouser, Pullover,
    Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.

    Files are looked for in `data_dir` if given, else in the cache folder
    ($NNCORE_DATA/fashion-mnist or ~/.cache/nncore/fashion-mnist), then in
    /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist
    package). Missing files are downloaded (if `download`) into `data_dir`
    or the cache folder. Every file's sha256 is checked before use.

    Scale the pixels before training: scale_pixels(X_train).
    """
    return _load_known(FASHION_MNIST, data_dir, download)


def load_mnist(data_dir=None, download=True):
    """MNIST: 28x28 grey images of handwritten digits 0..9.

    Returns ((X_train, y_train), (X_test, y_test)) with the same shapes and
    types as load_fashion_mnist. Files are looked for in `data_dir` if
    given, else in the cache folder ($NNCORE_DATA/mnist or
    ~/.cache/nncore/mnist), and downloaded there when missing (if
    `download`). Every file's sha256 is checked before use.
    """
    return _load_known(MNIST, data_dir, download)
