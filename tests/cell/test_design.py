"""Cell design: conservation, derivable numbers, and the commercial references."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import natrium.materials
from natrium import NatriumError, ParameterError
from natrium.cell import compute_arrays, evaluate, evaluate_designs
from natrium.cell.electrode import coating_density, volume_fractions
from natrium.io import example_paths, load_example, read_design
from natrium.materials import get_active
from natrium.units import AH, WH

#: The OCP tables as shipped, read here with numpy rather than through
#: natrium's OCPCurve, so that the nominal voltage is checked independently.
OCP_DIR = Path(natrium.materials.__file__).parent / "data" / "ocp"
#: Aluminium at 20 C: 2.70 g/cm3 (CRC Handbook of Chemistry and Physics, 97th
#: ed., 2016, "Density of the elements"); three digits, so +-0.2 %.
ALUMINIUM_DENSITY = 2700.0  # [kg m-3]
ALUMINIUM_DIGITS = 2e-3


@pytest.fixture(scope="module", params=sorted(example_paths()))
def report(request):
    return evaluate(read_design(example_paths()[request.param]))


def _mean_ocp(key, low, high):
    """Mean of a shipped OCP table between two stoichiometries [V]: the table's
    linear interpolant integrated by a dense trapezoid rule (independent of
    natrium's exact cumulative integral, and accurate to ~1e-9 V here)."""
    table = np.loadtxt(
        OCP_DIR / f"{key}.csv", delimiter=",", skiprows=1, comments="#", ndmin=2
    )
    lo, hi = sorted((float(low), float(high)))
    x = np.linspace(lo, hi, 200_001)
    return np.trapezoid(np.interp(x, table[:, 0], table[:, 1]), x) / (hi - lo)


def test_nominal_voltage_is_the_ocp_integral_over_the_stated_windows(report):
    # Both electrodes pass the same charge, each linearly in its stoichiometry,
    # so the capacity-weighted mean of U_c - U_a over the discharge is the mean
    # of U_c over the cathode's swept window less the mean of U_a over the
    # anode's (the windows the design states: top of charge -> end of
    # discharge). The tables are read here with numpy; the trapezoid on 2e5
    # points of a piecewise-linear curve is exact to ~1e-9 V, hence 1e-6.
    design = report.design
    r = compute_arrays(design)
    cathode = _mean_ocp(
        design.cathode.active,
        r["cathode_top_stoichiometry"],
        r["cathode_end_stoichiometry"],
    )
    anode = _mean_ocp(
        design.anode.active,
        r["anode_top_stoichiometry"],
        r["anode_end_stoichiometry"],
    )
    assert report.metrics["nominal_voltage_V"] == pytest.approx(
        cathode - anode, rel=1e-6
    )


# Datasheet nominal voltages of the cells the examples resemble (tests/data):
# TOB 18650 Na-ion "Nominal Voltage 3.05V" (NFM-class layered oxide / hard
# carbon); Lishen LP54173207 3.2 V (LFP / graphite); Samsung INR21700-50S 3.6 V
# (Ni-rich / graphite). A datasheet nominal voltage is the mean of a rated
# discharge (0.2C-0.5C), natrium's the open-circuit mean, so the tolerance is
# half the last printed digit plus 0.05 V for the rated-rate drop (TOB: 0.2C x
# its <= 30 mOhm AC impedance is 8 mV; a Hakadi NFM/HC 18650 measured 3.03 V
# mean at 0.5C against TOB's 3.05 V). No full-cell voltage of a Prussian white /
# hard carbon cell was found (CATL and Altris publish Wh/kg and the cathode's
# 3.2 V vs Na only), so the PW/HC examples have no such check.
@pytest.mark.parametrize(
    ("example", "cell", "digit"),
    [
        ("nfm_hc_18650", "TOB 18650 Na-ion", 0.01),
        ("lfp_graphite_prismatic", "Lishen LP54173207", 0.1),
        ("nmc811_graphite_21700", "Samsung INR21700-50S", 0.1),
    ],
)
def test_nominal_voltage_against_the_datasheet(example, cell, digit, reference_cells):
    published = reference_cells.loc[cell, "nominal_V"]
    nominal = evaluate(load_example(example)).metrics["nominal_voltage_V"]
    assert nominal == pytest.approx(published, abs=digit / 2 + 0.05)


def test_foil_separator_and_aluminium_masses_by_hand(pw_pouch):
    # The PW/HC pouch (examples/pw_hc_pouch.toml): 30 double-sided cathode
    # sheets of 100 x 200 mm on 14 um aluminium; the anodes are larger by the
    # anode overhang on every edge and one more in number (the outer two are
    # coated on their inner side only, so every cathode face meets an anode);
    # the separator, larger again by its overhang, runs between every pair of
    # faces plus the outer wraps. Foil mass = area x thickness x 2.70 g/cm3.
    p = pw_pouch.parameters()
    width, height = p["geometry.electrode_width"], p["geometry.electrode_height"]
    layers = p["geometry.cathode_layers"]
    anode_edge = 2 * p["cell.anode_overhang"]
    separator_edge = anode_edge + 2 * p["cell.separator_overhang"]
    cathode_foil = layers * width * height * p["cathode.foil_thickness"]
    anode_foil = (
        (layers + 1)
        * (width + anode_edge)
        * (height + anode_edge)
        * p["anode.foil_thickness"]
    )
    bom = evaluate(pw_pouch).bom["mass_kg"]
    assert bom["cathode foil"] == pytest.approx(
        cathode_foil * ALUMINIUM_DENSITY, rel=ALUMINIUM_DIGITS
    )
    assert bom["anode foil"] == pytest.approx(
        anode_foil * ALUMINIUM_DENSITY, rel=ALUMINIUM_DIGITS
    )
    # Separator: 16 um of polyethylene (0.95 g/cm3, handbook range 0.94-0.96)
    # at 47 % porosity (Chen 2020's separator) weighs 16e-6 x 950 x 0.53 =
    # 8.06 g/m2; the library carries it as 8.1 g/m2, two digits (+-0.6 %).
    areal = 16e-6 * 950.0 * (1 - 0.47)
    sheets = 2 * layers + p["cell.outer_separator_wraps"]
    separator = sheets * (width + separator_edge) * (height + separator_edge)
    assert bom["separator"] == pytest.approx(separator * areal, rel=0.01)
    # Aluminium per kWh: both foils and both tabs (aluminium in a sodium cell;
    # 50 x 0.2 mm strips running 20 mm out, through the 5 mm seal and the 8 mm
    # headroom, formats.toml [pouch.default]) over the cell's energy.
    tab = (
        p["geometry.tab_width"]
        * p["geometry.tab_thickness"]
        * (
            p["geometry.tab_protrusion"]
            + p["geometry.seal_width_top"]
            + p["geometry.tab_headroom"]
        )
    )
    aluminium = (cathode_foil + anode_foil + 2 * tab) * ALUMINIUM_DENSITY
    energy_kwh = evaluate(pw_pouch).metrics["energy_Wh"] / 1e3
    per_kwh = evaluate(pw_pouch).materials_per_kwh["aluminium"]
    assert per_kwh == pytest.approx(aluminium / energy_kwh, rel=ALUMINIUM_DIGITS)


def test_solid_volumes_fit_in_the_cell(report):
    assert report.bom["volume_L"].sum() <= report.metrics["volume_L"] * 1.001


# Issue 2: Wh/kg and Wh/L within 15 % of comparable commercial cells.
# Which cell each example is compared with, and on which figures (tests/data):
# - NFM/HC 18650 vs TOB's 18650 Na-ion cell: Wh/kg and Wh/L.
# - LFP/graphite prismatic vs Lishen LP54173207 (same can): Wh/kg and Wh/L.
# - NMC811/graphite 21700 vs Samsung INR21700-50S: Wh/kg and Wh/L.
# - PW/HC pouch vs CATL's first Na-ion cell: an upper bound only (below).
#
# Why 15 % and not the references' own precision. The printed figures are
# precise to about 2 % or better: TOB 1.3 Ah, 3.05 V, 36.5 g (+-4 %, 0.2 %,
# 0.1 %); Lishen 202 Ah, 3.2 V, 3.95 kg (0.2 %, 1.6 %, 0.1 %); Samsung 5.0 Ah,
# 3.6 V, 72.0 g "max" (1 %, 1.4 %, a ceiling). natrium's energy is also the
# open-circuit integral where a datasheet's is a rated discharge (0.2C-0.5C):
# a few per cent more. But the examples are comparable designs, not copies:
# the makers publish no loadings, porosities, foil gauges or electrolyte
# fill, and those set Wh/kg and Wh/L to tens of per cent (the LFP example puts
# 231 Ah into Lishen's can where Lishen puts 202 Ah). No tolerance can be
# derived from the references for a design they do not describe, so this stays
# issue 2's acceptance band: a plausibility check that the examples land among
# real cells, not a validation of natrium's cell model. The validations are
# the hand-derived masses and the OCP integral above.
COMPARISONS = [
    ("nfm_hc_18650", "TOB 18650 Na-ion", ("Wh_per_kg", "Wh_per_L")),
    ("lfp_graphite_prismatic", "Lishen LP54173207", ("Wh_per_kg", "Wh_per_L")),
    ("nmc811_graphite_21700", "Samsung INR21700-50S", ("Wh_per_kg", "Wh_per_L")),
]
METRIC = {
    "Wh_per_kg": "specific_energy_Wh_per_kg",
    "Wh_per_L": "energy_density_Wh_per_L",
}
ISSUE_2_BAND = 0.15


@pytest.mark.parametrize(("example", "cell", "figures"), COMPARISONS)
def test_examples_match_commercial_cells(example, cell, figures, reference_cells):
    m = evaluate(load_example(example)).metrics
    for figure in figures:
        published = reference_cells.loc[cell, figure]
        assert m[METRIC[figure]] == pytest.approx(published, rel=ISSUE_2_BAND), figure
    # Where the reference prints them, capacity and mass are within the same
    # band (the examples are comparable designs, not copies: same can, own
    # loadings).
    ref = reference_cells.loc[cell]
    if ref["capacity_Ah"] == ref["capacity_Ah"]:  # not NaN
        assert m["capacity_Ah"] == pytest.approx(ref["capacity_Ah"], rel=ISSUE_2_BAND)
        assert m["mass_kg"] * 1e3 == pytest.approx(ref["mass_g"], rel=ISSUE_2_BAND)


def test_pw_pouch_stays_below_catl_first_generation(reference_cells):
    # CATL's 2021 launch gave "up to 160 Wh/kg" for its first sodium cells (a
    # maximum over its Prussian white and layered-oxide cells, no volume): a
    # ceiling, printed to the Wh/kg, so a PW/HC design must not exceed 160.5.
    # Below it the figure only says "a real cell reached this", so the lower
    # side is the issue-2 band again, not a precision.
    published = reference_cells.loc["CATL Na-ion gen 1", "Wh_per_kg"]
    specific = evaluate(load_example("pw_hc_pouch")).metrics[
        "specific_energy_Wh_per_kg"
    ]
    assert specific <= published + 0.5
    assert specific >= published * (1 - ISSUE_2_BAND)


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


def _ocp_table(key):
    return np.loadtxt(
        OCP_DIR / f"{key}.csv", delimiter=",", skiprows=1, comments="#", ndmin=2
    )


@pytest.mark.parametrize(("v_min", "v_max"), [(2.0, 3.96), (2.5, 3.8)])
def test_a_voltage_window_counts_the_capacity_between_its_voltages(v_min, v_max):
    # NFM / hard carbon in the prismatic can with the 2.0-3.96 V window of a
    # datasheet, and a narrower 2.5-3.8 V one that cuts deep into both ends.
    # The electrodes' own discharge path (a window wider than the
    # cell: its balance, tested above) runs each stoichiometry linearly in the
    # charge moved; along it the open-circuit voltage is rebuilt here from the
    # shipped tables with numpy on 2e5 points, the charge where it crosses 3.96
    # V and 2.0 V found by interpolation, and the energy between them by the
    # trapezoid rule (which drops the part-intervals at the ends, about 4e-6 of
    # the energy here): capacity and energy agree to 1e-5.
    base = load_example("nfm_hc_prismatic")
    wide = compute_arrays(base, {"cell.voltage_min": 0.01, "cell.voltage_max": 9.0})
    full = float(wide["capacity"])
    q = np.linspace(0.0, full, 200_001)
    share = q / full
    x_c = wide["cathode_top_stoichiometry"] + share * (
        wide["cathode_end_stoichiometry"] - wide["cathode_top_stoichiometry"]
    )
    x_a = wide["anode_top_stoichiometry"] + share * (
        wide["anode_end_stoichiometry"] - wide["anode_top_stoichiometry"]
    )
    cathode, anode = _ocp_table("nfm111"), _ocp_table("hard-carbon")
    ocv = np.interp(x_c, cathode[:, 0], cathode[:, 1]) - np.interp(
        x_a, anode[:, 0], anode[:, 1]
    )
    assert np.all(np.diff(ocv) <= 1e-12)  # falls along the discharge
    start = np.interp(-v_max, -ocv, q)  # np.interp needs increasing abscissae
    stop = np.interp(-v_min, -ocv, q)
    inside = (q >= start) & (q <= stop)
    energy = np.trapezoid(ocv[inside], q[inside])

    windowed = dataclasses.replace(
        base, cell={**base.cell, "voltage_min": v_min, "voltage_max": v_max}
    )
    report = evaluate(windowed)
    assert report.capacity == pytest.approx(stop - start, rel=1e-5)
    assert report.energy == pytest.approx(energy, rel=1e-5)
    # the window takes capacity off both ends of the electrodes' path
    assert 0 < start
    assert stop < full


def test_a_voltage_window_read_from_a_design_file(tmp_path):
    text = example_paths()["nfm_hc_prismatic"].read_text(encoding="utf-8")
    path = tmp_path / "windowed.toml"
    shipped = 'voltage_window = ["1.8 V", "3.95 V"]'
    assert shipped in text
    path.write_text(text.replace(shipped, 'voltage_window = ["2.0 V", "3.96 V"]'))
    design = read_design(path)
    assert design.cell["voltage_min"] == 2.0
    assert design.cell["voltage_max"] == 3.96


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ((3.0, 2.0), "the minimum must be below the maximum"),
        ((4.0, 4.5), "holds none of the cell's capacity"),
        ((0.2, 1.0), "holds none of the cell's capacity"),
    ],
)
def test_a_window_the_cell_cannot_reach_is_refused(window, message):
    base = load_example("nfm_hc_prismatic")
    low, high = window
    with pytest.raises(ParameterError, match=message):
        evaluate(
            dataclasses.replace(
                base, cell={**base.cell, "voltage_min": low, "voltage_max": high}
            )
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('voltage_window = ["1.8 V", "3.95 V"]', 'voltage_window = ["2 A", "4 V"]'),
            r"cell.voltage_window\[0\] = '2 A' has the wrong unit",
        ),
        (
            ("[cathode]", 'casing = "unobtanium"\n[cathode]'),
            "casing = 'unobtanium' is not a known can material for a prismatic "
            "cell; valid: aluminium-3003",
        ),
        (
            (
                "[geometry]",
                '[geometry]\nelectrode_width = "180 mm"\ncathode_layers = 20',
            ),
            # 173 mm can less two 0.7 mm walls; 180 mm + 2 x (1 + 1.5) mm overhangs
            r"geometry.electrode_width = 180.00 mm with the anode's and separator's "
            r"overhangs needs 185.00 mm; the can's cavity is 171.60 mm \(valid: at "
            r"most 166.60 mm\)",
        ),
    ],
)
def test_a_design_file_error_names_the_key_as_typed(tmp_path, change, message):
    text = example_paths()["nfm_hc_prismatic"].read_text(encoding="utf-8")
    old, new = change
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(NatriumError, match=message):
        evaluate(read_design(path))
