"""Award services: nominating, co-signing, endorsing, deciding, consent and every refused transition."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from portal.awards.models import Nomination, NominationScore, NominationState
from portal.awards.services import (
    DuplicateNomination,
    NominationDetails,
    cosign_nomination,
    decide_nomination,
    endorse_nomination,
    score_nomination,
    submit_nomination,
    withdraw_nomination,
)
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.extensions import db
from tests.awards.factories import ANSWER, make_scheme, nominate, notifications, panel_member
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def history(nomination) -> list[str]:
    db.session.expire(nomination)
    return [change.to_state for change in nomination.history]


def force_state(nomination, state: NominationState, decided_by=None) -> None:
    values = {"state": state.value}
    if decided_by is not None:
        values.update(decided_by_id=decided_by.id, decided_at=nomination.created_at)
    db.session.execute(update(Nomination).where(Nomination.id == nomination.id).values(**values))
    db.session.expire(nomination)


# --- nominating ---------------------------------------------------------------------------------------------

def test_a_nomination_without_endorsement_goes_to_the_panel_and_the_nominee_is_told_why():
    scheme = make_scheme(panel=[panel_member()])
    nominator, nominee = UserFactory(display_name="Asha Patel"), UserFactory()
    nomination = nominate(scheme, nominator=nominator, nominee=nominee)
    assert nomination.state == NominationState.IN_REVIEW
    assert history(nomination) == ["submitted", "in_review"]
    assert [a.answer for a in nomination.answers] == [ANSWER, ANSWER]
    assert nomination.nominator_unit_id == nominator.unit_id and nomination.nominee_unit_id == nominee.unit_id
    told = notifications(nominee, "awards.nominated")
    assert len(told) == 1 and "Asha Patel nominated you for" in str(told[0].body)  # written to them, not about them
    assert told[0].url == f"/awards/nominations/{nomination.id}"


def test_with_endorsement_the_line_manager_is_asked_first():
    manager = UserFactory()
    nominee = UserFactory(manager=manager)
    nomination = nominate(make_scheme(endorsement=True), nominee=nominee)
    assert nomination.state == NominationState.SUBMITTED
    assert nomination.endorser_id == manager.id
    assert len(notifications(manager, "awards.to_endorse")) == 1
    assert len(notifications(nominee, "awards.nominated")) == 1


def test_a_line_manager_nominating_their_own_report_endorses_it_at_once():
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominator=manager, nominee=UserFactory(manager=manager))
    assert history(nomination) == ["submitted", "endorsed", "in_review"]


def test_a_team_nomination_tells_every_active_member():
    team = UnitFactory(name="PALS North")
    members = [UserFactory(unit=team) for _ in range(3)]
    UserFactory(unit=team, is_active_account=False)
    nomination = nominate(make_scheme(), team=team)
    assert nomination.nominee_name == "PALS North"
    assert all(len(notifications(m, "awards.nominated")) == 1 for m in members)
    told = notifications(members[0], "awards.nominated")[0]
    assert "Your team has been nominated" in str(told.subject) and "nominated your team, PALS North," in str(told.body)


def test_no_self_nomination_and_no_nominating_your_own_team():
    scheme = make_scheme()
    me = UserFactory()
    with pytest.raises(DomainError, match="can't nominate yourself") as caught:
        nominate(scheme, nominator=me, nominee=me)
    assert caught.value.field == "person"
    with pytest.raises(DomainError, match="your own team"):
        nominate(scheme, nominator=me, team=me.unit)


def test_a_closed_scheme_takes_no_nominations():
    today = date.today()
    scheme = make_scheme(opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1))
    with pytest.raises(DomainError, match="closed"):
        nominate(scheme)


def test_short_answers_are_refused_next_to_their_question():
    scheme = make_scheme()
    category = scheme.categories[0]
    with pytest.raises(DomainError) as caught:
        submit_nomination(scheme=scheme, nominator=UserFactory(), details=NominationDetails(
            category=category, nominee=UserFactory(), answers=[ANSWER, "Great"]))
    assert caught.value.field == "answer_1"


@pytest.mark.parametrize(("case", "words", "field"), [
    ("other scheme's category", "this scheme's categories", "category"),
    ("nobody", "Choose a colleague or a team", "person"),
    ("a person and a team", "Choose a colleague or a team", "person"),
    ("someone who left", "no longer uses Frontline", "person"),
    ("one answer missing", "Answer every question", None),
])
def test_a_nomination_must_name_one_active_nominee_and_answer_this_schemes_questions(case, words, field):
    scheme = make_scheme()
    details = NominationDetails(category=scheme.categories[0], nominee=UserFactory(), answers=[ANSWER, ANSWER])
    if case == "other scheme's category":
        details.category = make_scheme(name="Other").categories[0]
    elif case == "nobody":
        details.nominee = None
    elif case == "a person and a team":
        details.team = UnitFactory()
    elif case == "someone who left":
        details.nominee = UserFactory(is_active_account=False)
    else:
        details.answers = [ANSWER]
    with pytest.raises(DomainError, match=words) as caught:
        submit_nomination(scheme=scheme, details=details, nominator=UserFactory())
    assert caught.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0


def test_with_a_line_manager_who_has_left_the_nomination_goes_straight_to_the_panel():
    nominee = UserFactory(manager=UserFactory(is_active_account=False))
    nomination = nominate(make_scheme(endorsement=True), nominee=nominee)
    assert nomination.endorser_id is None and nomination.state == NominationState.IN_REVIEW


def test_a_duplicate_is_flagged_unless_the_nominator_continues():
    scheme = make_scheme()
    nominator, nominee = UserFactory(), UserFactory(display_name="Sam Okafor")
    first = nominate(scheme, nominator=nominator, nominee=nominee)
    with pytest.raises(DuplicateNomination) as caught:
        nominate(scheme, nominator=nominator, nominee=nominee)
    assert caught.value.existing.id == first.id
    assert "already nominated Sam Okafor" in caught.value.message
    second = nominate(scheme, nominator=nominator, nominee=nominee, allow_duplicate=True)
    assert second.id != first.id


def test_a_withdrawn_nomination_is_not_a_duplicate():
    scheme = make_scheme()
    nominator, nominee = UserFactory(), UserFactory()
    withdraw_nomination(nomination=nominate(scheme, nominator=nominator, nominee=nominee), actor=nominator)
    assert nominate(scheme, nominator=nominator, nominee=nominee).state == NominationState.IN_REVIEW


# --- co-signing ---------------------------------------------------------------------------------------------

def test_colleagues_co_sign_once_and_the_nominator_is_told():
    nomination = nominate(make_scheme())
    colleague = UserFactory(display_name="Jo Reid")
    cosign_nomination(nomination=nomination, actor=colleague, comment="She did the same for my caller too.")
    assert [c.user_id for c in nomination.cosignatures] == [colleague.id]
    assert "Jo Reid co-signed" in notifications(nomination.nominator, "awards.progress")[0].subject
    with pytest.raises(Conflict, match="already co-signed"):
        cosign_nomination(nomination=nomination, actor=colleague, comment="Again, with feeling.")


def test_the_nominator_and_nominee_cannot_co_sign():
    nomination = nominate(make_scheme())
    with pytest.raises(DomainError, match="you can't co-sign"):
        cosign_nomination(nomination=nomination, actor=nomination.nominator, comment="Me too, honestly.")
    with pytest.raises(DomainError, match="for yourself"):
        cosign_nomination(nomination=nomination, actor=nomination.nominee, comment="Thank you all.")


def test_the_panel_does_not_co_sign_and_nobody_co_signs_a_decided_nomination():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    with pytest.raises(DomainError, match="sit on this scheme's panel"):
        cosign_nomination(nomination=nomination, actor=member, comment="I would vote for this one.")
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.NOT_AWARDED,
                      reason="A strong field.")
    with pytest.raises(InvalidTransition, match="can't be co-signed now: it is “Not awarded”"):
        cosign_nomination(nomination=nomination, actor=UserFactory(), comment="She deserved it anyway.")


def test_a_co_sign_comment_must_be_5_to_1000_characters():
    nomination = nominate(make_scheme())
    with pytest.raises(DomainError, match="5 to 1,000") as caught:
        cosign_nomination(nomination=nomination, actor=UserFactory(), comment=" Yes ")
    assert caught.value.field == "comment" and nomination.cosignatures == []


# --- endorsing ----------------------------------------------------------------------------------------------

def test_endorsing_moves_it_to_the_panel_and_tells_the_nominator():
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=True, reason="Thoroughly deserved.")
    assert nomination.state == NominationState.IN_REVIEW
    assert history(nomination) == ["submitted", "endorsed", "in_review"]
    assert nomination.endorsement_reason == "Thoroughly deserved."
    assert "was endorsed" in notifications(nomination.nominator, "awards.progress")[0].subject


def test_declining_needs_a_reason():
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    with pytest.raises(DomainError, match="Say why") as caught:
        endorse_nomination(nomination=nomination, actor=manager, endorse=False, reason="  ")
    assert caught.value.field == "reason"
    endorse_nomination(nomination=nomination, actor=manager, endorse=False, reason="Already recognised this year.")
    assert nomination.state == NominationState.NOT_ENDORSED


def test_only_the_nominator_withdraws():
    nomination = nominate(make_scheme())
    with pytest.raises(DomainError, match="Only the person who made"):
        withdraw_nomination(nomination=nomination, actor=nomination.nominee)
    assert nomination.state == NominationState.IN_REVIEW


def test_only_the_line_manager_endorses():
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=UserFactory()))
    with pytest.raises(DomainError, match="line manager"):
        endorse_nomination(nomination=nomination, actor=UserFactory(), endorse=True, reason=None)


# --- every transition from every wrong state ---------------------------------------------------------------

ALL = list(NominationState)
DECIDED = [NominationState.AWARDED, NominationState.NOT_AWARDED, NominationState.CONVERTED]


def _act(action: str, nomination, people):
    if action == "endorse":
        endorse_nomination(nomination=nomination, actor=people["manager"], endorse=True, reason=None)
    elif action == "decline":
        endorse_nomination(nomination=nomination, actor=people["manager"], endorse=False, reason="Not this time.")
    elif action == "withdraw":
        withdraw_nomination(nomination=nomination, actor=nomination.nominator)
    elif action == "decide":
        decide_nomination(nomination=nomination, panel_member=people["panel"], outcome=NominationState.AWARDED,
                          reason="Outstanding care.")
    elif action == "score":
        score_nomination(nomination=nomination, panel_member=people["panel"], scores={0: 4, 1: 5})


ALLOWED = {
    "endorse": {NominationState.SUBMITTED},
    "decline": {NominationState.SUBMITTED},
    "withdraw": {NominationState.SUBMITTED, NominationState.ENDORSED, NominationState.IN_REVIEW},
    "decide": {NominationState.IN_REVIEW},
    "score": {NominationState.IN_REVIEW},
}
WRONG = [(action, state) for action, allowed in ALLOWED.items() for state in ALL if state not in allowed]


@pytest.mark.parametrize(("action", "state"), WRONG, ids=[f"{a}-from-{s}" for a, s in WRONG])
def test_every_transition_from_a_wrong_state_is_refused_with_a_readable_message(action, state):
    manager, member, decider = UserFactory(), panel_member(), UserFactory(display_name="Dr Mei Lin")
    nomination = nominate(make_scheme(endorsement=True, panel=[member]), nominee=UserFactory(manager=manager))
    force_state(nomination, state, decided_by=decider if state in DECIDED else None)
    with pytest.raises(InvalidTransition) as caught:
        _act(action, nomination, {"manager": manager, "panel": member})
    message = caught.value.message
    if state in DECIDED:
        assert message.startswith("Already decided by Dr Mei Lin on ")
    else:
        assert state.label in message
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == state.value  # nothing moved


AFTER = {"endorse": NominationState.IN_REVIEW, "decline": NominationState.NOT_ENDORSED,
         "withdraw": NominationState.WITHDRAWN, "decide": NominationState.AWARDED}


@pytest.mark.parametrize(("action", "state"), [(a, s) for a, allowed in ALLOWED.items() for s in sorted(allowed)])
def test_every_transition_from_its_right_state_works(action, state):
    manager, member = UserFactory(), panel_member()
    nomination = nominate(make_scheme(endorsement=True, panel=[member]), nominee=UserFactory(manager=manager))
    force_state(nomination, state)
    _act(action, nomination, {"manager": manager, "panel": member})
    db.session.expire_all()
    after = db.session.get(Nomination, nomination.id)
    if action == "score":  # scoring records scores and leaves the state alone
        assert after.state == state
        assert db.session.scalar(select(func.count()).select_from(NominationScore)
                                 .where(NominationScore.nomination_id == nomination.id)) == 2
    else:
        assert after.state == AFTER[action]
        assert after.history[-1].to_state == AFTER[action]


# --- the panel ----------------------------------------------------------------------------------------------

def test_scores_are_saved_and_changed_and_must_be_1_to_5():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    score_nomination(nomination=nomination, panel_member=member, scores={0: 3, 1: 4})
    score_nomination(nomination=nomination, panel_member=member, scores={0: 5, 1: 4})
    rows = db.session.scalars(select(NominationScore).order_by(NominationScore.position)).all()
    assert [(r.position, r.score) for r in rows] == [(0, 5), (1, 4)]
    with pytest.raises(DomainError, match="from 1 to 5"):
        score_nomination(nomination=nomination, panel_member=member, scores={0: 6})


def test_only_the_schemes_panel_decides_and_never_about_themselves():
    member, outsider = panel_member(), panel_member()
    scheme = make_scheme(panel=[member])
    with pytest.raises(DomainError, match="panel members"):
        decide_nomination(nomination=nominate(scheme), panel_member=outsider, outcome=NominationState.AWARDED,
                          reason="Great.")
    with pytest.raises(DomainError, match="panel members"):
        decide_nomination(nomination=nominate(scheme, nominee=member), panel_member=member,
                          outcome=NominationState.AWARDED, reason="Great.")


def test_a_decision_needs_a_reason_and_tells_nominee_and_nominator():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    with pytest.raises(DomainError, match="Give a reason"):
        decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.NOT_AWARDED,
                          reason="")
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.NOT_AWARDED,
                      reason="A strong field this year.")
    assert nomination.state == NominationState.NOT_AWARDED
    assert nomination.decided_by_id == member.id and nomination.decision_reason == "A strong field this year."
    assert len(notifications(nomination.nominee, "awards.progress")) == 1
    assert len(notifications(nomination.nominator, "awards.progress")) == 1
    assert history(nomination)[-1] == "not_awarded"


def test_a_decision_is_one_of_the_three_outcomes_with_a_reason_of_reasonable_length():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    with pytest.raises(DomainError, match="Choose a decision") as caught:
        decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.WITHDRAWN,
                          reason="Tidying up.")
    assert caught.value.field == "outcome"
    with pytest.raises(DomainError, match="under 2000 characters") as caught:
        decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED,
                          reason="x" * 2001)
    assert caught.value.field == "reason" and nomination.state == NominationState.IN_REVIEW


def test_a_second_decision_is_told_who_decided():
    first, second = panel_member(display_name="Priya Shah"), panel_member()
    nomination = nominate(make_scheme(panel=[first, second]))
    decide_nomination(nomination=nomination, panel_member=first, outcome=NominationState.AWARDED, reason="Yes.")
    with pytest.raises(InvalidTransition, match="^Already decided by Priya Shah on "):
        decide_nomination(nomination=nomination, panel_member=second, outcome=NominationState.NOT_AWARDED,
                          reason="No.")


def test_a_scheme_with_a_quorum_is_decided_only_once_that_many_panel_members_have_scored():
    from portal.awards.services import score_nomination

    first, second, third = panel_member(), panel_member(), panel_member()
    scheme = make_scheme(panel=[first, second, third])
    scheme.decision_quorum = 2
    nomination = nominate(scheme)
    score_nomination(nomination=nomination, panel_member=first, scores={0: 4, 1: 5})
    with pytest.raises(DomainError, match="1 panel member has scored this nomination. The scheme needs 2"):
        decide_nomination(nomination=nomination, panel_member=first, outcome=NominationState.AWARDED,
                          reason="Outstanding care.")
    assert nomination.state == NominationState.IN_REVIEW
    score_nomination(nomination=nomination, panel_member=first, scores={0: 5, 1: 5})  # the same member again
    with pytest.raises(DomainError, match="needs 2"):
        decide_nomination(nomination=nomination, panel_member=first, outcome=NominationState.AWARDED,
                          reason="Outstanding care.")
    score_nomination(nomination=nomination, panel_member=second, scores={0: 3, 1: 4})
    decide_nomination(nomination=nomination, panel_member=third, outcome=NominationState.AWARDED,
                      reason="Outstanding care.")
    assert nomination.state == NominationState.AWARDED


def test_the_quorum_cannot_exceed_the_panel():
    from portal.awards.scheme_services import CategoryDetails, SchemeDetails, create_scheme

    member = panel_member()
    today = date.today()
    details = SchemeDetails(name="Quorum", description="", opens_on=today, closes_on=today, decision_due_on=today,
                            needs_manager_endorsement=False, is_blind_review=True, needs_publicity_consent=False,
                            categories=[CategoryDetails("Care", "What did they do?")], panel_member_ids=[member.id],
                            decision_quorum=2)
    with pytest.raises(DomainError, match="between 1 and the number of panel members") as refused:
        create_scheme(details=details, actor=UserFactory(hr=True))
    assert refused.value.field == "decision_quorum"
