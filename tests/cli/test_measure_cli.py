"""``natrium calibrate`` and ``natrium validate``: honest exit codes and warnings.

The measured curves here are derived: natrium's own simulation of the
Chayambuka2022 coin cell with a known change (``negative_rate_scale = 3``),
so a fit whose bounds exclude that value must end on a bound and say so.
"""

import json
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from natrium.cli import app
from natrium.io import read_design
from natrium.sim import get_parameter_set, load_parameter_set
from natrium.sim.measured import MeasuredCurve, read_measured_set
from natrium.sim.runner import Runner
from natrium.sim.validation import discharge_curve

NOMINAL = 3e-3  # [A h] PyBaMM's Chayambuka2022 1C
TRUTH = {"negative_rate_scale": 3.0}
COARSE = {"x_n": 8, "x_s": 5, "x_p": 8, "r_n": 8, "r_p": 8}

runner = CliRunner()


def _strict(text: str) -> dict:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not strict JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def design_file():
    return get_parameter_set("chayambuka2022").design_file


@pytest.fixture(scope="module")
def synthetic_csv(tmp_path_factory, design_file):
    """A 1C discharge simulated with the negative electrode's rate x3 [mAh, V]."""
    pset = get_parameter_set("chayambuka2022")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = Runner(
            read_design(design_file),
            pset,
            model="SPMe",
            adjustable=list(TRUTH),
            var_pts=COARSE,
        )
        probe = MeasuredCurve(np.array([0.0, 1.0, 2.0]), np.ones(3), c_rate=1.0)
        q, v = discharge_curve(sim, probe, NOMINAL, TRUTH)
    grid = np.linspace(0.0, q[-1] * 0.999, 40)
    path = tmp_path_factory.mktemp("measured") / "synthetic_1C.csv"
    path.write_text(
        "\n".join(
            f"{a * 1e3:.6f},{b:.6f}"
            for a, b in zip(grid, np.interp(grid, q, v), strict=True)
        )
    )
    return path


def _calibrate(design_file, csv, bounds, *extra):
    return runner.invoke(
        app,
        [
            "calibrate",
            str(design_file),
            "--data",
            str(csv),
            "--c-rate",
            "1",
            "--nominal-capacity",
            "3 mAh",
            "--model",
            "SPMe",
            "--fit",
            f"negative_rate_scale={bounds}",
            *extra,
        ],
    )


def test_a_fit_that_ends_on_a_bound_exits_2_and_says_why(
    tmp_path, design_file, synthetic_csv
):
    # The truth (3) lies above the search's upper bound (1): the fit must end
    # there, report it, and exit 2; the values and the set are still given.
    out = tmp_path / "fitted"
    result = _calibrate(
        design_file, synthetic_csv, "0.1:1", "--out", str(out), "--json"
    )
    assert result.exit_code == 2, result.output
    payload = _strict(result.stdout)  # one strict JSON object, nothing else
    assert payload["converged"] is False
    assert payload["success"] is False
    assert "negative_rate_scale" in payload["reason"]
    assert "upper bound 1" in payload["reason"]
    assert payload["at_bounds"] == ["negative_rate_scale"]
    assert payload["bound_hits"][0]["side"] == "upper"
    assert {"initial_rms_mV", "final_rms_mV", "initial_cost", "final_cost"} <= set(
        payload
    )
    (row,) = payload["parameters"]
    assert row["value"] == pytest.approx(1.0, rel=1e-3)
    assert row["high95"] <= 1.0  # clipped to the bound
    assert row["interval_clipped"] is True
    assert "error: the fit did not succeed: negative_rate_scale" in result.stderr
    # The failed fit is written, and says so.
    written = load_parameter_set(out)
    assert "failed fit" in written.name
    assert payload["set_file"] == str(out / "set.toml")


def test_a_good_fit_exits_0(design_file, synthetic_csv):
    result = _calibrate(design_file, synthetic_csv, "0.1:10")
    assert result.exit_code == 0, result.output
    assert "did not succeed" not in result.stderr
    assert "negative_rate_scale" in result.stdout


def test_validate_warns_when_the_data_are_not_this_cell(tmp_path, design_file):
    # The held-out 0.1C curve with its capacity doubled: the same cell cannot
    # deliver that, so the data do not belong to it (about -51 %).
    curve = read_measured_set("chayambuka2022").having("validation")[0]
    path = tmp_path / "doubled.csv"
    path.write_text(
        "\n".join(f"{2e3 * q},{v}" for q, v in curve.to_frame().itertuples(index=False))
    )
    args = [
        "validate",
        str(design_file),
        "--data",
        str(path),
        "--c-rate",
        "0.1",
        "--nominal-capacity",
        "3 mAh",
        "--model",
        "SPM",
    ]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "warning:" in table.stderr
    assert "do the data belong to this cell" in " ".join(table.stderr.split())
    as_json = runner.invoke(app, [*args, "--json"])
    (warning,) = _strict(as_json.stdout)["warnings"]
    assert warning.startswith("curve doubled: measured 5.5")
    assert "beyond ±20 %" in warning
