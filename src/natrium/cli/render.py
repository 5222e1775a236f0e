"""How the ``natrium`` command shows its results to a person: every table and
plot of the command line, in one place. Each renderer takes what a command
computed and prints it; none computes anything (the JSON view is the payload
itself, printed by :func:`natrium.cli.common.run_command`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from rich.markup import escape
from rich.table import Table

from natrium.cli.common import ERR, OUT
from natrium.units import KWH, TONNE, convert


def key_value(title: str, rows: Iterable[tuple[str, str]]) -> None:
    """A two-column table of labelled values."""
    t = Table(title=title, show_header=False)
    t.add_column("quantity")
    t.add_column("value", justify="right")
    for label, value in rows:
        t.add_row(label, value)
    OUT.print(t)


def warnings(notes: Iterable[str], label: str = "warning") -> None:
    for note in notes:
        ERR.print(f"[yellow]{label}:[/] {escape(note)}", soft_wrap=True)


def modelled(value: float | None, spec: str, unit: str) -> str:
    """A number with its unit, or 'not modelled' for a refused step (null)."""
    if value is None or value != value:  # null or NaN
        return "not modelled (see warning)"
    return f"{value:{spec}} {unit}".strip()


# ------------------------------------------------------------------ materials


def materials(table: pd.DataFrame, components: pd.DataFrame) -> None:
    """The active materials and the other components, keys never cut: a key
    is what a user types in a design file."""
    t = Table(title="Active materials (capacities from Faraday's law)")
    t.add_column("key", no_wrap=True, min_width=max(len(str(k)) for k in table.index))
    for col in ("role", "ion", "mAh/g", "avg V", "g/cm3", "USD/kg"):
        t.add_column(col, justify="right")
    for key, r in table.iterrows():
        t.add_row(
            str(key),
            r["role"],
            r["ion"],
            f"{r['practical_mAh_per_g']:.0f}",
            f"{r['average_potential_V']:.2f}",
            f"{r['density_g_per_cm3']:.2f}",
            f"{r['price_low_USD_per_kg']:g}-{r['price_high_USD_per_kg']:g}",
        )
    OUT.print(t)
    c = Table(title="Components (electrolytes, separators, foils, binders, ...)")
    c.add_column("key", no_wrap=True, min_width=max(len(k) for k in components.key))
    c.add_column("kind", no_wrap=True)
    c.add_column("name")
    parts = components.to_dict(orient="records")
    for part in parts:
        c.add_row(str(part["key"]), str(part["kind"]), escape(str(part["name"])))
    OUT.print(c)
    s = Table(
        title="Sources (citation keys; natrium materials --json for each property)"
    )
    s.add_column("material", no_wrap=True)
    s.add_column("sources")
    for key, r in table.iterrows():
        s.add_row(str(key), _refs(r["sources"]))
    for part in parts:
        s.add_row(f"{part['key']} ({part['kind']})", _refs(part["sources"]))
    OUT.print(s)


def _refs(sources: str) -> str:
    """The distinct citation keys of a 'property: key; ...' source line."""
    keys = (part.split(": ", 1)[-1] for part in sources.split("; "))
    return escape(", ".join(dict.fromkeys(keys)))


# ---------------------------------------------------------------- cell design


def datasheet(report: Any) -> None:
    """A design's datasheet and bill of materials."""
    m = report.metrics
    coin = report.design.format == "coin"
    capacity = (
        f"{m['capacity_Ah'] * 1e3:.3f} mAh" if coin else f"{m['capacity_Ah']:.3f} Ah"
    )
    energy = f"{m['energy_Wh'] * 1e3:.2f} mWh" if coin else f"{m['energy_Wh']:.2f} Wh"
    key_value(
        f"{escape(report.design.name)}: datasheet",
        [
            ("Capacity", capacity),
            ("Nominal voltage", f"{m['nominal_voltage_V']:.3f} V"),
            ("Energy", energy),
            ("Mass", f"{m['mass_kg'] * 1e3:.1f} g"),
            ("Volume", f"{m['volume_L'] * 1e3:.1f} mL"),
            ("Specific energy", f"{m['specific_energy_Wh_per_kg']:.1f} Wh/kg"),
            ("Energy density", f"{m['energy_density_Wh_per_L']:.1f} Wh/L"),
            (
                "Cathode loading",
                f"{m['cathode_areal_capacity_mAh_per_cm2']:.2f} mAh/cm2 per side",
            ),
            (
                "Coatings (cathode / anode)",
                f"{m['cathode_coating_thickness_um']:.0f} / "
                f"{m['anode_coating_thickness_um']:.0f} um",
            ),
            ("N/P ratio", f"{m['np_ratio']:.2f}"),
            (
                "First-cycle loss",
                f"{m['first_cycle_loss'] * 100:.1f} % of first charge",
            ),
            ("Capacity limited by", str(m["capacity_limited_by"])),
            *_assumed(m),
        ],
    )
    bom = Table(title="Bill of materials")
    for col in ("component", "material", "g", "mL", "% mass", "kg/kWh"):
        bom.add_column(
            col,
            justify="left" if col in ("component", "material") else "right",
            no_wrap=col == "material",  # a key users type: never cut
        )
    for name, r in report.bom.iterrows():
        share = r["mass_kg"] / report.energy * KWH
        bom.add_row(
            str(name),
            str(r["material"]),
            f"{r['mass_kg'] * 1e3:.2f}",
            f"{r['volume_L'] * 1e3:.2f}",
            f"{r['mass_fraction'] * 100:.1f}",
            f"{share:.3f}",
        )
    OUT.print(bom)


def _assumed(m: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The datasheet's assumptions as rows: window, housing, stack, fill."""
    fill = m["electrolyte_fill"]
    return [
        (
            "Voltage window",
            f"{m['voltage_min_V']:g}-{m['voltage_max_V']:g} V "
            f"({escape(m['voltage_window_from'])})",
        ),
        (
            "Charge / discharge end at",
            f"{m['charge_ends_at']} / {m['discharge_ends_at']} "
            f"(electrodes alone: {m['electrode_capacity_Ah']:.4g} Ah)",
        ),
        ("Casing", escape(str(m["casing_material"]))),
        ("Stack", _stack(m)),
        (
            "Electrolyte",
            (f"{fill:g} x pore volume, " if fill is not None else "")
            + f"{m['electrolyte_g_per_Ah']:.2f} g/Ah",
        ),
    ]


def _stack(m: Mapping[str, Any]) -> str:
    """What is inside the housing, in a designer's words."""
    if m["stack"] == "wound":
        return f"wound, {m['cathode_layers_or_wound_length']:.4g} m of cathode"
    if m["stack"] not in ("given layers", "fills the housing"):
        return str(m["stack"])  # a coin: one disc facing another
    n = m["assemblies"]
    text = (
        f"{m['stack']}, {n:g} assembl{'y' if n == 1 else 'ies'}, "
        f"{m['cathode_layers_or_wound_length']:.4g} cathode layers, outer "
        f"{m['outer_electrodes']} "
        f"{'double' if m['outer_double_sided'] else 'single'}-sided, "
        f"separator {m['separator']}"
    )
    if m["foil_tab_area_mm2"]:
        text += f", {m['foil_tab_area_mm2']:.4g} mm2 foil tab per sheet"
    if m["insulation_area_cm2"]:
        text += f", {m['insulation_area_cm2']:.4g} cm2 insulating film"
    return text


#: The datasheet rows shown side by side: (label, metric, scale, format).
_COMPARED = (
    ("Capacity [Ah]", "capacity_Ah", 1.0, ".4g"),
    ("Nominal voltage [V]", "nominal_voltage_V", 1.0, ".3f"),
    ("Energy [Wh]", "energy_Wh", 1.0, ".4g"),
    ("Mass [g]", "mass_kg", 1e3, ".1f"),
    ("Volume [mL]", "volume_L", 1e3, ".1f"),
    ("Specific energy [Wh/kg]", "specific_energy_Wh_per_kg", 1.0, ".1f"),
    ("Energy density [Wh/L]", "energy_density_Wh_per_L", 1.0, ".1f"),
    (
        "Cathode loading [mAh/cm2]",
        "cathode_areal_capacity_mAh_per_cm2",
        1.0,
        ".2f",
    ),
    ("Cathode coating [um]", "cathode_coating_thickness_um", 1.0, ".0f"),
    ("Anode coating [um]", "anode_coating_thickness_um", 1.0, ".0f"),
    ("N/P ratio", "np_ratio", 1.0, ".2f"),
    ("First-cycle loss [%]", "first_cycle_loss", 100.0, ".1f"),
    ("Voltage min [V]", "voltage_min_V", 1.0, ".2f"),
    ("Voltage max [V]", "voltage_max_V", 1.0, ".2f"),
    ("Electrolyte [g/Ah]", "electrolyte_g_per_Ah", 1.0, ".2f"),
)


def datasheets(reports: Sequence[Any]) -> None:
    """Several designs' datasheet figures side by side."""
    t = Table(title="Datasheets side by side")
    t.add_column("quantity")
    for report in reports:
        t.add_column(escape(report.design.name), justify="right")
    for label, key, scale, spec in _COMPARED:
        t.add_row(label, *(f"{r.metrics[key] * scale:{spec}}" for r in reports))
    t.add_row(
        "Capacity limited by", *(str(r.metrics["capacity_limited_by"]) for r in reports)
    )
    OUT.print(t)


def tonnage(result: Any) -> None:
    """Cathode tonnes and GWh of cells, with the assumptions."""
    d = result.to_dict()
    tonnes = d["cathode_tonnes_per_year"]
    OUT.print(
        f"[bold]{tonnes:,.0f} t/yr of {result.cathode}[/] in '{result.design_name}':"
        if tonnes == d["cathode_tonnes_per_year_low"]
        else f"[bold]{tonnes:,.0f} t/yr of {result.cathode}[/] "
        f"({d['cathode_tonnes_per_year_low']:,.0f} - "
        f"{d['cathode_tonnes_per_year_high']:,.0f}) for "
        f"{d['gwh_per_year']:.3f} GWh/yr of '{result.design_name}':"
    )
    OUT.print(
        f"  ideal     {d['gwh_per_year_ideal']:.3f} GWh/yr "
        "(theoretical capacity x average potential vs the metal, no losses)"
    )
    OUT.print(
        f"  central   {d['gwh_per_year']:.3f} GWh/yr (the design's cell and the "
        "manufacturing model's yields)"
    )
    OUT.print(
        f"  range     {d['gwh_per_year_low']:.3f} - {d['gwh_per_year_high']:.3f} GWh/yr"
    )
    t = Table(title="Assumptions")
    for col in ("assumption", "low case", "high case", "unit", "source"):
        t.add_column(col, justify="right" if "case" in col else "left")
    for a in result.assumptions:
        t.add_row(a.name, f"{a.low:.4g}", f"{a.high:.4g}", a.unit, escape(a.source))
    OUT.print(t)


# ----------------------------------------------------------------- simulation


def simulation(
    name: str,
    steps: Sequence[str],
    model: str,
    set_name: str,
    result: Any,
    out: Path | None,
) -> None:
    """A simulation's summary, one row per experiment step when there are
    several, and the peak temperature of a thermal run."""
    sm = result.summary
    rows = [
        ("Model / set", f"{model} / {set_name}"),
        ("Discharged capacity (net)", f"{sm['discharge_capacity_Ah']:.4g} Ah"),
        ("Discharged energy (net)", f"{sm['discharge_energy_Wh']:.4g} Wh"),
        ("Mean discharge voltage", _volts(sm["mean_voltage_V"])),
        ("Duration", f"{sm['duration_s']:.0f} s"),
        ("Ended by", escape(sm["termination"])),
    ]
    peak = sm.get("max_temperature_K")
    if peak is not None:
        rows.append(("Peak temperature", f"{convert(peak, 'K', 'degC'):.1f} degC"))
    key_value(f"{escape(name)}: {escape('; '.join(steps))}", rows)
    per_step = result.steps
    if len(per_step) > 1:
        t = Table(title="Per step")
        for col in ("step", "experiment", "Ah", "Wh", "mean V", "s"):
            t.add_column(col, justify="left" if col == "experiment" else "right")
        for r in per_step.itertuples():
            t.add_row(
                f"{r.step:.0f}",
                escape(str(r.description)),
                f"{r.capacity_Ah:.4g}",
                f"{r.energy_Wh:.4g}",
                _volts(r.mean_voltage_V),
                f"{r.duration_s:.0f}",
            )
        OUT.print(t)
    warnings(result.warnings)
    if out is not None:
        OUT.print(f"time series written to {escape(str(out))}")


def _volts(value: float | None) -> str:
    """A mean voltage, or '-' where nothing was discharged."""
    return "-" if value is None or value != value else f"{value:.3f} V"


def rate_tables(
    name: str, model: str, set_name: str, soh: float, rates: Any, power: Any
) -> None:
    t = Table(title=f"{escape(name)}: rate capability ({model}, {set_name})")
    for col in ("C-rate", "Ah", "Wh", "mean V", "% of design Ah"):
        t.add_column(col, justify="right")
    for c, r in rates.iterrows():
        t.add_row(
            f"{c:g}",
            f"{r['capacity_Ah']:.4g}",
            f"{r['energy_Wh']:.4g}",
            f"{r['mean_voltage_V']:.3f}",
            f"{100 * r['capacity_fraction']:.1f}",
        )
    OUT.print(t)
    t = Table(title=f"Constant power to {power.attrs['cutoff_V']:g} V (SOH {soh:g})")
    for col in ("runtime min", "W per cell", "Wh", "mean V"):
        t.add_column(col, justify="right")
    for minutes, r in power.iterrows():
        t.add_row(
            f"{minutes:g}",
            f"{r['power_W']:.4g}",
            f"{r['energy_Wh']:.4g}",
            f"{r['mean_voltage_V']:.3f}",
        )
    OUT.print(t)


# ----------------------------------------------------------------------- cost


def cost(name: str, payload: Mapping[str, Any]) -> None:
    """The cost breakdown, the priced bill of materials, the plant figures,
    and the sensitivity and lithium tables when they were asked for."""
    t = Table(
        title=f"{escape(name)}: {payload['usd_per_kWh']:.1f} USD/kWh "
        f"at {payload['plant_gwh_per_year']:g} GWh/yr"
    )
    t.add_column("item")
    t.add_column("USD/kWh", justify="right")
    for row in payload["breakdown"]:
        t.add_row(row["item"], f"{row['usd_per_kWh']:.2f}")
    OUT.print(t)
    b = Table(
        title=f"Bill of materials, priced with scrap: "
        f"{payload['materials_usd_per_kWh']:.1f} USD/kWh"
    )
    for col in ("row", "material", "g per cell", "t/yr", "USD/kg", "USD/kWh"):
        b.add_column(
            col,
            justify="left" if col in ("row", "material") else "right",
            no_wrap=col == "material",  # a key users type: never cut
        )
    for r in payload["bill_of_materials"]:
        b.add_row(
            escape(r["row"]),
            escape(r["material"]),
            f"{1000 * r['kg_per_cell']:.4g}",
            f"{r['tonnes_bought_per_year']:,.0f}",
            f"{r['usd_per_kg']:.3g}",
            f"{r['usd_per_kWh']:.2f}",
        )
    OUT.print(b)
    OUT.print(
        f"capital {payload['capex_usd'] / 1e6:,.0f} M USD; running cost "
        f"{payload['opex_usd_per_year'] / 1e6:,.1f} M USD/yr; direct staff "
        f"{payload['direct_staff']:,.0f}; cathode bought "
        f"{payload['cathode_tonnes_per_year']:,.0f} t/yr; plant energy "
        f"{payload['plant_energy_kWh_per_kWh']:.1f} kWh per kWh"
    )
    for warning in payload["warnings"]:
        OUT.print(f"warning: {warning}")
    if "tornado" in payload:
        s = Table(title="Tornado (USD/kWh)")
        for col in ("input", "low", "high", "at low", "at high"):
            s.add_column(col, justify="left" if col == "input" else "right")
        for r in payload["tornado"]:
            s.add_row(
                r["input"],
                f"{r['low']:g}",
                f"{r['high']:g}",
                f"{r['usd_per_kWh_low']:.1f}",
                f"{r['usd_per_kWh_high']:.1f}",
            )
        OUT.print(s)
        OUT.print(
            "Monte Carlo on material prices: "
            + ", ".join(f"{k} {v:.1f}" for k, v in payload["monte_carlo"].items())
        )
    if "lithium_scenarios" in payload:
        li = Table(
            title=f"Against {escape(payload['lithium_design'])}: USD/kWh "
            "against the lithium carbonate price"
        )
        for col in ("Li2CO3 USD/kg", "this cell", "lithium cell", "ratio"):
            li.add_column(col, justify="right")
        for r in payload["lithium_scenarios"]:
            li.add_row(
                f"{r['li2co3_usd_per_kg']:.1f}",
                f"{r['sodium_usd_per_kWh']:.1f}",
                f"{r['lithium_usd_per_kWh']:.1f}",
                f"{r['ratio']:.2f}",
            )
        OUT.print(li)
        OUT.print(
            "break-even lithium carbonate price: "
            f"{payload['break_even_li2co3_usd_per_kg']:.1f} USD/kg"
        )


def lithium_plot(table: Any, path: Path) -> None:
    """Both cells' cost and their ratio against the lithium carbonate price."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(6, 6))
    x = table.index.to_numpy()
    top.plot(x, table["sodium_usd_per_kWh"], label=table.attrs["sodium"])
    top.plot(x, table["lithium_usd_per_kWh"], label=table.attrs["lithium"])
    top.set_ylabel("cell cost [USD/kWh]")
    top.legend(fontsize="small")
    bottom.plot(x, table["ratio"], color="k")
    bottom.axhline(1.0, color="grey", lw=0.8, ls="--")
    bottom.set_ylabel("sodium / lithium [-]")
    bottom.set_xlabel("lithium carbonate price [USD/kg]")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# --------------------------------------------------------------------- plants


def cell_plant(name: str, payload: Mapping[str, Any]) -> None:
    key_value(
        f"Cell plant: {escape(name)}",
        [
            ("Cells made", f"{payload['mwh_per_year']:,.1f} MWh/yr"),
            (
                "Cells",
                f"{payload['cells_per_year']:,.0f} per year "
                f"({payload['cell_energy_Wh']:.1f} Wh each)",
            ),
            (
                "Lines",
                f"{payload['lines']} (one makes "
                f"{payload['line_gwh_per_year']:.3g} GWh/yr)",
            ),
            (
                "Cathode material bought",
                f"{payload['cathode_tonnes_per_year']:,.1f} t/yr of "
                f"{payload['cathode_material']}",
            ),
            ("Steady-state scrap", f"{100 * payload['steady_scrap']:.1f} %"),
            (
                "Plant energy",
                f"{payload['plant_energy_kWh_per_kWh']:.1f} kWh per kWh "
                f"({payload['plant_energy_kWh_per_kWh_low']:g}-"
                f"{payload['plant_energy_kWh_per_kWh_high']:g})",
            ),
            ("Capital", modelled(_scaled(payload["capex_usd"]), ",.1f", "M USD")),
            (
                "Running cost",
                modelled(_scaled(payload["opex_usd_per_year"]), ",.1f", "M USD/yr"),
            ),
            ("Direct staff", modelled(payload["direct_staff"], ",.0f", "")),
            ("Cell cost", modelled(payload["usd_per_kWh"], ".0f", "USD/kWh")),
        ],
    )
    a = Table(title="Assumptions")
    for col in ("assumption", "value", "unit", "source"):
        a.add_column(col)
    for row in payload["assumptions"]:
        a.add_row(
            row["assumption"],
            f"{row['value']:.4g}",
            row["unit"],
            escape(str(row["source"])),
        )
    OUT.print(a)
    r = Table(title="Ramp-up")
    for col in ("year", "scrap %", "good output vs steady"):
        r.add_column(col, justify="right")
    for row in payload["ramp_up"]:
        r.add_row(
            f"{row['year']:.0f}",
            f"{100 * row['scrap']:.1f}",
            f"{row['good_output_share']:.2f}",
        )
    OUT.print(r)
    for warning in payload["warnings"]:
        OUT.print(f"warning: {warning}")
    if "runtime_table" in payload:
        rt = Table(
            title=f"{payload['power_MW_per_year']:g} MW a year at other runtimes"
        )
        for col in ("runtime min", "MWh/yr", "cells/yr", "cathode t/yr"):
            rt.add_column(col, justify="right")
        for row in payload["runtime_table"]:
            rt.add_row(
                f"{row['runtime_min']:g}",
                f"{row['mwh_per_year']:,.1f}",
                f"{row['cells_per_year']:,.0f}",
                f"{row['cathode_tonnes_per_year']:,.1f}",
            )
        OUT.print(rt)


def _scaled(usd: float | None) -> float | None:
    return None if usd is None else usd / 1e6


# --------------------------------------------------------------- applications


def ups(
    title: str, system: Any, table: pd.DataFrame | None, room: float | None = None
) -> None:
    """A sized UPS battery, and the three-chemistry comparison if asked."""
    current = (
        "-"
        if system.cell_current is None
        else f"{system.cell_current:.1f} A ("
        + (
            "not rated"
            if system.cell_rated_current is None
            else f"{system.cell_rated_current:.1f} A"
        )
        + ")"
    )
    key_value(
        title,
        [
            (
                "Cells in series x strings",
                f"{system.cells_in_series} x {system.strings} = {system.total_cells}",
            ),
            ("End voltage per cell", f"{system.end_voltage_per_cell:.3f} V"),
            ("Power per cell (capability)", f"{system.cell_power:.1f} W"),
            ("Current per cell (rated)", current),
            ("Governing limit", system.governing_limit),
            ("Factors", ", ".join(f"{k} {v:g}" for k, v in system.factors.items())),
            ("Nameplate energy", f"{system.nameplate_energy / KWH:,.0f} kWh"),
            ("Mass", f"{system.mass / TONNE:,.2f} t"),
            ("Volume", f"{system.volume:,.2f} m3"),
            ("Cabinets / floor", f"{system.cabinets} / {system.floor_area:.1f} m2"),
            ("Capital", f"{system.capex_usd:,.0f} USD"),
            (
                "Replacements / TCO",
                f"{system.replacements} / {system.tco_usd:,.0f} USD",
            ),
        ],
    )
    for note in system.notes:
        OUT.print(f"note: {escape(note)}")
    if table is None:
        return
    c = Table(title="The same duty, three chemistries")
    c.add_column("chemistry")
    for col in ("cells", "strings", "t", "m3", "m2", "kWh", "capex USD", "TCO USD"):
        c.add_column(col, justify="right")
    for chem, r in table.iterrows():
        c.add_row(
            str(chem),
            f"{r['total_cells']:,.0f}",
            f"{r['strings']:.0f}",
            f"{r['mass_kg'] / 1e3:.2f}",
            f"{r['volume_L'] / 1e3:.2f}",
            f"{r['floor_area_m2']:.1f}",
            f"{r['nameplate_kWh']:,.0f}",
            f"{r['capex_usd']:,.0f}",
            f"{r['tco_usd']:,.0f}",
        )
    OUT.print(c)
    if "thermal_runaway" in table:
        safety_rows(table.reset_index().to_dict(orient="records"), room)


def _share(value: Any, scale: float = 100.0, digits: str = ".2f") -> str:
    return "-" if value is None or value != value else f"{value * scale:{digits}}"


def safety_rows(rows: Sequence[Mapping[Any, Any]], room: float | None = None) -> None:
    """Published abuse figures per chemistry and, for a sized system in a
    room of ``room`` [m3], the gas of one venting module against 25 % of the
    LFL."""
    title = "Safety: published abuse figures (natrium.apps.safety)"
    if room is not None:
        title = f"Safety: one module venting in a {room:g} m3 room"
    t = Table(title=title)
    t.add_column("chemistry")
    t.add_column("thermal runaway")
    columns = ["vent mol/Ah", "LFL vol %"]
    if room is not None:
        columns += ["1 module vol %", "% of 25 % LFL"]
    for col in columns:
        t.add_column(col, justify="right")
    for r in rows:
        name, key = r.get("chemistry"), r.get("safety_chemistry")
        label = f"{name} ({key})" if isinstance(key, str) and key != name else name
        cells = [
            escape(str(label)),
            escape(str(r["thermal_runaway"])),
            _share(r.get("vent_gas_mol_per_Ah"), 1.0, ".3f"),
            _share(r.get("lfl_vol_fraction")),
        ]
        if room is not None:
            cells += [
                _share(r.get("one_module_vol_fraction"), 100.0, ".4f"),
                _share(r.get("one_module_share_of_limit"), 100.0, ".1f"),
            ]
        t.add_row(*cells)
    OUT.print(t)


def telecom(title: str, table: pd.DataFrame) -> None:
    t = Table(title=title)
    for col in (
        "degC",
        "series",
        "strings",
        "cells",
        "V/cell end",
        "W/cell",
        "A/cell (rated)",
        "limit",
        "kg",
        "kWh",
    ):
        t.add_column(col, justify="right")
    for temp, r in table.iterrows():
        rated = r["cell_rated_current_A"]
        t.add_row(
            f"{temp:g}",
            f"{r['cells_in_series']:.0f}",
            f"{r['strings']:.0f}",
            f"{r['total_cells']:.0f}",
            f"{r['end_voltage_per_cell_V']:.3f}",
            f"{r['cell_power_W']:.1f}",
            f"{r['cell_current_A']:.2f} ("
            + ("-" if rated is None or rated != rated else f"{rated:.2f}")
            + ")",
            str(r["governing_limit"]),
            f"{r['mass_kg']:.0f}",
            f"{r['nameplate_kWh']:.1f}",
        )
    OUT.print(t)


def grid(title: str, rows: Sequence[Mapping[Any, Any]]) -> None:
    t = Table(title=title)
    for col in ("chemistry", "h", "DC RTE", "AC RTE", "years to 80 %", "LCOS USD/MWh"):
        t.add_column(col, justify="left" if col == "chemistry" else "right")
    for r in rows:
        t.add_row(
            r["chemistry"],
            f"{r['hours']:g}",
            f"{r['dc_rte']:.3f}",
            f"{r['ac_rte']:.3f}",
            f"{r['years_to_eol']:.1f}",
            f"{r['lcos_usd_per_MWh']:.0f}",
        )
    OUT.print(t)


def ev(title: str, payload: Mapping[str, Any], cold_c: float) -> None:
    key_value(
        title,
        [
            ("Pack energy", f"{payload['pack_energy_kWh']:.1f} kWh"),
            ("Cells", f"{payload['cells']:,}"),
            ("Pack mass", f"{payload['pack_mass_kg']:.0f} kg"),
            ("Consumption", f"{payload['consumption_Wh_per_km']:.0f} Wh/km"),
            ("Pack cost", f"{payload['pack_cost_usd']:,.0f} USD"),
            (
                f"Range lost at {cold_c:g} degC",
                f"{100 * payload['cold_range_loss']:.0f} %",
            ),
        ],
    )


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A table with a header: the first column left-aligned, the rest right."""
    t = Table(title=escape(title))
    for i, col in enumerate(columns):
        t.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        t.add_row(*row)
    OUT.print(t)


def published_figures(model: str, payload: Mapping[str, Any]) -> None:
    """Datasheet claims beside natrium's figures (``validate-datasheet``)."""
    rows = payload["table"]
    t = Table(title=f"Published figures and natrium's ({model})")
    for col in ("cell", "statement", "published", "natrium", "meets", "source"):
        t.add_column(col, justify="left" if col in ("cell", "statement") else "right")
    for r in rows:
        floor = ">= " if r["stated"] == "at_least" else "~"
        meets = "yes" if r["meets"] else "no (known gap)" if r["known_gap"] else "no"
        t.add_row(
            escape(Path(r["design"]).stem),
            escape(r["statement"]),
            f"{floor}{100 * r['published']:.1f} %",
            f"{100 * r['natrium']:.1f} %",
            meets,
            escape(r["source"]),
        )
    OUT.print(t)
    OUT.print(f"{payload['met']} of {payload['claims']} claims met")
    for r in rows:
        if r["known_gap"] and not r["meets"]:
            OUT.print(f"known gap, {r['claim']}: {escape(r['known_gap'])}")


def bpx_written(payload: Mapping[str, Any]) -> None:
    OUT.print(
        f"{escape(payload['design'])} with set {escape(payload['parameter_set'])} "
        f"written to {escape(payload['file'])} (BPX {payload['bpx_version']})",
        highlight=False,
    )


def bpx_validation(title: str, runs: Sequence[Any]) -> None:
    """A BPX file's validation experiments against the model."""
    table(
        title,
        ("experiment", "RMS mV", "max mV", "points"),
        (
            (
                escape(r.name),
                f"{r.rms_mV:.1f}",
                f"{r.max_mV:.0f}",
                f"{r.points_compared}/{r.points}",
            )
            for r in runs
        ),
    )


def comparisons(title: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Simulated discharges against measured curves, one row per curve."""
    table(
        title,
        ("curve", "C-rate", "RMS mV", "max mV", "capacity %", "meas mAh"),
        (
            (
                escape(r["curve"]),
                f"{r['c_rate']:g}",
                f"{r['rms_mV']:.1f}",
                f"{r['max_mV']:.0f}",
                f"{r['capacity_error_pct']:+.2f}",
                f"{r['measured_mAh']:.3f}",
            )
            for r in rows
        ),
    )


def validation(model: str, reports: Sequence[Any]) -> None:
    """``validate``: each set against measurement, then its warnings once."""
    for r in reports:
        comparisons(
            f"{r.parameter_set} ({model}) against measurement", r.summary()["curves"]
        )
    warnings(dict.fromkeys(w for r in reports for w in r.warnings))


def fit(payload: Mapping[str, Any], success: bool, fitted_on: Sequence[str]) -> None:
    """``calibrate``: the fitted adjustments with their 95 % intervals."""
    parameters = payload["parameters"]
    clipped = any(r["interval_clipped"] for r in parameters)
    table(
        f"{'Fitted' if success else 'FAILED fit'} to {', '.join(fitted_on)}",
        ("adjustment", "value", "std", "95 % low", "95 % high"),
        (
            (
                r["parameter"] + (" (at bound)" if r["at_bound"] else ""),
                f"{r['value']:.4g}",
                f"{r['std']:.3g}",
                f"{r['low95']:.4g}{'*' if r['interval_clipped'] else ''}",
                f"{r['high95']:.4g}{'*' if r['interval_clipped'] else ''}",
            )
            for r in parameters
        ),
    )
    if clipped:
        OUT.print("* 95 % interval clipped to the fit's bounds")
    comparisons("Fit", payload["fit"]["curves"])
    if "set_file" in payload:
        what = "fitted set" if success else "failed-fit set"
        OUT.print(f"{what} written to {escape(payload['set_file'])}")


def study_run(title: str, payload: Mapping[str, Any]) -> None:
    """A study's headline figures, and where its store and report are."""
    t = Table(title=escape(title))
    for col in ("step", "design", "figures"):
        t.add_column(col)
    for entry in payload["highlights"]:
        t.add_row(
            entry["step"],
            escape(entry["design"]),
            escape(", ".join(_figure(f) for f in entry["figures"])),
        )
    OUT.print(t)
    OUT.print(
        f"{payload['computed']} results computed, {payload['already_stored']} "
        "already in the store"
    )
    # paths whole on one line each, so they can be copied
    OUT.print(f"store:  {escape(payload['store'])}", soft_wrap=True)
    OUT.print(f"report: {escape(payload['report'])}", soft_wrap=True)


def _figure(figure: Mapping[str, Any]) -> str:
    value = figure["value"]
    shown = f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}"
    return " ".join(p for p in (figure["what"], shown, figure["unit"]) if p)


def sweep_run(payload: Mapping[str, Any], front: pd.DataFrame | None) -> None:
    """What a sweep computed, and its Pareto front when asked for."""
    OUT.print(
        f"{escape(payload['study'])}: {payload['variants']} variants, "
        f"{payload['computed']} results computed, {payload['already_stored']} "
        f"already in {escape(payload['store'])}"
    )
    if front is None:
        return
    objectives = payload["pareto"]["objectives"]
    swept = [
        c
        for c in front.columns
        if c.startswith("in.")
        and pd.api.types.is_numeric_dtype(front[c])
        and front[c].nunique() > 1
    ]
    heads = [_swept_head(c) for c in swept] + list(objectives)
    scales = [_swept_scale(c) for c in swept] + [1.0] * len(objectives)
    columns = swept + list(objectives)
    table(
        f"Pareto front ({len(front)} designs): "
        + ", ".join(f"{k} {v}" for k, v in objectives.items()),
        ["design", *heads],
        (
            [
                str(i),
                *(f"{row[c] / k:.4g}" for c, k in zip(columns, scales, strict=True)),
            ]
            for i, row in front[columns].iterrows()
        ),
    )


def _swept_spec(column: str) -> Any:
    from natrium.cell.parameters import spec_for

    try:
        return spec_for(column.removeprefix("in."))
    except KeyError:
        return None


def _swept_head(column: str) -> str:
    spec = _swept_spec(column)
    name = column.removeprefix("in.")
    return f"{name} [{spec.display_unit}]" if spec and spec.display_unit else name


def _swept_scale(column: str) -> float:
    spec = _swept_spec(column)
    return float(spec.factor) if spec else 1.0
