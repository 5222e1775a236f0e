"""natrium's process model against BatPaC's own results, whose inputs are known.

Argonne's BatPaC 5.0 workbook (version 2022-07-22, last saved at ANL), as
distributed in the public Python wrapper rginster/batpy
(docs/example_data/excel_workbooks/BatPaC.xlsm, commit 1dfe408c9f), stores its
results for its default battery: Battery 1, "EV with NMC811-G (Energy)
Electrodes", 500,000 packs of 100 kWh a year (50 GWh/yr), 200,000,000 accepted
cells of 68.1791 Ah (210,526,316 built at its 95 % yield). The figures below are
read from that file's cells (sheet and cell in each comment); none of them was
computed by natrium. The drivers go in, BatPaC's step results and its
"Summary for Cost of Cells Only" come out.
"""

import pytest

from natrium.cost.model import price_build_up, scale_steps

ACCEPTED = 200e6  # Cost Input F296
BUILT = ACCEPTED / 0.95  # Manufacturing Costs: cells adjusted for yield
CAPACITY_AH = 68.17910746  # Summary of Results G98
# Per accepted cell (Manufacturing Costs G37-G59) and per built cell (Battery
# Design G287, G288) [kg, m2]; solvents a year (Manufacturing Costs G19, G20).
CATHODE_KG, ANODE_KG = 0.364414, 0.247198
POSITIVE_M2, NEGATIVE_M2 = 0.84493127, 0.87914739
NMP_KG_YR, WATER_KG_YR = 24_294_293.72, 40_358_860.96


def _battery_1_steps():
    positive_area, negative_area = POSITIVE_M2 * BUILT, NEGATIVE_M2 * BUILT
    common = {
        "cells": BUILT,
        "handled_cells": BUILT,  # a stacked pouch line
        "cell_kwh": 50e6,
        "solvent_kg": NMP_KG_YR,
        "electrolyte_kg": 0.0,
        "total_electrode_area_m2": positive_area + negative_area,
        "cathode_active_kg": CATHODE_KG * ACCEPTED,
        "anode_active_kg": ANODE_KG * ACCEPTED,
    }
    positive = {
        **common,
        "electrode_area_m2": positive_area,
        "solvent_per_m2": NMP_KG_YR / positive_area,
    }
    negative = {
        **common,
        "electrode_area_m2": negative_area,
        "solvent_per_m2": WATER_KG_YR / negative_area,
    }
    return scale_steps({"positive": positive, "negative": negative}, CAPACITY_AH, 0.0)


# Step capital [M$] as BatPaC computed it for Battery 1 (Manufacturing Costs
# G186-G347). The coaters include the solvent-evaporated factor, stacking and
# formation the 68 Ah capacity factor.
STEP_CAPITAL = {
    "positive_mixing": 200.950,
    "negative_mixing": 281.742,
    "positive_coating": 57.234,
    "negative_coating": 59.169,
    "positive_calendering": 15.479,
    "negative_calendering": 15.491,
    "positive_notching": 17.956,
    "negative_notching": 17.970,
    "positive_vacuum_drying": 8.669,
    "negative_vacuum_drying": 6.816,
    "slitting": 18.583,
    "stacking": 170.081,
    "terminal_welding": 189.616,
    "xray_inspection": 13.972,
    "enclosing": 10.978,
    "electrolyte_filling": 24.949,
    "dry_room": 7.285,
    "formation": 828.884,
    "solvent_recovery": 36.133,
    "scrap_recycling": 9.281,
    "control_lab": 16.0,
}


@pytest.mark.parametrize("step", sorted(STEP_CAPITAL))
def test_each_step_costs_what_batpac_computed_for_its_default_cell(step):
    capital = _battery_1_steps().loc[step, "capital_usd"] / 1e6
    # BatPaC's values are printed to 0.001 M$ here (the cells hold more digits)
    assert capital == pytest.approx(STEP_CAPITAL[step], abs=6e-4)


def test_cell_labour_and_floor_follow_the_capacity_factor_as_in_batpac():
    steps = _battery_1_steps()
    # Manufacturing Costs: stacking 700,333 h/yr; formation 559,561 h/yr and
    # 109,852 m2 (the 68 Ah factor acts on labour and area as on capital)
    assert steps.loc["stacking", "labour_h_per_yr"] == pytest.approx(700_333, abs=1)
    assert steps.loc["formation", "labour_h_per_yr"] == pytest.approx(559_561, abs=1)
    assert steps.loc["formation", "floor_area_m2"] == pytest.approx(109_852, abs=1)


def test_cells_only_plant_is_batpacs():
    steps = _battery_1_steps()
    # Manufacturing Costs G382-G384, "Summary for Cost of Cells Only": a third
    # of the warehouse and the building support systems in the cells' share
    # of the floor
    assert steps["capital_usd"].sum() / 1e6 == pytest.approx(3412.2675, rel=1e-6)
    assert steps["labour_h_per_yr"].sum() == pytest.approx(3_158_559.63, rel=1e-6)
    assert steps["floor_area_m2"].sum() == pytest.approx(224_515.84, rel=1e-6)


def test_price_build_up_is_batpacs_cell_cost():
    # Battery 1 per accepted cell (Manufacturing Costs G431-G447): materials
    # and purchased items 15.502277 $, direct labour 0.394820 (3,158,559.6 h
    # at 25 $/h), variable overhead 0.532832, depreciation 1.874521, GSA
    # 0.700543, R&D 0.749808; capital 3,412.2675 M$ of equipment and 673.5475
    # M$ of building and land (G383, G424); launch cost 173.5758 M$, working
    # capital 492.8979 M$ (G425, G426). BatPaC's in-house default puts no
    # profit or warranty on the cell; natrium's plant sells its cells, so
    # those two are left out of this comparison.
    build = price_build_up(
        materials=15.502277 * ACCEPTED,
        labour=3_158_559.63 * 25.0,
        energy=0.0,
        equipment=3412.2675e6,
        building=673.5475e6,
    )
    per_cell = {k: v / ACCEPTED for k, v in build.items()}
    assert per_cell["variable overhead"] == pytest.approx(0.532832, rel=1e-5)
    assert per_cell["depreciation"] == pytest.approx(1.874521, rel=1e-5)
    assert per_cell["general, sales and administration"] == pytest.approx(
        0.700543, rel=1e-5
    )
    assert per_cell["research and development"] == pytest.approx(0.749808, rel=1e-5)
    assert build["launch cost"] / 1e6 == pytest.approx(173.5758, rel=1e-5)
    assert build["working capital"] / 1e6 == pytest.approx(492.8979, rel=1e-5)
    before_profit = (
        15.502277
        + 0.394820
        + sum(
            per_cell[k]
            for k in (
                "variable overhead",
                "depreciation",
                "general, sales and administration",
                "research and development",
            )
        )
    )
    assert before_profit == pytest.approx(19.754802, rel=1e-5)  # SoR G165
