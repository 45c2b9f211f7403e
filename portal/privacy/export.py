"""A subject access export: everything Frontline holds about one person, as sections of records that the page shows
and the JSON file carries, from the same data.

The rule for every section: a person gets what is about them and the words they wrote — never another person's
words or private notes. So thank-yous they received come with the words addressed to them, but not other people's
comments under them; their own de-brief requests come with what they wrote, but not the supporter's session note
(that is the supporter's record); a nomination of them names its nominator only where the scheme is not blind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from portal.auth.models import User
from portal.privacy import account_data, recognition_data, support_data
from portal.privacy.records import Section, plain

__all__ = ["Section", "as_json", "everything_about"]


SectionBuilder = Callable[[User], Section]


def everything_about(person: User) -> list[Section]:
    """Every section, in the order the page shows them (a fixed number of queries per section)."""
    builders: list[SectionBuilder] = [
        *account_data.BEFORE, *recognition_data.SECTIONS, *support_data.SECTIONS, *account_data.AFTER]
    return [build(person) for build in builders]


def as_json(person: User, sections: list[Section], generated_at: datetime) -> dict[str, Any]:
    return {
        "about": "Everything Frontline holds about you: your account, what you wrote, and what was addressed to you.",
        "person_id": person.id,
        "generated_at": generated_at.isoformat(),
        **{section.key: [plain(item) for item in section.items] for section in sections},
    }
