"""Critical-power (UPS) battery sizing by the constant-power method.

In the manner of IEEE 485 / IEEE 1184: the battery must deliver the UPS load
divided by the inverter efficiency for the runtime, down to the end voltage
that the DC bus window allows per cell, at the end of its life and at its
temperature, with a design margin:

.. math:: N_{strings} = \\left\\lceil \\frac{P_{load} / \\eta \\; K_{age} K_T M}
          {N_{series} \\, P_{cell}(t, V_{end}, T, SOH)} \\right\\rceil

For a VRLA block, ``P_cell`` is read from the maker's constant-power table (new,
at its table temperature) and the ageing factor and temperature factor of
IEEE 485 apply. For a natrium cell, ``P_cell`` comes from
:func:`natrium.sim.tables.constant_power_table` at the end-of-life state of
health and the temperature themselves, so those two factors are 1: the
physics takes their place. Every sized system can be run back through
:func:`natrium.sim.simulation.simulate` at its own duty
(:func:`check_by_simulation`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natrium import citations
from natrium._toml import read_toml
from natrium._validation import check_positive, check_range
from natrium.cell import CellDesign, evaluate
from natrium.cell.ratings import warn_rating
from natrium.constants import SECONDS_PER_YEAR, ZERO_CELSIUS
from natrium.exceptions import DataFileError, OptionError, ParameterError
from natrium.materials import Sourced, read_value
from natrium.units import KWH, LITRE, WH

_DATA = Path(__file__).with_name("data")


@cache
def _ups() -> dict[str, Any]:
    return read_toml(_DATA / "ups.toml", "UPS data")


def ups_value(section: str, key: str, unit: str = "") -> float:
    """A sourced value of ``apps/data/ups.toml`` (registered as cited)."""
    table = _ups()
    for part in section.split("."):
        table = table[part]
    value = read_value(f"ups.toml: {section}", table, key, unit)
    citations.register(value.ref)
    return value.value


# ------------------------------------------------------------------ VRLA blocks


@dataclass(frozen=True)
class VrlaBlock:
    """A VRLA block and its published constant-power table."""

    key: str
    name: str
    cells: int
    nominal_voltage: float  # [V]
    capacity: float  # 20 h capacity [C]
    mass: float  # [kg]
    volume: float  # [m3]
    table: pd.DataFrame  # runtime_min, end_voltage_V_per_cell, watts_per_block
    table_temperature: float  # [K]
    float_voltage: float  # per block [V]
    sources: tuple[str, ...]

    def watts_per_cell(self, runtime_s: float, end_voltage: float) -> float:
        """Constant power per cell for a runtime to an end voltage [W].

        Log-log interpolation in runtime along the printed end-voltage row
        (power tables are close to straight lines in log-log); the end
        voltage must be one the table prints.
        """
        rows = self.table[np.isclose(self.table["end_voltage_V_per_cell"], end_voltage)]
        if rows.empty:
            valid = sorted(set(self.table["end_voltage_V_per_cell"]))
            raise ParameterError(
                f"end voltage {end_voltage:g} V/cell is not in the "
                f"{self.name} table; valid: {valid} [V]"
            )
        minutes = runtime_s / 60.0
        t = rows["runtime_min"].to_numpy(float)
        w = rows["watts_per_block"].to_numpy(float)
        if not t.min() <= minutes <= t.max():
            raise ParameterError(
                f"runtime = {minutes:g} min is outside the {self.name} "
                f"table [{t.min():g}, {t.max():g}] min"
            )
        order = np.argsort(t)
        per_block = float(
            np.exp(np.interp(np.log(minutes), np.log(t[order]), np.log(w[order])))
        )
        citations.register(self.sources)
        return per_block / self.cells


@cache
def vrla_block(key: str = "ep65_12") -> VrlaBlock:
    """A VRLA block from ``apps/data/vrla_blocks.toml`` and its table."""
    blocks = read_toml(_DATA / "vrla_blocks.toml", "VRLA block data")
    if key not in blocks:
        raise OptionError(f"unknown VRLA block {key!r}; valid: {', '.join(blocks)}")
    t = blocks[key]
    where = f"vrla_blocks.toml: {key}"
    values: dict[str, Sourced] = {
        k: read_value(where, t, k, u)
        for k, u in (
            ("nominal_voltage", "V"),
            ("cells_per_block", ""),
            ("capacity_20h", "C"),
            ("mass", "kg"),
            ("length", "m"),
            ("width", "m"),
            ("height", "m"),
        )
    }
    temperature = read_value(where, t, "table_temperature", "K")
    # the block's own float voltage, or the UPS practice per cell times its cells
    float_voltage = (
        read_value(where, t, "float_voltage", "V").value
        if "float_voltage" in t
        else ups_value("dc_bus", "float_voltage_per_cell", "V")
        * values["cells_per_block"].value
    )
    table = pd.read_csv(_DATA / str(t["table"]), comment="#")
    missing = {"runtime_min", "end_voltage_V_per_cell", "watts_per_block"} - set(table)
    if missing:
        raise DataFileError(f"{t['table']}: missing columns {sorted(missing)}")
    return VrlaBlock(
        key=key,
        name=str(t.get("name", key)),
        cells=int(values["cells_per_block"].value),
        nominal_voltage=values["nominal_voltage"].value,
        capacity=values["capacity_20h"].value,
        mass=values["mass"].value,
        volume=values["length"].value * values["width"].value * values["height"].value,
        table=table,
        table_temperature=temperature.value,
        float_voltage=float_voltage,
        sources=tuple({v.ref for v in values.values()} | {temperature.ref}),
    )


@cache
def _temperature_chart() -> tuple[np.ndarray, np.ndarray]:
    chart = pd.read_csv(_DATA / "temperature_factors.csv", comment="#")
    return (
        chart["temperature_C"].to_numpy(float) + ZERO_CELSIUS,
        chart["factor"].to_numpy(float),
    )


def lead_acid_temperature_factor(temperature: float) -> float:
    """Cell-size correction factor for lead-acid at an electrolyte temperature [-].

    The chart's value (1 at its 25 °C rating, larger below, smaller above);
    sizing divides by the value at the table's own temperature and takes no
    credit for warmth (IEEE 485 practice), flooring the ratio at 1.
    """
    kelvin, factor = _temperature_chart()
    if temperature > kelvin.max():
        raise ParameterError(
            f"temperature = {temperature - ZERO_CELSIUS:g} degC is above the "
            f"chart's {kelvin.max() - ZERO_CELSIUS:g} degC"
        )
    if temperature < kelvin.min():
        raise ParameterError(
            f"temperature = {temperature - ZERO_CELSIUS:g} degC is below the "
            f"chart's {kelvin.min() - ZERO_CELSIUS:g} degC"
        )
    return float(np.interp(temperature, kelvin, factor))


# --------------------------------------------------------------------- sizing


@dataclass(frozen=True)
class Duty:
    """A critical-power duty: UPS load, runtime and the conditions to meet it.

    :meth:`default` fills every condition not given from ``ups.toml``."""

    load: float  # AC load at the UPS output [W]
    runtime: float  # [s]
    inverter_efficiency: float
    dc_window: tuple[float, float]  # DC bus minimum and maximum [V]
    temperature: float  # battery temperature [K]
    design_margin: float  # IEEE 485 design factor [-]

    @classmethod
    def default(
        cls,
        load: float,
        runtime: float,
        *,
        inverter_efficiency: float | None = None,
        dc_window: tuple[float | None, float | None] = (None, None),
        temperature: float | None = None,
        design_margin: float | None = None,
    ) -> Duty:
        """A duty with every condition not given taken from ``ups.toml``: the
        inverter efficiency, the DC bus window of a large three-phase UPS, the
        rating temperature of 25 degC and the IEEE 485 design margin."""
        lo, hi = dc_window
        return cls(
            load=load,
            runtime=runtime,
            inverter_efficiency=ups_value("sizing", "inverter_efficiency")
            if inverter_efficiency is None
            else inverter_efficiency,
            dc_window=(
                ups_value("dc_bus", "window_min", "V") if lo is None else lo,
                ups_value("dc_bus", "window_max", "V") if hi is None else hi,
            ),
            temperature=ups_value("sizing", "temperature_factor_reference", "K")
            if temperature is None
            else temperature,
            design_margin=ups_value("sizing", "design_margin")
            if design_margin is None
            else design_margin,
        )

    def __post_init__(self) -> None:
        check_positive("load", self.load, unit="W")
        check_positive("runtime", self.runtime, unit="s")
        check_range(
            "inverter_efficiency",
            self.inverter_efficiency,
            low=0.0,
            high=1.0,
            low_inclusive=False,
        )
        lo, hi = self.dc_window
        check_positive("dc_window minimum", lo, unit="V")
        if hi <= lo:
            raise ParameterError(
                f"dc_window = ({lo:g}, {hi:g}) V: the maximum must be above the minimum"
            )
        check_range("design_margin", self.design_margin, low=1.0, high=3.0)
        # the sets' Arrhenius laws and the lead-acid chart cover this range
        check_range(
            "temperature",
            self.temperature - ZERO_CELSIUS,
            low=-40.0,
            high=60.0,
            unit="degC",
        )

    @property
    def dc_power(self) -> float:
        """What the battery must deliver [W]."""
        return self.load / self.inverter_efficiency


@dataclass(frozen=True)
class UpsSystem:
    """A sized battery and what it weighs, occupies and costs."""

    chemistry: str
    cell_name: str
    cells_in_series: int
    strings: int
    end_voltage_per_cell: float  # [V]
    cell_power: float  # capability per cell at the duty's conditions [W]
    factors: dict[str, float]
    cell_mass: float  # [kg]
    cell_volume: float  # [m3]
    cell_energy: float  # nameplate [J]
    packaging: dict[str, float]
    capex_usd: float
    tco_usd: float
    replacements: int
    notes: tuple[str, ...] = ()
    citations: tuple[str, ...] = field(default=())
    #: Which count sets the strings: "energy", "power" or "current".
    governing_limit: str = "power"
    #: Strings each limit needs (energy, power, current when rated).
    strings_by_limit: dict[str, int] = field(default_factory=dict)
    #: Current per cell at the end of discharge, P_dc / (N_cells V_end) [A].
    cell_current: float | None = None
    #: The rated discharge current for the runtime (peak or continuous) [A].
    cell_rated_current: float | None = None
    #: The DC power the battery delivers [W] (sets the power-limited cabinets).
    dc_power: float = 0.0

    @property
    def total_cells(self) -> int:
        return self.cells_in_series * self.strings

    @property
    def nameplate_energy(self) -> float:
        """Nameplate energy of all cells [J]."""
        return self.total_cells * self.cell_energy

    @property
    def mass(self) -> float:
        """Mass of cells and their packaging [kg]."""
        return self.total_cells * self.cell_mass * self.packaging["mass_factor"]

    @property
    def volume(self) -> float:
        """Volume of cells and their packaging [m³]."""
        return self.total_cells * self.cell_volume * self.packaging["volume_factor"]

    @property
    def cabinets_by_limit(self) -> dict[str, float]:
        """Cabinets each limit needs (unrounded): nameplate energy, DC power,
        cell mass and cell volume over what one cabinet holds
        (``ups.toml [packaging.*]``); a limit the data do not give is absent."""
        need = {
            "energy": (self.nameplate_energy, "cabinet_energy"),
            "power": (self.dc_power, "cabinet_power"),
            "mass": (self.total_cells * self.cell_mass, "cabinet_cell_mass"),
            "volume": (self.total_cells * self.cell_volume, "cabinet_cell_volume"),
        }
        return {
            k: amount / self.packaging[key]
            for k, (amount, key) in need.items()
            if key in self.packaging and amount > 0
        }

    @property
    def cabinets(self) -> int:
        """Cabinets: the largest of the energy, power, mass and volume counts."""
        return max(1, math.ceil(max(self.cabinets_by_limit.values()) - 1e-9))

    @property
    def floor_area(self) -> float:
        """Floor taken by the cabinets [m²]."""
        return self.cabinets * self.packaging["cabinet_footprint"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "chemistry": self.chemistry,
            "cell": self.cell_name,
            "cells_in_series": self.cells_in_series,
            "strings": self.strings,
            "total_cells": self.total_cells,
            "end_voltage_per_cell_V": self.end_voltage_per_cell,
            "cell_power_W": self.cell_power,
            "governing_limit": self.governing_limit,
            "strings_by_limit": dict(self.strings_by_limit),
            "cell_current_A": self.cell_current,
            "cell_rated_current_A": self.cell_rated_current,
            "factors": self.factors,
            "mass_kg": self.mass,
            "volume_L": self.volume / LITRE,
            "cabinets": self.cabinets,
            "cabinets_by_limit": self.cabinets_by_limit,
            "floor_area_m2": self.floor_area,
            "nameplate_kWh": self.nameplate_energy / KWH,
            "capex_usd": self.capex_usd,
            "replacements": self.replacements,
            "tco_usd": self.tco_usd,
            "notes": list(self.notes),
            "citations": list(self.citations),
        }


def strings_needed(
    dc_power: float, cells_in_series: int, cell_power: float, factors: dict[str, float]
) -> int:
    """Parallel strings so every cell's share, with factors, is within its power."""
    required = dc_power * math.prod(factors.values()) / cells_in_series
    return max(1, math.ceil(required / cell_power - 1e-9))


@dataclass(frozen=True)
class RatedStrings:
    """Parallel strings by each limit and the one that governs."""

    strings: int
    governing_limit: str  # "energy" | "power" | "current"
    by_limit: dict[str, int]
    cell_current: float  # at the end of discharge, no margin [A]
    rated_current: float | None  # [A]


def rated_strings(
    dc_power: float,
    runtime: float,
    cells_in_series: int,
    end_voltage: float,
    *,
    cell_power: float,
    cell_energy: float,
    factors: dict[str, float],
    rated_current: float | None,
) -> RatedStrings:
    """Strings as the largest of the energy-, power- and current-limited counts.

    With the product of the sizing ``factors`` as ``F``:
    energy, :math:`P t F / (N_s E_{cell})` with the cell's usable energy
    ``cell_energy`` [J]; power, :math:`P F / (N_s P_{cell})` with its
    constant-power capability for the runtime ``cell_power`` [W]; current,
    :math:`P F / (N_s V_{end} I_{rated})`, the current at the end of discharge
    against the rated current [A] (skipped when ``rated_current`` is None).
    Ties go to energy, then power. The reported cell current is that of the
    sized battery without the factors, :math:`P / (N_s N_p V_{end})`.
    """
    product = math.prod(factors.values())

    def count(required: float) -> int:
        return max(1, math.ceil(required - 1e-9))

    by_limit = {
        "energy": count(dc_power * runtime * product / (cells_in_series * cell_energy)),
        "power": count(dc_power * product / (cells_in_series * cell_power)),
    }
    if rated_current is not None:
        by_limit["current"] = count(
            dc_power * product / (cells_in_series * end_voltage * rated_current)
        )
    strings = max(by_limit.values())
    governing = next(k for k, v in by_limit.items() if v == strings)
    current = dc_power / (cells_in_series * strings * end_voltage)
    return RatedStrings(strings, governing, by_limit, current, rated_current)


def size_vrla(
    duty: Duty,
    block: VrlaBlock | None = None,
    *,
    blocks_per_string: int | None = None,
    end_voltage_per_cell: float | None = None,
) -> UpsSystem:
    """Size a VRLA battery from its published table (IEEE 485 factors)."""
    block = block or vrla_block()
    with citations.collect() as used:
        nominal_cell = block.nominal_voltage / block.cells
        if blocks_per_string is None:
            # the string floats inside the window at the block's own float voltage
            blocks_per_string = int(duty.dc_window[1] // block.float_voltage)
        if blocks_per_string < 1:
            raise ParameterError(
                f"dc_window maximum {duty.dc_window[1]:g} V is below one block's float "
                f"voltage {block.float_voltage:g} V"
            )
        series = blocks_per_string * block.cells
        if end_voltage_per_cell is None:
            printed = sorted(set(block.table["end_voltage_V_per_cell"]))
            allowed = [v for v in printed if v * series >= duty.dc_window[0] - 1e-9]
            if not allowed:
                raise ParameterError(
                    f"the DC window's minimum {duty.dc_window[0]:g} V needs "
                    f"{duty.dc_window[0] / series:.3g} V/cell from {series} cells, "
                    f"above every end voltage the table prints ({printed} V)"
                )
            end_voltage_per_cell = allowed[0]
        factors = {
            "ageing": ups_value("sizing", "ageing_factor"),
            # the table is rated at its own temperature (27 degC for EP65-12):
            # correct from there, never below 1 (IEEE 485 takes no warm credit)
            "temperature": max(
                1.0,
                lead_acid_temperature_factor(duty.temperature)
                / lead_acid_temperature_factor(block.table_temperature),
            ),
            "design_margin": duty.design_margin,
        }
        cell_power = block.watts_per_cell(duty.runtime, end_voltage_per_cell)
        # the maker's constant-power table is the block's rating; no current
        # rating is published for it, so only energy and power are counted
        rated = rated_strings(
            duty.dc_power,
            duty.runtime,
            series,
            end_voltage_per_cell,
            cell_power=cell_power,
            cell_energy=block.capacity * nominal_cell,
            factors=factors,
            rated_current=None,
        )
        strings = rated.strings
        packaging = _packaging("vrla", block.cells)
        per_block = ups_value("costs", "vrla_capex_per_block", "USD")
        bms = ups_value("costs", "vrla_bms_adder")
        blocks = strings * blocks_per_string
        capex = blocks * per_block * (1.0 + bms)
        interval = ups_value("costs", "vrla_replacement_interval", "s")
        replacements, tco = _tco(capex, interval, "vrla", duty.load)
    return UpsSystem(
        chemistry="vrla",
        cell_name=block.name,
        cells_in_series=series,
        strings=strings,
        end_voltage_per_cell=end_voltage_per_cell,
        cell_power=cell_power,
        factors=factors,
        cell_mass=block.mass / block.cells,
        cell_volume=block.volume / block.cells,
        cell_energy=block.capacity * nominal_cell,
        packaging=packaging,
        capex_usd=capex,
        tco_usd=tco,
        replacements=replacements,
        notes=(
            f"table at {block.table_temperature - ZERO_CELSIUS:g} degC, new; IEEE 485 "
            "ageing and temperature factors applied",
            "the constant-power table is the block's rating; no current rating "
            "is published for it",
        ),
        citations=tuple(used),
        governing_limit=rated.governing_limit,
        strings_by_limit=rated.by_limit,
        cell_current=rated.cell_current,
        dc_power=duty.dc_power,
        cell_rated_current=None,
    )


def size_cell(
    duty: Duty,
    design: CellDesign,
    parameter_set: Any,
    *,
    state_of_health: float | None = None,
    model: str = "DFN",
) -> UpsSystem:
    """Size a battery of natrium cells, their capability simulated at end of life
    and at the duty's temperature (no ageing or temperature factor).

    Packaging, cost and replacement data follow the design's chemistry family
    (``ups.toml [chemistries]``); a family with no data is an error."""
    from natrium.sim import to_pybamm
    from natrium.sim.simulation import initial_ocv
    from natrium.sim.tables import constant_power_table

    with citations.collect() as used:
        chemistry = design.chemistry_key(_ups()["chemistries"], "UPS sizing")
        rated_current = check_ratings(design, duty.temperature, duty.runtime)
        soh = (
            ups_value("sizing", "end_of_life_capacity")
            if state_of_health is None
            else float(state_of_health)
        )
        v_min = design.voltage_window[0]
        # The string must stay inside the window when fully charged: the new
        # cell's charged open-circuit voltage sets how many go in series.
        v_max = initial_ocv(to_pybamm(design, parameter_set))
        series = int(duty.dc_window[1] // v_max)
        if series < 1:
            raise ParameterError(
                f"dc_window maximum {duty.dc_window[1]:g} V is below one "
                f"cell's charged voltage {v_max:.3g} V"
            )
        end_voltage = max(duty.dc_window[0] / series, v_min)
        bridge = to_pybamm(
            design, parameter_set, temperature=duty.temperature, state_of_health=soh
        )
        if end_voltage >= initial_ocv(bridge):
            raise ParameterError(
                f"the DC window cannot be carried: {series} cells must stay above "
                f"{duty.dc_window[0]:g} V, i.e. {end_voltage:.3g} V per cell, which is "
                "at or above the aged cell's open-circuit voltage; widen the window "
                f"(minimum below {series * initial_ocv(bridge):.0f} V)"
            )
        table = constant_power_table(
            design,
            parameter_set,
            (duty.runtime / 60.0,),
            model=model,
            temperature=duty.temperature,
            state_of_health=soh,
            cutoff=end_voltage,
        )
        cell_power = float(table["power_W"].iloc[0])
        factors = {"design_margin": duty.design_margin}
        report = evaluate(design)
        rated = rated_strings(
            duty.dc_power,
            duty.runtime,
            series,
            end_voltage,
            cell_power=cell_power,
            # the aged cell's nameplate energy: what a slow discharge gives
            cell_energy=report.energy * soh,
            factors=factors,
            rated_current=rated_current,
        )
        strings = rated.strings
        packaging = _packaging(chemistry, None)
        capex, interval = _cell_capex(chemistry, design, series * strings)
        replacements, tco = _tco(capex, interval, chemistry, duty.load)
    return UpsSystem(
        chemistry=chemistry,
        cell_name=design.name,
        cells_in_series=series,
        strings=strings,
        end_voltage_per_cell=end_voltage,
        cell_power=cell_power,
        factors=factors,
        cell_mass=report.mass,
        cell_volume=report.volume,
        cell_energy=report.energy,
        packaging=packaging,
        capex_usd=capex,
        tco_usd=tco,
        replacements=replacements,
        notes=(
            f"capability simulated ({model}) at SOH {soh:g} and "
            f"{duty.temperature - ZERO_CELSIUS:g} degC to {end_voltage:.3g} V/cell",
            _limit_note(rated, design),
        ),
        citations=tuple(used),
        governing_limit=rated.governing_limit,
        strings_by_limit=rated.by_limit,
        cell_current=rated.cell_current,
        dc_power=duty.dc_power,
        cell_rated_current=rated.rated_current,
    )


def check_ratings(
    design: CellDesign, temperature: float, duration: float
) -> float | None:
    """The design's rated discharge current for a discharge of ``duration``
    [s] [A], after checking ``temperature`` [K] against its discharge window.

    A temperature outside the rated window is a :class:`ParameterError`: a
    battery sized there would run its cells where the maker does not rate
    them. A design without ratings gives a :class:`RatingWarning` and
    ``None`` (sizing then counts energy and power only): refusing would shut
    out every user design and cathode swap that has no datasheet, and the
    warning says what is not checked."""
    ratings = design.ratings
    if ratings is None:
        warn_rating(
            f"{design.name} has no [ratings] (datasheet currents and "
            "temperatures): its current and temperature are not checked"
        )
        return None
    problem = ratings.check_temperature(temperature, who=design.name)
    if problem is not None:
        raise ParameterError(problem)
    return ratings.discharge_current(duration)


def _limit_note(rated: RatedStrings, design: CellDesign) -> str:
    counts = ", ".join(f"{k} {v}" for k, v in rated.by_limit.items())
    if rated.rated_current is None:
        return (
            f"strings by limit: {counts}; {rated.governing_limit} governs; "
            "no current rating, current not checked"
        )
    source = design.ratings.source if design.ratings is not None else ""
    return (
        f"strings by limit: {counts}; {rated.governing_limit} governs; "
        f"{rated.cell_current:.3g} A per cell at end of discharge against "
        f"{rated.rated_current:.3g} A rated ({source})"
    )


def _packaging(chemistry: str, cells_per_block: int | None) -> dict[str, float]:
    """What one cabinet holds (energy, power, cell mass and volume), its
    footprint, and mass and volume over the cells'."""
    section = f"packaging.{chemistry}"
    mass_factor = ups_value(section, "packaging_mass_factor")
    out = {
        "cabinet_footprint": ups_value(section, "cabinet_footprint", "m^2"),
        "mass_factor": mass_factor,
        # racks, trays and aisles take room as they take mass: volume scales alike
        "volume_factor": mass_factor,
    }
    table = _ups()["packaging"][chemistry]
    for key, unit in (
        ("cabinet_energy", "J"),
        ("cabinet_power", "W"),
        ("cabinet_cell_mass", "kg"),
        ("cabinet_cell_volume", "m^3"),
    ):
        if key in table:
            out[key] = ups_value(section, key, unit)
    return out


def _cell_capex(chemistry: str, design: CellDesign, cells: int) -> tuple[float, float]:
    """Battery capex [USD]: natrium's cell cost plus the balance of system per
    nameplate kWh, and its replacement interval [s]."""
    from natrium.cost import cell_cost

    kwh = cells * evaluate(design).energy / KWH
    # Cells from a plant of the manufacturing model's default size.
    cell_usd = float(cell_cost(design).usd_per_kwh) * kwh
    system_usd = ups_value("costs", "balance_of_system_per_kWh", "USD/kWh") * kwh
    key = (
        "lfp_replacement_interval"
        if chemistry == "lfp"
        else "na_ion_replacement_interval"
    )
    return cell_usd + system_usd, ups_value("costs", key, "s")


#: The year of the replacement intervals and horizon [s]; the name is kept
#: for callers (tests/apps/test_ups.py) of natrium.constants.SECONDS_PER_YEAR.
YEAR = SECONDS_PER_YEAR


def _tco(
    capex: float, interval: float, chemistry: str, load: float
) -> tuple[int, float]:
    """Replacements over the analysis horizon and the discounted cost [USD]:
    capital, replacements, and the electricity of float (trickle) charging,
    a fixed fraction of the UPS load all year, at the US industrial price."""
    from natrium.cost.finance import annuity_factor, present_value
    from natrium.cost.model import economics

    horizon = ups_value("costs", "analysis_horizon", "s")
    rate = economics("finance", "discount_rate", "1/yr")
    years = horizon / SECONDS_PER_YEAR
    every = interval / SECONDS_PER_YEAR
    times = np.arange(every, years - 1e-9, every)
    price = economics("energy_prices", "electricity_us_industrial", "USD/J")
    float_usd_per_year = (
        ups_value("costs", f"{chemistry}_float_loss") * load * SECONDS_PER_YEAR * price
    )
    annuity = float(annuity_factor(int(np.ceil(years)), rate))
    tco = capex * (1.0 + float(present_value(1.0, times, rate)))
    return int(times.size), tco + float_usd_per_year * annuity


def check_by_simulation(
    system: UpsSystem,
    duty: Duty,
    design: CellDesign,
    parameter_set: Any,
    *,
    state_of_health: float = 0.8,
    model: str = "DFN",
) -> dict[str, Any]:
    """Run each cell of a sized system at its share of the load: does it hold
    for the runtime above the end voltage?"""
    from natrium.sim.simulation import simulate

    per_cell = duty.dc_power / system.total_cells
    step = (
        f"Discharge at {per_cell:.6g} W for {duty.runtime / 60:.6g} minutes or until "
        f"{system.end_voltage_per_cell:.6g} V"
    )
    run = simulate(
        design,
        parameter_set,
        step,
        model=model,
        temperature=duty.temperature,
        state_of_health=state_of_health,
    )
    held = run.summary["duration_s"] >= duty.runtime * (1 - 1e-6)
    return {
        "per_cell_W": per_cell,
        "held_s": run.summary["duration_s"],
        "min_voltage_V": run.summary["min_voltage_V"],
        "holds": bool(held),
        "termination": run.summary["termination"],
    }


# ----------------------------------------------------------------------- trays


@dataclass(frozen=True)
class Tray:
    """A rack tray of cells at a DC voltage: how long it holds its power."""

    cells_in_series: int
    strings: int
    continuous_w: float
    peak_w: float
    runtime_continuous_s: float
    peak_holds: bool
    mass: float  # [kg]
    volume: float  # [m³]
    energy: float  # nameplate [J]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cells_in_series": self.cells_in_series,
            "strings": self.strings,
            "total_cells": self.cells_in_series * self.strings,
            "continuous_W": self.continuous_w,
            "peak_W": self.peak_w,
            "runtime_at_continuous_min": self.runtime_continuous_s / 60.0,
            "peak_holds": self.peak_holds,
            "mass_kg": self.mass,
            "volume_L": self.volume / LITRE,
            "nameplate_Wh": self.energy / WH,
        }


def size_tray(
    design: CellDesign,
    parameter_set: Any,
    *,
    state_of_health: float = 1.0,
    temperature: float | None = None,
) -> Tray:
    """The fewest parallel strings at the tray voltage that hold the peak power
    for its duration within the cell's rated current (at the cut-off
    voltage), and the runtime that tray gives at its continuous power
    (``temperature`` [K], default the 25 degC rating temperature)."""
    if temperature is None:
        temperature = ups_value("sizing", "temperature_factor_reference", "K")
    from natrium.sim.runner import Runner
    from natrium.sim.simulation import SimulationError

    voltage = ups_value("tray", "voltage", "V")
    continuous = ups_value("tray", "power_continuous", "W")
    peak = ups_value("tray", "power_peak", "W")
    peak_s = ups_value("tray", "peak_duration", "s")
    report = evaluate(design)
    series = max(1, round(voltage / report.nominal_voltage))
    runner = Runner(
        design,
        parameter_set,
        mode="power",
        temperature=temperature,
        state_of_health=state_of_health,
    )

    def lasts(per_cell: float, seconds: float) -> float:
        try:
            d = runner.discharge(per_cell, seconds)
        except SimulationError:
            return 0.0
        return d.duration_s

    # within the ratings: the peak's current at the cut-off voltage against
    # the rated current for the peak's duration
    rated = check_ratings(design, temperature, peak_s)
    v_end = design.voltage_window[0]
    strings = 1
    if rated is not None:
        strings = max(1, math.ceil(peak / (series * v_end * rated) - 1e-9))
    while lasts(peak / (series * strings), peak_s) < peak_s * (1 - 1e-6):
        strings += 1
        if strings > 1000:
            raise ParameterError(
                f"{design.name}: no tray of up to 1000 strings holds "
                f"{peak:g} W for {peak_s:g} s"
            )
    cells = series * strings
    runtime = lasts(continuous / cells, 24 * 3600.0)
    packaging = _packaging(
        design.chemistry_key(_ups()["chemistries"], "UPS trays"), None
    )
    return Tray(
        cells_in_series=series,
        strings=strings,
        continuous_w=continuous,
        peak_w=peak,
        runtime_continuous_s=runtime,
        peak_holds=True,
        mass=cells * report.mass * packaging["mass_factor"],
        volume=cells * report.volume * packaging["volume_factor"],
        energy=cells * report.energy,
    )


# ------------------------------------------------------------------ comparison


def comparison_fleet() -> dict[str, tuple[CellDesign, Any]]:
    """The shipped cells compared with VRLA (``ups.toml [comparison]``), with
    their parameter sets."""
    from natrium.io import load_example
    from natrium.sim import get_parameter_set

    return {
        key: (load_example(entry["example"]), get_parameter_set(entry["set"]))
        for key, entry in _ups()["comparison"].items()
    }


def comparison(
    duty: Duty,
    cells: dict[str, tuple[CellDesign, Any]] | None = None,
    *,
    state_of_health: float | None = None,
    room_volume: float | None = None,
) -> pd.DataFrame:
    """The same duty met by each natrium cell and by the VRLA reference.

    ``cells`` maps a label to a (design, parameter set); default
    :func:`comparison_fleet`. Rows are keyed by chemistry. Beside mass, floor
    and cost, each row has its chemistry's published abuse figures and the
    vent-gas concentration in a room of ``room_volume`` [m³] (default
    :func:`natrium.apps.safety.default_room_volume`) after one module vents,
    against 25 % of the gas's LFL (:mod:`natrium.apps.safety`)."""
    from natrium.apps.safety import default_room_volume

    cells = comparison_fleet() if cells is None else cells
    if room_volume is None:
        room_volume = default_room_volume()
    rows = []
    for design, pset in cells.values():
        system = size_cell(duty, design, pset, state_of_health=state_of_health)
        rows.append({**system.to_dict(), **_safety(system, design, room_volume)})
    if duty.temperature >= _temperature_chart()[0].min():
        rows.append({**size_vrla(duty).to_dict(), **_safety(None, None, room_volume)})
    keep = [
        "chemistry",
        "cell",
        "cells_in_series",
        "strings",
        "total_cells",
        "end_voltage_per_cell_V",
        "cell_power_W",
        "governing_limit",
        "cell_current_A",
        "cell_rated_current_A",
        "mass_kg",
        "volume_L",
        "cabinets",
        "floor_area_m2",
        "nameplate_kWh",
        "capex_usd",
        "replacements",
        "tco_usd",
        *SAFETY_COLUMNS,
    ]
    return pd.DataFrame(rows)[keep].set_index("chemistry")


#: The safety figures :func:`comparison` adds to each row.
SAFETY_COLUMNS = (
    "safety_chemistry",
    "safety_measured_on",
    "cells_per_module",
    "thermal_runaway",
    "vent_gas_mol_per_Ah",
    "lfl_vol_fraction",
    "one_module_vol_fraction",
    "one_module_share_of_limit",
    "safety_sources",
)


def _safety(
    system: UpsSystem | None, design: CellDesign | None, room_volume: float
) -> dict[str, Any]:
    """A row's safety figures; VRLA has no thermal-runaway vent-gas data."""
    from natrium.apps.safety import cell_chemistry, chemistry_safety, room_screening

    if system is None or design is None:
        return {
            "safety_chemistry": None,
            "safety_measured_on": None,
            "cells_per_module": None,
            "thermal_runaway": "not screened (VRLA: hydrogen on overcharge)",
            "vent_gas_mol_per_Ah": None,
            "lfl_vol_fraction": None,
            "one_module_vol_fraction": None,
            "one_module_share_of_limit": None,
            "safety_sources": [],
        }
    key = cell_chemistry(design)
    data = chemistry_safety(key)
    # a module holds the packaging's module energy, of this cell however large
    section = f"packaging.{system.chemistry}"
    module_energy = ups_value(section, "cabinet_energy", "J") / ups_value(
        section, "modules_per_cabinet"
    )
    cell = evaluate(design)
    per_module = max(1, round(module_energy / cell.energy))
    room = room_screening(key, cell.capacity, per_module, room_volume)
    screened = room.to_dict()
    return {
        "safety_chemistry": key,
        "safety_measured_on": data.name,
        "cells_per_module": per_module,
        "thermal_runaway": data.thermal_runaway,
        "vent_gas_mol_per_Ah": data.vent_gas_mol_per_ah,
        "lfl_vol_fraction": data.lfl,
        "one_module_vol_fraction": screened["one_module_vol_fraction"],
        "one_module_share_of_limit": screened["one_module_share_of_limit"],
        "safety_sources": list(data.sources),
    }
