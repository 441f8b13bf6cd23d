"""Hints on demand, one tier at a time, and the reference code next to the learner's once earned.

Each part of an exercise (a region of solutions/NAME.py) has three hint tiers: the idea and where the
notebook explains it, the formula with shapes, and the structure in words. None of them is a line of
the solution.

    nncore.hint("simple_nn")              the next tier for the first part that is not done
    nncore.hint("simple_nn", "backward")  the next tier for that part
    nncore.solution("simple_nn")          the reference next to your code: for every part once your
                                          check passes, or for a part whose three tiers you have seen

Which tiers were shown is kept in exercises/.hints.json (STATE_PATH; the environment variable
NNCORE_HINTS_FILE names another file, as the tests do), so it survives a kernel restart and is shared
with `python -m nncore hint NAME`; `python -m nncore reset NAME` forgets it.
"""

import ast
import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from . import exercises
from .errors import NNCoreError
from .registry import ROOT, known, parse, path_of, regions

STATE_PATH = Path(os.environ.get("NNCORE_HINTS_FILE") or ROOT / "exercises" / ".hints.json")


@dataclass
class Commands:
    """How the learner types the course's commands where the text is shown."""
    hint: str = 'nncore.hint("{name}")'
    hint_part: str = 'nncore.hint("{name}", "{part}")'
    solution: str = 'nncore.solution("{name}")'
    check: str = 'nncore.check("{name}")'


NOTEBOOK = Commands()


def terminal():
    """The commands as typed in a terminal in the course folder."""
    python = exercises._python()
    return Commands(f"`{python} -m nncore hint {{name}}`", f"`{python} -m nncore hint {{name}} {{part}}`",
                    f"`{python} -m nncore solution {{name}}`", f"`{python} -m nncore check {{name}}`")


# --- which tiers were shown ---------------------------------------------------------------------

def _state():
    """{exercise: {part: tiers shown}} from STATE_PATH; a missing or unreadable file is no hints yet."""
    try:
        state = json.loads(STATE_PATH.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _save(state):
    STATE_PATH.parent.mkdir(parents=True, exist_ok=True)
    partial = STATE_PATH.with_name(STATE_PATH.name + ".tmp")
    partial.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    os.replace(partial, STATE_PATH)  # never a half-written file, even if the kernel dies here


def shown(name):
    """{part: number of tiers shown} for exercise `name`."""
    known(name)
    seen = _state().get(name, {})
    return {k: v for k, v in seen.items() if isinstance(v, int)} if isinstance(seen, dict) else {}


def forget(name):
    """Forget which hints of exercise `name` were shown."""
    known(name)
    state = _state()
    if state.pop(name, None) is not None:
        _save(state)


def reset(name):
    """Restore exercises/NAME.py to its stub (keeping the learner's file as NAME.py.bak) and forget its hints."""
    backup = exercises.reset(name)
    forget(name)
    return backup


# --- which part a hint is for -----------------------------------------------------------------------

def _label(region, parts):
    """How to name a part to nncore.hint: its method name, or Class.method where another class has one
    of the same name (backprop has Dense.backward, ReLU.backward and Network.backward)."""
    return region.short if sum(r.short == region.short for r in parts) == 1 else region.where


def _part_named(name, part):
    """The region of exercise `name` that `part` names ("backward" or "SimpleNN.backward")."""
    parts = regions(name)
    if not isinstance(part, str):
        raise NNCoreError(f"hint part: expected the name of a part as a string, e.g. \"{parts[-1].short}\", "
                          f"got {type(part).__name__} {part!r}.")
    found = [r for r in parts if part.lower() in (r.where.lower(), r.short.lower())]
    if len(found) != 1:
        names = ", ".join(f'"{_label(r, parts)}"' for r in parts)
        raise NNCoreError(f"exercise {name!r} has {'no' if not found else 'more than one'} part {part!r}. "
                          f"Its parts are: {names}.")
    return found[0]


def _still_a_stub(region, text, file):
    """True while the learner's file still holds this region's untouched `raise NotImplementedError`."""
    return f"{region.where} in exercises/{file} is not implemented yet" in text


def _named_in(message, parts):
    """The part whose name comes first in a check's message, or None."""
    best = None
    for pattern in ([re.escape(r.where) for r in parts], [rf"\b{re.escape(r.short)}\b" for r in parts]):
        for region, regex in zip(parts, pattern):
            m = re.search(regex, message)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), region)
        if best:
            return best[1]
    return None


def next_part(name, source=None):
    """(region, why) for the part a hint without a part is about, or (None, result) when the check passes.

    The rule: the first part, in file order, whose stub still raises NotImplementedError; when every
    stub is replaced, the part the check's failure message names; otherwise the first part that still
    has hints to show.
    """
    parts = regions(name)
    path = path_of(name, source)
    text = path.read_text() if path.exists() else ""
    for region in parts:
        if _still_a_stub(region, text, f"{name}.py"):
            return region, "the first part of your file that is not written yet"
    result = exercises.run_check(name, source)
    if result.passed:
        return None, result
    named = _named_in(result.message, parts)
    if named:
        return named, "the part your check fails at"
    seen = shown(name)
    left = [r for r in parts if seen.get(r.where, 0) < len(r.tiers)]
    return (left or parts)[0], "your check fails; this is the first part with hints left"


# --- hint() -----------------------------------------------------------------------------------------

def _indented(lines, pad="    "):
    return "\n".join(pad + line if line.strip() else "" for line in lines)


def hint_text(name, part=None, source=None, commands=NOTEBOOK):
    """Reveal the next tier (recording it) and return what to print."""
    known(name)
    if part is None:
        region, why = next_part(name, source)
        if region is None:
            return (f"{name} passes all its checks: no hint needed. "
                    f"{commands.solution.format(name=name)} shows the reference solution next to your code.")
    else:
        region, why = _part_named(name, part), "the part you asked for"
    total = len(region.tiers)
    state = _state()
    seen = state.setdefault(name, {})
    count = seen.get(region.where, 0) if isinstance(seen.get(region.where), int) else 0
    solution = commands.solution.format(name=name)
    if count >= total:
        return (f"You have seen all {total} hints for {region.where} ({name}); the last one again:\n"
                f"{_indented(region.tiers[-1])}\n"
                f"{solution} shows the reference code of this part next to yours.")
    count += 1
    seen[region.where] = count
    _save(state)
    lines = [f"Hint {count} of {total} for {region.where} ({name}: {why}):", _indented(region.tiers[count - 1])]
    if count < total:
        again = (commands.hint if part is None else commands.hint_part).format(name=name, part=part)
        lines.append(f"{again} gives hint {count + 1}; {commands.check.format(name=name)} checks your code.")
    else:
        lines.append(f"That was the last hint for {region.where}. {solution} now shows the reference code "
                     "of this part next to yours.")
    parts = regions(name)
    others = [r for r in parts if r is not region and r.where != region.where]
    if part is None and others:
        lines.append(f"For another part: {commands.hint_part.format(name=name, part=_label(others[0], parts))} "
                     f"(parts: {', '.join(_label(r, parts) for r in parts)}).")
    return "\n".join(lines)


def hint(name, part=None, source=None):
    """Print the next hint tier of exercise `name`: for the first part not done, or for `part`."""
    print(hint_text(name, part, source))


# --- solution() -------------------------------------------------------------------------------------

def _function(tree, where):
    """The function node `where` ("Class.method" or "function") in a parsed module, or None."""
    node = tree
    for name in where.split("."):
        node = next((n for n in getattr(node, "body", []) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                             ast.ClassDef)) and n.name == name), None)
        if node is None:
            return None
    return node


def _body(text, where):
    """(first line, last line, the lines) of function `where`'s body without its docstring, or a reason."""
    try:
        node = _function(ast.parse(text), where)
    except SyntaxError as exc:
        return f"Python cannot read this file: {exc.msg}, line {exc.lineno}."
    if node is None:
        return f"there is no function {where} in this file."
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]
    first, last = body[0].lineno, node.end_lineno
    return first, last, textwrap.dedent("\n".join(text.splitlines()[first - 1:last])).splitlines()


def _reference_text(name):
    """solutions/NAME.py without the markers, TASK and HINT lines: the reference code as a learner writes it."""
    path = ROOT / "solutions" / f"{name}.py"
    out = []
    for kind, item in parse(path.read_text(), path.name):
        out.extend([item] if kind == "text" else item.code)
    return "\n".join(out) + "\n"


def solution_text(name, source=None, commands=NOTEBOOK):
    """The reference code next to the learner's, part by part, where earned; else what to do first."""
    known(name)
    result = exercises.run_check(name, source)
    seen = shown(name)
    parts = regions(name)
    open_parts = parts if result.passed else [r for r in parts if seen.get(r.where, 0) >= len(r.tiers)]
    if not open_parts:
        progress = ", ".join(f"{_label(r, parts)} {min(seen.get(r.where, 0), len(r.tiers))} of {len(r.tiers)}"
                             for r in parts)
        return (f"The reference solution of {name} is not shown yet. It is shown\n"
                f"  * for every part, once your code passes {commands.check.format(name=name)} "
                f"(now: {result.status});\n"
                f"  * for one part, once you have seen all its hints with {commands.hint.format(name=name)} "
                f"(seen: {progress}).\n"
                "Try first: comparing afterwards teaches more.")
    path = path_of(name, source)
    mine = path.read_text() if path.exists() else ""
    reference = _reference_text(name)
    shown_path = exercises._shown(path)
    if result.passed:
        lines = [f"{name} passes all its checks. Your code and the reference solution, part by part:"]
    else:
        lines = [f"{name} does not pass its checks yet ({result.status}); the reference of each part whose "
                 "hints you have all seen:"]
    for region in parts:
        lines.append("")
        lines.append(f"=== {region.where} " + "=" * max(3, 72 - len(region.where)))
        if region not in open_parts:
            lines.append(f"(hidden until your code passes, or until you have seen its {len(region.tiers)} hints: "
                         f"{commands.hint_part.format(name=name, part=_label(region, parts))})")
            continue
        yours = _body(mine, region.where)
        if isinstance(yours, str):
            lines += [f"yours ({shown_path}): {yours}"]
        else:
            where = f"line {yours[0]}" if yours[0] == yours[1] else f"lines {yours[0]}-{yours[1]}"
            lines += [f"yours ({shown_path}, {where}):", _indented(yours[2])]
        ref = _body(reference, region.where)
        lines += [f"reference (solutions/{name}.py):", _indented(ref[2] if not isinstance(ref, str) else [ref])]
    return "\n".join(lines)


def solution(name, source=None):
    """Print the reference solution next to your code, once your check passes or a part's hints are all seen."""
    print(solution_text(name, source))
