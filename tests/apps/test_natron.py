"""The Natron-class PBA/PBA cell and its 48 V tray against Natron's published
figures (issue 15). Each figure: the published value, its source and
natrium's, within 25 % or explained here."""

from __future__ import annotations

import pytest

from natrium import Chain
from natrium.sim import datasheet

DESIGN = "pba_pba_power_pouch"


@pytest.fixture(scope="module")
def chain():
    return Chain.from_example(DESIGN)


def test_the_pba_pba_set_simulates_its_datasheet(chain):
    assert chain.simulation_set.name == "pba_pba"
    sheet = chain.datasheet().value
    slow = chain.rate_table().value
    # at C/20 the DFN gives the open-circuit datasheet's capacity within 1 %
    # (the window's 1.30 V cut-off sits 20 mV below the electrodes' 1.32 V end)
    assert slow["capacity_Ah"].iloc[0] == pytest.approx(sheet.capacity / 3600, rel=0.01)
    # a power cell: 5C keeps more than 95 % of it
    assert slow.loc[5.0, "capacity_fraction"] > 0.95


def test_its_specific_energy_is_that_of_a_commercial_pba_cell(chain):
    # Carter et al. 2025 (Energies 18, 661): the commercial PBA 'Na-tmCN' cell
    # they tested, 23 Wh/kg; natrium's design is built from Natron's figures,
    # not from that cell, so this is an independent check (within 25 %)
    wh_per_kg = chain.datasheet().metrics["specific_energy_Wh_per_kg"]
    assert wh_per_kg == pytest.approx(23.0, rel=0.25)


def test_the_tray_carries_4_kw_continuous_and_6_kw_peak(chain):
    # Natron BlueTray 4000: "a 48 VDC, 4 kW (6 kW peak)" tray (secondary).
    # natrium's tray of this cell: a ~1.65 V cell, 29 in series for 48 V, one
    # string. Its figures are checked here by simulating one cell at its share
    # of each power, not read back from the sizing.
    tray = chain.tray().value.to_dict()
    assert tray["cells_in_series"] == 29
    assert tray["strings"] == 1
    cells = tray["cells_in_series"] * tray["strings"]
    cut_off = chain.design.voltage_window[0]
    peak = chain.simulate(
        [f"Discharge at {6000 / cells:.4f} W for 60 seconds or until {cut_off} V"]
    ).value
    # the peak holds for its minute (ups.toml [tray] peak_duration) above the
    # cut-off, within the cell's 12C rating
    assert peak.summary["duration_s"] == pytest.approx(60.0, rel=1e-3)
    assert peak.summary["min_voltage_V"] > cut_off
    capacity_ah = chain.datasheet().value.capacity / 3600
    assert peak.data["current_A"].max() < 12 * capacity_ah
    continuous = chain.simulate(
        [f"Discharge at {4000 / cells:.4f} W until {cut_off} V"]
    ).value
    # at 4 kW the tray runs about as long as its sizing says (12.9 min)
    assert continuous.summary["duration_s"] / 60 == pytest.approx(
        tray["runtime_at_continuous_min"], rel=0.02
    )


@pytest.mark.parametrize(
    ("claim_id", "published", "tolerance"),
    [
        # Natron: 90 % of its energy in a 5-minute discharge (NatronRates2022)
        ("natron_five_minutes_pba", 0.90, 0.25),
        # Natron: 0 to 99 % charge in 8 minutes (NatronRates2022)
        ("natron_fast_charge_pba", 0.99, 0.25),
    ],
)
def test_rate_figures_within_a_quarter_of_natrons(
    chain, claim_id, published, tolerance
):
    claim = datasheet.get_claim(claim_id)
    ours = datasheet.measure(claim, chain.design, chain.simulation_set)
    assert ours == pytest.approx(published, rel=tolerance)
    if ours < published:  # a shortfall is declared with its measured value
        assert claim.known_gap is not None
        assert f"{100 * ours:.1f} %" in claim.known_gap


def test_energy_density_is_below_natrons_up_to_50_wh_per_l(chain):
    # Natron: "up to 50 Wh/l" (Rho Motion 2024, secondary; pack level per one
    # report). natrium's cell gives 35 Wh/L, 30 % below: explained, not met.
    # The design is a power cell (0.8 mAh/cm2, 40 % porosity coatings) with
    # the constructed materials' 60 and 70 mAh/g; "up to" is the top of
    # Natron's range, and no Natron cell loading or format is published. The
    # tray, with packaging borrowed from LFP cabinets (ups.toml), gives 15.
    cell = chain.datasheet().metrics["energy_density_Wh_per_L"]
    assert 25.0 < cell < 50.0
    tray = chain.tray().value.to_dict()
    assert tray["nameplate_Wh"] / tray["volume_L"] < cell
