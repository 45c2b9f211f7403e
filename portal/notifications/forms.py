"""The notification settings form: one radio group per kind a person can choose for, and the digest hour."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from portal.notifications.kinds import all_kinds
from portal.notifications.models import Channel


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


class PreferencesForm(FlaskForm):
    digest_hour = SelectField(_l("Time of your daily summary"), coerce=int,
                              choices=[SelectChoice(h, hour_label(h)) for h in range(24)])


def offered_kinds(user) -> dict:
    """The kinds this person can choose for: those that apply to their roles and are not always emailed."""
    return {name: kind for name, kind in all_kinds().items() if kind.applies_to(user) and not kind.email_required}


def preferences_form(user, **kwargs) -> PreferencesForm:
    """A form with one radio group per kind this person can get."""

    class Form(PreferencesForm):
        pass

    for name, kind in offered_kinds(user).items():
        setattr(Form, field_name(name), RadioField(kind.label, choices=channel_choices(kind),
                                                   default=kind.default_channel))
    return Form(**kwargs)


def channel_choices(kind) -> list[SelectChoice]:
    if kind.scheduled:
        return [SelectChoice(Channel.EMAIL.value, _l("By email")),
                SelectChoice(Channel.IN_APP.value, Channel.IN_APP.label)]
    return Channel.choices()


def field_name(kind: str) -> str:
    return "kind__" + kind.replace(".", "__")
