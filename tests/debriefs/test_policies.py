"""Who may see and do what: de-briefs and mentoring, without HTTP."""

import pytest

from portal.common.errors import Conflict
from portal.debriefs import policies as debrief
from portal.debriefs.services import claim_request, record_check_in, record_held
from portal.mentoring import policies as mentoring
from portal.mentoring.services import accept_request, record_agreement, record_first_check, request_mentor
from tests.debriefs.factories import ask, on_duty, tree
from tests.factories import UserFactory
from tests.mentoring.factories import GOALS, mentor

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_debrief_policies_follow_the_state_and_the_people():
    t = tree()
    alex, bo = on_duty(t.north), on_duty(t.north)
    requester = UserFactory(unit=t.north)
    hr, admin, elsewhere = UserFactory(hr=True), UserFactory(admin=True), on_duty(t.trust)
    request = ask(requester)
    assert debrief.can_claim(alex, request) and debrief.can_claim(bo, request)
    assert not any(debrief.can_claim(u, request) for u in (requester, hr, admin, elsewhere))
    assert debrief.can_view(requester, request)
    assert not any(debrief.can_view(u, request) for u in (alex, bo, hr, admin))
    claim_request(request=request, supporter=alex)
    assert debrief.can_view(alex, request) and not debrief.can_view(bo, request)
    # Bo may still try (he was told about it); the service tells him who got there first.
    with pytest.raises(Conflict, match="Already claimed by"):
        claim_request(request=request, supporter=bo)
    assert debrief.can_record_held(alex, request) and not debrief.can_record_held(requester, request)
    assert not debrief.can_check_in(alex, request) and not debrief.can_close(alex, request)
    record_held(request=request, supporter=alex)
    assert debrief.can_check_in(alex, request) and not debrief.can_close(alex, request)
    record_check_in(request=request, supporter=alex)
    assert debrief.can_close(alex, request)
    assert not any(debrief.can_close(u, request) for u in (requester, bo, hr, admin))


def test_mentoring_policies_follow_the_state_and_the_people():
    m = mentor()
    mentee, hr, admin, other = UserFactory(), UserFactory(hr=True), UserFactory(admin=True), mentor()
    item = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    assert mentoring.can_answer(m, item) and not mentoring.can_answer(mentee, item)
    assert not any(mentoring.can_view(u, item) for u in (hr, admin, other))
    assert not mentoring.can_agree(mentee, item) and not mentoring.can_end(m, item)
    accept_request(mentoring=item, mentor=m)
    assert not mentoring.can_answer(m, item)
    assert mentoring.can_agree(mentee, item) and mentoring.can_end(mentee, item) and not mentoring.can_check(m, item)
    record_agreement(mentoring=item, actor=m, goals="g", frequency="f", length="l")
    assert mentoring.can_check(mentee, item) and not mentoring.can_check(hr, item)
    record_first_check(mentoring=item, actor=mentee, note="fine")
    assert not mentoring.can_check(m, item)
