"""Derived tables: rate capability, Ragone curve, constant-power capability.

The constant-power table is what critical-power (UPS) sizing stands on: the
watts per cell a cell delivers for 1, 2, 5, 10, 15, 30 and 60 minutes down to
a cut-off voltage, at a given temperature and state of health, in the manner
of the constant-power tables battery makers publish for VRLA blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from natrium._data import DataFile
from natrium.cell import CellDesign, evaluate
from natrium.exceptions import ParameterError
from natrium.sim.parameter_sets import ParameterSet
from natrium.sim.runner import Runner
from natrium.sim.simulation import SimulationError
from natrium.units import WH

#: Runtimes of published constant-power tables (e.g. VRLA UPS blocks) [min].
DEFAULT_RUNTIMES_MIN = (1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0)
DEFAULT_C_RATES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
#: Relative precision of the power found for a runtime [-].
RUNTIME_TOLERANCE = 1e-3
_PROTOCOLS = DataFile(Path(__file__).with_name("data") / "protocols.toml", "protocols")


def rate_table(
    design: CellDesign,
    parameter_set: ParameterSet,
    c_rates: Sequence[float] = DEFAULT_C_RATES,
    *,
    model: str = "DFN",
    temperature: float | None = None,
    state_of_health: float = 1.0,
) -> pd.DataFrame:
    """Capacity, energy and mean voltage of constant-current discharges.

    One row per C-rate (1C = the design's capacity in one hour); a rate at
    which the cell reaches its cut-off at once delivers nothing.
    """
    rates = np.sort(np.asarray(c_rates, dtype=float))
    if rates.size == 0 or np.any(rates <= 0):
        raise ParameterError("c_rates must be > 0 [1/h]")
    runner = Runner(
        design,
        parameter_set,
        model=model,
        temperature=temperature,
        state_of_health=state_of_health,
    )
    rows = []
    for c in rates:
        d = runner.discharge(runner.c_rate_current(c), runner.time_limit(c))
        rows.append(
            {
                "c_rate": c,
                "current_A": runner.c_rate_current(c),
                "capacity_Ah": d.capacity_Ah,
                "energy_Wh": d.energy_Wh,
                "mean_voltage_V": d.mean_voltage_V,
                "duration_s": d.duration_s,
            }
        )
    table = pd.DataFrame(rows).set_index("c_rate")
    table["capacity_fraction"] = table["capacity_Ah"] / runner.capacity_Ah
    return table


def constant_power_table(
    design: CellDesign,
    parameter_set: ParameterSet,
    runtimes_min: Sequence[float] = DEFAULT_RUNTIMES_MIN,
    *,
    model: str = "DFN",
    temperature: float | None = None,
    state_of_health: float = 1.0,
    cutoff: float | None = None,
) -> pd.DataFrame:
    """Watts per cell the cell holds for each runtime, to its cut-off voltage.

    ``cutoff`` [V] overrides the parameter set's lower cut-off (an application's
    end-of-discharge voltage per cell), never below it.

    The power for a runtime is the largest constant power whose discharge
    lasts at least that long, found by bisection to a relative precision of
    :data:`RUNTIME_TOLERANCE`. A cell whose power is capped by what it can
    give at all (electrolyte depletion, or the maximum-power point at the
    start) holds that cap for every runtime up to the one the cap lasts:
    ``runtime_at_power_min`` then exceeds the runtime asked for.
    """
    runtimes = np.sort(np.asarray(runtimes_min, dtype=float))
    if runtimes.size == 0 or np.any(runtimes <= 0):
        raise ParameterError("runtimes must be > 0 [min]")
    runner = Runner(
        design,
        parameter_set,
        model=model,
        mode="power",
        temperature=temperature,
        state_of_health=state_of_health,
        cutoff=cutoff,
    )
    energy_wh = evaluate(design).energy / WH * state_of_health
    rows = []
    floor = None  # the power of a longer runtime is a lower bound for a shorter one
    for minutes in runtimes[::-1]:
        seconds = 60.0 * minutes
        power = _power_for_runtime(runner, seconds, energy_wh, floor)
        floor = power
        d = runner.discharge(power, 10.0 * seconds)
        rows.append(
            {
                "runtime_min": minutes,
                "power_W": power,
                "energy_Wh": d.energy_Wh,
                "runtime_at_power_min": d.duration_s / 60.0,
                "mean_voltage_V": d.mean_voltage_V,
                "mean_current_A": power / d.mean_voltage_V,
            }
        )
    table = pd.DataFrame(rows[::-1]).set_index("runtime_min")
    table.attrs.update(
        {
            "cutoff_V": runner.cutoff,
            "state_of_health": state_of_health,
            "temperature_K": runner.bridge.parameter_values["Ambient temperature [K]"],
        }
    )
    return table


def _lasts(runner: Runner, power: float, seconds: float) -> bool:
    """Whether a discharge at ``power`` lasts ``seconds`` before the cut-off."""
    try:
        d = runner.discharge(power, seconds)
    except SimulationError:
        # Beyond the power the cell can give at the start, no consistent initial
        # state exists and the solver stops at t = 0: it lasts no time at all.
        return False
    return not d.reached_cutoff


def _power_for_runtime(
    runner: Runner, seconds: float, energy_wh: float, floor: float | None
) -> float:
    """The largest constant power that lasts ``seconds`` [W] (bisection in log P)."""
    nominal = energy_wh * 3600.0 / seconds  # the power if all energy came out [W]
    low = floor if floor is not None else 0.02 * nominal
    while not _lasts(runner, low, seconds):
        low *= 0.5
        if low < 1e-6 * nominal:
            raise ParameterError(
                f"the cell cannot hold even {low:.3g} W for {seconds / 60:g} min "
                "before its cut-off"
            )
    high = max(1.2 * nominal, 2.0 * low)
    while _lasts(runner, high, seconds):
        low, high = high, 2.0 * high
    while high / low - 1.0 > RUNTIME_TOLERANCE:
        middle = float(np.sqrt(low * high))
        if _lasts(runner, middle, seconds):
            low = middle
        else:
            high = middle
    return low


def ragone(
    design: CellDesign,
    parameter_set: ParameterSet,
    runtimes_min: Sequence[float] = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
    *,
    model: str = "DFN",
) -> pd.DataFrame:
    """Specific energy against specific power of constant-power discharges.

    Columns ``W_per_kg`` and ``Wh_per_kg`` per runtime, on the cell's mass.
    """
    mass = evaluate(design).mass
    table = constant_power_table(design, parameter_set, runtimes_min, model=model)
    return pd.DataFrame(
        {
            "W_per_kg": table["power_W"] / mass,
            "Wh_per_kg": table["energy_Wh"] / mass,
        }
    )


def round_trip_efficiency(
    design: CellDesign,
    parameter_set: ParameterSet,
    c_rate: float,
    *,
    temperature: float | None = None,
) -> float:
    """DC energy out over energy in of a full cycle at ``c_rate`` [h⁻¹] [-].

    The protocol (``sim/data/protocols.toml [round_trip]``): discharge to the
    lower cut-off, rest, charge at the same rate to the upper cut-off and hold
    it until the hold's end rate (C/50), rest, discharge again; the efficiency
    is the last discharge's energy over the charge's (holds included).
    """
    from natrium.sim.simulation import interval_energy, simulate

    v_min, v_max = design.voltage_window
    rest = _PROTOCOLS.value("round_trip", "rest", "s") / 60.0
    hold_end = _PROTOCOLS.value("round_trip", "hold_end_rate", "1/s") * 3600.0
    steps = [
        f"Discharge at {c_rate:g}C until {v_min:g} V",
        f"Rest for {rest:g} minutes",
        f"Charge at {c_rate:g}C until {v_max:g} V",
        f"Hold at {v_max:g} V until {hold_end:g}C",
        f"Rest for {rest:g} minutes",
        f"Discharge at {c_rate:g}C until {v_min:g} V",
    ]
    data = simulate(design, parameter_set, steps, temperature=temperature).data
    power = data["power_W"].to_numpy()
    energy = interval_energy(
        data["time_s"].to_numpy(),
        data["voltage_V"].to_numpy(),
        data["current_A"].to_numpy(),
    )
    charged = -energy[energy < 0].sum()
    last_charge = np.nonzero(power < 0)[0].max()  # the last discharge follows it
    delivered = energy[last_charge:][energy[last_charge:] > 0].sum()
    return float(delivered / charged)
