"""Grid storage: a daily 2 h or 4 h duty, ageing, years to end of life, LCOS.

* Round-trip efficiency: the cell's DC efficiency is simulated over a full
  discharge-charge-discharge at the duty's C-rate (:mod:`natrium.sim`); the
  plant's AC efficiency multiplies it by the balance-of-system share implied
  by NREL ATB's 85 % AC figure for LFP over natrium's simulated LFP DC
  efficiency (derived, the same for every chemistry).
* Ageing: a cited empirical calendar + cycle model per chemistry
  (``apps/data/ageing.toml``: Naumann et al. for LFP; linear-in-cycles fits
  to published cycle-life claims for sodium-ion, each form stated there).
* LCOS after Schmidt et al. (Joule 2019), without augmentation: capacity fades
  by the ageing model until end of life or the project life
  (``apps/data/grid.toml``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natrium import citations
from natrium._toml import read_toml
from natrium.cell import CellDesign, evaluate
from natrium.cell.ratings import warn_rating
from natrium.constants import GAS_CONSTANT, SECONDS_PER_YEAR
from natrium.cost.finance import present_value
from natrium.cost.model import economics
from natrium.exceptions import OptionError, ParameterError
from natrium.materials import read_value

_DATA = Path(__file__).with_name("data")
#: The ageing models of ``ageing.toml``, one per chemistry they were fitted for.
CHEMISTRIES = ("lfp", "na_pw_hc", "na_nfm_hc")


@cache
def _file(name: str) -> dict[str, Any]:
    return read_toml(_DATA / name, "grid data")


def _value(name: str, path: str, key: str, unit: str = "") -> float:
    table: Any = _file(name)
    for part in path.split("."):
        table = table[part]
    value = read_value(f"{name}: {path}", table, key, unit)
    citations.register(value.ref)
    return value.value


def ageing_model(design: CellDesign) -> str:
    """The ageing model (a key of :data:`CHEMISTRIES`) for the design's
    chemistry family; a family with none is an error."""
    groups = {k: _file("ageing.toml")[k]["families"] for k in CHEMISTRIES}
    return design.chemistry_key(groups, "the grid ageing data")


def _cost_section(chemistry: str) -> str:
    """The ``grid.toml`` cost section covering an ageing model's chemistry."""
    families = set(_file("ageing.toml")[chemistry]["families"])
    for section in ("lfp", "sodium"):
        if families <= set(_file("grid.toml")[section]["families"]):
            return section
    raise OptionError(f"grid.toml has no system costs for {chemistry!r}")


def _arrhenius(energy: float, temperature: float, reference: float) -> float:
    return math.exp(-energy / GAS_CONSTANT * (1.0 / temperature - 1.0 / reference))


def capacity_loss(
    chemistry: str,
    years: float,
    *,
    temperature: float | None = None,
    cycles_per_year: float | None = None,
    depth_of_discharge: float | None = None,
    c_rate: float | None = None,
    soc: float | None = None,
) -> float:
    """Fraction of initial capacity lost after ``years`` of daily cycling [-].

    ``temperature`` [K], ``cycles_per_year`` [yr⁻¹], ``depth_of_discharge`` [-],
    ``c_rate`` [h⁻¹] and the mean ``soc`` [-]; each not given is the daily
    duty of ``grid.toml`` ([duty] and [lcos]).
    """
    if temperature is None:
        temperature = _value("grid.toml", "duty", "temperature", "K")
    if cycles_per_year is None:
        cycles_per_year = _value("grid.toml", "lcos", "cycles_per_year", "1/yr")
    if depth_of_discharge is None:
        depth_of_discharge = _value("grid.toml", "lcos", "depth_of_discharge")
    if c_rate is None:
        c_rate = _value("grid.toml", "duty", "c_rate", "1/h")
    if soc is None:
        soc = _value("grid.toml", "duty", "mean_soc")
    if chemistry not in CHEMISTRIES:
        raise OptionError(
            f"unknown chemistry {chemistry!r}; valid: {', '.join(CHEMISTRIES)}"
        )
    if years < 0:
        raise ParameterError(f"years = {years:g} is outside [0, inf) [yr]")
    seconds = years * SECONDS_PER_YEAR
    efc = cycles_per_year * depth_of_discharge * years
    if chemistry == "lfp":
        cal = "lfp.calendar"
        k = _value("ageing.toml", cal, "k_ref", "s**-0.5")
        soc_factor = _value("ageing.toml", cal, "soc_c") * (soc - 0.5) ** 3 + _value(
            "ageing.toml", cal, "soc_d"
        )
        calendar = (
            k
            * soc_factor
            * math.sqrt(seconds)
            * _arrhenius(
                _value("ageing.toml", cal, "activation_energy", "J/mol"),
                temperature,
                _value("ageing.toml", cal, "t_ref", "K"),
            )
        )
        cyc = "lfp.cycle"
        centre = _value("ageing.toml", cyc, "dod_centre")
        percent = (
            (
                _value("ageing.toml", cyc, "a", "percent*h") * c_rate
                + _value("ageing.toml", cyc, "b", "percent")
            )
            * (
                _value("ageing.toml", cyc, "c") * (depth_of_discharge - centre) ** 3
                + _value("ageing.toml", cyc, "d")
            )
            * math.sqrt(efc)
        )
        return calendar + percent / 100.0
    cal, cyc = f"{chemistry}.calendar", f"{chemistry}.cycle"
    calendar = (
        _value("ageing.toml", cal, "k_cal_ref", "s**-0.5")
        * math.sqrt(seconds)
        * _arrhenius(
            _value("ageing.toml", cal, "activation_energy", "J/mol"),
            temperature,
            _value("ageing.toml", cal, "t_ref", "K"),
        )
    )
    cycling = (
        _value("ageing.toml", cyc, "k_cyc_ref")
        * efc
        * _arrhenius(
            _value("ageing.toml", cyc, "activation_energy", "J/mol"),
            temperature,
            _value("ageing.toml", cyc, "t_ref", "K"),
        )
    )
    return calendar + cycling


def years_to_end_of_life(chemistry: str, **duty: float) -> float:
    """Years of the duty until capacity falls to the end-of-life fraction [yr]."""
    eol = 1.0 - _value("grid.toml", "lcos", "end_of_life_capacity")
    low, high = 0.0, 100.0
    if capacity_loss(chemistry, high, **duty) < eol:
        return high
    for _ in range(60):  # bisection to ~1e-16 of the bracket
        middle = 0.5 * (low + high)
        if capacity_loss(chemistry, middle, **duty) < eol:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def dc_round_trip_efficiency(
    design: CellDesign,
    parameter_set: Any,
    hours: float,
    temperature: float | None = None,
) -> float:
    """Simulated DC energy out over energy in for a full cycle at 1/``hours`` C
    (``temperature`` [K], default the daily duty's); see
    :func:`natrium.sim.tables.round_trip_efficiency`."""
    from natrium.sim.tables import round_trip_efficiency

    if temperature is None:
        temperature = _value("grid.toml", "duty", "temperature", "K")
    return round_trip_efficiency(
        design, parameter_set, 1.0 / hours, temperature=temperature
    )


@dataclass(frozen=True)
class GridResult:
    chemistry: str
    hours: float
    dc_rte: float
    ac_rte: float
    years_to_eol: float
    project_years: int
    lcos_usd_per_mwh: float
    breakdown: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "chemistry": self.chemistry,
            "hours": self.hours,
            "dc_rte": self.dc_rte,
            "ac_rte": self.ac_rte,
            "years_to_eol": self.years_to_eol,
            "project_years": self.project_years,
            "lcos_usd_per_MWh": self.lcos_usd_per_mwh,
            "breakdown_usd_per_MWh": self.breakdown,
        }


def lcos(
    chemistry: str,
    hours: float,
    ac_rte: float,
    *,
    temperature: float | None = None,
    dc_rte: float = float("nan"),
) -> GridResult:
    """Levelised cost of storage [USD MWh⁻¹] per kWh of rated energy, after
    Schmidt et al. (2019), capacity fading by the ageing model (no augmentation)."""
    if hours not in (2, 4):
        raise ParameterError(f"hours = {hours:g}; valid: 2, 4 (the ATB cost cases) [h]")
    if temperature is None:
        temperature = _value("grid.toml", "duty", "temperature", "K")
    section = _cost_section(chemistry)
    capex = _value("grid.toml", section, f"capex_{int(hours)}h", "USD/kWh")
    fom = _value("grid.toml", section, "fom_excl_augmentation", "1/yr") * capex
    rate = economics("finance", "discount_rate", "1/yr")
    life = _value("grid.toml", "lcos", "project_life", "yr")
    cycles = _value("grid.toml", "lcos", "cycles_per_year", "1/yr")
    dod = _value("grid.toml", "lcos", "depth_of_discharge")
    price = _value("grid.toml", "lcos", "charging_price", "USD/kWh")
    duty = {
        "temperature": temperature,
        "cycles_per_year": cycles,
        "depth_of_discharge": dod,
        "c_rate": 1.0 / hours,
    }
    eol_years = years_to_end_of_life(chemistry, **duty)
    # The project runs to end of life or its economic life; a last partial year
    # counts by its share, so the result does not jump as life crosses a year.
    span = max(min(life, eol_years), 1e-9)
    years = math.ceil(span)
    n = np.arange(1, years + 1)
    share = np.minimum(span - (n - 1), 1.0)  # fraction of each year in service
    soh = np.array(
        [
            1.0 - capacity_loss(chemistry, (k - 1) + 0.5 * f, **duty)
            for k, f in zip(n, share, strict=True)
        ]
    )
    delivered = cycles * dod * soh * share  # kWh out per kWh rated, each year
    charged = delivered / ac_rte
    denominator = float(present_value(delivered, n, rate))
    parts = {
        "capital": capex / denominator,
        "fixed O&M": float(present_value(fom * share, n, rate)) / denominator,
        "charging": float(present_value(price * charged, n, rate)) / denominator,
    }
    to_mwh = 1e3
    return GridResult(
        chemistry=chemistry,
        hours=hours,
        dc_rte=dc_rte,
        ac_rte=ac_rte,
        years_to_eol=eol_years,
        project_years=years,
        lcos_usd_per_mwh=sum(parts.values()) * to_mwh,
        breakdown={k: v * to_mwh for k, v in parts.items()},
    )


def grid_fleet() -> list[tuple[CellDesign, Any]]:
    """The shipped cells compared by default (``grid.toml [fleet]``), each with
    the parameter set made for its materials."""
    from natrium.io import load_example
    from natrium.sim import default_set_for

    designs = [load_example(n) for n in _file("grid.toml")["fleet"]["examples"]]
    return [(d, default_set_for(d)) for d in designs]


def grid_table(
    cells: Sequence[tuple[CellDesign, Any]] | None = None,
    *,
    temperature: float | None = None,
) -> pd.DataFrame:
    """2 h and 4 h daily duty for each cell: RTE, years to end of life, LCOS.

    ``cells`` are (design, parameter set) pairs, default :func:`grid_fleet`;
    each is aged by the model of its chemistry family (:func:`ageing_model`).
    The LFP cell's simulated DC efficiency against ATB's 85 % AC efficiency
    gives the balance-of-system share used for all: without an LFP cell among
    ``cells``, the fleet's LFP cell is added as that reference, and its row
    shown.
    """
    pairs = grid_fleet() if cells is None else list(cells)
    keyed = {ageing_model(d): (d, p) for d, p in pairs}
    if len(keyed) < len(pairs):
        raise OptionError("grid_table takes one cell per ageing model")
    if "lfp" not in keyed:
        reference = [(d, p) for d, p in grid_fleet() if ageing_model(d) == "lfp"]
        keyed = {"lfp": reference[0], **keyed}
    rows = []
    for hours in (2, 4):
        checks = {k: rating_check(d, hours, temperature) for k, (d, p) in keyed.items()}
        dc = {
            k: dc_round_trip_efficiency(d, p, hours, temperature)
            for k, (d, p) in keyed.items()
        }
        bos = _value("grid.toml", "lfp", "rte") / dc["lfp"]
        for chemistry, efficiency in dc.items():
            rows.append(
                lcos(
                    chemistry,
                    hours,
                    efficiency * bos,
                    temperature=temperature,
                    dc_rte=efficiency,
                ).to_dict()
                | checks[chemistry]
            )
    return pd.DataFrame(rows)


def rating_check(
    design: CellDesign, hours: float, temperature: float | None = None
) -> dict[str, Any]:
    """The daily cycle at 1/``hours`` C against the design's ratings.

    The cell current is its capacity over ``hours``, in charge and in
    discharge; the rated current is the lower of the continuous discharge and
    charge ratings. The LCOS is per kWh installed and is not resized for
    current: a cycle above the rating is flagged (``within_rating`` false and a
    :class:`natrium.cell.RatingWarning`), not costed with more cells; a
    ``temperature`` [K] outside the charge or discharge window is a
    :class:`ParameterError`; a design without ratings warns."""
    if temperature is None:
        temperature = _value("grid.toml", "duty", "temperature", "K")
    current = evaluate(design).capacity / (hours * 3600.0)
    ratings = design.ratings
    if ratings is None:
        warn_rating(f"{design.name} has no [ratings]: its current is not checked")
        return {
            "within_rating": None,
            "cell_current_A": current,
            "cell_rated_current_A": None,
        }
    for charge in (False, True):
        problem = ratings.check_temperature(temperature, charge=charge, who=design.name)
        if problem is not None:
            raise ParameterError(problem)
    rated = min(
        ratings.continuous_discharge,
        ratings.continuous_charge or ratings.continuous_discharge,
    )
    if current > rated:
        warn_rating(
            f"{design.name}: the {hours:g} h cycle's {current:.4g} A exceeds its "
            f"rated {rated:.4g} A ({ratings.source})"
        )
    return {
        "within_rating": bool(current <= rated),
        "cell_current_A": current,
        "cell_rated_current_A": rated,
    }
