"""Which exercises exist, where their files are, and how a solution file marks the learner's parts.

The exercise system imports in one direction only::

    nncore.checks      CheckFailure, Exercise and the expect_* helpers; one module per exercise
        ^
    nncore.registry    EXERCISES (collected from nncore.checks), file paths, the solution regions
        ^
    nncore.exercises   loader, stub generator, check runner
        ^
    nncore.hints       hint tiers on demand, and the reference code next to the learner's

A solution file marks each part the learner writes as a region::

    def forward(self, X):
        \"\"\"The task, the shapes and the formula, in the notebook's notation.\"\"\"
        ### BEGIN SOLUTION
        # TASK: what to write, in one short phrase (the stub's message says it)
        # HINT 1: the idea, and where the notebook explains it
        # HINT 2: the formula, with shapes
        # HINT 3: the structure, in words or pseudo-code
        #   (a comment line right after a HINT line continues that tier)
        ...the reference code...
        ### END SOLUTION

The stub (exercises/NAME.py) keeps everything outside the regions and replaces each region by one
`raise NotImplementedError(...)`; the TASK and HINT lines stay in solutions/ only.
"""

import importlib
import os
import pkgutil
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .errors import NNCoreError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("exercises", "solutions")

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


def _collect():
    """{name: Exercise} from every module of nncore.checks, in the order the notebooks meet them."""
    found = {}
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        found.update(getattr(module, "EXERCISES", {}))
    return dict(sorted(found.items(), key=lambda item: (item[1].notebook, item[1].order, item[0])))


EXERCISES = _collect()


# --- where the files are ---------------------------------------------------------------------

def default_source():
    """'exercises' (the learner's files) unless NNCORE_EXERCISES says 'solutions'."""
    source = os.environ.get("NNCORE_EXERCISES", "exercises")
    if source not in SOURCES:
        raise NNCoreError(f"NNCORE_EXERCISES: expected one of {SOURCES}, got {source!r}. "
                          "Unset it to use your own files in exercises/.")
    return source


def known(name):
    """Raise NNCoreError, listing the exercises, unless `name` is one of them."""
    if name not in EXERCISES:
        raise NNCoreError(f"exercise {name!r}: there is no such exercise. "
                          f"The exercises are: {', '.join(EXERCISES)}.")


def path_of(name, source=None):
    """The file of exercise `name` in `source`: 'exercises', 'solutions', or any folder path."""
    known(name)
    return ROOT / (source or default_source()) / f"{name}.py"


# --- the regions of a solution file -------------------------------------------------------------

@dataclass
class Region:
    """One part of an exercise that the learner writes."""
    where: str        # the function it sits in, e.g. "SimpleNN.backward" ("module level" outside any)
    task: str         # what to write, in one short phrase
    tiers: list       # the hints, first to last; each a list of lines
    code: list = field(default_factory=list)  # the reference code's lines, as in the file
    indent: str = ""  # the indentation of the markers
    start: int = 0    # line number of BEGIN in the solution file

    @property
    def short(self):
        """The name a learner may use for this part: the function's own name, e.g. "backward"."""
        return self.where.rsplit(".", 1)[-1]


_DEF = re.compile(r"^(\s*)(?:async\s+)?(def|class)\s+(\w+)")
_TIER = re.compile(r"^# HINT (\d+):\s?(.*)$")
_TASK = re.compile(r"^# TASK:\s*(.*)$")


def parse(text, file):
    """Split a solution file's text into ("text", line) and ("region", Region) items, in order.

    Raises NNCoreError, naming the file and line, for markers that do not pair up and for a region
    without its TASK line or with hint tiers that are not numbered 1, 2, 3, ...
    """
    items, scopes, region, header = [], [], None, False
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if region is None:
            m = _DEF.match(line)
            if m and stripped:
                indent = len(m.group(1))
                scopes = [s for s in scopes if s[0] < indent] + [(indent, m.group(3))]
            if stripped == BEGIN:
                indent = line[:len(line) - len(line.lstrip())]
                where = ".".join(s[1] for s in scopes if s[0] < len(indent)) or "module level"
                region, header = Region(where, "", [], [], indent, lineno), True
            elif stripped == END:
                raise NNCoreError(f"solutions/{file}:{lineno}: `{END}` without a `{BEGIN}` before it.")
            else:
                items.append(("text", line))
        elif stripped == END:
            _validate(region, file)
            items.append(("region", region))
            region = None
        elif stripped == BEGIN:
            raise NNCoreError(f"solutions/{file}:{lineno}: a solution region opens inside another one "
                              f"(opened at line {region.start}).")
        elif header and (stripped.startswith("#") or not stripped):
            task, tier = _TASK.match(stripped), _TIER.match(stripped)
            if task:
                region.task = task.group(1).strip()
            elif tier:
                if int(tier.group(1)) != len(region.tiers) + 1:
                    raise NNCoreError(f"solutions/{file}:{lineno}: `# HINT {tier.group(1)}:` in {region.where}; "
                                      f"expected `# HINT {len(region.tiers) + 1}:` (tiers count 1, 2, 3, ...).")
                region.tiers.append([tier.group(2)])
            elif stripped.startswith("# HINT:"):
                raise NNCoreError(f"solutions/{file}:{lineno}: `# HINT:` in {region.where}; number the tiers "
                                  "instead: `# HINT 1:` (the idea), `# HINT 2:` (the formula), `# HINT 3:` (the steps).")
            elif region.tiers and stripped:
                region.tiers[-1].append(stripped[2:] if stripped.startswith("# ") else stripped[1:])
            elif stripped:
                raise NNCoreError(f"solutions/{file}:{lineno}: a comment in {region.where} before its first "
                                  "`# HINT 1:` line; start the region with `# TASK:` and the `# HINT n:` tiers.")
        else:
            header = False
            region.code.append(line)
    if region is not None:
        raise NNCoreError(f"solutions/{file}:{region.start}: `{BEGIN}` has no matching `{END}`.")
    return items


def _validate(region, file):
    if not region.task:
        raise NNCoreError(f"solutions/{file}:{region.start}: the region in {region.where} has no `# TASK:` line "
                          "(what to write, in one short phrase, for the stub's message).")
    if not any(line.strip() for line in region.code):
        raise NNCoreError(f"solutions/{file}:{region.start}: the region in {region.where} has no code.")


def regions(name):
    """The regions of solutions/NAME.py, in file order."""
    known(name)
    path = ROOT / "solutions" / f"{name}.py"
    return [item for kind, item in parse(path.read_text(), path.name) if kind == "region"]
