"""The colleague picker: choose people by typing part of a name, with or without JavaScript. Saying thank you uses
it (several people), and so does nominating for an award (one person).

It sits inside the page's own form. The chosen people travel as hidden inputs (``name``, "to" by default); the
words typed as ``q``; its buttons send ``add`` or ``remove`` (an id) or ``step=pick`` ("Search"). Without JavaScript
those buttons post the whole form and the page comes back with everything written so far; with htmx, typing asks
the same URL for just the matches and Choose/Remove for just the picker (``picker_fragment``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template_string, request

from portal.auth.models import User
from portal.common.htmx import is_htmx
from portal.common.params import parse_id
from portal.recognition.forms import PeopleSearchForm, chosen_ids
from portal.recognition.queries import people_by_id, search_people


@dataclass(frozen=True)
class PeoplePicker:
    action: str  # the page's URL: the picker's searches and buttons go there
    search: PeopleSearchForm
    chosen: list[User] = field(default_factory=list)
    matches: list[User] = field(default_factory=list)
    name: str = "to"
    single: bool = False  # one person: choosing another replaces them, and the search hides once one is chosen
    heading: str = ""  # shown above the search box when given
    hint: str = ""
    chosen_heading: str = ""

    @property
    def searched(self) -> bool:
        return len((self.search.q.data or "").strip()) >= 2

    @property
    def searching(self) -> bool:
        return not (self.single and self.chosen)


def is_picker_request(values) -> bool:
    """True when one of the picker's own buttons sent the form: show it again, check nothing, save nothing."""
    return values.get("step") == "pick" or "add" in values or "remove" in values


def people_picker(values, *, viewer: User, action: str, name: str = "to", single: bool = False,
                  **texts: str) -> PeoplePicker:
    """Who is chosen (``name`` in ``values``, changed by ``add`` and ``remove``) and who matches ``q``; ``viewer``
    is never offered. After ``add`` the search box is emptied, ready for the next name."""
    added = parse_id(values.get("add"))
    removed = parse_id(values.get("remove"))
    ids = [i for i in chosen_ids([*values.getlist(name), added]) if i != removed]
    if single:
        ids = [added] if added is not None else ids[:1]
    # Several people: the viewer is quietly left out. One: the page's service says why they can't choose themselves.
    chosen = [person for person in people_by_id(ids) if single or person.id != viewer.id]
    search = PeopleSearchForm(None if added is not None else values)
    if single and chosen:
        return PeoplePicker(action=action, search=PeopleSearchForm(None), chosen=chosen, name=name, single=True,
                            **texts)
    exclude = {person.id for person in chosen} | {viewer.id}
    return PeoplePicker(action=action, search=search, chosen=chosen, name=name, single=single,
                        matches=search_people(search.q.data or "", exclude=exclude), **texts)


def picker_fragment(picker: PeoplePicker) -> str | None:
    """What htmx asked for: just the matches (``#people-results``, while typing) or just the picker (``#picker``,
    after Choose or Remove); None for anything else (the whole page)."""
    macro = {"people-results": "people_matches", "picker": "people_picker"}.get(request.headers.get("HX-Target", ""))
    if macro is None or not is_htmx():
        return None
    return render_template_string(
        f'{{% from "recognition/_people_picker.html" import {macro} %}}{{{{ {macro}(picker) }}}}', picker=picker)
