"""Forms for recognition. Length rules live in the services (one place); the forms carry the fields."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Form,
    HiddenField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.common.params import parse_ids
from portal.org.picker import UnitField
from portal.recognition.models import PostKind, RecognitionValue, Visibility
from portal.recognition.reactions import COMMENT_MAX
from portal.recognition.services import TEXT_MAX, WHAT_MAX, ThankYou


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def new_request_key() -> str:
    """A fresh key for a form shown for the first time; it comes back with every post of that form."""
    return uuid.uuid4().hex


def _request_key() -> HiddenField:
    """The form's idempotency key: the same form sent twice (a double click, a second tab) creates one row."""
    return HiddenField(validators=[Optional(), Length(max=64)], default=new_request_key)


def _at_least_one(form, field) -> None:
    """Like DataRequired, without putting ``required`` on every checkbox (one of them is enough)."""
    if not field.data:
        raise ValidationError(_("Choose at least one value they showed"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ThankYouWordsForm(FlaskForm):
    """The words, values and visibility (the edit form, and part of "Say thank you")."""

    what_they_did = TextAreaField(_l("What they did"), filters=[_strip],
                                  validators=[DataRequired(_l("Tell them what they did")), Length(max=WHAT_MAX)])
    difference = TextAreaField(_l("The difference it made"), filters=[_strip], validators=[Length(max=TEXT_MAX)])
    values = MultiCheckboxField(_l("Which values did they show?"), coerce=int, validators=[_at_least_one])
    visibility = RadioField(_l("Who can see this?"), default=Visibility.PUBLIC.value)
    learning = TextAreaField(_l("What can we learn from this?"), filters=[_strip], validators=[Length(max=TEXT_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.visibility.choices = Visibility.choices()

    def set_values(self, values: list[RecognitionValue]) -> None:
        self.values.choices = [SelectChoice(v.id, v.name) for v in values]

    def words(self) -> ThankYou:
        return ThankYou(what_they_did=self.what_they_did.data or "", difference=self.difference.data or "",
                        value_ids=list(self.values.data or []), visibility=self.visibility.data or "",
                        learning=self.learning.data or "")

    @property
    def visibility_label(self) -> str:
        """Who will see it, in words (for the "Check and send" page, after validation)."""
        return Visibility(self.visibility.data).label


class ThankYouForm(ThankYouWordsForm):
    """Say thank you: people come from hidden ``to`` inputs (the colleague picker), a team from the unit picker.
    ``request_key`` travels through the "Check and send" and "Change" steps, so however often "Send" is pressed, one
    post is made."""

    request_key = _request_key()
    team = UnitField(_l("Or thank a whole team"))


def chosen_ids(values) -> list[int]:
    """The people chosen so far (hidden ``to`` inputs), in order, without repeats; anything not an id is ignored."""
    return parse_ids(values)[:50]


class WallFilterForm(Form):
    """The wall's filter bar: a plain GET form."""

    unit = UnitField(_l("Team or area"))  # the unit picker: ``unit`` is the unit's id, as links to the wall use
    value = SelectField(_l("Value"), validate_choice=False)
    type = SelectField(_l("Type"), validate_choice=False)

    def __init__(self, formdata, *, values):
        super().__init__(formdata)
        self.value.choices = [SelectChoice("", _("Any value")), *[SelectChoice(str(v.id), v.name) for v in values]]
        self.type.choices = [SelectChoice("", _("Thank-yous and awards")),
                             SelectChoice(PostKind.THANK_YOU.value, _("Thank-yous")),
                             SelectChoice(PostKind.AWARD.value, _("Awards"))]


class PeopleSearchForm(Form):
    q = SearchField(_l("Search for a colleague by name"), filters=[_strip])


class CommentForm(FlaskForm):
    request_key = _request_key()
    body = TextAreaField(_l("Add your thanks"), filters=[_strip],
                         validators=[DataRequired(_l("Write your thanks")), Length(max=COMMENT_MAX)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Why?"), filters=[_strip],
                           validators=[DataRequired(_l("Tell us why")), Length(max=1000)])


class ValueForm(FlaskForm):
    name = StringField(_l("Name of the value"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the value's name")), Length(max=80)])
