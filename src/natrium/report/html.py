"""A study's report: one self-contained HTML file from its results store.

Every plot is a Plotly figure with plotly.js inlined once, so the file opens
offline and stays interactive; the tables are plain HTML; the sources are
every citation the stored results used, formatted in full.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from natrium import __version__, citations
from natrium.study import Store, Study, pareto_front
from natrium.study.sweep import sweep_table

#: The pairs of sweep outputs the report plots, with the better direction.
PARETO_AXES = (
    ("specific_energy_Wh_per_kg", "max", "Specific energy [Wh/kg]"),
    ("usd_per_kWh", "min", "Cell cost [USD/kWh]"),
    (
        "discharge.mean_power_W_per_kg",
        "max",
        "Mean power in the sweep's discharge [W/kg]",
    ),
)


def write_report(store: Store, study: Study, path: str | Path) -> Path:
    """Write ``study``'s report from ``store`` to ``path`` (atomically)."""
    import plotly.offline

    path = Path(path)
    sections = [
        _datasheets(store, study),
        _curves(store, study),
        _rates(store, study),
        _costs(store, study),
        _plants(store, study),
        _trays(store, study),
        _ups(store, study),
        _sweep(store, study),
        _sources(store, study),
    ]
    body = "\n".join(s for s in sections if s)
    page = _PAGE.format(
        title=html.escape(study.title),
        name=html.escape(study.name),
        version=html.escape(__version__),
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        store=html.escape(str(store.path.name)),
        plotly=plotly.offline.get_plotlyjs(),
        body=body,
    )
    # written beside the target and renamed: a reader never sees half a report
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(page)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    return path


# ----------------------------------------------------------------- sections


def _frame(store: Store, study: Study, step: str) -> pd.DataFrame:
    return store.outputs(step, study=study.name)


def _full(store: Store, study: Study, kind: str) -> dict[str, dict[str, Any]]:
    """Every stored result of the study's steps of one kind, by design (and by
    step, "pw [ups-2]", where the kind repeats)."""
    labels = [s.label for s in study.steps if s.kind == kind]
    out = {}
    for label in labels:
        for d in store.outputs(label, study=study.name).index:
            key = str(d) if len(labels) == 1 else f"{d} [{label}]"
            out[key] = store.output(study.name, str(d), label)
    return out


def _name(study: Study, key: str) -> str:
    design_id, _, label = key.partition(" [")
    design = study.designs.get(design_id)
    name = design.name if design is not None else design_id
    return f"{name} [{label}" if label else name


_SHEET = (
    ("capacity_Ah", "Capacity [Ah]", "{:.4g}"),
    ("nominal_voltage_V", "Nominal voltage [V]", "{:.3f}"),
    ("energy_Wh", "Energy [Wh]", "{:.4g}"),
    ("mass_kg", "Mass [kg]", "{:.4g}"),
    ("specific_energy_Wh_per_kg", "Specific energy [Wh/kg]", "{:.1f}"),
    ("energy_density_Wh_per_L", "Energy density [Wh/L]", "{:.1f}"),
    ("voltage_min_V", "Window min [V]", "{:.2f}"),
    ("voltage_max_V", "Window max [V]", "{:.2f}"),
    ("np_ratio", "N/P ratio", "{:.2f}"),
)


def _datasheets(store: Store, study: Study) -> str:
    sheets = _full(store, study, "datasheet")
    if not sheets:
        return ""
    rows = [
        [label] + [fmt.format(s[key]) for s in sheets.values()]
        for key, label, fmt in _SHEET
    ]
    head = ["", *(_name(study, d) for d in sheets)]
    traces = []
    components = list(
        dict.fromkeys(r["name"] for s in sheets.values() for r in s["bom"])
    )
    for component in components:
        traces.append(
            {
                "type": "bar",
                "name": component,
                "x": [_name(study, d) for d in sheets],
                "y": [
                    1e3
                    * sum(r["mass_kg"] for r in s["bom"] if r["name"] == component)
                    / s["energy_Wh"]
                    for s in sheets.values()
                ],
            }
        )
    layout = {
        "barmode": "stack",
        "title": "Bill of materials per Wh",
        "yaxis": {"title": "g/Wh"},
    }
    return _section(
        "Datasheets",
        _table(head, rows) + _plot("bom", traces, layout),
        "Open-circuit figures between each design's voltage window "
        "(natrium.cell.evaluate); masses from the bill of materials.",
    )


def _curves(store: Store, study: Study) -> str:
    runs = _full(store, study, "simulate")
    if not runs:
        return ""
    # cells of 20 and 200 Ah share one axis as shares of their datasheet
    sheets = _full(store, study, "datasheet")
    traces = []
    for d, r in runs.items():
        if "curve" not in r:
            continue
        charge = r["curve"]["discharge_capacity_Ah"]
        design_id = d.partition(" [")[0]
        full = sheets[design_id]["capacity_Ah"] if design_id in sheets else charge[-1]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _name(study, d),
                "x": [100 * q / full for q in charge],
                "y": r["curve"]["voltage_V"],
                "customdata": charge,
                "hovertemplate": "%{customdata:.3g} Ah, %{y:.3f} V",
            }
        )
    layout = {
        "title": "Discharge (PyBaMM)",
        "xaxis": {"title": "Discharged [% of the datasheet capacity]"},
        "yaxis": {"title": "Voltage [V]"},
    }
    return _section(
        "Discharge curves",
        _plot("discharge", traces, layout),
        "Each design's 1C discharge to its window's minimum, on the DFN of its "
        "parameter set.",
    )


def _rates(store: Store, study: Study) -> str:
    tables = _full(store, study, "rate")
    if not tables:
        return ""
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _name(study, d),
            "x": [r["c_rate"] for r in t["table"]],
            "y": [100 * r["capacity_fraction"] for r in t["table"]],
        }
        for d, t in tables.items()
    ]
    layout = {
        "title": "Rate capability",
        "xaxis": {"title": "C-rate [1/h]", "type": "log"},
        "yaxis": {"title": "Capacity [% of the datasheet]"},
    }
    return _section("Rate capability", _plot("rate", traces, layout), "")


def _costs(store: Store, study: Study) -> str:
    costs = _full(store, study, "cost")
    if not costs:
        return ""
    items = list(
        dict.fromkeys(b["item"] for c in costs.values() for b in c["breakdown"])
    )
    traces = [
        {
            "type": "bar",
            "name": item,
            "x": [_name(study, d) for d in costs],
            "y": [
                sum(b["usd_per_kWh"] for b in c["breakdown"] if b["item"] == item)
                for c in costs.values()
            ],
        }
        for item in items
    ]
    layout = {
        "barmode": "stack",
        "title": "Cell cost",
        "yaxis": {"title": "USD/kWh"},
    }
    rows = [
        [
            _name(study, d),
            f"{c['usd_per_kWh']:.1f}",
            f"{c['materials_usd_per_kWh']:.1f}",
            f"{c['plant_gwh_per_year']:.3g}",
        ]
        for d, c in costs.items()
    ]
    head = ["Design", "USD/kWh", "materials USD/kWh", "plant GWh/yr"]
    return _section(
        "Cost", _table(head, rows) + _plot("cost", traces, layout), "natrium.cost"
    )


def _plants(store: Store, study: Study) -> str:
    plants = _full(store, study, "plant")
    if not plants:
        return ""
    rows = []
    for d, p in plants.items():
        if "cathode_plant" in p:
            c = p["cathode_plant"]
            rows.append(
                [
                    _name(study, d),
                    f"cathode plant {c.get('plant') or ''}".strip(),
                    f"{c['cathode_tonnes_per_year']:,.0f} t/yr of {c['cathode']}",
                    f"{c['gwh_per_year']:.3g} GWh/yr of cells "
                    f"({c['gwh_per_year_low']:.3g}-{c['gwh_per_year_high']:.3g})",
                ]
            )
        if "cell_plant" in p:
            c = p["cell_plant"]
            rows.append(
                [
                    _name(study, d),
                    "cell plant",
                    f"{c['gwh_per_year'] * 1e3:,.0f} MWh/yr, "
                    f"{c['cells_per_year']:,.0f} cells/yr, {c['lines']} line(s)",
                    (
                        f"capex {c['capex_usd'] / 1e6:,.1f} M USD, "
                        if c.get("capex_usd") is not None
                        else "capex: below the cost model's plant sizes, "
                    )
                    + f"{c['cathode_tonnes_per_year']:,.0f} t/yr cathode",
                ]
            )
    return _section(
        "Plants", _table(["Design", "Plant", "Output", "Figures"], rows), ""
    )


def _trays(store: Store, study: Study) -> str:
    trays = _full(store, study, "tray")
    if not trays:
        return ""
    rows = [
        [
            _name(study, d),
            f"{t['cells_in_series']}s{t['strings']}p",
            f"{t['continuous_W'] / 1e3:.1f} / {t['peak_W'] / 1e3:.1f}",
            f"{t['runtime_at_continuous_min']:.1f}",
            f"{t['nameplate_Wh'] / t['volume_L']:.1f}",
            f"{t['mass_kg']:.1f}",
        ]
        for d, t in trays.items()
    ]
    head = ["Cell", "Tray", "kW continuous / peak", "min at continuous", "Wh/L", "kg"]
    return _section("48 V trays", _table(head, rows), "")


def _ups(store: Store, study: Study) -> str:
    systems = _full(store, study, "ups")
    if not systems:
        return ""
    parts = []
    for d, s in systems.items():
        compared = s.get("comparison") or [s]
        labels = [c["chemistry"] for c in compared]
        figures = (
            ("mass_kg", "Mass [t]", 1e-3),
            ("floor_area_m2", "Floor [m2]", 1.0),
            ("capex_usd", "Capex [k USD]", 1e-3),
        )
        traces = [
            {
                "type": "bar",
                "name": label,
                "x": labels,
                "y": [c[key] * scale for c in compared],
                "xaxis": f"x{i + 1}",
                "yaxis": f"y{i + 1}",
                "showlegend": False,
            }
            for i, (key, label, scale) in enumerate(figures)
        ]
        layout: dict[str, Any] = {
            "title": f"UPS battery: {_name(study, d)} and the comparison",
            "grid": {"rows": 1, "columns": 3, "pattern": "independent"},
        }
        for i, (_, label, _) in enumerate(figures):
            layout[f"yaxis{i + 1}"] = {"title": label}
        rows = [
            [
                c["chemistry"],
                c["cell"],
                f"{c['total_cells']:,}",
                f"{c['mass_kg'] / 1e3:.1f}",
                f"{c['floor_area_m2']:.1f}",
                f"{c['capex_usd'] / 1e3:,.0f}",
            ]
            for c in compared
        ]
        head = ["Chemistry", "Cell or block", "Cells", "t", "m2", "k USD"]
        parts.append(_table(head, rows) + _plot(f"ups-{d}", traces, layout))
    return _section("UPS", "".join(parts), "Constant-power sizing (natrium.apps.ups).")


def _sweep(store: Store, study: Study) -> str:
    if study.sweep is None:
        return ""
    table = sweep_table(store, study)
    if table.empty:
        return ""
    axes = [a for a in PARETO_AXES if a[0] in table]
    if len(axes) < 2:
        return ""
    (x, xs, xl), (y, ys, yl) = axes[0], axes[1]
    front = pareto_front(table, {x: xs, y: ys})
    traces = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "variants",
            "x": list(table[x]),
            "y": list(table[y]),
            "text": list(table.index),
            "marker": {"size": 7, "opacity": 0.6},
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Pareto front",
            "x": list(front.sort_values(x)[x]),
            "y": list(front.sort_values(x)[y]),
            "marker": {"size": 10},
        },
    ]
    layout = {"title": "Sweep", "xaxis": {"title": xl}, "yaxis": {"title": yl}}
    return _section(
        "Sweep",
        _plot("sweep", traces, layout),
        f"{len(table)} variants; {len(front)} on the front of {xl} and {yl}.",
    )


def _sources(store: Store, study: Study) -> str:
    frame = store.results(study=study.name)
    keys = sorted({k for cited in frame["citations"] for k in cited})
    items = "".join(
        f"<li>{html.escape(citations.format_reference(k))}</li>" for k in keys
    )
    return _section("Sources", f"<ol class='sources'>{items}</ol>", "")


# ------------------------------------------------------------------ helpers


def _section(title: str, content: str, note: str) -> str:
    note_html = f"<p class='note'>{html.escape(note)}</p>" if note else ""
    return f"<section><h2>{html.escape(title)}</h2>{note_html}{content}</section>"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    th = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _plot(
    name: str, traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]
) -> str:
    figure = json.dumps(
        {
            "data": list(traces),
            "layout": _titled({"height": 420, "colorway": _COLOURS, **layout}),
        },
        default=float,
    ).replace("</", "<\\/")
    return (
        f"<div class='plot' id='plot-{name}'></div>"
        f"<script>(function(){{var f={figure};"
        f"Plotly.newPlot('plot-{name}',f.data,f.layout,{{responsive:true}});}})();"
        "</script>"
    )


#: 24 distinguishable colours (Plotly's Dark24): a bill of materials has 16 rows.
_COLOURS = [
    "#2E91E5", "#E15F99", "#1CA71C", "#FB0D0D", "#DA16FF", "#222A2A", "#B68100",
    "#750D86", "#EB663B", "#511CFB", "#00A08B", "#FB00D1", "#FC0080", "#B2828D",
    "#6C7C32", "#778AAE", "#862A16", "#A777F1", "#620042", "#1616A7", "#DA60CA",
    "#6C4516", "#0D2A63", "#AF0038",
]  # fmt: skip


def _titled(layout: Mapping[str, Any]) -> dict[str, Any]:
    """Plotly's layout with every ``title`` as ``{"text": ...}`` (plotly.js 3
    ignores a bare string)."""
    out: dict[str, Any] = {}
    for key, value in layout.items():
        if key == "title" and isinstance(value, str):
            out[key] = {"text": value}
        elif isinstance(value, Mapping):
            out[key] = _titled(value)
        else:
            out[key] = value
    return out


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} - natrium</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.note {{ color: #555; font-size: 0.9em; }}
.plot {{ width: 100%; min-height: 420px; }}
.sources {{ font-size: 0.85em; }}
</style>
<script>{plotly}</script>
</head><body>
<h1>{title}</h1>
<p class="note">Study <b>{name}</b>, natrium {version}, written {when} from the
store {store}. Every figure is one call of natrium's public API; the sources
are at the end.</p>
{body}
</body></html>
"""
