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
    assert policies.is_nominee(team_member, nomination)
    assert not policies.can_cosign(team_member, nomination)


def test_only_hr_manages_schemes():
    assert policies.can_manage_schemes(UserFactory(hr=True))
    assert not policies.can_manage_schemes(UserFactory(admin=True))


def test_a_managers_reason_for_not_endorsing_is_not_shown_to_the_nominee():
    from portal.awards.services import endorse_nomination

    manager, member = UserFactory(), panel_member()
    nomination = nominate(make_scheme(panel=[member], endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=False, reason="Already recognised this year.")
    assert not policies.can_see_endorsement_comments(nomination.nominee, nomination)
    assert policies.can_see_endorsement_comments(nomination.nominator, nomination)
    assert policies.can_see_endorsement_comments(UserFactory(hr=True), nomination)
    assert not policies.can_see_endorsement_comments(member, nomination)
