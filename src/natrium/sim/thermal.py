"""Lumped thermal parameters from the cell design's bill of materials.

PyBaMM's lumped model balances ``(rho c_p)_eff V dT/dt = Q - h A (T - T_amb)``.
natrium makes the cell's heat capacity the sum of mass x specific heat over
its whole bill of materials (casing and electrolyte included), spread evenly
over the electrode-stack layers PyBaMM models, and cools it through the cell's
real outer surface with a cited heat-transfer coefficient.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from natrium import citations
from natrium._data import Sourced, read_value
from natrium._toml import read_toml
from natrium.cell import CellDesign, compute_arrays, evaluate
from natrium.materials import get_component
from natrium.sim.bridge import BridgeResult

_DATA = Path(__file__).with_name("data")
_LAYERS = (
    "Negative current collector",
    "Negative electrode",
    "Separator",
    "Positive electrode",
    "Positive current collector",
)


@cache
def _table() -> dict[str, Any]:
    return read_toml(_DATA / "thermal.toml", "thermal data")


def specific_heat(row: str, material: str) -> Sourced:
    """Specific heat of a bill-of-materials row [J kg⁻¹ K⁻¹]."""
    table = _table()
    by_material = table["specific_heat_by_material"]
    if material in by_material:
        return read_value("thermal.toml", by_material, material, "J/kg/K")
    return read_value("thermal.toml", table["specific_heat"], row, "J/kg/K")


def heat_transfer_coefficient() -> Sourced:
    return read_value(
        "thermal.toml", _table()["cooling"], "heat_transfer_coefficient", "W/m^2/K"
    )


def cell_heat_capacity(design: CellDesign) -> float:
    """Sum of mass x specific heat over the bill of materials [J K⁻¹]."""
    bom = evaluate(design).bom
    total = 0.0
    for row, item in bom.iterrows():
        cp = specific_heat(str(row), str(item["material"]))
        citations.register(cp.ref)
        total += float(item["mass_kg"]) * cp.value
    return total


def add_thermal_parameters(pv: Any, design: CellDesign, bridge: BridgeResult) -> None:
    """Add what PyBaMM's lumped thermal model needs to ``pv`` (in place)."""
    r = compute_arrays(design)
    foils = (
        get_component("foil", design.anode.foil),
        get_component("foil", design.cathode.foil),
    )
    foil_t = (
        design.anode.foil_thickness or foils[0]["thickness"],
        design.cathode.foil_thickness or foils[1]["thickness"],
    )
    stack = (
        foil_t[0]
        + pv["Negative electrode thickness [m]"]
        + pv["Separator thickness [m]"]
        + pv["Positive electrode thickness [m]"]
        + foil_t[1]
    )
    volume = bridge.electrode_area_m2 * stack  # the volume PyBaMM models [m3]
    rho_cp = cell_heat_capacity(design) / volume  # whole cell's, per modelled volume
    density = float(r["mass"]) / volume
    h = heat_transfer_coefficient()
    citations.register(h.ref)
    values = {
        "Cell volume [m3]": volume,
        "Cell cooling surface area [m2]": float(r["external_area"]),
        "Total heat transfer coefficient [W.m-2.K-1]": h.value,
        "Negative current collector thickness [m]": foil_t[0],
        "Positive current collector thickness [m]": foil_t[1],
        "Negative current collector conductivity [S.m-1]": _conductivity(foils[0].key),
        "Positive current collector conductivity [S.m-1]": _conductivity(foils[1].key),
    }
    for layer in _LAYERS:
        values[f"{layer} density [kg.m-3]"] = density
        values[f"{layer} specific heat capacity [J.kg-1.K-1]"] = rho_cp / density
    pv.update(values, check_already_exists=False)


def _conductivity(foil: str) -> float:
    table = _table().get("electrical_conductivity", {})
    return read_value("thermal.toml", table, foil, "S/m").value
