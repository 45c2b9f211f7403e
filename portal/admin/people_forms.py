"""Forms for people administration: the list's filter bar, a person's details, and a temporary password."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Form, PasswordField, SearchField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.admin.people_queries import PeopleFilter, Status
from portal.auth.models import User
from portal.auth.services import PersonDetails, find_user_by_email
from portal.common.errors import DomainError
from portal.common.forms import attach_error, parse_id
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit

# Service errors name model fields; these are the form fields that show them.
SERVICE_FIELD_TO_FORM_FIELD = {"manager_id": "manager_email"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _optional_int(value) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, role.label) for role in Role]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered with the ``checkboxes`` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PeopleFilterForm(Form):
    """The filter bar: a plain GET form, so a filtered list is a link anyone can bookmark or share."""

    q = SearchField(_l("Name, email or staff number"), filters=[_strip])
    role = SelectField(_l("Role"), validate_choice=False)
    unit = SelectField(_l("Unit"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)

    def __init__(self, formdata, *, unit_labels: dict[int, str]):
        super().__init__(formdata)
        self.role.choices = [SelectChoice("", _("Any role")), *role_choices()]
        self.unit.choices = [SelectChoice("", _("All units")),
                             *[SelectChoice(str(unit_id), label) for unit_id, label in unit_labels.items()]]
        self.status.choices = [SelectChoice(Status.ACTIVE.value, _("Active")),
                               SelectChoice(Status.DEACTIVATED.value, _("Deactivated")),
                               SelectChoice(Status.ALL.value, _("Active and deactivated"))]
        self._unit_ids = unit_labels.keys()

    def people_filter(self) -> PeopleFilter:
        """The filter these arguments describe. Values that match nothing we offer are ignored, not errors."""
        role = self.role.data if self.role.data in {r.value for r in Role} else None
        unit_id = parse_id(self.unit.data)
        # unit_labels() has loaded every unit, so this get() is answered from the session without a query.
        unit = db.session.get(Unit, unit_id) if unit_id in self._unit_ids else None
        status = self.status.data if self.status.data in {s.value for s in Status} else Status.ACTIVE
        if not unit:
            self.unit.data = ""
        self.status.data = Status(status).value
        return PeopleFilter(q=(self.q.data or "")[:120], role=Role(role) if role else None, unit=unit,
                            status=Status(status))


class PersonForm(FlaskForm):
    """A person's details. Pass ``units`` (from ``unit_choices()``) and, when editing, ``person``."""

    display_name = StringField(_l("Full name"), filters=[_strip],
                               validators=[DataRequired(_l("Enter the person's full name")), Length(max=120)])
    email = EmailField(_l("Email"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the person's email address")), Length(max=320)])
    job_title = StringField(_l("Job title"), filters=[_strip], validators=[Optional(), Length(max=120)])
    staff_number = StringField(_l("Staff number"), filters=[_strip], validators=[Optional(), Length(max=40)])
    unit_id = SelectField(_l("Unit"), coerce=_optional_int,
                          validators=[DataRequired(_l("Choose the unit they work in"))],
                          invalid_choice_message=_l("Choose a unit from the list"),
                          invalid_value_message=_l("Choose a unit from the list"))
    manager_email = EmailField(_l("Line manager's email"), filters=[_strip],
                               validators=[Optional(), Length(max=320)])
    roles = MultiCheckboxField(_l("Roles"), invalid_choice_message=_l("Choose roles from the list"))

    def __init__(self, *args, units: list[tuple[int, str]], person: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.manager: User | None = None
        self.unit_id.choices = [SelectChoice("", _("Choose a unit")),
                                *[SelectChoice(unit_id, label) for unit_id, label in units]]
        self.roles.choices = role_choices()

    @classmethod
    def for_person(cls, person: User, *, units: list[tuple[int, str]], from_request: bool = True) -> PersonForm:
        """The edit form, filled from ``person``, and on a POST from the request unless ``from_request`` is False."""
        data = {"display_name": person.display_name, "email": person.email, "job_title": person.job_title,
                "staff_number": person.staff_number or "", "unit_id": person.unit_id,
                "manager_email": person.manager.email if person.manager else "",
                "roles": sorted(role.value for role in person.roles)}
        formdata = {} if from_request else {"formdata": None}
        return cls(data=data, units=units, person=person, **formdata)

    def validate_roles(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one role. Everyone with an account is usually Staff."))

    def validate_manager_email(self, field) -> None:
        if not field.data:
            return
        manager = find_user_by_email(field.data)
        if manager is None:
            raise ValidationError(_("There is no one in Frontline with this email address. Check it, or leave "
                                    "this empty."))
        unchanged = self.person is not None and self.person.manager_id == manager.id
        if not manager.is_active_account and not unchanged:
            raise ValidationError(_("%(name)s's account is deactivated. Choose someone who is still here.",
                                    name=manager.display_name))
        self.manager = manager

    def details(self) -> PersonDetails:
        """The validated form as the accounts service wants it."""
        return PersonDetails(email=self.email.data, display_name=self.display_name.data,
                             unit=db.session.get(Unit, self.unit_id.data), job_title=self.job_title.data or "",
                             staff_number=self.staff_number.data or None, manager=self.manager,
                             roles=[Role(value) for value in self.roles.data])


class NewPersonForm(PersonForm):
    password = PasswordField(_l("Temporary password"), validators=[Optional(), Length(max=256)])


class TemporaryPasswordForm(FlaskForm):
    password = PasswordField(_l("New temporary password"),
                             validators=[DataRequired(_l("Enter a temporary password")), Length(max=256)])


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's DomainError next to the form field that holds the value it is about."""
    if error.field in SERVICE_FIELD_TO_FORM_FIELD:
        error = type(error)(error.message, field=SERVICE_FIELD_TO_FORM_FIELD[error.field])
    attach_error(form, error)
