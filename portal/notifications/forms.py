from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from portal.notifications.kinds import KINDS
from portal.notifications.models import Channel

CHANNEL_CHOICES = [
    SelectChoice(Channel.EMAIL.value, _l("Email straight away")),
    SelectChoice(Channel.DIGEST.value, _l("In my daily summary email")),
    SelectChoice(Channel.IN_APP.value, _l("Only in Frontline")),
]


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


class PreferencesForm(FlaskForm):
    digest_hour = SelectField(_l("Time of your daily summary"), coerce=int,
                              choices=[SelectChoice(h, hour_label(h)) for h in range(24)])


def offered_kinds(user) -> dict:
    """The kinds this person can choose for: those that apply to their roles and are not always emailed."""
    return {name: kind for name, kind in KINDS.items() if kind.applies_to(user) and not kind.email_required}


def preferences_form(user, **kwargs) -> PreferencesForm:
    """A form with one radio group per kind this person can get."""

    class Form(PreferencesForm):
        pass

    for name, kind in offered_kinds(user).items():
        setattr(Form, field_name(name), RadioField(kind.label, choices=CHANNEL_CHOICES, default=kind.default_channel))
    return Form(**kwargs)


def field_name(kind: str) -> str:
    return "kind__" + kind.replace(".", "__")
