"""Good practice over HTTP: the contracts (/practice, /practice/new with "Title" and "Body", /practice/review), the
editor and its preview, the journeys from writing to publishing, reactions, and the query counts of the lists."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.practice.models import Note, NoteState
from portal.practice.queries import QUEUE_COUNT_CAP, notes_count, queue_count
from portal.practice.services import create_note
from tests.factories import UserFactory
from tests.practice.factories import area, content

pytestmark = pytest.mark.usefixtures("app_ctx")


def form_for(unit, **overrides):
    return {"title": "Scripts we stopped using", "summary": "And what we say instead.",
            "body_source": "We stopped saying *calm down*.", "unit": str(unit.id), "tags": "Calls, Scripts",
            "action": "submit", **overrides}


def test_the_contract_pages_answer(as_user):
    a = area()
    client = as_user(a.staff)
    assert client.get("/practice").status_code == 200
    page = client.get("/practice/new").get_data(as_text=True)
    assert re.search(r'<label class="label[^"]*" for="title">Title', page)
    assert re.search(r'<label class="label[^"]*" for="body_source">Body', page)
    assert client.get("/practice/review").status_code == 403
    assert as_user(a.champion).get("/practice/review").status_code == 200


def test_staff_submit_and_it_waits_for_a_champion(as_user):
    a = area()
    response = as_user(a.staff).post("/practice/new", data=form_for(a.north))
    assert response.status_code == 303
    note = db.session.scalar(select(Note).where(Note.author_id == a.staff.id))
    assert note.state == NoteState.PENDING and note.tags == ["calls", "scripts"]
    assert "<em>calm down</em>" in note.body_html
    assert "Scripts we stopped using" not in as_user(a.colleague).get("/practice").get_data(as_text=True)
    queue = as_user(a.champion).get("/practice/review").get_data(as_text=True)
    assert "Scripts we stopped using" in queue


def test_a_champion_publishes_directly(as_user):
    a = area()
    response = as_user(a.champion).post("/practice/new", data=form_for(a.pals))
    assert response.status_code == 303
    note = db.session.scalar(select(Note).where(Note.author_id == a.champion.id))
    assert note.state == NoteState.PUBLISHED
    assert "Scripts we stopped using" in as_user(a.colleague).get("/practice").get_data(as_text=True)


# --- the personal-data guard over HTTP -----------------------------------------------------------------------

def test_the_author_is_warned_with_the_match_highlighted_and_the_input_kept(as_user):
    a = area()
    client = as_user(a.staff)
    words = "Mrs Jones, NHS 943 476 5919, DOB 12/03/1941, was walked over."
    response = client.post("/practice/new", data=form_for(a.north, body_source=words))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This may contain personal data" in html
    assert "<mark" in html and ">943 476 5919</mark>" in html and ">12/03/1941</mark>" in html
    assert "Body: an NHS number, a date of birth" in html
    assert re.search(rf"<textarea[^>]*>\s*{re.escape(words)}</textarea>", html)  # what they typed is kept
    assert db.session.scalar(select(Note).where(Note.author_id == a.staff.id)) is None
    # A made-up example: they say they checked, and it goes to a champion with the warning still live.
    response = client.post("/practice/new", data=form_for(a.north, body_source=words, confirm_personal_data="y"))
    assert response.status_code == 303
    note = db.session.scalar(select(Note).where(Note.author_id == a.staff.id))
    assert note.state == NoteState.PENDING and note.has_live_personal_data_flag
    queue = as_user(a.champion).get("/practice/review").get_data(as_text=True)
    assert "May contain personal data" in queue


def test_a_champion_cannot_publish_a_live_flag_without_clearing_it(as_user):
    a = area()
    as_user(a.staff).post("/practice/new", data=form_for(a.north, body_source="Ring her on 07700 900123.",
                                                         confirm_personal_data="y"))
    note = db.session.scalar(select(Note).where(Note.author_id == a.staff.id))
    champion = as_user(a.champion)
    review = champion.get(f"/practice/{note.id}/review").get_data(as_text=True)
    assert "The personal-data check found this" in review and ">07700 900123</mark>" in review
    refused = champion.post(f"/practice/{note.id}/approve", data={})
    assert refused.status_code == 200 and 'id="clear_personal_data-error"' in refused.get_data(as_text=True)
    db.session.refresh(note)
    assert note.state == NoteState.PENDING
    assert champion.post(f"/practice/{note.id}/approve", data={"clear_personal_data": "y"}).status_code == 303
    db.session.refresh(note)
    assert note.state == NoteState.PUBLISHED and note.personal_data_cleared_by_id == a.champion.id


def test_the_live_preview_renders_and_warns_without_writing(as_user):
    a = area()
    response = as_user(a.staff).post("/practice/preview", headers={"HX-Request": "true"}, data=form_for(
        a.north, body_source="**Bold** and jo@example.com"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>Bold</strong>" in html
    assert 'hx-swap-oob="true"' in html and ">jo@example.com</mark>" in html
    assert "<html" not in html  # a fragment
    assert db.session.scalar(select(Note).where(Note.author_id == a.staff.id)) is None


# --- moderation over HTTP ------------------------------------------------------------------------------------

def staff_note(as_user, a, **overrides) -> Note:
    as_user(a.staff).post("/practice/new", data=form_for(a.north, **overrides))
    return db.session.scalar(select(Note).where(Note.author_id == a.staff.id).order_by(Note.id.desc()))


def test_request_changes_needs_a_reason_and_the_author_reads_it(as_user):
    a = area()
    note = staff_note(as_user, a)
    champion = as_user(a.champion)
    empty = champion.post(f"/practice/{note.id}/request-changes", data={"reason": "  "})
    assert empty.status_code == 200 and "Tell the author why" in empty.get_data(as_text=True)
    long = champion.post(f"/practice/{note.id}/request-changes", data={"reason": "x" * 1001})
    assert "Use 1000 characters or fewer" in long.get_data(as_text=True)
    assert 'x' * 1001 in long.get_data(as_text=True)  # kept
    done = champion.post(f"/practice/{note.id}/request-changes", data={"reason": "Name the office."})
    assert done.status_code == 303
    page = as_user(a.staff).get(f"/practice/{note.id}").get_data(as_text=True)
    assert "Name the office." in page and "Aisha Rahman" in page
    assert "Name the office." not in as_user(a.colleague).get(f"/practice/{note.id}").get_data(as_text=True)


def test_a_second_decision_over_http_is_told_who_decided(as_user):
    a = area()
    note = staff_note(as_user, a)
    assert as_user(a.champion).post(f"/practice/{note.id}/approve", data={}).status_code == 303
    late = as_user(a.north_champion).post(f"/practice/{note.id}/reject", data={"reason": "No."})
    html = late.get_data(as_text=True)
    assert late.status_code == 200 and "Already decided by Aisha Rahman at" in html
    db.session.refresh(note)
    assert note.state == NoteState.PUBLISHED


def test_only_champions_of_the_area_moderate(as_user):
    a = area()
    note = staff_note(as_user, a)
    outsider = area("Elsewhere").champion
    for person in (a.staff, a.colleague, outsider):
        client = as_user(person)
        assert client.post(f"/practice/{note.id}/approve", data={}).status_code == 404
        assert client.get(f"/practice/{note.id}/review").status_code == 404
    db.session.refresh(note)
    assert note.state == NoteState.PENDING


def test_a_long_queue_shows_99_plus_and_counts_no_further(as_user):
    a = area()
    for n in range(QUEUE_COUNT_CAP + 1):  # a queue longer than any badge shows
        create_note(author=a.staff, content=content(a.north, title=f"Handover card, version {n}"), submit=True)
    assert queue_count(a.champion) == notes_count(a.champion) == QUEUE_COUNT_CAP
    home = as_user(a.champion).get("/").get_data(as_text=True)
    assert re.search(r'id="queue-badge"[^>]*>Notes to review <span class="count-badge">99\+</span>'
                     r'<span class="visually-hidden"> \(more than 99 waiting\)</span>', home)
    assert re.search(r'Practice notes and comments to review</a>\s*<span class="count-badge">99\+</span>', home)


def test_keeping_a_flagged_note_in_the_queue_updates_both_badges(as_user):
    a = area()
    note = staff_note(as_user, a)
    as_user(a.champion).post(f"/practice/{note.id}/approve", data={})
    as_user(a.colleague).post(f"/practice/{note.id}/flag", data={"reason": "out_of_date"})
    champion = as_user(a.champion)
    queue = champion.get("/practice/review").get_data(as_text=True)
    assert re.search(r'id="queue-badge"[^>]*>Notes to review <span class="count-badge">1</span>', queue)
    response = champion.post(f"/practice/{note.id}/keep", headers={"HX-Request": "true",
                                                                   "HX-Target": f"queue-item-flagged-{note.id}"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Kept up. Its flags are closed." in html
    assert html.count('hx-swap-oob="true"') == 2 and "count-badge" not in html
    again = champion.post(f"/practice/{note.id}/keep")
    assert again.status_code == 303  # refused, explained on the review page
    assert "There are no open flags on this note." in champion.get(f"/practice/{note.id}/review").get_data(
        as_text=True)


def test_the_list_and_the_queue_cost_the_same_queries_for_3_or_12_notes(as_user, count_queries):
    a = area()
    champion, reader = as_user(a.champion), as_user(a.colleague)

    def fill(n):
        for i in range(n):
            as_user(a.champion).post("/practice/new", data=form_for(a.pals, title=f"Published {i}"))
            staff_note(as_user, a, title=f"Waiting {i}")

    def costs():
        with count_queries() as listing:
            assert reader.get("/practice").status_code == 200
        with count_queries() as queue:
            assert champion.get("/practice/review").status_code == 200
        return listing.count, queue.count

    fill(3)
    small = costs()
    fill(9)
    assert costs() == small


# --- the cascade and reactions over HTTP ---------------------------------------------------------------------

def published_note(as_user, a, **overrides) -> Note:
    as_user(a.champion).post("/practice/new", data=form_for(a.pals, **overrides))
    return db.session.scalar(select(Note).where(Note.author_id == a.champion.id).order_by(Note.id.desc()))


def test_supersede_sends_readers_to_the_newer_note(as_user):
    a = area()
    old = published_note(as_user, a, title="Old handover script")
    newer = published_note(as_user, a, title="New handover script")
    champion = as_user(a.champion)
    found = champion.get(f"/practice/{old.id}/supersede?q=New handover").get_data(as_text=True)
    assert f'value="{newer.id}"' in found and f'value="{old.id}"' not in found
    missing = champion.post(f"/practice/{old.id}/supersede", data={"action": "supersede", "q": "New"})
    assert missing.status_code == 200 and "Choose the newer note" in missing.get_data(as_text=True)
    done = champion.post(f"/practice/{old.id}/supersede", data={"action": "supersede", "newer": str(newer.id)})
    assert done.status_code == 303
    page = as_user(a.colleague).get(f"/practice/{old.id}").get_data(as_text=True)
    assert "This note has been replaced by a newer one." in page and f'href="/practice/{newer.id}"' in page
    assert "Old handover script" not in as_user(a.colleague).get("/practice").get_data(as_text=True)
    assert as_user(a.staff).get(f"/practice/{old.id}/supersede").status_code == 404


def test_feature_then_stop_featuring(as_user):
    a = area()
    note = published_note(as_user, a, title="Featured handover")
    champion = as_user(a.champion)
    bad = champion.post(f"/practice/{note.id}/feature", data={"action": "feature", "unit": str(a.pals.id),
                                                              "until": "not a date"})
    assert bad.status_code == 200 and 'id="until-error"' in bad.get_data(as_text=True)
    too_far = champion.post(f"/practice/{note.id}/feature", data={"action": "feature", "unit": str(a.pals.id),
                                                                  "until": "2099-12-31"})
    assert too_far.status_code == 200 and "Feature it for a year at most" in too_far.get_data(as_text=True)
    next_week = (utcnow() + timedelta(days=7)).date().isoformat()
    assert champion.post(f"/practice/{note.id}/feature", data={"action": "feature", "unit": str(a.pals.id),
                                                               "until": next_week}).status_code == 303
    assert "Featured handover" in as_user(a.staff).get("/").get_data(as_text=True)
    page = champion.get(f"/practice/{note.id}").get_data(as_text=True)
    feature_id = re.search(r'/practice/features/(\d+)/stop', page).group(1)
    assert as_user(a.staff).post(f"/practice/features/{feature_id}/stop").status_code == 404
    assert champion.post(f"/practice/features/{feature_id}/stop").status_code == 303
    assert "Featured handover" not in as_user(a.staff).get("/").get_data(as_text=True)


def test_follow_a_tag_and_a_unit_then_unfollow(as_user):
    a = area()
    client = as_user(a.staff)
    empty = client.post("/practice/follow", data={"action": "tag", "tag": ""})
    assert empty.status_code == 200 and "Enter a tag" in empty.get_data(as_text=True)
    assert client.post("/practice/follow", data={"action": "tag", "tag": "Handover"}).status_code == 303
    assert client.post("/practice/follow", data={"action": "unit", "unit": str(a.pals.id)}).status_code == 303
    nothing = client.post("/practice/follow", data={"action": "unit", "unit_q": ""})
    assert "Choose a unit to follow" in nothing.get_data(as_text=True)
    page = client.get("/practice/following").get_data(as_text=True)
    assert "handover" in page and "PALS" in page
    follow_id = re.search(r'/practice/follows/(\d+)/remove', page).group(1)
    assert as_user(a.colleague).post(f"/practice/follows/{follow_id}/remove").status_code == 404
    assert client.post(f"/practice/follows/{follow_id}/remove").status_code == 303
    assert len(re.findall(r'/practice/follows/\d+/remove', client.get("/practice/following").get_data(
        as_text=True))) == 1


def test_useful_comment_and_report_without_and_with_htmx(as_user):
    a = area()
    note = published_note(as_user, a)
    reader = as_user(a.colleague)
    assert reader.post(f"/practice/{note.id}/useful", data={"useful": "1"}).status_code == 303
    fragment = reader.post(f"/practice/{note.id}/useful", data={"useful": "1"}, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "1 person found this useful" in html and 'aria-pressed="true"' in html and "<html" not in html
    assert "0 people found this useful" in reader.post(f"/practice/{note.id}/useful", data={"useful": "0"},
                                                        headers={"HX-Request": "true"}).get_data(as_text=True)
    form = {"body": "We tried this on the South desk.", "request_key": "k" * 32}
    assert reader.post(f"/practice/{note.id}/comments", data=form).status_code == 303
    assert reader.post(f"/practice/{note.id}/comments", data=form).status_code == 303  # a double click: one comment
    page = reader.get(f"/practice/{note.id}").get_data(as_text=True)
    assert page.count("We tried this on the South desk.") == 1
    too_long = reader.post(f"/practice/{note.id}/comments", data={"body": "y" * 1001})
    assert too_long.status_code == 200 and "Use 1000 characters or fewer" in too_long.get_data(as_text=True)
    comment_id = re.search(r'/practice/comments/(\d+)/report', as_user(a.staff).get(
        f"/practice/{note.id}").get_data(as_text=True)).group(1)
    assert as_user(a.staff).post(f"/practice/comments/{comment_id}/report",
                                 data={"reason": "Names a patient."}).status_code == 303
    queue = as_user(a.champion).get("/practice/review").get_data(as_text=True)
    assert "Names a patient." in queue
    hidden = as_user(a.champion).post(f"/practice/comments/{comment_id}/hide", data={"reason": "Personal data."})
    assert hidden.status_code == 303
    assert "We tried this on the South desk." not in as_user(a.staff).get(f"/practice/{note.id}").get_data(
        as_text=True)


def test_reported_thank_yous_are_in_the_one_queue_and_a_decision_comes_back_to_it(as_user):
    from portal.recognition.moderation import report_item
    from tests.recognition.factories import thank

    a = area()
    post = thank(a.colleague, a.staff)
    report = report_item(post=post, reporter=UserFactory(), reason="It names a customer.")
    db.session.flush()
    champion = as_user(a.champion)
    queue = champion.get("/practice/review").get_data(as_text=True)
    assert "It names a customer." in queue
    assert re.search(r'id="queue-badge"[^>]*>Notes to review <span class="count-badge">1</span>', queue)
    kept = champion.post(f"/thanks/reports/{report.id}/dismiss", data={"back": "practice"})
    assert kept.status_code == 303 and kept.headers["Location"].endswith("/practice/review")
    assert "It names a customer." not in champion.get("/practice/review").get_data(as_text=True)
