"""The methods a path accepts, for the `Allow` header every 405 must carry (RFC 9110)."""

from http import HTTPMethod

from starlette.requests import Request
from starlette.routing import Match


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this request's path. Starlette's own 405 names only
    the methods of the first route that matched the path, not those of its siblings.

    Each method is tried against the app's routes through their public `matches()`, as the
    router itself would; only 405 answers pay for it.
    """
    routes = request.app.router.routes
    allowed = [
        method.value
        for method in sorted(HTTPMethod)
        if any(
            route.matches({**request.scope, "method": method.value})[0] is Match.FULL
            for route in routes
        )
    ]
    return ", ".join(allowed)
