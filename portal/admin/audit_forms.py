"""The audit log's filter bar: a plain GET form, so a filtered view is a link that can be shared."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SearchField, SelectField
from wtforms.validators import Length, Optional, ValidationError

from portal.admin.audit_queries import AuditFilter, action_label, london_day_bounds


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class IsoDateField(DateField):
    """A date as YYYY-MM-DD (what a date input sends), with a message people can act on."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Enter a real date, like 2024-12-03")) from error
        if self.data is not None and not 2000 <= self.data.year <= 2999:
            self.data = None
            raise ValueError(_("Enter a real date, like 2024-12-03"))


class AuditFilterForm(Form):
    action = SelectField(_l("What happened"), validate_choice=False)
    actor = SearchField(_l("Who (email)"), filters=[_strip], validators=[Optional(), Length(max=320)])
    target_type = SelectField(_l("Target type"), validate_choice=False)
    target_id = SearchField(_l("Target id"), filters=[_strip], validators=[Optional(), Length(max=64)])
    date_from = IsoDateField(_l("From"), validators=[Optional()])
    date_to = IsoDateField(_l("To"), validators=[Optional()])

    def __init__(self, formdata, *, actions: list[str], target_types: list[str]):
        super().__init__(formdata)
        self.action.choices = [("", _("Anything")), *[(a, action_label(a)) for a in actions]]
        self.target_type.choices = [("", _("Any")), *[(t, t) for t in target_types]]

    def validate_date_to(self, field) -> None:
        start: date | None = self.date_from.data
        if field.data is not None and start is not None and field.data < start:
            raise ValidationError(_("The 'to' date must be the same as or after the 'from' date"))

    def audit_filter(self) -> AuditFilter:
        """What to show. Call after validate(): a date with an error is left out, every other filter applies."""
        date_from = self.date_from.data if not self.date_from.errors else None
        date_to = self.date_to.data if not self.date_to.errors else None
        return AuditFilter(
            action=self.action.data or None,
            actor_email=(self.actor.data or "").lower()[:320] or None,
            target_type=self.target_type.data or None,
            target_id=(self.target_id.data or "")[:64] or None,
            start=london_day_bounds(date_from)[0] if date_from else None,
            end=london_day_bounds(date_to)[1] if date_to else None,
        )
