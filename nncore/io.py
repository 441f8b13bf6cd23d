"""Saving and loading a model's parameters as a plain .npz file.

Only arrays go in, under the names of model.parameters() ("layers[0].W", ...),
and files are read with allow_pickle=False: a .npz from anywhere cannot run code
on your machine. The architecture is not saved; build the same model, then load.
"""

from pathlib import Path

import numpy as np

from .errors import NNCoreError


def save_parameters(model, path):
    """Write every parameter of `model` to `path` (.npz is added if missing). Returns the path."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_suffix(path.suffix + ".npz")
    np.savez(path, **model.parameters())
    return path


def load_parameters(model, path):
    """Copy the arrays in `path` into `model`'s parameters, in place, after checking every name and shape."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except FileNotFoundError:
        raise NNCoreError(f"load_parameters: no file at {path}. Save one with save_parameters(model, path).") from None
    except ValueError as exc:
        raise NNCoreError(f"load_parameters: {path} is not a plain .npz of arrays ({exc}).") from None
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
    for name, p in params.items():
        p[...] = arrays[name]  # in place: optimizers and layers keep referring to the same arrays
    return model
