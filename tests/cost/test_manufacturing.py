"""The one manufacturing-assumptions model, against published plant figures."""

import numpy as np
import pytest

from natrium import OptionError
from natrium.cost.manufacturing import manufacturing

YEAR = 365.25 * 86400.0  # [s], pint's year


def test_operating_hours_are_batpacs():
    # BatPaC v5 baseline: 320 days x 3 shifts x 8 h = 7,680 h a year.
    m = manufacturing()
    assert m.operating_time == pytest.approx(7680 * 3600.0)
    assert m.shifts_per_year == pytest.approx(960)


def test_steady_state_scrap_lies_in_the_published_range():
    # Porsche Consulting 2025: 5-12 % of material is scrapped in steady state.
    m = manufacturing()
    assert 0.05 <= m.steady_scrap <= 0.12
    assert m.steady_scrap_range == (0.05, 0.12)


def test_ramp_up_follows_porsche_and_fraunhofer():
    # Porsche Consulting 2025: > 30 % scrap at start of production; Fraunhofer
    # FFB 2024: about 10 % after five years. Within one percentage point.
    m = manufacturing()
    start, five, late = m.scrap(np.array([0.0, 5.0, 50.0]) * YEAR)
    assert start == pytest.approx(0.30)
    assert five == pytest.approx(0.10, abs=0.01)
    assert late == pytest.approx(m.steady_scrap, abs=1e-6)


def test_stream_yield_is_the_product_of_its_steps():
    m = manufacturing()
    steps = [s for s in m.steps if "foil" in s.streams or "cell" in s.streams]
    assert m.stream_yield("foil") == pytest.approx(np.prod([s.value for s in steps]))
    # changing one step's yield moves every stream that passes it
    worse = m.with_yields(grading=0.95)
    assert worse.cell_yield == pytest.approx(m.cell_yield * 0.95 / 0.99)
    assert worse.stream_yield("separator") < m.stream_yield("separator")


def test_plant_energy_by_family():
    # Degen et al., Nature Energy 2023: 20.3 (NMC) to 37.5 (LFP) kWh per kWh
    # for lithium-ion cells, 10.6-23.0 for post-lithium-ion including
    # sodium-ion.
    m = manufacturing()
    assert m.energy_intensity("li-lfp") == (37.5, 37.5)
    assert m.energy_intensity("li-nmc") == (20.3, 20.3)
    for family in ("na-pba", "na-layered-oxide", "na-polyanion"):
        assert m.energy_intensity(family) == (10.6, 23.0)
    with pytest.raises(OptionError, match="no plant-energy figure"):
        m.energy_intensity("li-graphite")


def test_bad_yields_are_refused():
    with pytest.raises(OptionError, match="no process step 'baking'"):
        manufacturing().with_yields(baking=0.9)
    with pytest.raises(ValueError, match=r"outside \(0, 1\]"):
        manufacturing().with_yields(grading=1.2)
