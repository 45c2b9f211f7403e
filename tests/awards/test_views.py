"""Award pages over HTTP: access, forms with errors next to fields, blind panel pages, deciding twice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.awards.models import AwardScheme, Nomination, NominationState
from portal.awards.services import cosign_nomination, decide_nomination, score_nomination
from portal.extensions import db
from tests.awards.factories import ANSWER, make_scheme, nominate, panel_member
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def scheme_form(member_id: int, **overrides) -> dict:
    today = date.today()
    data = {"name": "Patient Experience Awards 2026", "description": "Thank the people who go further.",
            "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=30)).isoformat(),
            "decision_due_on": (today + timedelta(days=45)).isoformat(), "is_blind_review": "y",
            "needs_publicity_consent": "y", "panel": [str(member_id)],
            "category_1_name": "Quiet achiever", "category_1_criteria": "What did they do?\nWho benefited?"}
    data.update(overrides)
    return data


# --- HR schemes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/awards/schemes", "/awards/schemes/new"])
def test_scheme_pages_are_for_hr_only(as_user, path):
    assert as_user(UserFactory()).get(path).status_code == 403
    assert as_user(UserFactory(hr=True)).get(path).status_code == 200


def test_hr_creates_a_scheme(as_user):
    member = panel_member(display_name="Priya Shah")
    client = as_user(UserFactory(hr=True))
    page = client.get("/awards/schemes/new").get_data(as_text=True)
    assert "Priya Shah" in page
    response = client.post("/awards/schemes/new", data=scheme_form(member.id))
    assert response.status_code == 303
    db.session.expire_all()
    scheme = db.session.scalars(select(AwardScheme)).one()
    assert scheme.is_blind_review and not scheme.needs_manager_endorsement
    assert scheme.categories[0].criteria_list == ["What did they do?", "Who benefited?"]
    assert "Patient Experience Awards 2026" in client.get("/awards/schemes").get_data(as_text=True)


def test_hr_sets_how_many_panel_members_must_score_before_a_decision(as_user):
    first, second = panel_member(), panel_member()
    client = as_user(UserFactory(hr=True))
    too_many = client.post("/awards/schemes/new", data=scheme_form(first.id, decision_quorum="2"))
    page = too_many.get_data(as_text=True)
    assert too_many.status_code == 200 and 'id="decision_quorum-error"' in page and 'value="2"' in page
    response = client.post("/awards/schemes/new",
                           data=scheme_form(first.id, panel=[str(first.id), str(second.id)], decision_quorum="2"))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalars(select(AwardScheme)).one().decision_quorum == 2


def test_scheme_errors_show_next_to_their_fields_and_keep_what_was_typed(as_user):
    member = panel_member()
    client = as_user(UserFactory(hr=True))
    today = date.today()
    response = client.post("/awards/schemes/new", data=scheme_form(
        member.id, closes_on=(today - timedelta(days=1)).isoformat(), category_2_name="Team of the year"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("error-message") == 2  # closing date (service) + category 2 criteria (form)
    assert 'id="closes_on-error"' in page and 'id="category_2_criteria-error"' in page
    assert "<title>Error: " in page and 'value="Patient Experience Awards 2026"' in page
    assert db.session.scalar(select(func.count()).select_from(AwardScheme)) == 0


def test_hr_edits_a_scheme(as_user):
    member = panel_member()
    scheme = make_scheme(panel=[member])
    client = as_user(UserFactory(hr=True))
    assert "Compassion under pressure" in client.get(f"/awards/schemes/{scheme.id}/edit").get_data(as_text=True)
    response = client.post(f"/awards/schemes/{scheme.id}/edit", data=scheme_form(member.id, name="Renamed"))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(AwardScheme, scheme.id).name == "Renamed"


# --- nominating ---------------------------------------------------------------------------------------------

def nomination_form(nominee_id, **overrides) -> dict:
    """The form as the colleague picker sends it: the chosen person's id as ``person``."""
    return {"nominee_kind": "person", "person": str(nominee_id), "answer_0": ANSWER, "answer_1": ANSWER,
            **overrides}


def test_the_awards_page_lists_open_schemes_only(as_user):
    make_scheme(name="Open scheme")
    today = date.today()
    make_scheme(name="Closed scheme", opens_on=today - timedelta(days=9), closes_on=today - timedelta(days=1))
    page = as_user(UserFactory()).get("/awards").get_data(as_text=True)
    assert "Open scheme" in page and "Closed scheme" not in page


def test_a_scheme_with_several_categories_asks_which_first(as_user):
    scheme = make_scheme(categories=[("Compassion under pressure", "What did they do?"),
                                     ("Quiet achiever", "What do they do that nobody sees?")])
    client = as_user(UserFactory())
    page = client.get(f"/awards/schemes/{scheme.id}/nominate").get_data(as_text=True)
    assert "Which category" in page and "What do they do that nobody sees?" in page
    page = client.get(f"/awards/schemes/{scheme.id}/nominate?category={scheme.categories[1].id}")
    assert 'name="answer_0"' in page.get_data(as_text=True)


def test_nominating_a_colleague_chosen_with_the_picker(as_user):
    scheme = make_scheme()
    nominee = UserFactory(email="sam.okafor@example.nhs.uk")
    client = as_user(UserFactory())
    response = client.post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(nominee.id))
    assert response.status_code == 303
    db.session.expire_all()
    nomination = db.session.scalars(select(Nomination)).one()
    assert nomination.nominee_id == nominee.id
    assert response.headers["Location"].endswith(f"/awards/nominations/{nomination.id}")


def test_nominating_a_team(as_user):
    scheme = make_scheme()
    team = UnitFactory(name="Bereavement office")
    client = as_user(UserFactory())
    response = client.post(f"/awards/schemes/{scheme.id}/nominate",
                           data=nomination_form("", nominee_kind="team", team=str(team.id)))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalars(select(Nomination)).one().team_id == team.id


@pytest.mark.parametrize(("person", "q", "shown"), [
    ("", "", []),
    ("999999999", "", []),  # nobody has that id
    ("", "Jordan", ["Jordan Blake", "Jordan Ellis"]),  # typed, not chosen: the matches come back to choose from
])
def test_a_nominee_not_chosen_is_an_error_next_to_the_picker(as_user, person, q, shown):
    UserFactory(display_name="Jordan Blake")
    UserFactory(display_name="Jordan Ellis")
    scheme = make_scheme()
    page = as_user(UserFactory()).post(f"/awards/schemes/{scheme.id}/nominate",
                                       data=nomination_form(person, q=q))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Search for your colleague by name, then choose them from the list." in text and 'id="q-error"' in text
    assert all(f"<strong>{name}</strong>" in text for name in shown) and ANSWER in text
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0


def test_a_missing_nominee_and_missing_answers_are_shown_together_each_naming_its_question(as_user):
    scheme = make_scheme()
    data = {key: ("" if key.startswith("answer_") else value) for key, value in nomination_form("").items()}
    page = as_user(UserFactory()).post(f"/awards/schemes/{scheme.id}/nominate", data=data).get_data(as_text=True)
    summary = page[page.index('class="error-summary"'):page.index("</ul>", page.index('class="error-summary"'))]
    assert 'href="#q"' in summary and "Answer question 1, with an example." in summary
    if "answer_1" in data:
        assert "Answer question 2, with an example." in summary


def test_self_nomination_is_refused_next_to_the_name_and_the_words_are_kept(as_user):
    scheme = make_scheme()
    me = UserFactory(email="me@example.nhs.uk")
    page = as_user(me).post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(me.id))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "can&#39;t nominate yourself" in text and 'id="q-error"' in text
    assert ANSWER in text
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0


def test_a_duplicate_warns_and_can_be_sent_anyway(as_user):
    scheme = make_scheme()
    nominator, nominee = UserFactory(), UserFactory(email="dup@example.nhs.uk")
    first = nominate(scheme, nominator=nominator, nominee=nominee)
    client = as_user(nominator)
    page = client.post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(nominee.id))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "You have nominated them before" in text
    assert f"/awards/nominations/{first.id}" in text and 'name="send_anyway"' in text
    response = client.post(f"/awards/schemes/{scheme.id}/nominate",
                           data=nomination_form(nominee.id, send_anyway="Send this nomination as well"))
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 2


def test_a_closed_scheme_has_no_nominate_page(as_user):
    today = date.today()
    scheme = make_scheme(opens_on=today - timedelta(days=9), closes_on=today - timedelta(days=1))
    assert as_user(UserFactory()).get(f"/awards/schemes/{scheme.id}/nominate").status_code == 404


# --- a nomination's page ------------------------------------------------------------------------------------

def test_colleagues_co_sign_from_the_nomination_page(as_user):
    nomination = nominate(make_scheme())
    colleague = UserFactory(display_name="Jo Reid")
    client = as_user(colleague)
    assert "Co-sign this nomination" in client.get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    response = client.post(f"/awards/nominations/{nomination.id}/cosign", data={"comment": "Same for my callers."})
    assert response.status_code == 303
    page = as_user(nomination.nominee).get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert "Jo Reid" in page and "Same for my callers." in page


def test_an_empty_co_sign_comment_is_an_error_on_the_page(as_user):
    nomination = nominate(make_scheme())
    page = as_user(UserFactory()).post(f"/awards/nominations/{nomination.id}/cosign", data={"comment": ""})
    assert page.status_code == 200 and 'id="comment-error"' in page.get_data(as_text=True)


def test_the_line_manager_endorses_through_the_form(as_user):
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    client = as_user(manager)
    assert "Nominations to endorse" in client.get("/awards").get_data(as_text=True)
    page = client.post(f"/awards/nominations/{nomination.id}/endorse", data={"decision": "decline", "reason": ""})
    assert page.status_code == 200 and 'id="reason-error"' in page.get_data(as_text=True)
    response = client.post(f"/awards/nominations/{nomination.id}/endorse", data={"decision": "endorse"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.IN_REVIEW
    assert as_user(UserFactory()).get(f"/awards/nominations/{nomination.id}/endorse").status_code == 404


def test_the_nominator_withdraws(as_user):
    nomination = nominate(make_scheme())
    assert as_user(UserFactory()).post(f"/awards/nominations/{nomination.id}/withdraw").status_code == 403
    response = as_user(nomination.nominator).post(f"/awards/nominations/{nomination.id}/withdraw")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.WITHDRAWN


def test_a_decided_nomination_is_hidden_from_strangers(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.NOT_AWARDED,
                      reason="A strong field.")
    assert as_user(UserFactory()).get(f"/awards/nominations/{nomination.id}").status_code == 404
    page = as_user(nomination.nominee).get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert "A strong field." in page and "Not awarded" in page


# --- the panel ----------------------------------------------------------------------------------------------

def blind_nomination():
    member = panel_member()
    nominator = UserFactory(display_name="Nadia Nominator")
    nomination = nominate(make_scheme(panel=[member], blind=True), nominator=nominator)
    cosign_nomination(nomination=nomination, actor=UserFactory(display_name="Colin Cosigner"),
                      comment="He helped my caller too.")
    return member, nomination


@pytest.mark.parametrize("path", ["/awards/nominations/{id}", "/awards/panel/nominations/{id}",
                                  "/awards/panel/schemes/{scheme}", "/awards/panel"])
def test_blind_review_hides_nominator_and_co_signers_on_every_panel_page(as_user, path):
    member, nomination = blind_nomination()
    page = as_user(member).get(path.format(id=nomination.id, scheme=nomination.scheme_id))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nadia Nominator" not in text and "Colin Cosigner" not in text


def test_without_blind_review_hr_sees_the_names(as_user):
    _member, nomination = blind_nomination()
    text = as_user(UserFactory(hr=True)).get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert "Nadia Nominator" in text and "Colin Cosigner" in text


def test_the_panel_view_shows_criteria_answers_and_only_allowed_actions(as_user):
    member, nomination = blind_nomination()
    client = as_user(member)
    text = client.get(f"/awards/panel/nominations/{nomination.id}").get_data(as_text=True)
    assert "What did they do?" in text and ANSWER in text and "He helped my caller too." in text
    assert "Record decision" in text and 'value="awarded"' in text
    # What each score means, tied to every score select for screen readers.
    assert "How to score" in text and "An exceptional example others should learn from" in text
    assert text.count('aria-describedby="score-guidance"') == len(nomination.answers)
    response = client.post(f"/awards/panel/nominations/{nomination.id}/scores", data={"score_0": "4", "score_1": "5"})
    assert response.status_code == 303
    assert "Panel average 4.0 from 1" in client.get(f"/awards/panel/nominations/{nomination.id}").get_data(
        as_text=True)


def test_a_panel_member_from_another_scheme_gets_404(as_user):
    _member, nomination = blind_nomination()
    assert as_user(panel_member()).get(f"/awards/panel/nominations/{nomination.id}").status_code == 404
    assert as_user(UserFactory()).get(f"/awards/panel/nominations/{nomination.id}").status_code == 403


def test_deciding_then_a_second_member_is_told_who_decided(as_user):
    first, second = panel_member(display_name="Priya Shah"), panel_member()
    nomination = nominate(make_scheme(panel=[first, second], consent=False))
    data = {"outcome": "awarded", "reason": "Outstanding compassion."}
    response = as_user(first).post(f"/awards/panel/nominations/{nomination.id}/decide", data=data)
    assert response.status_code == 303
    late = as_user(second)
    response = late.post(f"/awards/panel/nominations/{nomination.id}/decide",
                         data={"outcome": "not_awarded", "reason": "No."})
    assert response.status_code == 303
    page = late.get(response.headers["Location"]).get_data(as_text=True)
    assert "Already decided by Priya Shah on" in page
    assert "Record decision" not in page
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.AWARDED


def test_a_decision_without_a_reason_stays_on_the_page_with_the_error(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    page = as_user(member).post(f"/awards/panel/nominations/{nomination.id}/decide", data={"outcome": "awarded"})
    assert page.status_code == 200 and 'id="reason-error"' in page.get_data(as_text=True)


def test_the_winner_gives_consent_and_the_award_is_listed(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=True), nominee=UserFactory(display_name="Ali Khan"))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    client = as_user(nomination.nominee)
    page = client.get(f"/awards/nominations/{nomination.id}").get_data(as_text=True)
    assert "May we announce it" in page
    assert "Ali Khan" not in as_user(UserFactory()).get("/awards").get_data(as_text=True)
    assert client.post(f"/awards/nominations/{nomination.id}/consent", data={"consent": "yes"}).status_code == 303
    assert "Ali Khan" in as_user(UserFactory()).get("/awards").get_data(as_text=True)


def test_waiting_for_you_counts_on_the_home_page(as_user):
    member, manager = panel_member(), UserFactory()
    nominate(make_scheme(panel=[member]))
    nominate(make_scheme(endorsement=True, name="Other"), nominee=UserFactory(manager=manager))
    assert "Nominations to review" in as_user(member).get("/").get_data(as_text=True)
    assert "Nominations to endorse" in as_user(manager).get("/").get_data(as_text=True)


def test_list_pages_use_a_fixed_number_of_queries(as_user, count_queries):
    member = panel_member()
    scheme = make_scheme(panel=[member])
    me = UserFactory()

    def measure(path, client):
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    paths = ["/awards", f"/awards/panel/schemes/{scheme.id}", "/awards/panel"]
    nominate(scheme, nominator=me)
    before = {p: measure(p, as_user(member if "panel" in p else me)) for p in paths}
    for _ in range(5):
        n = nominate(scheme, nominator=me, team=UnitFactory())
        score_nomination(nomination=n, panel_member=member, scores={0: 3, 1: 3})
    after = {p: measure(p, as_user(member if "panel" in p else me)) for p in paths}
    assert after == before


def test_deciding_a_nomination_withdrawn_meanwhile_says_so(as_user):
    from portal.awards.services import withdraw_nomination

    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    withdraw_nomination(nomination=nomination, actor=nomination.nominator)
    client = as_user(member)
    response = client.post(f"/awards/panel/nominations/{nomination.id}/decide",
                           data={"outcome": "awarded", "reason": "Yes."})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "the nomination is “Withdrawn”" in page and "Record decision" not in page


def test_nominations_still_with_the_line_manager_are_not_shown_to_the_panel(as_user):
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], endorsement=True), nominee=UserFactory(manager=UserFactory()))
    assert as_user(member).get(f"/awards/panel/nominations/{nomination.id}").status_code == 404


def test_the_nominee_does_not_read_why_the_manager_declined(as_user):
    from portal.awards.services import endorse_nomination

    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=False, reason="Already recognised this year.")
    path = f"/awards/nominations/{nomination.id}"
    assert "Already recognised this year." not in as_user(nomination.nominee).get(path).get_data(as_text=True)
    assert "Already recognised this year." in as_user(nomination.nominator).get(path).get_data(as_text=True)


def test_hr_sees_a_schemes_nominations_with_nominators_and_pages_through_them(as_user, count_queries):
    from portal.awards.queries import scheme_nominations

    scheme = make_scheme(panel=[panel_member(display_name="Priya Shah")], blind=True)
    nominate(scheme, nominator=UserFactory(display_name="Nadia Nominator"))
    client = as_user(UserFactory(hr=True))
    assert as_user(UserFactory()).get(f"/awards/schemes/{scheme.id}").status_code == 403
    text = client.get(f"/awards/schemes/{scheme.id}").get_data(as_text=True)
    assert "Nadia Nominator" in text and "Priya Shah" in text and "Show more" not in text
    for _ in range(3):
        nominate(scheme)
    first = scheme_nominations(scheme, size=2)
    second = scheme_nominations(scheme, cursor=first.next_cursor, size=2)
    assert len({n.id for n in first.items + second.items}) == 4 and not second.has_more
    with count_queries() as small:
        client.get(f"/awards/schemes/{scheme.id}")
    for _ in range(5):
        nominate(scheme)
    with count_queries() as bigger:
        client.get(f"/awards/schemes/{scheme.id}")
    assert bigger.count == small.count


def test_without_javascript_the_pickers_search_and_choose_and_keep_the_answers(as_user):
    scheme = make_scheme()
    team = UnitFactory(name="Bereavement office")
    amira = UserFactory(display_name="Amira Hassan")
    client = as_user(UserFactory())
    url = f"/awards/schemes/{scheme.id}/nominate"
    found = client.post(url, data=nomination_form("", q="Amira", step="pick")).get_data(as_text=True)
    assert f'name="add" value="{amira.id}"' in found and ANSWER in found and "There is a problem" not in found
    chosen = client.post(url, data=nomination_form("", add=str(amira.id))).get_data(as_text=True)
    assert f'<input type="hidden" name="person" value="{amira.id}">' in chosen and "You are nominating" in chosen
    teams = client.post(url, data=nomination_form("", team_q="bereav", team_find="1")).get_data(as_text=True)
    assert f'name="team" value="{team.id}" checked' in teams and ANSWER in teams
    assert re.search(r'<input[^>]*checked[^>]*value="team"|<input[^>]*value="team"[^>]*checked', teams)
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0


def test_the_nomination_form_lists_neither_every_unit_nor_every_person(as_user):
    UnitFactory(name="Haystack team")
    UserFactory(display_name="Haystack Person")
    html = as_user(UserFactory()).get(f"/awards/schemes/{make_scheme().id}/nominate").get_data(as_text=True)
    assert "Haystack" not in html and 'id="team_q"' in html and 'id="q"' in html
