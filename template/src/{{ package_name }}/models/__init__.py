"""Every model module in this package, imported so Alembic and relationship strings see them all.

A model in a new module here is found without being listed: nothing to add.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
