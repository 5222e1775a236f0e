"""Molar masses and Faraday's-law capacities against published values."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from natrium import ParameterError
from natrium.materials import composition, molar_mass, theoretical_specific_capacity
from natrium.units import MAH_PER_G


# Published theoretical capacities [mAh/g]; the issue asks for agreement within 0.1 %.
# NVPF 128.3 and NVP 117.6: sodium vanadium phosphate reviews (e.g. the NVP review
#   cited in the reference notes, 117.6 mAh/g for 2 Na); PW 170.8 for 2 Na in
#   Na2Fe[Fe(CN)6] (derived in Chayambuka-template notes, M = 313.78 g/mol);
#   LFP 169.9 (Padhi et al., J. Electrochem. Soc. 144 (1997) 1188: ~170);
#   graphite 372 for LiC6 (textbook value, e.g. Winter et al. Adv. Mater. 1998).
@pytest.mark.parametrize(
    ("formula", "electrons", "published"),
    [
        ("Na3V2(PO4)2F3", 2, 128.3),
        ("Na3V2(PO4)3", 2, 117.6),
        ("Na2Fe[Fe(CN)6]", 2, 170.8),
        ("LiFePO4", 1, 169.9),
        ("C6", 1, 372.0),
    ],
)
def test_theoretical_capacity_matches_published(formula, electrons, published):
    q = theoretical_specific_capacity(molar_mass(formula), electrons) / MAH_PER_G
    assert_allclose(q, published, rtol=1e-3)


# Molar masses to 0.01 g/mol from IUPAC 2021 weights (hand sums).
@pytest.mark.parametrize(
    ("formula", "grams"),
    [
        ("Na3V2(PO4)2F3", 417.79),
        ("Na4Fe3(PO4)2P2O7", 623.37),
        ("NaNi1/3Fe1/3Mn1/3O2", 111.48),
        ("LiNi0.8Mn0.1Co0.1O2", 97.28),
        ("Na2Mn[Fe(CN)6]", 312.87),
    ],
)
def test_molar_mass(formula, grams):
    assert_allclose(molar_mass(formula) * 1e3, grams, atol=0.01)


def test_hydrate_adds_water():
    dry = molar_mass("Na2Fe[Fe(CN)6]")
    wet = molar_mass("Na2Fe[Fe(CN)6]·2H2O")
    assert_allclose(wet - dry, 2 * 18.015e-3, rtol=1e-4)


def test_composition_counts_brackets():
    assert composition("Na2Fe[Fe(CN)6]") == {"Na": 2.0, "Fe": 2.0, "C": 6.0, "N": 6.0}


def test_capacity_is_vectorised():
    q = theoretical_specific_capacity(np.array([0.1, 0.2]), 1.0)
    assert_allclose(q[0], 2 * q[1])


@pytest.mark.parametrize("bad", ["Na2Xx", "Na(PO4", "Na)2", "", "2"])
def test_bad_formula_is_a_parameter_error(bad):
    with pytest.raises(ParameterError, match="formula"):
        molar_mass(bad)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, [0.4, 0.0]])
def test_capacity_rejects_bad_mass(bad):
    with pytest.raises(ParameterError, match=r"molar_mass .* is outside \(0, inf\)"):
        theoretical_specific_capacity(bad, 2)
