"""Test-suite settings shared by the unit tests and the notebook runs (nbval).

At the top of the repository so they apply however pytest is called, e.g. `pytest notebooks/04_backprop.ipynb`.
"""

import os

# Notebooks run against the reference solutions, so they pass while the learner's
# stubs in exercises/ are untouched. Kernels started by nbval inherit this.
os.environ.setdefault("NNCORE_EXERCISES", "solutions")
# One BLAS thread: steady timings on shared 2-core machines, and identical results run to run.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
