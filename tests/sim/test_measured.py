"""Reading measured curves: digitised figures, cycler exports, bad files."""

import numpy as np
import pytest

from natrium.exceptions import DataFileError, OptionError, ParameterError
from natrium.sim.measured import read_curve, read_curves, read_measured_set


def test_a_digitised_curve_is_sorted_by_capacity(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("2.0, 3.0\n0.5, 3.9\n1.0, 3.5\n")
    curve = read_curve(path, c_rate=0.1)
    assert np.allclose(curve.capacity_Ah, [0.5e-3, 1.0e-3, 2.0e-3])
    assert np.allclose(curve.voltage_V, [3.9, 3.5, 3.0])
    assert curve.capacity == pytest.approx(2.0e-3)


def test_a_biologic_export_with_negative_discharge_current(tmp_path):
    # EC-Lab text export column names; discharge current is negative there.
    path = tmp_path / "biologic.csv"
    path.write_text(
        "time/s,Ewe/V,<I>/mA,Q discharge/mA.h\n"
        "0,4.1,-1.5,0\n3600,3.7,-1.5,1.5\n7200,3.0,-1.5,3.0\n"
    )
    curve = read_curve(path, c_rate=0.5)
    assert np.allclose(curve.capacity_Ah, [0.0, 1.5e-3, 3.0e-3])
    assert np.allclose(curve.voltage_V, [4.1, 3.7, 3.0])


def test_capacity_is_integrated_from_time_and_current(tmp_path):
    # 2 A for 1800 s is 1 A h (Faraday: Q = I t / 3600 s/h).
    path = tmp_path / "arbin.csv"
    path.write_text(
        "Test_Time(s),Current(A),Voltage(V)\n0,2,4.0\n900,2,3.8\n1800,2,3.5\n"
    )
    curve = read_curve(path, c_rate=2.0)
    assert curve.capacity == pytest.approx(1.0)


def test_natrium_own_output_reads_back(tmp_path):
    path = tmp_path / "sim.csv"
    path.write_text(
        "time_s,voltage_V,current_A,discharge_capacity_Ah\n"
        "0,4.0,0.1,0\n10,3.9,0.1,0.001\n20,3.8,0.1,0.002\n"
    )
    assert read_curve(path, c_rate=1).capacity == pytest.approx(0.002)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1, 4.0, 7\n2, 3.9, 7\n3, 3.5, 7\n", "2 columns"),
        ("1, 4.0\n2, x\n3, 3.5\n", "non-numeric"),
        ("time,current\n0,1\n1,1\n2,1\n", "no voltage column"),
        ("Voltage(V),Capacity(Ah)\n4,0\n", "at least 3 points"),
        ("Voltage(V),Capacity(mAh/g)\n4,0\n3.9,1\n3.8,2\n", "unknown unit"),
        (
            "Voltage(V),Current(A),Capacity(Ah)\n4,1,0\n3.9,-1,0.1\n3.8,1,0.2\n",
            "charge and discharge",
        ),
    ],
)
def test_malformed_files_name_the_problem(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DataFileError, match=message):
        read_curve(path, c_rate=1)


def test_bad_arguments():
    with pytest.raises(DataFileError, match="does not exist"):
        read_curve("no/such/file.csv", c_rate=1)
    with pytest.raises(ParameterError, match="one C-rate"):
        read_curves([__file__], [0.1, 0.2])


def test_unknown_capacity_unit(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("1, 4\n2, 3.9\n3, 3.5\n")
    with pytest.raises(OptionError, match="capacity_unit"):
        read_curve(path, c_rate=1, capacity_unit="Wh")
    for bad in (0, -1, 1e-9, float("inf"), 1000):
        with pytest.raises(ParameterError, match=r"c_rate .* outside \[0.001, 100\]"):
            read_curve(path, c_rate=bad)


def test_a_unitless_capacity_column_is_in_the_given_unit(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("voltage,capacity\n4.0,0\n3.8,1.5\n3.0,3.0\n")
    assert read_curve(path, c_rate=0.1, capacity_unit="mAh").capacity == 3.0e-3
    assert read_curve(path, c_rate=0.1, capacity_unit="Ah").capacity == 3.0


def test_the_shipped_chayambuka_curves_and_their_roles():
    # The issue fixes the split: calibrate on 0.05C and 0.6C, validate on 0.1C
    # and 1.4C. Chayambuka et al. 2022 (Part II) measured capacities, as
    # digitised: 2.81, 2.47, 2.77 and 2.13 mAh.
    m = read_measured_set("chayambuka2022")
    assert [c.c_rate for c in m.having("calibration")] == [0.05, 0.6]
    assert [c.c_rate for c in m.having("validation")] == [0.1, 1.4]
    measured = [c.capacity * 1e3 for c in m.curves[:4]]
    assert measured == pytest.approx([2.812, 2.468, 2.767, 2.132], abs=0.002)
    assert m.nominal_capacity_Ah == pytest.approx(3e-3)


def test_a_file_that_is_not_an_mpr_is_refused(tmp_path):
    # BioLogic .mpr files go through galvani; anything else named .mpr is
    # reported as unreadable, not as galvani's own traceback.
    path = tmp_path / "run.mpr"
    path.write_bytes(b"not a BioLogic file at all")
    with pytest.raises((DataFileError, OptionError), match=r"run\.mpr"):
        read_curve(path, c_rate=0.1)
