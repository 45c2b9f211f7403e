"""Rules of peer support that the privacy and security review asked for: one open request per mentor pair, nothing
confidential in the audit log, safe video links, a copied de-brief form key."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, DomainError
from portal.db import utcnow
from portal.debriefs.models import ContactMethod, Urgency
from portal.debriefs.services import create_request
from portal.extensions import db
from portal.mentoring.models import EndReason, Mentoring
from portal.mentoring.services import accept_request, end_mentoring, request_mentor
from portal.support.profiles import save_profile
from tests.factories import UserFactory
from tests.mentoring.factories import GOALS, mentor

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_the_database_refuses_a_second_open_request_to_the_same_mentor():
    # The service's own check is skipped here, as two simultaneous requests would both pass it.
    m, mentee = mentor(), UserFactory()
    request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    twin = Mentoring(mentee_id=mentee.id, mentor_id=m.id, goals=GOALS, state="requested", respond_by=utcnow())
    with pytest.raises(IntegrityError, match="(?i)unique"), db.session.begin_nested():
        db.session.add(twin)


def test_asking_again_after_an_ended_mentoring_is_allowed():
    m, mentee = mentor(), UserFactory()
    first = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    accept_request(mentoring=first, mentor=m)
    end_mentoring(mentoring=first, actor=mentee, reason=EndReason.GOALS_MET)
    assert request_mentor(mentee=mentee, mentor=m, goals=GOALS).id != first.id


def test_why_a_mentoring_ended_stays_out_of_the_audit_log():
    m, mentee = mentor(), UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    accept_request(mentoring=mentoring, mentor=m)
    end_mentoring(mentoring=mentoring, actor=mentee, reason=EndReason.NOT_A_GOOD_FIT)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mentoring.ended"))
    assert "not_a_good_fit" not in str(event.details)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hi", "http://meet.example/x", "meet.example"])
def test_a_video_link_must_be_a_real_https_address(link):
    supporter = UserFactory(supporter=True)
    with pytest.raises(DomainError, match="https://") as raised:
        save_profile(supporter=supporter, video_link=link)
    assert raised.value.field == "video_link"
    assert save_profile(supporter=supporter, video_link="https://meet.example/frontline").video_link


def test_a_debrief_form_key_used_by_someone_else_is_a_message_not_a_crash():
    first, second = UserFactory(), UserFactory()
    details = {"urgency": Urgency.THIS_WEEK, "kind": None, "note": "", "contact_method": ContactMethod.PHONE,
               "contact_detail": "01234 567890", "idempotency_key": "copied-form-key"}
    create_request(requester=first, **details)
    with pytest.raises(Conflict, match="already sent"):
        create_request(requester=second, **details)
