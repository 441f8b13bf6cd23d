"""Run All as a learner runs it: NNCORE_EXERCISES unset, so the notebooks load the untouched stubs in exercises/.

Every notebook must run to its last cell without an exception: the cells that need an unwritten exercise
say what to write, where, and how to check it (`with nncore.load(NAME) as ex:`), and every other cell runs.
07's capstone, which needs five exercises, must say which are left and train nothing.
The suite's nbval run covers the same notebooks against the solutions, and tests/test_browser.py Run All of
01 and 04 in real JupyterLab.
"""

import json
from pathlib import Path

import pytest

from nncore.exercises import generated

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Cells a notebook's learner run may skip, from the first heading up to the second: 07's section 6 trains on
# Fashion-MNIST for about 30 s with nncore's own layers only (test_the_skipped_part_of_07_uses_no_exercise checks
# that it stays so). The capstone after it runs: with untouched stubs it must list what is left and train nothing.
SKIP = {"07_regularization.ipynb": ("## 6. Real images: Fashion-MNIST", "## 7. Capstone")}
CAPSTONE = ["backprop", "softmax_cross_entropy", "minibatch", "adam", "dropout"]


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


def skipped(cells, name):
    """(start, end): the range of cells that the learner run of notebook `name` skips, or (0, 0)."""
    if name not in SKIP:
        return 0, 0
    source = ["".join(c["source"]) for c in cells]
    first, until = SKIP[name]
    start = next(i for i, text in enumerate(source) if text.startswith(first))
    return start, next(i for i, text in enumerate(source) if text.startswith(until))


def test_the_skipped_part_of_07_uses_no_exercise():
    cells = json.loads((ROOT / "notebooks" / "07_regularization.ipynb").read_text())["cells"]
    start, end = skipped(cells, "07_regularization.ipynb")
    assert start < end
    rest = "".join("".join(c["source"]) for c in cells[start:end] if c["cell_type"] == "code")
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
    start, end = skipped(nb.cells, path.name)
    nb.cells = nb.cells[:start] + nb.cells[end:]
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
    if path.name == "07_regularization.ipynb":
        capstone_lists_what_is_left(nb)


def capstone_lists_what_is_left(nb):
    """07's capstone with untouched stubs: every exercise it needs, with its notebook and check; nothing trained."""
    from nncore.registry import EXERCISES

    def output(cell_id):
        cell = next(c for c in nb.cells if c.get("id") == cell_id)
        return "".join(o.get("text", "") for o in cell.outputs)

    status = output("capstone-status")
    lines = status.strip().splitlines()
    assert lines[0].startswith(f"The capstone trains on your own code; {len(CAPSTONE)} of its"), status
    assert len(lines) == len(CAPSTONE) + 2, status
    for name, line in zip(CAPSTONE, lines[1:]):
        assert line.split()[:3] == [name, "not", "started"], line
        assert f"notebook {EXERCISES[name].notebook}" in line and f'nncore.check("{name}")' in line, line
    nothing = f"Nothing trained: {', '.join(CAPSTONE)} still to do (the cell above says where)."
    assert output("capstone-train").strip() == nothing
    assert "accuracy" not in status
