"""Recognition pages over HTTP: the wall, saying thank you (search-then-choose, check, send), changes, reactions,
reports and hiding, values, a person's recognition page and its CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.recognition.models import Comment, Post, RecognitionValue, Report
from portal.recognition.moderation import report_item
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import WORDS, thank, value_ids

pytestmark = pytest.mark.usefixtures("app_ctx")
HX = {"HX-Request": "true"}


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_wall_shows_public_live_posts_newest_first(as_user):
    viewer, author, colleague = UserFactory(), UserFactory(display_name="Ada"), UserFactory(display_name="Bo")
    now = utcnow()
    thank(author, colleague, words="The older public thank-you words here.", created_at=now - timedelta(days=1))
    thank(author, colleague, words="The newer public thank-you words here.", created_at=now)
    thank(author, colleague, words="A private thank-you nobody else sees.", visibility="private")
    thank(author, colleague, words="A team thank-you, not for the wall.", visibility="team")
    withdrawn = thank(author, colleague, words="Withdrawn words never shown again.")
    withdrawn.withdrawn_at = now
    page = text(as_user(viewer).get("/thanks"))
    assert page.index("The newer public") < page.index("The older public")
    assert "Ada thanked" in page and "private thank-you" not in page and "team thank-you" not in page
    assert "Withdrawn words" not in page


def test_wall_filters_by_unit_subtree_value_and_type(as_user):
    area = UnitFactory(name="PALS")
    north = UnitFactory(name="North", parent=area)
    other = UnitFactory(name="Jobcentre")
    author = UserFactory()
    thank(author, UserFactory(unit=north), words="Thanks to someone in North PALS team.", values=("Timely",))
    thank(author, UserFactory(unit=other), words="Thanks to someone at the Jobcentre.", values=("Listened",))
    client = as_user(UserFactory())
    by_unit = text(client.get(f"/thanks?unit={area.id}"))
    assert "North PALS team" in by_unit and "at the Jobcentre" not in by_unit
    timely = db.session.scalar(select(RecognitionValue.id).where(RecognitionValue.name == "Listened"))
    by_value = text(client.get(f"/thanks?value={timely}"))
    assert "at the Jobcentre" in by_value and "North PALS team" not in by_value
    assert "Nothing here yet" in text(client.get("/thanks?type=award"))
    fragment = text(client.get(f"/thanks?unit={area.id}", headers={**HX, "HX-Target": "wall-results"}))
    assert "North PALS team" in fragment and "<html" not in fragment


def test_show_more_pages_with_a_cursor_and_keeps_filters(as_user, app):
    author, colleague = UserFactory(), UserFactory()
    now = utcnow()
    for n in range(30):
        thank(author, colleague, words=f"Numbered thank-you words {n:02d}.", created_at=now - timedelta(minutes=n))
    client = as_user(UserFactory())
    first = text(client.get("/thanks?type=thank_you"))
    assert "words 00." in first and "words 24." in first and "words 25." not in first
    assert "type=thank_you" in first.split('id="show-more"')[1].split("</li>")[0]
    cursor = first.split("after=")[1].split("&")[0].split('"')[0]
    more = text(client.get(f"/thanks?after={cursor}&type=thank_you", headers=HX))
    assert "words 25." in more and "words 29." in more and "words 24." not in more and "<html" not in more


def test_the_wall_costs_the_same_queries_for_3_or_30_posts(as_user, count_queries):
    viewer = UserFactory()
    client = as_user(viewer)

    def fill(n):
        author = UserFactory()
        for _ in range(n):
            post = thank(author, UserFactory(manager=UserFactory()), UserFactory(), values=("Listened", "Timely"))
            post.comments.append(Comment(author_id=viewer.id, body="Seconded"))
        db.session.flush()

    fill(3)
    client.get("/thanks")
    with count_queries() as small:
        assert client.get("/thanks").status_code == 200
    fill(27)
    with count_queries() as large:
        assert client.get("/thanks").status_code == 200
    assert small.count == large.count, (small.statements, large.statements)
    assert large.count <= 12


def test_say_thank_you_search_then_choose_without_javascript(as_user):
    author = UserFactory(display_name="Ada Author")
    UserFactory(display_name="Priya Patel", job_title="PALS officer")
    pat = UserFactory(display_name="Patrick Obi")
    client = as_user(author)
    page = text(client.get("/thanks/new?q=pat"))
    assert "Priya Patel" in page and "Patrick Obi" in page
    chosen = text(client.get(f"/thanks/new?q=pat&add={pat.id}"))
    assert f'<input type="hidden" name="to" value="{pat.id}">' in chosen
    assert "You are thanking" in chosen
    # The chosen one is not offered again; removing takes them off.
    assert f'name="add" value="{pat.id}"' not in chosen
    removed = text(client.get(f"/thanks/new?to={pat.id}&remove={pat.id}"))
    assert "You are thanking" not in removed
    # Yourself: never offered, never kept.
    assert "Ada Author" not in text(client.get("/thanks/new?q=ada")).split("people-results")[1]
    assert "You are thanking" not in text(client.get(f"/thanks/new?to={author.id}"))


def test_searching_and_choosing_without_javascript_keeps_everything_written(as_user):
    """The picker's buttons post the whole form (step=pick): the words come back, nothing is checked or sent."""
    pat = UserFactory(display_name="Patrick Obi")
    client = as_user(UserFactory())
    draft = {"what_they_did": "Stayed on the line with a caller in crisis <until> help came.", "difference": "Safe.",
             "values": [str(v) for v in value_ids("Listened")], "visibility": "team", "learning": "Ask early."}
    searched = text(client.post("/thanks/new", data={**draft, "q": "patr", "step": "pick"}))
    assert f'name="add" value="{pat.id}"' in searched
    assert "Stayed on the line with a caller in crisis &lt;until&gt; help came.</textarea>" in searched
    assert re.search(r'<input[^>]*checked[^>]*value="team"|<input[^>]*value="team"[^>]*checked', searched)
    assert "Ask early.</textarea>" in searched and "error-summary" not in searched
    chosen = text(client.post("/thanks/new", data={**draft, "q": "patr", "add": str(pat.id)}))
    assert "You are thanking" in chosen and f'name="to" value="{pat.id}"' in chosen
    assert "Stayed on the line with a caller in crisis" in chosen and 'value="patr"' not in chosen
    removed = text(client.post("/thanks/new", data={**draft, "to": str(pat.id), "remove": str(pat.id)}))
    assert "You are thanking" not in removed and "Stayed on the line with a caller in crisis" in removed
    assert db.session.scalar(select(Post.id).limit(1)) is None
    # With htmx, Choose swaps just the picker.
    fragment = text(client.post("/thanks/new", data={**draft, "add": str(pat.id)},
                                headers={**HX, "HX-Target": "picker"}))
    assert fragment.lstrip().startswith('<section id="picker"') and "Patrick Obi" in fragment


def test_the_type_ahead_returns_only_the_results_for_htmx(as_user):
    UserFactory(display_name="Priya Patel")
    fragment = text(as_user(UserFactory()).get("/thanks/new?q=priy", headers={**HX, "HX-Target": "people-results"}))
    assert "Priya Patel" in fragment and "<form" not in fragment


def _answers(colleague, **extra):
    return {"to": [str(colleague.id)], "what_they_did": WORDS, "difference": "The caller was safe.",
            "values": [str(v) for v in value_ids("Listened", "Timely")], "visibility": "public",
            "learning": "", "team": "", **extra}


def test_check_then_send(as_user):
    author, colleague = UserFactory(), UserFactory(display_name="Colm Colleague")
    client = as_user(author)
    check = client.post("/thanks/new", data=_answers(colleague, step="check"))
    body = text(check)
    assert check.status_code == 200 and "Check your thank-you before sending" in body
    assert "Colm Colleague" in body and "Timely" in body
    assert db.session.scalar(select(Post)) is None  # nothing sent yet
    change = text(client.post("/thanks/new", data=_answers(colleague, step="change")))
    assert "Say thank you" in change and WORDS in change and "There is a problem" not in change
    sent = client.post("/thanks/new", data=_answers(colleague, step="send"))
    post = db.session.scalar(select(Post))
    assert sent.status_code == 303 and sent.headers["Location"] == f"/thanks/{post.id}"
    assert post.recipient_user_ids == {colleague.id} and post.author_id == author.id


def test_a_team_can_be_thanked(as_user):
    team = UnitFactory(name="Bereavement office")
    UserFactory(unit=team)
    client = as_user(UserFactory())
    answers = _answers(UserFactory(), step="send", team=str(team.id))
    answers["to"] = []
    assert client.post("/thanks/new", data=answers).status_code == 303
    assert db.session.scalar(select(Post)).team_unit_ids == {team.id}


@pytest.mark.parametrize(("change", "message"), [
    ({"what_they_did": "Too short"}, "at least 20 characters"),
    ({"values": []}, "Choose at least one value"),
    ({"to": []}, "Choose at least one colleague or a team"),
])
def test_invalid_answers_come_back_with_errors_and_keep_the_words(as_user, change, message):
    colleague = UserFactory()
    response = as_user(UserFactory()).post("/thanks/new", data={**_answers(colleague, step="send"), **change})
    assert response.status_code == 200
    assert message in text(response) and "Error: Say thank you" in text(response)
    assert "The caller was safe." in text(response)
    assert db.session.scalar(select(Post)) is None


def test_every_mistake_is_shown_at_once_with_nobody_chosen_linked_to_the_picker(as_user):
    page = text(as_user(UserFactory()).post("/thanks/new", data={
        **_answers(UserFactory(), step="check"), "to": [], "values": [], "what_they_did": "Too short"}))
    summary = page[page.index('class="error-summary"'):page.index("</ul>", page.index('class="error-summary"'))]
    assert '<a href="#q">Choose at least one colleague or a team' in summary
    assert "Choose at least one value" in summary and "at least 20 characters" in summary
    assert 'id="q-error"' in page and 'aria-describedby="q-hint q-error"' in page


def test_self_thanks_is_refused(as_user):
    author = UserFactory()
    answers = _answers(author, step="send")
    response = as_user(author).post("/thanks/new", data=answers)
    assert response.status_code == 200 and db.session.scalar(select(Post)) is None


def test_change_within_the_window_then_only_withdraw(as_user):
    author, colleague = UserFactory(), UserFactory()
    post = thank(author, colleague)
    client = as_user(author)
    assert "Change it" in text(client.get(f"/thanks/{post.id}"))
    response = client.post(f"/thanks/{post.id}/edit", data={
        "what_they_did": WORDS + " Really.", "difference": "", "values": [str(value_ids("Timely")[0])],
        "visibility": "team", "learning": ""})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).what_they_did.endswith("Really.")
    post.created_at = utcnow() - timedelta(minutes=6)
    db.session.flush()
    late = client.get(f"/thanks/{post.id}/edit")
    assert late.status_code == 302 and late.headers["Location"] == f"/thanks/{post.id}"
    page = text(client.get(late.headers["Location"]))
    assert "The time for changing this thank-you has passed" in page and "Change it" not in page
    too_late = client.post(f"/thanks/{post.id}/edit", data={
        "what_they_did": WORDS + " Again.", "difference": "", "values": [str(value_ids("Timely")[0])],
        "visibility": "team", "learning": ""})
    assert too_late.status_code == 200 and "The time for changing this thank-you has passed" in text(too_late)
    assert as_user(colleague).post(f"/thanks/{post.id}/withdraw").status_code == 404
    assert client.post(f"/thanks/{post.id}/withdraw").status_code == 303
    assert client.get(f"/thanks/{post.id}").status_code == 404
    again = client.post(f"/thanks/{post.id}/withdraw", follow_redirects=True)
    assert again.status_code == 200 and "already been withdrawn" in text(again)


def test_private_thank_yous_are_404_to_others(as_user):
    author, colleague = UserFactory(), UserFactory()
    post = thank(author, colleague, visibility="private")
    assert as_user(UserFactory()).get(f"/thanks/{post.id}").status_code == 404
    assert as_user(colleague).get(f"/thanks/{post.id}").status_code == 200


def test_recipient_makes_it_private(as_user):
    author, colleague = UserFactory(), UserFactory()
    post = thank(author, colleague)
    assert as_user(UserFactory()).post(f"/thanks/{post.id}/make-private").status_code == 404
    assert as_user(colleague).post(f"/thanks/{post.id}/make-private").status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).visibility == "private"
    again = as_user(colleague).post(f"/thanks/{post.id}/make-private", follow_redirects=True)
    assert "already private" in text(again)


def test_appreciate_with_htmx_returns_the_button_and_needs_csrf(as_user):
    post = thank(UserFactory(), UserFactory())
    client = as_user(UserFactory())
    refused = client.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "1"}, headers=HX, csrf=False)
    assert refused.status_code == 400
    response = client.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "1"}, headers=HX)
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert 'aria-pressed="true"' in body and "You appreciate this" in body
    plain = client.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "0", "next": "/thanks"})
    assert plain.status_code == 303 and plain.headers["Location"] == "/thanks"
    db.session.expire_all()
    assert db.session.get(Post, post.id).appreciation_count == 0


def test_without_javascript_appreciate_returns_to_the_same_card_and_authors_cannot_appreciate_their_own(as_user):
    author = UserFactory()
    post = thank(author, UserFactory())
    reader = as_user(UserFactory())
    wall = text(reader.get("/thanks?page=1"))
    assert f'id="thanks-{post.id}"' in wall
    assert f'name="next" value="/thanks?page=1#thanks-{post.id}"' in wall
    back = reader.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "1", "next": f"/thanks#thanks-{post.id}"})
    assert back.headers["Location"] == f"/thanks#thanks-{post.id}"
    assert "You appreciate this" in text(reader.get("/thanks"))
    # Someone else also appreciating it: "You and 1 other person".
    other = as_user(UserFactory())
    other.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "1"})
    assert "You and 1 other person appreciate this" in text(other.get(f"/thanks/{post.id}"))
    # The author sees the count but no button, and a hand-made post changes nothing.
    own = as_user(author)
    page = text(own.get(f"/thanks/{post.id}"))
    assert "2 people appreciate this" in page and f'id="appreciate-button-{post.id}"' not in page
    refused = own.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "1"}, follow_redirects=True)
    assert "You cannot appreciate your own thank-you" in text(refused)
    db.session.expire_all()
    assert db.session.get(Post, post.id).appreciation_count == 2


def test_withdrawing_a_thank_you_asks_first(as_user):
    author = UserFactory()
    post = thank(author, UserFactory())
    client = as_user(author)
    page = text(client.get(f"/thanks/{post.id}"))
    assert f'href="/thanks/{post.id}/withdraw"' in page
    check = text(client.get(f"/thanks/{post.id}/withdraw"))
    assert "Withdraw your thank-you?" in check and "Yes, withdraw it" in check and "No, keep it" in check
    db.session.expire_all()
    assert db.session.get(Post, post.id).withdrawn_at is None
    done = client.post(f"/thanks/{post.id}/withdraw", data={"confirmed": "yes"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).withdrawn_at is not None
    assert client.get(f"/thanks/{post.id}/withdraw").status_code == 302
    assert as_user(UserFactory()).get(f"/thanks/{post.id}/withdraw").status_code == 404


def test_add_your_thanks(as_user):
    post = thank(UserFactory(), UserFactory())
    client = as_user(UserFactory(display_name="Fay"))
    invalid = client.post(f"/thanks/{post.id}/comments", data={"body": "x" * 501})
    assert invalid.status_code == 200 and "Error:" in text(invalid)
    assert client.post(f"/thanks/{post.id}/comments", data={"body": "Seconded."}).status_code == 303
    assert "Seconded." in text(client.get(f"/thanks/{post.id}"))


def test_report_then_hide_from_the_moderation_list(as_user):
    area = UnitFactory(name="PALS")
    author, colleague = UserFactory(), UserFactory(unit=area)
    champion = UserFactory(champion=True, unit=area)
    post = thank(author, colleague, words="Words that name a patient by mistake.")
    reporter = as_user(UserFactory())
    assert reporter.post(f"/thanks/{post.id}/report", data={"reason": ""}).status_code == 200
    assert reporter.post(f"/thanks/{post.id}/report", data={"reason": "Names a patient"}).status_code == 303
    assert as_user(UserFactory()).get("/thanks/reports").status_code == 403
    mod = as_user(champion)
    queue = text(mod.get("/thanks/reports"))
    assert "Names a patient" in queue and "Words that name a patient" in queue
    assert "Reported thank-yous and comments to review" in text(mod.get("/"))
    assert as_user(UserFactory()).get(f"/thanks/{post.id}/hide").status_code == 404
    assert mod.post(f"/thanks/{post.id}/hide", data={"reason": "Patient named"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is not None
    assert "Words that name a patient" not in text(as_user(UserFactory()).get("/thanks"))
    assert "Patient named" in text(as_user(author).get(f"/thanks/{post.id}"))
    again = mod.post(f"/thanks/{post.id}/hide", data={"reason": "Twice"}, follow_redirects=True)
    assert "already hidden by" in text(again)


def test_report_a_comment_and_dismiss(as_user):
    hr = UserFactory(hr=True)
    post = thank(UserFactory(), UserFactory())
    comment = Comment(post_id=post.id, author_id=UserFactory().id, body="Meh")
    db.session.add(comment)
    db.session.flush()
    assert as_user(UserFactory()).post(f"/thanks/comments/{comment.id}/report",
                                       data={"reason": "Unkind"}).status_code == 303
    report = db.session.scalar(select(Report))
    assert report.comment_id == comment.id
    assert as_user(hr).post(f"/thanks/reports/{report.id}/dismiss").status_code == 303
    db.session.expire_all()
    assert db.session.get(Report, report.id).outcome == "kept"


def test_values_are_managed_by_hr_only(as_user):
    assert as_user(UserFactory()).get("/thanks/values").status_code == 403
    hr = as_user(UserFactory(hr=True))
    assert "Compassion under pressure" in text(hr.get("/thanks/values"))
    assert hr.post("/thanks/values", data={"name": "Warm handover"}).status_code == 303
    value = db.session.scalar(select(RecognitionValue).where(RecognitionValue.name == "Warm handover"))
    assert "already a value" in text(hr.post("/thanks/values", data={"name": "warm handover"}))
    assert hr.post(f"/thanks/values/{value.id}", data={"name": "Warm handovers"}).status_code == 303
    assert hr.post(f"/thanks/values/{value.id}/retire").status_code == 303
    db.session.expire_all()
    assert value.name == "Warm handovers" and value.is_retired
    listened = db.session.scalar(select(RecognitionValue).where(RecognitionValue.name == "Listened"))
    thank(UserFactory(), UserFactory(), values=("Listened",))
    hr.post(f"/thanks/values/{listened.id}/delete")
    assert db.session.get(RecognitionValue, listened.id) is not None


def test_profile_shows_private_thanks_to_the_person_and_their_manager_only(as_user):
    manager = UserFactory()
    person = UserFactory(manager=manager, display_name="Pat Person")
    thank(UserFactory(), person, words="A public thank-you for Pat here.")
    thank(UserFactory(), person, words="A private thank-you for Pat here.", visibility="private")
    for viewer in (person, manager):
        page = text(as_user(viewer).get(f"/thanks/people/{person.id}"))
        assert "private thank-you for Pat" in page and "Download" in page
    other = text(as_user(UserFactory()).get(f"/thanks/people/{person.id}"))
    assert "public thank-you for Pat" in other and "private thank-you" not in other and "Download" not in other


def test_csv_download_for_appraisal(as_user):
    person = UserFactory()
    thank(UserFactory(display_name="Ada"), person, words="=HYPERLINK(bad) but long enough words.",
          visibility="private", values=("Listened", "Timely"))
    response = as_user(person).get(f"/thanks/people/{person.id}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=recognition-")
    rows = list(csv.reader(io.StringIO(text(response).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Date", "Type", "From"]
    assert rows[1][2] == "Ada" and rows[1][3].startswith("'=HYPERLINK") and rows[1][5] == "Listened, Timely"
    assert as_user(UserFactory()).get(f"/thanks/people/{person.id}.csv").status_code == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recognition.exported")) is not None


def test_reports_count_for_waiting_provider_is_cheap(app, count_queries):
    hr = UserFactory(hr=True)
    post = thank(UserFactory(), UserFactory())
    report_item(post=post, reporter=UserFactory(), reason="Check")
    db.session.flush()
    from portal.recognition.views import waiting_for_moderators
    with app.test_request_context(), count_queries() as counter:
        items = waiting_for_moderators(hr)
    # The counter starts with an expired session, so the person is loaded again first (as the request does).
    reads = [statement for statement in counter.statements if "recognition_" in statement]
    assert items[0].count == 1 and len(reads) == 1 and "count(" in reads[0].lower(), counter.statements


def test_an_empty_filtered_wall_fragment_says_so(as_user):
    fragment = text(as_user(UserFactory()).get("/thanks?type=award", headers={**HX, "HX-Target": "wall-results"}))
    assert "Nothing here yet" in fragment and "<html" not in fragment


def test_the_wall_links_to_your_thanks_and_to_what_your_roles_allow(as_user):
    person = UserFactory()
    plain = text(as_user(person).get("/thanks"))
    assert f"/thanks/people/{person.id}" in plain
    assert "/thanks/reports" not in plain and "/thanks/values" not in plain
    hr = text(as_user(UserFactory(hr=True)).get("/thanks"))
    assert "/thanks/reports" in hr and "/thanks/values" in hr


def test_choosing_someone_empties_the_search_for_the_next_name(as_user):
    pat = UserFactory(display_name="Patrick Obi")
    page = text(as_user(UserFactory()).get(f"/thanks/new?q=pat&add={pat.id}"))
    assert 'name="q" class="input" value=""' in page and "Nobody matches" not in page


def test_the_edit_and_value_pages_render_filled_in(as_user):
    author = UserFactory()
    post = thank(author, UserFactory(), values=("Timely",))
    page = text(as_user(author).get(f"/thanks/{post.id}/edit"))
    assert WORDS in page and "Change your thank-you" in page
    timely = value_ids("Timely")[0]
    checked = re.findall(r'<input checked class="checkboxes__input" id="values-\d+" name="values" type="checkbox" '
                         r'value="(\d+)">', page)
    assert checked == [str(timely)]
    value = db.session.get(RecognitionValue, timely)
    rename = text(as_user(UserFactory(hr=True)).get(f"/thanks/values/{value.id}"))
    assert 'value="Timely"' in rename and "new name will show on those thank-yous" in rename
