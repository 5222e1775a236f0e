"""Sweeps: many designs or conditions in one call, on all cores.

The variants of a base design are evaluated by :func:`natrium.cell.compute_arrays`
in one vectorised call, turned into PyBaMM parameter values, and grouped by
what shapes PyBaMM's mesh (electrode and separator thicknesses, particle
radii: geometric quantities cannot be input parameters, PyBaMM issue 3649).
Within a group the model is built and discretised once and every other
difference (porosities, active fractions, concentrations, conductivities,
current, temperature) is passed as an input parameter. Groups and their
variants are shared out among worker processes; each result row is keyed by a
hash of the variant's parameters so it can be stored and found again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from natrium.cell import CellDesign, compute_arrays
from natrium.exceptions import NatriumError, ParameterError
from natrium.sim.bridge import to_pybamm
from natrium.sim.parameter_sets import ParameterSet
from natrium.sim.simulation import (
    SimulationError,
    build_model,
    has_contact_resistance,
    idaklu_solver,
    interval_energy,
)
from natrium.units import AH, WH

#: PyBaMM parameters that shape the mesh: a change means a separate build.
GEOMETRIC = (
    "Negative electrode thickness [m]",
    "Separator thickness [m]",
    "Positive electrode thickness [m]",
    "Negative particle radius [m]",
    "Positive particle radius [m]",
)
#: Sweep keys that are conditions rather than design parameters.
CONDITIONS = ("c_rate", "temperature", "state_of_health")
_DIGITS = 12  # significant digits that make two geometries the same


@dataclass(frozen=True)
class _Job:
    """One mesh group: how to rebuild its first variant, and every variant's inputs.

    Only plain data crosses to the workers (PyBaMM's parameter functions are
    closures and do not pickle); a worker rebuilds the base through the bridge.
    """

    model: str
    design: CellDesign
    set_folder: str
    base_overrides: dict[str, float]
    base_conditions: tuple[float | None, float]  # temperature [K], state of health
    inputs: list[dict[str, float]]
    t_end: list[float]
    rows: list[int]


def variant_parameters(
    design: CellDesign, parameter_set: ParameterSet, overrides: Mapping[str, ArrayLike]
) -> tuple[list[dict[str, Any] | None], pd.DataFrame]:
    """PyBaMM parameter values (as dicts; None where a variant is impossible) of
    every variant, and the variant table."""
    overrides = dict(overrides)
    conditions = {k: overrides.pop(k) for k in CONDITIONS if k in overrides}
    arrays = compute_arrays(design, overrides)
    shape = np.shape(arrays["capacity"])
    table = pd.DataFrame(
        {
            k: np.broadcast_to(np.asarray(v, float), shape).ravel()
            for k, v in overrides.items()
        }
    )
    n = max(len(table), 1)
    for key, default in (
        ("c_rate", 1.0),
        ("temperature", np.nan),
        ("state_of_health", 1.0),
    ):
        value = np.broadcast_to(np.asarray(conditions.get(key, default), float), (n,))
        table[key] = value
    if len(table) == 0:
        table = table.reindex(range(n))
    params: list[dict[str, Any] | None] = []
    errors: list[str] = []
    for i in range(n):
        temperature = table["temperature"].iloc[i]
        try:
            variant = variant_design(design, {k: table[k].iloc[i] for k in overrides})
            bridge = to_pybamm(
                variant,
                parameter_set,
                temperature=None if np.isnan(temperature) else temperature,
                state_of_health=float(table["state_of_health"].iloc[i]),
            )
        except NatriumError as err:  # one impossible variant must not stop the sweep
            params.append(None)
            errors.append(str(err))
            continue
        values = dict(bridge.parameter_values.items())
        values["Current function [A]"] = table["c_rate"].iloc[i] * bridge.capacity_Ah
        params.append(values)
        errors.append("")
    table["bom_capacity_Ah"] = [
        np.nan if p is None else p["Nominal cell capacity [A.h]"] for p in params
    ]
    table["design_key"] = ["" if p is None else _key(p) for p in params]
    table["design_error"] = errors
    return params, table


def variant_design(design: CellDesign, values: Mapping[str, float]) -> CellDesign:
    """The base design with flattened parameters replaced (SI)."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        group, _, key = name.partition(".")
        if group in ("cathode", "anode"):
            electrode = changes.get(group, getattr(design, group))
            changes[group] = dataclasses.replace(electrode, **{key: float(value)})
        elif group == "geometry":
            geometry = dict(changes.get("geometry", design.geometry))
            geometry[key] = float(value)
            changes["geometry"] = geometry
        elif group == "cell" and key in ("np_ratio", "first_cycle_loss"):
            changes[key] = float(value)
        elif group == "cell":
            cell = dict(changes.get("cell", design.cell))
            cell[key] = float(value)
            changes["cell"] = cell
        else:
            raise ParameterError(f"cannot sweep {name!r}")
    return dataclasses.replace(design, **changes)


def _key(values: Mapping[str, Any]) -> str:
    plain = {
        k: (float(v) if isinstance(v, int | float | np.floating) else repr(v))
        for k, v in sorted(values.items())
        if not callable(v)
    }
    return hashlib.sha1(json.dumps(plain, sort_keys=True).encode()).hexdigest()[:16]


def _jobs(
    params: Sequence[dict[str, Any] | None],
    table: pd.DataFrame,
    model: str,
    horizon: float,
    design: CellDesign,
    parameter_set: ParameterSet,
    swept: Sequence[str],
) -> list[_Job]:
    """Group variants by geometry; everything else that differs is an input."""
    groups: dict[tuple[float, ...], list[int]] = {}
    for i, p in enumerate(params):
        if p is None:
            continue
        geometry = tuple(float(f"{float(p[k]):.{_DIGITS}g}") for k in GEOMETRIC)
        groups.setdefault(geometry, []).append(i)
    jobs = []
    for rows in groups.values():
        group = [p for p in (params[i] for i in rows) if p is not None]
        base = group[0]
        # Geometry is equal within a group (to _DIGITS); rounding noise there
        # must not turn a mesh parameter into an input.
        varying = {
            k
            for k, v in base.items()
            if k not in GEOMETRIC and not callable(v) and any(g[k] != v for g in group)
        }
        varying.add("Current function [A]")
        inputs = [{k: float(g[k]) for k in varying} for g in group]
        t_end = [horizon / float(table["c_rate"].iloc[i]) for i in rows]
        first = rows[0]
        temperature = float(table["temperature"].iloc[first])
        jobs.append(
            _Job(
                model=model,
                design=design,
                set_folder=str(parameter_set.folder),
                base_overrides={k: float(table[k].iloc[first]) for k in swept},
                base_conditions=(
                    None if np.isnan(temperature) else temperature,
                    float(table["state_of_health"].iloc[first]),
                ),
                inputs=inputs,
                t_end=t_end,
                rows=rows,
            )
        )
    return jobs


def _run_job(job: _Job) -> list[dict[str, Any]]:
    """Build a group's model once and solve each variant (in a worker)."""
    import pybamm

    from natrium.sim.parameter_sets import load_parameter_set

    variant = variant_design(job.design, job.base_overrides)
    temperature, soh = job.base_conditions
    pv = to_pybamm(
        variant,
        load_parameter_set(job.set_folder),
        temperature=temperature,
        state_of_health=soh,
    ).parameter_values
    for name in job.inputs[0]:
        pv[name] = "[input]"
    sim = pybamm.Simulation(
        build_model(job.model, contact_resistance=has_contact_resistance(pv)),
        parameter_values=pv,
        solver=idaklu_solver(),
    )
    out = []
    for row, inputs, t_end in zip(job.rows, job.inputs, job.t_end, strict=True):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sol = sim.solve([0.0, t_end], inputs=inputs)
        except Exception as err:  # keep the sweep going; record the failure
            out.append({"row": row, "error": str(err)})
            continue
        t = np.asarray(sol.t, float)
        v = np.asarray(sol["Voltage [V]"].entries, float)
        i = np.asarray(sol["Current [A]"].entries, float)
        q = float(sol["Discharge capacity [A.h]"].entries[-1])
        energy = float(np.sum(interval_energy(t, v, i))) / WH
        out.append(
            {
                "row": row,
                "capacity_Ah": q,
                "energy_Wh": energy,
                "mean_voltage_V": energy / q if q > 0 else np.nan,
                "duration_s": float(t[-1]),
                "termination": str(sol.termination),
            }
        )
    return out


def _split(job: _Job, parts: int) -> list[_Job]:
    """Share one group's variants among ``parts`` workers."""
    chunks = np.array_split(np.arange(len(job.rows)), parts)
    return [
        dataclasses.replace(
            job,
            inputs=[job.inputs[k] for k in c],
            t_end=[job.t_end[k] for k in c],
            rows=[job.rows[k] for k in c],
        )
        for c in chunks
        if len(c)
    ]


def sweep(
    design: CellDesign,
    parameter_set: ParameterSet,
    overrides: Mapping[str, ArrayLike],
    *,
    model: str = "DFN",
    processes: int | None = None,
) -> pd.DataFrame:
    """Constant-current discharges of many variants, in parallel.

    Parameters
    ----------
    overrides : mapping
        Flattened design parameters (as in :func:`natrium.cell.evaluate_designs`)
        and the conditions ``c_rate`` [h⁻¹], ``temperature`` [K] and
        ``state_of_health`` [-], broadcast together.
    processes : int, optional
        Worker processes; default all cores. 1 runs in this process.

    Returns
    -------
    DataFrame
        One row per variant: the swept values, ``design_key``,
        ``bom_capacity_Ah`` and the discharge's ``capacity_Ah``, ``energy_Wh``,
        ``mean_voltage_V``, ``duration_s``, ``termination`` (or ``error``).
    """
    params, table = variant_parameters(design, parameter_set, overrides)
    horizon = 1.5 * AH  # a full discharge at 1C lasts an hour; allow half more
    swept = [k for k in overrides if k not in CONDITIONS]
    jobs = _jobs(params, table, model, horizon, design, parameter_set, swept)
    workers = processes or os.cpu_count() or 1
    results = _execute(jobs, workers)
    by_row = {r["row"]: r for r in results}
    extra = pd.DataFrame([by_row.get(i, {"row": i}) for i in range(len(table))])
    extra = extra.drop(columns="row")
    return pd.concat([table.reset_index(drop=True), extra], axis=1)


def _execute(jobs: list[_Job], workers: int) -> list[dict[str, Any]]:
    if workers <= 1:
        return [r for job in jobs for r in _run_job(job)]
    # Share variants so every worker gets an equal number of solves.
    per_worker = max(1, len(jobs) // workers)
    parts = [p for job in jobs for p in _split(job, max(1, workers // per_worker))]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [r for chunk in pool.map(_run_job, parts) for r in chunk]


__all__ = [
    "GEOMETRIC",
    "SimulationError",
    "sweep",
    "variant_design",
    "variant_parameters",
]
