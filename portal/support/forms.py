"""Forms for booking support and for supporters' profiles and availability."""

from __future__ import annotations

import uuid
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.common.params import parse_id
from portal.org.picker import UnitField
from portal.support.models import BOOKABLE_KINDS, MeetingMode, Region, SupportKind
from portal.support.slots import parse_start

WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday")]
CONFIDENTIAL_HINT = _l("Only you and your supporter will see this.")
START_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered with the ``checkboxes`` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SlotFilterForm(Form):
    """The slot browser's filters: a plain GET form, so a filtered list is a link."""

    kind = SelectField(_l("Kind of support"), validate_choice=False)
    supporter = SelectField(_l("Supporter"), validate_choice=False)
    day = DateField(_l("From date"), validators=[Optional()])

    def __init__(self, formdata, *, supporters: list[tuple[int, str]], kinds=BOOKABLE_KINDS):
        super().__init__(formdata)
        self._kinds = tuple(kinds)
        self.kind.choices = [SelectChoice("", _("Any kind")), *[SelectChoice(k.value, k.label) for k in self._kinds]]
        self.supporter.choices = [SelectChoice("", _("Anyone")),
                                  *[SelectChoice(str(i), name) for i, name in supporters]]
        self._supporter_ids = {i for i, _name in supporters}

    @property
    def kind_value(self) -> str | None:
        return self.kind.data if self.kind.data in {k.value for k in self._kinds} else None

    @property
    def supporter_id(self) -> int | None:
        value = parse_id(self.supporter.data)
        return value if value in self._supporter_ids else None

    @property
    def day_value(self) -> date | None:
        return self.day.data if not self.day.errors else None


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class BookForm(FlaskForm):
    supporter_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d+$")])
    kind = HiddenField(validators=[DataRequired()])
    start = HiddenField(validators=[DataRequired(), Regexp(START_PATTERN)])
    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    meeting_mode = RadioField(_l("How would you like to meet?"), validate_choice=False)
    reason = TextAreaField(_l("What would you like to talk about?"), filters=[_strip],
                           validators=[Optional(), Length(max=2000)])

    def offer_modes(self, profile) -> None:
        """Offer the ways this supporter meets people; a choice is needed only when there are several."""
        details = {MeetingMode.ROOM: profile.room, MeetingMode.PHONE: profile.phone, MeetingMode.VIDEO: ""}
        modes = [MeetingMode(m) for m in profile.meeting_modes or ()]
        self.meeting_mode.choices = [SelectChoice(m.value, f"{m.label} ({details[m]})" if details[m] else m.label)
                                     for m in modes]

    def validate_meeting_mode(self, field) -> None:
        offered = [value for value, *_rest in field.iter_choices()]
        if len(offered) > 1 and field.data not in offered:
            raise ValidationError(_("Choose how you would like to meet."))


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why are you cancelling?"), filters=[_strip], validators=[Optional(), Length(max=1000)])


class RescheduleForm(FlaskForm):
    start = HiddenField(validators=[DataRequired(), Regexp(START_PATTERN)])
    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    reason = TextAreaField(_l("Why are you moving it?"), filters=[_strip], validators=[Optional(), Length(max=1000)])

    def validate(self, extra_validators=None) -> bool:
        """The start is a hidden field (the time chosen on the page before), so a start that is missing or not a
        real time ("2026-02-30T25:00Z" matches the pattern) is said at the top of the form."""
        valid = super().validate(extra_validators)
        if self.start.errors or parse_start(self.start.data) is None:
            self.form_errors.append(_("Choose a new time."))
            return False
        return valid


class ReflectionsForm(FlaskForm):
    reflections = TextAreaField(_l("Your reflections"), filters=[_strip], validators=[Length(max=5000)])


class SessionNotesForm(FlaskForm):
    session_notes = TextAreaField(_l("Session notes"), filters=[_strip], validators=[Length(max=5000)])


class ProfileForm(FlaskForm):
    kinds = MultiCheckboxField(_l("What do you offer?"), choices=SupportKind.choices(),
                               validators=[DataRequired(_l("Choose at least one kind of support you offer."))])
    about = TextAreaField(_l("About you"), filters=[_strip], validators=[Length(max=2000)])
    experience = TextAreaField(_l("Areas of experience"), filters=[_strip], validators=[Length(max=1000)])
    meeting_modes = MultiCheckboxField(_l("How do you meet?"),
                                       choices=MeetingMode.choices())
    room = StringField(_l("Room"), filters=[_strip], validators=[Length(max=200)])
    phone = StringField(_l("Phone number"), filters=[_strip], validators=[Length(max=40)])
    video_link = URLField(_l("Video call link"), filters=[_strip], validators=[Optional(), Length(max=500)])
    mentee_capacity = IntegerField(_l("Most mentees at once"), validators=[InputRequired(), NumberRange(0, 50)])
    needs_confirmation = BooleanField(_l("I want to confirm each booking myself"))
    slot_minutes = SelectField(_l("Session length"), coerce=int,
                               choices=[SelectChoice(m, _l("%(n)s minutes", n=m)) for m in (30, 45, 50, 60, 90)])
    buffer_minutes = SelectField(_l("Break between sessions"), coerce=int,
                                 choices=[SelectChoice(m, _l("%(n)s minutes", n=m)) for m in (0, 5, 10, 15, 30)])
    min_notice_hours = IntegerField(_l("Minimum notice, in hours"), validators=[InputRequired(), NumberRange(0, 336)])
    horizon_days = IntegerField(_l("How far ahead people can book, in days"),
                                validators=[InputRequired(), NumberRange(1, 180)])
    is_accepting = BooleanField(_l("I am taking bookings"))

    def profile_values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "kinds", "about", "experience", "meeting_modes", "room", "phone", "video_link", "mentee_capacity",
            "needs_confirmation", "slot_minutes", "buffer_minutes", "min_notice_hours", "horizon_days",
            "is_accepting")} | {"video_link": self.video_link.data or ""}


def _hours_kinds() -> list[SelectChoice]:
    """Kinds a supporter can give hours for: not de-briefs, which come through the duty rota instead."""
    return [SelectChoice(k.value, k.label) for k in SupportKind if k != SupportKind.DEBRIEF]


class WeeklyHoursForm(FlaskForm):
    kind = SelectField(_l("Kind of support"), choices=_hours_kinds)
    weekday = SelectField(_l("Day"), coerce=int, choices=lambda: [SelectChoice(i, d) for i, d in enumerate(WEEKDAYS)])
    start_time = TimeField(_l("From"), validators=[InputRequired(_l("Enter a start time, like 09:00"))])
    end_time = TimeField(_l("Until"), validators=[InputRequired(_l("Enter an end time, like 12:00"))])
    capacity = IntegerField(_l("Places (group sessions only)"), default=1, validators=[Optional(), NumberRange(1, 30)])


class OneOffForm(FlaskForm):
    kind = SelectField(_l("Kind of support"), choices=_hours_kinds)
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter a date"))])
    start_time = TimeField(_l("Start time"), validators=[InputRequired(_l("Enter a start time, like 14:00"))])
    minutes = IntegerField(_l("Length in minutes"), default=60, validators=[InputRequired(), NumberRange(15, 480)])
    capacity = IntegerField(_l("Places (group sessions only)"), default=1, validators=[Optional(), NumberRange(1, 30)])


class ExceptionForm(FlaskForm):
    first_day = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day"))])
    last_day = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day"))])
    label = StringField(_l("What is it? (for example: leave, training)"), filters=[_strip],
                        validators=[Length(max=80)])


class UnitRegionForm(FlaskForm):
    unit_id = UnitField(_l("Unit"), validators=[DataRequired(_l("Choose a unit"))], invalid_message=_l("Choose a unit"))
    region = RadioField(_l("Whose bank holidays does it keep?"), validate_choice=False,
                        choices=[SelectChoice("", _l("The same as the unit above it")), *Region.choices()])

    def validate_region(self, field) -> None:
        if field.data not in {"", *(r.value for r in Region)}:
            raise ValidationError(_("Choose where the unit is."))
