"""A team's first model migrates: `db revision` autogenerates a migration for a model of
the team's own, using every column type the template's models use, and that migration is
formatted, lint- and type-clean, upgrades, downgrades and leaves nothing for `alembic
check` to find. Then a template migration arrives beside it, as an update brings one:
`db upgrade` applies both heads and the next `db revision` merges them, just as clean,
and the project's CLI tests pass on that history (one step back from a merge is asked).
Per database, through the project's own CLI, against the real server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from noxfile import Combination
from tests.conftest import Render, check, project_checks_environment

SUPPLIER = '''\
"""Suppliers: a model of the team's own."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from my_service.core.principal import Role
from my_service.db.base import Base, TimestampMixin, UtcDateTime


class Supplier(TimestampMixin, Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    notes: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    active: Mapped[bool] = mapped_column(default=True)
    contact_role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="RESTRICT"))
'''

# Run inside the project (its venv, its test provisioning): a new empty database on the
# suite's server, then what a developer types after adding the model.
STEPS = """\
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
from tests.fixtures.database import provision_database

VERSIONS = Path("migrations/versions")
# The template's newest migration, which the team's first one follows.
TEMPLATE_HEAD = max(path.name[:4] for path in VERSIONS.glob("0*.py"))
FROM_AN_UPDATE = f'''# A migration of the template's, as an update brings one.

from collections.abc import Sequence

revision: str = "0099"
down_revision: str | None = "{TEMPLATE_HEAD}"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''
CLEAN = (["ruff", "format", "--check", "migrations"], ["ruff", "check", "migrations"], ["mypy"])

with provision_database(Path(sys.argv[1])) as url:
    env = {**os.environ, "DATABASE_URL": url}
    steps = (
        ["my-service", "db", "upgrade"],
        ["my-service", "db", "revision", "-m", "add suppliers"],
        *CLEAN,
        ["my-service", "db", "upgrade"],
        ["alembic", "check"],
        ["my-service", "db", "downgrade"],
        ["my-service", "db", "upgrade"],
        "update",
        ["my-service", "db", "upgrade"],
        ["my-service", "db", "revision", "-m", "after the update"],
        *CLEAN,
        ["my-service", "db", "upgrade"],
        ["alembic", "check"],
        # The project's own CLI tests, on these migrations: a merge is now the one head.
        ["pytest", "-q", "-p", "no:cacheprovider", f"--basetemp={sys.argv[1]}/cli-tests"]
        + ["tests/cli/test_cli.py"],
    )
    for step in steps:
        print("$", *step, flush=True)
        if step == "update":
            (VERSIONS / "0099_from_an_update.py").write_text(FROM_AN_UPDATE, encoding="utf-8")
        else:
            subprocess.run(step, env=env, check=True)
"""


def add_supplier_model(project: Path) -> None:
    """In a module of its own: models/__init__.py imports every module there."""
    models = project / "src" / "my_service" / "models"
    (models / "supplier.py").write_text(SUPPLIER, encoding="utf-8")


@pytest.mark.parametrize("database", ["postgresql", "mysql", "sqlite"])
def test_a_new_model_gets_a_migration_that_runs(
    database: str, rendered: Render, tmp_path: Path
) -> None:
    combination = Combination(database, "jwt", "background_tasks", True)
    project = tmp_path / "project"
    shutil.copytree(rendered(**combination.data()), project)
    add_supplier_model(project)
    (tmp_path / "steps.py").write_text(STEPS, encoding="utf-8")
    env = project_checks_environment(combination)

    for command in (
        ["uv", "--quiet", "lock"],
        ["uv", "--quiet", "sync", "--locked"],
        ["uv", "--quiet", "run", "--locked", "python", str(tmp_path / "steps.py"), str(tmp_path)],
    ):
        check(command, project, env)

    (migration,) = (project / "migrations" / "versions").glob("*_add_suppliers.py")
    source = migration.read_text(encoding="utf-8")
    assert "sa.DateTime(timezone=True)" in source
    assert "my_service" not in source  # the migration does not import the app
    (merge,) = (project / "migrations" / "versions").glob("*_after_the_update.py")
    assert '"0099"' in merge.read_text(encoding="utf-8")  # it follows both heads
