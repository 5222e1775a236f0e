"""Design files: round trips and clear errors for bad input."""

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natrium import DataFileError, NatriumError, OptionError, ParameterError, UnitError
from natrium.io import example_path, read_design, write_design
from natrium.materials import active_keys

PW = example_path("pw_hc_pouch").read_text()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "design.toml"
    path.write_text(text)
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    porosity=st.floats(0.05, 0.6),
    loading=st.floats(0.5, 6.0),
    binder=st.floats(0.01, 0.08),
    np_ratio=st.floats(1.0, 1.4),
    layers=st.integers(1, 80),
)
def test_design_file_round_trip(
    tmp_path, pw_pouch, porosity, loading, binder, np_ratio, layers
):
    design = dataclasses.replace(
        pw_pouch,
        np_ratio=np_ratio,
        cathode=dataclasses.replace(
            pw_pouch.cathode,
            porosity=porosity,
            areal_capacity=loading * 36000.0,
            binder_fraction=binder,
            active_fraction=1.0 - binder - 0.04,
        ),
        geometry={**pw_pouch.geometry, "cathode_layers": float(layers)},
    )
    again = read_design(write_design(design, tmp_path / "rt.toml"))
    assert again == design
    assert again.parameters() == design.parameters()


# One bad value per field: the message names the field, the value, the range, the unit.
BAD_EDITS = [
    (
        "porosity = 0.30\nareal_capacity",
        "porosity = 1.3\nareal_capacity",
        ParameterError,
        r"cathode\.porosity = 1\.3 is outside \(0, 1\) \[-\]",
    ),
    (
        'areal_capacity = "3.0 mAh/cm^2"',
        'areal_capacity = "-2 mAh/cm^2"',
        ParameterError,
        r"cathode\.areal_capacity = -2 is outside \(0, inf\) \[mAh/cm\^2\]",
    ),
    (
        'active = "prussian-white"',
        'active = "unobtainium"',
        OptionError,
        r"unknown active material 'unobtainium'; valid: .*prussian-white",
    ),
    (
        'foil_thickness = "14 um"\n\n[anode]',
        'foil_thickness = "14 kg"\n\n[anode]',
        UnitError,
        r"cathode\.foil_thickness = '14 kg' has the wrong unit: expected length",
    ),
    (
        'foil_thickness = "14 um"\n\n[anode]',
        "foil_thickness = 14\n\n[anode]",
        UnitError,
        r"cathode\.foil_thickness = 14 has no unit",
    ),
    (
        'electrode_width = "100 mm"',
        'electrode_widht = "100 mm"',
        DataFileError,
        r"unknown key geometry\.electrode_widht; valid: .*electrode_width",
    ),
    (
        "np_ratio = 1.10",
        "np_ratio = -1",
        ParameterError,
        r"cell\.np_ratio = -1 is outside \(0, 10\] \[-\]",
    ),
    ("[cathode]", "[cathode", DataFileError, "malformed TOML"),
    (
        "binder_fraction = 0.04",
        "binder_fraction = 0.14",
        ParameterError,
        r"cathode mass fractions .* sum to 1\.1; they must sum to 1",
    ),
    (
        'active = "hard-carbon"',
        'active = "nfm111"',
        ParameterError,
        r"anode\.active = 'nfm111' is a cathode material",
    ),
]


@pytest.mark.parametrize(("old", "new", "error", "match"), BAD_EDITS)
def test_bad_design_files_give_clear_errors(tmp_path, old, new, error, match):
    assert old in PW
    path = _write(tmp_path, PW.replace(old, new, 1))
    with pytest.raises(error, match=match) as info:
        read_design(path)
    message = str(info.value)
    assert message.startswith("design.toml: ")
    assert "\n" not in message


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    value=st.one_of(
        st.floats(max_value=0.0), st.floats(min_value=1.0), st.just(float("nan"))
    )
)
def test_any_out_of_range_porosity_is_rejected(tmp_path, value):
    # repr() of a float is valid TOML, inf and nan included.
    text = PW.replace(
        "porosity = 0.30\nareal_capacity", f"porosity = {value!r}\nareal_capacity", 1
    )
    with pytest.raises(
        ParameterError, match=r"cathode\.porosity = .* is outside \(0, 1\)"
    ):
        read_design(_write(tmp_path, text))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    unit=st.sampled_from(["kg", "m", "V", "s", "mAh/g", "W", "g/cm^3", "K"]),
    number=st.floats(0.1, 10.0),
)
def test_any_wrong_unit_for_a_loading_is_rejected(tmp_path, unit, number):
    text = PW.replace(
        'areal_capacity = "3.0 mAh/cm^2"', f'areal_capacity = "{number} {unit}"', 1
    )
    with pytest.raises(UnitError, match=r"cathode\.areal_capacity = .* wrong unit"):
        read_design(_write(tmp_path, text))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.text(
        alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=20
    )
)
def test_any_unknown_material_is_rejected(tmp_path, name):
    if name in active_keys():  # a valid key is no error
        return
    text = PW.replace('active = "prussian-white"', f'active = "{name}"', 1)
    with pytest.raises(NatriumError, match=name):
        read_design(_write(tmp_path, text))


def test_loading_may_be_given_by_its_dimension(tmp_path):
    by_capacity = read_design(_write(tmp_path, PW))
    text = PW.replace('areal_capacity = "3.0 mAh/cm^2"', 'loading = "20 mg/cm^2"', 1)
    by_mass = read_design(_write(tmp_path, text))
    assert by_capacity.cathode.areal_capacity == pytest.approx(3.0 * 36000)
    assert by_mass.cathode.areal_mass == pytest.approx(0.2)


def test_fractional_layers_are_refused(tmp_path):
    text = PW.replace("cathode_layers = 30", "cathode_layers = 2.5", 1)
    with pytest.raises(ParameterError, match=r"cathode_layers = 2\.5 is not a whole"):
        read_design(_write(tmp_path, text))


def test_non_utf8_file_is_a_data_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b"\xff\xfe name")
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_design(path)


def test_materials_files_must_be_a_list(tmp_path):
    text = PW + '\n[materials]\nfiles = "x.toml"\n'
    with pytest.raises(DataFileError, match="must be a list of file names"):
        read_design(_write(tmp_path, text))


def test_coin_discs_must_nest(tmp_path):
    text = """
name = "coin"
format = "coin"
separator = "pe-16"
electrolyte = "napf6-ec-pc"
np_ratio = 1.1
[cathode]
active = "prussian-white"
active_fraction = 0.92
binder_fraction = 0.04
conductive_fraction = 0.04
porosity = 0.3
areal_capacity = "2 mAh/cm^2"
[anode]
active = "hard-carbon"
active_fraction = 0.95
binder_fraction = 0.03
conductive_fraction = 0.02
porosity = 0.3
[geometry]
cathode_disc_diameter = "40 mm"
"""
    with pytest.raises(ParameterError, match="cathode_disc_diameter = 40 mm is larger"):
        read_design(_write(tmp_path, text))
