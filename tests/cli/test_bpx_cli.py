"""natrium bpx export / run: JSON contracts and exit status 2 on bad input."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from natrium.cli import app
from natrium.io import example_path

runner = CliRunner()
PW = example_path("pw_hc_pouch")
EXAMPLE = Path(__file__).parents[1] / "data" / "bpx" / "nmc_pouch_cell_BPX.json"


def test_export_writes_a_bpx_file_and_one_json_object(tmp_path):
    out = tmp_path / "pw.json"
    result = runner.invoke(app, ["bpx", "export", str(PW), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)  # exactly one object
    assert payload["parameter_set"] == "pw_hc"
    assert json.loads(out.read_text())["Header"]["Model"] == "DFN"


def test_run_prints_rms_per_experiment():
    result = runner.invoke(app, ["bpx", "run", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    names = [e["experiment"] for e in payload["experiments"]]
    assert names == ["C/20 discharge", "1C discharge"]
    assert all(0 < e["rms_mV"] < 25 for e in payload["experiments"])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["bpx", "run", "missing.json"], "cannot read it"),
        (["bpx", "run", "{bad}"], "malformed JSON at line 1"),
        (["bpx", "export", str(PW), "--set", "nope", "-o", "x.json"], "'nope'"),
        (["bpx", "export", "missing.toml", "-o", "x.json"], "missing.toml"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, monkeypatch, args, match):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "{bad}").write_text("{bad")
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert match in lines[0]
    as_json = runner.invoke(app, [*args, "--json"])
    assert as_json.exit_code == 2
    assert match in json.loads(as_json.stdout)["error"]
