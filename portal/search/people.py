"""Colleagues in search: active people, by name, job title and unit; best match first (people have no date, so
"newest first" does not apply, and neither do tags or dates: only the unit filter)."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.orm import lazyload

from portal.auth.models import User
from portal.org.queries import subtree_unit_ids
from portal.search import policies
from portal.search.indexes import PEOPLE
from portal.search.sources import Filter, Hit, SearchPage, SearchQuery, engine, keyset


class ColleaguesSource:
    kind = "people"
    label = _l("Colleagues")
    filters = frozenset({Filter.UNIT})

    def available(self) -> bool:
        return True

    def search(self, query: SearchQuery, *, viewer: User) -> SearchPage:
        where = [User.is_active_account.is_(True)]
        if query.unit is not None:
            where.append(User.unit_id.in_(subtree_unit_ids(query.unit)))
        ranked = keyset(query, entity=User, index=PEOPLE, where=where, options=(lazyload(User.role_rows),))
        people = ranked.rows
        shown = [person for person in people if policies.can_find_colleague(viewer, person)]
        if len(shown) != len(people):
            current_app.logger.error("search: people %s failed the policy", {p.id for p in people} - set(shown))
        marks = engine().marks(PEOPLE, query.words, [person.id for person in shown],
                               {"name": True, "job": True, "unit": True})
        return SearchPage(self.kind, self.label, [_hit(person, marks.get(person.id, {})) for person in shown],
                          ranked.next_cursor, capped=ranked.capped)


def _hit(person: User, marks: dict[str, Markup]) -> Hit:
    details = [marks.get("job") or escape(person.job_title or ""), marks.get("unit") or escape(person.unit.name)]
    return Hit(endpoint="recognition.profile", args={"person_id": person.id},
               title=marks.get("name") or escape(person.display_name),
               details=[detail for detail in details if detail], obj=person)
