"""People administration: find, add and change the people who use Frontline (administrators only)."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin.people_forms import NewPersonForm, PeopleFilterForm, PersonForm, TemporaryPasswordForm, show_error
from portal.admin.people_queries import count_people, people_page, recent_events_about
from portal.admin.views import bp
from portal.auth.models import User
from portal.auth.services import create_user, set_active, set_temporary_password, sign_out_everywhere, update_user
from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.roles import Role
from portal.extensions import db
from portal.org.queries import unit_choices, unit_labels


def _person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    return person


def _person_url(person: User) -> str:
    return url_for("admin.user_edit", user_id=person.id)


def _person_page(person: User, *, form: PersonForm, password_form: TemporaryPasswordForm):
    return render_page("admin/people/edit.html", person=person, form=form, password_form=password_form,
                       labels=unit_labels(), events=recent_events_about(person))


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    labels = unit_labels()
    filter_form = PeopleFilterForm(request.args, unit_labels=labels)
    people_filter = filter_form.people_filter()
    after = request.args.get("after") or None
    page = people_page(people_filter, after=after)
    # "Show more" with htmx appends rows only; every other response states how many people match.
    more_rows_only = after is not None and is_htmx()
    total = None if more_rows_only else count_people(people_filter)
    return render_page("admin/people/index.html", block="rows" if after else "results", filter_form=filter_form,
                       page=page, total=total, labels=labels, filter_args=people_filter.as_args(), after=after,
                       live_update=is_htmx())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_new():
    form = NewPersonForm(units=unit_choices())
    if form.validate_on_submit():
        password = form.password.data or None
        try:
            person = create_user(details=form.details(), password=password, actor=current_user,
                                 must_change_password=password is not None)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=person.display_name), "success")
            return redirect_after_post(_person_url(person))
    return render_page("admin/people/new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_edit(user_id: int):
    person = _person_or_404(user_id)
    form = PersonForm.for_person(person, units=unit_choices())
    if form.validate_on_submit():
        try:
            changed = update_user(user=person, details=form.details(), actor=current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your changes have been saved.") if changed else _("Nothing was changed."),
                  "success" if changed else "info")
            return redirect_after_post(_person_url(person))
    return _person_page(person, form=form, password_form=TemporaryPasswordForm(formdata=None))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@role_required(Role.ADMIN)
def user_deactivate(user_id: int):
    person = _person_or_404(user_id)
    try:
        set_active(user=person, active=False, actor=current_user)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("%(name)s has been deactivated. They have been signed out and cannot sign in.",
                name=person.display_name), "success")
    return redirect_after_post(_person_url(person))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@role_required(Role.ADMIN)
def user_reactivate(user_id: int):
    person = _person_or_404(user_id)
    set_active(user=person, active=True, actor=current_user)
    db.session.commit()
    flash(_("%(name)s has been reactivated and can sign in again.", name=person.display_name), "success")
    return redirect_after_post(_person_url(person))


@bp.route("/users/<int:user_id>/temporary-password", methods=["POST"])
@role_required(Role.ADMIN)
def user_temporary_password(user_id: int):
    person = _person_or_404(user_id)
    password_form = TemporaryPasswordForm()
    if password_form.validate_on_submit():
        try:
            set_temporary_password(user=person, password=password_form.password.data, actor=current_user)
        except DomainError as error:
            show_error(password_form, error)
        else:
            db.session.commit()
            flash(_("Temporary password set. Give it to %(name)s in person or by phone: they must choose their "
                    "own when they next sign in. They have been signed out everywhere else.",
                    name=person.display_name), "success")
            return redirect_after_post(_person_url(person))
    form = PersonForm.for_person(person, units=unit_choices(), from_request=False)
    return _person_page(person, form=form, password_form=password_form)


@bp.route("/users/<int:user_id>/sign-out-everywhere", methods=["POST"])
@role_required(Role.ADMIN)
def user_sign_out_everywhere(user_id: int):
    person = _person_or_404(user_id)
    sign_out_everywhere(user=person, actor=current_user)
    db.session.commit()
    flash(_("%(name)s has been signed out on every device.", name=person.display_name), "success")
    return redirect_after_post(_person_url(person))
