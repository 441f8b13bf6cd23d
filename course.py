#!/usr/bin/env python3
"""Set up the course and open it, or run its tests. Needs only Python >= 3.10.

    python3 course.py          create .venv if needed, install, open JupyterLab at notebooks/
    python3 course.py test     create .venv if needed, install, run the whole test suite
                               (extra arguments go to pytest, e.g. -k perceptron)

The environment is rebuilt only when requirements.txt changes, so a second run
starts in seconds. Everything lives in .venv/ beside this file; delete it to start over.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def run(*cmd, **kwargs):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def site_packages():
    out = subprocess.run([str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def setup():
    """Make .venv with the requirements and nncore importable; skip what is already done."""
    if sys.version_info < (3, 10):
        sys.exit(f"This course needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q",
        "-r", ROOT / "requirements.txt")
    # A .pth file puts the repository on sys.path, so `import nncore` works in every
    # notebook and test, and edits to nncore/ take effect without reinstalling.
    (site_packages() / "nncore_course.pth").write_text(str(ROOT) + "\n")
    STAMP.write_text(wanted + "\n")
    print("The course environment is ready.", flush=True)


def main(argv):
    command = argv[0] if argv else "lab"
    if command not in ("lab", "test"):
        sys.exit(__doc__)
    setup()
    if command == "lab":
        lab = [str(PYTHON), "-m", "jupyter", "lab", f"--notebook-dir={ROOT / 'notebooks'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            lab.append("--allow-root")  # Jupyter refuses root unless told (containers often run as root)
        os.execv(str(PYTHON), lab)
    os.chdir(ROOT)
    return subprocess.call([str(PYTHON), "-m", "pytest", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
