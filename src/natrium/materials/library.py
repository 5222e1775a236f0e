"""The material library: natrium's built-in materials plus any the user adds.

Built-in data live in ``materials/data`` as TOML (one table per material, each
number with its citation key) and CSV (OCP tables). Users add their own from a
TOML file of the same form, without touching the code::

    [active.my-cathode]
    name = "My layered oxide"
    role = "cathode"
    ion = "Na"
    family = "na-layered-oxide"       # natrium.materials.FAMILIES
    formula = "NaNi0.5Mn0.5O2"
    electrons = 1
    ocp = "my-cathode-ocp.csv"        # relative to this file
    practical_capacity = { value = 140, unit = "mAh/g", ref = "estimate" }
    ...
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natrium import citations
from natrium._data import read_price, read_text, read_value
from natrium._toml import read_toml
from natrium.exceptions import DataFileError, NatriumError, OptionError
from natrium.materials.active import FAMILIES, ActiveMaterial
from natrium.materials.components import SCHEMA, Component, component_from_table
from natrium.materials.ocp import OCPCurve
from natrium.units import MAH_PER_G

_DATA = Path(__file__).with_name("data")
BUILTIN_FILES = (_DATA / "active_materials.toml", _DATA / "components.toml")

_active: dict[str, ActiveMaterial] = {}
_components: dict[tuple[str, str], Component] = {}
_loaded = False
_loading: list[bool] = []  # the loading thread's guard against recursion
_files: dict[Path, list[str]] = {}  # resolved path -> keys it added


_lock = threading.RLock()


def _ensure_builtins() -> None:
    global _loaded
    if _loaded:
        return
    # threads (web requests) that arrive first wait for the whole library;
    # re-entrant: load_material_file calls back here
    with _lock:
        if not _loaded and not _loading:
            _loading.append(True)
            try:
                for path in BUILTIN_FILES:
                    load_material_file(path)
                _loaded = True
            finally:
                _loading.clear()


def load_material_file(path: str | Path) -> list[str]:
    """Add the materials of a TOML file to the library; return their keys.

    Loading the same file again returns its keys and changes nothing. Raises
    :class:`DataFileError` naming the entry for a malformed file, and
    :class:`OptionError` if a key is already in the library from another file.
    """
    with _lock:  # one thread at a time changes the library
        return _load_material_file(Path(path))


def _load_material_file(path: Path) -> list[str]:
    if path not in BUILTIN_FILES:
        _ensure_builtins()  # so a user key that clashes with a built-in is caught
    if path.resolve() in _files:
        return list(_files[path.resolve()])
    data = read_toml(path, "material file")
    parsed_active: dict[str, ActiveMaterial] = {}
    parsed_comp: dict[tuple[str, str], Component] = {}
    for category, entries in data.items():
        if not isinstance(entries, dict):
            raise DataFileError(
                f"{path.name}: top-level entry {category!r} must be "
                "a table such as [active.<key>]"
            )
        for key, table in entries.items():
            where = f"{path.name}: {category}.{key}"
            if not isinstance(table, dict):
                raise DataFileError(f"{where}: must be a table")
            if category == "active":
                parsed_active[key] = _active_from_table(key, table, where, path.parent)
            else:
                parsed_comp[(category, key)] = component_from_table(
                    category, key, table, where
                )
    for key in parsed_active:
        if key in _active:
            raise OptionError(
                f"{path.name}: active material {key!r} is already in "
                "the library; give yours another key"
            )
    for ck in parsed_comp:
        if ck in _components:
            raise OptionError(
                f"{path.name}: {ck[0]} {ck[1]!r} is already in the "
                "library; give yours another key"
            )
    _active.update(parsed_active)
    _components.update(parsed_comp)
    keys = list(parsed_active) + [f"{c}.{k}" for c, k in parsed_comp]
    _files[path.resolve()] = keys
    return keys


def _active_from_table(
    key: str, table: dict[str, Any], where: str, folder: Path
) -> ActiveMaterial:
    role = read_text(where, table, "role")
    ion = read_text(where, table, "ion")
    if role not in ("cathode", "anode"):
        raise DataFileError(f"{where}.role = {role!r}; valid: cathode, anode")
    if ion not in ("Na", "Li"):
        raise DataFileError(f"{where}.ion = {ion!r}; valid: Na, Li")
    family = table.get("family")
    if family is not None and family not in FAMILIES:
        raise DataFileError(
            f"{where}.family = {family!r}; valid: {', '.join(FAMILIES)}"
        )
    formula = table.get("formula")
    electrons = table.get("electrons")
    if (formula is None) != (electrons is None):
        raise DataFileError(f"{where}: give both 'formula' and 'electrons', or neither")
    if electrons is not None and (
        not isinstance(electrons, int | float) or electrons <= 0
    ):
        raise DataFileError(f"{where}.electrons = {electrons!r} must be a number > 0")
    practical = read_value(where, table, "practical_capacity", "C/kg")
    low = (
        read_value(where, table, "practical_capacity_low", "C/kg")
        if "practical_capacity_low" in table
        else practical
    )
    ice = read_value(where, table, "first_cycle_efficiency", "")
    for name, item in (
        ("practical_capacity", practical),
        ("practical_capacity_low", low),
    ):
        if not 0 < item.value <= practical.value * (1 + 1e-12):
            raise DataFileError(
                f"{where}.{name} = {item.value / MAH_PER_G:g} mAh/g "
                f"must lie in (0, practical_capacity]"
            )
    if not 0 < ice.value <= 1:
        raise DataFileError(
            f"{where}.first_cycle_efficiency = {ice.value:g} is outside (0, 1] [-]"
        )
    density = read_value(where, table, "density", "kg/m^3")
    if density.value <= 0:
        raise DataFileError(f"{where}.density must be > 0")
    try:
        return ActiveMaterial(
            key=key,
            name=str(table.get("name", key)),
            role=role,  # type: ignore[arg-type]
            ion=ion,  # type: ignore[arg-type]
            formula=str(formula) if formula else None,
            electrons=float(electrons) if electrons is not None else None,
            practical_capacity=practical,
            practical_capacity_low=low,
            first_cycle_efficiency=ice,
            density=density,
            price=read_price(where, table, "price", "USD/kg"),
            ocp=_read_ocp(table.get("ocp"), where, folder),
            description=str(table.get("description", "")),
            family=family,
        )
    except DataFileError:
        raise
    except NatriumError as err:
        raise DataFileError(f"{where}: {err}") from err


def _read_ocp(spec: Any, where: str, folder: Path) -> OCPCurve:
    if isinstance(spec, str):
        return OCPCurve.from_csv(folder / spec, name=f"{where}.ocp ({spec})")
    if isinstance(spec, dict):
        try:
            window = spec["window"]
            return OCPCurve(
                np.asarray(spec["stoichiometry"], dtype=float),
                np.asarray(spec["potential"], dtype=float),
                (float(window[0]), float(window[1])),
                tuple(spec.get("sources", ())),
                f"{where}.ocp",
            )
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise DataFileError(
                f"{where}.ocp: an inline curve needs 'stoichiometry', "
                f"'potential' and 'window = [low, high]' ({err})"
            ) from err
    raise DataFileError(f"{where}.ocp: give a CSV file name or an inline table")


def loaded_material_files() -> tuple[Path, ...]:
    """The material files loaded beyond the built-in ones (design files'
    ``[materials] files``, parameter sets' ``materials.toml``), in load order:
    what another process must load to know the same materials."""
    return tuple(p for p in _files if p not in {b.resolve() for b in BUILTIN_FILES})


def material_digest(key: str) -> str:
    """A digest of what defines a material: the file that holds it (any of
    ``active.<key>`` or ``<category>.<key>``) and, for an active material, its
    OCP table. An edited material file is a new input to every result."""
    import hashlib

    _ensure_builtins()
    digest = hashlib.sha256()
    for path, keys in _files.items():
        if key in keys:
            digest.update(path.read_bytes())
            break
    else:
        raise OptionError(f"no loaded material file holds {key!r}")
    if "." not in key:
        curve = get_active(key).ocp
        digest.update(np.asarray(curve.stoichiometry, float).tobytes())
        digest.update(np.asarray(curve.potential, float).tobytes())
    return digest.hexdigest()[:16]


def get_active(key: str) -> ActiveMaterial:
    """An active material by key, e.g. ``get_active("prussian-white")``."""
    _ensure_builtins()
    try:
        material = _active[key]
    except KeyError as err:
        raise OptionError(
            f"unknown active material {key!r}; valid: {', '.join(sorted(_active))}"
        ) from err
    citations.register(v for k, v in material.sources().items() if k != "ocp")
    citations.register(material.ocp.sources)
    return material


def get_component(category: str, key: str) -> Component:
    """An inactive component, e.g. ``get_component("separator", "pe-16")``."""
    _ensure_builtins()
    if category not in SCHEMA:
        raise OptionError(
            f"unknown component category {category!r}; valid: "
            f"{', '.join(sorted(SCHEMA))}"
        )
    try:
        comp = _components[(category, key)]
    except KeyError as err:
        valid = sorted(k for c, k in _components if c == category)
        raise OptionError(
            f"unknown {category} {key!r}; valid: {', '.join(valid)}"
        ) from err
    citations.register(comp.sources().values())
    return comp


def active_keys() -> list[str]:
    _ensure_builtins()
    return sorted(_active)


def component_keys(category: str) -> list[str]:
    _ensure_builtins()
    return sorted(k for c, k in _components if c == category)


def active_table() -> pd.DataFrame:
    """One row per active material, in battery units, with sources."""
    _ensure_builtins()
    rows = []
    for key in sorted(_active):
        m = _active[key]
        theo = m.theoretical_capacity
        rows.append(
            {
                "key": key,
                "name": m.name,
                "role": m.role,
                "ion": m.ion,
                "family": m.family or "",
                "formula": m.formula or "",
                "molar_mass_g_per_mol": m.molar_mass * 1e3 if m.molar_mass else np.nan,
                "theoretical_mAh_per_g": theo / MAH_PER_G if theo else np.nan,
                "practical_mAh_per_g": m.practical_capacity.value / MAH_PER_G,
                "average_potential_V": m.average_potential,
                "first_cycle_efficiency": m.first_cycle_efficiency.value,
                "density_g_per_cm3": m.density.value / 1e3,
                "max_concentration_mol_per_m3": m.max_concentration,
                "price_low_USD_per_kg": m.price.low,
                "price_high_USD_per_kg": m.price.high,
                "sources": "; ".join(f"{k}: {v}" for k, v in m.sources().items()),
            }
        )
    return pd.DataFrame(rows).set_index("key")


def component_table() -> pd.DataFrame:
    """One row per inactive component (foils, binders, separators,
    electrolytes, casings, ...): its kind, key, name, price and sources."""
    _ensure_builtins()
    rows = [
        {
            "kind": comp.category,
            "key": key,
            "name": comp.name,
            "price_low": comp.price.low,
            "price_high": comp.price.high,
            "price_unit": SCHEMA[category][2],
            "sources": "; ".join(f"{k}: {v}" for k, v in comp.sources().items()),
        }
        for (category, key), comp in sorted(_components.items())
    ]
    return pd.DataFrame(rows)
