"""Second clicks and refusals over HTTP: the page loads for the person it is for, and the service's guarded update
says what happened in words (a flashed message or an error on the form), never a 403 or a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.awards.models import AwardScheme, CoSignature, Nomination, NominationState
from portal.awards.services import decide_nomination, endorse_nomination, withdraw_nomination
from portal.extensions import db
from tests.awards.factories import ANSWER, make_scheme, nominate, panel_member
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def follow(client, response) -> str:
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_withdrawing_twice_says_it_is_already_withdrawn(as_user):
    nomination = nominate(make_scheme())
    client = as_user(nomination.nominator)
    page = follow(client, client.post(f"/awards/nominations/{nomination.id}/withdraw"))
    assert "Your nomination has been withdrawn." in page and "Withdraw nomination" not in page
    page = follow(client, client.post(f"/awards/nominations/{nomination.id}/withdraw"))
    assert "the nomination is “Withdrawn”" in page


def test_withdrawing_asks_first_then_tells_the_nominee_and_the_waiting_line_manager(as_user):
    from tests.awards.factories import notifications

    manager = UserFactory()
    nominee = UserFactory(manager=manager)
    nomination = nominate(make_scheme(endorsement=True), nominee=nominee)
    client = as_user(nomination.nominator)
    page = client.get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert f'href="/awards/nominations/{nomination.id}/withdraw"' in page  # a link to the check page, not a post
    check = client.get(f"/awards/nominations/{nomination.id}/withdraw").get_data(as_text=True)
    assert "Withdraw your nomination of" in check and "Yes, withdraw nomination" in check
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.SUBMITTED  # looking changes nothing
    before = as_user(nominee).get(f"/awards/nominations/{nomination.id}")
    assert before.status_code == 200
    follow(client, client.post(f"/awards/nominations/{nomination.id}/withdraw", data={"confirmed": "yes"}))
    told = [n.subject for n in notifications(nominee)]
    assert any("was withdrawn" in subject for subject in told)
    assert any("was withdrawn" in n.subject for n in notifications(manager))
    # The nominee can no longer open it, nor see it in their list.
    assert as_user(nominee).get(f"/awards/nominations/{nomination.id}").status_code == 404
    assert f"/awards/nominations/{nomination.id}" not in as_user(nominee).get("/awards").get_data(as_text=True)
    # Once withdrawn, the check page sends the nominator back with a message.
    again = client.get(f"/awards/nominations/{nomination.id}/withdraw")
    assert again.status_code == 302


def test_endorsing_after_answering_shows_why_on_the_form(as_user):
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=True, reason=None)
    client = as_user(manager)
    page = client.get(f"/awards/nominations/{nomination.id}/endorse").get_data(as_text=True)
    assert "There is nothing for you to do now." in page and 'name="decision"' not in page
    response = client.post(f"/awards/nominations/{nomination.id}/endorse", data={"decision": "endorse"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "the nomination is “Waiting for the panel”" in text


def test_co_signing_refusals_are_at_the_top_for_people_without_a_comment_box(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    colleague = as_user(UserFactory())
    assert colleague.post(f"/awards/nominations/{nomination.id}/cosign",
                          data={"comment": "Kind to every caller."}).status_code == 303
    for client, words in ((as_user(nomination.nominator), "You made this nomination"),
                          (as_user(member), "You sit on this scheme&#39;s panel"),
                          (colleague, "You have already co-signed this nomination.")):
        response = client.post(f"/awards/nominations/{nomination.id}/cosign",
                               data={"comment": "I support this, strongly."})
        text = response.get_data(as_text=True)
        assert response.status_code == 200 and "error-summary" in text and f"<li>{words}" in text, words
        assert 'href="#comment"' not in text and 'name="comment"' not in text
    assert db.session.scalar(select(func.count()).select_from(CoSignature)) == 1


def test_answering_the_consent_question_twice_says_so(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=True))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    client = as_user(nomination.nominee)
    page = follow(client, client.post(f"/awards/nominations/{nomination.id}/consent", data={"consent": "no"}))
    assert "We won&#39;t announce your award." in page and "May we announce it" not in page
    page = follow(client, client.post(f"/awards/nominations/{nomination.id}/consent", data={"consent": "yes"}))
    assert "You have already answered" in page
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).announced_at is None
    assert as_user(nomination.nominator).post(f"/awards/nominations/{nomination.id}/consent",
                                              data={"consent": "yes"}).status_code == 403


def test_scoring_after_the_decision_is_refused_on_the_form(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    client = as_user(member)
    page = client.post(f"/awards/panel/nominations/{nomination.id}/scores", data={"score_0": "9"})
    assert page.status_code == 200 and 'id="score_0-error"' in page.get_data(as_text=True)
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    page = client.post(f"/awards/panel/nominations/{nomination.id}/scores", data={"score_0": "4", "score_1": "4"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Already decided by" in text and "Save scores" not in text


def test_the_panel_view_of_a_decided_nomination_shows_the_decision_and_no_form(as_user):
    member = panel_member(display_name="Priya Shah")
    nomination = nominate(make_scheme(panel=[member], consent=False))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.NOT_AWARDED,
                      reason="A strong field this year.")
    text = as_user(member).get(f"/awards/panel/nominations/{nomination.id}").get_data(as_text=True)
    assert "Decided by Priya Shah on" in text and "Not awarded" in text and "A strong field this year." in text
    assert "Record decision" not in text and "Save scores" not in text


def test_a_team_must_be_chosen_and_a_missing_team_is_an_error(as_user):
    scheme = make_scheme()
    client = as_user(UserFactory())
    for team in ("", "999999", "not-a-number"):
        page = client.post(f"/awards/schemes/{scheme.id}/nominate",
                           data={"nominee_kind": "team", "team": team, "answer_0": ANSWER, "answer_1": ANSWER})
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and "Choose the team you are nominating." in text, team
    mine = UserFactory(unit=UnitFactory())
    page = as_user(mine).post(f"/awards/schemes/{scheme.id}/nominate", data={
        "nominee_kind": "team", "team": str(mine.unit_id), "answer_0": ANSWER, "answer_1": ANSWER})
    assert "can&#39;t nominate your own team" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0


def test_an_unknown_category_asks_which_one(as_user):
    scheme = make_scheme(categories=[("Compassion under pressure", "What did they do?"),
                                     ("Quiet achiever", "What do they do that nobody sees?")])
    client = as_user(UserFactory())
    for category in ("999999", "x", str(make_scheme(name="Other").categories[0].id)):
        page = client.get(f"/awards/schemes/{scheme.id}/nominate?category={category}").get_data(as_text=True)
        assert "Which category" in page, category


def test_a_nomination_page_tells_its_story_to_the_nominator(as_user):
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=True, reason="Richly deserved.")
    withdraw_nomination(nomination=nomination, actor=nomination.nominator)
    text = as_user(nomination.nominator).get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    for step in ("Nominated", "Endorsed by the line manager", "Sent to the panel", "Withdrawn by the nominator",
                 "Richly deserved."):
        assert step in text, step


def test_changing_a_scheme_that_would_drop_a_used_category_keeps_the_form(as_user):
    from tests.awards.test_views import scheme_form

    member = panel_member()
    scheme = make_scheme(panel=[member], categories=[("One", "Why?"), ("Two", "Why?")])
    nominate(scheme, category=scheme.categories[1])
    client = as_user(UserFactory(hr=True))
    response = client.post(f"/awards/schemes/{scheme.id}/edit", data=scheme_form(
        member.id, name="Renamed", category_1_name="One", category_1_criteria="Why?"))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "already has nominations" in text and 'value="Renamed"' in text
    db.session.expire_all()
    assert db.session.get(AwardScheme, scheme.id).name == "Patient Experience Awards"


def test_hr_pages_through_a_schemes_nominations_with_htmx(as_user):
    scheme = make_scheme(panel=[panel_member()])
    for _ in range(3):
        nominate(scheme)
    client = as_user(UserFactory(hr=True))
    from portal.awards.queries import scheme_nominations

    cursor = scheme_nominations(scheme, size=1).next_cursor
    response = client.get(f"/awards/schemes/{scheme.id}?after={cursor}", headers={"HX-Request": "true"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text and text.count("<tr>") == 2
