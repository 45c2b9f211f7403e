"""Forms for people administration: the list's filter bar, a person's details, and a temporary password."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    PasswordField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.admin.people_queries import PeopleFilter, Status
from portal.auth.models import User
from portal.auth.services import PersonDetails, check_password_rules, find_user_by_email, normalise_email
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db
from portal.org.picker import UnitField


def _strip(value):
    return value.strip() if isinstance(value, str) else value


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
    unit = UnitField(_l("Unit"))  # the unit picker: ``unit`` is the unit's id, as the list's links keep it
    status = SelectField(_l("Status"), validate_choice=False)

    def __init__(self, formdata):
        super().__init__(formdata)
        self.role.choices = [SelectChoice("", _("Any role")), *role_choices()]
        self.status.choices = Status.choices()

    def people_filter(self) -> PeopleFilter:
        """The filter these arguments describe. Values that match nothing we offer are ignored, not errors."""
        role = self.role.data if self.role.data in {r.value for r in Role} else None
        status = Status(self.status.data) if self.status.data in {s.value for s in Status} else Status.ACTIVE
        self.status.data = status.value
        return PeopleFilter(q=(self.q.data or "")[:120], role=Role(role) if role else None, unit=self.unit.unit,
                            status=status)


class PersonForm(FlaskForm):
    """A person's details; their unit comes from the unit picker. Pass ``person`` when editing."""

    display_name = StringField(_l("Full name"), filters=[_strip],
                               validators=[DataRequired(_l("Enter the person's full name")), Length(max=120)])
    email = EmailField(_l("Email"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the person's email address")), Length(max=320)])
    job_title = StringField(_l("Job title"), filters=[_strip], validators=[Optional(), Length(max=120)])
    staff_number = StringField(_l("Staff number"), filters=[_strip], validators=[Optional(), Length(max=40)])
    unit_id = UnitField(_l("Unit"), validators=[DataRequired(_l("Choose the unit they work in"))],
                        invalid_message=_l("Choose a unit from the list"))
    manager_email = EmailField(_l("Line manager's email"), filters=[_strip],
                               validators=[Optional(), Length(max=320)])
    roles = MultiCheckboxField(_l("Roles"), invalid_choice_message=_l("Choose roles from the list"))

    def __init__(self, *args, person: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.manager: User | None = None
        self.roles.choices = role_choices()

    @classmethod
    def for_person(cls, person: User, *, from_request: bool = True) -> PersonForm:
        """The edit form, filled from ``person``, and on a POST from the request unless ``from_request`` is False."""
        data = {"display_name": person.display_name, "email": person.email, "job_title": person.job_title,
                "staff_number": person.staff_number or "", "unit_id": person.unit_id,
                "manager_email": person.manager.email if person.manager else "",
                "roles": sorted(role.value for role in person.roles)}
        formdata = {} if from_request else {"formdata": None}
        return cls(data=data, person=person, **formdata)

    @property
    def manager_id(self):
        """The accounts service names the manager by its model field (``DomainError(field="manager_id")``); its
        message belongs next to the email the manager was chosen by."""
        return self.manager_email

    # The service checks these again; checking them here too shows every problem in one round, not one at a time.
    def validate_email(self, field) -> None:
        try:
            email = normalise_email(field.data)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc
        other = find_user_by_email(email)
        if other is not None and other is not self.person:
            raise ValidationError(_("Someone already has this email address."))

    def validate_staff_number(self, field) -> None:
        if not field.data:
            return
        other = db.session.scalar(select(User).where(func.lower(User.staff_number) == field.data.lower()))
        if other is not None and other is not self.person:
            raise ValidationError(_("Staff number %(number)s already belongs to %(name)s.", number=field.data,
                                    name=other.display_name))

    def validate_roles(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one role. Everyone with an account is usually Staff."))

    def validate_manager_email(self, field) -> None:
        """Runs only when an email was given (``Optional()`` ends the checks for an empty one)."""
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
                             unit=self.unit_id.unit, job_title=self.job_title.data or "",
                             staff_number=self.staff_number.data or None, manager=self.manager,
                             roles=[Role(value) for value in self.roles.data])


class NewPersonForm(PersonForm):
    # Everyone with an account is Staff: a new person starts with it ticked.
    roles = MultiCheckboxField(_l("Roles"), default=[Role.STAFF.value],
                               invalid_choice_message=_l("Choose roles from the list"))
    # Ticked on the page (a new form's default); a POST without it (a script, an older form) invites nobody.
    invite = BooleanField(_l("Email them an invitation to choose their password"), default=True)
    password = PasswordField(_l("Temporary password"), validators=[Optional(), Length(max=256)])

    def validate_password(self, field) -> None:
        try:
            check_password_rules(field.data)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


class TemporaryPasswordForm(FlaskForm):
    password = PasswordField(_l("New temporary password"),
                             validators=[DataRequired(_l("Enter a temporary password")), Length(max=256)])

