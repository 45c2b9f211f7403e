"""The unit picker: one way, on every page, to choose "this unit (and everything beneath it)" without a list of
every unit.

A form carries the chosen unit's id under its field name (``unit``) and, while someone is searching, the words they
typed under ``unit_q`` ("Change" sends ``unit_change``, "Find" ``unit_find``). A checked match wins over the words
still in the search box, unless "Find" or "Change" was pressed. Without JavaScript the form is sent with the words and
comes back with the matching units as radio buttons; with htmx the matches appear as they type (``/units/pick``).
Either way what is sent is an id, checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from portal.common.params import parse_id
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import labels_for, search_units


@dataclass(frozen=True)
class UnitChoice:
    name: str  # the form field that carries the unit's id
    unit: Unit | None = None
    label: str = ""  # "Trust / PALS / North team"
    query: str = ""
    matches: list[tuple[Unit, str]] = field(default_factory=list)

    @property
    def searched(self) -> bool:
        return len(self.query.strip()) >= 2


def unit_choice(values: Mapping[str, str], name: str = "unit") -> UnitChoice:
    """What the picker called ``name`` holds in ``values`` (a request's args or form)."""
    query = (values.get(f"{name}_q") or "").strip()[:120]
    chosen = parse_id(values.get(name))
    searching = f"{name}_change" in values or f"{name}_find" in values  # "Change" or "Find": search (again)
    unit = db.session.get(Unit, chosen) if chosen is not None and not searching else None
    if unit is not None:
        return UnitChoice(name=name, unit=unit, label=labels_for([unit])[unit.id])
    matches = search_units(query)
    labels = labels_for(matches)
    return UnitChoice(name=name, query=query, matches=[(match, labels[match.id]) for match in matches])


class UnitField(Field):
    """A form field filled by the unit picker: ``data`` is the chosen unit's id (or None) and ``choice`` the picker's
    state to render (``unit_picker(form.x.choice, …, error=form.x.errors[0])``). ``searching`` is true when the
    picker's own "Find" or "Change" sent the form: the page comes back with the matches, nothing is saved.

    A value that is not a unit gets ``invalid_message`` when one is given (otherwise it is no unit, as a missing one
    is: that is left to the validators, DataRequired)."""

    def __init__(self, label=None, validators=None, *, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message
        self.choice = UnitChoice(name=self.name)
        self.searching = False
        self._sent_something_else = False

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        names = (self.name, f"{self.name}_q")
        if formdata is not None and any(name in formdata for name in names):
            self.choice = unit_choice(formdata, self.name)
            self.searching = f"{self.name}_find" in formdata or f"{self.name}_change" in formdata
            self._sent_something_else = (bool(formdata.get(self.name)) and self.choice.unit is None
                                         and not self.searching)
        else:
            unit_id = self.default if data is unset_value else data
            self.choice = unit_choice({self.name: str(unit_id)} if unit_id else {}, self.name)
        self.data = self.choice.unit.id if self.choice.unit is not None else None
        # The error summary links to what can take focus: the search box, or "Change" once a unit is chosen.
        self.id = f"{self.name}_q" if self.choice.unit is None else f"{self.name}_change"

    def pre_validate(self, form) -> None:
        if self._sent_something_else and self.invalid_message:
            raise StopValidation(str(self.invalid_message))

    def _value(self) -> str:
        return str(self.data or "")

    @property
    def unit(self) -> Unit | None:
        return self.choice.unit
