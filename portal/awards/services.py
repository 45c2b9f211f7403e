"""Award schemes and nominations: the rules.

Services take the acting person as a parameter, raise ``DomainError``/``InvalidTransition`` with messages people
can read, and ``flush()``; the request's unit of work commits. Every state change is a conditional UPDATE
(``WHERE state = :expected``) whose row count is checked, so two people acting at once never both succeed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.awards.announcements import post_winner_to_wall, thank_from_nomination
from portal.awards.models import (
    DECIDED_STATES,
    OPEN_STATES,
    AwardCategory,
    AwardScheme,
    CoSignature,
    Nomination,
    NominationAnswer,
    NominationScore,
    NominationState,
    NominationStateChange,
    today_in_london,
)
from portal.awards.policies import can_review
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.i18n import when
from portal.common.roles import Role
from portal.common.workflow import move_state
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import notification_kind
from portal.notifications.models import Channel
from portal.notifications.services import notify
from portal.org.models import Unit

GROUP = _l("Awards")
NOMINATED = notification_kind("awards.nominated", _l("When someone nominates you for an award"), group=GROUP)
TO_ENDORSE = notification_kind("awards.to_endorse", _l("When a nomination needs your endorsement as line manager"),
                               group=GROUP)
PROGRESS = notification_kind("awards.progress", _l("When a nomination you made or received moves on"), group=GROUP)
PANEL = notification_kind("awards.panel", _l("Reminders about nominations waiting for your panel"), group=GROUP,
                          for_roles=[Role.PANEL])
ESCALATED = notification_kind("awards.escalated", _l("When award decisions are overdue"), group=GROUP,
                              default=Channel.EMAIL, for_roles=[Role.HR])
KINDS = (NOMINATED, TO_ENDORSE, PROGRESS, PANEL, ESCALATED)

ANSWER_MIN, ANSWER_MAX = 20, 2000
REASON_MAX = 2000


def nomination_path(nomination: Nomination) -> str:
    return f"/awards/nominations/{nomination.id}"


# --- state changes ------------------------------------------------------------------------------------------

def _refusal(nomination: Nomination) -> InvalidTransition:
    """Why a conditional UPDATE touched nothing, read fresh from the database (not the session's copy)."""
    state, decided_by_id, decided_at = db.session.execute(
        select(Nomination.state, Nomination.decided_by_id, Nomination.decided_at)
        .where(Nomination.id == nomination.id)).one()
    if state in DECIDED_STATES and decided_by_id is not None:
        name = db.session.scalar(select(User.display_name).where(User.id == decided_by_id))
        return InvalidTransition(_("Already decided by %(name)s on %(date)s.", name=name, date=when(decided_at)))
    return InvalidTransition(_("This can't be done now: the nomination is “%(state)s”.", state=state.label))


def _move(nomination: Nomination, *, expected: NominationState | Collection[NominationState], to: NominationState,
          actor: User | None, reason: str | None = None, **values) -> None:
    """Move ``nomination`` from ``expected`` to ``to`` in one conditional UPDATE, and record the change."""
    allowed = [expected] if isinstance(expected, NominationState) else list(expected)
    now = utcnow()
    db.session.flush()
    previous = nomination.state
    if not move_state(nomination, column="state", expected=allowed, to=to, state_changed_at=now, **values):
        raise _refusal(nomination)
    db.session.add(NominationStateChange(nomination_id=nomination.id, from_state=previous, to_state=to,
                                         actor_id=getattr(actor, "id", None), changed_at=now, reason=reason))
    db.session.flush()


def _require_reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(message, field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("Keep the reason under %(n)s characters.", n=REASON_MAX), field="reason")
    return reason


# --- nominating ---------------------------------------------------------------------------------------------

class DuplicateNomination(Conflict):
    def __init__(self, existing: Nomination):
        super().__init__(_("You already nominated %(name)s in this scheme on %(date)s.",
                           name=existing.nominee_name, date=when(existing.created_at)))
        self.existing = existing


@dataclass
class NominationDetails:
    category: AwardCategory
    answers: list[str]
    nominee: User | None = None
    team: Unit | None = None


def nominee_people(nomination: Nomination) -> list[User]:
    """The people told about a nomination: the person, or the active members of the team."""
    if nomination.nominee is not None:
        return [nomination.nominee]
    return list(db.session.scalars(select(User).where(User.unit_id == nomination.team_id,
                                                      User.is_active_account.is_(True)).order_by(User.id)))


def find_duplicate(*, scheme: AwardScheme, nominator: User, nominee: User | None,
                   team: Unit | None) -> Nomination | None:
    stmt = select(Nomination).where(Nomination.scheme_id == scheme.id, Nomination.nominator_id == nominator.id,
                                    Nomination.state != NominationState.WITHDRAWN)
    stmt = stmt.where(Nomination.nominee_id == nominee.id) if nominee else stmt.where(Nomination.team_id == team.id)
    return db.session.scalars(stmt.order_by(Nomination.id).limit(1)).first()


def _check_nomination(scheme: AwardScheme, details: NominationDetails, nominator: User, today: date) -> list[str]:
    if not scheme.is_open_on(today):
        raise DomainError(_("Nominations for this scheme are closed."))
    if details.category.scheme_id != scheme.id:
        raise DomainError(_("Choose one of this scheme's categories."), field="category")
    if (details.nominee is None) == (details.team is None):
        raise DomainError(_("Choose a colleague or a team to nominate."), field="person")
    if details.nominee is not None:
        if details.nominee.id == nominator.id:
            raise DomainError(_("You can't nominate yourself. A colleague can nominate you."), field="person")
        if not details.nominee.is_active_account:
            raise DomainError(_("%(name)s no longer uses Frontline.", name=details.nominee.display_name),
                              field="person")
    elif details.team.id == nominator.unit_id:
        raise DomainError(_("You can't nominate your own team. Someone outside it can."), field="team")
    criteria = details.category.criteria_list
    answers = [(a or "").strip() for a in details.answers]
    if len(answers) != len(criteria):
        raise DomainError(_("Answer every question."))
    for i, answer in enumerate(answers):
        if not ANSWER_MIN <= len(answer) <= ANSWER_MAX:
            raise DomainError(_("Write between %(low)s and %(high)s characters, with an example.",
                                low=ANSWER_MIN, high=ANSWER_MAX), field=f"answer_{i}")
    return answers


def _nominated_with(nominator: User, key: str | None) -> Nomination | None:
    if not key:
        return None
    return db.session.scalar(select(Nomination).where(Nomination.idempotency_key == key,
                                                      Nomination.nominator_id == nominator.id))


def submit_nomination(*, scheme: AwardScheme, details: NominationDetails, nominator: User,
                      allow_duplicate: bool = False, idempotency_key: str | None = None,
                      now: datetime | None = None) -> Nomination:
    """Nominate a person or a team. Raises DomainError, or DuplicateNomination unless ``allow_duplicate``.

    The nominee (every active team member, for a team) is told at once; the line manager is asked to endorse
    when the scheme wants it, otherwise the nomination goes straight to the panel. The same ``idempotency_key``
    again from the same nominator (a double click, a second tab) returns the first nomination and tells nobody
    twice; a key someone else used (a copied form) is a Conflict.
    """
    existing = _nominated_with(nominator, idempotency_key)
    if existing is not None:
        return existing
    answers = _check_nomination(scheme, details, nominator, today_in_london(now))
    earlier = find_duplicate(scheme=scheme, nominator=nominator, nominee=details.nominee, team=details.team)
    if earlier is not None and not allow_duplicate:
        raise DuplicateNomination(earlier)
    nominee = details.nominee
    endorser = nominee.manager if (nominee is not None and scheme.needs_manager_endorsement) else None
    if endorser is not None and not endorser.is_active_account:
        endorser = None
    nomination = Nomination(
        scheme_id=scheme.id, category_id=details.category.id, nominator_id=nominator.id,
        nominee_id=nominee.id if nominee else None, team_id=details.team.id if details.team else None,
        endorser_id=endorser.id if endorser else None, nominator_unit_id=nominator.unit_id,
        nominee_unit_id=nominee.unit_id if nominee else details.team.id, state=NominationState.SUBMITTED,
        idempotency_key=idempotency_key or None,
        answers=[NominationAnswer(position=i, criterion=c, answer=a)
                 for i, (c, a) in enumerate(zip(details.category.criteria_list, answers, strict=True))])
    try:
        with db.session.begin_nested():
            db.session.add(nomination)
    except IntegrityError:  # its twin got there first
        twin = _nominated_with(nominator, idempotency_key)
        if twin is None:  # a key someone else already used: a copied or replayed form, not a double click
            raise Conflict(_("This form was already sent. Go back, reload the page and nominate again.")) from None
        return twin
    db.session.add(NominationStateChange(nomination_id=nomination.id, to_state=NominationState.SUBMITTED,
                                         actor_id=nominator.id, changed_at=nomination.state_changed_at))
    record_event("awards.nominated", actor=nominator, target=nomination, scheme_id=scheme.id)
    _send_on(nomination, nominator=nominator, endorser=endorser)
    for person in nominee_people(nomination):
        # Written to the nominee: "nominated you", or "nominated your team" for a team's members.
        if nomination.nominee is not None:
            subject = _l("You have been nominated for %(scheme)s", scheme=scheme.name)
            body = _l("%(nominator)s nominated you for “%(category)s” and wrote about why. Whatever the panel "
                      "decides, read what they said.", nominator=nominator.display_name,
                      category=details.category.name)
        else:
            subject = _l("Your team has been nominated for %(scheme)s", scheme=scheme.name)
            body = _l("%(nominator)s nominated your team, %(team)s, for “%(category)s” and wrote about why. "
                      "Whatever the panel decides, read what they said.", nominator=nominator.display_name,
                      team=nomination.nominee_name, category=details.category.name)
        notify(recipient=person, kind=NOMINATED, url=nomination_path(nomination), subject=subject, body=body)
    return nomination


def _send_on(nomination: Nomination, *, nominator: User, endorser: User | None) -> None:
    """A new nomination goes to the line manager to endorse, or straight to the panel when there is none to ask
    (or the line manager made it: nominating is endorsing)."""
    if endorser is not None and endorser.id == nominator.id:
        _move(nomination, expected=NominationState.SUBMITTED, to=NominationState.ENDORSED, actor=nominator,
              reason=_("Nominated by their line manager."))
        _move(nomination, expected=NominationState.ENDORSED, to=NominationState.IN_REVIEW, actor=None)
    elif endorser is not None:
        nominee = nomination.nominee
        notify(recipient=endorser, kind=TO_ENDORSE, url=nomination_path(nomination),
               subject=_l("Please endorse a nomination for %(name)s", name=nominee.display_name),
               body=_l("%(name)s has been nominated for %(scheme)s. As their line manager, please endorse it or "
                       "say why not.", name=nominee.display_name, scheme=nomination.scheme.name))
    else:
        _move(nomination, expected=NominationState.SUBMITTED, to=NominationState.IN_REVIEW, actor=None)


def cosign_nomination(*, nomination: Nomination, actor: User, comment: str) -> CoSignature:
    """Add ``actor``'s support, with a comment, to an undecided nomination: not the nominator's, the nominee's or
    the scheme's panel's (the panel judges; it does not campaign). Only a comment of the wrong length names the
    comment field: the others are refused people the page shows no comment box to."""
    comment = (comment or "").strip()
    if actor.id == nomination.nominator_id:
        raise DomainError(_("You made this nomination, so you can't co-sign it."))
    if nomination.is_about(actor):
        raise DomainError(_("You can't co-sign a nomination for yourself."))
    if nomination.scheme.has_panel_member(actor):
        raise DomainError(_("You sit on this scheme's panel, so you can't co-sign its nominations."))
    if nomination.state not in OPEN_STATES:
        raise InvalidTransition(_("This nomination can't be co-signed now: it is “%(state)s”.",
                                  state=nomination.state.label))
    if not 5 <= len(comment) <= 1000:
        raise DomainError(_("Write a comment of 5 to 1,000 characters."), field="comment")
    already = Conflict(_("You have already co-signed this nomination."))
    if db.session.get(CoSignature, (nomination.id, actor.id)) is not None:
        raise already
    signature = CoSignature(nomination_id=nomination.id, user_id=actor.id, comment=comment)
    try:
        with db.session.begin_nested():
            db.session.add(signature)
    except IntegrityError:  # co-signed at the same moment in another tab
        raise already from None
    notify(recipient=nomination.nominator, kind=PROGRESS, url=nomination_path(nomination),
           subject=_l("%(name)s co-signed your nomination", name=actor.display_name),
           body=_l("%(name)s added their support to your nomination of %(nominee)s.", name=actor.display_name,
                   nominee=nomination.nominee_name))
    return signature


def withdraw_nomination(*, nomination: Nomination, actor: User) -> None:
    """The nominator takes a nomination back before it is decided."""
    if actor.id != nomination.nominator_id:
        raise DomainError(_("Only the person who made a nomination can withdraw it."))
    waiting_endorser = nomination.endorser if nomination.state == NominationState.SUBMITTED else None
    _move(nomination, expected=OPEN_STATES, to=NominationState.WITHDRAWN, actor=actor)
    record_event("awards.withdrawn", actor=actor, target=nomination)
    # The nominee was told when they were nominated; they are told it was withdrawn (no link: they cannot open it
    # any more). A line manager still asked to endorse it is told there is nothing to do.
    for person in nominee_people(nomination):
        notify(recipient=person, kind=PROGRESS,
               subject=_l("A nomination for %(scheme)s was withdrawn", scheme=nomination.scheme.name),
               body=_l("%(nominator)s withdrew their nomination before the panel decided. This says nothing about "
                       "your work.", nominator=actor.display_name))
    if waiting_endorser is not None and waiting_endorser.id != actor.id:
        notify(recipient=waiting_endorser, kind=PROGRESS,
               subject=_l("The nomination of %(name)s was withdrawn", name=nomination.nominee_name),
               body=_l("There is nothing for you to endorse."))


def endorse_nomination(*, nomination: Nomination, actor: User, endorse: bool, reason: str | None) -> None:
    """The nominee's line manager endorses (the panel gets it) or declines with a reason."""
    if actor.id != nomination.endorser_id:
        raise DomainError(_("Only the nominee's line manager can endorse this nomination."))
    reason = (reason or "").strip() or None
    if endorse:
        _move(nomination, expected=NominationState.SUBMITTED, to=NominationState.ENDORSED, actor=actor,
              reason=reason, endorsement_reason=reason)
        _move(nomination, expected=NominationState.ENDORSED, to=NominationState.IN_REVIEW, actor=None)
    else:
        reason = _require_reason(reason, _("Say why you are not endorsing it. The nominator will see this."))
        _move(nomination, expected=NominationState.SUBMITTED, to=NominationState.NOT_ENDORSED, actor=actor,
              reason=reason, endorsement_reason=reason)
    record_event("awards.endorsed" if endorse else "awards.not_endorsed", actor=actor, target=nomination)
    notify(recipient=nomination.nominator, kind=PROGRESS, url=nomination_path(nomination),
           subject=_l("Your nomination of %(name)s was endorsed", name=nomination.nominee_name) if endorse
           else _l("Your nomination of %(name)s was not endorsed", name=nomination.nominee_name),
           body=_l("Open the nomination to see what happens next."))


# --- the panel ------------------------------------------------------------------------------------------------

def _check_panel_member(nomination: Nomination, actor: User) -> None:
    if not can_review(actor, nomination):
        raise DomainError(_("Only the scheme's panel members can review this nomination."))


def score_nomination(*, nomination: Nomination, panel_member: User, scores: dict[int, int]) -> None:
    """Record (or change) ``panel_member``'s 1–5 score for each criterion, while the nomination is in review."""
    _check_panel_member(nomination, panel_member)
    if nomination.state != NominationState.IN_REVIEW:
        raise _refusal(nomination)
    positions = {answer.position for answer in nomination.answers}
    for position, score in scores.items():
        if position not in positions or not 1 <= score <= 5:
            raise DomainError(_("Give each criterion a score from 1 to 5."), field=f"score_{position}")
    existing = {row.position: row for row in db.session.scalars(
        select(NominationScore).where(NominationScore.nomination_id == nomination.id,
                                      NominationScore.panel_member_id == panel_member.id))}
    for position, score in scores.items():
        if position in existing:
            existing[position].score = score
        else:
            db.session.add(NominationScore(nomination_id=nomination.id, panel_member_id=panel_member.id,
                                           position=position, score=score))
    db.session.flush()


def scorers(nomination: Nomination) -> int:
    """How many panel members have scored this nomination (any criterion)."""
    return db.session.scalar(select(func.count(func.distinct(NominationScore.panel_member_id)))
                             .where(NominationScore.nomination_id == nomination.id)) or 0


def decide_nomination(*, nomination: Nomination, panel_member: User, outcome: NominationState,
                      reason: str | None) -> None:
    """Record the panel's decision. Exactly one decision wins; anyone later is told who decided and when."""
    _check_panel_member(nomination, panel_member)
    if outcome not in DECIDED_STATES:
        raise DomainError(_("Choose a decision."), field="outcome")
    reason = _require_reason(reason, _("Give a reason for the decision. The nominee will see it."))
    needed = nomination.scheme.decision_quorum
    scored = scorers(nomination) if needed > 1 else 0
    if needed > 1 and scored < needed:  # 1: any one panel member decides, as before quorums
        raise DomainError(ngettext(
            "%(num)d panel member has scored this nomination. The scheme needs %(needed)d before a decision.",
            "%(num)d panel members have scored this nomination. The scheme needs %(needed)d before a decision.",
            scored, needed=needed), field="outcome")
    now = utcnow()
    _move(nomination, expected=NominationState.IN_REVIEW, to=outcome, actor=panel_member, reason=reason,
          decided_by_id=panel_member.id, decided_at=now, decision_reason=reason)
    record_event("awards.decided", actor=panel_member, target=nomination, outcome=outcome.value)
    _tell_outcome(nomination, outcome)
    if outcome == NominationState.AWARDED:
        if nomination.scheme.needs_publicity_consent and nomination.nominee_id is not None:
            _ask_consent(nomination)
        else:
            announce_award(nomination=nomination)
    elif outcome == NominationState.CONVERTED:
        convert_to_thank_you(nomination=nomination)


def _tell_outcome(nomination: Nomination, outcome: NominationState) -> None:
    scheme = nomination.scheme
    for person in nominee_people(nomination):
        notify(recipient=person, kind=PROGRESS, url=nomination_path(nomination),
               subject=_outcome_subject(outcome, scheme.name),
               body=_l("Open your nomination to read the panel's decision and what your colleagues wrote."))
    notify(recipient=nomination.nominator, kind=PROGRESS, url=nomination_path(nomination),
           subject=_l("The panel has decided on your nomination of %(name)s", name=nomination.nominee_name),
           body=_l("Open the nomination to read the decision."))


def _outcome_subject(outcome: NominationState, scheme_name: str):
    if outcome == NominationState.AWARDED:
        return _l("Good news about your nomination for %(scheme)s", scheme=scheme_name)
    return _l("The panel has decided on your nomination for %(scheme)s", scheme=scheme_name)


def _ask_consent(nomination: Nomination) -> None:
    notify(recipient=nomination.nominee, kind=PROGRESS, url=nomination_path(nomination),
           subject=_l("May we announce your award?"),
           body=_l("You have won a %(scheme)s award. Tell us whether we may announce it on the recognition wall.",
                   scheme=nomination.scheme.name))


def record_publicity_consent(*, nomination: Nomination, actor: User, consent: bool) -> None:
    """The awarded nominee says whether the award may be announced, once, when the scheme asks; yes announces it
    at once."""
    if actor.id != nomination.nominee_id:
        raise DomainError(_("Only the person who won the award can answer this."))
    refusal = InvalidTransition(_("You have already answered, or there is no award to announce."))
    if not nomination.scheme.needs_publicity_consent:
        raise refusal
    result = db.session.execute(
        update(Nomination).where(Nomination.id == nomination.id, Nomination.state == NominationState.AWARDED,
                                 Nomination.publicity_consent.is_(None))
        .values(publicity_consent=consent).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise refusal
    db.session.expire(nomination)
    record_event("awards.publicity_consent", actor=actor, target=nomination, consent=consent)
    if consent:
        announce_award(nomination=nomination)


def announce_award(*, nomination: Nomination) -> bool:
    """Announce an award once: the winners list on the awards page and a public post on the recognition wall.

    Returns False when it was already announced. The one place to change how winners are announced.
    """
    now = utcnow()
    result = db.session.execute(
        update(Nomination).where(Nomination.id == nomination.id, Nomination.state == NominationState.AWARDED,
                                 Nomination.announced_at.is_(None))
        .values(announced_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    db.session.expire(nomination)
    post_winner_to_wall(nomination)
    for person in nominee_people(nomination):
        notify(recipient=person, kind=PROGRESS, url=nomination_path(nomination),
               subject=_l("Your award has been announced"),
               body=_l("Your %(scheme)s award is now on the awards page and the recognition wall.",
                       scheme=nomination.scheme.name))
    return True


def convert_to_thank_you(*, nomination: Nomination) -> None:
    """The panel turned the nomination into a thank-you from the nominator (through recognition)."""
    thank_from_nomination(nomination)
