#!/usr/bin/env python3
"""Regenerate natrium's open-circuit-potential (OCP) tables.

Writes src/natrium/materials/data/ocp/<key>.csv for

* closed-form OCP functions evaluated with numpy (lfp, nmc811, graphite);
* MSMR-constructed curves (prussian-white, mn-prussian-white, nfm111, nvp, nfpp);
* the two copied Chayambuka 2022 digitised tables (nvpf, hard-carbon), *if* the
  shared reference copies exist (path REF_DIR below). Their processing is
  deterministic: original points kept, linear-interpolation points inserted (this
  leaves PyBaMM's default linear interpolant unchanged), and a running minimum
  applied so the potential is non-increasing (changes listed in the file header).

Every parameter below carries its citation key (see src/natrium/citations/ocp.toml).
Stoichiometry x = fraction of the host's maximum Na (Li) content *for the reaction
considered*; x = 1 is the fully sodiated (lithiated) state, so U falls as x rises.

MSMR (multi-species, multi-reaction) model, Verbrugge et al., J. Electrochem. Soc.
164 (2017) E3243 [Verbrugge2017]:
    x(U) = sum_j X_j / (1 + exp(F (U - U0_j) / (omega_j R T)))
x(U) is strictly decreasing, so U(x) is obtained by inverting on a dense U grid.

Run:  python tools/make_ocp_tables.py        (from the repository root)
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "natrium" / "materials" / "data" / "ocp"
REF_DIR = Path(
    os.environ.get("NATRIUM_REF_DIR", "/work/shared/reference/naion_params/csv")
)

F = 96485.33212  # C/mol
R = 8.314462618  # J/(mol K)
T = 298.15  # K
f = F / (R * T)

# --------------------------------------------------------------------------------------
# MSMR parameter sets. Each component: (U0_j [V], X_j [-], omega_j [-], provenance).
# X_j sum to 1 over the host range. "SOURCED" = from the cited paper/review statement;
# "CHECK" = set/fitted against the mean of charge and discharge curves of a public
# half-cell data set (stanford-developers/steer-opencell-data, local_data/active_materials/
# cathode/*.csv; provenance of the measurements is not stated there, so it is used as a
# cross-check only, not as a citation); "ASSUMPTION" = no source.
# --------------------------------------------------------------------------------------
MSMR = {
    "prussian-white": dict(
        title="Prussian white Na2Fe[Fe(CN)6] (rhombohedral, anhydrous) OCP",
        ref_electrode="Na/Na+",
        sources=["Wang2015", "Verbrugge2017"],
        comps=[
            # two Fe redox plateaus, one Na each -> X = 0.46 + 0.46 (+ tails); near 3.0 and 3.3 V
            (
                3.28,
                0.46,
                0.6,
                "upper plateau ~3.3 V [Wang2015, not verified in text]; 3.27 V midpoint in CHECK data; omega ASSUMPTION",
            ),
            (
                3.02,
                0.46,
                0.6,
                "lower plateau ~3.0 V [Wang2015, not verified in text]; 3.02 V midpoint in CHECK data; omega ASSUMPTION",
            ),
            (3.55, 0.04, 3.0, "high-voltage sloping tail, ASSUMPTION"),
            (2.70, 0.04, 3.0, "low-voltage sloping tail, ASSUMPTION"),
        ],
        window=("cathode", 0.04, 0.95),
        window_note="span 0.91 x 170.8 mAh/g = 155 mAh/g (practical 150-160 mAh/g, materials.csv/Altris); "
        "x<=0.95 because commercial PW is delivered as Na(x>1.9) of 2 (Altris via GCC 2022)",
        extra=[
            "x = n/2 for Na_nFe[Fe(CN)6]; theoretical 170.8 mAh/g for 2 Na (anhydrous)."
        ],
    ),
    "mn-prussian-white": dict(
        title="Mn Prussian white Na2Mn[Fe(CN)6] (dehydrated, rhombohedral) OCP",
        ref_electrode="Na/Na+",
        sources=["Song2015", "Wu2017", "Verbrugge2017"],
        comps=[
            (
                3.50,
                0.84,
                0.5,
                "single main plateau at 3.5 V [Song2015 abstract]; Fe and Mn redox merge in the anhydrous phase [Wu2017 abstract]; omega ASSUMPTION",
            ),
            (3.78, 0.08, 2.0, "high-voltage sloping end, ASSUMPTION"),
            (3.22, 0.08, 2.0, "low-voltage sloping end, ASSUMPTION"),
        ],
        window=("cathode", 0.06, 0.94),
        window_note="span 0.88 x 171.3 mAh/g = 151 mAh/g, i.e. the 150 mAh/g half-cell capacity of Song2015 "
        "(140 mAh/g in their HC full cell); ends placed symmetrically (ASSUMPTION)",
        extra=["x = n/2 for Na_nMn[Fe(CN)6]; theoretical 171.3 mAh/g for 2 Na."],
    ),
    "copper-hexacyanoferrate": dict(
        title="Copper hexacyanoferrate Na2Cu[Fe(CN)6] (CuHCF, Natron-type PBA cathode) OCP",
        ref_electrode="Na/Na+",
        sources=["Wessells2011", "Verbrugge2017"],
        comps=[
            (
                3.66,
                0.90,
                2.0,
                "one Fe(II)/Fe(III) plateau at ~0.95 V vs SHE = 3.66 V vs Na/Na+ [Wessells2011, body text, "
                "not verified]; omega 2.0 gives the ~0.25 V slope over 10-90 % estimated for CuHCF, ASSUMPTION",
            ),
            (3.95, 0.05, 3.0, "high-voltage sloping end, ASSUMPTION"),
            (3.35, 0.05, 3.0, "low-voltage sloping end, ASSUMPTION"),
        ],
        window=("cathode", 0.05, 0.95),
        window_note="ends placed symmetrically inside the tails (ASSUMPTION); the practical capacity "
        "(60 mAh/g, of a hydrated, defective CuHCF) is what the window holds",
        extra=[
            "x = n - 1 for Na_nCu[Fe(CN)6], between NaCu[Fe(III)(CN)6] (x = 0) and Na2Cu[Fe(II)(CN)6] "
            "(x = 1); theoretical 83.4 mAh/g on the sodiated formula (anhydrous, no vacancies).",
            "No CuHCF OCP curve is published in a form that could be read: the curve is constructed "
            "from its reported plateau potential; refit when a curve is digitised (Wessells 2011, Firouzi 2018).",
        ],
    ),
    "manganese-hexacyanomanganate": dict(
        title="Manganese hexacyanomanganate Na2Mn[Mn(CN)6] (MnHCMn, Natron-type PBA anode) OCP",
        ref_electrode="Na/Na+",
        sources=["Pasta2014", "Firouzi2018", "Verbrugge2017"],
        comps=[
            (
                1.95,
                0.90,
                2.0,
                "one Mn(I)/Mn(II) plateau (C-bound Mn; Pasta2014, Firouzi2018) at ~1.8-2.1 V vs Na/Na+: "
                "1.95 V midpoint, an estimate (not read from a figure); omega ASSUMPTION as CuHCF",
            ),
            (2.25, 0.05, 3.0, "high-voltage sloping end, ASSUMPTION"),
            (1.65, 0.05, 3.0, "low-voltage sloping end, ASSUMPTION"),
        ],
        window=("anode", 0.05, 0.95),
        window_note="ends placed symmetrically inside the tails (ASSUMPTION); the practical capacity "
        "(70 mAh/g estimate) is what the window holds",
        extra=[
            "x = n - 2 for Na_nMn[Mn(CN)6] between Na2 (Mn(II), empty as an anode) and Na3 (Mn(I), full); "
            "theoretical 85.9 mAh/g for that 1 Na.",
            "No MnHCMn OCP curve was found; constructed from the reported redox couple.",
        ],
    ),
    "nfm111": dict(
        title="O3 NaNi1/3Fe1/3Mn1/3O2 (NFM111) OCP",
        ref_electrode="Na/Na+",
        sources=["Kim2012", "Verbrugge2017"],
        comps=[
            # least-squares fit (max residual 0.026 V) to the mean of the charge/discharge midpoint curves of
            # two CHECK data sets (NFM111 Vendor A and Vendor B, first cycle, 2.0-4.0 V, 125-127 mAh/g),
            # 13 points for 0.46<x<0.98; the two vendors' midpoint means differ by ~0.09 V (3.23 vs 3.14 V).
            (2.87, 0.15, 1.03, "CHECK fit (O3 region / O3-P3 onset, ~2.8-3.0 V)"),
            (3.05, 0.12, 2.34, "CHECK fit (~3.0-3.1 V region)"),
            (3.53, 0.21, 5.51, "CHECK fit (sloping P3 region)"),
            (
                4.37,
                0.49,
                6.0,
                "CHECK fit; x<0.47 lies above 4.0 V, outside the window (ASSUMPTION beyond data)",
            ),
            (2.20, 0.03, 2.0, "low-voltage tail (x>0.98), ASSUMPTION"),
        ],
        window=("cathode", 0.47, 0.97),
        xrange=(
            0.03,
            0.998,
        ),  # below x~0.03 the extrapolated curve exceeds 5 V; not tabulated
        window_note="span 0.50 x 240.4 mAh/g = 120 mAh/g, the ~120-130 mAh/g reported for 2.0-4.0 V "
        "(Kim2012 per materials.csv, not verified; 125 mAh/g in CHECK data); params.md suggests 0.45-0.95",
        extra=[
            "x = n for Na_n[Ni1/3Fe1/3Mn1/3]O2; theoretical 240.4 mAh/g for 1 Na.",
            "No plateau potentials could be read from Kim2012 here: the shape is a fit to the CHECK data, "
            "which is a pseudo-OCV (mean of charge and discharge at an unstated rate).",
        ],
    ),
    "nvp": dict(
        title="NASICON Na3V2(PO4)3 (NVP) OCP, V3+/V4+ couple",
        ref_electrode="Na/Na+",
        sources=["Zeng2020", "Verbrugge2017"],
        comps=[
            (
                3.38,
                0.92,
                0.15,
                "two-phase plateau ~3.4 V (Na3V2(PO4)3 <-> NaV2(PO4)3) [Zeng2020]; 3.375 V = midpoint of 3.40 V charge / 3.35 V discharge in CHECK data; omega ASSUMPTION (flat two-phase, cf. graphite stage omegas ~0.08 in Verbrugge2017)",
            ),
            (3.75, 0.04, 3.0, "high-voltage tail, ASSUMPTION"),
            (3.05, 0.04, 3.0, "low-voltage tail, ASSUMPTION"),
        ],
        window=("cathode", 0.05, 0.95),
        window_note="span 0.90 x 117.6 mAh/g = 106 mAh/g (practical ~100-110 mAh/g; 104-106 mAh/g in CHECK data); "
        "ends placed symmetrically (ASSUMPTION)",
        extra=[
            "x = (n-1)/2 for Na_nV2(PO4)3, i.e. x=1 <-> Na3V2(PO4)3, x=0 <-> NaV2(PO4)3 (117.6 mAh/g).",
            "The V2+/V3+ reaction at ~1.4 V (Na3->Na4, extra ~60 mAh/g) is NOT included.",
        ],
    ),
    "nfpp": dict(
        title="Na4Fe3(PO4)2P2O7 (NFPP) OCP",
        ref_electrode="Na/Na+",
        sources=["Kim2012b", "Kim2013", "Verbrugge2017"],
        comps=[
            (
                3.215,
                0.26,
                0.4,
                "upper step ~3.2 V: CHECK data midpoint 3.215 V; Kim2012b reports ~3.2 V operation (not verified in text)",
            ),
            (
                3.07,
                0.34,
                2.5,
                "sloping middle region: CHECK data midpoint ~3.0-3.15 V; ASSUMPTION on omega",
            ),
            (2.91, 0.32, 0.4, "lower step ~2.9 V: CHECK data midpoint 2.91 V"),
            (3.60, 0.04, 3.0, "high-voltage tail, ASSUMPTION"),
            (2.55, 0.04, 3.0, "low-voltage tail, ASSUMPTION"),
        ],
        window=("cathode", 0.05, 0.93),
        window_note="span 0.88 x 129.0 mAh/g = 114 mAh/g (110-127 mAh/g reported: JMCA 2025 d4ta07198k, Chem Mater-type 2022 "
        "per materials.csv; 117 mAh/g in CHECK data); ends ASSUMPTION",
        extra=[
            "x = (n-1)/3 for Na_nFe3(PO4)2P2O7, x=1 <-> Na4 (129.0 mAh/g for 3 Na).",
            "Kim2013 (Chem. Mater.) describes the single-phase (solid-solution) mechanism; step potentials and "
            "capacity fractions here come from the CHECK data, not from the papers' figures.",
        ],
    ),
}

# --------------------------------------------------------------------------------------
# Closed forms (evaluated with numpy)
# --------------------------------------------------------------------------------------


def lfp_afshar2017(x):
    """LFP OCP used by PyBaMM's Prada2013 set (LFP_ocp_Afshar2017): Afshar, Morris &
    Khajepour, arXiv:1709.03970 (2017). Prada2013 itself gives no OCP."""
    return 3.4077 - 0.020269 * x + 0.5 * np.exp(-150 * x) - 0.9 * np.exp(-30 * (1 - x))


def nmc811_chen2020(x):
    """LG M50 NMC811 OCP fit, Chen et al., J. Electrochem. Soc. 167 (2020) 080534
    (PyBaMM nmc_LGM50_ocp_Chen2020)."""
    return (
        -0.8090 * x
        + 4.4875
        - 0.0428 * np.tanh(18.5138 * (x - 0.5542))
        - 17.7326 * np.tanh(15.7890 * (x - 0.3117))
        + 17.5842 * np.tanh(15.9308 * (x - 0.3120))
    )


def graphite_chen2020(x):
    """LG M50 graphite(-SiOx) OCP fit, Chen et al. 2020 (PyBaMM graphite_LGM50_ocp_Chen2020)."""
    return (
        1.9793 * np.exp(-39.3631 * x)
        + 0.2482
        - 0.0909 * np.tanh(29.8538 * (x - 0.1234))
        - 0.04478 * np.tanh(14.9159 * (x - 0.2769))
        - 0.0205 * np.tanh(30.4444 * (x - 0.6103))
    )


CLOSED = {
    "lfp": dict(
        title="LiFePO4 (LFP) OCP",
        ref_electrode="Li/Li+",
        func=lfp_afshar2017,
        sources=["Afshar2017", "Prada2013"],
        how="closed form evaluated with numpy: U = 3.4077 - 0.020269 x + 0.5 exp(-150 x) - 0.9 exp(-30 (1-x)); "
        "this is PyBaMM's LFP_ocp_Afshar2017, the OCP of its Prada2013 parameter set (Prada2013 gives no OCP)",
        window=("cathode", 0.02, 0.96),
        window_note="span 0.94 x 169.9 mAh/g = 160 mAh/g (BotB practical value in materials.csv); "
        "PyBaMM's Prada2013 cell (2.0-3.6 V, anode-limited) uses only 0.004-0.70",
        xrange=(0.0, 1.0),
    ),
    "nmc811": dict(
        title="LiNi0.8Mn0.1Co0.1O2 (NMC811, LG M50) OCP",
        ref_electrode="Li/Li+",
        func=nmc811_chen2020,
        sources=["Chen2020"],
        how="closed form evaluated with numpy: Chen2020 Eq. for U_p (PyBaMM nmc_LGM50_ocp_Chen2020); fit was made "
        "over the measured range (about 0.26-0.91), values outside are extrapolated",
        window=("cathode", 0.264, 0.98),
        window_note="charged end from PyBaMM 26.10 ElectrodeSOH on the Chen2020 LG M50 set at 4.2 V (y100=0.264); "
        "discharged end 0.98 for the material (near-full lithiation at ~3.5 V in this fit), not the "
        "cell's 0.854, which is set by the graphite emptying at 2.5 V",
        xrange=(0.0, 1.0),
    ),
    "graphite": dict(
        title="graphite (LG M50 graphite-SiOx) OCP",
        ref_electrode="Li/Li+",
        func=graphite_chen2020,
        sources=["Chen2020"],
        how="closed form evaluated with numpy: Chen2020 Eq. for U_n (PyBaMM graphite_LGM50_ocp_Chen2020)",
        window=("anode", 0.026, 0.911),
        window_note="PyBaMM 26.10 ElectrodeSOH on the Chen2020 LG M50 set, 2.5-4.2 V: x0=0.026, x100=0.911",
        xrange=(0.0, 1.0),
    ),
}

# --------------------------------------------------------------------------------------
# Copied digitised tables
# --------------------------------------------------------------------------------------
COPIED = {
    "nvpf": dict(
        title="Na3V2(PO4)2F3 (NVPF) OCP",
        ref_electrode="Na/Na+",
        file="nvpf_ocp_vs_sto_Chayambuka2022.csv",
        sources=["Chayambuka2022", "Chayambuka2022a"],
        how="digitised table copied from PyBaMM Chayambuka2022 U_p.csv (pybamm-team/PyBaMM @7c9f5bd8, via "
        "/work/shared/reference/naion_params/csv); 27 original points kept, linear-interpolation points inserted",
        window=("cathode", 0.21, 0.955),
        window_note="PyBaMM 26.10 ElectrodeSOH on the Chayambuka2022 NVPF/HC cell, 2.0-4.2 V: y100=0.210, y0=0.955 "
        "(0.745 x 128.3 mAh/g = 96 mAh/g)",
        extra=[
            "x=1 <-> Na3V2(PO4)2F3, c_max 15320 mol/m3 ~ 128 mAh/g (2 Na). Table starts at x=0.21 (the source has no "
            "points below; 4.29 V there) - not extrapolated."
        ],
    ),
    "hard-carbon": dict(
        title="hard carbon OCP (sloping region + low-voltage plateau)",
        ref_electrode="Na/Na+",
        file="hc_ocp_vs_sto_Chayambuka2022.csv",
        sources=["Chayambuka2022", "Chayambuka2022a"],
        how="digitised EMF table copied from PyBaMM Chayambuka2022 U_n.csv (pybamm-team/PyBaMM @7c9f5bd8, via "
        "/work/shared/reference/naion_params/csv); 20 original points kept, linear-interpolation points inserted",
        window=("anode", 0.0015, 0.938),
        window_note="PyBaMM 26.10 ElectrodeSOH on the Chayambuka2022 cell, 2.0-4.2 V: x100=0.938; x0=0.0008 lies "
        "below the table (extrapolated), so the table start 0.0015 is used",
        extra=[
            "x normalised to Chayambuka's c_max = 14540 mol/m3 (not to a practical 300-350 mAh/g HC).",
            "Single EMF branch, no hysteresis.",
        ],
    ),
}

# --------------------------------------------------------------------------------------


def msmr_curve(comps, x_lo=0.002, x_hi=0.998, n_fine=200001):
    """Return a fine (x, U) grid with x increasing, U decreasing, by inverting x(U)."""
    U = np.linspace(0.5, 6.5, n_fine)
    x = np.zeros_like(U)
    for U0, X, w, *_ in comps:
        x += X / (1.0 + np.exp(np.clip(f * (U - U0) / w, -700, 700)))
    # x decreasing in U -> reverse so x increasing
    x, U = x[::-1], U[::-1]
    keep = np.concatenate([[True], np.diff(x) > 1e-15])
    x, U = x[keep], U[keep]
    xg = np.linspace(x_lo, x_hi, 20001)
    return xg, np.interp(xg, x, U)


def pick_rows(xf, Uf, n=160, u_scale=None):
    """Choose ~n points equally spaced in arc length of (x, U/u_scale), plus a uniform grid."""
    if u_scale is None:
        u_scale = max(Uf.max() - Uf.min(), 1e-6)
    s = np.concatenate([[0], np.cumsum(np.hypot(np.diff(xf), np.diff(Uf) / u_scale))])
    idx_arc = np.searchsorted(s, np.linspace(0, s[-1], n // 2))
    idx_uni = np.searchsorted(xf, np.linspace(xf[0], xf[-1], n // 2))
    idx = np.unique(
        np.clip(np.concatenate([idx_arc, idx_uni, [0, len(xf) - 1]]), 0, len(xf) - 1)
    )
    return xf[idx], Uf[idx]


def window_mean(x, U, a, b, n=200001):
    xx = np.linspace(a, b, n)
    uu = np.interp(xx, x, U)
    return np.trapezoid(uu, xx) / (b - a)


def write_table(key, header_lines, x, U):
    x = np.asarray(x, float)
    U = np.asarray(U, float)
    assert np.all(np.diff(x) > 0), key
    assert np.all(np.diff(U) <= 0), key
    assert np.all(np.isfinite(U)), key
    path = OUT / f"{key}.csv"
    with open(path, "w") as fh:
        fh.write("stoichiometry,ocp_V\n")
        for line in header_lines:
            fh.write(f"# {line}\n")
        for xi, ui in zip(x, U, strict=True):
            fh.write(f"{xi:.6f},{ui:.6f}\n")
    return path


def window_lines(kind, a, b, note):
    if kind == "cathode":
        return [
            f"window: x_charged={a} x_discharged={b}",
            f"window source/reasoning: {note}",
        ]
    return [f"window: x_empty={a} x_full={b}", f"window source/reasoning: {note}"]


def build_msmr(key, d):
    xf, Uf = msmr_curve(d["comps"], *d.get("xrange", (0.002, 0.998)))
    x, U = pick_rows(xf, Uf, n=170, u_scale=0.5)
    kind, a, b = d["window"]
    mean = window_mean(x, U, a, b)
    comp_txt = "; ".join(
        f"(U0={c[0]} V, X={c[1]}, omega={c[2]}: {c[3]})" for c in d["comps"]
    )
    lines = [
        f"{d['title']}; CONSTRUCTED curve, not measured data",
        f"reference electrode: {d['ref_electrode']}",
        *[f"source: {s}" for s in d["sources"]],
        "method: MSMR constructed (Verbrugge2017 form x = sum_j X_j/(1+exp(F(U-U0_j)/(omega_j R T))), T=298.15 K) "
        "with parameters in tools/make_ocp_tables.py",
        f"MSMR parameters: {comp_txt}",
        "CHECK = public half-cell data stanford-developers/steer-opencell-data (local_data/active_materials/cathode, "
        "measurement provenance not stated; used only to set/check values)",
        *d.get("extra", []),
        *window_lines(kind, a, b, d["window_note"]),
        f"mean OCP over window (trapezoid): {mean:.3f} V",
    ]
    write_table(key, lines, x, U)
    return mean


def build_closed(key, d):
    lo, hi = d["xrange"]
    xf = np.linspace(lo, hi, 20001)
    Uf = d["func"](xf)
    x, U = pick_rows(xf, Uf, n=170, u_scale=0.3)
    kind, a, b = d["window"]
    mean = window_mean(xf, Uf, a, b)
    lines = [
        d["title"],
        f"reference electrode: {d['ref_electrode']}",
        *[f"source: {s}" for s in d["sources"]],
        f"method: {d['how']}",
        *window_lines(kind, a, b, d["window_note"]),
        f"mean OCP over window (trapezoid, on the closed form): {mean:.3f} V",
    ]
    write_table(key, lines, x, U)
    return mean


def build_copied(key, d):
    src = REF_DIR / d["file"]
    if not src.exists():
        print(f"skip {key}: {src} not found (table kept as is)")
        return None
    raw = np.genfromtxt(src, delimiter=",", comments="#", skip_header=1)
    x0, U0 = raw[:, 0], raw[:, 1]
    order = np.argsort(x0)
    x0, U0 = x0[order], U0[order]
    assert np.all(np.diff(x0) > 0)
    Umono = np.minimum.accumulate(U0)
    changed = [
        (xi, ui, um) for xi, ui, um in zip(x0, U0, Umono, strict=True) if um != ui
    ]
    # insert linear-interpolation points so that there are >= 4 points per segment and >= 100 rows
    xs, us = [], []
    for i in range(len(x0) - 1):
        k = max(4, int(np.ceil((x0[i + 1] - x0[i]) / 0.01)))
        t = np.linspace(0, 1, k, endpoint=False)
        xs.append(x0[i] + t * (x0[i + 1] - x0[i]))
        us.append(Umono[i] + t * (Umono[i + 1] - Umono[i]))
    xs.append([x0[-1]])
    us.append([Umono[-1]])
    x, U = np.concatenate(xs), np.concatenate(us)
    kind, a, b = d["window"]
    mean = window_mean(x, U, a, b)
    fix = (
        "; ".join(f"x={xi:.6f}: {ui:.6f} -> {um:.6f} V" for xi, ui, um in changed)
        if changed
        else "none"
    )
    lines = [
        d["title"],
        f"reference electrode: {d['ref_electrode']}",
        *[f"source: {s}" for s in d["sources"]],
        f"method: {d['how']}",
        f"monotonicity fix (running minimum over the original points, source is non-monotone there): {fix}",
        *d.get("extra", []),
        *window_lines(kind, a, b, d["window_note"]),
        f"mean OCP over window (trapezoid): {mean:.3f} V",
    ]
    write_table(key, lines, x, U)
    return mean


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for key, d in MSMR.items():
        print(f"{key:18s} MSMR    mean {build_msmr(key, d):.3f} V")
    for key, d in CLOSED.items():
        print(f"{key:18s} closed  mean {build_closed(key, d):.3f} V")
    for key, d in COPIED.items():
        m = build_copied(key, d)
        print(
            f"{key:18s} copied  mean {m:.3f} V"
            if m is not None
            else f"{key:18s} copied  skipped"
        )


if __name__ == "__main__":
    main()
