"""natrium.Chain: one design through every model, with provenance."""

import dataclasses

import pytest

import natrium
from natrium import Chain
from natrium.cell import evaluate
from natrium.io import example_path, load_example
from natrium.sim import get_parameter_set
from natrium.sim.simulation import simulate

GWH = 3.6e12  # [J]


def test_chain_is_importable_from_the_package():
    assert natrium.Chain is Chain


def test_a_step_is_the_function_it_composes_with_provenance():
    chain = Chain(example_path("pw_hc_pouch"))
    sheet = chain.datasheet()
    direct = evaluate(load_example("pw_hc_pouch"))
    assert sheet.energy == direct.energy  # SI [J]
    assert sheet.provenance.natrium_version == natrium.__version__
    d = sheet.to_dict()
    assert d["energy_Wh"] == pytest.approx(direct.energy / 3600.0)
    assert d["natrium_version"] == natrium.__version__
    assert len(d["inputs_hash"]) == 16
    assert "CIAAW2021" in d["citations"]


def test_the_input_hash_follows_the_inputs():
    a = Chain.from_example("pw_hc_pouch")
    b = Chain.from_example("pw_hc_pouch")
    assert a.cost(GWH).provenance.inputs_hash == b.cost(GWH).provenance.inputs_hash
    assert a.cost(GWH).provenance.inputs_hash != a.cost(2 * GWH).provenance.inputs_hash
    d_porosity = a.design.cathode.porosity + 0.05
    thinner = dataclasses.replace(
        a.design, cathode=dataclasses.replace(a.design.cathode, porosity=d_porosity)
    )
    assert (
        Chain(thinner).cost(GWH).provenance.inputs_hash
        != a.cost(GWH).provenance.inputs_hash
    )


def test_prices_reach_the_cost_and_the_plant():
    base = Chain.from_example("pw_hc_pouch")
    dear = Chain.from_example("pw_hc_pouch", prices={"anode active": 30.0})
    assert float(dear.cost(GWH).usd_per_kwh) > float(base.cost(GWH).usd_per_kwh)
    assert (
        dear.cell_plant(GWH).opex_usd_per_year > base.cell_plant(GWH).opex_usd_per_year
    )


def test_print_citations_lists_every_source_used(capsys):
    chain = Chain.from_example("pw_hc_pouch")
    chain.datasheet()
    chain.cell_plant(GWH)
    chain.print_citations()
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(chain.citations)
    assert any(line.startswith("[Degen2023]") for line in out)  # plant energy
    assert any(line.startswith("[BatPaCv5]") for line in out)  # yields, hours


@pytest.mark.slow
def test_simulate_through_the_chain_is_simulate():
    pset = get_parameter_set("pw_hc")
    chain = Chain.from_example("pw_hc_pouch", parameter_set=pset)
    run = chain.simulate("Discharge at 0.5C until 1.5 V")
    direct = simulate(
        load_example("pw_hc_pouch"), pset, "Discharge at 0.5C until 1.5 V"
    )
    assert run.summary["discharge_capacity_Ah"] == pytest.approx(
        direct.summary["discharge_capacity_Ah"], rel=1e-9
    )
    assert run.to_dict()["natrium_version"] == natrium.__version__


def test_an_edited_material_file_is_a_new_input(tmp_path):
    # A result's hash covers the contents of the files defining its materials,
    # so a store never answers from a material file as it was before an edit.
    import shutil
    from pathlib import Path

    import natrium.materials
    from natrium.chain import design_inputs
    from natrium.materials import load_material_file

    shutil.copy(
        Path(natrium.materials.__file__).parent / "data" / "ocp" / "lfp.csv",
        tmp_path / "lfp.csv",
    )
    text = (
        '[active.my-lfp-edit-test]\nname = "my LFP"\nrole = "cathode"\nion = "Li"\n'
        'family = "li-lfp"\nformula = "LiFePO4"\nelectrons = 1\nocp = "lfp.csv"\n'
        'practical_capacity = {{ value = {cap}, unit = "mAh/g", ref = "estimate" }}\n'
        'first_cycle_efficiency = {{ value = 0.95, unit = "", ref = "estimate" }}\n'
        'density = {{ value = 3.6, unit = "g/cm^3", ref = "estimate" }}\n'
        'price = {{ low = 4, high = 6, unit = "USD/kg", ref = "estimate" }}\n'
    )
    path = tmp_path / "mine.toml"
    path.write_text(text.format(cap=160))
    load_material_file(path)
    lfp = load_example("lfp_graphite_prismatic")
    mine = dataclasses.replace(
        lfp, cathode=dataclasses.replace(lfp.cathode, active="my-lfp-edit-test")
    )
    before = design_inputs(mine)["materials"]["my-lfp-edit-test"]
    path.write_text(text.format(cap=150))
    assert design_inputs(mine)["materials"]["my-lfp-edit-test"] != before
