"""From thanks to practice: a champion asks the people in a thank-you whether its "What can we learn?" may become a
practice note; anyone can say no; when everyone has said yes the champion gets a draft to finish."""

import pytest
from sqlalchemy import func, select

from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.notifications.models import Notification
from portal.practice.models import Note, NoteState, ProposalState, ThanksProposal
from tests.factories import UserFactory
from tests.practice.factories import area
from tests.recognition.factories import thank

pytestmark = pytest.mark.usefixtures("app_ctx")
LEARNING = "Walk people over to the bereavement office yourself."


def setting(name: str = "Riverside"):
    a = area(name)
    author = UserFactory(unit=a.south, display_name="Grace Okafor")
    post = thank(author, a.staff, learning=LEARNING)
    return a, author, post


def ask(as_user, a, post) -> ThanksProposal:
    champion = as_user(a.champion)
    page = champion.get(f"/practice/from-thanks/{post.id}").get_data(as_text=True)
    assert "Grace Okafor" in page and "Priya Shah" in page
    assert champion.post(f"/practice/from-thanks/{post.id}").status_code == 303
    assert champion.post(f"/practice/from-thanks/{post.id}").status_code == 303  # a second press asks nobody twice
    return db.session.scalar(select(ThanksProposal).where(ThanksProposal.post_id == post.id))


def asked(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.recipient_id == user.id, Notification.kind == "practice.asked"))


def test_everyone_says_yes_and_the_champion_gets_a_draft(as_user):
    a, author, post = setting()
    proposal = ask(as_user, a, post)
    assert proposal.state == ProposalState.ASKING and asked(author) == 1 and asked(a.staff) == 1
    assert "Thank-yous a champion would like to share" in as_user(author).get("/").get_data(as_text=True)
    assert as_user(author).post(f"/practice/proposals/{proposal.id}/answer", data={"answer": "yes"}).status_code == 303
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.ASKING
    as_user(a.staff).post(f"/practice/proposals/{proposal.id}/answer", data={"answer": "yes"})
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.DRAFTED
    note = db.session.get(Note, proposal.note_id)
    assert note.state == NoteState.DRAFT and note.author_id == a.champion.id and note.from_post_id == post.id
    assert note.title == LEARNING and LEARNING in note.body_source
    assert as_user(a.champion).get(f"/practice/{note.id}/edit").status_code == 200
    assert as_user(author).get(f"/practice/{note.id}").status_code == 404  # a draft: the champion's until published
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "practice.thanks_answered")) == 2


def test_one_no_keeps_it_as_it_is(as_user):
    a, author, post = setting()
    proposal = ask(as_user, a, post)
    as_user(author).post(f"/practice/proposals/{proposal.id}/answer", data={"answer": "no"})
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.DECLINED and proposal.note_id is None
    staff = as_user(a.staff)
    late = staff.post(f"/practice/proposals/{proposal.id}/answer", data={"answer": "yes"})
    assert late.status_code == 303
    assert "This has already been settled" in staff.get(f"/practice/proposals/{proposal.id}").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Note.id)).where(Note.from_post_id == post.id)) == 0


def test_only_the_people_asked_answer_and_an_answer_is_needed(as_user):
    a, author, post = setting()
    proposal = ask(as_user, a, post)
    assert as_user(a.colleague).get(f"/practice/proposals/{proposal.id}").status_code == 404
    assert as_user(a.colleague).post(f"/practice/proposals/{proposal.id}/answer",
                                     data={"answer": "yes"}).status_code == 404
    missing = as_user(author).post(f"/practice/proposals/{proposal.id}/answer", data={})
    assert missing.status_code == 200 and "Choose yes or no" in missing.get_data(as_text=True)


def test_a_thank_you_without_learning_or_outside_the_area_cannot_be_proposed(as_user):
    a, author, _post = setting()
    plain = thank(author, a.staff)
    assert as_user(a.champion).post(f"/practice/from-thanks/{plain.id}").status_code in (303, 404)
    assert db.session.scalar(select(func.count(ThanksProposal.id))) == 0
    elsewhere = area("Elsewhere").champion
    _a, _author, post = setting("Hillside")
    assert as_user(elsewhere).post(f"/practice/from-thanks/{post.id}").status_code in (303, 404)
    assert db.session.scalar(select(func.count(ThanksProposal.id))) == 0
