"""Latency of the HTTP API under a steady load, on loopback.

Starts `heelpath serve` on 127.0.0.1 (a free port, a throw-away database), then sends an
open-loop load: requests leave on a fixed schedule (``--rate`` a second for ``--seconds``)
whether or not earlier ones have come back, so a slow server cannot slow the load down and hide
its own queueing. Latency is measured from each request's *scheduled* time to the end of its
response; the server's resident memory (all its processes) is printed before and after. The bodies rotate through the bundled example cases (POST /api/assess) and through the
states of simulated interviews, first screen to last (POST /api/interview/step).

Run: .venv/bin/python benchmarks/api_latency.py [--rate 200] [--seconds 10] [--workers 1]

Bounded: at most rate x seconds requests per endpoint, at most --max-in-flight at once (requests
that would exceed it are counted as not sent), loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from heelpath.examples import example_paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assess_bodies() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in example_paths()]


def interview_bodies(limit: int = 40) -> list[dict[str, Any]]:
    """The state sent at each step of a few simulated interviews (lay and clinician)."""
    import heelpath

    step = heelpath.load().step

    starts = [
        {"mode": "lay", "age": 46, "sex": "female", "side": "right",
         "answers": {"pain_under_heel": True, "first_step_pain": True}},
        {"mode": "lay", "age": 52, "sex": "male", "side": "left", "answers": {}},
        {"mode": "clinician", "age": 47, "sex": "male", "side": "left",
         "answers": {"leg_pain_radiating_below_knee": True}},
    ]
    states: list[dict[str, Any]] = []
    for start in starts:
        state = json.loads(json.dumps(start))
        for _ in range(limit):
            states.append(json.loads(json.dumps(state)))
            result = step(state).to_json()
            if result["done"]:
                break
            for question in result["next_questions"]:
                state["answers"][question["id"]] = False if question["type"] == "boolean" else "unknown"
    return states


async def load(url: str, path: str, bodies: list[dict[str, Any]], rate: float, seconds: float,
               max_in_flight: int) -> dict[str, Any]:
    total = int(rate * seconds)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    not_sent = 0
    in_flight = 0
    limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)
    # TCP_NODELAY: send each request at once rather than wait for the server's delayed ACK (Nagle)
    transport = httpx.AsyncHTTPTransport(limits=limits, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=60.0, transport=transport) as client:
        for body in bodies[:20]:  # warm up: first requests load and compile
            await client.post(path, json=body)

        async def one(i: int, scheduled: float) -> None:
            nonlocal in_flight
            in_flight += 1
            try:
                response = await client.post(path, json=bodies[i % len(bodies)])
                if response.status_code != 200:
                    errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
                else:
                    latencies.append(time.perf_counter() - scheduled)
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            finally:
                in_flight -= 1

        tasks = []
        start = time.perf_counter() + 0.05
        for i in range(total):
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if in_flight >= max_in_flight:
                not_sent += 1
                continue
            tasks.append(asyncio.create_task(one(i, scheduled)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    return {"path": path, "requests": total, "ok": len(latencies), "errors": errors, "not_sent": not_sent,
            "achieved_rps": len(latencies) / elapsed, "latencies": latencies}


def server_rss_mb(pid: int) -> float:
    """Resident memory of the server process and its worker processes, in MB (Linux /proc)."""
    pids, total = [pid], 0
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(stats: dict[str, Any], rate: float) -> str:
    lat = [v * 1000 for v in stats["latencies"]]
    if not lat:
        return f"{stats['path']:<22} no successful requests; errors {stats['errors']}"
    line = (f"{stats['path']:<22} target {rate:>5.0f}/s  achieved {stats['achieved_rps']:>6.1f}/s  "
            f"ok {stats['ok']:>5}  median {statistics.median(lat):7.2f} ms  p90 {percentile(lat, 0.9):7.2f} ms  "
            f"p99 {percentile(lat, 0.99):8.2f} ms  max {max(lat):8.2f} ms")
    if stats["errors"] or stats["not_sent"]:
        line += f"  errors {stats['errors']}  not sent (saturated) {stats['not_sent']}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests a second per endpoint")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each endpoint's load")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--max-in-flight", type=int, default=200)
    parser.add_argument("--endpoints", default="assess,interview",
                        help="comma-separated: assess, interview")
    args = parser.parse_args()
    if args.rate * args.seconds > 20000:
        parser.error("bounded load: rate x seconds must be at most 20000 requests")

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="heelpath-bench-") as folder, \
            open(Path(folder) / "server.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "heelpath", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--db", str(Path(folder) / "bench.sqlite3"), "--log-level", "warning",
             "--workers", str(args.workers)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{url}/api/health", trust_env=False, timeout=1.0).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                sys.exit("the server did not start: " + (Path(folder) / "server.log").read_text()[-2000:])
            print(f"server: heelpath serve on {url}, {args.workers} worker(s), {os.cpu_count()} CPU(s); "
                  f"load: {args.rate:g} requests/s for {args.seconds:g} s per endpoint, open loop")
            print(f"server memory before the load: {server_rss_mb(server.pid):.0f} MB", flush=True)
            plan = {"assess": ("/api/assess", assess_bodies), "interview": ("/api/interview/step", interview_bodies)}
            for name in args.endpoints.split(","):
                path, make = plan[name.strip()]
                bodies = make()
                stats = asyncio.run(load(url, path, bodies, args.rate, args.seconds, args.max_in_flight))
                print(report(stats, args.rate), flush=True)
            print(f"server memory after the load: {server_rss_mb(server.pid):.0f} MB", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
