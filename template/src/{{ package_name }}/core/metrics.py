"""Prometheus metrics: what is counted, for the web app (api/metrics.py) and the jobs.

Labels are bounded on purpose: routes by template (/items/{item_id}), jobs by name,
never a raw path or an id, so the number of series stays small whatever the traffic.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

# Read by prometheus_client when it is first imported: with it, every process writes its
# samples to files there, and a scrape of any one of them adds them all up.
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by method and route template.",
    ["method", "route"],
)
JOB_OUTCOMES = Counter(
    "job_outcomes",
    "Job attempts by job name and outcome: succeeded, retried (it runs again) or failed.",
    ["job", "outcome"],
)


def exposition() -> bytes:
    """Every metric of this process, or of all the server's processes in multiprocess mode."""
    if MULTIPROCESS_DIRECTORY in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # untyped upstream
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@contextmanager
def multiprocess_directory(workers: int) -> Iterator[None]:
    """For `serve --workers N`: a fresh directory the workers share their samples through,
    removed when the server stops. Workers are started (spawned) after this is set, so each
    imports prometheus_client with it. One set by the deployment is left as it is."""
    if workers < 2 or MULTIPROCESS_DIRECTORY in os.environ:
        yield
        return
    directory = tempfile.mkdtemp(prefix="prometheus-")
    os.environ[MULTIPROCESS_DIRECTORY] = directory
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIRECTORY]
        shutil.rmtree(directory, ignore_errors=True)
