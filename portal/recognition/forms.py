"""Forms for recognition. Length rules live in the services (one place); the forms carry the fields."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, RadioField, SearchField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.recognition.models import PostKind, RecognitionValue, Visibility
from portal.recognition.reactions import COMMENT_MAX
from portal.recognition.services import TEXT_MAX, WHAT_MAX, ThankYou


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _int_list(values) -> list[int]:
    result = []
    for value in values or []:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            continue
    return result


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
        self.visibility.choices = [SelectChoice(v.value, v.label) for v in Visibility]

    def set_values(self, values: list[RecognitionValue]) -> None:
        self.values.choices = [SelectChoice(v.id, v.name) for v in values]

    def words(self) -> ThankYou:
        return ThankYou(what_they_did=self.what_they_did.data or "", difference=self.difference.data or "",
                        value_ids=list(self.values.data or []), visibility=self.visibility.data or "",
                        learning=self.learning.data or "")


class ThankYouForm(ThankYouWordsForm):
    """Say thank you: people come from hidden ``to`` inputs (the picker), a team from the select."""

    team = SelectField(_l("Or thank a whole team"), validate_choice=False, default="")

    def set_teams(self, unit_choices: list[tuple[int, str]]) -> None:
        self.team.choices = [SelectChoice("", _("No team")),
                             *[SelectChoice(str(unit_id), label) for unit_id, label in unit_choices]]

    @property
    def team_id(self) -> int | None:
        ids = _int_list([self.team.data])
        return ids[0] if ids else None


def chosen_ids(values) -> list[int]:
    """The people chosen so far (hidden ``to`` inputs), in order, without repeats."""
    seen: list[int] = []
    for person_id in _int_list(values):
        if person_id not in seen:
            seen.append(person_id)
    return seen[:50]


class WallFilterForm(Form):
    """The wall's filter bar: a plain GET form."""

    unit = SelectField(_l("Team or area"), validate_choice=False)
    value = SelectField(_l("Value"), validate_choice=False)
    type = SelectField(_l("Type"), validate_choice=False)

    def __init__(self, formdata, *, unit_choices, values):
        super().__init__(formdata)
        self.unit.choices = [SelectChoice("", _("Everywhere")),
                             *[SelectChoice(str(i), label) for i, label in unit_choices]]
        self.value.choices = [SelectChoice("", _("Any value")), *[SelectChoice(str(v.id), v.name) for v in values]]
        self.type.choices = [SelectChoice("", _("Thank-yous and awards")),
                             SelectChoice(PostKind.THANK_YOU.value, _("Thank-yous")),
                             SelectChoice(PostKind.AWARD.value, _("Awards"))]


class PeopleSearchForm(Form):
    q = SearchField(_l("Search for a colleague by name"), filters=[_strip])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Add your thanks"), filters=[_strip],
                         validators=[DataRequired(_l("Write your thanks")), Length(max=COMMENT_MAX)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Why?"), filters=[_strip],
                           validators=[DataRequired(_l("Tell us why")), Length(max=1000)])


class ValueForm(FlaskForm):
    name = StringField(_l("Name of the value"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the value's name")), Length(max=80)])
