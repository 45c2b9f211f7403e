"""Recognition rules: values, saying thank you, changing and withdrawing it, and award announcements.

Keyword-only functions with the acting person as a parameter. They flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import notification_kind
from portal.notifications.models import Channel
from portal.notifications.services import notify
from portal.org.models import Unit
from portal.recognition import policies
from portal.recognition.models import (
    Post,
    PostKind,
    PostRecipient,
    PostValue,
    RecognitionValue,
    Report,
    ReportOutcome,
    Visibility,
)

RECOGNITION = _l("Recognition")
THANKED = notification_kind("recognition.thanked", _l("When someone thanks you or your team"), default=Channel.EMAIL,
                            group=RECOGNITION)
REPORT_THANKED = notification_kind("recognition.report_thanked", _l("When someone thanks a person you line manage"),
                                   default=Channel.DIGEST, group=RECOGNITION)
POST_HIDDEN = notification_kind("recognition.hidden", _l("When a thank-you or comment you wrote is hidden"),
                                default=Channel.EMAIL, group=RECOGNITION)
COMMENTED = notification_kind("recognition.commented", _l("When someone adds their thanks to a thank-you for you"),
                              default=Channel.DIGEST, group=RECOGNITION)
KINDS = (THANKED, REPORT_THANKED, POST_HIDDEN, COMMENTED)

WHAT_MIN, WHAT_MAX, TEXT_MAX = 20, 2000, 2000


# --- values -------------------------------------------------------------------------------------------------

def _clean_value_name(name: str, *, ignore: RecognitionValue | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Enter the value's name"), field="name")
    if len(name) > 80:
        raise DomainError(_("The value's name must be 80 characters or fewer"), field="name")
    taken = db.session.scalar(select(RecognitionValue).where(func.lower(RecognitionValue.name) == name.lower()))
    if taken is not None and taken is not ignore:
        raise Conflict(_("There is already a value called %(name)s", name=taken.name), field="name")
    return name


@contextmanager
def _saving_name(name: str) -> Iterator[None]:
    """Save a new or renamed value in a savepoint: the unique name is the database's to enforce, so of two people
    adding the same name at once, the second is told it exists (not a 500)."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError:
        raise Conflict(_("There is already a value called %(name)s", name=name), field="name") from None


def add_value(*, name: str, actor: User) -> RecognitionValue:
    value = RecognitionValue(name=_clean_value_name(name))
    with _saving_name(value.name):
        db.session.add(value)
    record_event("recognition.value_added", actor=actor, target=value, name=value.name)
    return value


def rename_value(*, value: RecognitionValue, name: str, actor: User) -> None:
    old = value.name
    new_name = _clean_value_name(name, ignore=value)
    with _saving_name(new_name):
        value.name = new_name
    record_event("recognition.value_renamed", actor=actor, target=value, old=old, new=value.name)


def set_value_retired(*, value: RecognitionValue, retired: bool, actor: User) -> None:
    """Retired values stay on the thank-yous that used them but cannot be chosen for new ones."""
    value.is_retired = retired
    value.retired_at = utcnow() if retired else None
    db.session.flush()
    record_event("recognition.value_retired" if retired else "recognition.value_restored", actor=actor, target=value)


def value_in_use(value: RecognitionValue) -> bool:
    return bool(db.session.scalar(select(exists().where(PostValue.value_id == value.id))))


def delete_value(*, value: RecognitionValue, actor: User) -> None:
    """Only a value nobody has been thanked for yet can be deleted (a typo); others are retired."""
    if value_in_use(value):
        raise Conflict(_("People have been thanked for %(name)s, so it cannot be deleted. Retire it instead.",
                         name=value.name))
    record_event("recognition.value_deleted", actor=actor, target=value, name=value.name)
    db.session.delete(value)
    db.session.flush()


# --- thank-yous ---------------------------------------------------------------------------------------------

@dataclass
class ThankYou:
    """What the author wrote (the same for a new thank-you and an edit)."""

    what_they_did: str
    difference: str
    value_ids: list[int]
    visibility: Visibility | str  # a form gives the text; anything else is refused by the checks
    learning: str = ""


def _check_words(words: ThankYou) -> tuple[Visibility, list[RecognitionValue]]:
    """The visibility chosen and the values named, or DomainError naming the field that is wrong."""
    what = words.what_they_did.strip()
    if len(what) < WHAT_MIN:
        raise DomainError(_("Tell them a little more about what they did (at least %(n)d characters)", n=WHAT_MIN),
                          field="what_they_did")
    if len(what) > WHAT_MAX:
        raise DomainError(_("What they did must be %(n)d characters or fewer", n=WHAT_MAX), field="what_they_did")
    if len(words.difference) > TEXT_MAX:
        raise DomainError(_("The difference it made must be %(n)d characters or fewer", n=TEXT_MAX),
                          field="difference")
    if len(words.learning) > TEXT_MAX:
        raise DomainError(_("What we can learn must be %(n)d characters or fewer", n=TEXT_MAX), field="learning")
    if words.visibility not in {v.value for v in Visibility}:
        raise DomainError(_("Choose who can see this thank-you"), field="visibility")
    visibility = Visibility(words.visibility)
    ids = set(words.value_ids)
    values = list(db.session.scalars(select(RecognitionValue).where(RecognitionValue.id.in_(ids),
                                                                    RecognitionValue.is_retired.is_(False))))
    if not values or len(values) != len(ids):
        raise DomainError(_("Choose at least one value they showed"), field="values")
    return visibility, values


def _recipients(*, author: User, user_ids: Iterable[int], team: Unit | None) -> list[PostRecipient]:
    ids = set(user_ids)
    if author.id in ids:
        raise DomainError(_("You cannot thank yourself. Choose a colleague."), field="to")
    people = list(db.session.scalars(select(User).where(User.id.in_(ids), User.is_active_account.is_(True))))
    if len(people) != len(ids):
        raise DomainError(_("One of the people you chose no longer has an account. Choose again."), field="to")
    if not people and team is None:
        raise DomainError(_("Choose at least one colleague or a team to thank"), field="to")
    rows = [PostRecipient(user_id=p.id, user=p, unit_id=p.unit_id) for p in sorted(people, key=lambda p: p.id)]
    if team is not None:
        rows.append(PostRecipient(user_id=None, unit_id=team.id))
    return rows


def check_thank_you(*, author: User, user_ids: Iterable[int], team: Unit | None, words: ThankYou) -> None:
    """The same checks as sending, without sending (for the "Check and send" page)."""
    _check_words(words)
    _recipients(author=author, user_ids=user_ids, team=team)


def check_recipients(*, author: User, user_ids: Iterable[int], team: Unit | None) -> None:
    """Only the recipients (so that mistake is shown together with the others)."""
    _recipients(author=author, user_ids=user_ids, team=team)


def check_words(words: ThankYou) -> None:
    """Only the words (so their mistake is shown together with the others)."""
    _check_words(words)


def _sent_with(author: User, key: str | None) -> Post | None:
    if not key:
        return None
    return db.session.scalar(select(Post).where(Post.idempotency_key == key, Post.author_id == author.id))


def send_thank_you(*, author: User, user_ids: Iterable[int], team: Unit | None, words: ThankYou,
                   idempotency_key: str | None = None, now: datetime | None = None) -> Post:
    """Post a thank-you at once (no approval) and tell the people thanked and their line managers.

    Raises DomainError (naming the field) for self-thanks, no recipient, no value, or words too short/long. The same
    ``idempotency_key`` again from the same author (a double click, a second tab) returns the first thank-you and
    tells nobody twice; a key someone else used (a copied form) is a Conflict.
    """
    existing = _sent_with(author, idempotency_key)
    if existing is not None:
        return existing
    visibility, values = _check_words(words)
    recipients = _recipients(author=author, user_ids=user_ids, team=team)
    post = Post(kind=PostKind.THANK_YOU, author_id=author.id, author=author, author_unit_id=author.unit_id,
                what_they_did=words.what_they_did.strip(), difference=words.difference.strip(),
                learning=words.learning.strip(), visibility=visibility, created_at=now or utcnow(),
                recipients=recipients, value_links=[PostValue(value_id=v.id) for v in values],
                idempotency_key=idempotency_key or None)
    try:
        with db.session.begin_nested():
            db.session.add(post)
    except IntegrityError:  # its twin got there first
        twin = _sent_with(author, idempotency_key)
        if twin is None:  # a key someone else already used: a copied or replayed form, not a double click
            raise Conflict(_("This form was already sent. Go back, reload the page and say thank you again.")) from None
        return twin
    record_event("recognition.thanked", actor=author, target=post, visibility=post.visibility,
                 people=sorted(post.recipient_user_ids), teams=sorted(post.team_unit_ids))
    _tell_people_thanked(post, author=author, team=team)
    return post


def _tell_people_thanked(post: Post, *, author: User, team: Unit | None) -> None:
    url = f"/thanks/{post.id}"
    thanked = [r.user for r in post.recipients if r.user is not None]
    if team is not None:
        thanked += list(db.session.scalars(select(User).where(User.unit_id == team.id,
                                                              User.is_active_account.is_(True))))
    told: set[int] = {author.id}
    for person in thanked:
        if person.id not in told:
            told.add(person.id)
            notify(recipient=person, kind=THANKED.name, url=url,
                   subject=_l("%(name)s said thank you", name=author.display_name),
                   body=_l("Open Frontline to read what they wrote."))
    managers = {p.manager_id for p in thanked if p.manager_id is not None} - told
    for manager in db.session.scalars(select(User).where(User.id.in_(managers))):
        notify(recipient=manager, kind=REPORT_THANKED.name, url=url,
               subject=_l("%(name)s thanked someone in your team", name=author.display_name),
               body=_l("Open Frontline to read what they wrote."))


def edit_thank_you(*, post: Post, actor: User, words: ThankYou, now: datetime | None = None) -> None:
    """Change the words within the edit window. After it: InvalidTransition (withdraw instead)."""
    if not policies.can_edit(actor, post, now=now):
        raise InvalidTransition(_("The time for changing this thank-you has passed. You can still withdraw it."))
    visibility, values = _check_words(words)
    if visibility != post.visibility and not policies.can_change_visibility(actor, post, now=now):
        raise DomainError(_("Someone you thanked made this private, so it stays private"), field="visibility")
    previous = post.visibility
    post.what_they_did = words.what_they_did.strip()
    post.difference = words.difference.strip()
    post.learning = words.learning.strip()
    post.visibility = visibility
    post.value_links = [PostValue(value_id=v.id) for v in values]
    post.edited_at = now or utcnow()
    db.session.flush()
    db.session.expire(post, ["values"])
    if previous == Visibility.PUBLIC and post.visibility != Visibility.PUBLIC:
        close_reports(post=post, actor=actor, outcome=ReportOutcome.NOT_PUBLIC, now=post.edited_at)
    record_event("recognition.edited", actor=actor, target=post, visibility=post.visibility)


def withdraw_thank_you(*, post: Post, actor: User, now: datetime | None = None) -> None:
    """The author takes it down: hidden from everyone, kept for audit. A second withdrawal: InvalidTransition."""
    if not policies.can_manage(actor, post):
        raise InvalidTransition(_("Only the author can withdraw this thank-you."))
    done = db.session.execute(update(Post).where(Post.id == post.id, Post.withdrawn_at.is_(None))
                              .values(withdrawn_at=now or utcnow()).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise InvalidTransition(_("This thank-you has already been withdrawn."))
    db.session.refresh(post)
    close_reports(post=post, actor=actor, outcome=ReportOutcome.WITHDRAWN, now=post.withdrawn_at)
    record_event("recognition.withdrawn", actor=actor, target=post)


def make_private(*, post: Post, actor: User, now: datetime | None = None) -> None:
    """A person thanked by name can take a live public (or team) thank-you off display: only the people named,
    their managers and the author will see it. Already private, withdrawn or hidden: InvalidTransition."""
    if not policies.can_act_as_recipient(actor, post):
        raise InvalidTransition(_("Only the people thanked by name can make it private."))
    previous, now = post.visibility, now or utcnow()
    done = db.session.execute(
        update(Post).where(Post.id == post.id, Post.visibility != Visibility.PRIVATE, Post.withdrawn_at.is_(None),
                           Post.hidden_at.is_(None))
        .values(visibility=Visibility.PRIVATE, made_private_at=now, made_private_by_id=actor.id)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise InvalidTransition(_("This thank-you is already private, or no longer shown."))
    db.session.refresh(post)
    close_reports(post=post, actor=actor, outcome=ReportOutcome.NOT_PUBLIC, now=now)
    record_event("recognition.made_private", actor=actor, target=post, previous=previous)


def close_reports(*, post: Post, actor: User, outcome: ReportOutcome, now: datetime) -> None:
    """Close every open report on ``post`` and its comments: it is no longer public, so moderators must not see
    it (reports are only ever made on public posts)."""
    db.session.execute(update(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))
                       .values(resolved_at=now, resolved_by_id=actor.id, outcome=outcome)
                       .execution_options(synchronize_session=False))


def post_award_announcement(*, nominee_users_or_unit: Iterable[User] | Unit, title: str, body: str,
                            actor: User, now: datetime | None = None) -> Post:
    """Put an award winner on the wall (type "award", public). Called by the awards feature after a decision;
    telling the nominee is the caller's job. Raises DomainError when there is nobody to announce."""
    if isinstance(nominee_users_or_unit, Unit):
        recipients = [PostRecipient(user_id=None, unit_id=nominee_users_or_unit.id)]
    else:
        recipients = [PostRecipient(user_id=u.id, user=u, unit_id=u.unit_id) for u in nominee_users_or_unit]
    if not recipients or not title.strip() or not body.strip():
        raise DomainError(_("An award announcement needs a winner, a title and some words."))
    post = Post(kind=PostKind.AWARD, author_id=actor.id, author=actor, author_unit_id=actor.unit_id,
                title=title.strip()[:200], what_they_did=body.strip(), visibility=Visibility.PUBLIC,
                created_at=now or utcnow(), recipients=recipients)
    db.session.add(post)
    db.session.flush()
    record_event("recognition.award_announced", actor=actor, target=post, title=post.title)
    return post
