"""The export form (a GET form: its fields are the download links' query parameters) and the API token forms."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.awards.models import AwardScheme
from portal.common.params import parse_id
from portal.extensions import db
from portal.hr.filters import ExportFilters, RecognitionType, RowStatus, UnitRef
from portal.hr.models import NAME_MAX, TOKEN_DAYS, Scope
from portal.org.models import Unit
from portal.recognition.models import RecognitionValue

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _in_range(form, field) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Enter a date between 2000 and 2100"))


def _optional_id(value):
    return value if isinstance(value, int) else parse_id(value)


class ExportForm(FlaskForm):
    """What to export. Read from the query string; the unit comes from the unit picker (``unit``)."""

    class Meta:
        csrf = False

    first = DateField(_l("From"), name="from", validators=[Optional(), _in_range])
    last = DateField(_l("To"), name="to", validators=[Optional(), _in_range])
    types = CheckboxesField(_l("Type"), name="type", choices=RecognitionType.choices(), coerce=RecognitionType,
                            validators=[Optional()])
    value = SelectField(_l("Value"), name="value", coerce=_optional_id, validators=[Optional()])
    scheme = SelectField(_l("Award scheme"), name="scheme", coerce=_optional_id, validators=[Optional()])
    statuses = CheckboxesField(_l("Status"), name="status", choices=RowStatus.choices(), coerce=RowStatus,
                               validators=[Optional()])
    include_message = BooleanField(_l("Include message text"), name="message")
    pseudonymise = BooleanField(_l("Pseudonymise givers"), name="pseudonymise")

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        values = db.session.execute(select(RecognitionValue.id, RecognitionValue.name, RecognitionValue.is_retired)
                                    .order_by(RecognitionValue.name)).all()
        self.value.choices = [SelectChoice("", _l("Any value"))] + [
            SelectChoice(value_id, f"{name} ({_l('retired')})" if retired else name)
            for value_id, name, retired in values]
        schemes = db.session.execute(select(AwardScheme.id, AwardScheme.name).order_by(AwardScheme.opens_on.desc(),
                                                                                       AwardScheme.id)).all()
        self.scheme.choices = [SelectChoice("", _l("Any scheme"))] + [SelectChoice(scheme_id, name)
                                                                      for scheme_id, name in schemes]

    def validate_last(self, field) -> None:
        if field.data and self.first.data and field.data < self.first.data:
            raise ValidationError(_l("The To date must be the same as or after the From date"))

    def filters(self, unit: Unit | None) -> ExportFilters:
        return ExportFilters(first=self.first.data, last=self.last.data, unit=UnitRef.of(unit),
                             types=frozenset(self.types.data or ()), value_id=self.value.data or None,
                             scheme_id=self.scheme.data or None, statuses=frozenset(self.statuses.data or ()),
                             include_message=bool(self.include_message.data),
                             pseudonymise=bool(self.pseudonymise.data))


class TokenForm(FlaskForm):
    request_key = HiddenField(validators=[Optional(), Length(max=64)])
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter a name for the token")),
        Length(max=NAME_MAX, message=_l("The name must be %(n)d characters or fewer", n=NAME_MAX))])
    scopes = CheckboxesField(_l("What the token may read"), choices=Scope.choices(), coerce=Scope,
                             validators=[DataRequired(_l("Choose what the token may read"))])
    days = RadioField(_l("Expires after"), coerce=int, validators=[InputRequired(_l("Choose when the token expires"))],
                      choices=[SelectChoice(days, _l("%(n)d days", n=days)) for days in TOKEN_DAYS])

    def validate_scopes(self, field) -> None:
        if field.data and Scope.READ not in field.data:
            raise ValidationError(_l("A token must at least read recognition rows"))


class RevokeForm(FlaskForm):
    """The "Revoke" button (CSRF only)."""
