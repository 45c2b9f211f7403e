"""Choosing a password without knowing the old one: "Forgotten your password?", and the emailed links of
invitations and resets. The URL rules are in blueprint.py.

A link's secret is moved from the address into the session at once (``/password/new/<secret>`` → ``/password/new``),
so it does not stay in the browser's history or reach another site in a Referer header.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from portal.auth import directory
from portal.auth.forms import ChoosePasswordForm, PasswordResetRequestForm
from portal.auth.invitations import choose_password, request_password_reset, reset_lifetime, usable_link
from portal.auth.sessions import begin_session
from portal.common.access import public
from portal.common.htmx import render_page
from portal.common.transaction import attempt
from portal.extensions import form_email, limiter

LINK_KEY = "password_link"
REQUESTED_KEY = "password_reset_requested_for"


@public
@limiter.limit(lambda: current_app.config.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3 per hour"),
               key_func=form_email, methods=["POST"], scope="reset-address")
@limiter.limit(lambda: current_app.config.get("PASSWORD_RESET_LIMIT_PER_IP", "20 per hour"), methods=["POST"],
               scope="reset-ip")
def request_reset():
    """Ask for a link. The answer is the same whether or not the address has an account (and every request counts
    towards the limits, so the limits say nothing either)."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            address = request_password_reset(email=form.email.data, ip=request.remote_addr)
        if outcome.ok:
            session[REQUESTED_KEY] = address
            return redirect(url_for("auth.reset_sent"), code=303)
    return render_page("auth/reset_request.html", form=form, directory_enabled=directory.enabled())


@public
def reset_sent():
    minutes = int(reset_lifetime().total_seconds() // 60)
    return render_page("auth/reset_sent.html", address=session.get(REQUESTED_KEY), minutes=minutes,
                       directory_enabled=directory.enabled())


@public
def open_link(link_token: str):
    """The address in the email: keep the secret in the session and show the form at a plain address."""
    if usable_link(link_token) is None:
        return render_page("auth/link_unusable.html")
    session[LINK_KEY] = link_token
    return redirect(url_for("auth.choose_password"))


@public
def choose_password_view():
    secret = session.get(LINK_KEY)
    token = usable_link(secret)
    if token is None:
        return render_page("auth/link_unusable.html")
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            user = choose_password(secret=secret, new_password=form.new_password.data)
        if outcome.ok:
            begin_session(user)  # a new session: the link's secret goes with the old one
            flash(_("Your password is set, and you are signed in. Anyone signed in to your account elsewhere has "
                    "been signed out."), "success")
            return redirect(url_for("home.index"), code=303)
    return render_page("auth/choose_password.html", form=form, token=token)
