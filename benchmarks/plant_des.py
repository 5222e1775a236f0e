"""One simulated year of a 1 GWh/yr sodium-ion cell line, against the static model.

The reference line (natrium/plant/data/cell_line.toml) is scaled with
``scale_line`` to the fewest machines that make 1 GWh/yr of its 89 Wh pouch
cell, then simulated for one operating year (7,680 h) after a warm-up in which
the empty line fills. Goal: under 30 s wall time.

Run: python benchmarks/plant_des.py [--gwh 1.0] [--warmup 600] [--seed 0]
"""

from __future__ import annotations

import argparse
import os

from natrium.plant.des import simulate_line
from natrium.plant.line import bottleneck, load_line, scale_line, static_throughput
from natrium.units import GWH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gwh", type=float, default=1.0, help="target GWh/yr")
    parser.add_argument("--warmup", type=float, default=600.0, help="warm-up [h]")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    ref = load_line()
    cells = args.gwh * GWH / ref.cell_energy
    line = scale_line(ref, cells)
    static = static_throughput(line)
    print(f"cores: {os.cpu_count()}")
    print(f"line: {line.name}; cell {ref.cell_energy / 3600:.1f} Wh")
    print(
        "machines: "
        + ", ".join(f"{s.key} {s.machines}" for s in line.steps)
        + f" (target {cells / 1e6:.2f} M cells/yr)"
    )
    result = simulate_line(line, warmup_hours=args.warmup, seed=args.seed)
    rate = result.events / result.wall_time_s
    print(
        f"simulated {result.hours:.0f} h after {result.warmup_hours:.0f} h warm-up, "
        f"seed {result.seed}"
    )
    print(f"wall time:        {result.wall_time_s:8.2f} s (goal < 30 s)")
    print(f"events:           {result.events:8d}")
    print(f"events per s:     {rate:8.0f}")
    print(
        f"good cells (DES):    {result.good_cells_per_year / 1e6:7.3f} M/yr  "
        f"= {result.gwh_per_year:.3f} GWh/yr; bottleneck {result.bottleneck}"
    )
    print(
        f"good cells (static): {static / 1e6:7.3f} M/yr  "
        f"= {static * ref.cell_energy / GWH:.3f} GWh/yr; "
        f"bottleneck {bottleneck(line)}"
    )
    print(f"DES / static:         {result.good_cells_per_year / static:7.4f}")


if __name__ == "__main__":
    main()
