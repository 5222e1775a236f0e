"""Cathode material <-> energy of cells a year.

Four figures, each with every factor stated:

* **ideal**: every kilogram delivers the material's theoretical capacity at its
  average potential against sodium (lithium) metal. This is how plant
  announcements are made: 2,000 t of Prussian white x 170 mAh/g x 3.2 V is
  about 1 GWh (Altris' Ferrum plant, Energy-Storage.news 2022).
* **central**: the design's cell. Its bill of materials gives the cathode mass
  per unit of cell energy (practical capacity, first-cycle loss, N/P balance and
  the full-cell voltage, from :func:`natrium.cell.evaluate`), and the plant buys
  more than the cells hold by the cathode material's overall yield, from the one
  manufacturing model (:mod:`natrium.cost.manufacturing`). This is the figure
  :mod:`natrium.plant.cell_plant` and :mod:`natrium.cost` use.
* **low / high**: the same cell with the low and high ends of the reported
  practical capacity and steady-state scrap.

.. math:: E = m \\, q \\, (1 - L_{fc}) \\, V_{cell} \\, (1 - s)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natrium import citations
from natrium._validation import check_positive
from natrium.cell import CellDesign, evaluate
from natrium.cost.manufacturing import Manufacturing, manufacturing
from natrium.exceptions import ParameterError
from natrium.materials import get_active
from natrium.units import GWH, MAH_PER_G, TONNE


@dataclass(frozen=True)
class Assumption:
    """One factor of a tonnage figure, in the unit it is shown in."""

    name: str
    low: float
    high: float
    unit: str
    source: str


@dataclass(frozen=True)
class TonnageResult:
    """Cathode material a year and the energy of cells it makes (SI, per year).

    ``cathode_mass`` [kg yr⁻¹] is what the plant buys and ``energy`` [J yr⁻¹]
    the good cells it makes, central figures; ``*_low`` / ``*_high`` are the
    ends of the reported range, ``energy_ideal`` the announcement figure.
    """

    cathode: str
    cathode_mass: NDArray[np.float64]
    cathode_mass_low: NDArray[np.float64]
    cathode_mass_high: NDArray[np.float64]
    energy: NDArray[np.float64]
    energy_ideal: NDArray[np.float64]
    energy_low: NDArray[np.float64]
    energy_high: NDArray[np.float64]
    assumptions: tuple[Assumption, ...]
    design_name: str
    citations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        def plain(a: NDArray[np.float64], unit: float) -> float | list[float]:
            a = np.asarray(a) / unit
            return float(a) if a.ndim == 0 else a.tolist()

        return {
            "cathode": self.cathode,
            "design": self.design_name,
            "cathode_tonnes_per_year": plain(self.cathode_mass, TONNE),
            "cathode_tonnes_per_year_low": plain(self.cathode_mass_low, TONNE),
            "cathode_tonnes_per_year_high": plain(self.cathode_mass_high, TONNE),
            "gwh_per_year": plain(self.energy, GWH),
            "gwh_per_year_ideal": plain(self.energy_ideal, GWH),
            "gwh_per_year_low": plain(self.energy_low, GWH),
            "gwh_per_year_high": plain(self.energy_high, GWH),
            "assumptions": [dataclasses.asdict(a) for a in self.assumptions],
            "citations": list(self.citations),
        }


def cathode_energy_per_mass(
    design: CellDesign, plant: Manufacturing | None = None
) -> float:
    """Energy of good cells per kg of cathode material bought [J kg⁻¹].

    The central figure: the design's bill of materials over the cathode
    material's overall yield. The one number every plant and cost figure of
    natrium uses for "how much cathode does a kWh take".
    """
    plant = plant or manufacturing()
    report = evaluate(design)
    per_energy = report.mass_per_energy(design.cathode.active)
    return plant.stream_yield("electrode") / per_energy


def _factors(design: CellDesign, plant: Manufacturing) -> dict[str, Any]:
    """Energy per kg of cathode material bought [J kg⁻¹]: ideal, central, low, high."""
    with citations.collect() as used:
        report = evaluate(design)
        material = get_active(design.cathode.active)
        theoretical = material.theoretical_capacity
        if theoretical is None:
            raise ParameterError(
                f"cathode {material.key!r} has no formula, so no "
                "theoretical capacity for the ideal figure"
            )
        central = cathode_energy_per_mass(design, plant)
        steady = plant.steady_scrap
        s_low, s_high = plant.steady_scrap_range
        q_lo, q_hi = (
            material.practical_capacity_low.value,
            material.practical_capacity.value,
        )
        cell_fraction = report.capacity / (report.mass_of("cathode active") * q_hi)
        volts = report.nominal_voltage
    name = f"natrium.cell.evaluate of '{design.name}'"
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
            "practical capacity (central: the high end, as the design)",
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
            name,
        ),
        Assumption("full-cell nominal voltage", volts, volts, "V", f"{name} (OCP)"),
        Assumption(
            f"scrap of cathode material (central {steady:.3f}, from step yields)",
            s_high,
            s_low,
            "-",
            "natrium.cost.manufacturing; range PorscheConsulting2025",
        ),
    )
    return {
        "ideal": theoretical * material.average_potential,
        "central": central,
        "low": q_lo * cell_fraction * volts * (1.0 - s_high),
        "high": q_hi * cell_fraction * volts * (1.0 - s_low),
        "assumptions": assumptions,
        "citations": tuple(dict.fromkeys([*used, *material.ocp.sources])),
        "material": material.key,
    }


def energy_from_cathode(
    cathode_mass_per_year: ArrayLike,
    design: CellDesign,
    *,
    plant: Manufacturing | None = None,
) -> TonnageResult:
    """Energy of cells a year that a supply of the design's cathode material makes.

    Parameters
    ----------
    cathode_mass_per_year : numeric
        Cathode active material supplied. [kg yr⁻¹]
    design : CellDesign
        The cell the material goes into.
    plant : Manufacturing, optional
        Yields and scrap; default :func:`natrium.cost.manufacturing.manufacturing`.

    Examples
    --------
    >>> from natrium.io import load_example
    >>> r = energy_from_cathode(2e6, load_example("pw_hc_pouch"))
    >>> round(float(r.energy_ideal) / 3.6e12, 2)  # GWh a year
    1.08
    """
    mass = check_positive("cathode mass", cathode_mass_per_year, unit="kg/yr")
    f = _factors(design, plant or manufacturing())
    return TonnageResult(
        cathode=f["material"],
        cathode_mass=mass,
        cathode_mass_low=mass,
        cathode_mass_high=mass,
        energy=mass * f["central"],
        energy_ideal=mass * f["ideal"],
        energy_low=mass * f["low"],
        energy_high=mass * f["high"],
        assumptions=f["assumptions"],
        design_name=design.name,
        citations=f["citations"],
    )


def cathode_for_energy(
    energy_per_year: ArrayLike,
    design: CellDesign,
    *,
    plant: Manufacturing | None = None,
) -> TonnageResult:
    """Cathode material a year that an output of good cells needs (the inverse).

    ``energy_per_year`` [J yr⁻¹]. ``cathode_mass`` is the central need;
    ``cathode_mass_low`` the least (high capacity, low scrap) and
    ``cathode_mass_high`` the most (low capacity, high scrap).
    """
    energy = check_positive("energy", energy_per_year, unit="J/yr")
    f = _factors(design, plant or manufacturing())
    return TonnageResult(
        cathode=f["material"],
        cathode_mass=energy / f["central"],
        cathode_mass_low=energy / f["high"],
        cathode_mass_high=energy / f["low"],
        energy=np.array(energy, dtype=float, copy=True),
        energy_ideal=energy / f["central"] * f["ideal"],
        energy_low=energy / f["central"] * f["low"],
        energy_high=energy / f["central"] * f["high"],
        assumptions=f["assumptions"],
        design_name=design.name,
        citations=f["citations"],
    )
