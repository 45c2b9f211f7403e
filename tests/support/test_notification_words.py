"""In-app notifications are read inside Frontline: they must not carry email wording ("Open Frontline to read it",
"The calendar invite is attached"). Every ``notify(...)`` body in peer support, de-briefs and mentoring is checked
where it is written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
EMAIL_WORDING = ("open frontline", "in frontline", "attached", "this email")


def notify_bodies(package: str) -> list[tuple[str, str]]:
    found = []
    for path in (PORTAL / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "notify":
                for keyword in node.keywords:
                    if keyword.arg == "body":
                        texts = [n.value for n in ast.walk(keyword.value)
                                 if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                        found.append((f"{path.name}:{node.lineno}", " ".join(texts)))
    return found


@pytest.mark.parametrize("package", ["support", "debriefs", "mentoring"])
def test_notification_bodies_use_frontlines_own_words(package):
    bodies = notify_bodies(package)
    assert bodies
    wrong = [(where, text) for where, text in bodies if any(words in text.lower() for words in EMAIL_WORDING)]
    assert wrong == []
