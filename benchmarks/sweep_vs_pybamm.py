"""A 200-variant DFN sweep through natrium against a plain PyBaMM loop.

The variants are the Chayambuka 2022 coin cell with 20 cathode porosities at
10 C-rates (0.1C to 2C). The baseline is what a PyBaMM user writes without
natrium's sweep: for each variant, a new pybamm.Simulation (model built,
parameters processed, mesh and discretisation made) and one solve, with the
same parameter values from natrium's bridge. natrium builds once per
geometry, passes porosity and current as input parameters, and shares the
solves among worker processes.

Goals (issue 3): natrium at least 5x faster than the loop; parallel efficiency
on the machine's cores at least 80 %, where efficiency = T(1 process) /
(cores x T(all cores)).

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
from natrium.sim import get_parameter_set, to_pybamm
from natrium.sim.sweep import sweep, variant_design


def variants(n: int) -> dict[str, np.ndarray]:
    rates = np.geomspace(0.1, 2.0, 10)
    porosities = np.linspace(0.23, 0.33, max(n // rates.size, 1))
    grid_p, grid_c = np.meshgrid(porosities, rates, indexing="ij")
    return {"cathode.porosity": grid_p.ravel()[:n], "c_rate": grid_c.ravel()[:n]}


def pybamm_loop(design, pset, table) -> list[float]:
    capacities = []
    for porosity, c_rate in zip(
        table["cathode.porosity"], table["c_rate"], strict=True
    ):
        variant = variant_design(design, {"cathode.porosity": porosity})
        bridge = to_pybamm(variant, pset)
        pv = bridge.parameter_values
        pv["Current function [A]"] = c_rate * bridge.capacity_Ah
        sim = pybamm.Simulation(
            pybamm.lithium_ion.DFN(), parameter_values=pv, solver=pybamm.IDAKLUSolver()
        )
        sol = sim.solve([0.0, 1.5 * 3600.0 / c_rate])
        capacities.append(float(sol["Discharge capacity [A.h]"].entries[-1]))
    return capacities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=200)
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

    start = time.perf_counter()
    loop = pybamm_loop(design, pset, table)
    t_loop = time.perf_counter() - start

    # Input parameters and a fresh build differ at the solver's tolerance only.
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
    print(f"speed-up against the loop: {t_loop / t_parallel:.1f}x (goal >= 5x)")
    print(f"parallel efficiency: {efficiency:.0%} (goal >= 80 %)")
    print(f"largest capacity difference from the loop: {gap:.1e} (solver rtol 1e-6)")


if __name__ == "__main__":
    main()
