"""Forms for good practice. The services hold the rules (and say which field a problem is in); the forms carry the
fields, their limits and their labels."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.common.params import parse_id
from portal.practice.models import (
    BODY_MAX,
    COMMENT_MAX,
    PROMPT_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    TAGS_TEXT_MAX,
    TITLE_MAX,
    FlagReason,
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("Use %(n)d characters or fewer", n=limit))


def new_request_key() -> str:
    return uuid.uuid4().hex


class NoteForm(FlaskForm):
    request_key = HiddenField(validators=[Optional(), Length(max=64)])
    version = IntegerField(validators=[Optional()])
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(_l("Enter a title")),
                                                                   _too_long(TITLE_MAX)])
    summary = StringField(_l("One-line summary"), filters=[_strip],
                          validators=[DataRequired(_l("Enter a one-line summary")), _too_long(SUMMARY_MAX)])
    body_source = TextAreaField(_l("Body"), filters=[_strip], validators=[DataRequired(_l("Write the note")),
                                                                         _too_long(BODY_MAX)])
    situation = TextAreaField(_l("The situation"), filters=[_strip], validators=[Optional(), _too_long(PROMPT_MAX)])
    what_we_did = TextAreaField(_l("What we did"), filters=[_strip], validators=[Optional(), _too_long(PROMPT_MAX)])
    what_changed = TextAreaField(_l("What changed"), filters=[_strip],
                                 validators=[Optional(), _too_long(PROMPT_MAX)])
    tips = TextAreaField(_l("Tips for others"), filters=[_strip], validators=[Optional(), _too_long(PROMPT_MAX)])
    tags = StringField(_l("Tags"), filters=[_strip], validators=[Optional(), _too_long(TAGS_TEXT_MAX)])
    confirm_personal_data = BooleanField(_l("I have checked: none of this is about a real patient or customer"))


class CommentForm(FlaskForm):
    request_key = HiddenField(validators=[Optional(), Length(max=64)])
    body = TextAreaField(_l("Add a comment"), filters=[_strip],
                         validators=[DataRequired(_l("Write your comment")), _too_long(COMMENT_MAX)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[_strip],
                           validators=[DataRequired(_l("Tell the author why")), _too_long(REASON_MAX)])


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("What is wrong with this comment?"), filters=[_strip],
                           validators=[DataRequired(_l("Tell us why")), _too_long(REASON_MAX)])


class FlagForm(FlaskForm):
    reason = RadioField(_l("What is wrong with this note?"), choices=FlagReason.choices(),
                        validators=[InputRequired(_l("Choose what is wrong"))])
    detail = TextAreaField(_l("Tell the champions more"), filters=[_strip],
                           validators=[Optional(), _too_long(REASON_MAX)])


class ApproveForm(FlaskForm):
    clear_personal_data = BooleanField(_l("I have checked the highlighted text: it is not about a real patient or "
                                          "customer"))


class FeatureForm(FlaskForm):
    until = DateField(_l("Feature it until"), validators=[InputRequired(_l("Enter a date, like 31/12/2026"))])


class SupersedeForm(FlaskForm):
    newer = RadioField(_l("Which note replaces it?"), coerce=parse_id, choices=[], validate_choice=False,
                       validators=[InputRequired(_l("Choose the newer note"))])


class FollowTagForm(FlaskForm):
    tag = StringField(_l("Follow a tag"), filters=[_strip], validators=[DataRequired(_l("Enter a tag")),
                                                                         Length(max=40)])


class AnswerForm(FlaskForm):
    answer = RadioField(_l("May this thank-you be shared as good practice?"),
                        choices=[SelectChoice("yes", _l("Yes, share it")),
                                 SelectChoice("no", _l("No, keep it as it is"))],
                        validators=[InputRequired(_l("Choose yes or no"))])
