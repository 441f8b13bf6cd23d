"""The exercise system's loader, stub generator and check runner.

* ``solutions/NAME.py`` holds the reference code. The parts a learner writes sit
  between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` markers, each with a
  ``# TASK:`` line and three ``# HINT n:`` tiers (nncore.registry describes the format).
* ``exercises/NAME.py`` is generated from it (``python -m nncore generate``):
  each region becomes one ``raise NotImplementedError(...)`` that says what to write
  and how to ask for a hint; the hints stay in solutions/ (nncore.hints shows them on demand).
* ``load(NAME)`` imports the learner's file fresh (so edits count without a
  kernel restart); ``check(NAME)`` runs the exercise's checks on it.
* In a notebook, ``with nncore.load(NAME) as ex:`` runs a cell's code on the
  learner's file; a stub not written yet prints what to write, where, and how to
  check it, instead of stopping the notebook with an exception (see ExerciseModule).

Which folder ``load`` reads is ``exercises/`` unless the environment variable
``NNCORE_EXERCISES=solutions`` says otherwise; the test suite sets it so the
notebooks run against the reference code. Learners never need to touch it.
"""

import importlib.util
import re
import sys
import traceback
import types
from pathlib import Path

from .checks import CheckFailure
from .errors import NNCoreError
from .registry import BEGIN, END, EXERCISES, ROOT, SOURCES, default_source, parse, path_of  # noqa: F401

HEADER = ("# This file is generated from solutions/{file} by `python -m nncore generate`.\n"
          "# It is yours: replace each `raise NotImplementedError(...)` with your code, then check it\n"
          "# with nncore.check(\"{name}\") in a notebook, or in a terminal in the course folder with\n"
          "# `.venv/bin/python -m nncore check {name}` (Windows: .venv\\Scripts\\python).\n"
          "# Stuck? nncore.hint(\"{name}\") (or `... -m nncore hint {name}`) gives the next hint, one at a time.\n"
          "# `... -m nncore reset {name}` restores the original stub (your file is kept as {name}.py.bak).\n")


# --- loading the learner's code ----------------------------------------------------------

def load(name, source=None):
    """Import exercises/NAME.py (or solutions/NAME.py) afresh and return the module.

    The module is an ExerciseModule: `with nncore.load(NAME) as ex:` makes a notebook cell print
    a short message, not a traceback, while the exercise is not written yet.
    """
    path = path_of(name, source)
    if not path.exists():
        raise NNCoreError(f"exercise {name!r}: {path} does not exist. Restore it with "
                          f"nncore.exercises.reset({name!r}) in a notebook, or `python -m nncore reset {name}`.")
    spec = importlib.util.spec_from_file_location(f"nncore_exercise_{name}", path)
    module = importlib.util.module_from_spec(spec)
    module.__class__ = ExerciseModule  # a plain module that can also be used in a `with` statement
    spec.loader.exec_module(module)
    return module


def is_reference(path):
    """True for a file of the reference solutions (solutions/), which the test suite and
    `python -m nncore execute` use in place of the learner's files."""
    return Path(path).parent == ROOT / "solutions"


def stub_message(exc):
    """What a cell prints for an unwritten stub, in two lines: what to write and where, then how
    to go on, get a hint and check (the stub's own message, split where it turns to nncore.hint)."""
    what, _, how = str(exc).partition(" nncore.hint(")
    if how:
        return f"{what}\nWrite your code there, save the file, and run this cell again; nncore.hint({how}"
    names = re.findall(r"exercises/(\w+)\.py", what)  # a stub generated before hints existed
    check = f'; nncore.check("{names[0]}") tests it step by step' if names and names[0] in EXERCISES else ""
    return f"{what}\nWrite your code there, save the file, and run this cell again{check}."


class ExerciseModule(types.ModuleType):
    """An exercise file loaded by load(): a module, and a context manager for notebook cells.

        with nncore.load("perceptron") as ex:
            p = ex.Perceptron(2)
            print(p.train(X, y, epochs=10))

    * A NotImplementedError raised by a stub of this file ends the block with stub_message()
      instead of an exception, so JupyterLab's Run All goes on to the next cell. Every other
      exception (a bug in the learner's code) passes through with its traceback.
    * Run on the reference solutions (NNCORE_EXERCISES=solutions, as when the notebooks' outputs
      are stored), the block first prints one line saying so: a learner who opens a notebook sees
      that its stored outputs are the reference's, not theirs.
    """

    def __enter__(self):
        if is_reference(self.__file__):
            name = Path(self.__file__).name
            print(f"[Stored output, made with the reference solution solutions/{name}. "
                  f"Run this cell to use your exercises/{name}.]")
        return self

    def __exit__(self, etype, exc, tb):
        if not isinstance(exc, NotImplementedError):
            return False
        frames = traceback.extract_tb(tb)
        if not frames or Path(frames[-1].filename) != Path(self.__file__):
            return False  # not raised by a stub of this file: show it as it is
        print(stub_message(exc))
        return True


# --- generating the stubs ----------------------------------------------------------------

def not_written_message(region, file, name):
    """The message of a region's stub: what to write and where, and how to get a hint and check it."""
    return (f"{region.where} in exercises/{file} is not implemented yet: {region.task}. "
            f'nncore.hint("{name}") gives a hint, nncore.check("{name}") checks it.')


def make_stub(text, file, name):
    """Return the learner's version of a solution file's text: each region becomes one raise."""
    out = [HEADER.format(file=file, name=name)]
    for kind, item in parse(text, file):
        if kind == "text":
            out.append(item)
        else:
            out.append(f"{item.indent}raise NotImplementedError({not_written_message(item, file, name)!r})")
    return "\n".join(out) + "\n"


def generated():
    """{exercise file path: the text the generator would write now}, for every exercise."""
    result = {}
    for name in EXERCISES:
        src = ROOT / "solutions" / f"{name}.py"
        result[ROOT / "exercises" / f"{name}.py"] = make_stub(src.read_text(), src.name, name)
    return result


def generate(names=None):
    """Write exercises/ from solutions/ (maintainers). Returns the files that changed."""
    changed = []
    for path, text in generated().items():
        if names and path.stem not in names:
            continue
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
            changed.append(path)
    return changed


# --- checking ------------------------------------------------------------------------------

class Result:
    """What a check found: status is 'passing', 'failing' or 'not started'."""

    def __init__(self, name, path):
        self.name, self.path, self.status = name, path, None
        self.passed_steps, self.message = [], ""

    @property
    def passed(self):
        return self.status == "passing"

    def report(self, compare=None):
        """The report; `compare` is the command that shows the reference next to a passing file."""
        lines = [f"Checking {self.name} ({_shown(self.path)})"]
        lines += [f"  ok    {step}" for step in self.passed_steps]
        if self.status == "passing":
            lines.append(f"PASS: {self.name}: all {len(self.passed_steps)} checks passed.")
            if compare and not is_reference(self.path):
                lines.append(f"Compare your code with the reference solution: {compare}.")
        elif self.status == "not started":
            lines.append(f"NOT STARTED: {self.message}")
        else:
            lines.append(f"FAIL: {self.message}")
        return "\n".join(lines)

    def __repr__(self):
        return f"<Result {self.name}: {self.status}>"


def _shown(path):
    """A path as the learner knows it: relative to the course folder when inside it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _where_in(path, exc):
    """' (exercises/x.py, line 12: `code`)' for the deepest frame inside the learner's file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    if not frames:
        return ""
    f = frames[-1]
    return f" ({_shown(path)}, line {f.lineno}: `{(f.line or '').strip()}`)"


def _advice(exc):
    """What to look at first, by the kind of exception the learner's code raised."""
    if isinstance(exc, NameError):
        return ("A name used on that line is not defined there. Inside a method, the object's arrays are "
                "attributes (self.W1, not W1); a function sees only its arguments and what it defines.")
    if isinstance(exc, AttributeError):
        return ("An attribute is missing: did an earlier method store it on self (self.A2 = ...)? "
                "Check its spelling too.")
    if isinstance(exc, (ValueError, IndexError)):
        return "Check the shapes of the arrays on that line (print(x.shape))."
    if isinstance(exc, TypeError):
        return ("Check the types on that line: a method used without its parentheses, or None where an "
                "array was expected (a function that forgot to return)?")
    return "Print the values that line uses to see which one is not what you expected."


def _learner_error(path, exc):
    """The message for an exception from the learner's file: what, where, and what to try."""
    if isinstance(exc, SyntaxError):  # raised while reading the file, so no frame of it is running
        where = f" ({_shown(path)}, line {exc.lineno}: `{(exc.text or '').strip()}`)" if exc.lineno else ""
        return (f"Python cannot read your file: {type(exc).__name__}: {exc.msg}{where}. Fix that line "
                "(a missing bracket, colon or indentation), save, and check again.")
    where = _where_in(path, exc)
    if not where:  # the check itself failed on a value the learner's code returned
        return (f"the check could not use what your code returned: {type(exc).__name__}: {exc}. "
                "Compare the return values with what the docstrings ask for.")
    return f"your code raised {type(exc).__name__}: {exc}{where}. {_advice(exc)}"


def run_check(name, source=None):
    """Run exercise `name`'s checks on the file in `source`; return a Result (prints nothing)."""
    path = path_of(name, source)
    result = Result(name, path)
    try:
        module = load(name, source)
        EXERCISES[name].check(module, result.passed_steps.append)
        result.status = "passing"
    except NotImplementedError as exc:
        result.status = "not started"
        result.message = str(exc) or f"open {_shown(path)} and fill in the stubs."
    except CheckFailure as exc:
        result.status, result.message = "failing", str(exc)
    except Exception as exc:  # the learner's code raised: say what and where, no traceback
        result.status, result.message = "failing", _learner_error(path, exc)
    return result


def check(name=None, source=None):
    """Check one exercise and print the report, or print a progress table of all of them.

    Run on the reference solutions (as when a notebook's outputs are stored), a passing check prints
    one line that invites the learner to run it, not a PASS they did not earn; a failing one prints
    its full report, so the test suite still sees it.
    """
    if name is not None:
        result = run_check(name, source)
        if result.passed and is_reference(result.path):
            print(f"[Stored output. Run this cell to check your exercises/{name}.py: "
                  f"{len(result.passed_steps)} checks, each saying what is wrong if it fails.]")
        else:
            print(result.report(compare=f'nncore.solution("{name}")'))
        return
    print(progress_table(source, 'nncore.check("NAME")'))


def progress_table(source=None, details='nncore.check("NAME")'):
    """The progress table of all exercises; `details` is the command that checks one of them."""
    rows = [(n, EXERCISES[n].title, run_check(n, source)) for n in EXERCISES]
    width = max(len(n) for n, _, _ in rows)
    lines = [f"Exercises in {(source or default_source())}/:"]
    lines += [f"  {n:<{width}}  {result.status:<11}  {title}" for n, title, result in rows]
    done = sum(r.passed for _, _, r in rows)
    lines.append(f"{done} of {len(rows)} passing. Run `{details}` for details.")
    return "\n".join(lines)


def _python():
    """How to call this Python from the course folder, e.g. `.venv/bin/python`."""
    return str(_shown(Path(sys.executable))) if Path(sys.executable).is_relative_to(ROOT) else "python"


def reset(name):
    """Restore exercises/NAME.py to its generated stub, keeping the learner's file as NAME.py.bak.

    The hints already shown are kept; nncore.hints.reset(NAME) (`python -m nncore reset NAME`) forgets them too.
    """
    path = path_of(name, "exercises")
    stub = generated()[path]
    backup = None
    if path.exists() and path.read_text() != stub:
        backup = path.with_name(path.name + ".bak")
        backup.write_text(path.read_text())
    path.write_text(stub)
    return backup


# --- notebooks -------------------------------------------------------------------------------

def _not_implemented_handler(shell, etype, evalue, tb, tb_offset=None):
    if "exercises/" in str(evalue):
        print(stub_message(evalue))
        return None
    return shell.showtraceback((etype, evalue, tb), tb_offset=tb_offset)


def install_notebook_handler():
    """In IPython, show an untouched stub's NotImplementedError as a short message.

    For a learner's own cells that call a stub outside `with nncore.load(NAME) as ex:`. The exception
    still ends the cell (Run All stops there), so the course's cells use the `with` form.
    """
    try:
        shell = get_ipython()  # noqa: F821  (defined only inside IPython)
    except NameError:
        return False
    shell.set_custom_exc((NotImplementedError,), _not_implemented_handler)
    return True
