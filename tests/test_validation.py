"""Bad answers fail with Copier's message naming the question, and write nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import render

BAD_ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("project_name", {"project_name": ""}),
    ("project_name", {"project_name": "   "}),
    ("project_slug", {"project_name": "!!!"}),
    ("project_slug", {"project_name": "Склад"}),
    ("project_slug", {"project_name": "3D Printer"}),
    ("project_name", {"project_name": " Padded"}),
    ("author_name", {"author_name": "Trailing "}),
    ("project_name", {"project_name": "Two\nLines"}),
    ("project_name", {"project_name": 'Say "hi"'}),
    ("project_slug", {"project_slug": "My-Service"}),
    ("project_slug", {"project_slug": "1service"}),
    ("project_slug", {"project_slug": "service-"}),
    ("project_slug", {"project_slug": "my_service"}),
    ("project_slug", {"project_slug": "a"}),
    ("package_name", {"package_name": "class"}),
    ("package_name", {"package_name": "json"}),
    ("package_name", {"package_name": "test"}),
    ("package_name", {"package_name": "fastapi"}),
    ("package_name", {"package_name": "sqlalchemy"}),
    ("package_name", {"package_name": "app"}),
    ("package_name", {"package_name": "my-service"}),
    ("package_name", {"package_name": "9lives"}),
    ("package_name", {"package_name": "rich"}),
    ("package_name", {"package_name": "packaging"}),
    ("package_name", {"package_name": "__main__"}),
    ("package_name", {"package_name": "a" * 48}),
    ("author_email", {"author_email": "nobody"}),
    ("description", {"description": "back\\slash"}),
    ("database", {"database": "oracle"}),
    ("auth", {"auth": "basic"}),
    ("task_backend", {"task_backend": "threads"}),
    ("celery_broker", {"task_backend": "celery", "celery_broker": "kafka"}),
    ("python_version", {"python_version": "3.9"}),
]


@pytest.mark.parametrize(
    ("question", "data"), BAD_ANSWERS, ids=[f"{q}-{i}" for i, (q, _) in enumerate(BAD_ANSWERS)]
)
def test_bad_answer_is_refused(question: str, data: dict[str, Any], tmp_path: Path) -> None:
    destination = tmp_path / "out"
    with pytest.raises(Exception) as caught:  # noqa: PT011 - Copier raises several types
        render(destination, **data)

    assert question in str(caught.value)
    assert not destination.exists() or not any(destination.iterdir())


def test_name_derivation_flows_into_the_project(tmp_path: Path) -> None:
    project = render(tmp_path / "out", project_name="Stock Keeper")

    answers = (project / ".copier-answers.yml").read_text()
    assert "project_slug: stock-keeper" in answers
    assert "package_name: stock_keeper" in answers
    assert (project / "src" / "stock_keeper" / "main.py").is_file()
