"""Studies: whole questions in a file, their results kept in a store.

A study file (:func:`read_study`) names designs, sets, prices and steps; a
run (:func:`run_study`) computes each (design, step) through
:class:`natrium.Chain` into a DuckDB :class:`Store`; a sweep
(:func:`run_sweep`) varies design or operating parameters over a grid or a
Latin hypercube on local processes or a Dask cluster; :func:`pareto_front`
picks the designs no other beats on every chosen output.
"""

from natrium.study.highlights import study_highlights
from natrium.study.runner import RunSummary, input_hash, run_study
from natrium.study.spec import Step, Study, StudyError, read_study, shipped_study
from natrium.study.store import Row, Store
from natrium.study.sweep import (
    SweepSpec,
    pareto_front,
    run_sweep,
    sweep_samples,
    sweep_table,
)

__all__ = [
    "Row",
    "RunSummary",
    "Step",
    "Store",
    "Study",
    "StudyError",
    "SweepSpec",
    "input_hash",
    "pareto_front",
    "read_study",
    "run_study",
    "run_sweep",
    "shipped_study",
    "study_highlights",
    "sweep_samples",
    "sweep_table",
]
