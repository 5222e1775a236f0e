r"""The one manufacturing-assumptions model: hours, yields, scrap, plant energy.

Every part of natrium that asks how a plant runs reads it here, from
``cost/data/manufacturing.toml``: the cathode tonnage (:mod:`natrium.plant.tonnage`),
the cell plant (:mod:`natrium.plant.cell_plant`), the cell cost
(:mod:`natrium.cost.model`) and the line models (:mod:`natrium.plant.line`,
:mod:`natrium.plant.des`). So the cathode a plant buys, the energy it uses and the
hours it runs are one answer, whichever of them is asked.

Yields are stored per process step with the material streams a loss takes with it
(electrode coating, foil, separator, electrolyte, or whole cells); the overall yield
of a stream is computed as the product of the step yields that take it,

.. math:: Y_s = \prod_{i \,:\, s \in S_i \text{ or cell} \in S_i} y_i,

never stored. Steady-state scrap of cathode material is :math:`1 - Y_{electrode}`;
during ramp-up it falls from its start-of-production level as
:math:`s(t) = s_\infty + (s_0 - s_\infty) e^{-t/\tau}`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natrium import citations
from natrium._data import DataFile
from natrium.exceptions import DataFileError, OptionError, ParameterError

_FILE = DataFile(
    Path(__file__).with_name("data") / "manufacturing.toml", "manufacturing data"
)
#: Material streams a step's loss can take with it.
STREAMS = ("electrode", "foil", "separator", "electrolyte", "cell")


@dataclass(frozen=True)
class StepYield:
    """One process step's yield and the streams its rejects take with them."""

    key: str
    value: float
    streams: tuple[str, ...]
    ref: str


@dataclass(frozen=True)
class Manufacturing:
    """How a cell plant runs: operating time, step yields, scrap and energy.

    Build it with :func:`manufacturing` (the sourced defaults), and change a part
    with :meth:`with_yields`. All quantities are SI.
    """

    days_per_year: float  # operating days a year, a count [-]
    shifts_per_day: float  # [-]
    shift_length: float  # [s]
    steps: tuple[StepYield, ...]
    scrap_start: float  # [-]
    scrap_time_constant: float  # [s]
    steady_scrap_range: tuple[float, float]  # reported spread [-]
    energy: MappingProxyType[str, tuple[float, float]]  # family -> (low, high) [-]
    default_output: float  # [J yr⁻¹]

    # ------------------------------------------------------------ operation
    @property
    def operating_time(self) -> float:
        """Operating time a year: days x shifts x shift length [s yr⁻¹]."""
        return self.days_per_year * self.shifts_per_day * self.shift_length

    @property
    def shifts_per_year(self) -> float:
        return self.days_per_year * self.shifts_per_day

    def staff(self, labour_time: float) -> float:
        """Direct workers for ``labour_time`` of direct labour a year [s yr⁻¹].

        A worker works one shift a day on each operating day.
        """
        return labour_time / (self.days_per_year * self.shift_length)

    # --------------------------------------------------------------- yields
    def step_yield(self, key: str) -> float:
        """The yield of one step [-]."""
        for step in self.steps:
            if step.key == key:
                citations.register(step.ref)
                return step.value
        raise OptionError(
            f"no yield for process step {key!r}; valid: "
            f"{', '.join(s.key for s in self.steps)}"
        )

    def material_yield(self, stream: str) -> float:
        """Share of a material stream that leaves the steps acting on that
        stream alone (before cells are assembled) [-]; ``"cell"`` gives 1."""
        if stream not in STREAMS:
            raise OptionError(
                f"unknown material stream {stream!r}; valid: {', '.join(STREAMS)}"
            )
        if stream == "cell":
            return 1.0
        return self._product(s for s in self.steps if stream in s.streams)

    @property
    def cell_yield(self) -> float:
        """Share of assembled cells that pass every cell-level step [-]."""
        return self._product(s for s in self.steps if "cell" in s.streams)

    def stream_yield(self, stream: str) -> float:
        """Share of a material stream bought that ends in a good cell [-]:
        :meth:`material_yield` times :attr:`cell_yield`."""
        return self.material_yield(stream) * self.cell_yield

    @staticmethod
    def _product(steps: Iterable[StepYield]) -> float:
        taken = list(steps)
        citations.register(s.ref for s in taken)
        return float(np.prod([s.value for s in taken]))

    @property
    def steady_scrap(self) -> float:
        """Steady-state scrap of cathode material: 1 - its overall yield [-]."""
        return 1.0 - self.stream_yield("electrode")

    def scrap(self, time: ArrayLike) -> NDArray[np.float64]:
        """Scrap of cathode material against time since start of production [-].

        ``time`` in [s]; ``steady + (start - steady) exp(-t / tau)``.
        """
        t = np.asarray(time, dtype=float)
        if np.any(t < 0) or np.any(np.isnan(t)):
            raise ParameterError("time since start of production must be >= 0 [s]")
        steady = self.steady_scrap
        return steady + (self.scrap_start - steady) * np.exp(
            -t / self.scrap_time_constant
        )

    def with_yields(self, **values: float) -> Manufacturing:
        """The same plant with some step yields replaced (``grading=0.95``)."""
        known = {s.key for s in self.steps}
        for key, value in values.items():
            if key not in known:
                raise OptionError(
                    f"no process step {key!r}; valid: {', '.join(sorted(known))}"
                )
            if not 0.0 < value <= 1.0:
                raise ParameterError(
                    f"yield of {key} = {value!r} is outside (0, 1] [-]"
                )
        steps = tuple(
            StepYield(s.key, float(values[s.key]), s.streams, "user")
            if s.key in values
            else s
            for s in self.steps
        )
        return _replace(self, steps=steps)

    # --------------------------------------------------------------- energy
    def energy_intensity(self, family: str) -> tuple[float, float]:
        """Plant energy per unit of cell energy made, low and high [J J⁻¹].

        ``family`` is the cell's chemistry family (``CellDesign.chemistry``).
        """
        if family not in self.energy:
            raise OptionError(
                f"no plant-energy figure for chemistry family {family!r}; "
                f"valid: {', '.join(sorted(self.energy))}"
            )
        return self.energy[family]


def _replace(m: Manufacturing, **changes: Any) -> Manufacturing:
    from dataclasses import replace

    return replace(m, **changes)


@cache
def _defaults() -> Manufacturing:
    f = _FILE
    steps = []
    for key, entry in f.table("yield").items():
        streams = entry.get("streams") if isinstance(entry, dict) else None
        if not isinstance(streams, list) or not set(streams) <= set(STREAMS):
            raise DataFileError(
                f"manufacturing.toml: yield.{key}.streams = {streams!r}; each must "
                f"be one of {', '.join(STREAMS)}"
            )
        v = f.sourced("yield", key)
        if not 0.0 < v.value <= 1.0:
            raise DataFileError(
                f"manufacturing.toml: yield.{key} = {v.value} is outside (0, 1]"
            )
        steps.append(StepYield(key, v.value, tuple(streams), v.ref))
    energy = f.table("energy")
    sodium = energy.get("sodium_families")
    if not isinstance(sodium, list):
        raise DataFileError("manufacturing.toml: energy.sodium_families is a list")
    na = (f.value("energy", "na-low"), f.value("energy", "na-high"))
    intensity = {fam: na for fam in sodium}
    for fam in ("li-lfp", "li-nmc"):
        value = f.value("energy", fam)
        intensity[fam] = (value, value)
    return Manufacturing(
        days_per_year=f.value("operation", "days_per_year"),
        shifts_per_day=f.value("operation", "shifts_per_day"),
        shift_length=f.value("operation", "shift_length", "s"),
        steps=tuple(steps),
        scrap_start=f.value("scrap", "start"),
        scrap_time_constant=f.value("scrap", "time_constant", "s"),
        steady_scrap_range=(
            f.value("scrap", "steady_low"),
            f.value("scrap", "steady_high"),
        ),
        energy=MappingProxyType(intensity),
        default_output=f.value("plant", "default_output", "J/yr"),
    )


def manufacturing() -> Manufacturing:
    """The sourced default manufacturing assumptions (registered as cited)."""
    m = _defaults()
    # The defaults are cached; their citations are registered on every use.
    citations.register(_sources())
    return m


@cache
def _sources() -> tuple[str, ...]:
    refs = []
    for section in ("operation", "plant", "scrap", "energy", "yield"):
        for entry in _FILE.table(section).values():
            if isinstance(entry, dict) and "ref" in entry:
                refs.append(str(entry["ref"]))
    return tuple(dict.fromkeys(refs))


__all__ = ["STREAMS", "Manufacturing", "StepYield", "manufacturing"]
