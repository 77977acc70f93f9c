"""R5's benchmark: does GET .../items/export.csv stream in constant memory?

Run by `nox -s bench` (not part of the default run) inside a rendered PostgreSQL project,
with that project's environment: `python export_memory.py <server-url> <api-prefix>`.
It creates a database of its own on the server, migrates it, and for 10^4, 10^5 and 10^6
items (inserted with COPY) starts a fresh `serve` process, downloads the whole export
(counting, not keeping, the bytes) and reads the server's peak RSS (VmHWM, which the kernel
keeps, so no sampling can miss a spike). The goal: peak RSS grows by less than 50 MB from
10^4 to 10^6 rows; the script exits 1 when it does not.
"""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx

ROWS = (10_000, 100_000, 1_000_000)
GOAL_MB = 50
START_SECONDS = 60


def command() -> str:
    """The project's console script, next to this interpreter."""
    scripts = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    return str(Path(sys.executable).parent / next(iter(scripts)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants: with --workers the serving processes are children."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                pids += process_tree(int(child))
    return pids


def memory_mb(pid: int, field: str) -> float:
    """A /proc/<pid>/status field in MB (VmRSS now, VmHWM the peak so far), max over the tree."""
    values = [0.0]
    for member in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    values.append(int(line.split()[1]) / 1024)
    return max(values)


def items(start: int, stop: int, location_id: int) -> Iterator[tuple[object, ...]]:
    for n in range(start, stop):
        yield (
            f"SKU-{n:08d}",
            f"Widget {n}",
            "A plain description",
            n % 500,
            Decimal("9.99"),
            location_id,
        )


async def fill(url: str, rows: int, location_id: int) -> None:
    connection = await asyncpg.connect(url)
    try:
        have = await connection.fetchval("SELECT count(*) FROM items")
        await connection.copy_records_to_table(
            "items",
            records=items(have, rows, location_id),
            columns=["sku", "name", "description", "quantity", "unit_price", "location_id"],
        )
    finally:
        await connection.close()


async def download(base_url: str, path: str, key: str) -> tuple[int, int]:
    """Stream the export, keeping nothing: (bytes, lines)."""
    size = lines = 0
    client = httpx.AsyncClient(base_url=base_url, timeout=None)
    async with client, client.stream("GET", path, headers={"X-API-Key": key}) as response:
        response.raise_for_status()
        async for chunk in response.aiter_raw():
            size += len(chunk)
            lines += chunk.count(b"\n")  # "\r\n" may be split between chunks
    return size, lines


async def wait_until_live(base_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as client:
        while time.monotonic() < deadline and process.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/health/live")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not start")


@contextlib.asynccontextmanager
async def running(
    argv: list[str], env: dict[str, str], port: int
) -> AsyncIterator[subprocess.Popen[bytes]]:
    """A server process listening on `port`, live, for the block; stopped after it."""
    process = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        await wait_until_live(f"http://127.0.0.1:{port}", process)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


async def measure(rows: int, env: dict[str, str], prefix: str, key: str) -> dict[str, float]:
    port = free_port()
    async with running([command(), "serve", "--port", str(port)], env, port) as process:
        idle = memory_mb(process.pid, "VmRSS")
        started = time.perf_counter()
        size, lines = await download(f"http://127.0.0.1:{port}", f"{prefix}/items/export.csv", key)
        seconds = time.perf_counter() - started
        peak = memory_mb(process.pid, "VmHWM")
    if lines != rows + 1:
        raise SystemExit(f"{rows} rows exported as {lines - 1}")
    return {"rows": rows, "seconds": seconds, "idle": idle, "peak": peak, "bytes": size}


@contextlib.asynccontextmanager
async def scratch_database(server_url: str, stem: str) -> AsyncIterator[str]:
    """A database of its own on the server for the block, dropped after it: its URL."""
    name = f"{stem}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url.rsplit('/', 1)[0]}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def main(server_url: str, prefix: str) -> int:
    async with scratch_database(server_url, "bench_export") as url:
        env = {
            **os.environ,
            "DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://", 1),
        }
        subprocess.run([command(), "db", "upgrade"], env=env, check=True, capture_output=True)
        created = subprocess.run(
            [command(), "create-api-key", "bench"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        key = created.stdout.split()[-1]
        connection = await asyncpg.connect(url)
        location_id = await connection.fetchval(
            "INSERT INTO locations (code, name) VALUES ('BENCH', 'Bench') RETURNING id"
        )
        await connection.close()
        results = []
        for rows in ROWS:
            await fill(url, rows, location_id)
            results.append(await measure(rows, env, prefix, key))

    header = ("rows", "seconds", "idle RSS MB", "peak RSS MB", "bytes")
    print("\n" + " | ".join(f"{title:>11}" for title in header))
    for r in results:
        cells = (f"{r['rows']:,}", f"{r['seconds']:.2f}", f"{r['idle']:.1f}", f"{r['peak']:.1f}")
        print(" | ".join(f"{cell:>11}" for cell in (*cells, f"{r['bytes']:,}")))
    growth = results[-1]["peak"] - results[0]["peak"]
    verdict = "met" if growth < GOAL_MB else "MISSED"
    print(f"peak RSS growth {ROWS[0]:,} -> {ROWS[-1]:,} rows: {growth:.1f} MB", end=" ")
    print(f"(goal < {GOAL_MB} MB: {verdict})")
    return 0 if growth < GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
