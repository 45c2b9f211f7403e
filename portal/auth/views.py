"""Signing in and out, and changing your password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth.forms import ChangePasswordForm, EmptyForm, LoginForm
from portal.auth.services import SignInFailed, authenticate, change_password
from portal.common.access import password_change_allowed, public
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import render_page
from portal.common.security import safe_next
from portal.extensions import db, form_email, limiter

bp = Blueprint("auth", __name__)


def _only_failures(response) -> bool:
    return response.status_code != 303


def _begin_session(user) -> None:
    """A new session for a new sign-in (no session fixation); the chosen language survives."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=form_email, methods=["POST"],
               deduct_when=_only_failures, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_only_failures,
               scope="login-ip")
def login():
    next_url = safe_next(request.args.get("next"), url_for("home.index"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(email=form.email.data, password=form.password.data)
        except SignInFailed as error:
            db.session.commit()  # keep the audit record of the failure
            form.form_errors.append(error.message)
        else:
            _begin_session(user)
            db.session.commit()
            return redirect(next_url, code=303)
    return render_page("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"], endpoint="change_password")
@password_change_allowed
def change_password_view():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(user=current_user, current_password=form.current_password.data,
                            new_password=form.new_password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            # The session token changed: keep this session, end all others. Pass the User itself: storing the
            # current_user proxy would make it resolve to itself (endless recursion on the next use).
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. You have been signed out on other devices."), "success")
            return redirect(url_for("home.index"), code=303)
    return render_page("auth/change_password.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def choose_language():
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("home.index")), code=303)


@bp.app_context_processor
def _empty_form():
    return {"empty_form": EmptyForm}
