"""The exercise system: solutions pass, untouched stubs are 'not started', stubs match the generator,
and a wrong implementation gets a message that names what is wrong."""

import subprocess
import sys

import numpy as np
import pytest

from nncore import exercises
from nncore.exercises import ROOT, NNCoreError, make_stub, run_check
from nncore.registry import EXERCISES

NAMES = list(EXERCISES)


def test_every_exercise_has_a_solution_and_a_stub():
    assert {"perceptron", "simple_nn"} <= set(NAMES)
    for name in NAMES:
        assert (ROOT / "solutions" / f"{name}.py").exists(), name
        assert (ROOT / "exercises" / f"{name}.py").exists(), name


@pytest.mark.parametrize("name", NAMES)
def test_solution_passes(name):
    result = run_check(name, "solutions")
    assert result.status == "passing", result.report()
    assert result.passed_steps, "a check with no steps checks nothing"


@pytest.mark.parametrize("name", NAMES)
def test_untouched_stub_is_not_started(name):
    result = run_check(name, "exercises")
    assert result.status == "not started", result.report()
    report = result.report()
    assert f"exercises/{name}.py" in report
    assert "is not implemented yet" in report
    assert "Traceback" not in report


def test_stubs_are_what_the_generator_writes_now():
    stale = [str(p.relative_to(ROOT)) for p, text in exercises.generated().items()
             if not p.exists() or p.read_text() != text]
    assert not stale, f"exercises/ is out of date; run `python -m nncore generate`: {stale}"


def test_stubs_keep_no_solution_code():
    for name in NAMES:
        stub = (ROOT / "exercises" / f"{name}.py").read_text()
        assert exercises.BEGIN not in stub and exercises.END not in stub
        assert "raise NotImplementedError(" in stub


# --- the generator ---------------------------------------------------------------------------

SOLUTION = '''\
class Net:
    def forward(self, X):
        """Docstring stays."""
        ### BEGIN SOLUTION
        # TASK: twice X plus one
        # HINT 1: multiply
        # HINT 2: then add
        #   one to every entry
        # HINT 3: two steps
        Z = X * 2
        return Z + 1
        ### END SOLUTION

    def helper(self):
        return 3


def free(x):
    ### BEGIN SOLUTION
    # TASK: x itself
    # HINT 1: nothing to do
    return x
    ### END SOLUTION
'''


def test_make_stub_replaces_regions_drops_hints_and_names_the_function():
    stub = make_stub(SOLUTION, "net.py", "net")
    assert "Z = X * 2" not in stub and "return x\n" not in stub
    assert "HINT" not in stub and "multiply" not in stub and "TASK" not in stub  # hints come on demand only
    assert ("Net.forward in exercises/net.py is not implemented yet: twice X plus one. "
            'nncore.hint("net") gives a hint, nncore.check("net") checks it.') in stub
    assert "free in exercises/net.py is not implemented yet: x itself." in stub
    assert '"""Docstring stays."""' in stub and "return 3" in stub
    compile(stub, "net.py", "exec")  # the stub is valid Python


def test_make_stub_rejects_broken_markers():
    with pytest.raises(NNCoreError, match="no matching"):
        make_stub("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "f.py", "f")
    with pytest.raises(NNCoreError, match="inside another"):
        make_stub("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n", "f.py", "f")
    with pytest.raises(NNCoreError, match="no `# TASK:` line"):
        make_stub("def f():\n    ### BEGIN SOLUTION\n    # HINT 1: a\n    return 1\n    ### END SOLUTION\n", "f.py", "f")
    with pytest.raises(NNCoreError, match="expected `# HINT 2:`"):
        make_stub("def f():\n    ### BEGIN SOLUTION\n    # TASK: t\n    # HINT 1: a\n    # HINT 3: c\n"
                  "    return 1\n    ### END SOLUTION\n", "f.py", "f")
    with pytest.raises(NNCoreError, match="number the tiers"):
        make_stub("def f():\n    ### BEGIN SOLUTION\n    # TASK: t\n    # HINT: old style\n"
                  "    return 1\n    ### END SOLUTION\n", "f.py", "f")


# --- wrong implementations get precise messages ------------------------------------------------

def broken_copy(tmp_path, name, old, new):
    text = (ROOT / "solutions" / f"{name}.py").read_text()
    assert old in text, f"the solution no longer contains {old!r}; update this test"
    (tmp_path / f"{name}.py").write_text(text.replace(old, new))
    return run_check(name, tmp_path)


def test_missing_one_over_m_fails_the_gradient_check(tmp_path):
    result = broken_copy(tmp_path, "simple_nn", "dZ2 = (self.A2 - y) / y.size", "dZ2 = (self.A2 - y)")
    assert result.status == "failing"
    assert "SimpleNN.backward: gradient check failed for dW" in result.message
    assert "relative error" in result.message and "index" in result.message


def test_wrong_output_shape_is_reported_as_expected_vs_got(tmp_path):
    result = broken_copy(tmp_path, "simple_nn", "        return self.A2\n", "        return self.A2.T\n")
    assert result.status == "failing"
    assert "expected shape (4, 1), got shape (1, 4)" in result.message


def test_exception_in_learner_code_names_the_line_not_a_traceback(tmp_path):
    result = broken_copy(tmp_path, "simple_nn", "self.Z1 = X @ self.W1 + self.b1", "self.Z1 = self.W1 @ X + self.b1")
    assert result.status == "failing"
    assert "your code raised ValueError" in result.message
    assert "simple_nn.py, line" in result.message and "self.W1 @ X" in result.message
    assert "Traceback" not in result.report()


# The table of known mistakes, one row per mistake and the words its message must say, is in
# tests/test_known_mistakes.py.


def test_reset_keeps_the_learners_file_as_a_backup(tmp_path, monkeypatch):
    path = exercises.path_of("l2", "exercises")
    original = path.read_text()
    try:
        path.write_text(original + "\n# my work\n")
        backup = exercises.reset("l2")
        assert path.read_text() == original
        assert backup == path.with_name("l2.py.bak") and backup.read_text().endswith("# my work\n")
        backup.unlink()
        assert exercises.reset("l2") is None  # an untouched stub needs no backup
    finally:
        path.write_text(original)
        path.with_name("l2.py.bak").unlink(missing_ok=True)

def test_training_that_does_not_converge(tmp_path):
    result = broken_copy(tmp_path, "simple_nn", "            self.W2 -= self.learning_rate * self.dW2\n",
                         "            self.W2 += self.learning_rate * self.dW2\n")
    assert result.status == "failing"
    assert "did not converge" in result.message or "differ from the XOR targets" in result.message


def test_unknown_exercise_lists_the_real_ones():
    with pytest.raises(NNCoreError, match="simple_nn"):
        run_check("simpel_nn")


# --- command line and notebook ---------------------------------------------------------------------

def cli(*args):
    return subprocess.run([sys.executable, "-m", "nncore", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**__import__("os").environ, "NNCORE_EXERCISES": "exercises"})


def test_cli_progress_table_and_single_checks():
    table = cli("check")
    assert table.returncode == 0
    for name in NAMES:
        assert name in table.stdout
    assert "not started" in table.stdout and f"0 of {len(NAMES)} passing" in table.stdout
    assert "-m nncore check NAME` for details" in table.stdout  # a terminal gets the terminal command

    ok = cli("check", "simple_nn", "--solutions")
    assert ok.returncode == 0 and "PASS: simple_nn" in ok.stdout

    todo = cli("check", "simple_nn")
    assert todo.returncode == 1 and "NOT STARTED" in todo.stdout and "Traceback" not in todo.stdout + todo.stderr

    wrong = cli("check", "nope")
    assert wrong.returncode == 2 and "perceptron" in wrong.stderr and "Traceback" not in wrong.stderr


def test_cli_generate_check_reports_no_drift():
    result = cli("generate", "--check")
    assert result.returncode == 0, result.stdout


def test_notebook_handler_prints_the_stub_message(capsys):
    printed = []

    class Shell:
        def showtraceback(self, exc_tuple, tb_offset=None):
            printed.append("TRACEBACK")

    try:
        exercises.load("simple_nn", "exercises").SimpleNN(2, 4, 1).forward(None)
    except NotImplementedError as exc:
        stub_error = exc
    exercises._not_implemented_handler(Shell(), NotImplementedError, stub_error, None)
    assert printed == [] and "SimpleNN.forward in exercises/simple_nn.py" in capsys.readouterr().out
    exercises._not_implemented_handler(Shell(), NotImplementedError, NotImplementedError("other"), None)
    assert printed == ["TRACEBACK"]  # errors that are not from a stub keep their traceback


# --- `with nncore.load(NAME) as ex:` in notebook cells ------------------------------------------------

def test_an_unwritten_stub_ends_the_block_with_two_lines_and_no_exception(capsys):
    with exercises.load("perceptron", "exercises") as ex:
        ex.Perceptron(2).forward(np.zeros((1, 2)))
        print("not reached")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("Perceptron.forward in exercises/perceptron.py is not implemented yet: ")
    assert lines[1] == ('Write your code there, save the file, and run this cell again; '
                        'nncore.hint("perceptron") gives a hint, nncore.check("perceptron") checks it.')


def test_other_exceptions_pass_through_the_block(capsys):
    with pytest.raises(NotImplementedError, match="mine"):
        with exercises.load("perceptron", "exercises"):
            raise NotImplementedError("mine")  # not raised by a stub of the exercise file
    with pytest.raises(ValueError):
        with exercises.load("perceptron", "solutions") as ex:
            ex.Perceptron(2).forward(np.zeros((1, 3)))  # a real bug keeps its traceback
    with exercises.load("perceptron", "exercises") as ex:
        pass
    assert ex.Perceptron(2).learning_rate == 0.1  # still the module: the block is optional
    assert "not implemented" not in capsys.readouterr().out


def test_reference_outputs_say_so_and_invite_the_learner(capsys, tmp_path, monkeypatch):
    with exercises.load("perceptron", "solutions") as ex:
        print(ex.Perceptron(2).predict(np.ones((1, 2))))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("[Stored output, made with the reference solution solutions/perceptron.py. "
                      "Run this cell to use your exercises/perceptron.py.]")

    exercises.check("perceptron", "solutions")  # what a stored check cell shows: no borrowed PASS
    out = capsys.readouterr().out
    assert out.startswith("[Stored output. Run this cell to check your exercises/perceptron.py: 5 checks")
    assert "PASS" not in out and "ok " not in out

    exercises.check("perceptron", "exercises")  # the learner's run: the real report
    assert "NOT STARTED: Perceptron.forward in exercises/perceptron.py" in capsys.readouterr().out

    # A reference that fails its checks prints the whole report, so the stored output no longer matches.
    monkeypatch.setattr(exercises, "is_reference", lambda path: True)
    broken_copy(tmp_path, "perceptron", "self.weights += self.learning_rate * error * x_i",
                "self.weights -= self.learning_rate * error * x_i")
    exercises.check("perceptron", tmp_path)
    assert "FAIL: " in capsys.readouterr().out


def test_progress_table_in_a_notebook_names_the_notebook_command(capsys):
    exercises.check(source="exercises")
    assert capsys.readouterr().out.rstrip().endswith('Run `nncore.check("NAME")` for details.')
