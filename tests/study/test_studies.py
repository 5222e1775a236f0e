"""Study files, the results store and the shipped studies (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from natrium import Chain
from natrium.cli import main
from natrium.io import load_example
from natrium.study import (
    Store,
    StudyError,
    read_study,
    run_study,
    shipped_study,
)
from natrium.units import TONNE

QUICK = """\
[study]
name = "quick"

[designs]
pw = "example:pw_hc_pouch"
lfp = "example:lfp_graphite_prismatic"

[[steps]]
kind = "datasheet"

[[steps]]
kind = "cost"
output = "1 GWh/yr"

[[steps]]
kind = "plant"
designs = ["pw"]
cathode = "2000 t"
"""


def _write(folder: Path, text: str, name: str = "study.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        # an unknown key in a step: its own line
        (("output = ", "outptu = "), 13, "step 2 (cost): unknown key 'outptu'"),
        # a wrong unit: the line of the key
        (('"2000 t"', '"2000 V"'), 18, "cathode = '2000 V' has the wrong unit"),
        # a design the steps name but [designs] lacks
        (('designs = ["pw"]', 'designs = ["nfm"]'), 17, "design 'nfm' is not in"),
        # a design file that is not there
        (('"example:pw_hc_pouch"', '"cells/pw.toml"'), 5, "no design file"),
        # an unknown top-level table
        (("[study]", "[studdy]"), 1, "unknown key 'studdy'"),
        # a plant that makes nothing
        (('"2000 t"', '"-2000 t"'), 18, "cathode = '-2000 t' is outside (0, inf)"),
        # a parameter set made for other materials
        (
            ("[[steps]]", '[parameter_sets]\npw = "lfp_graphite"\n\n[[steps]]'),
            9,
            "parameter set 'lfp_graphite' is for lfp / graphite",
        ),
    ],
)
def test_a_malformed_study_names_the_line_and_key_before_anything_runs(
    tmp_path, change, line, message
):
    old, new = change
    assert old in QUICK
    path = _write(tmp_path, QUICK.replace(old, new, 1))
    with pytest.raises(StudyError) as err:
        read_study(path)
    assert str(err.value).startswith(f"study.toml:{line}: ")
    assert message in str(err.value)
    # and on the command line: exit 2, one line, nothing written
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    assert not out.exists()


def test_units_are_read_by_pint_in_any_form(tmp_path):
    # "2000 t", "2 kt/yr" and a bare 2000 (tonnes) are the same cathode supply
    texts = ['"2000 t"', '"2 kt/yr"', "2000"]
    masses = []
    for i, text in enumerate(texts):
        path = _write(tmp_path, QUICK.replace('"2000 t"', text), f"s{i}.toml")
        step = read_study(path).steps[2]
        masses.append(step.options["cathode"])
    assert masses == pytest.approx([2000 * TONNE] * 3)


def test_a_run_stores_each_result_once_and_resumes(tmp_path):
    study = read_study(_write(tmp_path, QUICK))
    with Store(tmp_path / "r.duckdb") as store:
        first = run_study(study, store)
        # 2 datasheets, 2 costs, 1 plant
        assert (first.computed, first.stored_before) == (5, 0)
        again = run_study(study, store)
        assert (again.computed, again.stored_before) == (0, 5)
        assert store.count() == 5
        frame = store.results(study="quick")
        assert frame["input_hash"].is_unique
        assert sorted(frame["step"]) == sorted(
            ["datasheet"] * 2 + ["cost"] * 2 + ["plant"]
        )
        # what the store holds is what the chain gives (one answer per question)
        sheets = store.outputs("datasheet", study="quick")
        chain = Chain(load_example("pw_hc_pouch"))
        assert sheets.loc["pw", "specific_energy_Wh_per_kg"] == pytest.approx(
            chain.datasheet().metrics["specific_energy_Wh_per_kg"], rel=1e-12
        )
        cost = store.output("quick", "lfp", "cost")
        lfp = Chain(load_example("lfp_graphite_prismatic")).cost(3.6e12)
        assert cost["usd_per_kWh"] == pytest.approx(
            lfp.to_dict()["usd_per_kWh"], rel=1e-12
        )
        plant = store.output("quick", "pw", "plant")["cathode_plant"]
        assert plant["cathode_tonnes_per_year"] == pytest.approx(2000.0)
        # every row says where it came from
        assert all(len(c) > 0 for c in frame["citations"])
        assert set(frame["natrium_version"]) == {__import__("natrium").__version__}
        parquet = store.to_parquet(tmp_path / "r.parquet")
    back = pd.read_parquet(parquet)
    assert sorted(back["input_hash"]) == sorted(frame["input_hash"])
    assert json.loads(
        back.set_index("design_id")
        .loc["lfp"]
        .query("step == 'cost'")["outputs"]
        .iloc[0]
    )["usd_per_kWh"] == pytest.approx(cost["usd_per_kWh"])


def test_a_changed_input_is_a_new_result(tmp_path):
    study = read_study(_write(tmp_path, QUICK))
    other = read_study(
        _write(tmp_path, QUICK.replace("1 GWh/yr", "2 GWh/yr"), "b.toml")
    )
    with Store(tmp_path / "r.duckdb") as store:
        run_study(study, store)
        second = run_study(other, store)
    # only the two costs at the new plant size are new
    assert second.computed == 2


def test_the_store_is_a_plain_duckdb_file(tmp_path):
    with Store(tmp_path / "r.duckdb") as store:
        run_study(read_study(_write(tmp_path, QUICK)), store)
    # any DuckDB client reads it: nothing natrium-specific is needed
    con = duckdb.connect(str(tmp_path / "r.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT design_id, json_extract(outputs, '$.usd_per_kWh')::DOUBLE "
        "FROM results WHERE step = 'cost' ORDER BY design_id"
    ).fetchall()
    con.close()
    assert [r[0] for r in rows] == ["lfp", "pw"]
    assert all(r[1] > 0 for r in rows)


def test_a_bad_store_path_is_refused(tmp_path):
    with pytest.raises(Exception, match=r"a results store is a \.duckdb file"):
        Store(tmp_path / "r.csv")
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    with pytest.raises(Exception, match="not a DuckDB file"):
        Store(junk)


def test_the_seed_study_is_the_main_job(tmp_path, capsys):
    # The README's first command: every figure the issue names, each equal to
    # the public API's own answer.
    out = tmp_path / "seed"
    assert main(["demo", "--out", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert Path(payload["report"]).is_file()
    assert Path(payload["store"]).is_file()
    steps = {(h["step"], h["design"]) for h in payload["highlights"]}
    assert {
        ("datasheet", "pw"),
        ("plant-1", "pw"),
        ("simulate", "pw"),
        ("cost", "pw"),
        ("cost", "lfp"),
        ("plant-2", "pw_power"),
        ("tray", "pba"),
        ("ups", "pw_power"),
    } <= steps
    study = read_study(shipped_study("seed"))
    with Store(payload["store"]) as store:
        ferrum = store.output("seed", "pw", "plant-1")["cathode_plant"]
        # Altris' Ferrum: 2,000 t a year of Prussian white (EnergyStorageNews2022)
        assert ferrum["cathode_tonnes_per_year"] == pytest.approx(2000.0)
        expected = Chain(study.designs["pw"]).cathode_plant(name="ferrum")
        assert ferrum["gwh_per_year"] == pytest.approx(
            expected.to_dict()["gwh_per_year"], rel=1e-12
        )
        ups = store.output("seed", "pw_power", "ups")
        assert [c["chemistry"] for c in ups["comparison"]] == ["na_ion", "lfp", "vrla"]
        meadowbrook = store.output("seed", "pw_power", "plant-2")["cell_plant"]
        # 600 MW a year of cells rated for 1.5 min is 15 MWh a year (plants.toml)
        assert meadowbrook["mwh_per_year"] == pytest.approx(600 * 1.5 / 60)


def test_every_shipped_study_reads(tmp_path):
    folder = shipped_study("seed").parent
    names = sorted(p.stem for p in folder.glob("*.toml"))
    assert names == ["design_sweep", "seed", "ups_comparison"]
    for name in names:
        study = read_study(shipped_study(name))
        assert study.designs


def test_the_ups_comparison_study_runs(tmp_path, capsys):
    out = tmp_path / "ups"
    path = shipped_study("ups_comparison")
    assert main(["run", str(path), "--out", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["computed"] == 3
    with Store(payload["store"]) as store:
        # two ups steps: stored as ups-1 and ups-2, never one over the other
        frame = store.results(study="ups-comparison")
        frame = frame[frame["step"].str.startswith("ups")]
    assert sorted(frame["step"]) == ["ups-1", "ups-2"]
    runs = [json.loads(o) for o in frame["outputs"]]
    # the same duty at 0 degC needs more of the same cell than at 25 degC
    # (a colder cell gives less power to the cut-off)
    by_temperature = {
        json.loads(i).get("temperature"): o
        for i, o in zip(frame["inputs"], runs, strict=True)
    }
    cold, warm = by_temperature["0 degC"], by_temperature[None]
    assert cold["total_cells"] >= warm["total_cells"]


def test_two_studies_share_a_store_without_losing_results(tmp_path):
    # the same questions under two study names: each study keeps its own rows
    a = read_study(_write(tmp_path, QUICK, "a.toml"))
    b = read_study(
        _write(tmp_path, QUICK.replace('name = "quick"', 'name = "other"'), "b.toml")
    )
    with Store(tmp_path / "r.duckdb") as store:
        run_study(a, store)
        run_study(b, store)
        assert store.count() == 10
        assert len(store.results(study="other")) == 5
        again = run_study(b, store)
    assert again.computed == 0


def test_an_edited_price_file_is_new_input(tmp_path):
    prices = tmp_path / "p.toml"
    factor = (
        '[factors]\nlabour_rate = {{ value = {}, unit = "USD/h", ref = "estimate" }}\n'
    )
    prices.write_text(factor.format(30.0))
    text = 'prices = "p.toml"\n' + QUICK
    study = read_study(_write(tmp_path, text))
    with Store(tmp_path / "r.duckdb") as store:
        run_study(study, store)
        prices.write_text(factor.format(40.0))
        again = run_study(read_study(tmp_path / "study.toml"), store)
        costs = store.results(study="quick", step="cost")
    # the study's prices are an input of each of its results: all five are new,
    # none is the stale answer of the old file
    assert again.computed == 5
    by_design = {}
    for row in costs.itertuples():
        by_design.setdefault(row.design_id, set()).add(
            round(json.loads(row.outputs)["usd_per_kWh"], 9)
        )
    assert all(len(v) == 2 for v in by_design.values())


@pytest.mark.parametrize(
    "text",
    [
        QUICK + "steps = 5\n",
        QUICK.replace('designs = ["pw"]', "designs = 5"),
        QUICK.replace('designs = ["pw"]', 'designs = "pw"'),
        QUICK.replace('kind = "cost"', 'kind = ["cost"]'),
        QUICK.replace('name = "quick"', 'name = ["a"]'),
        QUICK.replace("[designs]", "parameter_sets = 5\n[designs]"),
        '[study]\nname = "x"\ndesigns = 5\n',
        QUICK
        + '[sweep]\noutputs = 5\n[sweep.parameters]\n"cathode.porosity" = ["0.3"]\n',
        QUICK
        + '[sweep]\nseed = -1\n[sweep.parameters]\n"cathode.porosity" = ["0.3"]\n',
        QUICK
        + '[sweep]\nseed = true\n[sweep.parameters]\n"cathode.porosity" = ["0.3"]\n',
    ],
)
def test_a_study_of_the_wrong_types_is_one_line_not_a_traceback(tmp_path, text, capsys):
    path = _write(tmp_path, text)
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
