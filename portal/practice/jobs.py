"""Periodic work for good practice, each run once per London day by the worker and acting on its period, never on
the worker's clock:

- ``practice.review_due``: notes whose review date has come go back to the champions of their area (once per due
  date) to re-verify or archive; they also stay in the champions' queue until then.
- ``practice.weekly_digest``: on the Monday of its period, everyone who follows tags or units hears about the notes
  published and featured in the week before, in what they follow (through Notifications, so their preferences
  decide email, daily summary or in-app only). Note titles travel as plain text and are escaped by every template.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.london import day_bounds
from portal.extensions import db
from portal.notifications.schedule import Every, Periodic
from portal.notifications.services import notify
from portal.practice import notices
from portal.practice.models import Feature, Follow, Note, NoteState

REVIEW_DUE_JOB = "practice.review_due"
DIGEST_JOB = "practice.weekly_digest"
DIGEST_ITEMS_MAX = 10


def remind_review_due(payload: dict, now: datetime) -> None:
    """Tell the champions of each note whose review date falls on or before the period's day, once per due date."""
    _, end = day_bounds(date.fromisoformat(payload["period"]))
    due = list(db.session.scalars(
        select(Note).where(Note.state == NoteState.PUBLISHED.value, Note.review_due_at < end,
                           or_(Note.review_reminded_at.is_(None), Note.review_reminded_at < Note.review_due_at))
        .order_by(Note.id)))
    for note in due:
        for champion in notices.champions_for(note.unit):
            notify(recipient=champion, kind=notices.TO_REVIEW, url=f"/practice/{note.id}/review",
                   subject=_l("A practice note is due for review: %(title)s", title=note.title),
                   body=_l("Check it is still right: re-verify it or archive it."))
        note.review_reminded_at = note.review_due_at
        record_event("practice.review_due", target=note)
    db.session.flush()


def _week_notes(start: datetime, end: datetime) -> tuple[list[Note], set[int]]:
    """Notes published in [start, end), and those featured during it (their ids), still published now."""
    new = list(db.session.scalars(select(Note).where(Note.state == NoteState.PUBLISHED.value,
                                                     Note.published_at >= start, Note.published_at < end)))
    featured_ids = set(db.session.scalars(
        select(Feature.note_id).join(Note, Note.id == Feature.note_id)
        .where(Note.state == NoteState.PUBLISHED.value, Feature.created_at < end, Feature.until >= start)))
    extra = featured_ids - {note.id for note in new}
    if extra:
        new += list(db.session.scalars(select(Note).where(Note.id.in_(extra))))
    return new, featured_ids


def _matches(notes: list[Note]) -> dict[int, list[Note]]:
    """Follower id → the notes in what they follow (a tag, or a unit and everything beneath it)."""
    by_user: dict[int, dict[int, Note]] = defaultdict(dict)
    tags = {tag for note in notes for tag in note.tags}
    follows = db.session.scalars(select(Follow).where(or_(Follow.tag.in_(tags), Follow.unit_id.is_not(None))))
    for row in follows:
        for note in notes:
            hit = row.tag in note.tags if row.tag else note.unit.path.startswith(row.unit.path)
            if hit:
                by_user[row.user_id][note.id] = note
    return {user_id: list(found.values()) for user_id, found in by_user.items()}


def send_weekly_digest(payload: dict, now: datetime) -> None:
    """Runs every day; acts only when its period is a Monday, about the seven London days before it."""
    day = date.fromisoformat(payload["period"])
    if day.weekday() != 0:
        return
    start, end = day_bounds(day - timedelta(days=7))[0], day_bounds(day)[0]
    notes, featured_ids = _week_notes(start, end)
    if not notes:
        return
    found = _matches(notes)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(found)),
                                                                     User.is_active_account.is_(True)))}
    for user_id, mine in sorted(found.items()):
        if user_id in people:
            _send_digest(people[user_id], mine, featured_ids)


def _send_digest(person: User, notes: list[Note], featured_ids: set[int]) -> None:
    """One notification: featured notes first, then the newest; titles and summaries as plain text."""
    notes = sorted(notes, key=lambda n: (n.id not in featured_ids, -n.published_at.timestamp(), n.id))
    lines = [f"- {_('(featured) ') if note.id in featured_ids else ''}{note.title}: {note.summary}"
             for note in notes[:DIGEST_ITEMS_MAX]]
    notify(recipient=person, kind=notices.DIGEST, url="/practice?following=1",
           subject=_l("Good practice you follow: %(num)d notes this week", num=len(notes)), body="\n".join(lines))


PERIODIC = [
    Periodic(REVIEW_DUE_JOB, every=Every.DAY, hour=6, description="Practice notes due for review"),
    Periodic(DIGEST_JOB, every=Every.DAY, hour=7, description="Weekly good-practice digest (Mondays)"),
]
JOBS = {REVIEW_DUE_JOB: remind_review_due, DIGEST_JOB: send_weekly_digest}
