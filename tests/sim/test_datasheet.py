"""The shipped sodium-ion cells against the published figures of their class.

Each claim of sim/data/datasheet_claims.toml is simulated on its example; the
published figure, its source and conditions are in that file (CATL2021,
CAS2017HiNa, HakadiNa18650, NatronRates2022). A claim natrium does not meet
declares its measured gap and cause in the file (``known_gap``): a known
shortfall of the shipped data, to be closed by better data, not by tuning.
"""

import json

import pytest
from typer.testing import CliRunner

from natrium import Chain, citations
from natrium.cli import app
from natrium.exceptions import OptionError
from natrium.io import example_path, load_example
from natrium.sim import datasheet, get_parameter_set


def _pairs():
    for claim in datasheet.claims():
        for example in claim.examples:
            yield pytest.param(example, claim.id, id=f"{example}-{claim.id}")


@pytest.mark.parametrize(("example", "claim_id"), list(_pairs()))
def test_example_meets_the_published_figure_or_its_gap_is_declared(example, claim_id):
    # A claim natrium meets must stay met; one it does not meet carries its
    # measured shortfall and cause in datasheet_claims.toml (`known_gap`, shown
    # by validate-datasheet), and closing that gap fails here until the note
    # is removed.
    design = load_example(example)
    chain = Chain(design)
    check = datasheet.check(design, chain.simulation_set, [claim_id])[0]
    declared = check.claim.known_gap is None
    assert check.meets == declared, (
        f"{check.value:.4f} against {check.claim.figure.value}; "
        f"known_gap: {check.claim.known_gap}"
    )


def test_pw_pouch_gives_90_percent_of_its_c20_capacity_at_1c():
    # Issue 10: at least 90 % of the C/20 capacity at 1C (a power-capable
    # sodium-ion cell; CATL's first cells are rated at 1C and above, CATL2021).
    chain = Chain.from_example("pw_hc_pouch")
    cutoff = chain.simulation_set.lower_voltage_cutoff
    slow = chain.simulate(f"Discharge at C/20 until {cutoff} V").summary
    fast = chain.simulate(f"Discharge at 1C until {cutoff} V").summary
    assert fast["discharge_capacity_Ah"] >= 0.90 * slow["discharge_capacity_Ah"]


def test_pw_pouch_keeps_85_percent_at_minus_20c_and_c3():
    # Issue 10 asks >= 85 %; CATL2021 states "more than 90 %" at -20 degC.
    chain = Chain.from_example("pw_hc_pouch")
    cutoff = chain.simulation_set.lower_voltage_cutoff
    step = f"Discharge at C/3 until {cutoff} V"
    warm = chain.simulate(step, temperature=298.15).summary
    cold = chain.simulate(step, temperature=253.15).summary
    assert cold["discharge_capacity_Ah"] >= 0.85 * warm["discharge_capacity_Ah"]


def test_every_claim_names_its_source_and_a_shipped_example():
    for claim in datasheet.claims():
        assert citations.is_known(claim.figure.ref), claim.id
        for example in claim.examples:
            assert example_path(example).exists()


def test_a_design_without_claims_is_told_how_to_name_them():
    design = load_example("lfp_graphite_prismatic")
    with pytest.raises(OptionError, match=r"no published claims .* --claim"):
        datasheet.check(design, get_parameter_set("lfp_graphite"))


def test_an_unknown_claim_is_refused_with_the_valid_ids():
    with pytest.raises(OptionError, match="unknown claim 'nope'; valid: catl_cold"):
        datasheet.get_claim("nope")


def test_cli_prints_one_json_object_with_published_and_natrium_figures():
    result = CliRunner().invoke(
        app,
        ["validate-datasheet", str(example_path("pw_hc_pouch")), "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {r["claim"] for r in data["table"]} == {
        "catl_cold",
        "catl_fast_charge",
        "cas_efficiency",
    }
    for row in data["table"]:
        assert {"statement", "published", "natrium", "meets", "source"} <= set(row)
    assert "CATL2021" in data["citations"]


def test_cli_unknown_claim_is_one_line_and_exit_2():
    result = CliRunner().invoke(
        app,
        [
            "validate-datasheet",
            str(example_path("pw_hc_pouch")),
            "--claim",
            "nope",
            "--json",
        ],
    )
    assert result.exit_code == 2
    assert "unknown claim 'nope'" in json.loads(result.stdout)["error"]
