"""Forms for schemes (HR), nominating, co-signing, endorsing and the panel."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.models import User
from portal.awards.models import AwardCategory, AwardScheme, NominationState
from portal.awards.scheme_services import CategoryDetails, SchemeDetails
from portal.awards.services import ANSWER_MAX, ANSWER_MIN
from portal.org.picker import UnitField

CATEGORY_SLOTS = 5


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def new_request_key() -> str:
    """A fresh key for a form shown for the first time; it comes back with every post of that form."""
    return uuid.uuid4().hex


def _request_key() -> HiddenField:
    """The form's idempotency key: the same form sent twice (a double click, a second tab) creates one row."""
    return HiddenField(validators=[Optional(), Length(max=64)], default=new_request_key)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SchemeForm(FlaskForm):
    request_key = _request_key()  # used when creating a scheme; changing one is not a create
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(_l("Enter the scheme's name.")),
                                                                  Length(max=120)])
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[Optional(), Length(max=4000)])
    opens_on = DateField(_l("Opens for nominations on"), validators=[InputRequired(_l("Enter the opening date."))])
    closes_on = DateField(_l("Closes for nominations on"),
                          validators=[InputRequired(_l("Enter the closing date."))])
    decision_due_on = DateField(_l("Panel decisions due by"),
                                validators=[InputRequired(_l("Enter the date decisions are due."))])
    needs_manager_endorsement = BooleanField(_l("The nominee's line manager must endorse each nomination"))
    is_blind_review = BooleanField(_l("Blind review: the panel does not see who nominated or co-signed"))
    needs_publicity_consent = BooleanField(_l("Ask winners' consent before announcing their award"))
    panel = MultiCheckboxField(_l("Panel members"), coerce=int, validate_choice=False)
    decision_quorum = IntegerField(
        _l("How many panel members must score a nomination before it can be decided?"), default=1,
        validators=[Optional(), NumberRange(min=1, max=50, message=_l("Enter a number from 1 to 50."))])

    def __init__(self, *args, panel_people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.panel.choices = [SelectChoice(p.id, f"{p.display_name} ({p.unit.name})") for p in panel_people]

    @classmethod
    def for_scheme(cls, scheme: AwardScheme, *, panel_people: list[User]) -> SchemeForm:
        data = {name: getattr(scheme, name) for name in (
            "name", "description", "opens_on", "closes_on", "decision_due_on", "needs_manager_endorsement",
            "is_blind_review", "needs_publicity_consent", "decision_quorum")}
        data["panel"] = sorted(scheme.panel_member_ids)
        for i, category in enumerate(scheme.categories[:CATEGORY_SLOTS], start=1):
            data[f"category_{i}_name"] = category.name
            data[f"category_{i}_criteria"] = category.criteria
        return cls(data=data, panel_people=panel_people)

    def category_slots(self):
        return [(i, self[f"category_{i}_name"], self[f"category_{i}_criteria"])
                for i in range(1, CATEGORY_SLOTS + 1)]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        opens, closes, due = self.opens_on.data, self.closes_on.data, self.decision_due_on.data
        if opens and closes and closes < opens:
            self.closes_on.errors.append(_("The closing date must be on or after the opening date."))
            ok = False
        if closes and due and due < closes:
            self.decision_due_on.errors.append(_("Decisions must be due on or after the closing date."))
            ok = False
        for _i, name, criteria in self.category_slots():
            if name.data and not criteria.data:
                criteria.errors.append(_("Write at least one criterion for “%(name)s”, one per line.",
                                         name=name.data))
                ok = False
            elif criteria.data and not name.data:
                name.errors.append(_("Give this category a name."))
                ok = False
        return ok

    def details(self) -> SchemeDetails:
        categories = [CategoryDetails(name=name.data, criteria=criteria.data)
                      for _i, name, criteria in self.category_slots() if name.data]
        return SchemeDetails(
            name=self.name.data, description=self.description.data or "", opens_on=self.opens_on.data,
            closes_on=self.closes_on.data, decision_due_on=self.decision_due_on.data,
            needs_manager_endorsement=self.needs_manager_endorsement.data, is_blind_review=self.is_blind_review.data,
            needs_publicity_consent=self.needs_publicity_consent.data, categories=categories,
            panel_member_ids=list(self.panel.data or []), decision_quorum=self.decision_quorum.data or 1)


for _slot in range(1, CATEGORY_SLOTS + 1):
    setattr(SchemeForm, f"category_{_slot}_name",
            StringField(_l("Category %(n)s: name", n=_slot), filters=[_strip], validators=[Length(max=120)]))
    setattr(SchemeForm, f"category_{_slot}_criteria",
            TextAreaField(_l("Category %(n)s: criteria, one per line", n=_slot), filters=[_strip],
                          validators=[Length(max=4000)]))


class NominateForm(FlaskForm):
    """Pass ``category``; one answer field per criterion is added (answer_0, answer_1, …). ``request_key`` stays the
    same when the form comes back to ask "send this nomination as well?"."""

    request_key = _request_key()
    nominee_kind = RadioField(_l("Who are you nominating?"), choices=[SelectChoice("person", _l("A colleague")),
                                                                       SelectChoice("team", _l("A team"))],
                              default="person", validators=[InputRequired(_l("Choose a colleague or a team."))])
    # The colleague picker (portal/recognition/picker.py) sends the chosen person's id as ``person``; its search
    # box is ``q``, where the error summary points.
    person = StringField(_l("Colleague"), id="q", validators=[Length(max=20)])
    team = UnitField(_l("Team"))
    send_anyway = SubmitField(_l("Send this nomination as well"))

    def answer_fields(self):
        return [self[f"answer_{i}"] for i in range(self._criteria_count)]


def nominate_form(category: AwardCategory, **kwargs) -> NominateForm:
    criteria = category.criteria_list

    class CategoryNominateForm(NominateForm):
        _criteria_count = len(criteria)

    for i, criterion in enumerate(criteria):
        setattr(CategoryNominateForm, f"answer_{i}", TextAreaField(criterion, filters=[_strip], validators=[
            DataRequired(_l("Answer question %(n)s, with an example.", n=i + 1)),
            Length(min=ANSWER_MIN, max=ANSWER_MAX,
                   message=_l("Write between %(low)s and %(high)s characters, with an example.",
                              low=ANSWER_MIN, high=ANSWER_MAX))]))
    return CategoryNominateForm(**kwargs)


class CosignForm(FlaskForm):
    comment = TextAreaField(_l("Why you support this nomination"), filters=[_strip], validators=[
        DataRequired(_l("Write a comment.")), Length(min=5, max=1000, message=_l("Write 5 to 1,000 characters."))])


class EndorseForm(FlaskForm):
    decision = RadioField(_l("Do you endorse this nomination?"),
                          choices=[SelectChoice("endorse", _l("Yes, I endorse it")), SelectChoice("decline", _l("No"))],
                          validators=[InputRequired(_l("Choose whether you endorse it."))])
    reason = TextAreaField(_l("Your comments"), filters=[_strip], validators=[Length(max=2000)])


class ScoreForm(FlaskForm):
    """One 1–5 select per criterion (score_0, score_1, …)."""

    _criteria_count = 0

    def scores(self) -> dict[int, int]:
        """Criterion position → score, once validated (each select only accepts "1" to "5")."""
        return {i: int(self[f"score_{i}"].data) for i in range(self._criteria_count)}


def score_form(count: int, **kwargs) -> ScoreForm:
    class CriteriaScoreForm(ScoreForm):
        _criteria_count = count

    choices = [SelectChoice("", _l("Choose a score")), *[SelectChoice(str(n), str(n)) for n in range(1, 6)]]
    for i in range(count):
        setattr(CriteriaScoreForm, f"score_{i}", SelectField(
            _l("Score for criterion %(n)s", n=i + 1), choices=choices,
            validators=[DataRequired(_l("Choose a score from 1 to 5."))]))
    return CriteriaScoreForm(**kwargs)


DECISION_CHOICES = [SelectChoice(NominationState.AWARDED.value, _l("Award")),
                    SelectChoice(NominationState.NOT_AWARDED.value, _l("Do not award")),
                    SelectChoice(NominationState.CONVERTED.value, _l("Turn into a thank-you"))]


class DecideForm(FlaskForm):
    outcome = RadioField(_l("What does the panel decide?"), choices=DECISION_CHOICES,
                         validators=[InputRequired(_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason for the decision"), filters=[_strip], validators=[
        DataRequired(_l("Give a reason for the decision. The nominee will see it.")), Length(max=2000)])
