"""Inactive components: foils, binders, conductive additives, separators,
electrolytes, casing materials, pouch laminate and tabs.

They differ only in which properties they must carry, so one class serves
them all; :data:`SCHEMA` names the required and optional properties of each
category with their SI units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from natrium._data import (
    PriceRange,
    Sourced,
    read_optional,
    read_price,
    read_value,
)
from natrium.exceptions import DataFileError, OptionError

#: category -> (required {property: SI unit}, optional {property: SI unit}, price unit)
SCHEMA: dict[str, tuple[dict[str, str], dict[str, str], str]] = {
    "foil": ({"density": "kg/m^3", "thickness": "m"}, {}, "USD/kg"),
    "binder": ({"density": "kg/m^3"}, {}, "USD/kg"),
    "conductive_additive": ({"density": "kg/m^3"}, {}, "USD/kg"),
    "separator": (
        {"thickness": "m", "porosity": ""},
        {"density": "kg/m^3", "areal_density": "kg/m^2"},
        "USD/m^2",
    ),
    "electrolyte": (
        {"density": "kg/m^3"},
        {"concentration": "mol/m^3", "conductivity": "S/m"},
        "USD/kg",
    ),
    "casing_material": ({"density": "kg/m^3"}, {}, "USD/kg"),
    "pouch_laminate": ({"thickness": "m", "areal_density": "kg/m^2"}, {}, "USD/m^2"),
    "tab": ({"density": "kg/m^3", "thickness": "m"}, {"width": "m"}, "USD/kg"),
    "insulation": ({"density": "kg/m^3", "thickness": "m"}, {}, "USD/kg"),
}


@dataclass(frozen=True, eq=False)
class Component:
    """An inactive component with sourced properties in SI units."""

    category: str
    key: str
    name: str
    properties: dict[str, Sourced]
    price: PriceRange
    text: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, prop: str) -> float:
        """SI value of a property, e.g. ``foil["density"]`` [kg m⁻³]."""
        try:
            return self.properties[prop].value
        except KeyError as err:
            have = ", ".join(sorted(self.properties))
            raise OptionError(
                f"{self.category} {self.key!r} has no property {prop!r}; it has: {have}"
            ) from err

    def get(self, prop: str) -> float | None:
        item = self.properties.get(prop)
        return None if item is None else item.value

    @property
    def separator_areal_density(self) -> float:
        """Mass per area of a separator [kg m⁻²]: given, or from its material."""
        given = self.get("areal_density")
        if given is not None:
            return given
        return self["density"] * self["thickness"] * (1.0 - self["porosity"])

    def sources(self) -> dict[str, str]:
        out = {k: v.ref for k, v in self.properties.items()}
        out["price"] = self.price.ref
        return out


def component_from_table(
    category: str, key: str, table: dict[str, Any], where: str
) -> Component:
    """Build a component from its TOML table, checking the schema."""
    if category not in SCHEMA:
        raise DataFileError(
            f"{where}: unknown component category {category!r}; "
            f"valid: {', '.join(sorted(SCHEMA))}"
        )
    required, optional, price_unit = SCHEMA[category]
    props = {p: read_value(where, table, p, u) for p, u in required.items()}
    for p, u in optional.items():
        value = read_optional(where, table, p, u)
        if value is not None:
            props[p] = value
    if (
        category == "separator"
        and "density" not in props
        and "areal_density" not in props
    ):
        raise DataFileError(f"{where}: a separator needs 'density' or 'areal_density'")
    for p in ("porosity",):
        if p in props and not 0.0 <= props[p].value < 1.0:
            raise DataFileError(
                f"{where}.{p} = {props[p].value:g} is outside [0, 1) [-]"
            )
    for p, v in props.items():
        if p != "porosity" and v.value <= 0:
            raise DataFileError(f"{where}.{p} = {v.value:g} must be > 0")
    text = {k: v for k, v in table.items() if isinstance(v, str)}
    return Component(
        category,
        key,
        str(table.get("name", key)),
        props,
        read_price(where, table, "price", price_unit),
        text,
    )
