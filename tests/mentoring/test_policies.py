"""Who may ask, see, answer and act on mentoring, and which sections a page shows — without HTTP. (The basic
state-and-people walk is in tests/debriefs/test_policies.py.)"""

import pytest
from flask_login import AnonymousUserMixin

from portal.common.roles import Role
from portal.extensions import db
from portal.mentoring import policies
from portal.mentoring.models import EndReason
from portal.mentoring.queries import mentor_profile
from portal.mentoring.services import accept_request, decline_request, end_mentoring, record_agreement, request_mentor
from portal.support.models import SupporterProfile
from tests.factories import UserFactory
from tests.mentoring.factories import GOALS, mentor

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_anyone_signed_in_may_ask_a_mentor_but_not_themselves():
    m = mentor()
    profile = mentor_profile(m.id)
    assert policies.can_ask(UserFactory(), profile) and policies.can_ask(UserFactory(hr=True), profile)
    assert not policies.can_ask(m, profile)
    assert not policies.can_ask(AnonymousUserMixin(), profile)


def test_only_active_supporters_offering_mentoring_can_be_asked():
    asker = UserFactory()
    bookings_only = UserFactory(supporter=True)
    db.session.add(SupporterProfile(user_id=bookings_only.id, kinds=["clinical_supervision"]))
    former = mentor()
    former.set_roles([Role.STAFF])  # no longer a supporter; the profile stays
    gone = mentor(is_active_account=False)
    db.session.flush()
    for person in (bookings_only, former, gone):
        profile = db.session.get(SupporterProfile, person.id)
        assert not policies.can_ask(asker, profile), person.email
        assert mentor_profile(person.id) is None
    assert mentor_profile(asker.id) is None  # no profile at all


def test_only_the_mentor_answers_and_only_while_it_waits():
    m, mentee, stranger = mentor(), UserFactory(), UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    assert policies.can_act_as_mentor(m, mentoring) and policies.can_answer(m, mentoring)
    assert not any(policies.can_act_as_mentor(u, mentoring) for u in (mentee, stranger))
    decline_request(mentoring=mentoring, mentor=m)
    assert policies.can_act_as_mentor(m, mentoring) and not policies.can_answer(m, mentoring)


@pytest.mark.parametrize("answer", ["declined", "lapsed"])
def test_a_mentee_left_without_a_mentor_is_pointed_at_others(answer):
    from portal.mentoring.services import lapse_request

    m, mentee = mentor(), UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    assert not policies.can_see_other_mentors(mentee, mentoring)
    if answer == "declined":
        decline_request(mentoring=mentoring, mentor=m)
    else:
        assert lapse_request(mentoring=mentoring, now=mentoring.respond_by)
    assert policies.can_see_other_mentors(mentee, mentoring)
    assert not policies.can_see_other_mentors(m, mentoring)


def test_only_the_mentee_of_an_active_mentoring_books_sessions():
    m, mentee = mentor(), UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    accept_request(mentoring=mentoring, mentor=m)
    assert not policies.can_book_session(mentee, mentoring)  # accepted: agree how you will work first
    record_agreement(mentoring=mentoring, actor=m, goals="g", frequency="f", length="l")
    assert policies.can_book_session(mentee, mentoring) and not policies.can_book_session(m, mentoring)
    end_mentoring(mentoring=mentoring, actor=m, reason=EndReason.NO_TIME)
    assert not policies.can_book_session(mentee, mentoring)
    assert not policies.can_end(mentee, mentoring) and not policies.can_agree(m, mentoring)
