"""Issue 13's HTTP benchmark: a Strata service against the bare floor, one worker each.

Run by `nox -s bench` (not part of the default run) inside a rendered PostgreSQL + JWT
project, with that project's environment: `python http_load.py <server-url> <api-prefix>`.
It creates a database of its own on the server, migrates it, seeds ITEMS items in
LOCATIONS locations, creates a user and logs in once. Then, one after the other, it
starts the service (`serve`, one worker) and the floor (floor_app.py: Starlette + asyncpg +
PyJWT under uvicorn, one worker) and drives each with the same load: GET an item by id
(random ids) and GET a page of 20 (random offsets in the first PAGES pages), at 32 and 64
connections. Every answer must be a 200; the table gives req/s, p50 and p99 for both and
Strata's share of the floor's req/s.

The load generator is wrk when it is installed (Debian: `apt-get install wrk`), else (or
with BENCH_CLIENT=python) a bounded Python client (httpx, one task per connection). Either
competes with the servers for the same cores: compare ratios from one run, not figures
across machines. BENCH_SECONDS sets each cell's length (10 s).
"""

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
from export_memory import command, free_port, running, scratch_database

ITEMS = 10_000
LOCATIONS = 10
PAGES = 50  # the list is read in its first PAGES pages of 20
CONNECTIONS = (32, 64)
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# BENCH_CLIENT=python uses the Python client even where wrk is installed.
WRK = shutil.which("wrk") if os.environ.get("BENCH_CLIENT", "wrk") == "wrk" else None
WARMUP_SECONDS = 2
PASSWORD = "benchmark-password-1"
FLOOR = Path(__file__).with_name("floor_app.py")
# wrk picks each request's path here: a random item, or a random page of the first PAGES.
WRK_SCRIPT = """
local prefix = os.getenv("BENCH_PREFIX")
local route = os.getenv("BENCH_ROUTE")
local items = tonumber(os.getenv("BENCH_ITEMS"))
local pages = tonumber(os.getenv("BENCH_PAGES"))
math.randomseed(os.time())
request = function()
  if route == "item" then
    return wrk.format("GET", prefix .. "/items/" .. math.random(1, items))
  end
  return wrk.format("GET", prefix .. "/items?limit=20&offset=" .. 20 * math.random(0, pages - 1))
end
"""


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def path(prefix: str, route: str, draw: int) -> str:
    if route == "item":
        return f"{prefix}/items/{draw % ITEMS + 1}"
    return f"{prefix}/items?limit=20&offset={20 * (draw % PAGES)}"


def milliseconds(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    if match is None:
        raise SystemExit(f"wrk printed a latency this cannot read: {value}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(
    base_url: str, prefix: str, route: str, connections: int, seconds: int, token: str
) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    env = os.environ | {
        "BENCH_PREFIX": prefix,
        "BENCH_ROUTE": route,
        "BENCH_ITEMS": str(ITEMS),
        "BENCH_PAGES": str(PAGES),
    }
    try:
        output = subprocess.run(
            [
                WRK,
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                # wrk's own 2 s would drop the slow tail from the percentiles as errors.
                "--timeout",
                "30s",
                "-s",
                script.name,
                "-H",
                f"Authorization: Bearer {token}",
                base_url,
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None or set(latency) != {"50", "99"}:
        raise SystemExit(f"wrk printed no rate or latency:\n{output}")
    return Result(
        requests_per_second=float(rate.group(1)),
        p50_ms=milliseconds(latency["50"]),
        p99_ms=milliseconds(latency["99"]),
        errors=errors,
    )


async def run_python(
    base_url: str, prefix: str, route: str, connections: int, seconds: int, token: str
) -> Result:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.perf_counter() + seconds

    async def connection(client: httpx.AsyncClient, number: int) -> None:
        nonlocal errors
        draw = number * 7919
        while time.perf_counter() < deadline:
            draw += 1
            started = time.perf_counter()
            response = await client.get(path(prefix, route, draw))
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200

    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, headers=headers, timeout=30
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(connection(client, n) for n in range(connections)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return Result(
        requests_per_second=len(ordered) / elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[int(0.99 * (len(ordered) - 1))] * 1000,
        errors=errors,
    )


async def load(
    base_url: str, prefix: str, route: str, connections: int, seconds: int, token: str
) -> Result:
    if WRK:
        return await asyncio.to_thread(
            run_wrk, base_url, prefix, route, connections, seconds, token
        )
    return await run_python(base_url, prefix, route, connections, seconds, token)


def locations_and_items(location_ids: list[int]) -> list[tuple[object, ...]]:
    return [
        (
            f"SKU-{n:08d}",
            f"Widget {n}",
            "A plain description",
            n % 500,
            Decimal("9.99"),
            location_ids[n % len(location_ids)],
        )
        for n in range(ITEMS)
    ]


async def seed(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        location_ids = [
            await connection.fetchval(
                "INSERT INTO locations (code, name) VALUES ($1, $2) RETURNING id",
                f"LOC-{n}",
                f"Location {n}",
            )
            for n in range(LOCATIONS)
        ]
        await connection.copy_records_to_table(
            "items",
            records=locations_and_items(location_ids),
            columns=["sku", "name", "description", "quantity", "unit_price", "location_id"],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def log_in(base_url: str, prefix: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post(
            f"{prefix}/auth/token", data={"username": email, "password": PASSWORD}
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


async def measure(base_url: str, prefix: str, token: str) -> dict[tuple[str, int], Result]:
    """Each route at each load, after a short warm-up of the route."""
    results: dict[tuple[str, int], Result] = {}
    for route in ("item", "list"):
        await load(base_url, prefix, route, CONNECTIONS[0], WARMUP_SECONDS, token)
        for connections in CONNECTIONS:
            result = await load(base_url, prefix, route, connections, SECONDS, token)
            if result.errors:
                # A non-200 answer or a request unanswered in 30 s: not a figure to report.
                raise SystemExit(f"{base_url}: {result.errors} failed {route} requests")
            results[route, connections] = result
    return results


def report(strata: dict[tuple[str, int], Result], floor: dict[tuple[str, int], Result]) -> None:
    generator = "wrk -t2" if WRK else "a Python client (httpx)"
    print(f"\nGET on PostgreSQL, one worker each, {SECONDS} s a cell, load by {generator}")
    header = (
        "route",
        "conns",
        "strata req/s",
        "p50 ms",
        "p99 ms",
        "floor req/s",
        "p50 ms",
        "p99 ms",
        "ratio",
    )
    print(" | ".join(f"{title:>12}" for title in header))
    for (route, connections), ours in strata.items():
        theirs = floor[route, connections]
        cells = (
            route,
            str(connections),
            f"{ours.requests_per_second:,.0f}",
            f"{ours.p50_ms:.1f}",
            f"{ours.p99_ms:.1f}",
            f"{theirs.requests_per_second:,.0f}",
            f"{theirs.p50_ms:.1f}",
            f"{theirs.p99_ms:.1f}",
            f"{ours.requests_per_second / theirs.requests_per_second:.2f}",
        )
        print(" | ".join(f"{cell:>12}" for cell in cells))


async def main(server_url: str, prefix: str) -> int:
    async with scratch_database(server_url, "bench_http") as url:
        secret = uuid.uuid4().hex * 2
        env = {
            **os.environ,
            "DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://", 1),
            "SECRET_KEY": secret,
            "NEW_USER_PASSWORD": PASSWORD,
        }
        subprocess.run([command(), "db", "upgrade"], env=env, check=True, capture_output=True)
        email = "bench@example.com"
        subprocess.run(
            [command(), "create-user", email, "--role", "reader"],
            env=env,
            check=True,
            capture_output=True,
        )
        await seed(url)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        async with running([command(), "serve", "--port", str(port)], env, port):
            token = await log_in(base_url, prefix, email)
            strata = await measure(base_url, prefix, token)
        floor_env = env | {"FLOOR_DATABASE_URL": url, "FLOOR_PREFIX": prefix}
        floor_argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "floor_app:app",
            "--app-dir",
            str(FLOOR.parent),
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        async with running(floor_argv, floor_env, port):
            floor = await measure(base_url, prefix, token)
    report(strata, floor)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
