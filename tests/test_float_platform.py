"""The record behind conftest.py's platform rule for notebook cells whose numbers depend on the BLAS kernels."""

import json
from pathlib import Path

import numpy as np

from nncore.notebook import FLOAT_PLATFORM_TAG, float_platform

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9]*.ipynb"))


def test_float_platform_names_the_machine_numpy_and_blas():
    text = float_platform()
    assert f"numpy {np.__version__}" in text
    assert text == float_platform()  # the same string each time, or nothing would ever be compared


def test_notebooks_with_tagged_cells_record_where_they_were_executed():
    tagged = {}
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        cells = [c for c in nb["cells"] if FLOAT_PLATFORM_TAG in c.get("metadata", {}).get("tags", [])]
        if cells:
            tagged[path.name] = nb["metadata"].get("nncore", {}).get("float_platform")
    assert "07_regularization.ipynb" in tagged, "notebook 07's Fashion-MNIST cells should carry the tag"
    missing = [name for name, stored in tagged.items() if not stored]
    assert not missing, f"re-run `python -m nncore execute` on {missing}: they have tagged cells but no platform"
