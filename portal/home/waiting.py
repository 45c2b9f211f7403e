""""Waiting for you" on the home page: each feature registers a provider; each provider sees one person.

A provider is ``fn(user) -> list[WaitingItem]`` and must run a fixed, small number of queries (counts), because
the home page calls every provider on every visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from portal.auth.models import User


@dataclass(frozen=True)
class WaitingItem:
    label: str
    count: int
    url: str


WaitingProvider = Callable[[User], list[WaitingItem]]


def register_waiting_provider(app: Flask, provider: WaitingProvider) -> None:
    app.extensions.setdefault("waiting_providers", []).append(provider)


def waiting_for(user: User) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    for provider in current_app.extensions.get("waiting_providers", []):
        items.extend(item for item in provider(user) if item.count > 0)
    return items
