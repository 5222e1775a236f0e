"""Shared fixtures: the shipped example designs and the reference cells."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from natrium import citations
from natrium.io import load_example

DATA = Path(__file__).with_name("data")


@pytest.fixture(scope="session")
def reference_cells() -> pd.DataFrame:
    return pd.read_csv(DATA / "reference_cells.csv", comment="#").set_index("cell")


@pytest.fixture
def pw_pouch():
    return load_example("pw_hc_pouch")


@pytest.fixture(autouse=True)
def _fresh_citations():
    citations.reset()
    yield
    citations.reset()
