"""Run a study's steps through :class:`natrium.Chain` into a results store.

Each (design, step) is one result, keyed by a hash of everything that went
into it (the design, its set and prices, the step and its options, natrium's
version). A result already in the store is not computed again; each new one
is committed as soon as it is finished, so a killed run loses only the result
it was computing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from natrium import __version__
from natrium.chain import Chain, Result, design_inputs
from natrium.study.spec import Step, Study
from natrium.study.store import Row, Store

#: Points of a discharge curve kept in the store (for plots, not analysis).
CURVE_POINTS = 200


@dataclass(frozen=True)
class RunSummary:
    """What a run did: results computed now and found already stored."""

    study: str
    computed: int
    stored_before: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "computed": self.computed,
            "already_stored": self.stored_before,
        }


def input_hash(
    study: Study, design_id: str, step: str, options: Mapping[str, Any]
) -> str:
    """The store's key of one result: a hash of all its inputs and the version."""
    design = study.designs[design_id]
    payload = {
        # one store may hold many studies: a result belongs to its own
        "study": study.name,
        "design": {"name": design.name, **design_inputs(design)},
        "parameter_set": study.parameter_sets.get(design_id),
        "prices": _prices_key(study.prices),
        "step": step,
        "options": {k: repr(v) for k, v in sorted(options.items())},
        "natrium": __version__,
    }
    text = json.dumps(payload, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _prices_key(prices: str | None) -> str | None:
    """A price file by its contents (an edited file is new input), a preset
    by its name."""
    if prices is None or not Path(prices).is_file():
        return prices
    return hashlib.sha256(Path(prices).read_bytes()).hexdigest()


def chain_for(study: Study, design_id: str) -> Chain:
    """The chain of one of the study's designs, with its set and prices."""
    return Chain(
        study.designs[design_id],
        study.parameter_sets.get(design_id),
        prices=study.prices,
    )


def run_study(
    study: Study,
    store: Store,
    *,
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    """Compute every (design, step) of ``study`` not yet in ``store``."""
    done = store.hashes(study.name)
    computed = skipped = 0
    for step in study.steps:
        for design_id in step.designs:
            key = input_hash(study, design_id, step.label, step.options)
            if key in done:
                skipped += 1
                continue
            if progress is not None:
                progress(f"{step.label}: {study.designs[design_id].name}")
            outputs, citations = run_step(study, design_id, step)
            store.put(
                [
                    Row(
                        key,
                        study.name,
                        design_id,
                        step.label,
                        {"design": study.designs[design_id].name, **step.typed},
                        outputs,
                        __version__,
                        citations,
                    )
                ]
            )
            done.add(key)
            computed += 1
    if study.sweep is not None:
        from natrium.study.sweep import run_sweep

        swept = run_sweep(study, store, progress=progress)
        computed += swept.computed
        skipped += swept.stored_before
    return RunSummary(study.name, computed, skipped)


# ------------------------------------------------------------------- steps


def run_step(
    study: Study, design_id: str, step: Step
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """One step on one design: its outputs (strict-JSON-able) and citations."""
    chain = chain_for(study, design_id)
    results = _STEPS[step.kind](chain, step.options)
    outputs: dict[str, Any] = {}
    citations: dict[str, None] = {}
    for label, result in results.items():
        if isinstance(result, Result):
            value = result.to_dict()
            citations.update(dict.fromkeys(result.citations))
        else:
            value = result
        if label == "":
            outputs.update(value)
        else:
            outputs[label] = value
    outputs.pop("citations", None)
    return outputs, tuple(citations)


_Steps = dict[str, Any]


def _datasheet(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    return {"": chain.datasheet()}


def _simulate(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    result = chain.simulate(
        list(o["experiment"]) if "experiment" in o else None,
        temperature=o.get("temperature"),
        state_of_health=o.get("state_of_health", 1.0),
    )
    return {"": result, "curve": curve(result.value.data)}


def curve(data: pd.DataFrame) -> dict[str, list[float]]:
    """The discharge curve thinned to about CURVE_POINTS points."""
    step = max(1, len(data) // CURVE_POINTS)
    kept = pd.concat([data.iloc[::step], data.iloc[[-1]]]).drop_duplicates()
    columns = ("time_s", "voltage_V", "discharge_capacity_Ah", "power_W")
    return {c: [float(v) for v in kept[c]] for c in columns if c in kept}


def _rate(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    return {
        "": chain.rate_table(
            temperature=o.get("temperature"),
            state_of_health=o.get("state_of_health", 1.0),
        )
    }


def _cost(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    return {"": chain.cost(o.get("output"))}


def _plant(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    from natrium.plant.cell_plant import meadowbrook_output

    out: _Steps = {}
    cathode = o.get("cathode")
    if isinstance(cathode, str):
        out["cathode_plant"] = chain.cathode_plant(name=cathode)
    elif cathode is not None:
        out["cathode_plant"] = chain.cathode_plant(cathode)
    cells = o.get("cells")
    if cells == "meadowbrook":
        out["cell_plant"] = chain.cell_plant(meadowbrook_output())
    elif cells is not None:
        out["cell_plant"] = chain.cell_plant(float(cells))
    if "power" in o:
        out["runtime_table"] = chain.runtime_table(o["power"])
    if not out:  # the default plant of the manufacturing model
        out["cell_plant"] = chain.cell_plant(chain.manufacturing.default_output)
    return out


def _ups(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    from natrium.apps.ups import Duty, comparison

    duty = Duty.default(
        load=o["load"], runtime=o["runtime"], temperature=o.get("temperature")
    )
    soh = o.get("state_of_health")
    out: _Steps = {"": chain.ups(duty, state_of_health=soh)}
    if o.get("compare"):
        table = comparison(duty, state_of_health=soh)
        out["comparison"] = table.reset_index().to_dict(orient="records")
    return out


def _tray(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    return {"": chain.tray()}


def _telecom(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    return {"": chain.telecom(o["load"], o["runtime"])}


def _grid(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    from natrium.apps.grid import grid_table

    table = grid_table(
        [(chain.design, chain.simulation_set)], temperature=o.get("temperature")
    )
    records = table.drop(columns="breakdown_usd_per_MWh", errors="ignore")
    return {"table": records.reset_index().to_dict(orient="records")}


def _ev(chain: Chain, o: Mapping[str, Any]) -> _Steps:
    return {"": chain.ev(o["range"], cold=o.get("cold", 253.15))}


_STEPS: dict[str, Callable[[Chain, Mapping[str, Any]], _Steps]] = {
    "datasheet": _datasheet,
    "simulate": _simulate,
    "rate": _rate,
    "cost": _cost,
    "plant": _plant,
    "ups": _ups,
    "tray": _tray,
    "telecom": _telecom,
    "grid": _grid,
    "ev": _ev,
}
