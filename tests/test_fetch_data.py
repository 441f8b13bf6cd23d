"""`python -m nncore fetch-data`, which course.py runs during setup so that the course needs no network later.

Never the real network: the data set is a tiny fake one (its own sha256 values), served on 127.0.0.1,
and the cache is a folder in tmp_path.
"""

import functools
import gzip
import hashlib
import http.server
import socket
import struct
import threading

import numpy as np
import pytest

from nncore import __main__ as cli
from nncore import data


def write_fake_fashion_mnist(folder):
    """The four gzipped IDX files of a 3-image data set; returns {file name: (sha256,)}."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = [np.zeros((3, 28, 28), np.uint8), np.arange(3, dtype=np.uint8),
              np.ones((2, 28, 28), np.uint8), np.arange(2, dtype=np.uint8)]
    checksums = {}
    for name, array in zip(data.IDX_FILES, arrays):
        header = struct.pack(f">BBBB{array.ndim}I", 0, 0, 0x08, array.ndim, *array.shape)
        blob = gzip.compress(header + array.tobytes(), mtime=0)
        (folder / name).write_bytes(blob)
        checksums[name] = (hashlib.sha256(blob).hexdigest(),)
    return checksums


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """Fashion-MNIST replaced by the fake set: mirror, checksums, no system folder, cache in tmp_path."""
    served = tmp_path / "served"
    checksums = write_fake_fashion_mnist(served)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(served)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NNCORE_DATA", str(tmp_path / "cache"))
    monkeypatch.setitem(data.FASHION_MNIST, "mirrors", [f"http://127.0.0.1:{server.server_address[1]}/"])
    monkeypatch.setitem(data.FASHION_MNIST, "sha256", checksums)
    monkeypatch.setitem(data.FASHION_MNIST, "system_dirs", [str(tmp_path / "debian")])
    try:
        yield tmp_path
    finally:
        server.shutdown()
        server.server_close()


def test_downloads_once_then_only_checks(fake, capsys):
    assert cli.main(["fetch-data"]) == 0
    out = capsys.readouterr().out
    assert "downloading about 30 MB, once" in out and "downloaded and sha256 checked" in out
    assert sorted(p.name for p in (fake / "cache" / "fashion-mnist").iterdir()) == sorted(data.IDX_FILES)
    for name in data.IDX_FILES:
        (fake / "served" / name).unlink()  # a second run must not need the server
    assert cli.main(["fetch-data"]) == 0
    assert capsys.readouterr().out.startswith("Fashion-MNIST for notebooks 07 and 08: found on this machine")


def test_debians_package_means_no_download(fake, capsys):
    write_fake_fashion_mnist(fake / "debian")
    for name in data.IDX_FILES:
        (fake / "served" / name).unlink()
    assert cli.main(["fetch-data"]) == 0
    assert "found on this machine" in capsys.readouterr().out
    assert not (fake / "cache" / "fashion-mnist").exists()


def test_without_network_one_warning_line(fake, capsys, monkeypatch):
    with socket.socket() as sock:  # a port where nothing listens: connecting fails at once
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    monkeypatch.setitem(data.FASHION_MNIST, "mirrors", [closed])
    assert cli.main(["fetch-data"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("warning: could not download Fashion-MNIST")
    assert "notebooks 07 and 08 will try again" in captured.err and "Traceback" not in captured.err


def test_a_damaged_cached_file_is_replaced(fake, capsys):
    cached = fake / "cache" / "fashion-mnist" / data.IDX_FILES[0]
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"half a download")
    assert cli.main(["fetch-data"]) == 0
    assert cached.read_bytes() == (fake / "served" / data.IDX_FILES[0]).read_bytes()
