"""Saving and loading a model's parameters as a plain .npz file.

Only arrays go in, under the names of model.parameters() ("layers[0].W", ...),
and files are read with allow_pickle=False: a .npz from anywhere cannot run code
on your machine. The architecture is not saved; build the same model, then load.
"""

import os
import zipfile
from pathlib import Path

import numpy as np

from .errors import NNCoreError, check_has, fail


def _model_and_path(model, path, caller):
    """Check `model` has parameters() and `path` is a str or os.PathLike; spot the two swapped."""
    if isinstance(model, (str, os.PathLike)) and callable(getattr(path, "parameters", None)):
        fail(f"{caller} arguments", f"{caller}(model, path)", f"{caller}({model!r}, a {type(path).__name__})",
             f"They are swapped: the model comes first, e.g. {caller}(model, 'model.npz').")
    check_has(model, f"{caller} model", ("parameters",), "a model such as Sequential([...])")
    if not isinstance(path, (str, os.PathLike)):
        fail(f"{caller} path", "a file name as a str or a pathlib.Path, such as 'model.npz'",
             f"a {type(path).__name__}")
    if "\x00" in os.fspath(path):  # the operating system would refuse it with a bare ValueError
        fail(f"{caller} path", "a file name without NUL characters", repr(path))
    if not Path(path).name:  # "", ".", "/": a folder, no file name to add .npz to
        fail(f"{caller} path", "a file name such as 'model.npz'", repr(os.fspath(path)))
    return Path(path)


def _with_npz(path):
    """`path` with ".npz" added if it does not end in it already ("run" -> "run.npz", "run.v1" -> "run.v1.npz")."""
    return path if path.suffix == ".npz" else path.with_suffix(path.suffix + ".npz")


def save_parameters(model, path):
    """Write every parameter of `model` to `path` (.npz is added if missing). Returns the path."""
    path = _with_npz(_model_and_path(model, path, "save_parameters"))
    if path.is_dir():
        fail("save_parameters path", "a file name such as 'model.npz'", f"{path}, which is a folder")
    if not path.parent.is_dir():
        fail("save_parameters path", "a file in an existing folder", f"{path}, but {path.parent} does not exist",
             f"Create the folder first: Path({str(path.parent)!r}).mkdir(parents=True).")
    try:
        np.savez(path, **model.parameters())
    except OSError as exc:  # no permission, disk full, ...
        got = f"{path}, which cannot be written ({exc.strerror or exc})"
    else:
        return path
    fail("save_parameters path", "a file that can be written", got, "Choose another folder or name.")


def _read_npz(path):
    """Every array in the .npz file at `path`, by name; NNCoreError for anything else."""
    # fail() is called after the try blocks, so the learner sees our message without NumPy's traceback.
    try:
        loaded = np.load(path, allow_pickle=False)
    except OSError as exc:  # a folder, no permission to read, ...
        got = f"{path}, which is a folder" if path.is_dir() else f"{path}, unreadable ({exc.strerror or exc})"
    except (ValueError, EOFError, zipfile.BadZipFile):
        # A text file, an empty or cut-short file, a pickle. NumPy's own message suggests
        # allow_pickle=True, which would let the file run code: not advice to pass on.
        got = f"{path}, which is not a .npz file"
    else:
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            got = f"{path}, a .npy file with a single array and no parameter names"
        else:
            try:
                with loaded as saved:
                    return {name: saved[name] for name in saved.files}
            except ValueError:  # an array of Python objects: only pickle could load it
                got = (f"{path}, which is not a plain .npz of arrays: it holds Python objects, "
                       "and loading those could run code")
            except (OSError, EOFError, zipfile.BadZipFile):
                got = f"{path}, a damaged .npz file"
    fail("load_parameters path", "a .npz file written by save_parameters(model, path)", got,
         "Pass the path that save_parameters returned, or save the parameters again.")


def load_parameters(model, path):
    """Copy the arrays in `path` into `model`'s parameters, in place; return the model.

    If `path` does not exist, `path` + ".npz" is tried, as save_parameters adds it.
    Every name, shape and dtype is checked before anything is copied, so a file that
    does not fit leaves the model as it was.
    """
    path = _model_and_path(model, path, "load_parameters")
    if not path.exists() and _with_npz(path).exists():
        path = _with_npz(path)
    if not path.exists():
        also = "" if _with_npz(path) == path else f" nor at {_with_npz(path)}"
        fail("load_parameters path", "a .npz file written by save_parameters(model, path)",
             f"no file at {path}{also}",
             "Check the folder and the name, or save one first with save_parameters(model, path).")
    arrays = _read_npz(path)
    params = model.parameters()
    missing, extra = sorted(params.keys() - arrays.keys()), sorted(arrays.keys() - params.keys())
    if missing or extra:
        raise NNCoreError(
            f"load_parameters: {path} does not fit this model: missing {missing or 'nothing'}, "
            f"unexpected {extra or 'nothing'}. Build the same architecture that was saved.")
    wrong = [f"{name}: model {params[name].shape}, file {arrays[name].shape}"
             for name in params if params[name].shape != arrays[name].shape]
    if wrong:
        raise NNCoreError(f"load_parameters: shapes in {path} differ from the model's: {'; '.join(wrong)}. "
                          "Build the same layer sizes that were saved.")
    # Numbers only (any int or float: copying converts them to the parameter's dtype); strings, bools or
    # complex numbers would fail or silently change meaning halfway through the copy below.
    odd = [f"{name} ({a.dtype})" for name, a in arrays.items()
           if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating))]
    if odd:
        fail("load_parameters path", "a file of number arrays (integer or float dtypes)",
             f"{path}, where {', '.join(odd)} {'does' if len(odd) == 1 else 'do'} not hold numbers",
             "Save the parameters with save_parameters(model, path); the model was left unchanged.")
    for name, p in params.items():
        p[...] = arrays[name]  # in place: optimizers and layers keep referring to the same arrays
    return model
