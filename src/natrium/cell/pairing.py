"""Build a reference cell around a cathode: the anode, foil and electrolyte
that go with its ion (``cell/data/defaults.toml``, ``[pairing.*]``)."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from natrium._toml import read_toml
from natrium.cell.design import CellDesign
from natrium.exceptions import DataFileError
from natrium.materials import get_active

_DEFAULTS = Path(__file__).with_name("data") / "defaults.toml"


@cache
def pairing(ion: str) -> dict[str, str]:
    """Anode, anode foil and electrolyte keys for cells shuttling ``ion``."""
    table = read_toml(_DEFAULTS, "cell defaults").get("pairing", {})
    if ion not in table:
        raise DataFileError(f"defaults.toml has no [pairing.{ion}]")
    return {k: str(v) for k, v in table[ion].items()}


def swap_cathode(design: CellDesign, cathode: str) -> CellDesign:
    """``design`` with its cathode replaced, and anode, foil and electrolyte
    replaced by the pairing of the new cathode's ion when the ion changes."""
    material = get_active(cathode)
    changes: dict[str, object] = {
        "name": f"{material.name} in the layout of '{design.name}'",
        "cathode": dataclasses.replace(design.cathode, active=cathode),
    }
    if get_active(design.cathode.active).ion != material.ion:
        pair = pairing(material.ion)
        changes["anode"] = dataclasses.replace(
            design.anode,
            active=pair["anode"],
            foil=pair["anode_foil"],
            foil_thickness=None,
        )
        changes["electrolyte"] = pair["electrolyte"]
    return dataclasses.replace(design, **changes)  # type: ignore[arg-type]
