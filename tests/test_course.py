"""course.py's decisions: when it creates, reuses or rebuilds .venv, and what it says when setup fails.

The steps that take minutes (making a venv, pip) are replaced by recorders; what is tested is which of
them run, in which case, and the messages a learner reads.
"""

import importlib.util
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
