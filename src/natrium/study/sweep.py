"""Sweeps of a study: one design's parameters over a grid or a Latin hypercube.

A study's ``[sweep]`` table::

    [sweep]
    design = "pw"                       # one of the study's designs
    method = "latin-hypercube"          # or "grid"
    samples = 500                       # Latin hypercube only
    seed = 1
    outputs = ["datasheet", "cost", "discharge"]
    c_rate = "12 1/h"                   # the discharge's rate (5 min at 12C)
    [sweep.parameters]                  # grid: the values; hypercube: [low, high]
    "cathode.porosity" = ["0.25", "0.40"]
    "cathode.areal_capacity" = ["2 mAh/cm^2", "4 mAh/cm^2"]
    "operating.temperature" = ["0 degC", "25 degC"]

Outputs per variant: ``datasheet`` (the vectorised cell arithmetic: Ah, Wh,
Wh/kg, Wh/L), ``cost`` (USD/kWh at the default plant) and ``discharge`` (a
DFN constant-current discharge at ``c_rate``: capacity, energy, mean power
per kg; mesh built once per geometry, :func:`natrium.sim.sweep`). Each variant
and output is one row of the store, keyed by its input hash.

Variants go in chunks to local processes (``workers``) or to an existing
``dask.distributed`` cluster (``scheduler``); the store is written by this
process alone, one transaction per finished chunk.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from natrium import __version__
from natrium.cell import CellDesign, evaluate_designs
from natrium.cell.formats import FORMATS
from natrium.cell.parameters import spec_for
from natrium.exceptions import NatriumError, OptionError
from natrium.units import AH, WH, to_si

if TYPE_CHECKING:
    from natrium.study.spec import Study, _Reader
    from natrium.study.store import Store

METHODS = ("grid", "latin-hypercube")
OUTPUTS = ("datasheet", "cost", "discharge")
#: Operating parameters a sweep may vary, with their SI unit and typed unit.
OPERATING = {"temperature": ("K", "degC"), "state_of_health": ("", "")}
#: Variants per task handed to a worker.
CHUNK = 25


@dataclass(frozen=True)
class SweepSpec:
    """What a sweep varies (SI values) and what it computes."""

    design: str
    method: str
    parameters: Mapping[str, tuple[float, ...]]
    outputs: tuple[str, ...] = ("datasheet",)
    samples: int = 0
    seed: int = 0
    c_rate: float = 1.0 / 3600.0  # [s⁻¹]
    typed: Mapping[str, Any] = field(default_factory=dict)


def read_sweep(
    reader: _Reader, table: Any, designs: Mapping[str, CellDesign]
) -> SweepSpec:
    """The ``[sweep]`` table, checked (errors name the line and key)."""
    valid = (
        "design",
        "method",
        "samples",
        "seed",
        "outputs",
        "c_rate",
        "parameters",
    )
    if not isinstance(table, dict):
        raise reader.fail("[sweep] must be a table", "sweep")
    reader.check_keys(table, valid, "[sweep]", "sweep")
    design_id = table.get("design", next(iter(designs)))
    if not isinstance(design_id, str) or design_id not in designs:
        raise reader.fail(
            f"[sweep]: design = {design_id!r} is not in [designs]; valid: "
            f"{', '.join(designs)}",
            "sweep",
            key="design",
        )
    method = table.get("method", "grid")
    if not isinstance(method, str) or method not in METHODS:
        raise reader.fail(
            f"[sweep]: method = {method!r}; valid: {', '.join(METHODS)}",
            "sweep",
            key="method",
        )
    outputs = table.get("outputs", ["datasheet"])
    if isinstance(outputs, str):
        outputs = [outputs]
    if not isinstance(outputs, list):
        raise reader.fail(
            f"[sweep]: outputs = {outputs!r} must be a list; valid: "
            f"{', '.join(OUTPUTS)}",
            "sweep",
            key="outputs",
        )
    for name in outputs:
        if not isinstance(name, str) or name not in OUTPUTS:
            raise reader.fail(
                f"[sweep]: outputs has {name!r}; valid: {', '.join(OUTPUTS)}",
                "sweep",
                key="outputs",
            )
    samples = table.get("samples", 0)
    if method == "latin-hypercube" and (
        isinstance(samples, bool)
        or not isinstance(samples, int)
        or not 1 <= samples <= 1_000_000
    ):
        raise reader.fail(
            f"[sweep]: samples = {samples!r} must be a whole number in "
            "[1, 1000000] for a Latin hypercube",
            "sweep",
            key="samples",
        )
    seed = table.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise reader.fail(
            f"[sweep]: seed = {seed!r} must be a whole number >= 0",
            "sweep",
            key="seed",
        )
    try:
        c_rate = to_si(
            "c_rate", table.get("c_rate", "1 1/h"), "1/s", default_unit="1/h"
        )
    except NatriumError as err:
        raise reader.fail(f"[sweep]: {err}", "sweep", key="c_rate") from err
    if not c_rate > 0:
        raise reader.fail(
            f"[sweep]: c_rate = {table['c_rate']!r} must be above 0 [1/h]",
            "sweep",
            key="c_rate",
        )
    given = table.get("parameters")
    if not isinstance(given, dict) or not given:
        raise reader.fail(
            "[sweep.parameters] is missing: name at least one parameter",
            "sweep",
            key="parameters",
        )
    design = designs[design_id]
    parameters = {}
    for name, values in given.items():
        try:
            parameters[name] = _values(design, name, values, method)
        except NatriumError as err:
            raise reader.fail(
                f"[sweep.parameters]: {err}", "sweep.parameters", key=name
            ) from err
    return SweepSpec(
        design=design_id,
        method=method,
        parameters=parameters,
        outputs=tuple(outputs),
        samples=int(samples),
        seed=seed,
        c_rate=c_rate,
        typed={k: v for k, v in table.items() if k != "parameters"}
        | {"parameters": given},
    )


def _values(
    design: CellDesign, name: str, values: Any, method: str
) -> tuple[float, ...]:
    """The typed values of one swept parameter, in SI and range-checked."""
    if not isinstance(values, list) or not values:
        raise OptionError(f"{name} = {values!r} must be a list of values")
    if method == "latin-hypercube" and len(values) != 2:
        raise OptionError(
            f"{name} = {values!r}: a Latin hypercube takes [low, high], two values"
        )
    unit, shown = _units(design, name)
    out = tuple(
        to_si(name, v if isinstance(v, str) else str(v), unit, default_unit=shown)
        for v in values
    )
    group = name.partition(".")[0]
    if group != "operating":
        spec = spec_for(name, unit if group == "geometry" else None)
        spec.check(name, np.asarray(out))
    if method == "latin-hypercube" and not out[0] < out[1]:
        raise OptionError(f"{name} = {values!r}: low must be below high")
    return out


def _units(design: CellDesign, name: str) -> tuple[str, str]:
    """(SI unit, unit a bare number is read in) of a swept parameter."""
    group, _, key = name.partition(".")
    if group == "operating":
        if key not in OPERATING:
            raise OptionError(
                f"{name}: unknown operating parameter; valid: "
                + ", ".join(f"operating.{k}" for k in OPERATING)
            )
        return OPERATING[key]
    if group == "geometry":
        units = FORMATS[design.format].units
        if key not in units:
            raise OptionError(
                f"{name}: not a geometry parameter of a {design.format} cell; "
                f"valid: {', '.join('geometry.' + k for k in units)}"
            )
        si = units[key]
        spec = spec_for(name, si)
        return si, _display(spec.display_unit)
    try:
        spec = spec_for(name)
    except KeyError as err:
        raise OptionError(
            f"{name}: cannot be swept; give cathode.*, anode.*, cell.*, geometry.* "
            "or operating.* parameters (natrium design --help lists them)"
        ) from err
    return spec.si_unit, _display(spec.display_unit)


def _display(unit: str) -> str:
    return {"um": "um", "": ""}.get(unit, unit)


# ------------------------------------------------------------------ samples


def sweep_samples(spec: SweepSpec) -> pd.DataFrame:
    """The variants (SI values, one column per parameter), indexed by id.

    A grid is every combination of the values (C order); a Latin hypercube
    draws ``samples`` points with one in each of ``samples`` equal strata of
    every parameter's range (McKay, Beckman and Conover 1979), from ``seed``.
    """
    names = list(spec.parameters)
    if spec.method == "grid":
        axes = [np.asarray(spec.parameters[n], float) for n in names]
        mesh = np.meshgrid(*axes, indexing="ij")
        values = {n: m.ravel() for n, m in zip(names, mesh, strict=True)}
    else:
        rng = np.random.default_rng(spec.seed)
        n = spec.samples
        values = {}
        for name in names:
            low, high = spec.parameters[name]
            strata = (rng.permutation(n) + rng.random(n)) / n
            values[name] = low + strata * (high - low)
    frame = pd.DataFrame(values)
    width = max(5, len(str(len(frame))))
    prefix = variant_prefix(spec)
    frame.index = [f"{prefix}{i:0{width}d}" for i in range(len(frame))]
    frame.index.name = "design_id"
    return frame


def variant_prefix(spec: SweepSpec) -> str:
    """The start of a sweep's variant ids: its design and a tag of what it
    samples, so another sweep of the same design in the same store (another
    seed, range or method) never reuses an id."""
    import hashlib
    import json

    what = json.dumps(
        {
            "method": spec.method,
            "parameters": {k: list(v) for k, v in sorted(spec.parameters.items())},
            "samples": spec.samples,
            "seed": spec.seed,
        },
        sort_keys=True,
    )
    return f"{spec.design}-{hashlib.sha256(what.encode()).hexdigest()[:6]}-"


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class _Task:
    """A chunk of variants for a worker: plain, picklable data."""

    design: CellDesign
    set_name: str | None
    prices: str | None
    outputs: tuple[str, ...]
    c_rate: float
    ids: tuple[str, ...]
    values: Mapping[str, tuple[float, ...]]
    #: material files this process loaded: a fresh worker (Dask) loads them too
    material_files: tuple[str, ...] = ()


def _evaluate(task: _Task) -> list[tuple[str, str, dict[str, Any], tuple[str, ...]]]:
    """(variant id, output, outputs, citations) of each variant of a chunk."""
    from natrium import citations
    from natrium.materials import load_material_file

    for path in task.material_files:  # known already: loading again is a no-op
        load_material_file(path)

    out = []
    design_values = {
        k: np.asarray(v, float)
        for k, v in task.values.items()
        if not k.startswith("operating.")
    }
    with citations.collect() as used:
        sheet = evaluate_designs(task.design, design_values)
    cited = tuple(sorted(used))
    for output in task.outputs:
        if output == "datasheet":
            for i, variant in enumerate(task.ids):
                out.append((variant, output, _sheet_row(sheet.iloc[i]), cited))
        elif output == "cost":
            out += _costs(task)
        elif output == "discharge":
            out += _discharges(task, sheet)
    return out


def _sheet_row(row: pd.Series) -> dict[str, Any]:
    energy, mass, volume = row["energy"], row["mass"], row["external_volume"]
    return {
        "capacity_Ah": row["capacity"] / AH,
        "energy_Wh": energy / WH,
        "nominal_voltage_V": row["nominal_voltage"],
        "mass_kg": mass,
        "volume_L": volume * 1e3,
        "specific_energy_Wh_per_kg": energy / WH / mass,
        "energy_density_Wh_per_L": energy / WH / (volume * 1e3),
        "np_ratio": row["np_ratio"],
    }


def _variant(task: _Task, i: int) -> CellDesign:
    from natrium.sim.sweep import variant_design

    return variant_design(
        task.design,
        {k: v[i] for k, v in task.values.items() if not k.startswith("operating.")},
    )


def _costs(task: _Task) -> list[tuple[str, str, dict[str, Any], tuple[str, ...]]]:
    from natrium.chain import Chain

    out = []
    for i, variant in enumerate(task.ids):
        result = Chain(_variant(task, i), prices=task.prices).cost()
        value = result.to_dict()
        row = {
            "usd_per_kWh": value["usd_per_kWh"],
            "materials_usd_per_kWh": value["materials_usd_per_kWh"],
        }
        out.append((variant, "cost", row, result.citations))
    return out


def _discharges(
    task: _Task, sheet: pd.DataFrame
) -> list[tuple[str, str, dict[str, Any], tuple[str, ...]]]:
    from natrium import citations
    from natrium.sim import resolve
    from natrium.sim.sweep import sweep

    overrides: dict[str, Any] = {
        k: np.asarray(v, float)
        for k, v in task.values.items()
        if not k.startswith("operating.")
    }
    for key in OPERATING:
        if f"operating.{key}" in task.values:
            overrides[key] = np.asarray(task.values[f"operating.{key}"], float)
    overrides["c_rate"] = task.c_rate * 3600.0
    with citations.collect() as used:
        pset = resolve(task.set_name, task.design)
        table = sweep(task.design, pset, overrides, processes=1)
    cited = tuple(sorted(used))
    out = []
    for i, variant in enumerate(task.ids):
        row = table.iloc[i]
        energy = row.get("energy_Wh", np.nan)
        duration = row.get("duration_s", np.nan)
        mass = float(sheet["mass"].iloc[i])
        result = {
            "c_rate_per_h": task.c_rate * 3600.0,
            "capacity_Ah": row.get("capacity_Ah", np.nan),
            "energy_Wh": energy,
            "mean_voltage_V": row.get("mean_voltage_V", np.nan),
            "duration_s": duration,
            "mean_power_W_per_kg": energy * WH / duration / mass
            if duration and duration == duration
            else np.nan,
            "error": str(row.get("error", "") or row.get("design_error", "") or ""),
        }
        out.append((variant, "discharge", _finite(result), cited))
    return out


def _finite(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, float | np.floating):
            v = float(v)
            out[k] = v if math.isfinite(v) else None
        else:
            out[k] = v
    return out


# ----------------------------------------------------------------------- run


@dataclass(frozen=True)
class SweepSummary:
    computed: int
    stored_before: int
    variants: int


def run_sweep(
    study: Study,
    store: Store,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> SweepSummary:
    """Compute every variant and output of the study's sweep not yet stored."""
    from natrium.study.runner import input_hash
    from natrium.study.store import Row

    spec: SweepSpec = study.sweep
    samples = sweep_samples(spec)
    done = store.hashes(study.name)
    keys: dict[tuple[str, str], str] = {}
    todo: dict[str, list[str]] = {}
    for variant, values in samples.iterrows():
        options = {str(k): float(v) for k, v in values.items()}
        options["c_rate"] = spec.c_rate
        for output in spec.outputs:
            key = input_hash(study, spec.design, f"sweep:{output}", options)
            keys[(str(variant), output)] = key
            if key not in done:
                todo.setdefault(str(variant), []).append(output)
    before = len(keys) - sum(len(v) for v in todo.values())
    swept = {
        str(v): {str(k): float(x) for k, x in row.items()}
        for v, row in samples.to_dict(orient="index").items()
    }
    tasks = list(_tasks(study, spec, samples, todo))
    computed = 0
    finished = 0
    for rows in _execute(tasks, workers, scheduler):
        store.put(
            Row(
                keys[(variant, output)],
                study.name,
                variant,
                f"sweep:{output}",
                {
                    "base_design": spec.design,
                    **swept[variant],
                    "c_rate_per_h": spec.c_rate * 3600.0,
                },
                outputs,
                __version__,
                cited,
            )
            for variant, output, outputs, cited in rows
        )
        computed += len(rows)
        finished += 1
        if progress is not None:
            progress(f"sweep: {finished} of {len(tasks)} chunks")
    return SweepSummary(computed, before, len(samples))


def _tasks(
    study: Study,
    spec: SweepSpec,
    samples: pd.DataFrame,
    todo: Mapping[str, Sequence[str]],
) -> Iterator[_Task]:
    """Chunks of variants that need the same outputs."""
    from natrium.materials import loaded_material_files
    from natrium.sim import resolve

    if "discharge" in spec.outputs:
        # the set's own materials are loaded with it, here, so workers get them
        resolve(study.parameter_sets.get(spec.design), study.designs[spec.design])
    files = tuple(str(p) for p in loaded_material_files())
    by_outputs: dict[tuple[str, ...], list[str]] = {}
    for variant, outputs in todo.items():
        by_outputs.setdefault(tuple(outputs), []).append(variant)
    for outputs, variants in by_outputs.items():
        for start in range(0, len(variants), CHUNK):
            ids = tuple(variants[start : start + CHUNK])
            chunk = samples.loc[list(ids)]
            yield _Task(
                design=study.designs[spec.design],
                set_name=study.parameter_sets.get(spec.design),
                prices=study.prices,
                outputs=outputs,
                c_rate=spec.c_rate,
                ids=ids,
                values={c: tuple(float(v) for v in chunk[c]) for c in chunk.columns},
                material_files=files,
            )


def _execute(
    tasks: list[_Task], workers: int, scheduler: str | None
) -> Iterator[list[tuple[str, str, dict[str, Any], tuple[str, ...]]]]:
    """Each chunk's rows as it finishes: here, on local processes or on Dask."""
    if not tasks:
        return
    if scheduler is not None:
        yield from _on_dask(tasks, scheduler)
    elif workers <= 1:
        for task in tasks:
            yield _evaluate(task)
    else:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures: list[Future[Any]] = [pool.submit(_evaluate, t) for t in tasks]
            for future in as_completed(futures):
                yield future.result()


def _on_dask(
    tasks: list[_Task], scheduler: str
) -> Iterator[list[tuple[str, str, dict[str, Any], tuple[str, ...]]]]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    try:
        client = Client(scheduler, timeout="10s")
    except OSError as err:
        raise OptionError(
            f"--scheduler {scheduler!r}: no Dask scheduler answers there ({err})"
        ) from err
    try:
        futures = client.map(_evaluate, tasks, pure=False)
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()


def sweep_table(store: Store, study: Study) -> pd.DataFrame:
    """One row per variant of the study's stored sweep (its own variants only,
    not another sweep's in the same store): its swept values (SI, ``in.``),
    the datasheet's and cost's outputs, and the discharge's (``discharge.``)."""
    prefix = variant_prefix(study.sweep)
    parts: list[pd.DataFrame] = []
    for output in OUTPUTS:
        frame = store.outputs(f"sweep:{output}", study=study.name)
        frame = frame[frame.index.astype(str).str.startswith(prefix)]
        if frame.empty:
            continue
        inputs = [c for c in frame.columns if c.startswith("in.")]
        if not parts:
            parts.append(frame[inputs])
        frame = frame.drop(columns=inputs)
        if output == "discharge":
            frame = frame.add_prefix("discharge.")
        parts.append(frame)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, axis=1)


# ------------------------------------------------------------------- pareto


def pareto_front(frame: pd.DataFrame, objectives: Mapping[str, str]) -> pd.DataFrame:
    """The rows no other row beats on every objective (``"max"`` or ``"min"``
    per column): at least as good on all and better on one. Rows with a
    missing objective are left out."""
    for column, sense in objectives.items():
        if sense not in ("max", "min"):
            raise OptionError(f"objective {column}: {sense!r}; valid: max, min")
        if column not in frame:
            raise OptionError(
                f"objective {column!r} is not an output; valid: "
                f"{', '.join(map(str, frame.columns))}"
            )
    data = frame.dropna(subset=list(objectives))
    # as minimisation: negate what is maximised
    values = np.column_stack(
        [
            -data[c].to_numpy(float) if s == "max" else data[c].to_numpy(float)
            for c, s in objectives.items()
        ]
    )
    keep = np.ones(len(data), dtype=bool)
    for i in range(len(data)):
        if not keep[i]:
            continue
        no_worse = np.all(values <= values[i], axis=1)
        better = np.any(values < values[i], axis=1)
        dominated_by = no_worse & better
        if np.any(dominated_by):
            keep[i] = False
    return data[keep]
