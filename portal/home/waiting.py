""""Waiting for you" on the home page: each feature contributes a provider (``contribute(..., waiting=fn)``);
each provider sees one person.

A provider is ``fn(user) -> list[WaitingItem]`` and must run a fixed, small number of queries (counts), because
the home page calls every provider on every visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.auth.models import User
from portal.common.features import registry


@dataclass(frozen=True)
class WaitingItem:
    label: str
    count: int
    url: str


WaitingProvider = Callable[[User], list[WaitingItem]]


def waiting_for(user: User) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    for provider in registry().waiting_providers:
        items.extend(item for item in provider(user) if item.count > 0)
    return items
