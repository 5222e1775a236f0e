"""Materials: active insertion materials and inactive cell components.

Each property carries its source; see :mod:`natrium.citations`.
"""

from natrium._data import PriceRange, Sourced, read_value
from natrium.materials.active import FAMILIES, ActiveMaterial
from natrium.materials.components import Component
from natrium.materials.formula import (
    composition,
    molar_mass,
    theoretical_specific_capacity,
)
from natrium.materials.library import (
    active_keys,
    active_table,
    component_keys,
    component_table,
    get_active,
    get_component,
    load_material_file,
    loaded_material_files,
)
from natrium.materials.ocp import OCPCurve

__all__ = [
    "FAMILIES",
    "ActiveMaterial",
    "Component",
    "OCPCurve",
    "PriceRange",
    "Sourced",
    "active_keys",
    "active_table",
    "component_keys",
    "component_table",
    "composition",
    "get_active",
    "get_component",
    "load_material_file",
    "loaded_material_files",
    "molar_mass",
    "read_value",
    "theoretical_specific_capacity",
]
