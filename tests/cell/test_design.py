"""Cell design: conservation, derivable numbers, and the commercial references."""

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from natrium import ParameterError
from natrium.cell import compute_arrays, evaluate, evaluate_designs
from natrium.cell.electrode import coating_density, volume_fractions
from natrium.io import example_paths, load_example, read_design
from natrium.materials import get_active
from natrium.units import AH, WH


@pytest.fixture(scope="module", params=sorted(example_paths()))
def report(request):
    return evaluate(read_design(example_paths()[request.param]))


def test_component_masses_add_up_to_the_cell(report):
    assert_allclose(report.bom["mass_kg"].sum(), report.metrics["mass_kg"], rtol=1e-12)
    assert_allclose(report.bom["mass_fraction"].sum(), 1.0, rtol=1e-12)


def test_energy_is_capacity_times_nominal_voltage(report):
    m = report.metrics
    assert_allclose(
        m["energy_Wh"], m["capacity_Ah"] * m["nominal_voltage_V"], rtol=1e-12
    )


def test_materials_per_kwh_add_up(report):
    total = report.materials_per_kwh.sum()
    assert_allclose(
        total, report.metrics["mass_kg"] / (report.metrics["energy_Wh"] / 1e3)
    )


def test_solid_volumes_fit_in_the_cell(report):
    assert report.bom["volume_L"].sum() <= report.metrics["volume_L"] * 1.001


# Issue 2: Wh/kg and Wh/L within 15 % of comparable commercial cells.
# Which cell each example is compared with, and on which figures (tests/data):
# - PW/HC pouch vs CATL's first Na-ion cell: Wh/kg only (CATL published no volume).
# - NFM/HC 18650 vs TOB's 18650 Na-ion cell: Wh/kg and Wh/L.
# - LFP/graphite prismatic vs Lishen LP54173207 (same can): Wh/kg and Wh/L.
# - NMC811/graphite 21700 vs Samsung INR21700-50S: Wh/kg and Wh/L.
COMPARISONS = [
    ("pw_hc_pouch", "CATL Na-ion gen 1", ("Wh_per_kg",)),
    ("nfm_hc_18650", "TOB 18650 Na-ion", ("Wh_per_kg", "Wh_per_L")),
    ("lfp_graphite_prismatic", "Lishen LP54173207", ("Wh_per_kg", "Wh_per_L")),
    ("nmc811_graphite_21700", "Samsung INR21700-50S", ("Wh_per_kg", "Wh_per_L")),
]
METRIC = {
    "Wh_per_kg": "specific_energy_Wh_per_kg",
    "Wh_per_L": "energy_density_Wh_per_L",
}


@pytest.mark.parametrize(("example", "cell", "figures"), COMPARISONS)
def test_examples_match_commercial_cells(example, cell, figures, reference_cells):
    m = evaluate(load_example(example)).metrics
    for figure in figures:
        published = reference_cells.loc[cell, figure]
        assert m[METRIC[figure]] == pytest.approx(published, rel=0.15), figure
    # Where the reference prints them, capacity and mass are within the same 15 %
    # (the examples are comparable designs, not copies: same can, own loadings).
    ref = reference_cells.loc[cell]
    if ref["capacity_Ah"] == ref["capacity_Ah"]:  # not NaN
        assert m["capacity_Ah"] == pytest.approx(ref["capacity_Ah"], rel=0.15)
        assert m["mass_kg"] * 1e3 == pytest.approx(ref["mass_g"], rel=0.15)


def test_sodium_cells_use_aluminium_on_both_sides():
    for name in ("pw_hc_pouch", "nfm_hc_18650"):
        bom = evaluate(load_example(name)).bom
        assert bom.loc["anode foil", "material"] == "aluminium"
        assert "copper" not in set(bom["material"])


def test_coating_density_is_the_solid_density_at_zero_porosity():
    rho = coating_density((1.0,), (1900.0,), 0.0)
    assert_allclose(rho, 1900.0)
    # Two solids mix by volume: 50/50 by mass of 1000 and 3000 kg/m3 -> 1500.
    assert_allclose(coating_density((0.5, 0.5), (1000.0, 3000.0), 0.0), 1500.0)
    fractions = volume_fractions((0.5, 0.5), (1000.0, 3000.0), 0.4)
    assert_allclose(sum(fractions), 0.6)


def test_np_ratio_sets_the_anode_loading(pw_pouch):
    r = compute_arrays(pw_pouch, {"cell.np_ratio": np.array([1.0, 1.2])})
    assert_allclose(r["np_ratio"], [1.0, 1.2])
    assert r["anode_coating_thickness"][1] / r["anode_coating_thickness"][
        0
    ] == pytest.approx(1.2)


def test_capacity_follows_the_stated_first_cycle_loss(pw_pouch):
    # With a loss override L the cyclable inventory is Q_c / ICE_c x (1 - L); for a
    # large L it is the smallest term, so Q_cell = Q_c (1 - L) / ICE_c exactly.
    pw = get_active("prussian-white")
    design = dataclasses.replace(pw_pouch, first_cycle_loss=0.3)
    r = compute_arrays(design)
    expected = r["cathode_capacity"] * (1 - 0.3) / pw.first_cycle_efficiency.value
    assert_allclose(r["capacity"], expected, rtol=1e-12)


def test_nominal_voltage_is_the_ocp_difference_when_the_cathode_is_fully_used(pw_pouch):
    # A loss of 1 - ICE_c leaves exactly the cathode's reversible capacity to
    # cycle: the cathode sweeps its whole window (mean = material average) and
    # the anode sweeps 1/NP of its window from the empty end.
    pw, hc = get_active("prussian-white"), get_active("hard-carbon")
    design = dataclasses.replace(
        pw_pouch, first_cycle_loss=1 - pw.first_cycle_efficiency.value
    )
    r = compute_arrays(design)
    lo, hi = hc.window
    anode_mean = hc.ocp.mean_potential(lo, lo + (hi - lo) / float(r["np_ratio"]))
    assert_allclose(r["nominal_voltage"], pw.average_potential - anode_mean, rtol=1e-9)


def test_cathode_limited_cells_keep_sodium_in_the_anode(pw_pouch):
    # No first-cycle loss: the inventory is the cathode's first charge, Q_c/ICE_c,
    # more than the cathode takes back. The cathode sweeps its whole window; the
    # anode keeps I - Q_c at the end of discharge and holds I at the top.
    pw, hc = get_active("prussian-white"), get_active("hard-carbon")
    design = dataclasses.replace(pw_pouch, first_cycle_loss=0.0)
    r = compute_arrays(design)
    q_c = float(r["cathode_capacity"])
    inventory = q_c / pw.first_cycle_efficiency.value
    lo, hi = hc.window
    per_sto = q_c * float(r["np_ratio"]) / (hi - lo)  # facing anode capacity / window
    anode_mean = hc.ocp.mean_potential(
        lo + (inventory - q_c) / per_sto, lo + inventory / per_sto
    )
    assert_allclose(r["capacity"], q_c, rtol=1e-12)
    assert_allclose(r["nominal_voltage"], pw.average_potential - anode_mean, rtol=1e-9)
    # Sodium left in the anode lifts its potential less than starting from empty
    # would: the cell voltage is higher than with the loss of the default design.
    assert r["nominal_voltage"] > compute_arrays(pw_pouch)["nominal_voltage"]


def test_an_anode_too_small_for_the_sodium_is_an_error(pw_pouch):
    with pytest.raises(ParameterError, match="would plate"):
        evaluate(dataclasses.replace(pw_pouch, np_ratio=0.5))
    sweep = compute_arrays(pw_pouch, {"cell.np_ratio": np.array([0.5, 1.1])})
    assert np.isnan(sweep["capacity"][0])  # a sweep marks the variant, not aborts
    assert np.isfinite(sweep["capacity"][1])


def test_vectorised_equals_a_loop_over_the_same_designs(pw_pouch):
    porosity = np.linspace(0.25, 0.45, 5)
    loading = np.linspace(2.0, 3.5, 5) * 36000.0
    table = evaluate_designs(
        pw_pouch, {"cathode.porosity": porosity, "cathode.areal_capacity": loading}
    )
    for i in range(5):
        design = dataclasses.replace(
            pw_pouch,
            cathode=dataclasses.replace(
                pw_pouch.cathode, porosity=porosity[i], areal_capacity=loading[i]
            ),
        )
        m = evaluate(design).metrics
        assert_allclose(table["capacity"][i] / AH, m["capacity_Ah"], rtol=1e-12)
        assert_allclose(table["energy"][i] / WH, m["energy_Wh"], rtol=1e-12)
        assert_allclose(table["mass"][i], m["mass_kg"], rtol=1e-12)


def test_jelly_roll_length_of_the_lg_m50():
    # Chen et al., J. Electrochem. Soc. 167 (2020) 080534 (LG M50 21700): coatings
    # 75.6 um (NMC811) and 85.2 um (graphite), foils 16 um Al and 12 um Cu, give an
    # electrode of 1.58 m "width" counting both sides, i.e. a 0.79 m wound length.
    # natrium's 21700 geometry (can wall, mandrel, clearances from formats.toml)
    # with a 16 um separator instead of 12 um should wind the same within 10 %.
    design = load_example("nmc811_graphite_21700")
    r = compute_arrays(
        design,
        {
            "cathode.thickness": 75.6e-6,
            "anode.thickness": 85.2e-6,
            "cathode.foil_thickness": 16e-6,
            "anode.foil_thickness": 12e-6,
        },
    )
    assert float(r["cathode_layers"]) == pytest.approx(0.79, rel=0.10)


def test_thicker_cans_hold_more_prismatic_layers():
    design = load_example("lfp_graphite_prismatic")
    r = compute_arrays(design, {"geometry.thickness": np.array([30e-3, 54e-3, 71e-3])})
    assert np.all(np.diff(r["cathode_layers"]) > 0)
    assert np.all(np.diff(r["capacity"]) > 0)


def test_broadcast_sweeps_flatten_to_rows(pw_pouch):
    table = evaluate_designs(
        pw_pouch,
        {
            "cathode.porosity": np.array([0.3, 0.35]),
            "geometry.cathode_layers": np.array([[10], [20]]),
        },
    )
    assert len(table) == 4
    assert list(table["geometry.cathode_layers"]) == [10, 10, 20, 20]
