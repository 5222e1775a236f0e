"""Fixtures for the PyBaMM-backed tests: the shipped sets and their cells."""

import warnings

import pytest

from natrium.io import load_example, read_design
from natrium.sim import get_parameter_set

#: Each shipped parameter set with the design it is made for.
SHIPPED = {
    "chayambuka2022": None,  # its own published cell (design.toml in the set)
    "chayambuka2022_calibrated": None,  # the same cell
    "pw_hc": "pw_hc_pouch",
    "nfm_hc": "nfm_hc_18650",
}


def _cell_for(name: str):
    pset = get_parameter_set(name)
    example = SHIPPED[name]
    design = read_design(pset.design_file) if example is None else load_example(example)
    return design, pset


@pytest.fixture(scope="session")
def cell_for():
    """The design and parameter set of a shipped set, by set name."""
    return _cell_for


@pytest.fixture(scope="session")
def chayambuka():
    return _cell_for("chayambuka2022")


@pytest.fixture(autouse=True)
def _quiet_pybamm():
    # PyBaMM warns when its solver steps past the ends of the tabulated
    # functions of the sodium sets (a known property of the Chayambuka tables).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
