"""People administration: find, add and change the people who use Frontline (administrators only).

The account actions (invitation, temporary password, sign out everywhere, deactivate, reactivate) are never for
your own account: ``policies.can_manage_account`` refuses them (403) whatever the page showed. The URL rules are in
blueprint.py.
"""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin.people_forms import NewPersonForm, PeopleFilterForm, PersonForm, TemporaryPasswordForm
from portal.admin.people_queries import count_people, people_page, recent_events_about
from portal.auth import policies
from portal.auth.invitations import add_person, invitation_lifetime
from portal.auth.models import TokenPurpose, User
from portal.auth.services import set_active, set_temporary_password, sign_out_everywhere, update_user
from portal.auth.tokens import latest_token
from portal.common.access import role_required
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.db import utcnow
from portal.org.queries import unit_labels


def _person_url(person: User) -> str:
    return url_for("admin.user_edit", user_id=person.id)


def _person_page(person: User, *, form: PersonForm, password_form: TemporaryPasswordForm):
    return render_page("admin/people/edit.html", person=person, form=form, password_form=password_form,
                       labels=unit_labels(), events=recent_events_about(person),
                       invitation=latest_token(person, TokenPurpose.INVITATION), now=utcnow())


@role_required(Role.ADMIN)
def users():
    labels = unit_labels()  # the names of the units in the list's rows
    filter_form = PeopleFilterForm(request.args)
    people_filter = filter_form.people_filter()
    after = request.args.get("after") or None
    page = people_page(people_filter, after=after)
    # "Show more" with htmx appends rows only; every other response states how many people match.
    more_rows_only = after is not None and is_htmx()
    total = None if more_rows_only else count_people(people_filter)
    return render_page("admin/people/index.html", block="rows" if after else "results", filter_form=filter_form,
                       page=page, total=total, labels=labels, filter_args=people_filter.as_args(), after=after,
                       live_update=is_htmx())


@role_required(Role.ADMIN)
def user_new():
    form = NewPersonForm()
    if not form.unit_id.searching and form.validate_on_submit():
        password = form.password.data or None
        invite = form.invite.data and password is None
        with attempt(form) as outcome:
            person = add_person(details=form.details(), password=password, invite=invite, actor=current_user)
        if outcome.ok:
            flash(_("%(name)s has been added and sent an invitation to choose a password.", name=person.display_name)
                  if invite else _("%(name)s has been added.", name=person.display_name), "success")
            return redirect_after_post(_person_url(person))
    return render_page("admin/people/new.html", form=form, invitation_days=invitation_lifetime().days)


@role_required(Role.ADMIN)
@load("user_id", User, into="person")
def user_edit(person: User):
    """Anyone's details, your own included (the service stops you removing your own administrator role)."""
    form = PersonForm.for_person(person)
    if not form.unit_id.searching and form.validate_on_submit():
        with attempt(form) as outcome:
            changed = update_user(user=person, details=form.details(), actor=current_user)
        if outcome.ok:
            flash(_("Your changes have been saved.") if changed else _("Nothing was changed."),
                  "success" if changed else "info")
            return redirect_after_post(_person_url(person))
    return _person_page(person, form=form, password_form=TemporaryPasswordForm(formdata=None))


# Deactivate and reactivate ask who may act (can_manage_account), not the account's state: a second click, or a
# second administrator, finds it already done and is told so, instead of a 403.
@role_required(Role.ADMIN)
@load("user_id", User, can=policies.can_manage_account, into="person")
def user_deactivate(person: User):
    set_active(user=person, active=False, actor=current_user)
    flash(_("%(name)s has been deactivated. They have been signed out and cannot sign in.",
            name=person.display_name), "success")
    return redirect_after_post(_person_url(person))


@role_required(Role.ADMIN)
@load("user_id", User, can=policies.can_manage_account, into="person")
def user_reactivate(person: User):
    set_active(user=person, active=True, actor=current_user)
    flash(_("%(name)s has been reactivated and can sign in again.", name=person.display_name), "success")
    return redirect_after_post(_person_url(person))


@role_required(Role.ADMIN)
@load("user_id", User, can=policies.can_manage_account, into="person")
def user_temporary_password(person: User):
    password_form = TemporaryPasswordForm()
    if password_form.validate_on_submit():
        with attempt(password_form) as outcome:
            set_temporary_password(user=person, password=password_form.password.data, actor=current_user)
        if outcome.ok:
            flash(_("Temporary password set. Give it to %(name)s in person or by phone: they must choose their "
                    "own when they next sign in. They have been signed out everywhere else.",
                    name=person.display_name), "success")
            return redirect_after_post(_person_url(person))
    form = PersonForm.for_person(person, from_request=False)
    return _person_page(person, form=form, password_form=password_form)


@role_required(Role.ADMIN)
@load("user_id", User, can=policies.can_manage_account, into="person")
def user_sign_out_everywhere(person: User):
    sign_out_everywhere(user=person, actor=current_user)
    flash(_("%(name)s has been signed out on every device.", name=person.display_name), "success")
    return redirect_after_post(_person_url(person))

