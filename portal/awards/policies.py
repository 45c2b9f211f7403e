"""Who may see and do what with award schemes and nominations. Templates ask the same functions through
``can.awards.<verb>(nomination)``.

Blind review: a panel member of a blind scheme never sees who nominated or co-signed, on any page, unless they
are the nominator themselves.

The ``can_act_as_*`` policies, ``can_view_nomination``, ``can_open_review``, ``can_nominate`` and
``can_open_panel`` guard the pages (``@load``): they say *who*. The others also say whether the action is
possible now, to show or hide its button; the services' guarded updates make the final call, so a second click
gets a message saying what happened.
"""

from __future__ import annotations

from portal.auth.models import User
from portal.awards.models import (
    DECIDED_STATES,
    OPEN_STATES,
    AwardScheme,
    Nomination,
    NominationState,
    today_in_london,
)
from portal.common.roles import Role


def _is_hr(user: User) -> bool:
    """HR manages the schemes and follows every nomination in them."""
    return user.has_role(Role.HR)


def _is_involved(user: User, nomination: Nomination) -> bool:
    return (user.id in {nomination.nominator_id, nomination.endorser_id}
            or nomination.is_about(user)
            or user.id in {c.user_id for c in nomination.cosignatures}
            or (nomination.nominee is not None and nomination.nominee.manager_id == user.id))


def reached_panel(nomination: Nomination) -> bool:
    """Whether the nomination was ever sent to the panel (one withdrawn or declined before that never was)."""
    return (nomination.state == NominationState.IN_REVIEW or nomination.state in DECIDED_STATES
            or any(change.to_state == NominationState.IN_REVIEW for change in nomination.history))


def _knows_the_nominator_as_manager(user: User, nomination: Nomination) -> bool:
    """The endorser read "Nominated by …" on the endorse page; the nominee's line manager may be (or become) it."""
    return user.id == nomination.endorser_id or (nomination.nominee is not None
                                                 and nomination.nominee.manager_id == user.id)


# --- schemes --------------------------------------------------------------------------------------------------

def can_nominate(user: User, scheme: AwardScheme) -> bool:
    """Anyone signed in, while the scheme is open for nominations: a closed scheme has no nominate page."""
    return user.is_authenticated and scheme.is_open_on(today_in_london())


def can_open_panel(user: User, scheme: AwardScheme) -> bool:
    """The scheme's page for its panel: the panel members who still hold the panel role."""
    return user.is_authenticated and scheme.has_panel_member(user)


# --- reading a nomination -------------------------------------------------------------------------------------

def can_view_nomination(user: User, nomination: Nomination) -> bool:
    """Undecided nominations can be opened by any colleague with the link (to co-sign); afterwards only the
    people involved and HR. The scheme's panel only once the nomination has reached it."""
    if (nomination.state == NominationState.WITHDRAWN and nomination.is_about(user)
            and user.id != nomination.nominator_id and not _is_hr(user)):
        return False  # taken back: the nominee is told so, and it is no longer theirs to reread
    if _is_involved(user, nomination) or _is_hr(user):
        return True
    if nomination.scheme.has_panel_member(user):
        return reached_panel(nomination)
    return nomination.state in OPEN_STATES


def can_see_nominator(user: User, nomination: Nomination) -> bool:
    """False for the panel of a blind scheme (covers co-signers' names and the history too)."""
    if user.id == nomination.nominator_id:
        return True
    return not (nomination.scheme.is_blind_review and nomination.scheme.has_panel_member(user))


def can_see_endorsement_comments(user: User, nomination: Nomination) -> bool:
    """A manager's reason for not endorsing is for the nominator (and HR), not the nominee or a blind panel."""
    if not can_see_nominator(user, nomination):
        return False
    if nomination.state != NominationState.NOT_ENDORSED:
        return True
    return user.id in {nomination.nominator_id, nomination.endorser_id} or _is_hr(user)


def can_see_decision_reason(user: User, nomination: Nomination) -> bool:
    """The panel's reason for its decision: the nominee (every member of a nominated team), the nominator, HR and
    the scheme's panel. Not co-signers, nor the line manager as such."""
    return (nomination.is_about(user) or user.id == nomination.nominator_id or _is_hr(user)
            or nomination.scheme.has_panel_member(user))


# --- the nominator, colleagues, the line manager and the nominee ---------------------------------------------

def can_cosign(user: User, nomination: Nomination) -> bool:
    """Colleagues other than the nominator, the nominee and the panel, once each, while it is undecided."""
    return (nomination.state in OPEN_STATES and user.id != nomination.nominator_id
            and not nomination.is_about(user) and not nomination.scheme.has_panel_member(user)
            and user.id not in {c.user_id for c in nomination.cosignatures})


def can_act_as_nominator(user: User, nomination: Nomination) -> bool:
    return user.is_authenticated and user.id == nomination.nominator_id


def can_withdraw(user: User, nomination: Nomination) -> bool:
    return can_act_as_nominator(user, nomination) and nomination.state in OPEN_STATES


def can_act_as_endorser(user: User, nomination: Nomination) -> bool:
    """The line manager asked to endorse it: the endorse page, before and after they answered."""
    return user.is_authenticated and nomination.endorser_id is not None and user.id == nomination.endorser_id


def can_endorse(user: User, nomination: Nomination) -> bool:
    return can_act_as_endorser(user, nomination) and nomination.state == NominationState.SUBMITTED


def can_act_as_nominee(user: User, nomination: Nomination) -> bool:
    """The nominated person (a team's members are not asked about publicity: a team award is announced)."""
    return user.is_authenticated and nomination.nominee_id is not None and user.id == nomination.nominee_id


def can_give_consent(user: User, nomination: Nomination) -> bool:
    return (can_act_as_nominee(user, nomination) and nomination.state == NominationState.AWARDED
            and nomination.scheme.needs_publicity_consent and nomination.publicity_consent is None)


# --- the panel ------------------------------------------------------------------------------------------------

def can_review(user: User, nomination: Nomination) -> bool:
    """Panel members of the scheme, except for their own nomination, one about them, or one about someone they
    line-manage or endorsed (they know who nominated: blind review). Opening it also needs ``reached_panel``."""
    return (nomination.scheme.has_panel_member(user) and not nomination.is_about(user)
            and user.id != nomination.nominator_id and not _knows_the_nominator_as_manager(user, nomination))


def can_open_review(user: User, nomination: Nomination) -> bool:
    """The panel view (answers, co-signers' comments, scores): only for nominations that reached the panel. One
    withdrawn after that stays readable, with no actions."""
    return can_review(user, nomination) and reached_panel(nomination)


def can_score(user: User, nomination: Nomination) -> bool:
    """The reviewing panel members, while the nomination waits for a decision."""
    return can_review(user, nomination) and nomination.state == NominationState.IN_REVIEW


def can_decide(user: User, nomination: Nomination) -> bool:
    """The same people, at the same time, as scoring: any one of them records the panel's decision."""
    return can_score(user, nomination)
