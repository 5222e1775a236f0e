"""A user's cost assumptions: prices, factor prices, yield and plant size.

natrium's defaults (library prices, BatPaC's US labour and building costs,
EIA's US electricity) can be overridden from a TOML file, or from a shipped
regional preset (``cost/data/prices/<name>.toml``)::

    # my_prices.toml: every entry optional; a value is a number with its unit
    [materials]                      # library materials by key (natrium materials)
    prussian-white = "6.5 USD/kg"
    pe-16 = "0.45 USD/m^2"           # separators and laminates also per area

    [factors]
    labour_rate = "8 USD/h"          # direct labour, before BatPaC's overheads
    electricity_price = "0.09 USD/kWh"
    building_cost = "1500 USD/m^2"   # land and building per m2 of floor
    equipment_cost_factor = 0.6      # x BatPaC's equipment capital

    [yields]                         # process-step yields (manufacturing.toml)
    coating = 0.95
    formation = 0.98

    [plant]
    output = "2 GWh/yr"              # good cells a year

Yields and plant size change the manufacturing model itself
(:meth:`CostAssumptions.apply_to`), so the cathode a plant buys, its scrap and
its cost move together.

A preset entry may be written ``{ value, unit, ref, note }`` like natrium's own
data, so that its source is cited with the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from natrium import citations
from natrium._toml import read_toml
from natrium._validation import check_positive, check_range
from natrium.cost.manufacturing import Manufacturing, manufacturing
from natrium.exceptions import DataFileError
from natrium.units import parse_quantity, registry, to_si, to_si_per_year

PRESETS = Path(__file__).with_name("data") / "prices"

#: [factors] and [plant] keys with the unit of their value.
_FACTORS = {
    "labour_rate": "USD/h",
    "electricity_price": "USD/kWh",
    "building_cost": "USD/m^2",
    "equipment_cost_factor": "",
}
_PLANT = {"output": "J"}
#: Refs that name no publication (the note says where the value comes from).
_UNCITED = ("estimate", "assumption", "derived")


@dataclass(frozen=True)
class MaterialPrice:
    """A price a user gave: per kilogram, or per square metre of a sheet."""

    value: float
    per: str  # "kg" or "m^2"


@dataclass(frozen=True)
class CostAssumptions:
    """Overrides of natrium's cost defaults; ``None`` keeps the default."""

    name: str = "defaults"
    material_prices: Mapping[str, MaterialPrice] = field(default_factory=dict)
    labour_rate: float | None = None  # [USD h⁻¹]
    electricity_price: float | None = None  # [USD kWh⁻¹]
    building_cost: float | None = None  # [USD m⁻²]
    equipment_cost_factor: float | None = None  # [-]
    yields: Mapping[str, float] = field(default_factory=dict)  # step -> [-]
    output: float | None = None  # good cells a year [J yr⁻¹]
    refs: tuple[str, ...] = ()

    def apply_to(self, plant: Manufacturing) -> Manufacturing:
        """``plant`` with these step yields and this plant size."""
        changed = plant.with_yields(**self.yields) if self.yields else plant
        if self.output is not None:
            changed = replace(changed, default_output=self.output)
        return changed

    def register_citations(self) -> None:
        citations.register(r for r in self.refs if r not in _UNCITED)


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS.glob("*.toml"))


def read_assumptions(source: str | Path) -> CostAssumptions:
    """Cost assumptions from a TOML file or a preset name (``china``...)."""
    path = Path(source)
    if not path.suffix and not path.exists():
        if str(source) not in preset_names():
            raise DataFileError(
                f"prices = {str(source)!r}: no such file or preset; valid presets: "
                f"{', '.join(preset_names())}, or a TOML file"
            )
        path = PRESETS / f"{source}.toml"
    return assumptions_from_dict(read_toml(path, "prices file"), name=path.stem)


def assumptions_from_dict(data: Mapping[str, Any], *, name: str) -> CostAssumptions:
    """Validate a prices table (as read from TOML) into :class:`CostAssumptions`."""
    _known("", data, ("materials", "factors", "yields", "plant"))
    refs: list[str] = []
    known = _material_keys()
    prices = {}
    for key, entry in _section(data, "materials").items():
        if key not in known:
            raise DataFileError(
                f"prices file [materials] {key}: unknown material; valid: "
                f"{', '.join(sorted(known))}"
            )
        prices[key] = _material_price(f"prices file [materials] {key}", entry, refs)
    factors = _section(data, "factors")
    plant = _section(data, "plant")
    _known("factors", factors, tuple(_FACTORS))
    _known("plant", plant, tuple(_PLANT))
    values: dict[str, float] = {}
    for key, unit in _FACTORS.items():
        if key in factors:
            values[key] = _positive(
                f"prices file [factors] {key}", factors[key], unit, refs
            )
    raw_yields = _section(data, "yields")
    _known("yields", raw_yields, tuple(s.key for s in manufacturing().steps))
    yields = {
        key: float(
            check_range(
                f"prices file [yields] {key}",
                _number(f"prices file [yields] {key}", entry, "", refs),
                low=0.0,
                high=1.0,
                low_inclusive=False,
            )
        )
        for key, entry in raw_yields.items()
    }
    if "output" in plant:
        entry = _unwrap("prices file [plant] output", plant["output"], refs)
        output = to_si_per_year(
            "prices file [plant] output", entry, "J", default_unit="GWh"
        )
        values["output"] = float(
            check_positive("prices file [plant] output", output, unit="J/yr")
        )
    return CostAssumptions(
        name=name,
        material_prices=prices,
        yields=yields,
        refs=tuple(dict.fromkeys(refs)),
        **values,
    )


def _section(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, Mapping):
        raise DataFileError(
            f"prices file [{name}] = {table!r}: must be a table of entries"
        )
    return dict(table)


def _material_keys() -> set[str]:
    from natrium.materials.components import SCHEMA
    from natrium.materials.library import active_keys, component_keys

    return {*active_keys(), *(k for c in SCHEMA for k in component_keys(c))}


def _known(section: str, table: Mapping[str, Any], valid: tuple[str, ...]) -> None:
    for key in table:
        if key not in valid:
            where = f"[{section}] {key}" if section else f"[{key}]"
            raise DataFileError(
                f"prices file {where}: unknown key; valid: {', '.join(valid)}"
            )


def _unwrap(where: str, entry: Any, refs: list[str]) -> Any:
    """``{ value, unit, ref, note }`` -> ``"value unit"``; anything else as is."""
    if isinstance(entry, Mapping):
        if "value" not in entry:
            raise DataFileError(
                f"{where} = {dict(entry)!r}: a table needs 'value' (and 'unit', 'ref')"
            )
        if "ref" in entry:
            ref = str(entry["ref"])
            if ref not in _UNCITED and not citations.is_known(ref):
                raise DataFileError(
                    f"{where}: unknown ref {ref!r}; give a key of natrium's "
                    f"citations or one of {', '.join(_UNCITED)} with a note"
                )
            refs.append(ref)
        return f"{entry['value']} {entry.get('unit', '')}".strip()
    return entry


def _number(where: str, entry: Any, unit: str, refs: list[str]) -> float:
    return to_si(where, _unwrap(where, entry, refs), unit or "dimensionless")


def _positive(where: str, entry: Any, unit: str, refs: list[str]) -> float:
    value = _number(where, entry, unit, refs)
    return float(check_positive(where, value, unit=unit or "-"))


def _material_price(where: str, entry: Any, refs: list[str]) -> MaterialPrice:
    text = _unwrap(where, entry, refs)
    q = parse_quantity(where, text)
    per_area = registry().Unit("USD/m^2")
    if not q.dimensionless and q.dimensionality == per_area.dimensionality:
        value = to_si(where, text, "USD/m^2")
        return MaterialPrice(float(check_positive(where, value, unit="USD/m^2")), "m^2")
    value = to_si(where, text, "USD/kg")
    return MaterialPrice(float(check_positive(where, value, unit="USD/kg")), "kg")
