"""A person's recognition page, and a CSV of what they received (for appraisals and revalidation).

No totals to compare, no ranking: the page lists the words people wrote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask import Response, abort, current_app, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import User
from portal.common.access import signed_in
from portal.common.audit import record_event
from portal.common.htmx import render_page
from portal.common.i18n import when
from portal.extensions import db
from portal.recognition import policies
from portal.recognition.models import Post, Visibility
from portal.recognition.queries import appreciated_by, received_for_export, received_page
from portal.recognition.views import bp


def _person(person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None or not person.is_active_account:
        abort(404)
    return person


@bp.route("/people/<int:person_id>/recognition")
@signed_in
def profile(person_id: int):
    person = _person(person_id)
    everything = policies.can_see_everything_received(current_user, person)
    page = received_page(person, viewer=current_user, everything=everything, cursor=request.args.get("after"),
                         size=current_app.config["PAGE_SIZE"])
    return render_page("recognition/profile.html", block="items" if request.args.get("after") else None,
                       person=person, page=page, everything=everything,
                       appreciated=appreciated_by(current_user, page.items))


@bp.route("/people/<int:person_id>/recognition.csv")
@signed_in
def profile_csv(person_id: int):
    person = _person(person_id)
    if not policies.can_see_everything_received(current_user, person):
        abort(403)
    record_event("recognition.exported", actor=current_user, target=person)
    db.session.commit()
    filename = f"recognition-{person.display_name.lower().replace(' ', '-')}.csv"
    response = Response(stream_with_context(_csv_rows(person)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_rows(person: User) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([_("Date"), _("Type"), _("From"), _("What they did"), _("The difference it made"),
                     _("Values"), _("What we can learn"), _("Who could see it")])
    yield "\ufeff" + flush()  # a byte-order mark so Excel reads the names right
    for post in received_for_export(person):
        writer.writerow([when(post.created_at), _kind(post), post.author.display_name,
                         _safe(post.title + ": " + post.what_they_did if post.title else post.what_they_did),
                         _safe(post.difference), ", ".join(v.name for v in post.values), _safe(post.learning),
                         Visibility(post.visibility).label])
        yield flush()


def _kind(post: Post) -> str:
    return _("Award") if post.kind == "award" else _("Thank you")


def _safe(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading apostrophe keeps them as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
