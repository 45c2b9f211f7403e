"""Writing practice notes: create, edit, send for review (staff) or publish (champions), with every save kept as a
revision and every save run past the personal-data guard.

Services take the acting person, raise DomainError/Conflict/InvalidTransition with words people can read, flush and
never commit. State changes are conditional UPDATEs from the state (and version) the action expects.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.i18n import when
from portal.common.markdown import clean_html, render_markdown
from portal.common.roles import Role
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.services import notify
from portal.org.models import Unit
from portal.practice import notices, personal_data
from portal.practice.models import (
    BODY_MAX,
    PROMPT_MAX,
    SUMMARY_MAX,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
    Note,
    NoteState,
    NoteTag,
    Revision,
)

TEXT_FIELDS = ("title", "summary", "body_source", "situation", "what_we_did", "what_changed", "tips")
LIMITS = {"title": TITLE_MAX, "summary": SUMMARY_MAX, "body_source": BODY_MAX, "situation": PROMPT_MAX,
          "what_we_did": PROMPT_MAX, "what_changed": PROMPT_MAX, "tips": PROMPT_MAX}
REQUIRED = {"title": _l("Enter a title"), "summary": _l("Enter a one-line summary"),
            "body_source": _l("Write the note")}
# Who may change a note's words, from which states.
AUTHOR_EDITABLE = (NoteState.DRAFT, NoteState.PENDING, NoteState.CHANGES_REQUESTED, NoteState.PUBLISHED)
SUBMITTABLE = (NoteState.DRAFT, NoteState.CHANGES_REQUESTED)


@dataclass
class NoteContent:
    title: str
    summary: str
    body_source: str
    unit_id: int | None
    situation: str = ""
    what_we_did: str = ""
    what_changed: str = ""
    tips: str = ""
    tags: list[str] = field(default_factory=list)

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in TEXT_FIELDS} | {"tags": ", ".join(self.tags)}


def normalise_tag(raw: str) -> str:
    """NFKC (so full-width and look-alike letters become plain ones), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", raw).casefold().split())


def parse_tags(text: str | None) -> list[str]:
    """"Bereavement, Warm handover" → ["bereavement", "warm handover"]; letters, numbers, spaces and hyphens only."""
    tags: list[str] = []
    for raw in (text or "").split(","):
        tag = normalise_tag(raw)
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise DomainError(_("Each tag must be %(n)d characters or fewer", n=TAG_MAX), field="tags")
        if not all(ch.isalnum() or ch in " -" for ch in tag):
            raise DomainError(_("Tags can use letters, numbers, spaces and hyphens only"), field="tags")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise DomainError(_("Use up to %(n)d tags", n=TAGS_MAX), field="tags")
    return tags


def check_content(content: NoteContent) -> NoteContent:
    """Trimmed, within every limit, with the required fields and a unit: or a DomainError naming the field."""
    for name in TEXT_FIELDS:
        value = (getattr(content, name) or "").strip()
        setattr(content, name, value)
        if not value and name in REQUIRED:
            raise DomainError(str(REQUIRED[name]), field=name)
        if len(value) > LIMITS[name]:
            raise DomainError(_("Use %(n)d characters or fewer", n=LIMITS[name]), field=name)
    if content.unit_id is None or db.session.get(Unit, content.unit_id) is None:
        raise DomainError(_("Choose the unit this practice comes from"), field="unit")
    return content


def review_period() -> timedelta:
    """How long a published note stands before a champion re-verifies it (PRACTICE_REVIEW_MONTHS, default 12)."""
    return timedelta(days=round(365.25 * current_app.config.get("PRACTICE_REVIEW_MONTHS", 12) / 12))


def already_decided(note: Note) -> InvalidTransition:
    """The message for whoever lost a race: who decided, when, and what the note is now."""
    db.session.refresh(note)
    if note.decided_by is not None and note.decided_at is not None:
        return InvalidTransition(_("Already decided by %(name)s at %(when)s (it is now: %(state)s).",
                                   name=note.decided_by.display_name, when=when(note.decided_at),
                                   state=note.state.label))
    return InvalidTransition(_("This note has moved on (it is now: %(state)s). Reload the page.",
                               state=note.state.label))


def guarded_update(note: Note, *, expected: tuple[NoteState, ...], at_version: int | None = None, where=(),
                   **values) -> bool:
    """One UPDATE from the expected states (and version, and ``where``): True when this call made the change."""
    stmt = update(Note).where(Note.id == note.id, Note.state.in_([s.value for s in expected]), *where)
    if at_version is not None:
        stmt = stmt.where(Note.version == at_version)
    result = db.session.execute(stmt.values(**values).execution_options(synchronize_session=False))
    db.session.expire(note)
    return result.rowcount == 1


# --- content ---------------------------------------------------------------------------------------------------

def _findings(content: NoteContent) -> list[dict]:
    return [finding.as_dict() for finding in personal_data.scan(content.texts())]


def _content_values(content: NoteContent) -> dict:
    values = {name: getattr(content, name) for name in TEXT_FIELDS}
    values["body_html"] = clean_html(str(render_markdown(content.body_source)))
    values["unit_id"] = content.unit_id
    return values


def _set_tags(note: Note, tags: list[str]) -> None:
    wanted = set(tags)
    note.tag_rows = [row for row in note.tag_rows if row.tag in wanted]
    have = {row.tag for row in note.tag_rows}
    note.tag_rows.extend(NoteTag(tag=tag) for tag in tags if tag not in have)


def add_revision(note: Note, *, editor: User, published: bool, now: datetime) -> Revision:
    number = (db.session.scalar(select(func.max(Revision.number)).where(Revision.note_id == note.id)) or 0) + 1
    revision = Revision(note_id=note.id, number=number, editor_id=editor.id, created_at=now, was_published=published,
                        tags_text=", ".join(sorted(note.tags)), **{name: getattr(note, name) for name in TEXT_FIELDS})
    db.session.add(revision)
    db.session.flush()
    return revision


def mark_latest_published(note: Note) -> None:
    db.session.execute(update(Revision).where(Revision.note_id == note.id, Revision.number == select(
        func.max(Revision.number)).where(Revision.note_id == note.id).scalar_subquery()).values(was_published=True)
        .execution_options(synchronize_session=False))


def _guard(content: NoteContent, *, confirmed: bool, submitting: bool) -> list[dict]:
    """The findings; sending a note with findings needs the author to say they checked (the form shows them)."""
    findings = _findings(content)
    if findings and submitting and not confirmed:
        raise DomainError(_("Check the highlighted text: it looks like personal data about a patient or customer"),
                          field="confirm_personal_data")
    return findings


def _publish_values(note_published_at: datetime | None, *, actor: User, now: datetime) -> dict:
    return {"state": NoteState.PUBLISHED, "published_at": note_published_at or now, "decided_by_id": actor.id,
            "decided_at": now, "decision_reason": None, "review_due_at": now + review_period(),
            "review_reminded_at": None}


def _by_key(author: User, key: str | None) -> Note | None:
    if not key:
        return None
    return db.session.scalar(select(Note).where(Note.idempotency_key == key, Note.author_id == author.id))


def create_note(*, author: User, content: NoteContent, submit: bool, confirm_personal_data: bool = False,
                idempotency_key: str | None = None, from_post_id: int | None = None,
                now: datetime | None = None) -> Note:
    """Save a new note as a draft, or send it: a champion's is published at once, anyone else's waits for a
    champion. A note in which the guard finds personal data is sent only when the author confirms they checked;
    a staff member's then waits with a live flag that a champion must clear (a champion's confirmation clears it).

    The same ``idempotency_key`` again (a double click) returns the first note.
    """
    now = now or utcnow()
    existing = _by_key(author, idempotency_key)
    if existing is not None:
        return existing
    content = check_content(content)
    findings = _guard(content, confirmed=confirm_personal_data, submitting=submit)
    note = Note(author_id=author.id, author=author, state=NoteState.DRAFT, created_at=now, updated_at=now,
                personal_data=findings, idempotency_key=idempotency_key or None, from_post_id=from_post_id,
                **_content_values(content))
    _set_tags(note, content.tags)
    try:
        with db.session.begin_nested():
            db.session.add(note)
    except IntegrityError:
        twin = _by_key(author, idempotency_key)
        if twin is None:
            raise Conflict(_("This form was already sent. Go back, reload the page and try again.")) from None
        return twin
    add_revision(note, editor=author, published=False, now=now)
    record_event("practice.note_created", actor=author, target=note)
    if submit:
        _send(note, actor=author, now=now)
    return note


def _send(note: Note, *, actor: User, now: datetime) -> None:
    """Draft or changes requested → published (a champion's own note) or waiting for a champion."""
    if actor.has_role(Role.CHAMPION):
        values = _publish_values(note.published_at, actor=actor, now=now)
        if note.has_live_personal_data_flag:
            values |= {"personal_data_cleared_by_id": actor.id, "personal_data_cleared_at": now}
        if not guarded_update(note, expected=SUBMITTABLE, **values):
            raise already_decided(note)
        mark_latest_published(note)
        record_event("practice.note_published", actor=actor, target=note)
        return
    if not guarded_update(note, expected=SUBMITTABLE, state=NoteState.PENDING, submitted_at=now):
        raise already_decided(note)
    record_event("practice.note_submitted", actor=actor, target=note,
                 personal_data=len(note.personal_data) or None)
    tell_champions(note, exclude_id=actor.id)


def tell_champions(note: Note, *, exclude_id: int | None = None) -> None:
    for champion in notices.champions_for(note.unit, exclude_id=exclude_id):
        notify(recipient=champion, kind=notices.TO_REVIEW, url=f"/practice/{note.id}/review",
               subject=_l("A practice note is waiting for you: %(title)s", title=note.title),
               body=_l("Open Frontline to review it."))


def submit_note(*, note: Note, author: User, now: datetime | None = None) -> Note:
    """Send a draft (or a note sent back for changes) without changing its words."""
    if note.author_id != author.id:
        raise InvalidTransition(_("Only the author can send this note."))
    if note.state not in SUBMITTABLE:
        raise already_decided(note)
    _send(note, actor=author, now=now or utcnow())
    return note


def _edit_state(note: Note, editor: User) -> NoteState:
    """Where an edit leaves the note: a staff author's change to a published note goes back to a champion."""
    if note.state == NoteState.PUBLISHED and editor.id == note.author_id and not editor.has_role(Role.CHAMPION):
        return NoteState.PENDING
    return note.state


def edit_note(*, note: Note, editor: User, content: NoteContent, version: int, submit: bool = False,
              confirm_personal_data: bool = False, now: datetime | None = None) -> Note:
    """Save new words as a new revision. ``version`` is the version the editor started from: if someone saved or
    decided in between, this save is refused (nothing is overwritten) and says who.

    A moderator's edit of a published note, and a champion author's, keeps it published; a staff author's edit of
    a published note sends it back to a champion. ``submit`` then sends a draft as ``submit_note`` does.
    """
    now = now or utcnow()
    content = check_content(content)
    resubmitting = submit or (note.state == NoteState.PUBLISHED and _edit_state(note, editor)
                              == NoteState.PENDING)
    findings = _guard(content, confirmed=confirm_personal_data, submitting=resubmitting or
                      note.state in (NoteState.PENDING, NoteState.PUBLISHED))
    values = _content_values(content) | {"version": Note.version + 1, "updated_at": now, "personal_data": findings}
    if _finding_texts(findings) != _finding_texts(note.personal_data) or not findings:
        values |= {"personal_data_cleared_by_id": None, "personal_data_cleared_at": None}
    if findings and confirm_personal_data and editor.has_role(Role.CHAMPION):
        values |= {"personal_data_cleared_by_id": editor.id, "personal_data_cleared_at": now}
    to_state = _edit_state(note, editor)
    if to_state != note.state:
        values |= {"state": to_state, "submitted_at": now}
    was_published = note.state == NoteState.PUBLISHED and to_state == NoteState.PUBLISHED
    if not guarded_update(note, expected=AUTHOR_EDITABLE, at_version=version, **values):
        raise _edit_refused(note)
    _set_tags(note, content.tags)
    db.session.flush()
    add_revision(note, editor=editor, published=was_published, now=now)
    record_event("practice.note_edited", actor=editor, target=note, version=note.version)
    if to_state == NoteState.PENDING and values.get("state") == NoteState.PENDING:
        tell_champions(note, exclude_id=editor.id)
    if submit and note.state in SUBMITTABLE:
        _send(note, actor=editor, now=now)
    return note


def _finding_texts(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["kind"], f["text"]) for f in findings or []}


def _edit_refused(note: Note) -> DomainError:
    db.session.refresh(note)
    if note.state not in AUTHOR_EDITABLE:
        return already_decided(note)
    return Conflict(_("Someone else changed this note since you opened it. Reload the page to see their version, "
                      "then make your change again."))


def content_of(note: Note) -> NoteContent:
    return NoteContent(unit_id=note.unit_id, tags=list(note.tags), **{name: getattr(note, name)
                                                                        for name in TEXT_FIELDS})


def revision_texts(revision: Revision | None) -> dict[str, str]:
    if revision is None:
        return {}
    return {name: getattr(revision, name) for name in TEXT_FIELDS} | {"tags": revision.tags_text}


def as_dict(content: NoteContent) -> dict:
    return asdict(content)
