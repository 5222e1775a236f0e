"""Cathode tonnes <-> GWh of cells a year.

Three figures, each with every factor stated:

* **ideal**: every kilogram delivers the material's theoretical capacity at its
  average potential against sodium (lithium) metal. This is how plant
  announcements are made: 2,000 t of Prussian white x 170 mAh/g x 3.2 V is
  about 1 GWh (Altris' Ferrum plant, Energy-Storage.news 2022).
* **low / high**: a real cell. The material gives its practical capacity (low
  and high ends of what is reported); the cell returns only part of it after
  the first-cycle sodium loss and N/P balance, at the full-cell nominal voltage
  against its anode (both from :func:`natrium.cell.evaluate`); and a share of
  the material is scrapped in electrode and cell making.

.. math:: E = m \\, q \\, (1 - L_{fc}) \\, V_{cell} \\, (1 - s)
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natrium import citations
from natrium._validation import check_fraction, check_positive
from natrium.cell import CellDesign, evaluate
from natrium.exceptions import ParameterError
from natrium.materials import get_active
from natrium.materials.sourced import Sourced, read_value
from natrium.units import AH, GWH, MAH_PER_G

_DATA = Path(__file__).with_name("data")
TONNE = 1000.0  # [kg]


@cache
def scrap_range() -> tuple[Sourced, Sourced]:
    """Steady-state scrap of cathode material, low and high [-], with sources."""
    table = tomllib.loads((_DATA / "tonnage.toml").read_text(encoding="utf-8"))["scrap"]
    where = "tonnage.toml: scrap"
    return read_value(where, table, "low", ""), read_value(where, table, "high", "")


@dataclass(frozen=True)
class Assumption:
    name: str
    low: float
    high: float
    unit: str
    source: str


@dataclass(frozen=True)
class TonnageResult:
    """GWh a year of cells from a tonnage of cathode material, with assumptions."""

    cathode: str
    tonnes_per_year: NDArray[np.float64]
    gwh_per_year_ideal: NDArray[np.float64]
    gwh_per_year_low: NDArray[np.float64]
    gwh_per_year_high: NDArray[np.float64]
    assumptions: tuple[Assumption, ...]
    design_name: str
    citations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        def plain(a: NDArray[np.float64]) -> float | list[float]:
            return float(a) if a.ndim == 0 else a.tolist()

        return {
            "cathode": self.cathode,
            "design": self.design_name,
            "tonnes_per_year": plain(self.tonnes_per_year),
            "gwh_per_year_ideal": plain(self.gwh_per_year_ideal),
            "gwh_per_year_low": plain(self.gwh_per_year_low),
            "gwh_per_year_high": plain(self.gwh_per_year_high),
            "assumptions": [dataclasses.asdict(a) for a in self.assumptions],
            "citations": list(self.citations),
        }


def _factors(design: CellDesign, scrap: tuple[float, float] | None) -> dict[str, Any]:
    """Energy per kg of cathode material bought [J kg⁻¹]: ideal, low, high."""
    report = evaluate(design)
    used = list(report.citations)
    s_low, s_high = scrap_range()
    citations.register([s_low.ref, s_high.ref])
    material = get_active(design.cathode.active)
    theoretical = material.theoretical_capacity
    if theoretical is None:
        raise ParameterError(
            f"cathode {material.key!r} has no formula, so no "
            "theoretical capacity for the ideal figure"
        )
    m = report.metrics
    cathode_mass = float(report.bom.loc["cathode active", "mass_kg"])  # type: ignore[arg-type]
    cell_fraction = (
        float(m["capacity_Ah"])
        * AH
        / (cathode_mass * material.practical_capacity.value)
    )
    scrap_lo, scrap_hi = scrap if scrap is not None else (s_low.value, s_high.value)
    scrap_src = f"{s_low.ref}" if scrap is None else "user"
    q_lo, q_hi = (
        material.practical_capacity_low.value,
        material.practical_capacity.value,
    )
    volts = float(m["nominal_voltage_V"])
    assumptions = (
        Assumption(
            "theoretical capacity",
            theoretical / MAH_PER_G,
            theoretical / MAH_PER_G,
            "mAh/g",
            f"Faraday's law on {material.formula} ({material.electrons:g} "
            f"{material.ion}), CIAAW2021",
        ),
        Assumption(
            "average potential vs metal (ideal)",
            material.average_potential,
            material.average_potential,
            "V",
            ", ".join(material.ocp.sources),
        ),
        Assumption(
            "practical capacity",
            q_lo / MAH_PER_G,
            q_hi / MAH_PER_G,
            "mAh/g",
            f"{material.practical_capacity_low.ref} / "
            f"{material.practical_capacity.ref}",
        ),
        Assumption(
            "utilisation (practical / theoretical)",
            q_lo / theoretical,
            q_hi / theoretical,
            "-",
            "derived",
        ),
        Assumption(
            "cell capacity / cathode capacity (first-cycle loss, N/P)",
            cell_fraction,
            cell_fraction,
            "-",
            f"natrium.cell.evaluate of '{design.name}'",
        ),
        Assumption(
            "full-cell nominal voltage",
            volts,
            volts,
            "V",
            f"natrium.cell.evaluate of '{design.name}' (OCP integral)",
        ),
        Assumption("scrap of cathode material", scrap_hi, scrap_lo, "-", scrap_src),
    )
    return {
        "ideal": theoretical * material.average_potential,
        "low": q_lo * cell_fraction * volts * (1.0 - scrap_hi),
        "high": q_hi * cell_fraction * volts * (1.0 - scrap_lo),
        "assumptions": assumptions,
        "citations": tuple(
            dict.fromkeys([*used, s_low.ref, s_high.ref, *material.ocp.sources])
        ),
        "material": material.key,
    }


def cathode_tonnes_to_gwh(
    tonnes_per_year: ArrayLike,
    design: CellDesign,
    *,
    scrap: tuple[float, float] | None = None,
) -> TonnageResult:
    """GWh a year of cells that a tonnage of the design's cathode material enables.

    Parameters
    ----------
    tonnes_per_year : numeric
        Cathode active material supplied. [t yr⁻¹]
    design : CellDesign
        The cell the material goes into (its first-cycle loss, N/P balance and
        nominal voltage).
    scrap : (low, high), optional
        Share of material scrapped; default the cited steady-state range. [-]

    Examples
    --------
    >>> from natrium.io import load_example
    >>> r = cathode_tonnes_to_gwh(2000, load_example("pw_hc_pouch"))
    >>> round(float(r.gwh_per_year_ideal), 2)
    1.08
    """
    tonnes = check_positive("tonnes", tonnes_per_year, unit="t/yr")
    if scrap is not None:
        scrap = (
            float(check_fraction("scrap low", scrap[0], open_high=True)),
            float(check_fraction("scrap high", scrap[1], open_high=True)),
        )
    f = _factors(design, scrap)
    kg = tonnes * TONNE
    return TonnageResult(
        cathode=f["material"],
        tonnes_per_year=tonnes,
        gwh_per_year_ideal=kg * f["ideal"] / GWH,
        gwh_per_year_low=kg * f["low"] / GWH,
        gwh_per_year_high=kg * f["high"] / GWH,
        assumptions=f["assumptions"],
        design_name=design.name,
        citations=f["citations"],
    )


def gwh_to_cathode_tonnes(
    gwh_per_year: ArrayLike,
    design: CellDesign,
    *,
    scrap: tuple[float, float] | None = None,
) -> TonnageResult:
    """Tonnes a year of cathode material that a cell output needs (the inverse).

    ``gwh_per_year_*`` of the result echo the request; ``tonnes_per_year`` is
    the tonnage the low-loss (high) case needs, and :attr:`assumptions` say
    how the other cases scale.
    """
    gwh = check_positive("gwh", gwh_per_year, unit="GWh/yr")
    per_tonne = cathode_tonnes_to_gwh(1.0, design, scrap=scrap)
    return dataclasses.replace(
        per_tonne,
        tonnes_per_year=gwh / per_tonne.gwh_per_year_low,
        gwh_per_year_ideal=gwh
        * per_tonne.gwh_per_year_ideal
        / per_tonne.gwh_per_year_low,
        gwh_per_year_low=gwh + 0.0 * gwh,
        gwh_per_year_high=gwh
        * per_tonne.gwh_per_year_high
        / per_tonne.gwh_per_year_low,
    )
