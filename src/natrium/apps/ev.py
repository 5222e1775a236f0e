"""EV packs: energy over a standard drive cycle, pack size for a range target.

The vehicle follows the WLTC class 3b speed trace (UN GTR 15); the battery
supplies the road load (inertia with a rotational-mass factor, rolling
resistance, aerodynamic drag) through the drivetrain, takes back a share of
the braking energy, and runs the auxiliaries (``apps/data/vehicles.toml``).
The pack is sized for a range by fixed-point iteration, since the pack's own
mass changes the consumption. The low-temperature range loss is simulated: a
cell discharged at the cycle's mean power per cell at the cold temperature
against 25 °C.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natrium import citations
from natrium._toml import read_toml
from natrium._validation import check_positive
from natrium.cell import CellDesign, evaluate
from natrium.cell.ratings import warn_rating
from natrium.exceptions import ParameterError
from natrium.materials import read_value

_DATA = Path(__file__).with_name("data")
STANDARD_GRAVITY = 9.80665  # [m s⁻²], CGPM 1901 (exact by definition)


@cache
def _wltc_trace() -> pd.DataFrame:
    """The trace file, read once (its sources are registered by the caller)."""
    trace = pd.read_csv(_DATA / "wltp_class3b.csv", comment="#")
    return pd.DataFrame(
        {
            "time_s": trace["time_s"].to_numpy(float),
            "speed_m_s": trace["speed_km_h"].to_numpy(float) / 3.6,
        }
    )


def wltc_class3b() -> pd.DataFrame:
    """The WLTC class 3b speed trace: time [s] and speed [m s⁻¹].

    The file is read once; its sources are registered on every call, so each
    :func:`natrium.citations.collect` block that uses the trace cites them.
    """
    citations.register(["UNECEGTR15", "JRCWltp"])
    return _wltc_trace().copy()


def vehicle(key: str = "small_car") -> dict[str, float]:
    """The vehicle's parameters in SI, from ``vehicles.toml``."""
    table = read_toml(_DATA / "vehicles.toml", "vehicle data")[key]
    units = {
        "kerb_mass_without_battery": "kg",
        "payload_test": "kg",
        "rotational_inertia_factor": "",
        "frontal_area": "m^2",
        "drag_coefficient": "",
        "rolling_resistance_coefficient": "",
        "air_density": "kg/m^3",
        "drivetrain_efficiency": "",
        "regen_efficiency": "",
        "auxiliary_power": "W",
    }
    out = {}
    for name, unit in units.items():
        value = read_value(f"vehicles.toml: {key}", table, name, unit)
        citations.register(value.ref)
        out[name] = value.value
    return out


def pack_value(key: str, unit: str = "") -> float:
    table = read_toml(_DATA / "vehicles.toml", "vehicle data")["pack"]
    value = read_value("vehicles.toml: pack", table, key, unit)
    citations.register(value.ref)
    return value.value


def battery_power(
    pack_mass: float, car: dict[str, float] | None = None
) -> pd.DataFrame:
    """Battery power over the cycle [W] (discharge positive) for a pack mass [kg]."""
    car = car or vehicle()
    trace = wltc_class3b()
    t, v = trace["time_s"].to_numpy(), trace["speed_m_s"].to_numpy()
    mass = car["kerb_mass_without_battery"] + car["payload_test"] + pack_mass
    a = np.gradient(v, t)
    rolling = np.where(
        v > 0, mass * STANDARD_GRAVITY * car["rolling_resistance_coefficient"], 0.0
    )
    drag = (
        0.5 * car["air_density"] * car["drag_coefficient"] * car["frontal_area"] * v**2
    )
    wheel = (mass * car["rotational_inertia_factor"] * a + rolling + drag) * v
    battery = (
        np.where(
            wheel > 0,
            wheel / car["drivetrain_efficiency"],
            wheel * car["regen_efficiency"],
        )
        + car["auxiliary_power"]
    )
    return pd.DataFrame({"time_s": t, "speed_m_s": v, "battery_W": battery})


def consumption(pack_mass: float, car: dict[str, float] | None = None) -> float:
    """Battery energy per distance over the cycle [J m⁻¹]."""
    cycle = battery_power(pack_mass, car)
    t = cycle["time_s"].to_numpy()
    energy = np.trapezoid(cycle["battery_W"].to_numpy(), t)
    distance = np.trapezoid(cycle["speed_m_s"].to_numpy(), t)
    return float(energy / distance)


@dataclass(frozen=True)
class EvPack:
    design_name: str
    range_km: float
    energy_kwh: float
    cells: int
    cell_mass_kg: float
    pack_mass_kg: float
    consumption_wh_per_km: float
    cost_usd: float
    cold_range_loss: float | None
    #: "energy" or "current": which count sets the cells.
    governing_limit: str = "energy"
    #: Cells each limit needs.
    cells_by_limit: dict[str, int] | None = None
    #: Current per cell at the cycle's peak power and the cut-off voltage [A].
    cell_current: float | None = None
    #: The design's continuous discharge rating [A].
    cell_rated_current: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "design": self.design_name,
            "range_km": self.range_km,
            "pack_energy_kWh": self.energy_kwh,
            "cells": self.cells,
            "cell_mass_kg": self.cell_mass_kg,
            "pack_mass_kg": self.pack_mass_kg,
            "consumption_Wh_per_km": self.consumption_wh_per_km,
            "pack_cost_usd": self.cost_usd,
            "cold_range_loss": self.cold_range_loss,
            "governing_limit": self.governing_limit,
            "cells_by_limit": self.cells_by_limit,
            "cell_current_A": self.cell_current,
            "cell_rated_current_A": self.cell_rated_current,
        }


def size_pack(
    design: CellDesign,
    range_km: float,
    *,
    parameter_set: Any = None,
    cold: float = 253.15,
    plant_output: float | None = None,
) -> EvPack:
    """The pack of ``design``'s cells that drives ``range_km`` of WLTC class 3b.

    With a parameter set, the range lost at ``cold`` [K] is simulated. Pack
    integration and cost follow the design's chemistry family
    (``vehicles.toml [pack_chemistries]``); the cells are priced at a plant of
    ``plant_output`` [J yr⁻¹], default the manufacturing model's.

    The cells are the larger of the energy-limited count and the
    current-limited count: the cycle's peak battery power over the cells at
    the end-of-discharge voltage (the set's cut-off, else the nominal
    voltage) must stay within the continuous discharge rating (WLTC peaks
    last longer than a few seconds, so no pulse rating is credited). A design
    without ratings warns (:class:`natrium.cell.RatingWarning`) and is sized by
    energy; a ``cold`` outside its discharge window warns too.
    """
    from natrium.cost import cell_cost

    rng = float(check_positive("range_km", range_km, unit="km"))
    groups = read_toml(_DATA / "vehicles.toml", "vehicle data")["pack_chemistries"]
    kind = design.chemistry_key(groups, "the EV pack data")
    report = evaluate(design)
    cell_wh = report.energy / 3600.0
    cell_kg = report.mass
    ratio = pack_value(f"cell_to_pack_mass_ratio_{kind}")
    car = vehicle()
    ratings = design.ratings
    if ratings is None:
        warn_rating(
            f"{design.name} has no [ratings]: the EV pack is sized by energy "
            "and its current is not checked"
        )
    elif parameter_set is not None:
        problem = ratings.check_temperature(cold, who=design.name)
        if problem is not None:
            warn_rating(f"the cold-range check: {problem}")
    v_end = (
        design.voltage_window[0]
        if parameter_set is not None
        else report.nominal_voltage
    )
    pack_mass = 0.0
    by_limit: dict[str, int] = {}
    for _ in range(50):  # fixed point: consumption depends on the pack's mass
        energy_j = rng * 1e3 * consumption(pack_mass, car)
        by_limit = {"energy": int(np.ceil(energy_j / (cell_wh * 3600.0)))}
        if ratings is not None:
            peak = float(battery_power(pack_mass, car)["battery_W"].max())
            by_limit["current"] = int(
                np.ceil(peak / (v_end * ratings.continuous_discharge) - 1e-9)
            )
        cells = max(by_limit.values())
        new_mass = cells * cell_kg / ratio
        if abs(new_mass - pack_mass) < 1e-6 * max(new_mass, 1.0):
            break
        pack_mass = new_mass
    else:
        raise ParameterError(
            f"{design.name}: the pack mass does not settle for "
            f"{rng:g} km (the car cannot carry its own battery)"
        )
    kwh = cells * cell_wh / 1e3
    adder = pack_value(f"pack_cost_adder_{kind}", "USD/kWh")
    cost = (float(cell_cost(design, plant_output).usd_per_kwh) + adder) * kwh
    loss = None
    if parameter_set is not None:
        mean_power = float(
            battery_power(pack_mass, car)["battery_W"].clip(lower=0).mean()
        )
        loss = cold_range_loss(design, parameter_set, mean_power / cells, cold)
    peak_power = float(battery_power(pack_mass, car)["battery_W"].max())
    governing = next(k for k, v in by_limit.items() if v == cells)
    return EvPack(
        design.name,
        rng,
        kwh,
        cells,
        cell_kg,
        pack_mass,
        consumption(pack_mass, car) / 3.6,
        cost,
        loss,
        governing_limit=governing,
        cells_by_limit=by_limit,
        cell_current=peak_power / (cells * v_end),
        cell_rated_current=None if ratings is None else ratings.continuous_discharge,
    )


def cold_range_loss(
    design: CellDesign, parameter_set: Any, watts_per_cell: float, cold: float
) -> float:
    """Share of range lost at ``cold`` [K] against 25 °C: energy to the cut-off at
    the same power per cell, simulated [-]."""
    from natrium.sim.runner import Runner

    energy = []
    for kelvin in (pack_value("reference_temperature", "K"), cold):
        runner = Runner(design, parameter_set, mode="power", temperature=kelvin)
        energy.append(runner.discharge(watts_per_cell, 20 * 3600.0).energy_Wh)
    return 1.0 - energy[1] / energy[0]
