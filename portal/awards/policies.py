"""Who may see and do what with award schemes and nominations. Templates call these same functions.

Blind review: a panel member of a blind scheme never sees who nominated or co-signed, on any page, unless they
are the nominator themselves.
"""

from __future__ import annotations

from portal.auth.models import User
from portal.awards.models import DECIDED_STATES, OPEN_STATES, AwardScheme, Nomination, NominationState
from portal.common.roles import Role


def can_manage_schemes(user: User) -> bool:
    return user.has_role(Role.HR)


def is_panel_member(user: User, scheme: AwardScheme) -> bool:
    return user.has_role(Role.PANEL) and user.id in scheme.panel_member_ids


def is_nominee(user: User, nomination: Nomination) -> bool:
    if nomination.nominee_id is not None:
        return nomination.nominee_id == user.id
    return nomination.team_id == user.unit_id


def _is_involved(user: User, nomination: Nomination) -> bool:
    return (user.id in {nomination.nominator_id, nomination.endorser_id}
            or is_nominee(user, nomination)
            or user.id in {c.user_id for c in nomination.cosignatures}
            or (nomination.nominee is not None and nomination.nominee.manager_id == user.id))


def reached_panel(nomination: Nomination) -> bool:
    """Whether the nomination was ever sent to the panel (one withdrawn or declined before that never was)."""
    return (nomination.status == NominationState.IN_REVIEW or nomination.status in DECIDED_STATES
            or any(change.to_state == NominationState.IN_REVIEW for change in nomination.history))


def _knows_the_nominator_as_manager(user: User, nomination: Nomination) -> bool:
    """The endorser read "Nominated by …" on the endorse page; the nominee's line manager may be (or become) it."""
    return user.id == nomination.endorser_id or (nomination.nominee is not None
                                                 and nomination.nominee.manager_id == user.id)


def can_view_nomination(user: User, nomination: Nomination) -> bool:
    """Undecided nominations can be opened by any colleague with the link (to co-sign); afterwards only the
    people involved and HR. The scheme's panel only once the nomination has reached it."""
    if _is_involved(user, nomination) or can_manage_schemes(user):
        return True
    if is_panel_member(user, nomination.scheme):
        return reached_panel(nomination)
    return nomination.status in OPEN_STATES


def can_see_nominator(user: User, nomination: Nomination) -> bool:
    """False for the panel of a blind scheme (covers co-signers' names too)."""
    if user.id == nomination.nominator_id:
        return True
    return not (nomination.scheme.is_blind_review and is_panel_member(user, nomination.scheme))


def can_see_endorsement_comments(user: User, nomination: Nomination) -> bool:
    """A manager's reason for not endorsing is for the nominator (and HR), not the nominee or a blind panel."""
    if not can_see_nominator(user, nomination):
        return False
    if nomination.status != NominationState.NOT_ENDORSED:
        return True
    return user.id in {nomination.nominator_id, nomination.endorser_id} or can_manage_schemes(user)


def can_cosign(user: User, nomination: Nomination) -> bool:
    return (nomination.status in OPEN_STATES and user.id != nomination.nominator_id
            and not is_nominee(user, nomination) and not is_panel_member(user, nomination.scheme)
            and user.id not in {c.user_id for c in nomination.cosignatures})


def can_withdraw(user: User, nomination: Nomination) -> bool:
    return user.id == nomination.nominator_id and nomination.status in OPEN_STATES


def can_endorse(user: User, nomination: Nomination) -> bool:
    return user.id == nomination.endorser_id and nomination.status == NominationState.SUBMITTED


def can_review(user: User, nomination: Nomination) -> bool:
    """Panel members of the scheme, except for their own nomination, one about them, or one about someone they
    line-manage or endorsed (they know who nominated: blind review). Opening it also needs ``reached_panel``."""
    return (is_panel_member(user, nomination.scheme) and not is_nominee(user, nomination)
            and user.id != nomination.nominator_id and not _knows_the_nominator_as_manager(user, nomination))


def can_open_review(user: User, nomination: Nomination) -> bool:
    """The panel view (answers, co-signers' comments, scores): only for nominations that reached the panel."""
    return can_review(user, nomination) and reached_panel(nomination)


def can_decide(user: User, nomination: Nomination) -> bool:
    return can_review(user, nomination) and nomination.status == NominationState.IN_REVIEW


def can_give_consent(user: User, nomination: Nomination) -> bool:
    return (user.id == nomination.nominee_id and nomination.status == NominationState.AWARDED
            and nomination.scheme.needs_publicity_consent and nomination.publicity_consent is None)


POLICIES = {name: fn for name, fn in globals().items() if name.startswith(("can_", "is_"))}
