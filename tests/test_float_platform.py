"""The record behind conftest.py's platform rule for notebook cells whose numbers depend on the CPU's kernels."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

from nncore.notebook import FLOAT_PLATFORM_TAG, cpu_name, float_platform

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("course_for_platform_tests", ROOT / "course.py")
course = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def tagged_cells(path):
    nb = json.loads(path.read_text())
    return nb, [c for c in nb["cells"] if FLOAT_PLATFORM_TAG in c.get("metadata", {}).get("tags", [])]


def test_float_platform_names_the_cpu_numpy_blas_and_torch():
    text = float_platform()
    assert cpu_name() in text and cpu_name()
    assert f"numpy {np.__version__}" in text
    assert f"torch {torch.__version__} {torch.backends.cpu.get_cpu_capability()}" in text
    assert text == float_platform()  # the same string each time, or nothing would ever be compared


def test_the_other_kernels_of_course_test_are_another_platform():
    # The second notebook run of `python3 course.py test` relaxes the tagged cells only because its
    # platform string differs; if it did not, that run would compare them and fail for no reason.
    code = "from nncore.notebook import float_platform; print(float_platform())"
    other = subprocess.run([sys.executable, "-c", code], env={**os.environ, **course.OTHER_KERNELS},
                           capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()
    assert other != float_platform()
    assert "DEFAULT" in other


def test_notebooks_with_tagged_cells_record_where_they_were_executed():
    tagged = {}
    for path in NOTEBOOKS:
        nb, cells = tagged_cells(path)
        if cells:
            tagged[path.name] = nb["metadata"].get("nncore", {}).get("float_platform")
    assert {"07_regularization.ipynb", "08_pytorch.ipynb"} <= set(tagged), \
        "the float32 training cells of notebooks 07 (NumPy) and 08 (PyTorch) should carry the tag"
    missing = [name for name, stored in tagged.items() if not stored or "torch" not in stored]
    assert not missing, f"re-run `python -m nncore execute` on {missing}: their platform record is missing or old"


def test_tagged_torch_cells_still_assert_what_the_prose_claims():
    # Their digits are not compared elsewhere, so each must guard its claim with a range.
    _, cells = tagged_cells(ROOT / "notebooks" / "08_pytorch.ipynb")
    assert len(cells) == 3
    for cell in cells:
        assert "assert " in "".join(cell["source"]), "".join(cell["source"])[:200]


def test_course_test_runs_the_notebooks_again_under_the_other_kernels(monkeypatch):
    calls = []
    monkeypatch.setattr(course.os, "chdir", lambda path: None)
    monkeypatch.setattr(course.subprocess, "call", lambda cmd, **kw: calls.append((cmd, kw.get("env"))) or 0)
    assert course.run_tests([]) == 0
    (first, first_env), (second, second_env) = calls
    assert first[-2:] == ["-m", "pytest"] and first_env is None
    assert second[-1] == "notebooks" and second_env is not None
    assert all(second_env[k] == v for k, v in course.OTHER_KERNELS.items())


def test_course_test_stops_after_a_failure_and_when_told_what_to_run(monkeypatch):
    calls = []
    monkeypatch.setattr(course.os, "chdir", lambda path: None)
    monkeypatch.setattr(course.subprocess, "call", lambda cmd, **kw: calls.append(cmd) or 1)
    assert course.run_tests([]) == 1 and len(calls) == 1  # the first run failed: no second run
    monkeypatch.setattr(course.subprocess, "call", lambda cmd, **kw: calls.append(cmd) or 0)
    assert course.run_tests(["-k", "perceptron"]) == 0 and calls[-1][-2:] == ["-k", "perceptron"]
    assert len(calls) == 2
