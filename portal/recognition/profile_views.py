"""A person's recognition page, and a CSV of what they received (for appraisals and revalidation).

No totals to compare, no ranking: the page lists the words people wrote.
"""

from __future__ import annotations

import csv
import io

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import User
from portal.common.access import signed_in
from portal.common.audit import record_event
from portal.common.htmx import render_page
from portal.common.i18n import when
from portal.common.loading import load
from portal.common.spreadsheets import as_download, safe_cell
from portal.common.transaction import writes
from portal.recognition import policies
from portal.recognition.queries import appreciated_by, received_for_export, received_page


@signed_in
@load("person_id", User, can=policies.can_see_received, hide=True)
def profile(person: User):
    everything = policies.can_see_everything_received(current_user, person)
    page = received_page(person, viewer=current_user, everything=everything, cursor=request.args.get("after"),
                         size=current_app.config["PAGE_SIZE"])
    return render_page("recognition/profile.html", block="items" if request.args.get("after") else None,
                       person=person, own=person.id == current_user.id, page=page,
                       appreciated=appreciated_by(current_user, page.items))


@signed_in
@writes
@load("person_id", User, can=policies.can_see_everything_received)
def profile_csv(person: User):
    """Everything the person received, for their appraisal or revalidation; each download is audited.

    Written whole inside the request, not streamed: the request's unit of work (and on SQLite its write lock,
    taken for the audit record) ends when the view returns, so nothing reads the database after it."""
    record_event("recognition.exported", actor=current_user, target=person)
    filename = f"recognition-{person.display_name.lower().replace(' ', '-')}.csv"
    return as_download(Response(_csv(person), mimetype="text/csv"), filename)


def _csv(person: User) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte-order mark so Excel reads the names right
    writer = csv.writer(buffer)
    writer.writerow([_("Date"), _("Type"), _("From"), _("What they did"), _("The difference it made"),
                     _("Values"), _("What we can learn"), _("Who could see it")])
    for post in received_for_export(person):
        writer.writerow([when(post.created_at), post.kind.label, safe_cell(post.author.display_name),
                         safe_cell(post.title + ": " + post.what_they_did if post.title else post.what_they_did),
                         safe_cell(post.difference), safe_cell(", ".join(v.name for v in post.values)),
                         safe_cell(post.learning), post.visibility.label])
    return buffer.getvalue()

