"""Hints on demand: the stubs hold no solution code, every part has three tiers that are not the
solution either, hint() reveals them in order and remembers it, solution() waits until it is earned,
and the exercise system imports in one direction."""

import ast
import io
import json
import os
import re
import subprocess
import sys
import tokenize

import pytest

from nncore import exercises, hints
from nncore.exercises import ROOT, not_written_message, run_check
from nncore.registry import EXERCISES, parse, regions

NAMES = list(EXERCISES)


@pytest.fixture(autouse=True)
def hint_state(tmp_path, monkeypatch):
    """Every test gets its own hint file: the learner's exercises/.hints.json is never touched."""
    path = tmp_path / "hints.json"
    monkeypatch.setattr(hints, "STATE_PATH", path)
    return path


def squeeze(text):
    """Text without any whitespace, so that a line is found however it is spaced or wrapped."""
    return re.sub(r"\s+", "", text)


def solution_code_lines(name):
    """The code lines of the regions of solutions/NAME.py: not comments, at least 8 characters."""
    lines = [squeeze(line) for region in regions(name) for line in region.code]
    return [line for line in lines if len(line) >= 8 and not line.startswith("#")]


def prose_and_code(text):
    """(the strings and comments of Python source, the rest of it), each as one string."""
    prose, code = [], []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        (prose if tok.type in (tokenize.STRING, tokenize.COMMENT) else code).append(tok.string)
    return " ".join(prose), " ".join(code)


def given_code(name):
    """The code that solutions/NAME.py gives outside its regions (no strings or comments)."""
    path = ROOT / "solutions" / f"{name}.py"
    text = "\n".join(item for kind, item in parse(path.read_text(), path.name) if kind == "text")
    return squeeze(prose_and_code(text)[1])


# --- the stubs and the tiers --------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_no_solution_code_line_is_in_the_stub(name):
    """Searched everywhere in the stub: docstrings, comments, the messages. A line the file itself gives
    as code outside the regions is no leak (SimpleNN.predict calls self.forward(X), as train does)."""
    stub = (ROOT / "exercises" / f"{name}.py").read_text()
    prose, code = (squeeze(part) for part in prose_and_code(stub))
    given = given_code(name)
    for line in solution_code_lines(name):
        assert line not in prose, f"exercises/{name}.py gives away the solution line {line!r} in a docstring, comment or message"
        assert line not in code or line in given, f"exercises/{name}.py holds the solution line {line!r}"


@pytest.mark.parametrize("name", NAMES)
def test_every_part_has_a_task_and_three_tiers_none_of_them_a_solution_line(name):
    code = solution_code_lines(name)
    for region in regions(name):
        assert region.task, region.where
        assert len(region.tiers) == 3, f"{name}: {region.where} has {len(region.tiers)} tiers"
        for n, tier in enumerate(region.tiers, 1):
            text = squeeze("".join(tier))
            assert len(text) > 40, f"{name}: {region.where}, hint {n} is nearly empty"
            leaked = [line for line in code if line in text]
            assert not leaked, f"{name}: {region.where}, hint {n} contains the solution line(s) {leaked}"


def test_the_hidden_layer_derivative_is_left_to_derive():
    """The one derivation of SimpleNN: no tier, docstring or message states dZ1 as a formula."""
    text = "".join(line for region in regions("simple_nn") for tier in region.tiers for line in tier)
    text += (ROOT / "exercises" / "simple_nn.py").read_text()
    assert not re.search(r"dZ1\s*=\s*\(?\s*dZ2", text) and "1 - A1" not in text and "1-A1" not in text
    forward_tiers = " ".join(" ".join(tier) for tier in regions("simple_nn")[0].tiers)
    assert "from nncore import sigmoid" in forward_tiers and "notebook 02, section 6" in forward_tiers


@pytest.mark.parametrize("name", NAMES)
def test_an_untouched_stub_says_what_to_write_and_how_to_get_a_hint_but_no_hint(name):
    result = run_check(name, "exercises")
    assert result.status == "not started", result.report()
    message = result.message
    assert f'nncore.hint("{name}")' in message and f'nncore.check("{name}")' in message
    assert message == not_written_message(regions(name)[0], f"{name}.py", name)
    for region in regions(name):
        for tier in region.tiers:
            for line in tier:
                assert len(line.strip()) < 25 or squeeze(line) not in squeeze(message), line


def test_the_cell_message_is_two_lines_what_and_how(capsys):
    with exercises.load("dense", "exercises") as ex:
        ex.dense_forward(None, None, None)
    first, second = capsys.readouterr().out.splitlines()
    assert first == ("dense_forward in exercises/dense.py is not implemented yet: "
                     "Z = X W + b for the batch, after checking the shapes of X, W and b.")
    assert second == ('Write your code there, save the file, and run this cell again; '
                      'nncore.hint("dense") gives a hint, nncore.check("dense") checks it.')


# --- hint() ------------------------------------------------------------------------------------------

def test_hints_come_in_order_and_are_remembered(hint_state):
    forward, backward, train = regions("simple_nn")
    for n in (1, 2, 3):
        text = hints.hint_text("simple_nn", source="exercises")
        assert text.startswith(f"Hint {n} of 3 for SimpleNN.forward (simple_nn: the first part of your file")
        assert "\n".join(forward.tiers[n - 1]).splitlines()[0] in text
        assert json.loads(hint_state.read_text()) == {"simple_nn": {"SimpleNN.forward": n}}
    assert "That was the last hint" in text and 'nncore.solution("simple_nn")' in text
    again = hints.hint_text("simple_nn", source="exercises")
    assert again.startswith("You have seen all 3 hints for SimpleNN.forward")
    assert json.loads(hint_state.read_text()) == {"simple_nn": {"SimpleNN.forward": 3}}

    # The state is the file: what another process (or a restarted kernel) wrote is where hints go on.
    hint_state.write_text(json.dumps({"simple_nn": {"SimpleNN.backward": 2}}))
    text = hints.hint_text("simple_nn", "backward", source="exercises")
    assert text.startswith("Hint 3 of 3 for SimpleNN.backward (simple_nn: the part you asked for)")
    assert backward.tiers[2][0] in text
    assert hints.shown("simple_nn") == {"SimpleNN.backward": 3}
    hints.forget("simple_nn")
    assert hints.shown("simple_nn") == {}


def test_a_part_by_name_and_an_unknown_part(hint_state):
    assert hints.hint_text("dense", "DenseLayer.__init__").startswith("Hint 1 of 3 for DenseLayer.__init__")
    with pytest.raises(exercises.NNCoreError, match='"dense_forward", "__init__", "forward"'):
        hints.hint_text("dense", "fwd")
    with pytest.raises(exercises.NNCoreError, match="no such exercise"):
        hints.hint_text("simpel_nn")
    with pytest.raises(exercises.NNCoreError, match="expected the name of a part as a string"):
        hints.hint_text("dense", 2)


def test_parts_with_the_same_method_name_are_named_with_their_class(hint_state):
    # backprop has Dense.backward, ReLU.backward and Network.backward: "backward" alone names none of them.
    text = hints.hint_text("backprop", source="exercises")
    assert "(parts: Dense.forward, Dense.backward, ReLU.forward, ReLU.backward, Network.forward, " \
           "Network.backward)" in text
    with pytest.raises(exercises.NNCoreError, match='"Dense.backward", "ReLU.forward"'):
        hints.hint_text("backprop", "backward", source="exercises")


def test_an_unreadable_state_file_is_no_hints_yet(hint_state):
    hint_state.write_text("{not json")
    assert hints.hint_text("l2", source="exercises").startswith("Hint 1 of 3 for l2_penalty")


def partly_written(tmp_path, name, unwritten):
    """solutions/NAME.py with only the part `unwritten` left as its stub, in tmp_path."""
    path = ROOT / "solutions" / f"{name}.py"
    out = []
    for kind, item in parse(path.read_text(), path.name):
        if kind == "text":
            out.append(item)
        elif item.where == unwritten:
            out.append(f"{item.indent}raise NotImplementedError({not_written_message(item, path.name, name)!r})")
        else:
            out.extend(item.code)
    (tmp_path / f"{name}.py").write_text("\n".join(out) + "\n")
    return tmp_path


def test_without_a_part_the_hint_is_for_the_first_unwritten_then_the_failing_part(tmp_path):
    folder = partly_written(tmp_path, "simple_nn", "SimpleNN.train")
    assert hints.next_part("simple_nn", folder)[0].where == "SimpleNN.train"

    text = (ROOT / "solutions" / "simple_nn.py").read_text()
    (tmp_path / "simple_nn.py").write_text(text.replace("dZ2 = (self.A2 - y) / y.size", "dZ2 = (self.A2 - y)"))
    region, why = hints.next_part("simple_nn", tmp_path)
    assert region.where == "SimpleNN.backward" and why == "the part your check fails at"

    region, result = hints.next_part("simple_nn", "solutions")
    assert region is None and result.passed
    assert hints.hint_text("simple_nn", source="solutions").startswith("simple_nn passes all its checks")


# --- solution() --------------------------------------------------------------------------------------

def test_the_solution_waits_for_a_pass_or_all_the_hints_of_a_part(tmp_path, hint_state):
    reference = [line for line in solution_code_lines("l2")]
    text = hints.solution_text("l2", "exercises")
    assert text.startswith("The reference solution of l2 is not shown yet.")
    assert "now: not started" in text and "l2_penalty 0 of 3" in text
    assert not any(line in squeeze(text) for line in reference)

    for _ in range(3):
        hints.hint_text("l2", "l2_gradient", source="exercises")
    text = hints.solution_text("l2", "exercises")
    assert "=== l2_gradient" in text and "return 2.0 * lam * W" in text  # the part whose hints are all seen
    assert "return float(lam * np.sum(W ** 2))" not in text and "(hidden until your code passes" in text
    assert "yours (exercises/l2.py, line " in text and "raise NotImplementedError" in text

    (tmp_path / "l2.py").write_text((ROOT / "solutions" / "l2.py").read_text().replace("2.0 * lam * W", "lam * W * 2"))
    hints.forget("l2")
    text = hints.solution_text("l2", tmp_path)  # a pass shows every part, without any hint
    assert text.startswith("l2 passes all its checks.")
    assert "return lam * W * 2" in text and "return 2.0 * lam * W" in text
    assert "return float(lam * np.sum(W ** 2))" in text and "HINT" not in text and "BEGIN" not in text


def test_a_passing_check_offers_the_comparison_in_one_line(tmp_path, capsys):
    (tmp_path / "l2.py").write_text((ROOT / "solutions" / "l2.py").read_text())
    exercises.check("l2", tmp_path)
    out = capsys.readouterr().out.splitlines()
    assert out[-2].startswith("PASS: l2") and out[-1] == 'Compare your code with the reference solution: nncore.solution("l2").'
    exercises.check("l2", "solutions")  # a stored output stays the neutral line
    assert "solution(" not in capsys.readouterr().out


def test_reset_forgets_the_hints(hint_state):
    hints.hint_text("l2", source="exercises")
    assert hints.shown("l2") == {"l2_penalty": 1}
    assert hints.reset("l2") is None  # the stub is untouched, so there is nothing to back up
    assert hints.shown("l2") == {}


# --- command line ------------------------------------------------------------------------------------

def cli(*args, state):
    env = {**os.environ, "NNCORE_EXERCISES": "exercises", "NNCORE_HINTS_FILE": str(state)}
    return subprocess.run([sys.executable, "-m", "nncore", *args], cwd=ROOT, capture_output=True, text=True, env=env)


def test_cli_hint_and_solution(hint_state):
    first = cli("hint", "perceptron", state=hint_state)
    assert first.returncode == 0 and first.stdout.startswith("Hint 1 of 3 for Perceptron.forward")
    assert "-m nncore hint perceptron` gives hint 2" in first.stdout  # a terminal gets the terminal command
    second = cli("hint", "perceptron", "train", state=hint_state)
    assert second.stdout.startswith("Hint 1 of 3 for Perceptron.train")
    assert json.loads(hint_state.read_text()) == {"perceptron": {"Perceptron.forward": 1, "Perceptron.train": 1}}
    refused = cli("solution", "perceptron", state=hint_state)
    assert refused.returncode == 0 and "not shown yet" in refused.stdout and "forward 1 of 3" in refused.stdout
    wrong = cli("hint", "perceptron", "nope", state=hint_state)
    assert wrong.returncode == 2 and '"forward", "predict", "train"' in wrong.stderr and "Traceback" not in wrong.stderr


# --- one direction of imports --------------------------------------------------------------------------

def imports_of(path, package):
    """The nncore modules a file imports at its top level, as dotted names."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found |= {f"{module}.{a.name}" for a in node.names}
    return {name for name in found if name.startswith("nncore")}


def test_the_exercise_system_imports_in_one_direction():
    layers = ["nncore.checks", "nncore.registry", "nncore.exercises", "nncore.hints"]  # each may use those before it
    files = {"nncore.registry": ROOT / "nncore" / "registry.py", "nncore.exercises": ROOT / "nncore" / "exercises.py",
             "nncore.hints": ROOT / "nncore" / "hints.py"}
    files.update({f"nncore.checks.{p.stem}" if p.stem != "__init__" else "nncore.checks": p
                  for p in (ROOT / "nncore" / "checks").glob("*.py")})
    for module, path in files.items():
        package = module if path.stem == "__init__" else module.rsplit(".", 1)[0]
        level = next(i for i, layer in enumerate(layers) if module == layer or module.startswith(layer + "."))
        later = {name for name in imports_of(path, package)
                 for layer in layers[level + 1:] if name == layer or name.startswith(layer + ".")}
        assert not later, f"{module} imports {sorted(later)}, which import it: a cycle"
    for module in layers:  # and each imports on its own, in a fresh interpreter
        run = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
