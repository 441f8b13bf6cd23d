#!/usr/bin/env python3
"""Set up the course and open it, or run its tests. Needs only Python >= 3.10.

    python3 course.py          create .venv if needed, install, get Fashion-MNIST (once), and open
                               JupyterLab at the course folder with the first notebook
    python3 course.py test     create .venv if needed, install, run the whole test suite, then the
                               notebooks again under another CPU's kernels (extra arguments go to
                               pytest instead, e.g. -k perceptron, and skip that second run)

The environment is rebuilt only when requirements.txt changes or the folder has moved,
so a second run starts in seconds. Everything lives in .venv/ beside this file; delete
it to start over. After setup the course needs no network.
"""

import hashlib
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
FIRST_NOTEBOOK = "notebooks/01_perceptron.ipynb"
# JupyterLab's first page: the first notebook open, the file browser at the course folder (not at the
# notebook's own folder), so that it shows notebooks/ and exercises/ side by side.
FIRST_PAGE = f"/lab/tree/{FIRST_NOTEBOOK}?file-browser-path=/"
# JupyterLab's "get notified about official Jupyter news?" pop-up would be the first thing a learner sees.
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


class SetupError(Exception):
    """A setup step failed; the message says what to do."""


def run(*cmd, **kwargs):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def works(*cmd):
    """True if the command runs and exits with 0 (its output is not shown)."""
    try:
        return subprocess.run([str(c) for c in cmd], capture_output=True).returncode == 0
    except OSError:
        return False


def site_packages():
    out = subprocess.run([str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def create_venv(clear):
    print(f"Creating a virtual environment in {VENV} ...", flush=True)
    try:
        venv.EnvBuilder(with_pip=True, clear=clear).create(VENV)
    except Exception as exc:  # ensurepip missing, disk full, no permission: all end the same way
        shutil.rmtree(VENV, ignore_errors=True)  # a half-made .venv would look usable next time
        raise SetupError(
            f"could not create the virtual environment in {VENV} ({type(exc).__name__}: {exc}).\n"
            "On Debian or Ubuntu, install the venv module first: sudo apt install python3-venv\n"
            "Then run this command again.") from None


def setup():
    """Make .venv with the requirements and nncore importable; skip what is already done."""
    if sys.version_info < (3, 10):
        raise SetupError(f"this course needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    # The folder is part of the stamp: a venv's scripts and our .pth file hold absolute paths,
    # so a moved or copied course needs a fresh .venv rather than one pointing at the old place.
    wanted = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest() + " " + str(ROOT)
    stamp = STAMP.read_text().strip() if STAMP.exists() else None
    if stamp == wanted and PYTHON.exists():
        return
    moved = stamp is not None and " " in stamp and not stamp.endswith(" " + str(ROOT))
    if moved or not works(PYTHON, "-m", "pip", "--version"):
        create_venv(clear=VENV.exists())
    try:
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q",
            "-r", ROOT / "requirements.txt")
    except subprocess.CalledProcessError:
        raise SetupError("pip could not install requirements.txt (its messages are above). Check the "
                         "internet connection (or proxy) and free disk space, then run this command again; "
                         f"if it still fails, delete {VENV} and retry.") from None
    # A .pth file puts the repository on sys.path, so `import nncore` works in every
    # notebook and test, and edits to nncore/ take effect without reinstalling.
    (site_packages() / "nncore_course.pth").write_text(str(ROOT) + "\n")
    STAMP.write_text(wanted + "\n")
    print("The course environment is ready.", flush=True)


def fetch_data():
    """Get Fashion-MNIST now (nncore's own loader: checked if present, else downloaded once), so the
    notebooks need no network later. Without one it warns in one line, and setup goes on."""
    subprocess.run([str(PYTHON), "-m", "nncore", "fetch-data"], cwd=ROOT)


def quiet_lab(config_dir):
    """Disable JupyterLab's news pop-up in `config_dir`/labconfig/page_config.json, keeping the file's
    other settings: what `jupyter labextension disable` writes at its default level, the venv's."""
    path = Path(config_dir) / "labconfig" / "page_config.json"
    try:
        config = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        config = {}  # a damaged file: replace it rather than fail to start
    disabled = config.setdefault("disabledExtensions", {})
    if disabled.get(NEWS_PLUGIN) is not True:
        disabled[NEWS_PLUGIN] = True
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(config, indent=2) + "\n")


def free_port():
    """A TCP port on this machine that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(python, root):
    """JupyterLab serving the course folder `root`, opening FIRST_PAGE in the browser."""
    cmd = [str(python), "-m", "jupyterlab", f"--notebook-dir={root}", f"--LabApp.default_url={FIRST_PAGE}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # Jupyter refuses root unless told (containers often run as root)
    return cmd


def main(argv):
    command = argv[0] if argv else "lab"
    if command in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if command not in ("lab", "test"):
        print(f"course.py: unknown command {command!r}.\n{__doc__}", file=sys.stderr)
        return 2
    try:
        setup()
    except SetupError as err:
        print(f"\nSetup failed: {err}", file=sys.stderr)
        return 1
    fetch_data()
    if command == "lab":
        quiet_lab(VENV / "etc" / "jupyter")  # the venv's own Jupyter config folder (sys.prefix level)
        # Our own port and token, so that we can print an address that works: Jupyter appends its token
        # to FIRST_PAGE with a second "?", which leads to the login page. The root address with the token
        # logs in and then redirects to FIRST_PAGE. The token goes by the environment, not the command
        # line, where other users of the machine could read it.
        port, os.environ["JUPYTER_TOKEN"] = free_port(), secrets.token_hex(24)
        lab = lab_command(PYTHON, ROOT) + [f"--port={port}", "--ServerApp.log_level=WARN"]
        print(f"\nThe course opens in your browser at http://localhost:{port}/?token={os.environ['JUPYTER_TOKEN']}\n"
              "(if no browser opens, paste that address into one). Stop JupyterLab with Ctrl+C.\n", flush=True)
        if os.name == "nt":
            # Windows has no real exec: os.execv would start a second process and lose the
            # quoting of paths with spaces. A child process that we wait for has neither problem.
            return subprocess.call(lab)
        os.execv(str(PYTHON), lab)
    return run_tests(argv[1:])


# The stand-in for "another CPU": PyTorch's generic kernels and, on x86, OpenBLAS's older Sandybridge
# kernels (elsewhere OpenBLAS would warn about an unknown core). Float32 training rounds differently
# under them, as on another processor, so every stored notebook output not tagged as platform-dependent
# must come out the same.
OTHER_KERNELS = {"ATEN_CPU_CAPABILITY": "default"}
if platform.machine().lower() in ("x86_64", "amd64", "i686", "x86"):
    OTHER_KERNELS["OPENBLAS_CORETYPE"] = "Sandybridge"


def run_tests(pytest_args):
    """The whole suite; then, unless pytest_args narrow it, the notebooks again under OTHER_KERNELS."""
    os.chdir(ROOT)
    status = subprocess.call([str(PYTHON), "-m", "pytest", *pytest_args])
    if status != 0 or pytest_args:
        return status
    print("\nThe notebooks again, under another CPU's kernels "
          f"({' '.join(f'{k}={v}' for k, v in OTHER_KERNELS.items())}): every stored output that is not "
          "tagged float-platform-dependent must be the same.", flush=True)
    return subprocess.call([str(PYTHON), "-m", "pytest", "-q", "notebooks"], env={**os.environ, **OTHER_KERNELS})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
