"""natrium cost --against: sodium against lithium across lithium prices."""

import json

import pytest
from typer.testing import CliRunner

from natrium.cli import app
from natrium.io import example_path

runner = CliRunner()


def test_against_gives_the_scenarios_the_break_even_and_a_plot(tmp_path):
    png = tmp_path / "lithium.png"
    out = runner.invoke(
        app,
        [
            "cost",
            str(example_path("pw_hc_pouch")),
            "--against",
            str(example_path("lfp_graphite_prismatic")),
            "--plot",
            str(png),
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    rows = data["lithium_scenarios"]
    # the ratio falls as lithium gets dearer: only the LFP cell holds lithium
    ratios = [r["ratio"] for r in rows]
    assert ratios == sorted(ratios, reverse=True)
    assert rows[0]["li2co3_usd_per_kg"] < data["break_even_li2co3_usd_per_kg"]
    assert png.stat().st_size > 10_000  # a PNG with two panels


def test_plot_without_against_is_a_usage_error(tmp_path):
    out = runner.invoke(
        app,
        ["cost", str(example_path("pw_hc_pouch")), "--plot", str(tmp_path / "x.png")],
    )
    assert out.exit_code == 2
    assert "--plot needs --against" in out.output


def test_a_meadowbrook_sized_plant_names_the_range_and_never_prices_zero():
    # Natron's Meadowbrook: 600 MW a year of cells x 1.5 min = 15 MWh/yr
    # (plants.toml), 3,000x below BatPaC's 50 GWh/yr baseline; the power law
    # would give it about 4 M USD of capital, so natrium refuses to price it.
    out = runner.invoke(
        app,
        ["cost", str(example_path("pw_hc_pouch")), "--plant-gwh", "0.015", "--json"],
    )
    assert out.exit_code == 2
    message = json.loads(out.stdout)["error"]
    assert "1-200 GWh/yr" in message
    assert "valid: >= 0.1 GWh/yr" in message
    tiny = runner.invoke(app, ["plant", "cells", "--gwh", "0.0001", "--json"])
    assert tiny.exit_code == 0, tiny.output
    data = json.loads(tiny.stdout)
    assert data["capex_usd"] is None
    assert data["usd_per_kWh"] is None
    assert "1-200 GWh/yr" in data["warnings"][0]


def test_doubling_the_hard_carbon_price_doubles_the_anode_line_only(tmp_path):
    # Issue 11: a --prices file that doubles hard carbon (library mid price
    # 10 USD/kg, natrium materials) doubles the anode-active line; only the
    # lines charged on materials move with it: launch cost and working capital
    # (in profit), and the warranty on the price.
    prices = tmp_path / "prices.toml"
    prices.write_text('[materials]\nhard-carbon = "20 USD/kg"\n')
    design = str(example_path("pw_hc_pouch"))
    base, dear = (
        json.loads(runner.invoke(app, ["cost", design, *extra, "--json"]).stdout)
        for extra in ([], ["--prices", str(prices)])
    )
    lines = [
        {r["item"]: r["usd_per_kWh"] for r in d["breakdown"]} for d in (base, dear)
    ]
    assert lines[1]["anode active material"] == pytest.approx(
        2 * lines[0]["anode active material"], rel=0.01
    )
    moved = {k for k in lines[0] if abs(lines[1][k] - lines[0][k]) > 1e-9}
    assert moved == {"anode active material", "profit", "warranty"}
