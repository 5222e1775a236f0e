"""Insertion materials: the cathodes and anodes whose sodium (lithium) moves."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from natrium._data import PriceRange, Sourced
from natrium.constants import FARADAY
from natrium.exceptions import DataFileError
from natrium.materials.formula import molar_mass, theoretical_specific_capacity
from natrium.materials.ocp import OCPCurve

Role = Literal["cathode", "anode"]
Ion = Literal["Na", "Li"]
#: Chemistry families of active materials. A cell's chemistry is its cathode's
#: family; applications and plant data are keyed by it.
FAMILIES = (
    "na-pba",
    "na-layered-oxide",
    "na-polyanion",
    "na-hard-carbon",
    "li-lfp",
    "li-nmc",
    "li-graphite",
)


@dataclass(frozen=True, eq=False)
class ActiveMaterial:
    """An active material with sourced properties, in SI units.

    ``formula`` is the capacity basis (the mass one formula unit of which
    exchanges ``electrons`` ions), as capacities are quoted in the literature:
    ``Na2Fe[Fe(CN)6]`` with 2 for Prussian white, ``C6`` with 1 for graphite.
    Hard carbon has no fixed stoichiometry: its formula is ``None`` and its
    practical capacity spans the window of its OCP table.
    """

    key: str
    name: str
    role: Role
    ion: Ion
    formula: str | None
    electrons: float | None
    practical_capacity: Sourced  # reversible [C kg⁻¹]
    practical_capacity_low: Sourced  # low end of what is reported [C kg⁻¹]
    first_cycle_efficiency: Sourced  # [-]
    density: Sourced  # crystal / skeletal [kg m⁻³]
    price: PriceRange  # [USD kg⁻¹]
    ocp: OCPCurve
    description: str = ""
    family: str | None = None  # one of FAMILIES; None when the file gives none

    def __post_init__(self) -> None:
        lo, hi = self.window  # validates the window against the OCP table
        del lo, hi

    @cached_property
    def molar_mass(self) -> float | None:
        """Molar mass of the formula unit [kg mol⁻¹]."""
        return molar_mass(self.formula) if self.formula else None

    @cached_property
    def theoretical_capacity(self) -> float | None:
        """Faraday's-law capacity of the formula [C kg⁻¹]."""
        if self.molar_mass is None or self.electrons is None:
            return None
        return float(theoretical_specific_capacity(self.molar_mass, self.electrons))

    @cached_property
    def capacity_per_stoichiometry(self) -> float:
        """Charge per kg for a unit change of stoichiometry [C kg⁻¹]."""
        if self.theoretical_capacity is not None:
            return self.theoretical_capacity
        lo, hi = self.ocp.window
        return self.practical_capacity.value / (hi - lo)

    @cached_property
    def window(self) -> tuple[float, float]:
        """Stoichiometries at the two ends of the practical capacity.

        The table's sodiated end for a cathode (its empty end for an anode) is
        kept, and the other end placed so that the window holds exactly the
        practical capacity.
        """
        span = self.practical_capacity.value / self.capacity_per_stoichiometry
        lo, hi = self.ocp.window
        window = (hi - span, hi) if self.role == "cathode" else (lo, lo + span)
        if not (0.0 <= window[0] < window[1] <= 1.0) or span > 1.0:
            raise DataFileError(
                f"{self.key}: practical capacity "
                f"{self.practical_capacity.value / 3600:.1f} mAh/g needs a "
                f"stoichiometry window of {span:.3f}, which does not fit in [0, 1] "
                f"from the OCP table's end ({self.ocp.window})"
            )
        return window

    @cached_property
    def average_potential(self) -> float:
        """Mean OCP over the practical window, vs Na/Na⁺ or Li/Li⁺ [V]."""
        return float(self.ocp.mean_potential(*self.window))

    @cached_property
    def max_concentration(self) -> float:
        """Ion concentration in the solid at stoichiometry 1 [mol m⁻³]."""
        return self.density.value * self.capacity_per_stoichiometry / FARADAY

    def sources(self) -> dict[str, str]:
        """Citation key of each property."""
        out = {
            "practical_capacity": self.practical_capacity.ref,
            "practical_capacity_low": self.practical_capacity_low.ref,
            "first_cycle_efficiency": self.first_cycle_efficiency.ref,
            "density": self.density.ref,
            "price": self.price.ref,
            "ocp": ", ".join(self.ocp.sources) or "none given",
        }
        if self.formula:
            out["molar_mass"] = "CIAAW2021"
        return out
