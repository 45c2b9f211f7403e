"""De-brief pages over HTTP: the safety box first, asking, the queue, claiming, the supporter's steps, and the
confidentiality wall (HR and administrators get 403/404 and never see what anyone wrote)."""

import re

import pytest
from sqlalchemy import func, select

from portal.common.audit import AuditEvent
from portal.common.errors import DomainError
from portal.debriefs.models import DebriefRequest, DebriefSettings, DebriefState, DutySupporter
from portal.debriefs.services import add_duty_supporter, claim_request, record_check_in, record_held
from portal.extensions import db
from portal.support.models import SupportKind
from tests.debriefs.factories import CONTACT, NOTE, SESSION_NOTE, ask, on_duty, tree
from tests.factories import UnitFactory, UserFactory
from tests.support.factories import make_supporter

pytestmark = pytest.mark.usefixtures("app_ctx")
SECRETS = (NOTE, CONTACT, SESSION_NOTE)


def main_of(html: str) -> str:
    return html[html.index("<main"):]


def test_the_form_shows_who_to_call_before_anything_else(as_user):
    response = as_user(UserFactory()).get("/debriefs/new")
    assert response.status_code == 200
    page = main_of(response.get_data(as_text=True))
    assert page.index("If someone is in danger now") < page.index("<form")
    assert "999" in page and "Employee Assistance Programme" in page
    assert page.index("<h1>") < page.index("If someone is in danger now")
    assert "Only you and your supporter will see this." in page


def test_every_page_links_to_the_difficult_contact_page(as_user):
    html = as_user(UserFactory()).get("/").get_data(as_text=True)
    assert html.count('href="/debriefs/new"') >= 2  # the nav and the home page's action


def test_hr_edits_the_signposting_and_it_is_rendered_safely(as_user):
    hr = as_user(UserFactory(hr=True))
    response = hr.post("/debriefs/settings", data={
        "signposting": "**EAP**: call 0800 111 222\n\n<script>alert(1)</script>\n\n[Website](javascript:alert(1))",
        "fallback_contact_id": "0", "claim_minutes_this_shift": "45", "claim_minutes_72_hours": "300",
        "claim_minutes_this_week": "1000", "retention_days": "400"})
    assert response.status_code == 303
    settings = db.session.get(DebriefSettings, 1)
    assert settings.claim_minutes_this_shift == 45 and settings.retention_days == 400
    page = as_user(UserFactory()).get("/debriefs/new").get_data(as_text=True)
    assert "<strong>EAP</strong>: call 0800 111 222" in page
    assert "<script>" not in page and 'href="javascript' not in page


def test_settings_errors_show_next_to_the_field(as_user):
    response = as_user(UserFactory(hr=True)).post("/debriefs/settings", data={
        "signposting": "Call 999", "fallback_contact_id": "0", "claim_minutes_this_shift": "1",
        "claim_minutes_72_hours": "300", "claim_minutes_this_week": "1000", "retention_days": "400"})
    assert response.status_code == 200
    assert "Enter between 5 and 20,160 minutes" in response.get_data(as_text=True)


def test_asking_tells_the_duty_supporters_and_says_when_someone_will_be_in_touch(as_user):
    t = tree()
    on_duty(t.north)
    requester = UserFactory(unit=t.north)
    client = as_user(requester)
    response = client.post("/debriefs/new", data={"urgency": "this_shift", "kind": "bereavement", "note": NOTE,
                                                 "contact_method": "phone", "contact_detail": CONTACT})
    assert response.status_code == 303
    request = db.session.scalar(select(DebriefRequest).where(DebriefRequest.requester_id == requester.id))
    assert response.headers["Location"].endswith(f"/debriefs/{request.id}/sent")
    assert request.note == NOTE and request.kind == "bereavement"
    page = client.get(f"/debriefs/{request.id}/sent").get_data(as_text=True)
    sent = r"We(&#39;|')ve let the duty supporters know. Someone will be in touch by \w{3} \d+ \w{3}, \d\d:\d\d"
    assert re.search(sent, page)
    assert "If someone is in danger now" in page


def test_a_form_with_problems_keeps_what_was_typed(as_user):
    response = as_user(UserFactory()).post("/debriefs/new", data={"note": NOTE, "contact_detail": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose how soon you would like to talk" in page and "Tell us how to reach you" in page
    assert NOTE in page and db.session.scalar(select(func.count()).select_from(DebriefRequest)) == 0


def test_the_queue_shows_no_content_and_a_claim_opens_the_request(as_user):
    t = tree()
    alex = on_duty(t.north)
    request = ask(UserFactory(unit=t.north, display_name="Riya Shah"))
    client = as_user(alex)
    queue = client.get("/debriefs/queue").get_data(as_text=True)
    assert "Someone in North team" in queue
    assert all(secret not in queue for secret in SECRETS) and "Riya Shah" not in queue
    assert client.get(f"/debriefs/{request.id}").status_code == 404  # not before claiming
    response = client.post(f"/debriefs/{request.id}/claim")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/debriefs/{request.id}")
    page = client.get(f"/debriefs/{request.id}").get_data(as_text=True)
    assert NOTE in page and CONTACT in page and "Riya Shah" in page
    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "debrief.read",
                                                        AuditEvent.target_id == str(request.id))).all()
    assert [event.actor_id for event in reads] == [alex.id]


def test_a_second_claimer_is_told_who_got_there_first(as_user):
    t = tree()
    alex = on_duty(t.north, display_name="Alex Duty")
    bo = on_duty(t.north)
    request = ask(UserFactory(unit=t.north))
    as_user(alex).post(f"/debriefs/{request.id}/claim")
    client = as_user(bo)
    response = client.post(f"/debriefs/{request.id}/claim", follow_redirects=True)
    assert response.status_code == 200 and "Already claimed by Alex Duty." in response.get_data(as_text=True)


def test_the_supporter_records_the_debrief_follows_up_and_closes(as_user):
    t = tree()
    alex = on_duty(t.north)
    requester = UserFactory(unit=t.north)
    request = ask(requester)
    claim_request(request=request, supporter=alex)
    client = as_user(alex)
    too_soon = client.post(f"/debriefs/{request.id}/close", follow_redirects=True).get_data(as_text=True)
    assert "This de-brief has moved on (it is now: Picked up)" in too_soon
    assert client.post(f"/debriefs/{request.id}/held", data={"session_note": SESSION_NOTE}).status_code == 303
    assert client.post(f"/debriefs/{request.id}/check-in").status_code == 303
    assert client.post(f"/debriefs/{request.id}/close").status_code == 303
    db.session.expire_all()
    assert request.state == DebriefState.CLOSED and request.session_note == SESSION_NOTE
    page = as_user(requester).get(f"/debriefs/{request.id}").get_data(as_text=True)
    assert SESSION_NOTE in page and "Closed" in page


def test_the_requester_cannot_take_supporter_steps(as_user):
    t = tree()
    alex = on_duty(t.north)
    requester = UserFactory(unit=t.north, supporter=True)
    request = ask(requester)
    claim_request(request=request, supporter=alex)
    client = as_user(requester)
    assert client.post(f"/debriefs/{request.id}/held", data={}).status_code == 404
    assert client.post(f"/debriefs/{request.id}/claim").status_code == 404


@pytest.mark.parametrize("trait", ["hr", "admin"])
def test_hr_and_admins_get_403_or_404_on_every_confidential_page_and_see_no_content(as_user, trait):
    t = tree()
    alex = on_duty(t.north)
    on_duty(t.north)
    open_request = ask(UserFactory(unit=t.north))
    held = ask(UserFactory(unit=t.north))
    claim_request(request=held, supporter=alex)
    record_held(request=held, supporter=alex, session_note=SESSION_NOTE)
    record_check_in(request=held, supporter=alex)
    outsider = UserFactory(unit=t.north, **{trait: True})
    client = as_user(outsider)
    for request in (open_request, held):
        for path in (f"/debriefs/{request.id}", f"/debriefs/{request.id}/sent"):
            assert client.get(path).status_code == 404, path
        for path in ("held", "check-in", "close"):
            assert client.post(f"/debriefs/{request.id}/{path}").status_code in (403, 404), path
        assert client.post(f"/debriefs/{request.id}/claim").status_code == 403
    assert client.get("/debriefs/queue").status_code == 403
    reachable = ["/", "/debriefs", "/debriefs/new", "/debriefs/rota", "/notifications", "/admin/audit"]
    if trait == "hr":
        reachable += ["/debriefs/settings", "/insight/peer-support"]
    for path in reachable:
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert all(secret not in page for secret in SECRETS), path
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "debrief.read", AuditEvent.actor_id == outsider.id)) == 0


def test_the_rota_is_for_hr_and_admins(as_user):
    t = tree()
    supporter = offering("Dana Duty", SupportKind.DEBRIEF, SupportKind.MENTORING)
    assert as_user(UserFactory()).get("/debriefs/rota").status_code == 403
    assert as_user(UserFactory(supporter=True)).get("/debriefs/settings").status_code == 403
    assert as_user(UserFactory(admin=True)).get("/debriefs/settings").status_code == 403
    admin = as_user(UserFactory(admin=True))
    response = admin.post("/debriefs/rota/duty", data={"duty-unit_id": t.pals.id, "duty-user_id": supporter.id})
    assert response.status_code == 303
    duty = db.session.scalar(select(DutySupporter).where(DutySupporter.user_id == supporter.id))
    assert duty.unit_id == t.pals.id
    again = admin.post("/debriefs/rota/duty", data={"duty-unit_id": t.pals.id, "duty-user_id": supporter.id})
    assert again.status_code == 200 and "already on duty for PALS" in again.get_data(as_text=True)
    lead = UserFactory(email="lead@example.nhs.uk")
    hr = as_user(UserFactory(hr=True))
    assert hr.post("/debriefs/rota/lead", data={"lead-unit_id": t.north.id,
                                                "lead-email": "LEAD@example.nhs.uk"}).status_code == 303
    assert "North team" in hr.get("/debriefs/rota").get_data(as_text=True)
    from portal.debriefs.models import UnitLead
    assert db.session.get(UnitLead, t.north.id).user_id == lead.id
    assert hr.post(f"/debriefs/rota/duty/{duty.id}/remove").status_code == 303
    assert db.session.get(DutySupporter, duty.id) is None


def test_hr_figures_hide_small_numbers(as_user):
    t = tree()
    alex = on_duty(t.north)
    for _ in range(6):
        ask(UserFactory(unit=t.north))
    claim_request(request=ask(UserFactory(unit=t.north)), supporter=alex)
    hr = as_user(UserFactory(hr=True))
    moved = hr.get("/debriefs/insights")  # HR's figures moved to the insight pages; old bookmarks follow
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/insight/peer-support")
    page = hr.get("/insight/peer-support").get_data(as_text=True)
    table = page[page.index('id="debriefs-table"'):]
    table = table[:table.index("</table>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)
    # One claimed of seven: the 1 is hidden, and so is a neighbour, so the total cannot give it away.
    assert cells.count("fewer than 5") >= 2 and "Not shown" in cells and "1" not in cells
    assert all(secret not in page for secret in SECRETS)


def test_waiting_for_you_counts_debriefs_to_claim(as_user):
    t = tree()
    alex = on_duty(t.north)
    ask(UserFactory(unit=t.north))
    ask(UserFactory(unit=t.north))
    page = as_user(alex).get("/").get_data(as_text=True)
    assert re.search(r"De-briefs to claim</a>\s*<span class=\"count-badge\">2</span>", page)


def test_the_queue_costs_the_same_queries_however_long_it_is(as_user, count_queries):
    t = tree()
    alex = on_duty(t.north)
    client = as_user(alex)
    ask(UserFactory(unit=t.north))
    claim_request(request=ask(UserFactory(unit=t.north)), supporter=alex)
    db.session.flush()
    client.get("/debriefs/queue")
    with count_queries() as few:
        client.get("/debriefs/queue")
    for _ in range(8):
        ask(UserFactory(unit=t.north))
        claim_request(request=ask(UserFactory(unit=UnitFactory())), supporter=alex)
    db.session.flush()
    with count_queries() as many:
        page = client.get("/debriefs/queue").get_data(as_text=True)
    assert page.count("Claim this de-brief") == 9
    assert many.count == few.count, "\n".join(many.statements)


def test_a_double_submitted_form_makes_one_request_and_tells_people_once(as_user):
    from portal.notifications.models import Notification

    t = tree()
    alex = on_duty(t.north)
    client = as_user(UserFactory(unit=t.north))
    form = {"urgency": "this_week", "contact_method": "teams", "contact_detail": "On Teams", "request_key": "k-1"}
    first = client.post("/debriefs/new", data=form)
    second = client.post("/debriefs/new", data=form)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(DebriefRequest)) == 1
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.recipient_id == alex.id)) == 1


def offering(name: str, *kinds):
    """A supporter whose profile offers these kinds of support."""
    supporter = make_supporter(kinds=kinds).user
    supporter.display_name = name
    db.session.flush()
    return supporter


def test_only_supporters_who_offer_debriefs_can_go_on_duty(as_user):
    t = tree()
    offers = offering("Olu Offers", SupportKind.DEBRIEF)
    mentor = offering("Mo Mentor", SupportKind.MENTORING, SupportKind.CLINICAL)
    no_profile = UserFactory(supporter=True, display_name="Nia Noprofile")
    hr = as_user(UserFactory(hr=True))
    page = hr.get("/debriefs/rota").get_data(as_text=True)
    assert "Olu Offers" in page and "Mo Mentor" not in page and "Nia Noprofile" not in page
    for person in (mentor, no_profile):
        response = hr.post("/debriefs/rota/duty", data={"duty-unit_id": t.pals.id, "duty-user_id": person.id})
        assert response.status_code == 200 and 'href="#duty-user_id"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DutySupporter)) == 0
    assert hr.post("/debriefs/rota/duty", data={"duty-unit_id": t.pals.id,
                                                "duty-user_id": offers.id}).status_code == 303


def test_the_service_refuses_a_supporter_who_does_not_offer_debriefs():
    t = tree()
    mentor = offering("Mo Mentor", SupportKind.MENTORING)
    with pytest.raises(DomainError, match="does not offer de-briefs"):
        add_duty_supporter(actor=UserFactory(hr=True), unit=t.pals, person=mentor)
