"""Cascading what works: champions feature a note to a unit subtree until a date (it shows on those people's home
pages), mark a note superseded by a newer one, re-verify or archive notes past their review date; and people follow
tags and units for the weekly digest."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.london import day_bounds, london_today
from portal.db import utcnow
from portal.extensions import db
from portal.org.models import Unit
from portal.practice import policies
from portal.practice.models import Feature, FlagOutcome, Follow, Note, NoteState
from portal.practice.moderation import _decide, _require, _resolve_flags, _tell_author, clean_reason
from portal.practice.services import already_decided, guarded_update, normalise_tag, parse_tags, review_period

FEATURE_MAX_DAYS = 366


def feature_note(*, note: Note, actor: User, unit: Unit | None, until: date | None,
                 now: datetime | None = None) -> Feature:
    """Show a published note on the home page of everyone in ``unit`` and beneath it, to the end of ``until``
    (London). A champion features to their own area only."""
    _require(policies.can_moderate(actor, note))
    now = now or utcnow()
    if unit is None:
        raise DomainError(_("Choose where to feature it"), field="unit")
    if not policies.in_area(actor, unit):
        raise DomainError(_("Choose a unit in your own area"), field="unit")
    today = london_today(now)
    if until is None or until < today:
        raise DomainError(_("Choose a date from today onwards"), field="until")
    if (until - today).days > FEATURE_MAX_DAYS:
        raise DomainError(_("Feature it for a year at most"), field="until")
    # The note's row lock makes two champions (or one double click) feature it one after the other: the second
    # finds the first's feature and moves its end date, rather than adding a second one. (On SQLite the request's
    # write transaction already serializes.)
    db.session.refresh(note, with_for_update=True)
    if note.state != NoteState.PUBLISHED:
        raise already_decided(note)
    feature = db.session.scalar(select(Feature).where(Feature.note_id == note.id, Feature.unit_id == unit.id,
                                                      Feature.until > now))
    if feature is None:
        feature = Feature(note_id=note.id, unit_id=unit.id, unit=unit, created_at=now)
        db.session.add(feature)
    feature.until, feature.featured_by_id = day_bounds(until)[1], actor.id
    db.session.flush()
    record_event("practice.note_featured", actor=actor, target=note, unit_id=unit.id, until=until.isoformat())
    return feature


def stop_feature(*, feature: Feature, actor: User, now: datetime | None = None) -> None:
    _require(policies.in_area(actor, feature.unit))
    now = now or utcnow()
    if feature.until <= now:
        raise InvalidTransition(_("This feature has already ended."))
    feature.until = now
    db.session.flush()
    record_event("practice.feature_stopped", actor=actor, target=feature.note, unit_id=feature.unit_id)


def supersede_note(*, note: Note, actor: User, newer: Note | None, now: datetime | None = None) -> Note:
    """Point readers of an older note to a newer published one (a banner and a link on the old note)."""
    _require(policies.can_moderate(actor, note))
    now = now or utcnow()
    if newer is None or newer.id == note.id:
        raise DomainError(_("Choose the newer note"), field="newer")
    if newer.state != NoteState.PUBLISHED:
        raise DomainError(_("The newer note must be published"), field="newer")
    _decide(note, actor=actor, expected=(NoteState.PUBLISHED,), now=now, state=NoteState.SUPERSEDED,
            superseded_by_id=newer.id, decision_reason=None)
    _resolve_flags(note, actor=actor, outcome=FlagOutcome.SUPERSEDED, now=now)
    record_event("practice.note_superseded", actor=actor, target=note, newer_id=newer.id)
    _tell_author(note, _l("Your practice note now points to a newer one: %(title)s", title=note.title),
                 _l("Readers are sent on to: %(newer)s", newer=newer.title))
    return note


def reverify_note(*, note: Note, actor: User, now: datetime | None = None) -> Note:
    """Still right: the note stands for another review period. Guarded on the due date the champion saw."""
    _require(policies.can_moderate(actor, note))
    now = now or utcnow()
    if not guarded_update(note, expected=(NoteState.PUBLISHED,), where=[Note.review_due_at == note.review_due_at],
                          review_due_at=now + review_period(), review_reminded_at=None, decided_by_id=actor.id,
                          decided_at=now):
        raise already_decided(note)
    record_event("practice.note_reverified", actor=actor, target=note)
    return note


def archive_note(*, note: Note, actor: User, reason: str, now: datetime | None = None) -> Note:
    """No longer how things are done: taken out of the lists, still readable by link with a banner."""
    _require(policies.can_moderate(actor, note))
    reason, now = clean_reason(reason), now or utcnow()
    _decide(note, actor=actor, expected=(NoteState.PUBLISHED, NoteState.HIDDEN), now=now, state=NoteState.ARCHIVED,
            decision_reason=reason)
    _resolve_flags(note, actor=actor, outcome=FlagOutcome.ARCHIVED, now=now)
    record_event("practice.note_archived", actor=actor, target=note, reason=reason)
    _tell_author(note, _l("Your practice note has been archived: %(title)s", title=note.title),
                 _l("The champion's reason: %(reason)s", reason=reason))
    return note


# --- following ----------------------------------------------------------------------------------------------------

def follow(*, user: User, tag: str | None = None, unit: Unit | None = None) -> Follow:
    """Follow one tag or one unit (and everything beneath it). Following again changes nothing."""
    if unit is None:
        tags = parse_tags(tag)
        if len(tags) != 1:
            raise DomainError(_("Enter one tag to follow"), field="tag")
        existing = db.session.scalar(select(Follow).where(Follow.user_id == user.id, Follow.tag == tags[0]))
        row = existing or Follow(user_id=user.id, tag=tags[0])
    else:
        existing = db.session.scalar(select(Follow).where(Follow.user_id == user.id, Follow.unit_id == unit.id))
        row = existing or Follow(user_id=user.id, unit_id=unit.id, unit=unit)
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # the same follow from another tab at the same moment
            raise Conflict(_("You already follow that.")) from None
    return row


def unfollow(*, follow_row: Follow, user: User) -> None:
    if follow_row.user_id != user.id:
        raise InvalidTransition(_("That is not one of yours."))
    db.session.execute(delete(Follow).where(Follow.id == follow_row.id))


def follows_tag(user: User, tag: str) -> bool:
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user.id,
                                                     Follow.tag == normalise_tag(tag))) is not None
