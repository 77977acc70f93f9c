"""Error tracking with Sentry: on when SENTRY_DSN is set, inert (not even initialised) when not.

The web app (main.py) and the worker (cli/worker.py) each call init_sentry() once, with
the integration of the project's job backend (tasks/backend.py: sentry_integrations).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .config import Settings

if TYPE_CHECKING:
    from sentry_sdk.integrations import Integration


def init_sentry(
    settings: Settings, backend_integrations: Callable[[], Sequence[Integration]]
) -> bool:
    """Start sending errors to Sentry when SENTRY_DSN is set; True when it did."""
    dsn = settings.sentry_dsn.get_secret_value() if settings.sentry_dsn else ""
    if not dsn:
        return False
    # Imported only when on: Sentry's integrations take a while to import, and every
    # process (the CLI's commands too) would pay for it.
    import sentry_sdk
    from sentry_sdk.integrations.fastapi import FastApiIntegration
    from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration
    from sentry_sdk.integrations.starlette import StarletteIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=settings.sentry_environment or settings.environment.value,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        # Events are named by route template (/items/{item_id}), not by the raw path.
        integrations=[
            StarletteIntegration(),
            FastApiIntegration(),
            SqlalchemyIntegration(),
            *backend_integrations(),
        ],
        # Only what is listed above and Sentry's defaults (logging, threads): nothing
        # switched on by what happens to be installed.
        auto_enabling_integrations=False,
        # Nothing that may hold a secret or a person's data leaves the service: no user
        # identity, no request bodies (passwords), no local variables (settings, keys).
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
    )
    return True
