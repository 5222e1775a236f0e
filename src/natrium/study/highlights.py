"""The figures of a stored study a reader looks for first, one line each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from natrium.study.spec import Study
from natrium.study.store import Store

Line = dict[str, Any]


def study_highlights(store: Store, study: Study) -> list[dict[str, Any]]:
    """Headline figures of every stored step of ``study``, one entry per step
    and design (its id in the study): ``figures`` of what, value and unit
    (battery units, for people)."""
    out: list[dict[str, Any]] = []
    for step in study.steps:
        pick = _PICKS.get(step.kind)
        if pick is None:
            continue
        frame = store.outputs(step.label, study=study.name)
        for design_id in frame.index:
            outputs = store.output(study.name, str(design_id), step.label)
            out.append(
                {"step": step.label, "design": str(design_id), "figures": pick(outputs)}
            )
    return out


def _line(what: str, value: Any, unit: str) -> Line:
    return {"what": what, "value": value, "unit": unit}


def _datasheet(o: dict[str, Any]) -> list[Line]:
    return [
        _line("capacity", o["capacity_Ah"], "Ah"),
        _line("specific energy", o["specific_energy_Wh_per_kg"], "Wh/kg"),
        _line("energy density", o["energy_density_Wh_per_L"], "Wh/L"),
    ]


def _simulate(o: dict[str, Any]) -> list[Line]:
    return [
        _line("discharged", o["discharge_capacity_Ah"], "Ah"),
        _line("mean voltage", o["mean_voltage_V"], "V"),
        _line("lasting", o["duration_s"] / 60.0, "min"),
    ]


def _cost(o: dict[str, Any]) -> list[Line]:
    # a cost is of a plant size: say which
    return [
        _line("cell cost", o["usd_per_kWh"], "USD/kWh"),
        _line("at a plant of", o["plant_gwh_per_year"], "GWh/yr"),
    ]


def _plant(o: dict[str, Any]) -> list[Line]:
    out = []
    if "cathode_plant" in o:
        c = o["cathode_plant"]
        out.append(
            _line(
                c.get("plant") or "cathode plant", c["cathode_tonnes_per_year"], "t/yr"
            )
        )
        out.append(_line("makes cells of", c["gwh_per_year"], "GWh/yr"))
    if "cell_plant" in o:
        c = o["cell_plant"]
        out.append(_line("cell plant", c["mwh_per_year"], "MWh/yr"))
        out.append(_line("cells", c["cells_per_year"], "/yr"))
    return out


def _tray(o: dict[str, Any]) -> list[Line]:
    return [
        _line("48 V tray", o["continuous_W"] / 1e3, "kW continuous"),
        _line("peak", o["peak_W"] / 1e3, "kW"),
        _line("runtime at continuous", o["runtime_at_continuous_min"], "min"),
    ]


def _ups(o: dict[str, Any]) -> list[Line]:
    out = []
    for system in o.get("comparison") or [o]:
        out += [
            _line(str(system["chemistry"]), system["total_cells"], "cells"),
            _line("", system["mass_kg"] / 1e3, "t"),
            _line("", system["floor_area_m2"], "m2"),
            _line("", system["capex_usd"] / 1e3, "k USD"),
        ]
    return out


_PICKS: dict[str, Callable[[dict[str, Any]], list[Line]]] = {
    "datasheet": _datasheet,
    "simulate": _simulate,
    "cost": _cost,
    "plant": _plant,
    "tray": _tray,
    "ups": _ups,
}
