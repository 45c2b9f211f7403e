"""Personal calendar feed: make (or remake) a secret link, revoke it, and serve the feed to calendar apps."""

from __future__ import annotations

from flask import Response, abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import public, signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.db import utcnow
from portal.support.calendar import feed_ics
from portal.support.profiles import create_feed_token, has_feed, revoke_feed, user_for_feed_token
from portal.support.queries import feed_bookings


@signed_in
def calendar():
    return render_page("support/calendar.html", has_feed=has_feed(user=current_user), feed_url=None)


@signed_in
def calendar_create():
    token = create_feed_token(user=current_user)
    # Only a hash is stored, so the link is shown this once (a POST answered with the page, not a redirect).
    return render_page("support/calendar.html", has_feed=True,
                       feed_url=url_for("support.calendar_feed", token=token, _external=True))


@signed_in
def calendar_revoke():
    revoke_feed(user=current_user)
    flash(_("Your calendar link no longer works."), "success")
    return redirect_after_post(url_for("support.calendar"))


@public
def calendar_feed(token: str):
    """Calendar apps cannot sign in: the secret token is the key. A wrong or revoked token is a plain 404."""
    user = user_for_feed_token(token=token)
    if user is None:
        abort(404)
    body = feed_ics(feed_bookings(user=user, now=utcnow()), now=utcnow())
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})
