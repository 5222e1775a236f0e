"""Casings as data and prismatic cells given layer by layer (issue 16)."""

import dataclasses
import tomllib
from pathlib import Path

import pytest

import natrium.cell
import natrium.materials
from natrium import OptionError, ParameterError
from natrium.cell import compute_arrays, evaluate
from natrium.io import load_example

MATERIALS = Path(natrium.materials.__file__).parent / "data"
CELL_DATA = Path(natrium.cell.__file__).parent / "data"
MAH = 3.6  # [C]


def _toml(path):
    return tomllib.loads(path.read_text(encoding="utf-8"))


COMPONENTS = _toml(MATERIALS / "components.toml")
ACTIVE = _toml(MATERIALS / "active_materials.toml")["active"]
PRISMATIC = _toml(CELL_DATA / "formats.toml")["prismatic"]["default"]
DEFAULTS = _toml(CELL_DATA / "defaults.toml")["defaults"]


def _density(category, key):
    """[kg/m3] from a g/cm3 entry of components.toml."""
    entry = COMPONENTS[category][key]["density"]
    assert entry["unit"] == "g/cm^3"
    return entry["value"] * 1e3


def _mm(entry):
    assert entry["unit"] == "mm"
    return entry["value"] * 1e-3


def test_a_steel_can_weighs_the_density_ratio_times_the_aluminium_can():
    # Same geometry, other material: every part made of the can's material (its
    # walls and bottom, its lid) scales with the density; the terminals (the
    # tabs' aluminium) and the rest of the cell do not.
    aluminium = load_example("nfm_hc_prismatic")
    steel = dataclasses.replace(aluminium, casing="nickel-plated-steel")
    ratio = _density("casing_material", "nickel-plated-steel") / _density(
        "casing_material", "aluminium-3003"
    )
    a, s = evaluate(aluminium), evaluate(steel)
    for row in ("casing", "lid"):
        assert s.mass_of(row) == pytest.approx(ratio * a.mass_of(row), rel=1e-12)
    assert s.mass_of("terminals") == a.mass_of("terminals")
    assert s.mass_of("cathode active") == a.mass_of("cathode active")
    assert s.bom.loc["casing", "material"] == "nickel-plated-steel"
    # the lid by hand: the outer width x thickness x the lid's thickness
    lid = 0.173 * 0.054 * _mm(PRISMATIC["lid_thickness"])
    assert a.mass_of("lid") == pytest.approx(
        lid * _density("casing_material", "aluminium-3003"), rel=1e-12
    )


def _stacked(**geometry):
    base = load_example("nfm_hc_prismatic")
    return dataclasses.replace(
        base,
        geometry={**base.geometry, **geometry},
        # a window wider than the electrodes: the capacity is theirs
        cell={**base.cell, "voltage_min": 0.01, "voltage_max": 9.0},
    )


def test_layers_that_do_not_fit_the_can_are_refused_with_the_thicknesses():
    # 54 mm can, 0.7 mm walls each side and 3 mm of clearance: 49.6 mm inside
    available = (
        54.0
        - 2 * PRISMATIC["can_wall_thickness"]["value"]
        - PRISMATIC["internal_clearance_thickness"]["value"]
    )
    with pytest.raises(ParameterError) as err:
        evaluate(_stacked(cathode_layers=60.0, assemblies=2.0))
    message = str(err.value)
    assert "geometry.cathode_layers = 60 in 2 assemblies need" in message
    assert f"{available:.2f} mm is available" in message
    needed = float(message.split(" need ")[1].split(" mm")[0])
    assert needed > available


def test_a_stack_given_layer_by_layer_matches_a_hand_calculation():
    # Two assemblies of 25 double-sided cathodes, 160 x 170 mm, in the 54 x 173 x
    # 207 mm can. Every figure from the data files and first principles:
    # cathodes n = 50, each with two coated faces; anodes larger by the overhang
    # on every edge, 26 per assembly with the outer two coated inside only;
    # separators two per cathode plus the outer wraps, per assembly.
    w, h, layers, assemblies = 0.160, 0.170, 25, 2
    design = _stacked(
        electrode_width=w,
        electrode_height=h,
        cathode_layers=float(layers),
        assemblies=float(assemblies),
    )
    report = evaluate(design)
    overhang = _mm(DEFAULTS["anode_overhang"])
    sep_overhang = _mm(DEFAULTS["separator_overhang"])
    wraps = DEFAULTS["outer_separator_wraps"]["value"]
    n = layers * assemblies
    cathode_area = 2 * n * w * h
    anode_sheet = (w + 2 * overhang) * (h + 2 * overhang)
    anode_area = 2 * n * anode_sheet
    sep_sheet = (w + 2 * overhang + 2 * sep_overhang) * (
        h + 2 * overhang + 2 * sep_overhang
    )
    sep_area = (2 * layers + wraps) * assemblies * sep_sheet

    # capacity: cathode 2.8 mAh/cm2 per side, N/P 1.10, the anode's loss on
    # its whole coated area, first charge Q_c / ICE_c
    nfm, hc = ACTIVE["nfm111"], ACTIVE["hard-carbon"]
    q_cathode = cathode_area * 2.8 * MAH / 1e-4  # [C]
    anode_facing = 1.10 * q_cathode
    anode_total = anode_facing * anode_area / cathode_area
    inventory = q_cathode / nfm["first_cycle_efficiency"]["value"] - anode_total * (
        1 / hc["first_cycle_efficiency"]["value"] - 1
    )
    capacity = min(inventory, anode_facing) - max(inventory - q_cathode, 0.0)
    assert report.capacity == pytest.approx(capacity, rel=1e-9)

    # masses: active = charge / practical capacity; coating = active / fraction
    c_active = q_cathode / (nfm["practical_capacity"]["value"] * MAH / 1e-3)
    a_active = anode_facing / (hc["practical_capacity"]["value"] * MAH / 1e-3)
    a_active *= anode_area / cathode_area
    assert report.mass_of("cathode active") == pytest.approx(c_active, rel=1e-9)
    assert report.mass_of("anode active") == pytest.approx(a_active, rel=1e-9)
    assert report.mass_of("cathode binder") == pytest.approx(
        c_active / 0.95 * 0.025, rel=1e-9
    )
    foil = _density("foil", "aluminium") * 13e-6
    assert report.mass_of("cathode foil") == pytest.approx(n * w * h * foil, rel=1e-9)
    anode_foils = (layers + 1) * assemblies * anode_sheet
    assert report.mass_of("anode foil") == pytest.approx(anode_foils * foil, rel=1e-9)
    sep = COMPONENTS["separator"]["pe-16"]
    assert report.mass_of("separator") == pytest.approx(
        sep_area * sep["areal_density"]["value"] * 1e-3, rel=1e-9
    )

    # electrolyte: the fill times the pores of both coatings and the separator;
    # a coating's volume is its mass over the densities of its solids, divided
    # by (1 - porosity)
    c_solids = c_active / (nfm["density"]["value"] * 1e3) + (
        c_active / 0.95 * 0.025
    ) * (
        1 / _density("binder", "pvdf")
        + 1 / _density("conductive_additive", "carbon-black")
    )
    a_solids = a_active / (hc["density"]["value"] * 1e3) + a_active / 0.95 * (
        0.03 / _density("binder", "cmc-sbr")
        + 0.02 / _density("conductive_additive", "carbon-black")
    )
    pore_volume = (
        c_solids / (1 - 0.28) * 0.28
        + a_solids / (1 - 0.33) * 0.33
        + sep_area * 16e-6 * sep["porosity"]["value"]
    )
    fill = DEFAULTS["electrolyte_fill"]["value"]
    electrolyte = COMPONENTS["electrolyte"]["napf6-ec-dmc"]["density"]["value"] * 1e3
    assert report.mass_of("electrolyte") == pytest.approx(
        fill * pore_volume * electrolyte, rel=1e-9
    )
    assert report.metrics["cathode_layers_or_wound_length"] == n


def test_a_coating_given_by_its_calendered_density(tmp_path):
    # 3.2 g/cm3 of 95 % NFM, 2.5 % PVDF and 2.5 % carbon black: the porosity is
    # 1 - 3.2 / the solids' density, mixed by volume (their specific volumes add)
    from natrium.io import example_path, read_design

    text = example_path("nfm_hc_prismatic").read_text(encoding="utf-8")
    path = tmp_path / "dense.toml"
    path.write_text(text.replace("porosity = 0.28", 'density = "3.2 g/cm^3"'))
    design = read_design(path)
    solids = 1.0 / (
        0.95 / (ACTIVE["nfm111"]["density"]["value"] * 1e3)
        + 0.025 / _density("binder", "pvdf")
        + 0.025 / _density("conductive_additive", "carbon-black")
    )
    assert design.cathode.porosity == pytest.approx(1 - 3200.0 / solids, rel=1e-12)
    shown = evaluate(design).metrics["cathode_coating_density_g_per_cm3"]
    assert shown == pytest.approx(3.2, rel=1e-12)


def test_an_electrolyte_fill_per_amp_hour_and_without_the_separator():
    base = load_example("nfm_hc_prismatic")
    per_ah = dataclasses.replace(
        base, cell={**base.cell, "electrolyte_per_capacity": 3.0e-3 / 3600}
    )
    report = evaluate(per_ah)
    assert report.mass_of("electrolyte") == pytest.approx(
        3.0e-3 * report.capacity / 3600, rel=1e-12
    )
    # without the separator's pores, the fill is less by fill x its pore volume
    coatings_only = dataclasses.replace(
        base, cell={**base.cell, "electrolyte_fills_separator": 0.0}
    )
    full, less = evaluate(base), evaluate(coatings_only)
    sep = COMPONENTS["separator"]["pe-16"]
    separator_area = full.mass_of("separator") / (sep["areal_density"]["value"] * 1e-3)
    pores = separator_area * 16e-6 * sep["porosity"]["value"]
    density = COMPONENTS["electrolyte"]["napf6-ec-dmc"]["density"]["value"] * 1e3
    fill = DEFAULTS["electrolyte_fill"]["value"]
    assert full.mass_of("electrolyte") - less.mass_of("electrolyte") == pytest.approx(
        fill * pores * density, rel=1e-9
    )
    with pytest.raises(ParameterError, match="not both"):
        dataclasses.replace(per_ah, cell={**per_ah.cell, "electrolyte_fill": 1.1})


def test_overhangs_per_edge_outer_coatings_and_tab_areas_by_hand():
    # The stack above with 2 mm of anode overhang on the top and bottom edges
    # (1 mm on the sides), 3 mm of separator beyond them, outer anodes coated on
    # both sides, and 300 mm2 of bare foil per sheet for its tab.
    w, h, layers, assemblies = 0.160, 0.170, 25, 2
    geometry = {
        "electrode_width": w,
        "electrode_height": h,
        "cathode_layers": float(layers),
        "assemblies": float(assemblies),
    }
    base = _stacked(**geometry)
    design = dataclasses.replace(
        base,
        cell={
            **base.cell,
            "anode_overhang_height": 2e-3,
            "separator_overhang_height": 3e-3,
            "outer_double_sided": 1.0,
            "foil_tab_area": 300e-6,
        },
    )
    report = evaluate(design)
    side = _mm(DEFAULTS["anode_overhang"])
    sep_side = _mm(DEFAULTS["separator_overhang"])
    wraps = DEFAULTS["outer_separator_wraps"]["value"]
    n = layers * assemblies
    anode_sheet = (w + 2 * side) * (h + 2 * 2e-3)
    sep_sheet = (w + 2 * side + 2 * sep_side) * (h + 2 * 2e-3 + 2 * 3e-3)
    # every cathode face is faced (2n), plus both outer faces of each assembly
    anode_faces = 2 * n + 2 * assemblies
    loading = evaluate(base).mass_of("anode active") / (
        2 * n * (w + 2 * side) * (h + 2 * side)
    )
    assert report.mass_of("anode active") == pytest.approx(
        loading * anode_faces * anode_sheet, rel=1e-9
    )
    foil = _density("foil", "aluminium") * 13e-6
    assert report.mass_of("cathode foil") == pytest.approx(
        n * (w * h + 300e-6) * foil, rel=1e-9
    )
    assert report.mass_of("anode foil") == pytest.approx(
        (layers + 1) * assemblies * (anode_sheet + 300e-6) * foil, rel=1e-9
    )
    sep = COMPONENTS["separator"]["pe-16"]
    assert report.mass_of("separator") == pytest.approx(
        (2 * layers + wraps)
        * assemblies
        * sep_sheet
        * sep["areal_density"]["value"]
        * 1e-3,
        rel=1e-9,
    )
    # the outer coatings face no cathode: they add anode and its first-cycle
    # loss, never capacity
    assert report.capacity < evaluate(base).capacity
    # and thickness: per assembly, 25 repeats (a cathode foil, an anode foil,
    # four coatings, two separators), the last anode's foil with its two
    # coatings, and the separator wraps
    m = report.metrics
    cathode, anode = m["cathode_coating_thickness_um"], m["anode_coating_thickness_um"]
    repeat = 13 + 2 * cathode + 13 + 2 * anode + 2 * 16  # [um]
    per_assembly = layers * repeat + 13 + 2 * anode + wraps * 16
    needed = compute_arrays(design)["needed_thickness"]
    assert needed * 1e6 == pytest.approx(assemblies * per_assembly, rel=1e-12)
    assert m["stack"] == "given layers"
    assert m["outer_double_sided"] is True
    assert m["outer_electrodes"] == "anodes"


def test_outer_cathodes_single_and_double_sided_by_hand():
    # 25 cathodes with cathodes outside: 24 anodes, all coated on both sides;
    # the two outer cathode faces are bare (single-sided) or coated but facing
    # nothing (double-sided). Only faces across a separator from an anode
    # cycle: 2 x 24 faces either way, against 2 x 25 with outer anodes.
    w, h, layers = 0.160, 0.170, 25
    geometry = {"electrode_width": w, "electrode_height": h}
    base = _stacked(cathode_layers=float(layers), **geometry)
    single = dataclasses.replace(base, cell={**base.cell, "outer_cathodes": 1.0})
    double = dataclasses.replace(
        single, cell={**single.cell, "outer_double_sided": 1.0}
    )
    b, s, d = evaluate(base), evaluate(single), evaluate(double)
    side = _mm(DEFAULTS["anode_overhang"])
    anode_sheet = (w + 2 * side) * (h + 2 * side)
    per_face = b.mass_of("cathode active") / (2 * layers * w * h)
    per_anode_face = b.mass_of("anode active") / (2 * layers * anode_sheet)
    assert s.mass_of("cathode active") == pytest.approx(
        per_face * (2 * layers - 2) * w * h, rel=1e-9
    )
    assert d.mass_of("cathode active") == pytest.approx(
        per_face * 2 * layers * w * h, rel=1e-9
    )
    assert s.mass_of("anode active") == pytest.approx(
        per_anode_face * 2 * (layers - 1) * anode_sheet, rel=1e-9
    )
    foil = _density("foil", "aluminium") * 13e-6
    assert s.mass_of("anode foil") == pytest.approx(
        (layers - 1) * anode_sheet * foil, rel=1e-9
    )
    # the electrodes' capacity scales with the faced area (the wide window of
    # _stacked: the electrodes end it); double-sided outer cathodes add mass only
    full = b.metrics["electrode_capacity_Ah"]
    assert s.metrics["electrode_capacity_Ah"] == pytest.approx(
        full * (layers - 1) / layers, rel=1e-9
    )
    assert d.capacity == pytest.approx(s.capacity, rel=1e-12)
    assert d.mass > s.mass
    assert s.metrics["outer_electrodes"] == "cathodes"
    # thickness: 25 cathodes (foil + 2 coatings, less the 2 bare outer faces),
    # 24 anodes (foil + 2 coatings), 48 separators and the wraps
    m = s.metrics
    cathode, anode = m["cathode_coating_thickness_um"], m["anode_coating_thickness_um"]
    wraps = DEFAULTS["outer_separator_wraps"]["value"]
    by_hand = (
        layers * (13 + 2 * cathode)
        - 2 * cathode
        + (layers - 1) * (13 + 2 * anode)
        + (2 * (layers - 1) + wraps) * 16
    )
    assert compute_arrays(single)["needed_thickness"] * 1e6 == pytest.approx(
        by_hand, rel=1e-12
    )


def test_a_z_folded_separator_and_an_insulating_wrap_by_hand():
    # A z-folded separator is one strip: the same passes between electrodes as
    # cut sheets, plus a fold around one edge of every electrode, i.e. the
    # stack's thickness times the strip's height. The insulating film is its
    # area x thickness x density (PET, DuPont's Mylar bulletin: 1.390 g/cm3).
    w, h = 0.160, 0.170
    base = _stacked(electrode_width=w, electrode_height=h, cathode_layers=25.0)
    folded = dataclasses.replace(
        base,
        cell={**base.cell, "separator_z_fold": 1.0, "insulation_area": 0.08},
    )
    b, f = evaluate(base), evaluate(folded)
    side = _mm(DEFAULTS["anode_overhang"])
    sep_side = _mm(DEFAULTS["separator_overhang"])
    strip_height = h + 2 * side + 2 * sep_side
    thickness = compute_arrays(base)["needed_thickness"]
    sep = COMPONENTS["separator"]["pe-16"]
    areal = sep["areal_density"]["value"] * 1e-3
    assert f.mass_of("separator") - b.mass_of("separator") == pytest.approx(
        thickness * strip_height * areal, rel=1e-9
    )
    film = COMPONENTS["insulation"]["pet-film"]
    assert film["density"]["unit"] == "g/cm^3"
    assert film["thickness"]["unit"] == "um"
    assert f.mass_of("insulation") == pytest.approx(
        0.08 * film["thickness"]["value"] * 1e-6 * film["density"]["value"] * 1e3,
        rel=1e-12,
    )
    assert f.bom.loc["insulation", "material"] == "pet-film"
    assert f.capacity == b.capacity
    assert f.metrics["separator"] == "z-fold"
    assert f.metrics["insulation_area_cm2"] == pytest.approx(800.0)


def test_a_pouch_of_two_assemblies_holds_twice_the_stack(tmp_path):
    # Two assemblies of 30 layers in one pouch: twice the coatings, foils and
    # separators of one, and the pouch as thick as both stacks with its two
    # laminates; the laminate area grows with the thickness only.
    one = load_example("pw_hc_pouch")
    two = dataclasses.replace(one, geometry={**one.geometry, "assemblies": 2.0})
    a, b = evaluate(one), evaluate(two)
    for row in ("cathode active", "anode active", "anode foil", "separator"):
        assert b.mass_of(row) == pytest.approx(2 * a.mass_of(row), rel=1e-12)
    assert b.capacity == pytest.approx(2 * a.capacity, rel=1e-12)
    laminate = (
        2
        * _toml(MATERIALS / "components.toml")["pouch_laminate"]["aluminium-laminate"][
            "thickness"
        ]["value"]
        * 1e-6
    )
    stack = compute_arrays(one)["needed_thickness"]
    assert compute_arrays(two)["needed_thickness"] == pytest.approx(2 * stack)
    assert b.volume / a.volume == pytest.approx(
        (2 * stack + laminate) / (stack + laminate), rel=1e-12
    )
    assert b.metrics["assemblies"] == 2.0


def test_outer_cathodes_in_two_assemblies_by_hand():
    # Two assemblies of 20 cathodes each, cathodes outside and coated on both
    # sides: per assembly 19 anodes, 2 x 19 faced cathode faces, 2 x 20 coated
    # cathode faces, 2 x 19 separators plus the wraps; 39 sheets. Thickness per
    # assembly: 20 cathodes of foil and two coatings, 19 anodes of foil and two
    # coatings, the separators and the wraps.
    w, h, layers, assemblies = 0.150, 0.160, 20, 2
    base = _stacked(
        electrode_width=w,
        electrode_height=h,
        cathode_layers=float(layers),
        assemblies=float(assemblies),
    )
    design = dataclasses.replace(
        base, cell={**base.cell, "outer_cathodes": 1.0, "outer_double_sided": 1.0}
    )
    r, b = compute_arrays(design), compute_arrays(base)
    report = evaluate(design)
    side = _mm(DEFAULTS["anode_overhang"])
    sep_side = _mm(DEFAULTS["separator_overhang"])
    wraps = DEFAULTS["outer_separator_wraps"]["value"]
    sep_sheet = (w + 2 * side + 2 * sep_side) * (h + 2 * side + 2 * sep_side)
    sep = COMPONENTS["separator"]["pe-16"]
    assert report.mass_of("separator") == pytest.approx(
        (2 * (layers - 1) + wraps)
        * assemblies
        * sep_sheet
        * sep["areal_density"]["value"]
        * 1e-3,
        rel=1e-9,
    )
    assert float(r["facing_area"]) == pytest.approx(
        2 * (layers - 1) * assemblies * w * h, rel=1e-12
    )
    assert float(r["electrode_sheets"]) == (layers + layers - 1) * assemblies
    assert float(b["electrode_sheets"]) == (layers + layers + 1) * assemblies
    m = report.metrics
    cathode, anode = m["cathode_coating_thickness_um"], m["anode_coating_thickness_um"]
    per_assembly = (
        layers * (13 + 2 * cathode)
        + (layers - 1) * (13 + 2 * anode)
        + (2 * (layers - 1) + wraps) * 16
    )
    assert float(r["needed_thickness"]) * 1e6 == pytest.approx(
        assemblies * per_assembly, rel=1e-12
    )
    # the simulation's electrode is the faced area, not the coated one
    from natrium.sim import resolve, to_pybamm

    bridge = to_pybamm(design, resolve(None, design))
    assert bridge.electrode_area_m2 == pytest.approx(float(r["facing_area"]))
    assert bridge.electrode_area_m2 < float(r["cathode_coated_area"])


def test_stack_options_a_wound_or_coin_cell_cannot_take_are_refused():
    roll = load_example("nfm_hc_18650")
    for key in ("outer_cathodes", "outer_double_sided", "separator_z_fold"):
        with pytest.raises(OptionError, match=rf"cell\.{key} applies to stacked"):
            evaluate(dataclasses.replace(roll, cell={**roll.cell, key: 1.0}))
    one = _stacked(cathode_layers=1.0, electrode_width=0.1, electrode_height=0.1)
    with pytest.raises(ParameterError, match="needs at least 2 cathode layers"):
        evaluate(dataclasses.replace(one, cell={**one.cell, "outer_cathodes": 1.0}))
    with pytest.raises(OptionError, match=r"now cell\.outer_double_sided"):
        dataclasses.replace(one, cell={**one.cell, "outer_anodes_double_sided": 1.0})
