"""A 200-variant DFN sweep through natrium against a plain PyBaMM loop.

The variants are the Chayambuka 2022 coin cell with 20 cathode porosities at
10 C-rates (0.1C to 2C). The baseline is what a PyBaMM user writes without
natrium: for each variant a new pybamm.Simulation of PyBaMM's sodium-ion
BasicDFN on PyBaMM's own Chayambuka2022 values (model built, parameters
processed, mesh and discretisation made) and one solve. natrium builds once
per geometry, passes porosity and current as input parameters, and shares the
solves among worker processes.

Goals (issue 13): natrium at least 10x faster than the loop with capacities
within 0.5 % of it; parallel efficiency on the machine's cores at least 85 %,
where efficiency = T(1 process) / (cores x T(all cores)).

Run: python benchmarks/sweep_vs_pybamm.py [--variants 200]
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pybamm

from natrium.io import read_design
from natrium.sim import get_parameter_set
from natrium.sim.sweep import sweep


def variants(n: int) -> dict[str, np.ndarray]:
    rates = np.geomspace(0.1, 2.0, 10)
    porosities = np.linspace(0.23, 0.33, max(n // rates.size, 1))
    grid_p, grid_c = np.meshgrid(porosities, rates, indexing="ij")
    return {"cathode.porosity": grid_p.ravel()[:n], "c_rate": grid_c.ravel()[:n]}


def pybamm_loop(table, currents) -> list[float]:
    """What a PyBaMM user writes without natrium: PyBaMM's own Chayambuka2022
    values and its sodium-ion DFN, the model rebuilt for every variant. The
    variant is the same cell: the cathode's porosity changed at its thickness
    with the solids' make-up kept (the active volume fraction scales with
    1 - porosity, as natrium's mass fractions make it) and the sodium the
    anode holds at the top of charge scaled with it (a cell's sodium comes
    from its cathode), discharged at the same current in amperes."""
    base = pybamm.ParameterValues("Chayambuka2022")
    porosity0 = base["Positive electrode porosity"]
    active0 = base["Positive electrode active material volume fraction"]
    sodium0 = base["Initial concentration in negative electrode [mol.m-3]"]
    capacities = []
    for porosity, current, c_rate in zip(
        table["cathode.porosity"], currents, table["c_rate"], strict=True
    ):
        pv = base.copy()
        pv["Positive electrode porosity"] = porosity
        share = (1 - porosity) / (1 - porosity0)
        pv["Positive electrode active material volume fraction"] = active0 * share
        pv["Initial concentration in negative electrode [mol.m-3]"] = sodium0 * share
        pv["Current function [A]"] = current
        sim = pybamm.Simulation(pybamm.sodium_ion.BasicDFN(), parameter_values=pv)
        sol = sim.solve([0.0, 1.5 * 3600.0 / c_rate])
        capacities.append(float(sol["Discharge capacity [A.h]"].entries[-1]))
    return capacities


STUDY = """\
[study]
name = "bench"
[designs]
cell = "{design}"
[parameter_sets]
cell = "chayambuka2022"
[sweep]
method = "latin-hypercube"
samples = {samples}
seed = 1
outputs = ["discharge"]
c_rate = "1 1/h"
[sweep.parameters]
"cathode.porosity" = ["0.23", "0.33"]
"""


def study_sweeps(samples: int, cores: int) -> dict[str, float]:
    """The same study sweep (DFN discharges into a results store) on one
    process, on the machine's cores and on a Dask cluster of as many workers
    on 127.0.0.1: the seconds each took."""
    import tempfile
    from pathlib import Path

    from distributed import LocalCluster

    from natrium.study import Store, read_study, run_sweep

    pset = get_parameter_set("chayambuka2022")
    times = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.toml"
        path.write_text(STUDY.format(design=pset.design_file, samples=samples))
        study = read_study(path)
        with LocalCluster(
            n_workers=cores,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            runs = {
                "1 process": {"workers": 1},
                f"{cores} processes": {"workers": cores},
                f"Dask, {cores} workers": {"scheduler": cluster.scheduler_address},
            }
            for label, options in runs.items():
                with Store(Path(folder) / f"{len(times)}.duckdb") as store:
                    start = time.perf_counter()
                    run_sweep(study, store, **options)
                    times[label] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=200)
    parser.add_argument("--study-variants", type=int, default=100)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    pset = get_parameter_set("chayambuka2022")
    design = read_design(pset.design_file)
    table = variants(args.variants)
    cores = os.cpu_count() or 1

    start = time.perf_counter()
    parallel = sweep(design, pset, table, processes=cores)
    t_parallel = time.perf_counter() - start

    start = time.perf_counter()
    serial = sweep(design, pset, table, processes=1)
    t_serial = time.perf_counter() - start

    currents = np.asarray(serial["bom_capacity_Ah"]) * np.asarray(serial["c_rate"])
    start = time.perf_counter()
    loop = pybamm_loop(table, currents)
    t_loop = time.perf_counter() - start

    # The same cell on natrium's bridge and on PyBaMM's own values and model.
    gap = max(
        np.max(np.abs(np.asarray(parallel["capacity_Ah"]) / loop - 1)),
        np.max(np.abs(np.asarray(serial["capacity_Ah"]) / loop - 1)),
    )
    efficiency = t_serial / (cores * t_parallel)
    n = len(loop)
    print(f"cores: {cores}; variants: {n} DFN constant-current discharges")
    each_ms = t_loop / n * 1e3
    print(f"plain PyBaMM loop (rebuild each): {t_loop:8.2f} s  ({each_ms:.0f} ms each)")
    print(f"natrium sweep, 1 process:         {t_serial:8.2f} s")
    print(f"natrium sweep, {cores} processes:       {t_parallel:8.2f} s")
    print(f"speed-up against the loop: {t_loop / t_parallel:.1f}x (goal >= 10x)")
    print(f"parallel efficiency: {efficiency:.0%} (goal >= 85 %)")
    print(f"largest capacity difference from the loop: {gap:.1e} (goal <= 5e-3)")
    times = study_sweeps(args.study_variants, cores)
    one = times["1 process"]
    print(f"study sweep of {args.study_variants} DFN discharges into a store:")
    for label, seconds in times.items():
        share = one / (cores * seconds) if label != "1 process" else 1.0
        print(f"  {label:22s} {seconds:7.2f} s  parallel efficiency {share:.0%}")
    print("  (goal: parallel efficiency >= 85 % on 2 workers, locally and on Dask)")


if __name__ == "__main__":
    main()
