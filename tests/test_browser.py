"""The notebooks in a real browser: JupyterLab on 127.0.0.1, headless Chromium driven by Playwright.

* Notebook 06 (against the solutions): runs all cells, moves the learning-rate and momentum sliders of
  each interactive plot, and checks that the picture changed and that no error appeared.
* A learner's first hour (NNCORE_EXERCISES unset, stubs untouched, JupyterLab started as course.py
  starts it): Run All of 01 and 04 reaches the last cell with no traceback, the exercise cells say what
  to write, and an exercise file opens from the file browser.

Screenshots land in test-artifacts/browser/.

On a machine without Chromium this test is skipped with the reason; in CI (CI=true) it must run,
so .ci/run installs Debian's chromium. Playwright drives that binary: never `playwright install`.
"""

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "06_optimizers.ipynb"
LEARNER_NOTEBOOKS = ["01_perceptron.ipynb", "04_backprop.ipynb"]
CHROMIUM = Path(os.environ.get("NNCORE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition, reason):
    """Skip on a learner's machine; fail in CI, where everything must be installed."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
        pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def course_py():
    """course.py as a module, for the way it starts JupyterLab (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("course_for_browser_test", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_lab(tmp_path, work, exercises_env):
    """JupyterLab on 127.0.0.1 at the folder `work`, started with course.py's command and with the news
    pop-up disabled by course.py's own function, in config dirs of its own. Yields (url, token).

    exercises_env: the value of NNCORE_EXERCISES for the kernels, or None for a learner's (unset)."""
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        require(False, "playwright is not installed (pip install playwright)")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "PYTHONPATH": str(ROOT)}
    env.pop("NNCORE_EXERCISES", None)
    if exercises_env:
        env["NNCORE_EXERCISES"] = exercises_env
    course = course_py()
    course.quiet_lab(tmp_path / "config")  # the "news" pop-up would cover the notebook
    port, token = free_port(), "nncore-browser-test"
    cmd = course.lab_command(sys.executable, work) + [
        "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"]
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def jupyter_lab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving a copy of notebook 06, running against the solutions."""
    work = tmp_path / "lab"
    (work / "notebooks").mkdir(parents=True)
    shutil.copy(NOTEBOOK, work / "notebooks" / NOTEBOOK.name)
    yield from start_lab(tmp_path, work, "solutions")


@pytest.fixture
def learner_lab(tmp_path):
    """JupyterLab as a learner gets it from course.py: the course folder (here a copy of notebooks 01 and
    04 and of exercises/), NNCORE_EXERCISES unset, so the kernels load the untouched stubs in exercises/."""
    from nncore.exercises import generated
    changed = [p.name for p, text in generated().items() if not p.exists() or p.read_text() != text]
    require(not changed, f"exercises/ differs from the generated stubs ({', '.join(changed)}); this test needs "
                         "untouched stubs: `python -m nncore generate` restores them")
    work = tmp_path / "course"
    (work / "notebooks").mkdir(parents=True)
    for name in LEARNER_NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, work / "notebooks" / name)
    shutil.copytree(ROOT / "exercises", work / "exercises", ignore=shutil.ignore_patterns("*.bak", "__pycache__"))
    yield from start_lab(tmp_path, work, None)


# JupyterLab sets window.jupyterapp only once its plugins have loaded, which can be after the page's load
# event: a bare `jupyterapp` in a predicate then throws a ReferenceError, and Playwright's wait_for_function
# fails at once instead of polling again. So every predicate reads it through `window` and tolerates its absence.
PANEL = "(window.jupyterapp && window.jupyterapp.shell && window.jupyterapp.shell.currentWidget)"
KERNEL_IDLE = f"""() => {{
  const w = {PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}}"""
ALL_CELLS_RUN = f"""() => {{
  const w = {PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || !w.content) return false;
  const code = w.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  // An empty list would pass every(): wait until the notebook's cells are there at all.
  return k.status === 'idle' && code.length > 0 && code.every(c => c.model.executionCount !== null);
}}"""
# Run All has finished, or stopped at an exception (JupyterLab stops there): the kernel is idle and either
# every code cell ran or one shows an error. Waiting for this, a failure shows the error at once.
RUN_ALL_ENDED = f"""() => {{
  const w = {PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || !w.content || k.status !== 'idle') return false;
  const code = w.content.widgets.filter(c => c.model.type === 'code' && c.model.sharedModel.getSource().trim());
  return code.length > 0 && (code.every(c => c.model.executionCount !== null) ||
    code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error')));
}}"""
CELL_ERRORS = f"""() => {{
  const found = [];
  {PANEL}.content.widgets.forEach((c, i) => {{
    if (c.model.type !== 'code') return;
    for (const o of c.model.outputs.toJSON()) {{
      if (o.output_type === 'error') found.push(`cell ${{i}}: ${{o.ename}}: ${{o.evalue}}`);
      if (o.output_type === 'stream' && o.name === 'stderr' && /Error|Traceback/.test(o.text))
        found.push(`cell ${{i}} stderr: ${{o.text.slice(0, 300)}}`);
    }}
  }});
  document.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]').forEach(
    e => found.push('error output: ' + e.textContent.slice(0, 300)));
  return found;
}}"""


CELL_TEXTS = f"""() => {PANEL}.content.widgets.map(c => c.model.type !== 'code' ? null :
  c.model.outputs.toJSON().map(o => o.text || (o.data && o.data['text/plain']) || '').join(''))"""
CURRENT_PATH = f"() => {{ const w = {PANEL}; return w && w.context ? w.context.path : null; }}"


def run_all_cells(page, what):
    """Wait for the current notebook's kernel, Run All, wait until every code cell has run; no errors."""
    page.wait_for_function(KERNEL_IDLE, timeout=90_000, polling=500)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(RUN_ALL_ENDED, timeout=180_000, polling=500)
    assert page.evaluate(CELL_ERRORS) == [], f"{what}: errors after Run All"
    assert page.evaluate(ALL_CELLS_RUN), f"{what}: Run All stopped before the last cell"


def move_slider(interact, label, presses, page):
    """Focus the slider labelled `label` inside one interactive widget and press ArrowRight."""
    slider = interact.locator(".widget-slider").filter(has_text=label).first
    readout = slider.locator(".widget-readout")
    before = readout.inner_text()
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")
    page.wait_for_function("([el, old]) => el.textContent.trim() !== old.trim()",
                           arg=[readout.element_handle(), before], timeout=10_000)
    return before, readout.inner_text()


def image_src(interact):
    """The src of the plot in this widget's output area, or None while there is none."""
    return interact.evaluate(
        "el => { const img = el.querySelector('.widget-output img'); return img ? img.getAttribute('src') : null; }")


def wait_for_settled_plot(page, interact, old_src, what, timeout=60, quiet=1.0):
    """Wait until the widget shows a plot other than old_src, loaded, with the kernel idle, and unchanged
    for `quiet` seconds; return its src.

    Each key press on a slider runs the callback again, so several redraws arrive one after another and
    the kernel is briefly idle between them; a screenshot taken at the first new picture could catch the
    output area in the middle of the next redraw. Waiting for a quiet second avoids that.
    """
    deadline = time.monotonic() + timeout
    last, since = None, None
    while time.monotonic() < deadline:
        src = image_src(interact)
        ready = src is not None and src != old_src and page.evaluate(KERNEL_IDLE) and interact.evaluate(
            "el => { const img = el.querySelector('.widget-output img');"
            " return !!img && img.complete && img.naturalWidth > 0; }")
        if not ready:
            last = None
        elif src != last:
            last, since = src, time.monotonic()
        elif time.monotonic() - since >= quiet:
            interact.locator(".widget-output img").first.evaluate("img => img.decode()")
            if image_src(interact) == src:
                return src
            last = None
        page.wait_for_timeout(200)
    pytest.fail(f"{what}: no new, settled plot within {timeout} s (last src: {str(image_src(interact))[:80]})")


@contextlib.contextmanager
def chromium_page():
    """A page of headless Chromium (Debian's binary, driven by Playwright), closed afterwards."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def test_sliders_redraw_the_plots_in_jupyterlab(jupyter_lab):
    url, token = jupyter_lab
    with chromium_page() as page:
        page.goto(f"{url}/lab/tree/notebooks/{NOTEBOOK.name}?token={token}&reset")
        run_all_cells(page, NOTEBOOK.name)

        interacts = page.locator(".widget-interact")
        interacts.first.wait_for(timeout=30_000)
        count = interacts.count()
        assert count >= 2, f"expected the descent and the spiral widgets, found {count} interactive widget(s)"
        for i in range(count):
            interact = interacts.nth(i)
            interact.scroll_into_view_if_needed()
            interact.locator(".widget-output img").first.wait_for(timeout=30_000)
            wait_for_settled_plot(page, interact, None, f"widget {i} before moving a slider")
            interact.screenshot(path=str(ARTIFACTS / f"widget{i}-before.png"))
            for label in ("learning rate", "momentum"):
                old_src = image_src(interact)
                old_value, new_value = move_slider(interact, label, 3, page)
                assert new_value != old_value
                wait_for_settled_plot(page, interact, old_src, f"widget {i} after moving {label}")
                assert image_src(interact) != old_src, f"moving {label} did not redraw widget {i}"
            interact.screenshot(path=str(ARTIFACTS / f"widget{i}-after.png"))
        assert page.evaluate(CELL_ERRORS) == []
        page.screenshot(path=str(ARTIFACTS / "notebook.png"), full_page=False)


def test_a_learners_first_hour_in_jupyterlab(learner_lab):
    """Untouched stubs: Run All of 01 and 04 reaches the last cell with no traceback, each exercise cell
    says what to write, no news pop-up, and exercises/perceptron.py opens from the file browser."""
    url, token = learner_lab
    with chromium_page() as page:
        page.goto(f"{url}/?token={token}")  # where course.py's JupyterLab sends the browser
        for i, name in enumerate(LEARNER_NOTEBOOKS):
            if i:
                page.evaluate(f"() => {{ window.jupyterapp.commands.execute('docmanager:open', "
                              f"{{path: 'notebooks/{name}'}}); }}")
            page.wait_for_function(f"() => ({CURRENT_PATH})() === 'notebooks/{name}'", timeout=60_000)
            run_all_cells(page, name)
            texts = page.evaluate(CELL_TEXTS)
            stubs = [t for t in texts if t and "run this cell again" in t]
            assert stubs, f"{name}: no cell said which exercise to write"
            assert all("is not implemented yet" in t and "nncore.check(" in t for t in stubs), stubs
            assert any(t and "NOT STARTED" in t for t in texts), f"{name}: the check cell did not run"
            assert not any(t and ("Stored output" in t or "PASS" in t) for t in texts), \
                f"{name}: an output of the reference solution is still shown after Run All"
            first = next(i for i, t in enumerate(texts) if t and "run this cell again" in t)
            page.evaluate(f"() => {{ const n = {PANEL}.content; n.activeCellIndex = {first}; "
                          f"n.scrollToItem({first}, 'start'); }}")  # the notebook renders only what is in view
            page.wait_for_timeout(500)
            page.locator(".jp-CodeCell.jp-mod-active:visible").screenshot(
                path=str(ARTIFACTS / f"learner-{name[:2]}-first-exercise-cell.png"))
        assert page.get_by_text("Jupyter news").count() == 0, "the news pop-up is shown"

        # The file browser shows the course folder, so exercises/ is right there beside notebooks/.
        page.locator(".jp-DirListing-item", has_text="notebooks").first.wait_for(timeout=10_000)
        page.locator(".jp-DirListing-item", has_text="exercises").first.dblclick()
        page.locator(".jp-DirListing-item", has_text="perceptron.py").first.dblclick()
        page.wait_for_function(f"() => ({CURRENT_PATH})() === 'exercises/perceptron.py'", timeout=30_000)
        page.locator(".jp-FileEditor .cm-content", has_text="class Perceptron").wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "learner-exercise-file.png"))
