"""What every notebook runs first, and how maintainers re-run notebooks to store their outputs."""

import os
import platform
from pathlib import Path

import numpy as np

from .exercises import ROOT, install_notebook_handler

# Cells with this tag print numbers from float32 training runs, in NumPy or in PyTorch. Their last digits
# depend on the order in which the CPU's kernels add, so the tests compare them only on the platform that
# stored them (float_platform(), recorded by execute()).
FLOAT_PLATFORM_TAG = "float-platform-dependent"


def setup(blas_threads=1):
    """Make a notebook's outputs reproducible and its errors readable.

    * NumPy prints 4 significant decimals, so stored outputs do not depend on the
      last bits of a float.
    * BLAS uses `blas_threads` threads: on a shared 2-core machine one thread is
      both steadier and, for these small matrices, as fast.
    * matplotlib draws inline at a fixed size and resolution.
    * An untouched exercise stub shows two lines saying what to write, in which
      file, and how to get a hint and check it, instead of a traceback.
    """
    np.set_printoptions(precision=4, suppress=True)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(blas_threads)
    except ImportError:
        pass
    import matplotlib
    matplotlib.rcParams.update({"figure.figsize": (6.4, 4.0), "figure.dpi": 80, "axes.grid": True,
                                "grid.alpha": 0.3})
    install_notebook_handler()


def cpu_name():
    """The processor's model name, e.g. "Intel(R) Xeon(R) Processor" or "AMD EPYC 7B13".

    It belongs in float_platform(): PyTorch's CPU build does its float32 matrix products with Intel's
    MKL, which picks its code path from the processor itself, so two CPUs can round differently even
    when every kernel name we can read is the same.
    """
    system = platform.system()
    try:
        if system == "Linux":
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                        return value.strip()
        elif system == "Darwin":
            import subprocess
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True,
                                  text=True, timeout=5).stdout.strip() or platform.processor()
    except (OSError, ValueError):  # an unreadable /proc or no sysctl: fall back to what platform knows
        pass
    return platform.processor() or "unknown CPU"


def float_platform():
    """What decides the last bits of a float32 training run: the CPU, NumPy's BLAS, PyTorch's kernels.

    For example "x86_64 Intel(R) Xeon(R) Processor, numpy 2.4.6, openblas 0.3.31.188.0 SkylakeX,
    torch 2.13.0+cpu AVX512". Two machines with the same string produce the same numbers for the same
    code and seed. The BLAS kernels follow OPENBLAS_CORETYPE and torch's follow ATEN_CPU_CAPABILITY,
    so setting either gives another string, as another CPU would.
    """
    parts = [f"{platform.machine() or 'unknown machine'} {cpu_name()}", f"numpy {np.__version__}"]
    try:
        from threadpoolctl import threadpool_info
        parts += sorted({f"{i['internal_api']} {i.get('version') or ''} {i.get('architecture') or ''}".strip()
                         for i in threadpool_info() if i["user_api"] == "blas"})
    except ImportError:
        parts.append("blas unknown")
    try:
        import torch
        parts.append(f"torch {torch.__version__} {torch.backends.cpu.get_cpu_capability()}")
    except ImportError:
        parts.append("no torch")
    return ", ".join(" ".join(p.split()) for p in parts)


def _is_widget(output):
    """A live widget's view: useless once saved (its state is not stored, and a random id changes
    each run), so it is dropped; a static picture of the same plot follows each widget cell."""
    return "application/vnd.jupyter.widget-view+json" in output.get("data", {})


def _merge_streams(outputs):
    """Join consecutive stdout (or stderr) outputs: a busy kernel splits one print into
    several messages at random, and the stored file should not depend on that."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1]["name"] == out["name"]):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def execute(paths=None, timeout=300):
    """(Maintainers) Run notebooks top to bottom in a fresh kernel and store the outputs.

    Uses the reference solutions (NNCORE_EXERCISES=solutions), as the test suite
    does, and no per-cell timings, so an unchanged notebook stores the same file.
    Records float_platform() in the notebook's metadata, for the cells tagged
    FLOAT_PLATFORM_TAG (see conftest.py).
    """
    import nbformat
    from nbclient import NotebookClient

    os.environ["NNCORE_EXERCISES"] = "solutions"
    paths = [Path(p) for p in paths] if paths else sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nb.metadata.pop("widgets", None)
        nb.metadata["nncore"] = {"float_platform": float_platform()}
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = _merge_streams([o for o in cell.outputs if not _is_widget(o)])
        nbformat.write(nb, path)
        print(f"executed {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
