"""Privacy review fixes: who may review a nomination, and when the panel may open one at all.

A panel member who endorsed a nomination (or line-manages the nominee) knows who nominated, so blind review means
they must not review it. The panel only ever opens nominations that reached it: not ones withdrawn or declined by
the line manager before that.
"""

from __future__ import annotations

import pytest

from portal.awards import policies
from portal.awards.queries import count_to_review, panel_nominations
from portal.awards.services import cosign_nomination, endorse_nomination, withdraw_nomination
from portal.extensions import db
from tests.awards.factories import make_scheme, nominate, panel_member
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def endorsed_by_a_panel_member():
    """A blind scheme whose panel includes the nominee's line manager, who endorsed the nomination."""
    manager, other = panel_member(display_name="Mona Manager"), panel_member()
    nominee = UserFactory(display_name="Nina Nominee", manager=manager)
    nomination = nominate(make_scheme(panel=[manager, other], blind=True, endorsement=True), nominee=nominee,
                          nominator=UserFactory(display_name="Nadia Nominator"))
    endorse_nomination(nomination=nomination, actor=manager, endorse=True, reason="")
    return manager, other, nomination


def before_review(*, outcome: str):
    """A nomination that never reached the panel: withdrawn, or not endorsed, while with the line manager."""
    member, manager = panel_member(), UserFactory()
    nomination = nominate(make_scheme(panel=[member], endorsement=True), nominee=UserFactory(manager=manager))
    cosign_nomination(nomination=nomination, actor=UserFactory(), comment="Calm with every caller, every shift.")
    if outcome == "withdrawn":
        withdraw_nomination(nomination=nomination, actor=nomination.nominator)
    else:
        endorse_nomination(nomination=nomination, actor=manager, endorse=False, reason="Already recognised.")
    return member, nomination


# --- 5. the endorser / line manager does not review ------------------------------------------------------------

def test_the_endorser_on_the_panel_may_not_review_even_after_the_nominee_changes_manager():
    manager, other, nomination = endorsed_by_a_panel_member()
    assert nomination.state == "in_review"
    assert not policies.can_review(manager, nomination) and policies.can_review(other, nomination)
    nomination.nominee.manager = UserFactory()
    db.session.flush()
    assert not policies.can_review(manager, nomination)
    assert count_to_review(manager) == 0 and count_to_review(other) == 1
    assert panel_nominations(nomination.scheme, manager) == []


def test_the_nominees_line_manager_on_the_panel_may_not_review():
    manager, other = panel_member(), panel_member()
    scheme = make_scheme(panel=[manager, other], blind=True)
    nomination = nominate(scheme, nominee=UserFactory(manager=manager))
    unrelated = nominate(scheme)
    assert not policies.can_review(manager, nomination) and policies.can_review(other, nomination)
    assert [n.id for n, _scored in panel_nominations(scheme, manager)] == [unrelated.id]
    assert count_to_review(manager) == 1 and count_to_review(other) == 2


def test_the_endorser_on_the_panel_cannot_open_or_find_it_in_the_panel_pages(as_user):
    manager, other, nomination = endorsed_by_a_panel_member()
    client = as_user(manager)
    assert client.get(f"/awards/panel/nominations/{nomination.id}").status_code == 404
    response = client.post(f"/awards/panel/nominations/{nomination.id}/scores", data={"score_0": "5", "score_1": "5"})
    assert response.status_code == 404
    response = client.post(f"/awards/panel/nominations/{nomination.id}/decide",
                           data={"outcome": "awarded", "reason": "Yes."})
    assert response.status_code == 404
    scheme_page = client.get(f"/awards/panel/schemes/{nomination.scheme_id}").get_data(as_text=True)
    assert "Nina Nominee" not in scheme_page
    assert "Open the panel view" not in client.get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert "Nina Nominee" in as_user(other).get(f"/awards/panel/schemes/{nomination.scheme_id}").get_data(
        as_text=True)


@pytest.mark.parametrize("blind", [True, False])
def test_hr_who_sits_on_a_blind_panel_does_not_see_nominators_on_the_scheme_page(as_user, blind):
    hr_and_panel = UserFactory(roles=("staff", "hr", "panel"))
    scheme = make_scheme(panel=[hr_and_panel], blind=blind)
    nominate(scheme, nominator=UserFactory(display_name="Nadia Nominator"))
    text = as_user(hr_and_panel).get(f"/awards/schemes/{scheme.id}").get_data(as_text=True)
    assert ("Nadia Nominator" in text) is not blind
    assert ("blind panel" in text) is blind
    assert "Nadia Nominator" in as_user(UserFactory(hr=True)).get(f"/awards/schemes/{scheme.id}").get_data(
        as_text=True)


# --- 6. the panel opens only nominations that reached it -------------------------------------------------------

@pytest.mark.parametrize("outcome", ["withdrawn", "not_endorsed"])
def test_the_panel_cannot_open_a_nomination_that_never_reached_it(as_user, outcome):
    member, nomination = before_review(outcome=outcome)
    assert nomination.state == outcome
    assert not policies.can_view_nomination(member, nomination) and not policies.can_open_review(member, nomination)
    assert policies.can_view_nomination(nomination.nominator, nomination)
    assert policies.can_view_nomination(UserFactory(hr=True), nomination)
    client = as_user(member)
    assert client.get(f"/awards/nominations/{nomination.id}").status_code == 404
    assert client.get(f"/awards/panel/nominations/{nomination.id}").status_code == 404


def test_the_panel_cannot_open_a_nomination_still_with_the_line_manager(as_user):
    member, manager = panel_member(), UserFactory()
    nomination = nominate(make_scheme(panel=[member], endorsement=True), nominee=UserFactory(manager=manager))
    assert nomination.state == "submitted"
    assert as_user(member).get(f"/awards/nominations/{nomination.id}").status_code == 404
    assert as_user(UserFactory()).get(f"/awards/nominations/{nomination.id}").status_code == 200


def test_a_nomination_withdrawn_after_reaching_the_panel_stays_readable_to_it(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    withdraw_nomination(nomination=nomination, actor=nomination.nominator)
    assert nomination.state == "withdrawn" and policies.reached_panel(nomination)
    client = as_user(member)
    assert client.get(f"/awards/nominations/{nomination.id}").status_code == 200
    page = client.get(f"/awards/panel/nominations/{nomination.id}")
    assert page.status_code == 200 and "Record decision" not in page.get_data(as_text=True)
