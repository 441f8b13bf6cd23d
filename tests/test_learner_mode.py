"""Run All as a learner runs it: NNCORE_EXERCISES unset, so the notebooks load the untouched stubs in exercises/.

Every notebook must run to its last cell without an exception: the cells that need an unwritten exercise
say what to write, where, and how to check it (`with nncore.load(NAME) as ex:`), and every other cell runs.
The suite's nbval run covers the same notebooks against the solutions, and tests/test_browser.py Run All of
01 and 04 in real JupyterLab.
"""

import json
from pathlib import Path

import pytest

from nncore.exercises import generated

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Where a notebook's learner run may stop: from this heading on, 07 trains on Fashion-MNIST for about
# 30 s with nncore's own layers only. test_the_rest_of_07_uses_no_exercise checks that it stays so.
STOP_AT = {"07_regularization.ipynb": "## 6. Real images: Fashion-MNIST"}


def code_cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def uses_an_exercise(path):
    return any("nncore.load(" in "".join(c["source"]) for c in code_cells(path))


def test_every_exercise_cell_uses_the_with_form():
    """A cell that calls nncore.load outside `with` would stop Run All at the first unwritten stub."""
    for path in NOTEBOOKS:
        for cell in code_cells(path):
            source = "".join(cell["source"])
            if "nncore.load(" in source:
                assert source.startswith("with nncore.load("), f"{path.name}: {source[:80]!r}"
    assert [p.name for p in NOTEBOOKS if not uses_an_exercise(p)] == ["08_pytorch.ipynb"]


def test_the_rest_of_07_uses_no_exercise():
    cells = json.loads((ROOT / "notebooks" / "07_regularization.ipynb").read_text())["cells"]
    start = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith(STOP_AT["07_regularization.ipynb"]))
    rest = "".join("".join(c["source"]) for c in cells[start:] if c["cell_type"] == "code")
    assert "nncore.load(" not in rest and "ex." not in rest


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if uses_an_exercise(p)], ids=lambda p: p.stem)
def test_run_all_with_untouched_stubs(path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    changed = [p.name for p, text in generated().items() if not p.exists() or p.read_text() != text]
    if changed:
        pytest.skip(f"exercises/ has your work in it ({', '.join(changed)}); this test needs the untouched stubs")
    monkeypatch.delenv("NNCORE_EXERCISES", raising=False)  # the kernel inherits this environment: a learner's
    nb = nbformat.read(path, as_version=4)
    if path.name in STOP_AT:
        nb.cells = nb.cells[:next(i for i, c in enumerate(nb.cells) if c.source.startswith(STOP_AT[path.name]))]
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()  # raises on any exception

    outputs = ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code"]
    told = [text for text in outputs if "run this cell again" in text]
    assert told, f"{path.name}: no cell said which exercise to write"
    for text in told:
        first, second = text.strip().splitlines()  # two lines: what and where, then how to go on and check
        assert " in exercises/" in first and "is not implemented yet" in first, first
        assert "nncore.check(" in second, second
    for text in outputs:
        assert "Stored output" not in text and "PASS" not in text, text  # nothing borrowed from the reference
    stderr = [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"]
    assert not any("Traceback" in text for text in stderr), stderr
