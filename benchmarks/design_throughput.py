"""Designs per second: one vectorised call against a Python loop, same designs.

The designs are variants of the shipped Prussian white / hard carbon pouch
cell: random cathode loadings, porosities, N/P ratios and layer counts. The
loop evaluates a sample of the same designs one at a time through the same
vectorised core (scalar inputs), which is what a user without vectorisation
would write. Goal (issue 2): at least a million designs per second vectorised.

Run: python benchmarks/design_throughput.py [--designs 1000000] [--loop 2000]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from natrium.cell import compute_arrays
from natrium.io import load_example


def sample(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "cathode.areal_capacity": rng.uniform(1.5, 4.0, n) * 36000.0,  # mAh/cm2 -> C/m2
        "cathode.porosity": rng.uniform(0.25, 0.45, n),
        "anode.porosity": rng.uniform(0.25, 0.45, n),
        "cell.np_ratio": rng.uniform(1.02, 1.30, n),
        "geometry.cathode_layers": rng.integers(5, 60, n).astype(float),
    }


def best_of(repeats: int, func) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=int, default=1_000_000)
    parser.add_argument(
        "--loop",
        type=int,
        default=2_000,
        help="designs evaluated one by one for the baseline",
    )
    args = parser.parse_args()

    design = load_example("pw_hc_pouch")
    params = sample(args.designs)
    compute_arrays(design, {k: v[:10] for k, v in params.items()})  # warm caches

    vector_s = best_of(3, lambda: compute_arrays(design, params))
    loop_params = [
        {k: float(v[i]) for k, v in params.items()} for i in range(args.loop)
    ]

    def loop() -> None:
        for p in loop_params:
            compute_arrays(design, p)

    loop_s = best_of(1, loop)
    vector_rate = args.designs / vector_s
    loop_rate = args.loop / loop_s
    # Same answers: the loop's first designs against the vector result.
    vec = compute_arrays(design, {k: v[:50] for k, v in params.items()})
    for i in range(50):
        one = compute_arrays(design, {k: float(v[i]) for k, v in params.items()})
        assert np.isclose(one["energy"], vec["energy"][i], rtol=1e-12)

    print(f"cores: {os.cpu_count()} (one used: numpy vectorisation is single-threaded)")
    print(
        f"vectorised: {args.designs:,} designs in {vector_s:.3f} s "
        f"= {vector_rate:,.0f} designs/s"
    )
    print(
        f"python loop: {args.loop:,} designs in {loop_s:.3f} s "
        f"= {loop_rate:,.0f} designs/s"
    )
    print(f"ratio vectorised / loop: {vector_rate / loop_rate:,.0f}x")
    goal = 1_000_000
    verdict = "meets" if vector_rate >= goal else "MISSES"
    print(f"goal >= {goal:,} designs/s vectorised: {verdict}")


if __name__ == "__main__":
    main()
