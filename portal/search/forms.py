"""The search form: a GET form, so a search is a link that can be shared, bookmarked and opened without JavaScript.

Values nobody could have chosen (a tampered type or order) fall back to the default quietly; dates that are not
real, out of range or the wrong way round are errors shown next to their fields.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SearchField, SelectField
from wtforms.fields import DateField
from wtforms.validators import Optional, ValidationError

from portal.common.london import days_bounds
from portal.org.models import Unit
from portal.search.sources import Sort
from portal.search.words import MAX_LENGTH, parse

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
EVERYTHING = ""


class DayField(DateField):
    """A date from the browser's date picker (YYYY-MM-DD); anything else is an error said in words people use."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a real date, for example 2026-03-27")) from None

    def _value(self) -> str:
        """The date chosen, or nothing: a date input cannot show text that is not a date (the error says what was
        wrong)."""
        return self.data.isoformat() if self.data is not None else ""


def _in_range(form, field) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Enter a date between 2000 and 2099"))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search for practice notes, thank-yous and colleagues"))
    kind = RadioField(_l("Show"), name="type", default=EVERYTHING, validate_choice=False)
    tag = SelectField(_l("Tag or value"), validate_choice=False, default="")
    first = DayField(_l("From"), name="from", validators=[Optional(), _in_range],
                      render_kw={"min": EARLIEST.isoformat(), "max": LATEST.isoformat()})
    last = DayField(_l("To"), name="to", validators=[Optional(), _in_range],
                     render_kw={"min": EARLIEST.isoformat(), "max": LATEST.isoformat()})
    sort = RadioField(_l("Order"), choices=Sort.choices(), default=Sort.RELEVANCE.value, validate_choice=False)

    def __init__(self, formdata, *, kinds: list[tuple[str, str]], tags: list[str]):
        super().__init__(formdata)
        self.kind.choices = [(EVERYTHING, _l("Everything")), *kinds]
        self.tag.choices = [("", _l("Any tag or value")), *((tag, tag) for tag in tags)]
        if self.kind.data not in {value for value, _ in self.kind.choices}:
            self.kind.data = EVERYTHING
        if self.sort.data not in {member.value for member in Sort}:
            self.sort.data = Sort.RELEVANCE.value
        self.q.data = (self.q.data or "")[:MAX_LENGTH]
        self.tag.data = (self.tag.data or "")[:80]

    def validate_last(self, field) -> None:
        if field.data and self.first.data and field.data < self.first.data:
            raise ValidationError(_l("The To date must be the same as or after the From date"))

    @property
    def kind_or_none(self) -> str | None:
        return self.kind.data or None

    @property
    def filtered(self) -> bool:
        return bool(self.kind.data or self.tag.data or self.first.data or self.last.data
                    or self.sort.data != Sort.RELEVANCE.value)

    def query_values(self, *, unit: Unit | None, after: str | None, size: int) -> dict:
        """What SearchQuery takes from this form (valid only)."""
        start = end = None
        if self.first.data or self.last.data:
            start, end = days_bounds(self.first.data or EARLIEST, self.last.data or LATEST)
        return {"words": parse(self.q.data), "unit": unit, "tag": self.tag.data or None, "start": start,
                "end": end, "sort": Sort(self.sort.data), "after": after, "size": size}
