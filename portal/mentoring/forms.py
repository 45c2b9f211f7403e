"""Mentoring forms: asking a mentor, the agreement, the check after the first session, ending, the search."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.mentoring.models import EndReason


def new_request_key() -> str:
    """A fresh key for a form shown for the first time; it comes back with every post of that form."""
    return uuid.uuid4().hex


class AskForm(FlaskForm):
    # The form's idempotency key: the same request sent twice (a double click, a second tab) is made once.
    request_key = HiddenField(validators=[Optional(), Length(max=64)], default=new_request_key)
    goals = TextAreaField(_l("What would you like help with?"),
                          validators=[DataRequired(_l("Tell your mentor what you would like help with")),
                                      Length(max=2000, message=_l("Keep it under 2,000 characters"))])


class AgreementForm(FlaskForm):
    agreement_goals = TextAreaField(_l("What you will work on"),
                                    validators=[DataRequired(_l("Write down what you will work on")),
                                                Length(max=2000)])
    agreement_frequency = StringField(_l("How often you will meet"),
                                      validators=[DataRequired(_l("Say how often you will meet")), Length(max=120)])
    agreement_length = StringField(_l("For how long"),
                                   validators=[DataRequired(_l("Say for how long, for example 6 months")),
                                               Length(max=120)])


class CheckForm(FlaskForm):
    note = TextAreaField(_l("How did the first session go?"),
                         validators=[DataRequired(_l("Write a line about how it went")), Length(max=2000)])


class EndForm(FlaskForm):
    reason = RadioField(_l("Why is it ending?"), validators=[InputRequired(_l("Choose why it is ending"))],
                        choices=EndReason.choices())


class MentorSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Area of experience, or what you want help with"), validators=[Optional(), Length(max=200)])
