"""HR's API tokens: the list, making one (its secret is shown once), and revoking one (with an "Are you sure?"
page that works without JavaScript)."""

from __future__ import annotations

import uuid

from flask import flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.common.access import role_required
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.extensions import db
from portal.hr import policies
from portal.hr.forms import RevokeForm, TokenForm
from portal.hr.models import ApiToken
from portal.hr.services import create_token, revoke_token


@role_required(Role.HR)
def tokens():
    found = list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))
    return render_page("hr/tokens.html", tokens=found)


@role_required(Role.HR)
def token_new():
    form = TokenForm()
    form.request_key.data = form.request_key.data or uuid.uuid4().hex
    if form.validate_on_submit():
        with attempt(form) as outcome:
            token, secret = create_token(actor=current_user, name=form.name.data, scopes=set(form.scopes.data),
                                         days=form.days.data, idempotency_key=form.request_key.data)
        if outcome.ok:
            # Shown once, in the answer to the POST; never cached, never in a redirect's URL or the session.
            response = make_response(render_template("hr/token_created.html", token=token, secret=secret))
            response.headers["Cache-Control"] = "no-store"
            return response
    return render_page("hr/token_new.html", form=form)


@role_required(Role.HR)
@load("token_id", ApiToken, can=policies.can_manage_tokens, into="token")
def token_revoke(token: ApiToken):
    form = RevokeForm()
    if form.validate_on_submit():
        with attempt() as outcome:
            revoke_token(actor=current_user, token=token)
        if outcome.ok:
            flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
        return redirect_after_post(url_for("hr.tokens"))
    return render_page("hr/token_revoke.html", token=token, form=form)
