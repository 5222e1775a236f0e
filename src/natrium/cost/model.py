"""Bottom-up cost of a cell per kWh, after Argonne's BatPaC.

Each process step's capital, labour and floor area are scaled from BatPaC's
baseline plant by the yearly rate of the step's own driver (cathode or anode
kg, electrode m², cells, kWh, solvent kg) and exponent:
``X = X_baseline (rate / baseline_rate)^p`` (``cost/data/process_steps.toml``).
Materials are the bill of materials (:func:`natrium.cell.evaluate`) at library
prices, divided by BatPaC's material yields. Overheads follow BatPaC's rules
(``cost/data/economics.toml``): variable overhead, general-sales-admin and
R&D on labour and depreciation; profit on the investment (equipment,
building, launch cost, working capital); warranty on the price. The
breakdown sums to the total by construction.

Prices may be arrays (one per Monte-Carlo sample): every step broadcasts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natrium import citations
from natrium._toml import read_toml
from natrium._validation import check_positive
from natrium.cell import CellDesign, compute_arrays, evaluate
from natrium.cost.assumptions import CostAssumptions
from natrium.cost.manufacturing import Manufacturing, manufacturing
from natrium.exceptions import DataFileError, OptionError, ParameterError
from natrium.materials import get_active, get_component, read_value
from natrium.units import GWH, KWH, TONNE

_DATA = Path(__file__).with_name("data")
Array = NDArray[np.float64]
DRIVERS = (
    "cathode_active_kg",
    "anode_active_kg",
    "electrode_area_m2",
    "total_electrode_area_m2",
    "cells",
    "handled_cells",
    "cell_kwh",
    "solvent_kg",
    "electrolyte_kg",
)


@cache
def _file(name: str) -> dict[str, Any]:
    return read_toml(_DATA / name, "cost data")


def economics(section: str, key: str, unit: str = "") -> float:
    """A sourced value of ``economics.toml`` in ``unit`` (registered as cited)."""
    value = read_value(
        f"economics.toml: {section}", _file("economics.toml")[section], key, unit
    )
    citations.register(value.ref)
    return value.value


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    driver: str
    baseline_rate: float  # driver units per year
    capital: float  # USD
    capital_exponent: float
    labour_hours: float  # h per year
    labour_exponent: float
    floor_area: float  # m2
    area_exponent: float
    energy: float  # kWh per kWh of cells
    baseline_cell_capacity: float | None = None  # Ah
    capacity_exponent: float = 0.0
    #: a coater's capital also scales with the solvent it evaporates per m2
    solvent_baseline: float | None = None  # kg m⁻² (BatPaC: 'kg/m²yr')
    solvent_exponent: float = 0.0
    #: the cells' share of the step in BatPaC's cells-only cost: a fraction,
    #: or "floor_area" (the cell steps' share of the whole plant's floor)
    cell_share: float | str = 1.0


def _cell_share(where: str, entry: dict[str, Any]) -> float | str:
    share = entry.get("cell_share", 1.0)
    if share == "floor_area":
        return share
    if isinstance(share, dict):
        return read_value(where, entry, "cell_share", "").value
    if share == 1.0:
        return 1.0
    raise DataFileError(
        f"{where}.cell_share = {share!r}; valid: a sourced fraction or 'floor_area'"
    )


@cache
def process_steps() -> tuple[Step, ...]:
    """BatPaC's cell-plant steps with their baselines and exponents."""
    table = _file("process_steps.toml")["step"]
    steps = []
    for key, t in table.items():
        where = f"process_steps.toml: step.{key}"
        if t.get("driver") not in DRIVERS:
            raise OptionError(
                f"{where}.driver = {t.get('driver')!r}; valid: {', '.join(DRIVERS)}"
            )
        unit = {
            "electrode_area_m2": "m^2/yr",
            "total_electrode_area_m2": "m^2/yr",
            "cells": "1/yr",
            "handled_cells": "1/yr",
            "cell_kwh": "kWh/yr",
        }.get(t["driver"], "kg/yr")
        values = {
            k: read_value(where, t, k, u)
            for k, u in (
                ("baseline_rate", unit),
                ("capital", "USD"),
                ("capital_exponent", ""),
                ("direct_labour", "h/yr"),
                ("labour_exponent", ""),
                ("floor_area", "m^2"),
                ("area_exponent", ""),
                ("energy", "kWh/kWh"),
            )
        }
        capacity = (
            read_value(where, t, "baseline_cell_capacity", "A*h")
            if "baseline_cell_capacity" in t
            else None
        )
        exponent = (
            read_value(where, t, "capacity_exponent", "")
            if "capacity_exponent" in t
            else None
        )
        solvent = (
            read_value(where, t, "solvent_evaporated_baseline", "kg/m^2/yr")
            if "solvent_evaporated_baseline" in t
            else None
        )
        steps.append(
            Step(
                key=key,
                name=str(t.get("name", key)),
                driver=str(t["driver"]),
                baseline_rate=values["baseline_rate"].value,
                capital=values["capital"].value,
                capital_exponent=values["capital_exponent"].value,
                labour_hours=values["direct_labour"].value,
                labour_exponent=values["labour_exponent"].value,
                floor_area=values["floor_area"].value,
                area_exponent=values["area_exponent"].value,
                energy=values["energy"].value,
                baseline_cell_capacity=None if capacity is None else capacity.value,
                capacity_exponent=0.0 if exponent is None else exponent.value,
                solvent_baseline=None if solvent is None else solvent.value,
                cell_share=_cell_share(where, t),
                solvent_exponent=read_value(
                    where, t, "solvent_capital_exponent", ""
                ).value
                if solvent is not None
                else 0.0,
            )
        )
    return tuple(steps)


def _register_steps() -> None:
    table = _file("process_steps.toml")
    citations.register(
        str(v.get("ref"))
        for t in table["step"].values()
        for v in t.values()
        if isinstance(v, dict) and "ref" in v
    )


#: The material stream of each BOM row (natrium.cost.manufacturing.STREAMS);
#: rows not named go into the cell whole (casing, hardware, tabs).
_ROW_STREAM = {
    "cathode active": "electrode",
    "cathode binder": "electrode",
    "cathode conductive additive": "electrode",
    "anode active": "electrode",
    "anode binder": "electrode",
    "anode conductive additive": "electrode",
    "cathode foil": "foil",
    "anode foil": "foil",
    "separator": "separator",
    "electrolyte": "electrolyte",
}
#: How BOM rows group into the breakdown.
_ROW_GROUP = {
    "cathode active": "cathode active material",
    "anode active": "anode active material",
    "cathode binder": "binders and carbon",
    "anode binder": "binders and carbon",
    "cathode conductive additive": "binders and carbon",
    "anode conductive additive": "binders and carbon",
    "cathode foil": "current-collector foils",
    "anode foil": "current-collector foils",
    "separator": "separator",
    "electrolyte": "electrolyte",
    "casing": "housing, tabs and hardware",
    "lid": "housing, tabs and hardware",
    "terminals": "housing, tabs and hardware",
    "hardware (cap, vent, spacers, tape)": "housing, tabs and hardware",
    "insulation": "housing, tabs and hardware",
    "cathode tab": "housing, tabs and hardware",
    "anode tab": "housing, tabs and hardware",
}


#: The component category of each BOM row priced from the component library.
_ROW_CATEGORY = {
    "cathode binder": "binder",
    "anode binder": "binder",
    "cathode conductive additive": "conductive_additive",
    "anode conductive additive": "conductive_additive",
    "cathode foil": "foil",
    "anode foil": "foil",
    "separator": "separator",
    "electrolyte": "electrolyte",
    "cathode tab": "tab",
    "anode tab": "tab",
    "terminals": "tab",
    "insulation": "insulation",
}


def default_prices(design: CellDesign) -> dict[str, float]:
    """Mid-range price of each BOM row's material [USD kg⁻¹] (library ranges)."""
    bom = evaluate(design).bom
    return {
        str(row): _price_range(design, str(row), str(item["material"]))[2]
        for row, item in bom.iterrows()
    }


def price_ranges(design: CellDesign) -> dict[str, tuple[float, float]]:
    """Low and high price of each BOM row's material [USD kg⁻¹]."""
    bom = evaluate(design).bom
    out = {}
    for row, item in bom.iterrows():
        low, high, _ = _price_range(design, str(row), str(item["material"]))
        out[str(row)] = (low, high)
    return out


def _price_range(
    design: CellDesign, row: str, material: str
) -> tuple[float, float, float]:
    """(low, high, mid) [USD kg⁻¹]; per-area prices converted by areal density."""
    if row in ("cathode active", "anode active"):
        pr = get_active(material).price
        return pr.low, pr.high, pr.mid
    category = _category(design, row)
    pr = get_component(category, material).price
    per_kg = _kg_per_priced_unit(design, row, material)
    return pr.low * per_kg, pr.high * per_kg, pr.mid * per_kg


def _category(design: CellDesign, row: str) -> str:
    """The component category of a BOM row that is not an active material."""
    category = _ROW_CATEGORY.get(row)
    if category is None:  # casing and hardware: the housing's material
        category = "pouch_laminate" if design.format == "pouch" else "casing_material"
    return category


def _kg_per_priced_unit(design: CellDesign, row: str, material: str) -> float:
    """Price per kg over price per priced unit: 1 for materials priced by mass,
    the inverse areal density for sheets priced by area [m² kg⁻¹]."""
    category = _category(design, row)
    if category == "separator":
        return 1.0 / get_component(category, material).separator_areal_density
    if category == "pouch_laminate":
        return 1.0 / get_component(category, material)["areal_density"]
    return 1.0


def assumed_prices(
    design: CellDesign, assumptions: CostAssumptions | None
) -> dict[str, float]:
    """BOM row -> price [USD kg⁻¹] for the rows whose material a user priced."""
    if assumptions is None:
        return {}
    out = {}
    for row, item in evaluate(design).bom.iterrows():
        given = assumptions.material_prices.get(str(item["material"]))
        if given is None:
            continue
        if given.per == "kg":
            out[str(row)] = given.value
        elif str(row) in ("cathode active", "anode active") or _category(
            design, str(row)
        ) not in ("separator", "pouch_laminate"):
            raise ParameterError(
                f"prices file [materials] {item['material']} = {given.value:g} "
                "USD/m^2: only separators and pouch laminates are priced per "
                "area; give USD/kg"
            )
        else:
            out[str(row)] = given.value * _kg_per_priced_unit(
                design, str(row), str(item["material"])
            )
    return out


@dataclass(frozen=True)
class CellCost:
    """A cell's cost at a plant output, with its breakdown (SI and USD).

    ``output`` is the plant's good cells a year [J yr⁻¹]; ``usd_per_kwh`` the
    price per kWh of cells (a battery unit: that is how cells are priced);
    ``cathode_mass_per_year`` the cathode active material bought [kg yr⁻¹];
    ``plant_energy_intensity`` the plant's energy per unit of cell energy [J J⁻¹].
    """

    design_name: str
    output: float  # [J yr⁻¹]
    usd_per_kwh: Array
    breakdown: pd.DataFrame  # item, usd_per_year, usd_per_kWh
    bill_of_materials: pd.DataFrame  # per BOM row: material, masses, price, cost
    steps: pd.DataFrame  # capital, labour, area per process step
    capex_usd: float
    staff: float  # direct workers (full-time equivalents)
    cathode_mass_per_year: float  # [kg yr⁻¹]
    plant_energy_intensity: float  # [J J⁻¹]
    citations: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def materials_usd_per_kwh(self) -> float:
        """Materials alone, bought with the plant's scrap, at the mean of any
        price samples [USD kWh⁻¹]: the figure a bill-of-materials roll-up
        gives (scrap included), before labour, energy, overheads and capital."""
        return float(
            self.bill_of_materials["usd_per_kWh"].map(lambda v: float(np.mean(v))).sum()
        )

    @property
    def opex_usd_per_year(self) -> float:
        """Running cost a year: every cost of the breakdown but depreciation
        and profit (the capital's share), at the mean of any price samples
        [USD yr⁻¹]."""
        annual = self.breakdown["usd_per_year"].map(lambda v: float(np.mean(v)))
        return float(annual.sum() - annual["depreciation"] - annual["profit"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "design": self.design_name,
            "plant_gwh_per_year": self.output / GWH,
            "usd_per_kWh": float(np.mean(self.usd_per_kwh)),
            "breakdown": [
                {"item": str(i), "usd_per_kWh": float(np.mean(v))}
                for i, v in self.breakdown["usd_per_kWh"].items()
            ],
            "materials_usd_per_kWh": self.materials_usd_per_kwh,
            "bill_of_materials": [
                {
                    "row": str(row),
                    "material": str(r["material"]),
                    "kg_per_cell": float(r["kg_per_cell"]),
                    "tonnes_bought_per_year": float(r["kg_bought_per_year"]) / TONNE,
                    "usd_per_kg": float(np.mean(r["usd_per_kg"])),
                    "usd_per_kWh": float(np.mean(r["usd_per_kWh"])),
                }
                for row, r in self.bill_of_materials.iterrows()
            ],
            "capex_usd": self.capex_usd,
            "opex_usd_per_year": self.opex_usd_per_year,
            "direct_staff": self.staff,
            "cathode_tonnes_per_year": self.cathode_mass_per_year / TONNE,
            "plant_energy_kWh_per_kWh": self.plant_energy_intensity,
            "warnings": list(self.warnings),
            "citations": list(self.citations),
        }


def cell_cost(
    design: CellDesign,
    output: float | None = None,
    *,
    prices: Mapping[str, Any] | None = None,
    labour_rate: float | None = None,
    electricity_price: float | None = None,
    cell_yield: float | None = None,
    plant: Manufacturing | None = None,
    assumptions: CostAssumptions | None = None,
) -> CellCost:
    """Cost per kWh of ``design``'s cells made in a plant of ``output`` a year.

    Parameters
    ----------
    output : float, optional
        Good cells a year [J yr⁻¹]; default the manufacturing model's plant
        size (10 GWh a year).
    prices : mapping, optional
        BOM row name -> price [USD kg⁻¹] (scalars or arrays); default the
        middle of each library price range.
    labour_rate : float, optional
        Fully burdened direct labour [USD h⁻¹]; default BatPaC's US rate.
    electricity_price : float, optional
        [USD kWh⁻¹]; default US industrial (EIA). Heat is priced as electricity.
    cell_yield : float, optional
        Built cells that pass every cell-level step [-]; default the product of
        the manufacturing model's cell-step yields.
    plant : Manufacturing, optional
        Yields, hours and plant energy; default
        :func:`natrium.cost.manufacturing.manufacturing`.
    assumptions : CostAssumptions, optional
        A user's prices, factor prices, step yields and plant size
        (:func:`natrium.cost.read_assumptions`), applied to ``plant``; the
        arguments above, where given, take precedence over them.
    """
    with citations.collect() as used:
        given = assumptions or CostAssumptions()
        given.register_citations()
        plant = given.apply_to(plant or manufacturing())
        output = given.output if output is None else output
        joules = float(
            check_positive(
                "output",
                plant.default_output if output is None else output,
                unit="J/yr",
            )
        )
        check_plant_output(joules)
        report = evaluate(design)
        geometry = compute_arrays(design)
        _register_steps()
        price = {
            **default_prices(design),
            **assumed_prices(design, assumptions),
            **(prices or {}),
        }
        y_cell = plant.cell_yield if cell_yield is None else float(cell_yield)
        labour_rate = given.labour_rate if labour_rate is None else labour_rate
        rate = (
            economics("labour", "rate_us", "USD/h")
            if labour_rate is None
            else labour_rate
        )
        electricity_price = (
            given.electricity_price if electricity_price is None else electricity_price
        )
        power = (
            economics("energy_prices", "electricity_us_industrial", "USD/kWh")
            if electricity_price is None
            else electricity_price
        )
        kwh = joules / KWH
        good_cells = joules / report.energy
        built_cells = good_cells / y_cell

        # Materials: BOM per good cell, over the yield of the row's stream in
        # the electrode steps and the cell yield (manufacturing model).
        materials: dict[str, Any] = {}
        bought: dict[str, float] = {}
        lines = []
        for row, item in report.bom.iterrows():
            stream = _ROW_STREAM.get(str(row))
            row_yield = 1.0 if stream is None else plant.material_yield(stream)
            mass = float(item["mass_kg"]) * good_cells / (row_yield * y_cell)
            bought[str(row)] = mass
            usd = mass * np.asarray(price[str(row)])
            group = _ROW_GROUP.get(str(row), str(row))
            materials[group] = materials.get(group, 0.0) + usd
            lines.append(
                {
                    "row": str(row),
                    "material": str(item["material"]),
                    "kg_per_cell": float(item["mass_kg"]),
                    "kg_bought_per_year": mass,
                    "usd_per_kg": np.asarray(price[str(row)], dtype=float),
                    "usd_per_kWh": usd / kwh,
                }
            )

        intensity = float(np.mean(plant.energy_intensity(design.chemistry)))
        drivers = _drivers(design, report, geometry, kwh, built_cells, plant)
        steps = scale_steps(drivers, report.capacity / 3600.0, intensity)
        if given.equipment_cost_factor is not None:
            steps["capital_usd"] *= given.equipment_cost_factor
        equipment = float(steps["capital_usd"].sum())
        area = float(steps["floor_area_m2"].sum())
        building = area * (
            economics("building", "land_and_building_cost", "USD/m^2")
            if given.building_cost is None
            else given.building_cost
        )
        labour_hours = float(steps["labour_h_per_yr"].sum())
        labour = labour_hours * rate
        energy_kwh = intensity * kwh
        energy = energy_kwh * power
        material_total = sum(materials.values())
        build = price_build_up(material_total, labour, energy, equipment, building)
        items = {
            **materials,
            "direct labour": labour,
            "variable overhead": build["variable overhead"],
            "energy": energy,
            **{k: build[k] for k in _PRICE_ITEMS},
        }
    breakdown = pd.DataFrame(
        {
            "item": list(items),
            "usd_per_year": [np.asarray(v, dtype=float) for v in items.values()],
        }
    ).set_index("item")
    breakdown["usd_per_kWh"] = [v / kwh for v in breakdown["usd_per_year"]]
    total = np.sum(np.stack(np.broadcast_arrays(*breakdown["usd_per_kWh"])), axis=0)
    return CellCost(
        design_name=design.name,
        output=joules,
        usd_per_kwh=np.asarray(total),
        breakdown=breakdown,
        bill_of_materials=pd.DataFrame(lines).set_index("row"),
        steps=steps,
        capex_usd=equipment + building,
        staff=plant.staff(labour_hours * 3600.0),
        cathode_mass_per_year=bought["cathode active"],
        plant_energy_intensity=intensity,
        citations=tuple(used),
        warnings=scale_warnings(joules, report.capacity, design.format),
    )


def _validity(name: str, unit: str) -> float:
    value = read_value(
        "process_steps.toml: validity",
        _file("process_steps.toml")["validity"],
        name,
        unit,
    )
    return value.value


def costed(output: float) -> bool:
    """Whether a plant of ``output`` [J yr⁻¹] lies in the range the process
    model prices (not far below BatPaC's)."""
    return output >= _validity("plant_rate_floor", "J/yr")


def below_floor(output: float) -> str:
    """Why a plant of ``output`` [J yr⁻¹] below the floor is not priced."""
    floor = _validity("plant_rate_floor", "J/yr")
    low, high = (
        _validity("plant_rate_low", "J/yr"),
        _validity("plant_rate_high", "J/yr"),
    )
    return (
        f"plant output = {output / GWH:.4g} GWh/yr is below the {floor / GWH:g} "
        "GWh/yr the BatPaC-scaled process model holds (baseline 50 GWh/yr, scaling "
        f"trusted over {low / GWH:g}-{high / GWH:g} GWh/yr): a pilot-scale plant's "
        "capital, running cost, staff and price are not modelled"
    )


def check_plant_output(output: float) -> None:
    """Refuse a plant far below the range the process model scales to."""
    if not costed(output):
        floor = _validity("plant_rate_floor", "J/yr")
        raise ParameterError(f"{below_floor(output)}; valid: >= {floor / GWH:g} GWh/yr")


#: What each line kind's cell-count scaling was measured on.
_LINE_BASIS = {
    "stacked": "BatPaC's 68 Ah stacked pouch baseline",
    "wound_cylindrical": "Panasonic Nevada's 2170 line",
}


def scale_warnings(
    output: float, capacity: float, cell_format: str = "pouch"
) -> tuple[str, ...]:
    """Where a plant of ``output`` [J yr⁻¹] making ``cell_format`` cells of
    ``capacity`` [C] lies outside the range its scaling data cover."""
    out = []
    low, high = (
        _validity("plant_rate_low", "J/yr"),
        _validity("plant_rate_high", "J/yr"),
    )
    if not low <= output <= high:
        out.append(
            f"plant output {output / GWH:.3g} GWh/yr is outside {low / GWH:g}-"
            f"{high / GWH:g} GWh/yr, where BatPaC's power-law scaling is trusted: "
            "capital and staff are extrapolated"
        )
    line = cell_line(cell_format)
    small, large = (
        _validity(f"{line}_capacity_low", "C"),
        _validity(f"{line}_capacity_high", "C"),
    )
    if not small <= capacity <= large:
        out.append(
            f"cell capacity {capacity / 3600:.3g} Ah is outside {small / 3600:g}-"
            f"{large / 3600:g} Ah, the range the {line.replace('_', ' ')} line's "
            f"cell-count scaling is trusted over ({_LINE_BASIS[line]}): capital, "
            "staff and cost are extrapolated"
        )
    return tuple(out)


def _drivers(
    design: CellDesign,
    report: Any,
    g: Mapping[str, Any],
    kwh: float,
    built_cells: float,
    plant: Manufacturing,
) -> dict[str, dict[str, float]]:
    """Yearly rate of each driver, per electrode where it matters."""
    bom = report.bom["mass_kg"]
    electrode_yield = plant.material_yield("electrode")
    cathode_kg = float(bom["cathode active"]) * built_cells / electrode_yield
    anode_kg = float(bom["anode active"]) * built_cells / electrode_yield
    # Solvent evaporated per kg of active material, from BatPaC's baseline
    # rates: NMP for the positive, water for the negative electrode. NMP is
    # recovered (step.solvent_recovery); both size the coaters' dryers.
    per_kg = _solvent_per_active_kg()
    positive_solvent = per_kg[_binder_solvent(design.cathode.binder)] * cathode_kg
    negative_solvent = per_kg[_binder_solvent(design.anode.binder)] * anode_kg
    nmp = sum(
        amount
        for amount, binder in (
            (positive_solvent, design.cathode.binder),
            (negative_solvent, design.anode.binder),
        )
        if _binder_solvent(binder) == "nmp"
    )
    common = {
        "cells": built_cells,
        "handled_cells": built_cells * handling_ratio(design.format),
        "cell_kwh": kwh,
        "solvent_kg": nmp,
        "electrolyte_kg": float(bom["electrolyte"]) * built_cells,
    }
    positive_area = float(g["cathode_foil_area"]) * built_cells
    negative_area = float(g["anode_foil_area"]) * built_cells
    common["total_electrode_area_m2"] = positive_area + negative_area
    positive = {
        **common,
        "cathode_active_kg": cathode_kg,
        "anode_active_kg": anode_kg,
        "electrode_area_m2": positive_area,
        "solvent_per_m2": positive_solvent / positive_area,
    }
    negative = {
        **positive,
        "electrode_area_m2": negative_area,
        "solvent_per_m2": negative_solvent / negative_area,
    }
    return {"positive": positive, "negative": negative}


#: The build-up items after the variable costs, in the breakdown's order.
_PRICE_ITEMS = (
    "general, sales and administration",
    "research and development",
    "depreciation",
    "profit",
    "warranty",
)


def price_build_up(
    materials: Any, labour: Any, energy: Any, equipment: float, building: float
) -> dict[str, Any]:
    """BatPaC's rules from a year's costs to a price [USD yr⁻¹, or USD].

    ``materials``, ``labour`` and ``energy`` are a year's bought materials,
    direct labour and plant energy [USD yr⁻¹]; ``equipment`` and ``building``
    the plant's capital [USD]. Returns the variable overhead, GSA, R&D,
    depreciation, launch cost, working capital, investment, profit and
    warranty (economics.toml ``[overheads]``, ``[depreciation]``).
    """
    depreciation = equipment / economics(
        "depreciation", "equipment_life", "yr"
    ) + building * economics("depreciation", "building_rate", "1/yr")
    var_oh = (
        economics("overheads", "variable_overhead_of_labour") * labour
        + economics("overheads", "variable_overhead_of_depreciation") * depreciation
    )
    # BatPaC charges GSA and launch on direct labour plus the whole variable
    # overhead, its depreciation part included (its stored results for the
    # default cell: GSA 0.700543 $/cell, launch 173.58 M$).
    labour_with_overhead = labour + var_oh
    gsa = (
        economics("overheads", "gsa_of_labour") * labour_with_overhead
        + economics("overheads", "gsa_of_depreciation") * depreciation
    )
    rnd = economics("overheads", "rnd_of_depreciation") * depreciation
    launch = (
        economics("overheads", "launch_of_labour") * labour_with_overhead
        + economics("overheads", "launch_of_materials") * materials
    )
    variable = materials + labour + var_oh + energy
    working = economics("overheads", "working_capital_of_variable_cost") * variable
    investment = equipment + building + launch + working
    profit = economics("overheads", "profit_of_investment", "1/yr") * investment
    subtotal = variable + gsa + rnd + depreciation + profit
    warranty = subtotal * economics("overheads", "warranty_of_price")  # x 1.056
    return {
        "variable overhead": var_oh,
        "general, sales and administration": gsa,
        "research and development": rnd,
        "depreciation": depreciation,
        "launch cost": launch,
        "working capital": working,
        "investment": investment,
        "profit": profit,
        "warranty": warranty,
    }


def cell_line(cell_format: str) -> str:
    """The kind of line (``stacked``, ``wound_cylindrical``) a format is made on."""
    lines = _file("process_steps.toml")["cell_handling"]["line"]
    if cell_format not in lines:
        raise DataFileError(
            f"process_steps.toml: cell_handling.line has no line for the format "
            f"{cell_format!r}; valid: {', '.join(lines)}"
        )
    return str(lines[cell_format])


def line_rate(line: str) -> float:
    """Cells a second a cell line of kind ``line`` handles [s⁻¹]."""
    table = _file("process_steps.toml")["cell_handling"]
    rate = read_value("process_steps.toml: cell_handling", table, line, "1/s")
    citations.register(rate.ref)
    return rate.value


def handling_ratio(cell_format: str) -> float:
    """Stacked-line cells per cell of ``cell_format`` for the cell-count steps:
    the stacked line's cell rate over the format's line rate [-]."""
    return line_rate("stacked") / line_rate(cell_line(cell_format))


def _binder_solvent(binder: str) -> str:
    """The solvent a binder is cast from (``components.toml``: nmp or water)."""
    solvent = str(get_component("binder", binder).text.get("solvent", "water"))
    if solvent not in ("nmp", "water"):
        raise DataFileError(
            f"components.toml: binder {binder!r} solvent = {solvent!r}; "
            "valid: nmp, water"
        )
    return solvent


@cache
def _solvent_per_active_kg() -> dict[str, float]:
    """kg of solvent evaporated per kg of active material, from BatPaC's
    baseline rates: NMP over the positive, water over the negative active."""
    table = _file("process_steps.toml")

    def rate(section: dict[str, Any], key: str) -> float:
        return read_value("process_steps.toml", section, key, "kg/yr").value

    steps = table["step"]
    return {
        "nmp": rate(steps["solvent_recovery"], "baseline_rate")
        / rate(steps["positive_mixing"], "baseline_rate"),
        "water": rate(table["baseline"], "negative_solvent")
        / rate(steps["negative_mixing"], "baseline_rate"),
    }


def scale_steps(
    drivers: Mapping[str, Mapping[str, float]], capacity_ah: float, intensity: float
) -> pd.DataFrame:
    """Capital, labour and area of each step at its driver's rate; the plant
    energy ``intensity`` [kWh kWh⁻¹] of the cell's chemistry family split over
    the steps in the shares of BatPaC's (Degen & Schütte's) step energies."""
    rows = []
    total_energy = sum(step.energy for step in process_steps())
    for step in process_steps():
        side = "negative" if step.key.startswith("negative") else "positive"
        rate = drivers[side][step.driver]
        ratio = rate / step.baseline_rate if rate > 0 else 0.0
        # BatPaC scales a cell-count step's capital, labour and area alike by
        # the cell's capacity against its 68 Ah baseline.
        size = (
            (capacity_ah / step.baseline_cell_capacity) ** step.capacity_exponent
            if step.baseline_cell_capacity
            else 1.0
        )
        capital = step.capital * ratio**step.capital_exponent * size
        solvent = drivers[side].get("solvent_per_m2", 0.0)
        if step.solvent_baseline and solvent > 0:
            capital *= (solvent / step.solvent_baseline) ** step.solvent_exponent
        rows.append(
            {
                "step": step.key,
                "name": step.name,
                "driver": step.driver,
                "rate": rate,
                "capital_usd": capital,
                "labour_h_per_yr": step.labour_hours
                * ratio**step.labour_exponent
                * size
                if ratio > 0
                else 0.0,
                "floor_area_m2": step.floor_area * ratio**step.area_exponent * size
                if ratio > 0
                else 0.0,
                "energy_kWh_per_kWh": intensity * step.energy / total_energy,
            }
        )
    table = pd.DataFrame(rows).set_index("step")
    return _cells_only(table, drivers["positive"]["cell_kwh"])


def _cells_only(table: pd.DataFrame, kwh_per_year: float) -> pd.DataFrame:
    """BatPaC's cells-only share of each step (Manufacturing Costs G382-G384):
    a fixed fraction, or the cell steps' share of the whole plant's floor,
    module and pack assembly included, for the building support systems."""
    columns = ["capital_usd", "labour_h_per_yr", "floor_area_m2"]
    whole_plant = float(table["floor_area_m2"].sum())  # before the shares
    by_area = []
    for step in process_steps():
        if step.cell_share == "floor_area":
            by_area.append(step.key)
        else:
            table.loc[step.key, columns] *= float(step.cell_share)
    if by_area:
        data = _file("process_steps.toml")["module_and_pack"]
        where = "process_steps.toml: module_and_pack"
        baseline = next(s for s in process_steps() if s.key in by_area)
        ratio = kwh_per_year / baseline.baseline_rate  # the same energy driver
        others = read_value(where, data, "floor_area", "m^2").value * ratio ** (
            read_value(where, data, "area_exponent", "").value
        )
        cells = float(table["floor_area_m2"].sum())
        share = cells / (whole_plant + others) if cells > 0 else 0.0
        table.loc[by_area, "capital_usd"] *= share
    return table
