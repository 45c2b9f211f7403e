"""Forms for asking for a de-brief, the supporter's record, the rota and HR's settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from portal.common.params import parse_id
from portal.debriefs.models import ContactMethod, DebriefKind, Urgency
from portal.org.picker import UnitField


class RequestForm(FlaskForm):
    request_key = HiddenField(validators=[Optional(), Length(max=64)])
    kind = RadioField(_l("What kind of contact was it?"), validators=[Optional()],
                      choices=DebriefKind.choices())
    urgency = RadioField(_l("How soon would you like to talk?"),
                         validators=[InputRequired(_l("Choose how soon you would like to talk"))],
                         choices=Urgency.choices())
    note = TextAreaField(_l("Anything you would like your supporter to know"),
                         validators=[Optional(), Length(max=2000, message=_l("Keep it under 2,000 characters"))])
    contact_method = RadioField(_l("How should a supporter get in touch?"),
                                validators=[InputRequired(_l("Choose how a supporter should get in touch"))],
                                choices=ContactMethod.choices())
    contact_detail = StringField(_l("Phone number, Teams name or where to find you"),
                                 validators=[DataRequired(_l("Tell us how to reach you")), Length(max=200)])


class HeldForm(FlaskForm):
    session_note = TextAreaField(_l("Your private session note"), validators=[
        Optional(), Length(max=4000, message=_l("Keep it under 4,000 characters"))])


class DutyForm(FlaskForm):
    unit_id = UnitField(_l("Unit"), validators=[DataRequired(_l("Choose a unit"))], invalid_message=_l("Choose a unit"))
    # A required select starts with an empty choice ("Choose …"), which coerces to None and is refused here.
    user_id = SelectField(_l("Supporter on duty"), coerce=parse_id,
                          validators=[InputRequired(_l("Choose a supporter"))])


class LeadForm(FlaskForm):
    unit_id = UnitField(_l("Unit"), validators=[DataRequired(_l("Choose a unit"))], invalid_message=_l("Choose a unit"))
    email = EmailField(_l("Lead's email address"),
                       validators=[Optional(), Email(_l("Enter an email address like name@example.nhs.uk"))])


def _minutes(label):
    return IntegerField(label, validators=[InputRequired(_l("Enter a number of minutes")),
                                           NumberRange(min=5, max=60 * 24 * 14,
                                                       message=_l("Enter between 5 and 20,160 minutes"))])


class SettingsForm(FlaskForm):
    signposting = TextAreaField(_l("Safety and support text"),
                                validators=[DataRequired(_l("Enter the safety and support text")),
                                            Length(max=5000)])
    fallback_contact_id = SelectField(_l("Named contact when nobody is on duty"), coerce=int)
    claim_minutes_this_shift = _minutes(_l("Escalate after (minutes): before the end of this shift"))
    claim_minutes_72_hours = _minutes(_l("Escalate after (minutes): within 72 hours"))
    claim_minutes_this_week = _minutes(_l("Escalate after (minutes): some time this week"))
    retention_days = IntegerField(_l("Erase what people wrote after (days)"),
                                  validators=[InputRequired(_l("Enter a number of days")),
                                              NumberRange(min=30, max=3650,
                                                          message=_l("Enter between 30 and 3,650 days"))])
