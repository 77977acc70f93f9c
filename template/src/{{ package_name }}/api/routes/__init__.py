"""Your routers: add the router of each route module you write to ROUTERS.

`api/router.py` includes them under the API's prefix next to the template's own
routers, which it lists itself; `copier update` changes that file, never this one.
"""

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
