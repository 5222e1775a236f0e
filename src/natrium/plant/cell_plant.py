"""Cell plants: energy a year, cells, lines, scrap over time, energy use, money.

A critical-power cell plant is rated in MW a year of cells; the energy it
makes is power times the runtime the cells are sized for (1.5 minutes at
rated power makes 600 MW a year about 15 MWh a year, Uptime Institute's
estimate for Natron's Meadowbrook plant). Everything else follows from the
cell design and the one manufacturing model (:mod:`natrium.cost.manufacturing`):
cells a year, cathode material bought (the same figure as
:func:`natrium.plant.tonnage.cathode_for_energy` and :func:`natrium.cost.cell_cost`),
lines (whole lines of :mod:`natrium.plant.line`'s reference line making this
cell), plant energy by chemistry family, and, through :func:`natrium.cost.cell_cost`,
capital, running cost and staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from natrium import citations
from natrium._data import DataFile
from natrium._validation import check_positive
from natrium.cell import CellDesign, evaluate
from natrium.constants import SECONDS_PER_YEAR
from natrium.cost import CellCost, CostAssumptions, cell_cost
from natrium.cost.manufacturing import Manufacturing, manufacturing
from natrium.cost.model import below_floor, cell_line, costed, line_rate
from natrium.exceptions import ParameterError
from natrium.plant.line import load_line, static_throughput
from natrium.plant.tonnage import cathode_energy_per_mass
from natrium.units import GWH, KWH, MINUTE, MWH, TONNE, WH

PLANTS = DataFile(Path(__file__).with_name("data") / "plants.toml", "plant data")


def energy_from_power(
    power: ArrayLike,
    *,
    runtime: ArrayLike | None = None,
    c_rate: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Energy a year made by a plant rated in power a year [J yr⁻¹].

    ``power`` [W yr⁻¹]; give the ``runtime`` the cells deliver that power for
    [s], or the ``c_rate`` that power corresponds to [s⁻¹]: energy = power x
    runtime = power / C-rate.
    """
    watts = check_positive("power", power, unit="W/yr")
    if (runtime is None) == (c_rate is None):
        raise ParameterError("give exactly one of runtime [s] or c_rate [1/s]")
    if runtime is not None:
        seconds = check_positive("runtime", runtime, unit="s")
    else:
        seconds = 1.0 / check_positive("c_rate", np.asarray(c_rate, float), unit="1/s")
    return np.asarray(watts * seconds, dtype=float)


def meadowbrook_output() -> float:
    """Natron's Meadowbrook plant: 600 MW a year at 1.5 min [J yr⁻¹]."""
    power = PLANTS.value("cell_plants.meadowbrook", "power", "W/yr")
    runtime = PLANTS.value("cell_plants.meadowbrook", "runtime", "s")
    return float(energy_from_power(power, runtime=runtime))


@cache
def critical_power_design() -> CellDesign:
    """The cell a critical-power cell plant makes when none is given
    (``plants.toml [critical_power] example``)."""
    from natrium.io import load_example

    return load_example(str(PLANTS.table("critical_power")["example"]))


def critical_power_runtimes() -> tuple[float, ...]:
    """Runtimes a critical-power plant is shown at [s] (``plants.toml``)."""
    return tuple(
        MINUTE * float(m) for m in PLANTS.table("critical_power")["runtimes_min"]
    )


@dataclass(frozen=True)
class CellPlant:
    """What a cell plant of a given output makes and needs, for one design (SI).

    ``energy_per_year`` [J yr⁻¹] of good cells; ``cell_energy`` [J];
    ``line_output`` [J yr⁻¹] of one line making this cell;
    ``cathode_mass_per_year`` [kg yr⁻¹] bought; ``energy_intensity`` the plant's
    energy per unit of cell energy, low and high [J J⁻¹]; ``cost`` the cell cost
    at this output (capital, running cost, staff).
    """

    design_name: str
    energy_per_year: float
    cells_per_year: float
    cell_energy: float
    lines: int
    line_output: float
    cathode_material: str
    cathode_mass_per_year: float
    steady_scrap: float
    energy_intensity: tuple[float, float]
    cost: CellCost | None  # None below the range the cost model holds
    assumptions: pd.DataFrame
    ramp_up: pd.DataFrame
    citations: tuple[str, ...] = ()

    @property
    def plant_energy_intensity(self) -> float:
        """Central plant energy per unit of cell energy [J J⁻¹]."""
        return 0.5 * sum(self.energy_intensity)

    @property
    def capex_usd(self) -> float:
        return self.cost.capex_usd if self.cost else float("nan")

    @property
    def opex_usd_per_year(self) -> float:
        return self.cost.opex_usd_per_year if self.cost else float("nan")

    @property
    def staff(self) -> float:
        return self.cost.staff if self.cost else float("nan")

    @property
    def warnings(self) -> tuple[str, ...]:
        if self.cost is None:
            return (below_floor(self.energy_per_year),)
        return self.cost.warnings

    def to_dict(self) -> dict[str, Any]:
        low, high = self.energy_intensity
        return {
            "design": self.design_name,
            "mwh_per_year": self.energy_per_year / MWH,
            "gwh_per_year": self.energy_per_year / GWH,
            "cells_per_year": self.cells_per_year,
            "cell_energy_Wh": self.cell_energy / WH,
            "lines": self.lines,
            "line_gwh_per_year": self.line_output / GWH,
            "cathode_material": self.cathode_material,
            "cathode_tonnes_per_year": self.cathode_mass_per_year / TONNE,
            "steady_scrap": self.steady_scrap,
            "plant_energy_kWh_per_kWh": self.plant_energy_intensity,
            "plant_energy_kWh_per_kWh_low": low,
            "plant_energy_kWh_per_kWh_high": high,
            "capex_usd": self.capex_usd,
            "opex_usd_per_year": self.opex_usd_per_year,
            "direct_staff": self.staff,
            "usd_per_kWh": float(np.mean(self.cost.usd_per_kwh))
            if self.cost
            else float("nan"),
            "warnings": list(self.warnings),
            "assumptions": self.assumptions.to_dict(orient="records"),
            "ramp_up": self.ramp_up.to_dict(orient="records"),
            "citations": list(self.citations),
        }


def _line_cells(design: CellDesign, plant: Manufacturing) -> float:
    """Good cells a year one line makes [yr⁻¹]: the reference stacked line's
    bottleneck, or for a wound cylindrical cell the cylindrical line rate the
    cost model's cell-count steps use (one figure for both)."""
    kind = cell_line(design.format)
    if kind == "stacked":
        return static_throughput(load_line(design=design, plant=plant))
    # the line rate is a calendar-time average of good cells (Panasonic's
    # cells a year over its lines), so neither hours nor yield apply again
    return line_rate(kind) * SECONDS_PER_YEAR


def cell_plant(
    design: CellDesign,
    energy_per_year: float,
    *,
    plant: Manufacturing | None = None,
    prices: Mapping[str, Any] | None = None,
    assumptions: CostAssumptions | None = None,
    ramp_years: int = 5,
) -> CellPlant:
    """A cell plant making ``energy_per_year`` [J yr⁻¹] of ``design``'s cells.

    Cells a year are good cells; the cathode material bought covers the
    steady-state scrap of the manufacturing model. Lines are whole lines of the
    reference line (:func:`natrium.plant.line.load_line`) making this design.
    Capital, running cost and staff are :func:`natrium.cost.cell_cost`'s at
    this output, with ``prices`` and the factor prices of ``assumptions``
    (its yields and plant size belong in ``plant``: ``assumptions.apply_to``).
    """
    joules = float(check_positive("energy_per_year", energy_per_year, unit="J/yr"))
    plant = plant or manufacturing()
    with citations.collect() as used:
        report = evaluate(design)
        cells = joules / report.energy
        steady = plant.steady_scrap
        per_kg = cathode_energy_per_mass(design, plant)
        line_output = _line_cells(design, plant) * report.energy
        lines = max(1, int(np.ceil(joules / line_output)))
        intensity = plant.energy_intensity(design.chemistry)
        # a pilot-scale plant: no cost, and it says so; any other error stands
        money: CellCost | None = (
            cell_cost(
                design, joules, prices=prices, plant=plant, assumptions=assumptions
            )
            if costed(joules)
            else None
        )
        years = np.arange(0, ramp_years + 1, dtype=float)
        ramp = pd.DataFrame(
            {"year": years, "scrap": plant.scrap(years * SECONDS_PER_YEAR)}
        )
        ramp["good_output_share"] = (1.0 - ramp["scrap"]) / (1.0 - steady)
        rows = [
            (
                "cell energy",
                report.energy / WH,
                "Wh",
                f"natrium.cell.evaluate of '{design.name}'",
            ),
            (
                "cathode active bought per kWh",
                KWH / per_kg,
                "kg/kWh",
                "bill of materials / yield",
            ),
            (
                "steady-state scrap of cathode material",
                steady,
                "-",
                "natrium.cost.manufacturing (step yields)",
            ),
            (
                "line output (reference line, this cell)",
                line_output / GWH,
                "GWh/yr",
                "natrium.plant.line",
            ),
            (
                "plant energy per kWh of cells",
                0.5 * sum(intensity),
                "kWh/kWh",
                f"natrium.cost.manufacturing ({design.chemistry})",
            ),
        ]
    table = pd.DataFrame(rows, columns=["assumption", "value", "unit", "source"])
    return CellPlant(
        design_name=design.name,
        energy_per_year=joules,
        cells_per_year=cells,
        cell_energy=report.energy,
        lines=lines,
        line_output=line_output,
        cathode_material=design.cathode.active,
        cathode_mass_per_year=joules / per_kg,
        steady_scrap=steady,
        energy_intensity=intensity,
        cost=money,
        assumptions=table,
        ramp_up=ramp,
        citations=tuple(used),
    )


def runtime_table(
    design: CellDesign,
    power: float,
    runtimes: ArrayLike | None = None,
    *,
    plant: Manufacturing | None = None,
) -> pd.DataFrame:
    """Energy a year and cathode material for a plant rated in ``power`` a year
    [W yr⁻¹] at each runtime [s] (default :func:`critical_power_runtimes`).

    Columns in battery units for people: MWh a year, cells, tonnes of cathode.
    """
    plant = plant or manufacturing()
    per_kg = cathode_energy_per_mass(design, plant)
    cell = evaluate(design).energy
    seconds = np.asarray(
        critical_power_runtimes() if runtimes is None else runtimes, dtype=float
    )
    energy = energy_from_power(power, runtime=seconds)
    return pd.DataFrame(
        {
            "runtime_min": seconds / MINUTE,
            "mwh_per_year": energy / MWH,
            "cells_per_year": energy / cell,
            "cathode_tonnes_per_year": energy / per_kg / TONNE,
        }
    ).set_index("runtime_min")


__all__ = [
    "PLANTS",
    "CellPlant",
    "cell_plant",
    "critical_power_design",
    "critical_power_runtimes",
    "energy_from_power",
    "meadowbrook_output",
    "runtime_table",
]
