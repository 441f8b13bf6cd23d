"""course.py's decisions: when it creates, reuses or rebuilds .venv, and what it says when setup fails.

The steps that take minutes (making a venv, pip) are replaced by recorders; what is tested is which of
them run, in which case, and the messages a learner reads.
"""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def course(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("course_under_test", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path / "course"
    root.mkdir()
    (root / "requirements.txt").write_text("numpy\n")
    venv = root / ".venv"
    monkeypatch.setattr(module, "ROOT", root)
    monkeypatch.setattr(module, "VENV", venv)
    monkeypatch.setattr(module, "PYTHON", venv / "bin" / "python")
    monkeypatch.setattr(module, "STAMP", venv / ".installed")
    module.calls = []

    def create_venv(clear):
        module.calls.append(("create", clear))
        module.PYTHON.parent.mkdir(parents=True, exist_ok=True)
        module.PYTHON.write_text("")

    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.setattr(module, "create_venv", create_venv)
    monkeypatch.setattr(module, "works", lambda *cmd: module.PYTHON.exists())
    monkeypatch.setattr(module, "run", lambda *cmd, **kw: module.calls.append(("pip",)))
    monkeypatch.setattr(module, "site_packages", lambda: site)
    module.site = site
    return module


def test_fresh_folder_creates_installs_and_stamps(course):
    course.setup()
    assert course.calls == [("create", False), ("pip",)]
    assert (course.site / "nncore_course.pth").read_text().strip() == str(course.ROOT)
    assert course.STAMP.read_text().strip().endswith(" " + str(course.ROOT))


def test_second_run_does_nothing(course):
    course.setup()
    course.calls.clear()
    course.setup()
    assert course.calls == []


def test_changed_requirements_reinstall_without_a_new_venv(course):
    course.setup()
    course.calls.clear()
    (course.ROOT / "requirements.txt").write_text("numpy\ntqdm\n")
    course.setup()
    assert course.calls == [("pip",)]


def test_a_moved_folder_gets_a_fresh_venv(course):
    course.setup()
    course.calls.clear()
    # The stamp written in the old place names the old folder.
    course.STAMP.write_text(course.STAMP.read_text().replace(str(course.ROOT), "/somewhere/else"))
    course.setup()
    assert course.calls == [("create", True), ("pip",)]


def test_a_stamp_from_before_folders_were_recorded_only_reinstalls(course):
    course.setup()
    course.calls.clear()
    course.STAMP.write_text(course.STAMP.read_text().split(" ")[0])
    course.setup()
    assert course.calls == [("pip",)]


def test_pip_failure_says_what_to_do(course, monkeypatch, capsys):
    def failing_pip(*cmd, **kw):
        raise subprocess.CalledProcessError(1, cmd)

    monkeypatch.setattr(course, "run", failing_pip)
    with pytest.raises(course.SetupError, match="pip could not install requirements.txt") as err:
        course.setup()
    assert "internet connection" in str(err.value) and "delete" in str(err.value)
    assert not course.STAMP.exists()  # the next run tries again
    monkeypatch.setattr(course, "setup", lambda: (_ for _ in ()).throw(course.SetupError("boom")))
    assert course.main(["test"]) == 1
    assert "Setup failed: boom" in capsys.readouterr().err


def test_a_failed_venv_is_removed_and_names_python3_venv(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("course_venv_test", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")

    class Broken:
        def __init__(self, **kwargs):
            pass

        def create(self, path):
            Path(path).mkdir()  # venv gets this far before ensurepip fails
            raise subprocess.CalledProcessError(1, ["ensurepip"])

    monkeypatch.setattr(module.venv, "EnvBuilder", Broken)
    with pytest.raises(module.SetupError, match="python3-venv"):
        module.create_venv(clear=False)
    assert not (tmp_path / ".venv").exists()


def test_help_and_unknown_commands(course, capsys):
    assert course.main(["--help"]) == 0
    assert "python3 course.py test" in capsys.readouterr().out
    assert course.main(["tset"]) == 2
    assert "unknown command 'tset'" in capsys.readouterr().err


# --- what `python3 course.py` opens -----------------------------------------------------------------

class Started(Exception):
    """Raised by the stand-in for os.execv, which never returns either."""


def start_lab(course, monkeypatch, argv):
    """Run course.main(argv) up to starting JupyterLab; return the command it would run."""
    def execv(path, args):
        raise Started(args)

    monkeypatch.setattr(course.os, "execv", execv)
    monkeypatch.setattr(course.subprocess, "call", execv)  # Windows
    with pytest.raises(Started) as started:
        course.main(argv)
    return started.value.args[0]


def test_lab_opens_the_course_folder_with_the_first_notebook_and_no_news(course, monkeypatch, capsys):
    monkeypatch.setenv("JUPYTER_TOKEN", "")  # course.main sets it; monkeypatch restores it afterwards
    course.setup()
    fetched = []
    monkeypatch.setattr(course, "fetch_data", lambda: fetched.append(True))
    lab = start_lab(course, monkeypatch, [])
    assert fetched == [True]
    # At the course folder, so the file browser shows notebooks/ and exercises/; the first notebook open.
    assert f"--notebook-dir={course.ROOT}" in lab
    assert "--LabApp.default_url=/lab/tree/notebooks/01_perceptron.ipynb?file-browser-path=/" in lab
    # The address it prints logs in at the root, which redirects to that page: Jupyter's own printed
    # address would put a second "?" before the token and land on the login page.
    port = next(a for a in lab if a.startswith("--port=")).split("=")[1]
    token = course.os.environ["JUPYTER_TOKEN"]
    assert f"http://localhost:{port}/?token={token}" in capsys.readouterr().out
    assert token not in " ".join(lab)  # by the environment, not on the command line
    assert (ROOT / course.FIRST_NOTEBOOK).exists()  # the real course has it
    # The news pop-up is disabled in the venv's own Jupyter config, where `jupyter labextension disable` writes.
    config = json.loads((course.VENV / "etc" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert config["disabledExtensions"] == {"@jupyterlab/apputils-extension:announcements": True}


def test_quiet_lab_keeps_other_settings(tmp_path, course):
    path = tmp_path / "labconfig" / "page_config.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"disabledExtensions": {"some:plugin": True}, "other": 1}))
    course.quiet_lab(tmp_path)
    course.quiet_lab(tmp_path)
    config = json.loads(path.read_text())
    assert config == {"disabledExtensions": {"some:plugin": True, course.NEWS_PLUGIN: True}, "other": 1}
    path.write_text("{ damaged")
    course.quiet_lab(tmp_path)
    assert json.loads(path.read_text()) == {"disabledExtensions": {course.NEWS_PLUGIN: True}}


def test_setup_goes_on_when_the_data_cannot_be_fetched(course, monkeypatch):
    course.setup()
    ran = []
    monkeypatch.setattr(course.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or subprocess.CompletedProcess(cmd, 1))
    assert start_lab(course, monkeypatch, ["lab"])  # JupyterLab still starts
    assert ran == [[str(course.PYTHON), "-m", "nncore", "fetch-data"]]
