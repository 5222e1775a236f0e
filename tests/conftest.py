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


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's headless Chromium for the report and page tests: found on the
    machine, or installed with apt-get as .ci/run does."""
    import shutil
    import subprocess

    found = shutil.which("chromium")
    if found is None and shutil.which("apt-get") is not None:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            check=False,
            capture_output=True,
        )
        found = shutil.which("chromium")
    if found is None:
        pytest.fail("these tests need Debian's chromium: apt-get install chromium")
    return found
