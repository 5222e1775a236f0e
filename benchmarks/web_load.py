"""50 concurrent clients against natrium serve's /api/datasheet on 127.0.0.1.

Each client is a thread with its own keep-alive connection that posts a
datasheet request, waits for the answer and posts the next, for 30 s. The
requests are what the page sends while a user moves its sliders: one of the
shipped designs with its cathode porosity at one of 16 slider positions, so
the server sees each design both for the first time and again.

Goal (issue 14): no errors, p99 latency under 100 ms.

Run: python benchmarks/web_load.py [--clients 50] [--seconds 30]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import numpy as np

DESIGNS = ("pw_hc_pouch", "nfm_hc_18650", "lfp_graphite_prismatic")
POROSITIES = [round(0.25 + 0.01 * i, 2) for i in range(16)]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client(port: int, stop: float, seed: int, out: list, errors: list) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < stop:
        body = json.dumps(
            {
                "example": rng.choice(DESIGNS),
                "changes": {"cathode.porosity": rng.choice(POROSITIES)},
            }
        )
        start = time.perf_counter()
        try:
            connection.request(
                "POST", "/api/datasheet", body, {"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except OSError as err:
            errors.append(repr(err))
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out.append(time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "natrium", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json")
                break
            except OSError:
                time.sleep(0.1)
        # one design seen for the first time, alone: the uncached cost
        single: list[float] = []
        _client(port, time.perf_counter() + 0.01, 99, single, [])
        latencies: list[float] = []
        errors: list = []
        stop = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(
                target=_client, args=(port, stop, i, latencies, errors), daemon=True
            )
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=10)
    ms = np.asarray(latencies) * 1e3
    print(
        f"{args.clients} clients, {args.seconds:.0f} s, 127.0.0.1: {len(ms)} requests"
    )
    print(f"errors: {len(errors)} {errors[:3]}")
    print(f"first request of a new design, alone: {single[0] * 1e3:.1f} ms")
    print(
        f"latency ms: p50 {np.percentile(ms, 50):.1f}  p90 {np.percentile(ms, 90):.1f}"
        f"  p99 {np.percentile(ms, 99):.1f}  max {ms.max():.1f}  (goal p99 < 100)"
    )
    print(f"throughput: {len(ms) / args.seconds:.0f} requests/s")


if __name__ == "__main__":
    main()
