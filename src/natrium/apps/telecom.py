"""Telecom backup: a -48 V DC plant holding its load for hours, outdoors.

The battery is sized as a UPS battery (:mod:`natrium.apps.ups`) with the
plant's float and low-voltage-disconnect voltages as the DC window and no
inverter (the load is DC), at each temperature of an outdoor cabinet's range:
sodium-ion's low-temperature behaviour shows as the cell count it needs in
the cold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from natrium.apps.ups import Duty, size_cell, ups_value
from natrium.cell import CellDesign
from natrium.constants import ZERO_CELSIUS
from natrium.units import KWH


def telecom_table(
    design: CellDesign,
    parameter_set: Any,
    *,
    load_w: float,
    hours: float,
    temperatures: Sequence[float] | None = None,
    state_of_health: float | None = None,
) -> pd.DataFrame:
    """Cells and mass a -48 V plant needs at each temperature [K] of its range.

    Each row is sized within the cell's ratings (:func:`natrium.apps.ups.size_cell`):
    the strings are the largest of the energy-, power- and current-limited
    counts, and ``governing_limit`` says which one set them."""
    kelvins: Sequence[float]
    if temperatures is None:
        low = ups_value("telecom", "temperature_low", "K")
        high = ups_value("telecom", "temperature_high", "K")
        kelvins = [float(t) for t in np.linspace(low, high, 5)]
    else:
        kelvins = temperatures
    window = (
        ups_value("telecom", "end_voltage", "V"),
        ups_value("telecom", "float_voltage", "V"),
    )
    rows = []
    for kelvin in kelvins:
        duty = Duty.default(
            load=load_w,
            runtime=hours * 3600.0,
            inverter_efficiency=1.0,
            dc_window=window,
            temperature=float(kelvin),
        )
        system = size_cell(duty, design, parameter_set, state_of_health=state_of_health)
        rows.append(
            {
                "temperature_C": float(kelvin) - ZERO_CELSIUS,
                "cells_in_series": system.cells_in_series,
                "strings": system.strings,
                "total_cells": system.total_cells,
                "end_voltage_per_cell_V": system.end_voltage_per_cell,
                "cell_power_W": system.cell_power,
                "governing_limit": system.governing_limit,
                "cell_current_A": system.cell_current,
                "cell_rated_current_A": system.cell_rated_current,
                "mass_kg": system.mass,
                "nameplate_kWh": system.nameplate_energy / KWH,
            }
        )
    return pd.DataFrame(rows).set_index("temperature_C")
