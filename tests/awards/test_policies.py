"""Who sees and does what: blind review hides the nominator and co-signers from the panel everywhere."""

from __future__ import annotations

import pytest

from portal.awards import policies
from portal.awards.models import NominationState
from portal.awards.services import cosign_nomination, decide_nomination
from tests.awards.factories import make_scheme, nominate, panel_member
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_blind_review_hides_the_nominator_from_the_panel_only():
    member, hr = panel_member(), UserFactory(hr=True)
    nomination = nominate(make_scheme(panel=[member], blind=True))
    assert not policies.can_see_nominator(member, nomination)
    assert policies.can_see_nominator(hr, nomination)
    assert policies.can_see_nominator(nomination.nominee, nomination)
    assert policies.can_see_nominator(nomination.nominator, nomination)


def test_an_open_panel_sees_the_nominator():
    member = panel_member()
    assert policies.can_see_nominator(member, nominate(make_scheme(panel=[member], blind=False)))


def test_a_panel_member_who_is_also_hr_is_still_blind():
    member = UserFactory(roles=("staff", "panel", "hr"))
    assert not policies.can_see_nominator(member, nominate(make_scheme(panel=[member], blind=True)))


def test_a_panel_role_without_a_seat_on_this_scheme_is_not_the_panel():
    outsider = panel_member()
    nomination = nominate(make_scheme(panel=[panel_member()], blind=True))
    assert policies.can_see_nominator(outsider, nomination)
    assert not policies.can_review(outsider, nomination)


def test_undecided_nominations_are_open_by_link_decided_ones_only_to_those_involved():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    stranger, cosigner = UserFactory(), UserFactory()
    cosign_nomination(nomination=nomination, actor=cosigner, comment="She is brilliant with callers.")
    assert policies.can_view_nomination(stranger, nomination)
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.NOT_AWARDED,
                      reason="Close.")
    assert not policies.can_view_nomination(stranger, nomination)
    for person in (nomination.nominee, nomination.nominator, cosigner, member, UserFactory(hr=True)):
        assert policies.can_view_nomination(person, nomination)


def test_panel_members_never_review_their_own_nomination_or_one_about_them():
    member = panel_member()
    scheme = make_scheme(panel=[member])
    assert not policies.can_review(member, nominate(scheme, nominee=member))
    assert not policies.can_review(member, nominate(scheme, nominator=member))
    assert policies.can_review(member, nominate(scheme))


def test_who_may_co_sign_withdraw_endorse_and_consent():
    member, manager = panel_member(), UserFactory()
    nomination = nominate(make_scheme(panel=[member], endorsement=True), nominee=UserFactory(manager=manager))
    colleague = UserFactory()
    assert policies.can_cosign(colleague, nomination)
    assert not policies.can_cosign(nomination.nominator, nomination)
    assert not policies.can_cosign(nomination.nominee, nomination)
    assert not policies.can_cosign(member, nomination)  # the panel judges; it does not campaign
    assert policies.can_withdraw(nomination.nominator, nomination)
    assert not policies.can_withdraw(colleague, nomination)
    assert policies.can_endorse(manager, nomination)
    assert not policies.can_endorse(colleague, nomination)
    assert not policies.can_give_consent(nomination.nominee, nomination)


def test_team_members_are_nominees_and_cannot_co_sign():
    nomination = nominate(make_scheme(), team=(team_member := UserFactory()).unit)
    assert nomination.is_about(team_member) and not nomination.is_about(UserFactory())
    assert not policies.can_cosign(team_member, nomination)


def test_hr_follows_decided_nominations_an_administrator_as_such_does_not():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.NOT_AWARDED,
                      reason="Close.")
    assert policies.can_view_nomination(UserFactory(hr=True), nomination)
    assert policies.can_see_decision_reason(UserFactory(hr=True), nomination)
    assert not policies.can_view_nomination(UserFactory(admin=True), nomination)
    assert not policies.can_see_decision_reason(UserFactory(admin=True), nomination)


def test_the_decision_reason_is_for_the_nominee_nominator_hr_and_panel_only():
    manager, member, cosigner = UserFactory(), panel_member(), UserFactory()
    nomination = nominate(make_scheme(panel=[member]), nominee=UserFactory(manager=manager))
    cosign_nomination(nomination=nomination, actor=cosigner, comment="Brilliant with every caller.")
    for person in (nomination.nominee, nomination.nominator, UserFactory(hr=True), member):
        assert policies.can_see_decision_reason(person, nomination)
    for person in (cosigner, manager, UserFactory(), panel_member()):
        assert not policies.can_see_decision_reason(person, nomination)


def test_every_member_of_a_nominated_team_reads_the_decision_reason():
    team_member = UserFactory()
    nomination = nominate(make_scheme(), team=team_member.unit)
    assert policies.can_see_decision_reason(team_member, nomination)
    assert not policies.can_act_as_nominee(team_member, nomination)  # a team is not asked about publicity


def test_the_people_each_page_is_for():
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    stranger = UserFactory()
    assert policies.can_act_as_nominator(nomination.nominator, nomination)
    assert not policies.can_act_as_nominator(stranger, nomination)
    assert policies.can_act_as_endorser(manager, nomination)
    assert not policies.can_act_as_endorser(stranger, nomination)
    assert policies.can_act_as_nominee(nomination.nominee, nomination)
    assert not policies.can_act_as_nominee(stranger, nomination)
    assert not policies.can_act_as_endorser(manager, nominate(make_scheme(), nominee=UserFactory(manager=manager)))


def test_the_endorser_keeps_the_page_after_answering_but_cannot_endorse_again():
    from portal.awards.services import endorse_nomination

    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=True, reason=None)
    assert policies.can_act_as_endorser(manager, nomination) and not policies.can_endorse(manager, nomination)


def test_a_closed_scheme_takes_no_nominations_and_only_its_panel_opens_its_panel_page():
    from datetime import date, timedelta

    member = panel_member()
    scheme = make_scheme(panel=[member])
    someone = UserFactory()
    assert policies.can_nominate(someone, scheme)
    today = date.today()
    assert not policies.can_nominate(someone, make_scheme(opens_on=today - timedelta(days=9),
                                                          closes_on=today - timedelta(days=1)))
    assert not policies.can_nominate(someone, make_scheme(opens_on=today + timedelta(days=1)))
    assert policies.can_open_panel(member, scheme)
    assert not policies.can_open_panel(panel_member(), scheme)  # the role, but no seat on this panel


def test_a_seat_without_the_panel_role_is_not_the_panel():
    seated = UserFactory()  # on the panel list, but the panel role was taken away
    scheme = make_scheme(panel=[seated])
    nomination = nominate(scheme)
    assert not policies.can_open_panel(seated, scheme)
    assert not policies.can_review(seated, nomination)
    assert policies.can_cosign(seated, nomination)


def test_scoring_and_deciding_only_while_the_nomination_waits_for_the_panel():
    from portal.awards.services import withdraw_nomination

    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    assert policies.can_score(member, nomination) and policies.can_decide(member, nomination)
    assert not policies.can_score(panel_member(), nomination)
    withdraw_nomination(nomination=nomination, actor=nomination.nominator)
    assert policies.can_open_review(member, nomination)  # it reached the panel: still readable
    assert not policies.can_score(member, nomination) and not policies.can_decide(member, nomination)
    assert not policies.can_withdraw(nomination.nominator, nomination)
    assert not policies.can_cosign(UserFactory(), nomination)


def test_consent_is_asked_once_of_an_awarded_person_when_the_scheme_wants_it():
    from portal.awards.services import record_publicity_consent

    member = panel_member()
    asked = nominate(make_scheme(panel=[member], consent=True))
    decide_nomination(nomination=asked, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    assert policies.can_give_consent(asked.nominee, asked)
    assert not policies.can_give_consent(asked.nominator, asked)
    record_publicity_consent(nomination=asked, actor=asked.nominee, consent=False)
    assert not policies.can_give_consent(asked.nominee, asked)
    not_asked = nominate(make_scheme(panel=[member], consent=False, name="Other"))
    decide_nomination(nomination=not_asked, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    assert not policies.can_give_consent(not_asked.nominee, not_asked)


def test_a_managers_reason_for_not_endorsing_is_not_shown_to_the_nominee():
    from portal.awards.services import endorse_nomination

    manager, member = UserFactory(), panel_member()
    nomination = nominate(make_scheme(panel=[member], endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=False, reason="Already recognised this year.")
    assert not policies.can_see_endorsement_comments(nomination.nominee, nomination)
    assert policies.can_see_endorsement_comments(nomination.nominator, nomination)
    assert policies.can_see_endorsement_comments(UserFactory(hr=True), nomination)
    assert not policies.can_see_endorsement_comments(member, nomination)
