"""What moves a cell's cost: a tornado of single inputs and Monte Carlo bands.

The lithium carbonate price reaches a cell through its lithium cathode (LFP
from Li2CO3, NMC811 from LiOH) and its LiPF6 electrolyte:
``price = non-lithium part + salt per kg x salt price``
(``economics.toml``, ``[li_price]``); sodium cells do not feel it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from natrium.cell import CellDesign, evaluate
from natrium.cost import model as _model
from natrium.cost.assumptions import CostAssumptions
from natrium.cost.manufacturing import manufacturing
from natrium.cost.model import (
    CellCost,
    assumed_prices,
    cell_cost,
    default_prices,
    economics,
    price_ranges,
)
from natrium.exceptions import ParameterError
from natrium.materials import composition, molar_mass
from natrium.units import GWH

#: Library cathodes whose price follows lithium: (their formula, non-lithium key).
_LITHIUM_CATHODES = {
    "lfp": ("LiFePO4", "lfp_non_lithium_mid"),
    "nmc811": ("LiNi0.8Mn0.1Co0.1O2", "nmc811_non_lithium_mid"),
}


def li2co3_equivalent(formula: str) -> float:
    """Lithium carbonate holding the lithium of 1 kg of ``formula`` [kg kg⁻¹]:
    half a Li2CO3 per lithium atom, from molar masses (CIAAW 2021)."""
    lithium = composition(formula).get("Li", 0.0)
    return 0.5 * lithium * molar_mass("Li2CO3") / molar_mass(formula)


def lithium_prices(design: CellDesign, li2co3_usd_per_kg: float) -> dict[str, float]:
    """BOM-row prices [USD kg⁻¹] of ``design`` at a lithium carbonate price."""
    if li2co3_usd_per_kg <= 0:
        raise ParameterError(
            f"li2co3 price = {li2co3_usd_per_kg:g} is outside (0, inf) [USD/kg]"
        )
    bom = evaluate(design).bom
    prices: dict[str, float] = {}
    cathode = str(bom.loc["cathode active", "material"])
    if cathode in _LITHIUM_CATHODES:
        formula, base = _LITHIUM_CATHODES[cathode]
        prices["cathode active"] = (
            economics("li_price", base, "USD/kg")
            + li2co3_equivalent(formula) * li2co3_usd_per_kg
        )
    electrolyte = str(bom.loc["electrolyte", "material"])
    if electrolyte.startswith("lipf6"):
        reference = economics(
            "li_price", "reference_li2co3_for_active_materials", "USD/kg"
        )
        # LiPF6 per kg of electrolyte: molarity x molar mass / density
        lipf6 = (
            economics("li_price", "electrolyte_lipf6_molarity", "mol/m^3")
            * molar_mass("LiPF6")
            / economics("li_price", "electrolyte_density", "kg/m^3")
        )
        shift = lipf6 * li2co3_equivalent("LiPF6") * (li2co3_usd_per_kg - reference)
        prices["electrolyte"] = default_prices(design)["electrolyte"] + shift
    return prices


def tornado(
    design: CellDesign,
    output: float | None = None,
    *,
    assumptions: CostAssumptions | None = None,
) -> pd.DataFrame:
    """USD per kWh with each input at its low and high end, the rest at base.

    Inputs: lithium carbonate price (2025 low to the 2022 peak), the cathode
    and anode active-material prices (library ranges; a lithium cathode's
    price moves with the lithium row instead), cell yield and plant size (their
    ends in ``economics.toml [sensitivity]``: 90-99 %, half and double).
    ``output`` is the plant's good cells a year [J yr⁻¹], default the
    manufacturing model's plant; the plant-size row shows GWh a year.
    """
    if output is None:
        output = manufacturing().default_output
        if assumptions is not None and assumptions.output is not None:
            output = assumptions.output

    def cell_cost(design: CellDesign, output: float, **kw: Any) -> CellCost:
        return _model.cell_cost(design, output, assumptions=assumptions, **kw)

    base = float(cell_cost(design, output).usd_per_kwh)
    rows = []
    li_low = economics("li_price", "li2co3_2025_06", "USD/kg")
    li_high = economics("li_price", "li2co3_2022_11_peak", "USD/kg")
    rows.append(
        _row(
            "lithium carbonate price [USD/kg]",
            li_low,
            li_high,
            cell_cost(design, output, prices=lithium_prices(design, li_low)),
            cell_cost(design, output, prices=lithium_prices(design, li_high)),
        )
    )
    ranges = price_ranges(design)
    bom = evaluate(design).bom
    for row in ("cathode active", "anode active"):
        # for a lithium cathode the lithium row above already moves its price
        material = str(bom.loc[row, "material"])
        if material in _LITHIUM_CATHODES:
            continue
        low, high = ranges[row]
        rows.append(
            _row(
                f"{material.replace('-', ' ')} price [USD/kg]",
                low,
                high,
                cell_cost(design, output, prices={row: low}),
                cell_cost(design, output, prices={row: high}),
            )
        )
    good = economics("sensitivity", "yield_high")
    poor = economics("sensitivity", "yield_low")
    rows.append(
        _row(
            "cell yield [-]",
            good,
            poor,
            cell_cost(design, output, cell_yield=good),
            cell_cost(design, output, cell_yield=poor),
        )
    )
    factor = economics("sensitivity", "plant_size_factor")
    rows.append(
        _row(
            "plant size [GWh/yr]",
            factor * output / GWH,
            output / factor / GWH,
            cell_cost(design, factor * output),
            cell_cost(design, output / factor),
        )
    )
    table = pd.DataFrame(rows)
    table["swing_usd_per_kWh"] = (
        table["usd_per_kWh_high"] - table["usd_per_kWh_low"]
    ).abs()
    table.attrs["base_usd_per_kWh"] = base
    return table.sort_values("swing_usd_per_kWh", ascending=False).reset_index(
        drop=True
    )


def _row(
    name: str, low: float, high: float, at_low: CellCost, at_high: CellCost
) -> dict[str, Any]:
    return {
        "input": name,
        "low": low,
        "high": high,
        "usd_per_kWh_low": float(at_low.usd_per_kwh),
        "usd_per_kWh_high": float(at_high.usd_per_kwh),
    }


def monte_carlo(
    design: CellDesign,
    output: float | None = None,
    *,
    samples: int = 2000,
    seed: int = 0,
    quantiles: tuple[float, ...] = (0.05, 0.5, 0.95),
    assumptions: CostAssumptions | None = None,
) -> pd.Series:
    """Cost bands from material prices drawn uniformly within their ranges.

    Every BOM material's price is drawn independently from its library range;
    the cost model broadcasts over the samples in one call. ``output`` as
    :func:`natrium.cost.cell_cost` [J yr⁻¹].
    """
    if samples < 10:
        raise ParameterError(f"samples = {samples} is outside [10, inf) [-]")
    rng = np.random.default_rng(seed)
    draws: Mapping[str, np.ndarray] = {
        row: rng.uniform(low, high, samples)
        for row, (low, high) in price_ranges(design).items()
    }
    # a price the user fixed is not drawn
    fixed = assumed_prices(design, assumptions)
    draws = {row: v for row, v in draws.items() if row not in fixed}
    cost = cell_cost(design, output, prices=draws, assumptions=assumptions).usd_per_kwh
    return pd.Series(
        np.quantile(cost, quantiles),
        index=[f"P{round(q * 100)}" for q in quantiles],
        name="usd_per_kWh",
    )


def lithium_scenarios(
    sodium: CellDesign,
    lithium: CellDesign,
    li2co3_prices: Sequence[float] | None = None,
    output: float | None = None,
    *,
    assumptions: CostAssumptions | None = None,
) -> pd.DataFrame:
    """Both cells' USD per kWh, and their ratio, against the lithium
    carbonate price [USD kg⁻¹] (default from the 2025 low to the 2022 peak).

    The lithium cell's cathode and LiPF6 follow the price
    (:func:`lithium_prices`); so does anything lithium in the other cell.
    """
    if li2co3_prices is None:
        low = economics("li_price", "li2co3_2025_06", "USD/kg")
        high = economics("li_price", "li2co3_2022_11_peak", "USD/kg")
        li2co3_prices = list(np.linspace(low, high, 12))
    rows = []
    for li in li2co3_prices:
        na_cost, li_cost = (
            float(
                np.mean(
                    _model.cell_cost(
                        design,
                        output,
                        prices=lithium_prices(design, float(li)),
                        assumptions=assumptions,
                    ).usd_per_kwh
                )
            )
            for design in (sodium, lithium)
        )
        rows.append(
            {
                "li2co3_usd_per_kg": float(li),
                "sodium_usd_per_kWh": na_cost,
                "lithium_usd_per_kWh": li_cost,
                "ratio": na_cost / li_cost,
            }
        )
    table = pd.DataFrame(rows).set_index("li2co3_usd_per_kg")
    table.attrs["sodium"] = sodium.name
    table.attrs["lithium"] = lithium.name
    table.attrs["break_even_li2co3_usd_per_kg"] = break_even_li2co3(
        sodium, lithium, output, assumptions=assumptions
    )
    return table


def break_even_li2co3(
    sodium: CellDesign,
    lithium: CellDesign,
    output: float | None = None,
    *,
    assumptions: CostAssumptions | None = None,
) -> float:
    """Lithium carbonate price [USD kg⁻¹] at which both cells cost the same
    per kWh; NaN if the lithium cell does not feel the price.

    Every price enters the cost model linearly (materials, launch cost on
    materials, working capital, profit, warranty), so the difference of the two
    costs is affine in the lithium price and two evaluations give its root.
    The result may lie below zero: the sodium cell is then dearer at any price.
    """

    def gap(li: float) -> float:
        na, lic = (
            float(
                np.mean(
                    _model.cell_cost(
                        design,
                        output,
                        prices=lithium_prices(design, li),
                        assumptions=assumptions,
                    ).usd_per_kwh
                )
            )
            for design in (sodium, lithium)
        )
        return na - lic

    a, b = 10.0, 50.0  # USD/kg: any two prices
    ga, gb = gap(a), gap(b)
    if np.isclose(ga, gb, rtol=0, atol=1e-9):
        return float("nan")
    return float(a - ga * (b - a) / (gb - ga))
