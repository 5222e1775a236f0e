"""Cell plants: MW or GWh a year, cells, lines, scrap over time, energy, tonnes.

A critical-power cell plant is rated in MW a year of cells; the energy it
makes is power times the runtime the cells are sized for (1.5 minutes at
rated power makes 600 MW a year about 15 MWh a year, Uptime Institute's
estimate for Natron's Meadowbrook plant). Everything else follows from the
cell design: cells a year, cathode tonnes (through the bill of materials and
scrap), lines, energy use, and, through :mod:`natrium.cost`, capital, running
cost and staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from natrium import citations
from natrium._toml import read_toml
from natrium._validation import check_positive
from natrium.cell import CellDesign, evaluate
from natrium.exceptions import ParameterError
from natrium.materials import Sourced, get_active, read_value
from natrium.units import WH

_DATA = Path(__file__).with_name("data") / "cell_plant.toml"
MWH = 1e6 * WH  # [J]
SECONDS_PER_MINUTE = 60.0


@cache
def _table() -> dict[str, Any]:
    return read_toml(_DATA, "cell-plant data")


def assumption(section: str, key: str, unit: str) -> Sourced:
    """A sourced value of ``cell_plant.toml`` in SI (``unit``)."""
    value = read_value(f"cell_plant.toml: {section}", _table()[section], key, unit)
    citations.register(value.ref)
    return value


def energy_from_power(
    mw_per_year: ArrayLike,
    *,
    runtime_min: ArrayLike | None = None,
    c_rate: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """MWh a year made by a plant rated in MW a year [MWh yr⁻¹].

    Give the runtime the cells deliver their rated power for [min], or the
    C-rate that power corresponds to [h⁻¹]: energy = power x runtime =
    power / C-rate.
    """
    mw = check_positive("mw", mw_per_year, unit="MW/yr")
    if (runtime_min is None) == (c_rate is None):
        raise ParameterError("give exactly one of runtime_min [min] or c_rate [1/h]")
    if runtime_min is not None:
        hours = (
            check_positive("runtime_min", runtime_min, unit="min") / SECONDS_PER_MINUTE
        )
    else:
        hours = 1.0 / check_positive("c_rate", np.asarray(c_rate, float), unit="1/h")
    return mw * hours


def scrap_curve(years: ArrayLike) -> NDArray[np.float64]:
    """Scrap fraction against years since start of production [-].

    ``steady + (start - steady) exp(-t / tau)``, with the start, steady state
    and time constant of ``cell_plant.toml`` (Porsche Consulting 2025,
    Fraunhofer FFB 2024).
    """
    t = np.asarray(years, dtype=float)
    if np.any(t < 0):
        raise ParameterError("years must be >= 0 [yr]")
    start = assumption("scrap", "start", "").value
    steady = assumption("scrap", "steady", "").value
    tau_years = assumption("scrap", "time_constant", "yr").value
    return steady + (start - steady) * np.exp(-t / tau_years)


def energy_intensity(ion: str) -> tuple[float, float]:
    """Plant energy per kWh of cells, low and high [kWh kWh⁻¹]."""
    if ion == "Li":
        value = assumption("energy", "lithium_ion", "").value
        return value, value
    return (
        assumption("energy", "sodium_ion_low", "").value,
        assumption("energy", "sodium_ion_high", "").value,
    )


@dataclass(frozen=True)
class CellPlant:
    """What a cell plant of a given output makes and needs, for one design."""

    design_name: str
    mwh_per_year: float
    cells_per_year: float
    cell_energy_wh: float
    lines: int
    cathode_material: str
    cathode_tonnes_per_year: float
    steady_scrap: float
    energy_kwh_per_kwh: tuple[float, float]
    assumptions: pd.DataFrame
    ramp_up: pd.DataFrame
    cost: dict[str, Any] = field(default_factory=dict)
    citations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        low, high = self.energy_kwh_per_kwh
        out: dict[str, Any] = {
            "design": self.design_name,
            "mwh_per_year": self.mwh_per_year,
            "cells_per_year": self.cells_per_year,
            "cell_energy_Wh": self.cell_energy_wh,
            "lines": self.lines,
            "cathode_material": self.cathode_material,
            "cathode_tonnes_per_year": self.cathode_tonnes_per_year,
            "steady_scrap": self.steady_scrap,
            "energy_kwh_per_kwh": 0.5 * (low + high),
            "energy_kwh_per_kwh_low": low,
            "energy_kwh_per_kwh_high": high,
            "assumptions": self.assumptions.to_dict(orient="records"),
            "ramp_up": self.ramp_up.to_dict(orient="records"),
            "citations": list(self.citations),
        }
        out.update(self.cost)
        return out


def cell_plant(
    design: CellDesign, mwh_per_year: float, *, ramp_years: int = 5
) -> CellPlant:
    """A cell plant making ``mwh_per_year`` of ``design``'s cells.

    Cells a year are good cells; the cathode material bought covers the
    steady-state scrap. Lines are whole lines of the cited line capacity.
    Plant quantities are per year (MWh/yr, t/yr, GWh/yr), as plants are rated.
    """
    mwh = float(check_positive("mwh_per_year", mwh_per_year, unit="MWh/yr"))
    with citations.collect() as used:
        report = evaluate(design)
        cell_wh = float(report.metrics["energy_Wh"])
        cells = mwh * MWH / (cell_wh * WH)
        steady = float(scrap_curve(np.inf))
        kg_per_kwh = float(report.materials_per_kwh[design.cathode.active])
        tonnes = kg_per_kwh * mwh * 1e3 / (1.0 - steady) / 1e3
        line = assumption("line", "capacity", "GWh/yr")
        gwh = mwh / 1e3
        lines = max(1, int(np.ceil(gwh / line.value)))  # line.value in GWh/yr
        ion = get_active(design.cathode.active).ion
        intensity = energy_intensity(ion)
        years = np.arange(0, ramp_years + 1, dtype=float)
        ramp = pd.DataFrame({"year": years, "scrap": scrap_curve(years)})
        ramp["good_output_share"] = (1.0 - ramp["scrap"]) / (1.0 - steady)
        rows = [
            ("cell energy", cell_wh, "Wh", f"natrium.cell.evaluate of '{design.name}'"),
            ("cathode active per kWh", kg_per_kwh, "kg/kWh", "bill of materials"),
            ("steady-state scrap", steady, "-", "cell_plant.toml: scrap.steady"),
            ("line capacity", line.value, "GWh/yr", line.ref),
            (
                "energy per kWh of cells",
                0.5 * sum(intensity),
                "kWh/kWh",
                "cell_plant.toml: energy",
            ),
        ]
    table = pd.DataFrame(rows, columns=["assumption", "value", "unit", "source"])
    return CellPlant(
        design_name=design.name,
        mwh_per_year=mwh,
        cells_per_year=cells,
        cell_energy_wh=cell_wh,
        lines=lines,
        cathode_material=design.cathode.active,
        cathode_tonnes_per_year=tonnes,
        steady_scrap=steady,
        energy_kwh_per_kwh=intensity,
        assumptions=table,
        ramp_up=ramp,
        citations=tuple(used),
    )


def runtime_table(
    design: CellDesign,
    mw_per_year: float,
    runtimes_min: ArrayLike = (1, 1.5, 2, 5, 10, 15),
) -> pd.DataFrame:
    """MWh a year and cathode tonnes for a plant rated in MW at each runtime."""
    rows = []
    for minutes in np.asarray(runtimes_min, dtype=float):
        mwh = float(energy_from_power(mw_per_year, runtime_min=minutes))
        plant = cell_plant(design, mwh)
        rows.append(
            {
                "runtime_min": minutes,
                "mwh_per_year": mwh,
                "cells_per_year": plant.cells_per_year,
                "cathode_tonnes_per_year": plant.cathode_tonnes_per_year,
            }
        )
    return pd.DataFrame(rows).set_index("runtime_min")


__all__ = [
    "CellPlant",
    "cell_plant",
    "energy_from_power",
    "energy_intensity",
    "runtime_table",
    "scrap_curve",
]
