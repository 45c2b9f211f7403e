"""Award services: schemes, nominating, co-signing, endorsing, deciding, consent and every refused transition."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from portal.awards.models import Nomination, NominationScore, NominationState
from portal.awards.scheme_services import CategoryDetails, SchemeDetails, create_scheme, update_scheme
from portal.awards.services import (
    DuplicateNomination,
    NominationDetails,
    cosign_nomination,
    decide_nomination,
    endorse_nomination,
    record_publicity_consent,
    score_nomination,
    submit_nomination,
    withdraw_nomination,
)
from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.extensions import db
from portal.notifications.models import Job, Notification
from tests.awards.factories import ANSWER, make_scheme, nominate, panel_member
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def notifications(user, kind=None) -> list[Notification]:
    stmt = select(Notification).where(Notification.recipient_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt.order_by(Notification.id)))


def history(nomination) -> list[str]:
    db.session.expire(nomination)
    return [change.to_state for change in nomination.history]


def scheme_details(**overrides) -> SchemeDetails:
    today = date.today()
    values = dict(name="Patient Experience Awards 2026", description="", opens_on=today, closes_on=today
                  + timedelta(days=30), decision_due_on=today + timedelta(days=45), needs_manager_endorsement=True,
                  is_blind_review=True, needs_publicity_consent=True,
                  categories=[CategoryDetails("Quiet achiever", "What did they do?\nWho noticed?")],
                  panel_member_ids=[panel_member().id])
    values.update(overrides)
    return SchemeDetails(**values)


def force_state(nomination, state: NominationState, decided_by=None) -> None:
    values = {"state": state.value}
    if decided_by is not None:
        values.update(decided_by_id=decided_by.id, decided_at=nomination.created_at)
    db.session.execute(update(Nomination).where(Nomination.id == nomination.id).values(**values))
    db.session.expire(nomination)


# --- schemes ------------------------------------------------------------------------------------------------

def test_hr_creates_a_scheme_with_categories_panel_jobs_and_an_audit_event():
    hr = UserFactory(hr=True)
    scheme = create_scheme(details=scheme_details(), actor=hr)
    assert [c.name for c in scheme.categories] == ["Quiet achiever"]
    assert scheme.categories[0].criteria_list == ["What did they do?", "Who noticed?"]
    assert len(scheme.panel_rows) == 1
    kinds = set(db.session.scalars(select(Job.kind).where(Job.dedupe_key.startswith(f"awards:scheme:{scheme.id}:"))))
    assert kinds == {"awards.panel_reminder", "awards.escalate_overdue"}
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "awards.scheme_created")) == 1


@pytest.mark.parametrize(("overrides", "field", "words"), [
    (lambda t: {"closes_on": t - timedelta(days=1)}, "closes_on", "on or after the opening date"),
    (lambda t: {"decision_due_on": t + timedelta(days=1)}, "decision_due_on", "on or after the closing date"),
    (lambda t: {"categories": []}, "category_1_name", "at least one category"),
    (lambda t: {"panel_member_ids": []}, "panel", "at least one panel member"),
    (lambda t: {"panel_member_ids": [UserFactory().id]}, "panel", "award panel role"),
    (lambda t: {"categories": [CategoryDetails("A", "x"), CategoryDetails("a", "y")]}, "category_1_name",
     "different name"),
])
def test_scheme_mistakes_are_named_next_to_their_field(overrides, field, words):
    with pytest.raises(DomainError) as caught:
        create_scheme(details=scheme_details(**overrides(date.today())), actor=UserFactory(hr=True))
    assert caught.value.field == field
    assert words in caught.value.message


def test_a_category_with_nominations_cannot_be_removed_but_can_be_renamed():
    member = panel_member()
    scheme = make_scheme(panel=[member], categories=[("One", "Why?"), ("Two", "Why?")])
    nominate(scheme, category=scheme.categories[1])
    details = scheme_details(panel_member_ids=[member.id], categories=[CategoryDetails("Renamed", "Why?")])
    with pytest.raises(DomainError, match="already has nominations"):
        update_scheme(scheme=scheme, details=details, actor=UserFactory(hr=True))
    details.categories = [CategoryDetails("One", "Why?"), CategoryDetails("Two, renamed", "Why?")]
    update_scheme(scheme=scheme, details=details, actor=UserFactory(hr=True))
    assert [c.name for c in scheme.categories] == ["One", "Two, renamed"]


# --- nominating ---------------------------------------------------------------------------------------------

def test_a_nomination_without_endorsement_goes_to_the_panel_and_the_nominee_is_told_why():
    scheme = make_scheme(panel=[panel_member()])
    nominator, nominee = UserFactory(display_name="Asha Patel"), UserFactory()
    nomination = nominate(scheme, nominator=nominator, nominee=nominee)
    assert nomination.status == NominationState.IN_REVIEW
    assert history(nomination) == ["submitted", "in_review"]
    assert [a.answer for a in nomination.answers] == [ANSWER, ANSWER]
    assert nomination.nominator_unit_id == nominator.unit_id and nomination.nominee_unit_id == nominee.unit_id
    told = notifications(nominee, "awards.nominated")
    assert len(told) == 1 and "Asha Patel nominated" in told[0].body
    assert told[0].url == f"/awards/nominations/{nomination.id}"


def test_with_endorsement_the_line_manager_is_asked_first():
    manager = UserFactory()
    nominee = UserFactory(manager=manager)
    nomination = nominate(make_scheme(endorsement=True), nominee=nominee)
    assert nomination.status == NominationState.SUBMITTED
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
    assert nominate(scheme, nominator=nominator, nominee=nominee).status == NominationState.IN_REVIEW


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


# --- endorsing ----------------------------------------------------------------------------------------------

def test_endorsing_moves_it_to_the_panel_and_tells_the_nominator():
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=True, reason="Thoroughly deserved.")
    assert nomination.status == NominationState.IN_REVIEW
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
    assert nomination.status == NominationState.NOT_ENDORSED


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


@pytest.mark.parametrize(("action", "state"), [(a, s) for a, allowed in ALLOWED.items() for s in sorted(allowed)])
def test_every_transition_from_its_right_state_works(action, state):
    manager, member = UserFactory(), panel_member()
    nomination = nominate(make_scheme(endorsement=True, panel=[member]), nominee=UserFactory(manager=manager))
    force_state(nomination, state)
    _act(action, nomination, {"manager": manager, "panel": member})


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
    assert nomination.status == NominationState.NOT_AWARDED
    assert nomination.decided_by_id == member.id and nomination.decision_reason == "A strong field this year."
    assert len(notifications(nomination.nominee, "awards.progress")) == 1
    assert len(notifications(nomination.nominator, "awards.progress")) == 1
    assert history(nomination)[-1] == "not_awarded"


def test_a_second_decision_is_told_who_decided():
    first, second = panel_member(display_name="Priya Shah"), panel_member()
    nomination = nominate(make_scheme(panel=[first, second]))
    decide_nomination(nomination=nomination, panel_member=first, outcome=NominationState.AWARDED, reason="Yes.")
    with pytest.raises(InvalidTransition, match="^Already decided by Priya Shah on "):
        decide_nomination(nomination=nomination, panel_member=second, outcome=NominationState.NOT_AWARDED,
                          reason="No.")


def test_award_without_consent_needed_is_announced_at_once():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    assert nomination.announced_at is not None
    assert any("announced" in n.subject for n in notifications(nomination.nominee))


def test_award_with_consent_waits_for_the_nominee():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=True))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    assert nomination.announced_at is None
    assert any("May we announce" in n.subject for n in notifications(nomination.nominee))
    with pytest.raises(DomainError, match="Only the person"):
        record_publicity_consent(nomination=nomination, actor=nomination.nominator, consent=True)
    record_publicity_consent(nomination=nomination, actor=nomination.nominee, consent=True)
    assert nomination.publicity_consent is True and nomination.announced_at is not None
    with pytest.raises(InvalidTransition, match="already answered"):
        record_publicity_consent(nomination=nomination, actor=nomination.nominee, consent=False)


def test_refused_consent_keeps_the_award_private():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=True))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    record_publicity_consent(nomination=nomination, actor=nomination.nominee, consent=False)
    assert nomination.publicity_consent is False and nomination.announced_at is None


def test_an_announced_award_is_a_public_post_on_the_wall():
    from portal.recognition.models import Post, PostKind

    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False), nominee=UserFactory(display_name="Ali Khan"))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    post = db.session.scalars(select(Post).where(Post.kind == PostKind.AWARD)).one()
    assert post.visibility == "public" and post.recipient_user_ids == {nomination.nominee_id}
    assert "Ali Khan won the “Compassion under pressure” award" in post.what_they_did


def test_converting_makes_a_private_thank_you_from_the_nominator_in_their_words():
    from portal.recognition.models import Post, PostKind, PostValue, RecognitionValue

    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.CONVERTED,
                      reason="Better as a heartfelt thank-you.")
    post = db.session.scalars(select(Post).where(Post.kind == PostKind.THANK_YOU)).one()
    assert post.author_id == nomination.nominator_id and post.visibility == "private"
    assert post.what_they_did == ANSWER and post.recipient_user_ids == {nomination.nominee_id}
    value = db.session.scalars(select(RecognitionValue).join(PostValue).where(PostValue.post_id == post.id)).one()
    assert value.name.lower() == "compassion under pressure"  # the value seeded by recognition, matched by name
