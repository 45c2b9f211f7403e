"""Signing in (with a password, the directory, or the reverse proxy's single sign-on) and out, changing your
password, and choosing the language. The URL rules are in blueprint.py.

Views never commit: a failed sign-in's audit record is kept because the page answers 200, and the request's unit
of work commits every answer below 400.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import directory
from portal.auth.directory_settings import trusted_header_settings
from portal.auth.forms import ChangePasswordForm, LoginForm
from portal.auth.services import SignInFailed, change_password
from portal.auth.sessions import SSO_FAILED, begin_session, header_identity, peer_address, wants_header_sign_in
from portal.auth.signing_in import record_untrusted_header, sign_in_with_header, sign_in_with_password
from portal.common.access import password_change_allowed, public
from portal.common.htmx import render_page
from portal.common.security import safe_next
from portal.common.transaction import attempt, writes
from portal.extensions import form_email, limiter


def _only_failures(response) -> bool:
    return response.status_code != 303


def _not_signed_in(response) -> bool:
    """Single sign-on counts every visit that signed nobody in (an ignored header too: each is audit-logged)."""
    return not current_user.is_authenticated


def _login_page(form: LoginForm):
    return render_page("auth/login.html", form=form, directory_enabled=directory.enabled())


@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=form_email, methods=["POST"],
               deduct_when=_only_failures, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_only_failures,
               scope="login-ip")
def login():
    next_url = safe_next(request.args.get("next"), url_for("home.index"))
    if current_user.is_authenticated:
        return redirect(next_url)
    if request.method == "GET" and wants_header_sign_in():
        return redirect(url_for("auth.single_sign_on", next=request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = sign_in_with_password(identifier=form.email.data, password=form.password.data)
        except SignInFailed as error:
            # Not attempt(): the audit record of the failure must stay, so nothing is rolled back.
            form.form_errors.append(error.message)
        else:
            begin_session(user)
            return redirect(next_url, code=303)
    return _login_page(form)


@public
@writes
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], deduct_when=_not_signed_in, scope="sso-ip")
def single_sign_on():
    """Sign in the person the reverse proxy vouches for (TRUSTED_HEADER), if the request came from one of
    TRUSTED_PROXIES. From anyone else the header is ignored and audit-logged, and the sign-in page is shown."""
    next_url = safe_next(request.args.get("next"), url_for("home.index"))
    value, trusted = header_identity()
    # 303 ("see the sign-in page"): this address answered, by showing where to sign in instead.
    if value is None or current_user.is_authenticated:
        return redirect(next_url if current_user.is_authenticated else url_for("auth.login"), code=303)
    if not trusted:
        record_untrusted_header(header=trusted_header_settings(current_app.config).header, value=value,
                                peer=peer_address())
        session[SSO_FAILED] = value
        return redirect(url_for("auth.login", next=request.args.get("next")), code=303)
    try:
        user = sign_in_with_header(identity=value)
    except SignInFailed as error:
        session[SSO_FAILED] = value
        form = LoginForm(formdata=None)
        form.form_errors.append(_("%(problem)s You can sign in with your email and password instead.",
                                  problem=error.message))
        return _login_page(form)
    begin_session(user, sso_identity=value)
    return redirect(next_url, code=303)


@public
def logout():
    if current_user.is_authenticated:
        logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"), code=303)


@password_change_allowed
def change_password_view():
    if current_user.password_hash is None:
        # Someone who signs in with the directory (or single sign-on) has no password of Frontline's to change.
        return render_page("auth/change_password.html", form=None, directory_account=current_user.is_directory_account)
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            change_password(user=current_user, current_password=form.current_password.data,
                            new_password=form.new_password.data)
        if outcome.ok:
            # The session token changed: keep this session, end all others. Pass the User itself: storing the
            # current_user proxy would make it resolve to itself (endless recursion on the next use).
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. You have been signed out on other devices."), "success")
            return redirect(url_for("home.index"), code=303)
    return render_page("auth/change_password.html", form=form)


@public
def choose_language():
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
    return redirect(safe_next(request.form.get("next"), url_for("home.index")), code=303)
