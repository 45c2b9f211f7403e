"""Recognition's addresses (all under /thanks; the old ones redirect), ids from the query string and forms that are
not ids, the one rule for who reads a hidden comment, and what a second click or a stale page gets."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.recognition.models import Post, RecognitionValue, Report, ReportOutcome
from portal.recognition.moderation import hide_comment, hide_post, report_item
from portal.recognition.reactions import add_comment
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import WORDS, thank, value_ids

pytestmark = pytest.mark.usefixtures("app_ctx")
HX = {"HX-Request": "true"}


def text(response) -> str:
    return response.get_data(as_text=True)


# --- addresses ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new"), [
    ("/wall?type=award&unit=3", "/thanks?type=award&unit=3"),
    ("/thank-you/new?q=pat", "/thanks/new?q=pat"),
    ("/people/{person}/recognition?after=abc", "/thanks/people/{person}?after=abc"),
    ("/people/{person}/recognition.csv", "/thanks/people/{person}.csv"),
    ("/recognition/reports", "/thanks/reports"),
    ("/recognition/values", "/thanks/values"),
    ("/recognition/values/{value}", "/thanks/values/{value}"),
])
def test_the_old_addresses_redirect_permanently_keeping_the_query_string(as_user, old, new):
    person = UserFactory()
    value = value_ids("Timely")[0]
    response = as_user(person).get(old.format(person=person.id, value=value))
    assert response.status_code == 301
    assert response.headers["Location"] == new.format(person=person.id, value=value)


@pytest.mark.parametrize("bad", ["²", "10^23", "٣", "-1", "99999999999999999999", "1e3", " 7 "])
def test_ids_in_the_query_string_that_are_not_ids_are_ignored(as_user, bad):
    colleague = UserFactory(display_name="Colm Colleague")
    thank(UserFactory(), colleague, words="A public thank-you that stays on the wall.")
    client = as_user(UserFactory())
    for name in ("unit", "value"):
        wall = client.get("/thanks", query_string={name: bad})
        assert wall.status_code == 200 and "stays on the wall" in text(wall)
        assert "Clear filters" not in text(wall)  # treated as no filter at all
    picker = client.get("/thanks/new", query_string={"to": [str(colleague.id), bad], "add": bad, "remove": bad})
    assert picker.status_code == 200 and "Colm Colleague" in text(picker)


def test_a_team_that_is_not_an_id_is_no_team(as_user):
    colleague = UserFactory()
    response = as_user(UserFactory()).post("/thanks/new", data={
        "to": [str(colleague.id), "²"], "what_they_did": WORDS, "difference": "", "visibility": "public",
        "values": [str(v) for v in value_ids("Listened")], "learning": "", "team": "10^23", "step": "send"})
    assert response.status_code == 303
    assert db.session.scalar(select(Post)).recipient_user_ids == {colleague.id}


# --- one rule for hidden comments ------------------------------------------------------------------------------

def test_a_hidden_comment_is_read_by_its_writer_and_moderators_only_on_the_page_and_the_wall(as_user):
    area = UnitFactory(name="PALS")
    post = thank(UserFactory(), UserFactory(unit=area), words="A public thank-you with one comment under it.")
    writer, champion, reader = UserFactory(), UserFactory(champion=True, unit=area), UserFactory()
    comment = add_comment(post=post, author=writer, body="Something unkind, later hidden.")
    hide_comment(comment=comment, actor=champion, reason="Unkind")
    db.session.flush()
    for person in (writer, champion):
        page = text(as_user(person).get(f"/thanks/{post.id}"))
        assert "Something unkind" in page and "Reason: Unkind" in page
        assert "Nobody has added their thanks yet" not in page
        assert "1 comment" in text(as_user(person).get("/thanks"))
    page = text(as_user(reader).get(f"/thanks/{post.id}"))
    assert "Something unkind" not in page and "Nobody has added their thanks yet" in page
    assert "1 comment" not in text(as_user(reader).get("/thanks"))
    assert f"/thanks/comments/{comment.id}/hide" not in text(as_user(champion).get(f"/thanks/{post.id}"))


def test_a_comment_is_reported_and_hidden_at_its_own_address(as_user):
    area = UnitFactory(name="PALS")
    post = thank(UserFactory(), UserFactory(unit=area))
    writer, champion = UserFactory(), UserFactory(champion=True, unit=area)
    comment = add_comment(post=post, author=writer, body="Rude words here.")
    db.session.flush()
    reader = as_user(UserFactory())
    assert f"/thanks/comments/{comment.id}/report" in text(reader.get(f"/thanks/{post.id}"))
    assert as_user(writer).get(f"/thanks/comments/{comment.id}/report").status_code == 404  # not your own
    assert "Report this comment" in text(reader.get(f"/thanks/comments/{comment.id}/report"))
    assert reader.post(f"/thanks/comments/{comment.id}/report", data={"reason": "Rude"}).status_code == 303
    assert as_user(UserFactory()).get(f"/thanks/comments/{comment.id}/hide").status_code == 404
    moderator = as_user(champion)
    assert f"/thanks/comments/{comment.id}/hide" in text(moderator.get("/thanks/reports"))
    assert "Hide this comment" in text(moderator.get(f"/thanks/comments/{comment.id}/hide"))
    assert moderator.post(f"/thanks/comments/{comment.id}/hide", data={"reason": ""}).status_code == 200
    assert moderator.post(f"/thanks/comments/{comment.id}/hide", data={"reason": "Unkind"}).status_code == 303
    again = moderator.post(f"/thanks/comments/{comment.id}/hide", data={"reason": "Twice"}, follow_redirects=True)
    assert "already hidden by" in text(again)
    assert db.session.scalar(select(Report.outcome)) == ReportOutcome.HIDDEN


# --- second clicks and stale pages ------------------------------------------------------------------------------

def test_reporting_twice_is_refused_next_to_the_reason(as_user):
    post = thank(UserFactory(), UserFactory())
    client = as_user(UserFactory())
    assert client.post(f"/thanks/{post.id}/report", data={"reason": "Names a patient"}).status_code == 303
    again = client.post(f"/thanks/{post.id}/report", data={"reason": "Still there"})
    assert again.status_code == 200 and "already reported this" in text(again)
    assert as_user(post.author).get(f"/thanks/{post.id}/report").status_code == 404  # not your own


def test_dismissing_a_report_twice_says_it_was_dealt_with(as_user):
    hr = as_user(UserFactory(hr=True))
    report = report_item(post=thank(UserFactory(), UserFactory()), reporter=UserFactory(), reason="Check")
    db.session.flush()
    assert hr.post(f"/thanks/reports/{report.id}/dismiss").status_code == 303
    again = hr.post(f"/thanks/reports/{report.id}/dismiss", follow_redirects=True)
    assert "already been dealt with" in text(again)
    elsewhere = as_user(UserFactory(champion=True, unit=UnitFactory(name="Elsewhere")))
    assert elsewhere.post(f"/thanks/reports/{report.id}/dismiss").status_code == 404


def test_a_hidden_post_cannot_be_appreciated_or_commented_on_and_the_page_says_so(as_user):
    author = UserFactory()
    post = thank(author, UserFactory())
    hide_post(post=post, actor=UserFactory(hr=True), reason="Names a patient")
    db.session.flush()
    client = as_user(author)
    appreciated = client.post(f"/thanks/{post.id}/appreciate", data={"appreciated": "1"}, headers=HX)
    assert appreciated.status_code == 200 and appreciated.headers["HX-Location"] == f"/thanks/{post.id}"
    commented = client.post(f"/thanks/{post.id}/comments", data={"body": "Me too."})
    assert commented.status_code == 200 and "You can no longer add your thanks to this." in text(commented)
    db.session.expire_all()
    assert db.session.get(Post, post.id).appreciation_count == 0 and not db.session.get(Post, post.id).comments


def test_values_that_clash_or_are_in_use_are_refused_with_a_message(as_user):
    hr = as_user(UserFactory(hr=True))
    timely = value_ids("Timely")[0]
    renamed = hr.post(f"/thanks/values/{timely}", data={"name": "listened"})
    assert renamed.status_code == 200 and "already a value called Listened" in text(renamed)
    thank(UserFactory(), UserFactory(), values=("Timely",))
    refused = hr.post(f"/thanks/values/{timely}/delete", follow_redirects=True)
    assert "cannot be deleted. Retire it instead." in text(refused)
    assert hr.post("/thanks/values", data={"name": "Typo valeu"}).status_code == 303
    typo = db.session.scalar(select(RecognitionValue).where(RecognitionValue.name == "Typo valeu"))
    deleted = hr.post(f"/thanks/values/{typo.id}/delete", follow_redirects=True)
    assert "Typo valeu deleted." in text(deleted)
    assert db.session.get(RecognitionValue, typo.id) is None
    retired = hr.post(f"/thanks/values/{timely}/retire", follow_redirects=True)
    assert "is retired" in text(retired)
    assert "can be chosen again" in text(hr.post(f"/thanks/values/{timely}/retire", follow_redirects=True))


def test_a_deactivated_persons_page_is_not_found(as_user):
    manager = UserFactory()
    gone = UserFactory(manager=manager, is_active_account=False)
    assert as_user(UserFactory()).get(f"/thanks/people/{gone.id}").status_code == 404
    assert as_user(manager).get(f"/thanks/people/{gone.id}.csv").status_code == 403
