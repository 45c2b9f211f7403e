"""Writing and moderating notes through the services: every transition, every wrong state, who is told, what is
audited, revisions, the personal-data guard's hold on publishing, and the cascade."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import Notification
from portal.practice import cascade, moderation
from portal.practice.models import FlagReason, Note, NoteState, Revision
from portal.practice.reactions import add_comment, flag_note, report_comment, set_useful
from portal.practice.services import create_note, edit_note, parse_tags, submit_note
from tests.factories import UserFactory
from tests.practice.factories import area, content, pending, published, write

pytestmark = pytest.mark.usefixtures("app_ctx")


def actions(note) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "practice_note",
                                                                   AuditEvent.target_id == str(note.id))
                                   .order_by(AuditEvent.id)))


def told(person) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == person.id)
                                   .order_by(Notification.id)))


# --- writing -----------------------------------------------------------------------------------------------------

def test_a_staff_note_waits_and_the_champions_of_its_area_are_told():
    a = area()
    note = pending(a)
    assert note.state == NoteState.PENDING and note.submitted_at is not None
    assert any("waiting for you" in s for s in told(a.champion))
    assert any("waiting for you" in s for s in told(a.north_champion))
    assert told(a.colleague) == []
    assert actions(note) == ["practice.note_created", "practice.note_submitted"]


def test_a_champions_note_is_published_at_once_with_a_review_date():
    a = area()
    note = write(a.champion)
    assert note.state == NoteState.PUBLISHED
    assert note.review_due_at - note.published_at == timedelta(days=365)
    assert db.session.scalar(select(Revision.was_published).where(Revision.note_id == note.id)) is True


def test_a_draft_stays_private_until_sent():
    a = area()
    note = write(a.staff, submit=False)
    assert note.state == NoteState.DRAFT
    submit_note(note=note, author=a.staff)
    assert note.state == NoteState.PENDING
    with pytest.raises(InvalidTransition):
        submit_note(note=note, author=a.staff)  # already sent
    with pytest.raises(InvalidTransition):
        submit_note(note=write(a.staff, submit=False), author=a.colleague)  # not theirs


def test_the_same_form_twice_makes_one_note():
    a = area()
    first = create_note(author=a.staff, content=content(a.north), submit=True, idempotency_key="k" * 32)
    again = create_note(author=a.staff, content=content(a.north), submit=True, idempotency_key="k" * 32)
    assert first.id == again.id
    assert db.session.scalar(select(db.func.count(Note.id)).where(Note.author_id == a.staff.id)) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "Enter a title"), ("summary", " ", "Enter a one-line summary"), ("body_source", "", "Write the note"),
    ("title", "x" * 121, "120 characters or fewer"), ("summary", "x" * 201, "200 characters or fewer"),
    ("body_source", "x" * 20001, "20000 characters or fewer"), ("tips", "x" * 2001, "2000 characters or fewer"),
])
def test_every_field_has_its_limits(field, value, message):
    a = area()
    with pytest.raises(DomainError) as refused:
        create_note(author=a.staff, content=content(a.north, **{field: value}), submit=True)
    assert refused.value.field == field and message in refused.value.message


def test_a_note_needs_a_unit_that_exists():
    a = area()
    with pytest.raises(DomainError) as refused:
        create_note(author=a.staff, content=content(a.north, unit_id=None), submit=True)
    assert refused.value.field == "unit"


def test_tags_are_normalised_and_checked():
    assert parse_tags(" Bereavement ,  warm   HANDOVER,bereavement,") == ["bereavement", "warm handover"]
    assert parse_tags("ｓｃｒｉｐｔｓ") == ["scripts"]  # full-width letters become plain ones
    for bad in ("<script>", "a\u202eb", "javascript:alert(1)", "x" * 41, ",".join(f"t{n}" for n in range(9))):
        with pytest.raises(DomainError):
            parse_tags(bad)


def test_every_edit_is_a_revision_and_a_stale_edit_is_refused():
    a = area()
    note = write(a.staff, submit=False)
    edit_note(note=note, editor=a.staff, content=content(a.north, title="Warm handovers, version two"),
              version=note.version)
    assert note.version == 2 and note.title == "Warm handovers, version two"
    numbers = list(db.session.scalars(select(Revision.number).where(Revision.note_id == note.id)))
    assert numbers == [1, 2]
    with pytest.raises(Conflict):  # someone saved version 2 already
        edit_note(note=note, editor=a.staff, content=content(a.north), version=1)


def test_a_staff_authors_change_to_a_published_note_goes_back_to_a_champion():
    a = area()
    note = published(a)
    edit_note(note=note, editor=a.staff, content=content(a.north, summary="Now with a map."), version=note.version)
    assert note.state == NoteState.PENDING


def test_a_moderators_change_to_a_published_note_keeps_it_published():
    a = area()
    note = published(a)
    edit_note(note=note, editor=a.champion, content=content(a.north, summary="Tidied."), version=note.version)
    assert note.state == NoteState.PUBLISHED


@pytest.mark.parametrize("state", [NoteState.REJECTED, NoteState.ARCHIVED, NoteState.HIDDEN, NoteState.SUPERSEDED])
def test_notes_that_have_moved_on_cannot_be_edited(state):
    a = area()
    note = published(a)
    note.state = state
    db.session.flush()
    with pytest.raises(InvalidTransition):
        edit_note(note=note, editor=a.staff, content=content(a.north), version=note.version)


# --- the personal-data guard ------------------------------------------------------------------------------------

def test_sending_personal_data_needs_the_author_to_say_they_checked():
    a = area()
    words = "Mrs Jones (NHS number 943 476 5919) was sent home."
    with pytest.raises(DomainError) as refused:
        write(a.staff, body_source=words)
    assert refused.value.field == "confirm_personal_data"
    note = write(a.staff, body_source=words, confirm=True)
    assert note.state == NoteState.PENDING and note.has_live_personal_data_flag
    assert note.personal_data == [{"field": "body_source", "kind": "nhs_number", "start": 22, "end": 34,
                                   "text": "943 476 5919"}]


def test_a_draft_with_personal_data_can_be_saved_without_confirming():
    a = area()
    assert write(a.staff, submit=False, body_source="Call 07700 900123").has_live_personal_data_flag


def test_a_live_flag_blocks_publishing_until_a_champion_clears_it():
    a = area()
    note = write(a.staff, body_source="Email jo.bloggs@example.com for details.", confirm=True)
    with pytest.raises(DomainError) as refused:
        moderation.approve_note(note=note, actor=a.champion)
    assert refused.value.field == "clear_personal_data"
    moderation.clear_personal_data(note=note, actor=a.champion)
    assert not note.has_live_personal_data_flag and note.personal_data_cleared_by_id == a.champion.id
    with pytest.raises(InvalidTransition):
        moderation.clear_personal_data(note=note, actor=a.champion)  # already cleared
    moderation.approve_note(note=note, actor=a.champion)
    assert note.state == NoteState.PUBLISHED
    assert "practice.personal_data_cleared" in actions(note)


def test_approving_can_clear_the_flag_in_the_same_step():
    a = area()
    note = write(a.staff, body_source="Postcode NE1 4ST", confirm=True)
    moderation.approve_note(note=note, actor=a.champion, clear_personal_data=True)
    assert note.state == NoteState.PUBLISHED and note.personal_data_cleared_at is not None


def test_new_findings_after_an_edit_need_clearing_again():
    a = area()
    note = write(a.staff, body_source="Postcode NE1 4ST", confirm=True)
    moderation.clear_personal_data(note=note, actor=a.champion)
    edit_note(note=note, editor=a.staff, content=content(a.north, body_source="Postcode NE1 4ST, phone 07700 900123"),
              version=note.version, confirm_personal_data=True)
    assert note.has_live_personal_data_flag


def test_a_champion_author_who_confirms_clears_their_own_flag():
    a = area()
    note = write(a.champion, body_source="Ring 0191 498 0000 and ask for the duty officer.", confirm=True)
    assert note.state == NoteState.PUBLISHED and not note.has_live_personal_data_flag


# --- moderation transitions -------------------------------------------------------------------------------------

def test_approve_tells_the_author_and_is_audited():
    a = area()
    note = pending(a)
    moderation.approve_note(note=note, actor=a.champion)
    assert note.state == NoteState.PUBLISHED and note.decided_by_id == a.champion.id
    assert any("is published" in s for s in told(a.staff))
    assert actions(note)[-1] == "practice.note_approved"


def test_request_changes_then_edit_then_approve():
    a = area()
    note = pending(a)
    moderation.request_changes(note=note, actor=a.champion, reason="Say which form you use.")
    assert note.state == NoteState.CHANGES_REQUESTED and note.decision_reason == "Say which form you use."
    assert any("asked for changes" in s for s in told(a.staff))
    body = db.session.scalar(select(Notification.body).where(Notification.recipient_id == a.staff.id)
                             .order_by(Notification.id.desc()).limit(1))
    assert "Say which form you use." in body
    edit_note(note=note, editor=a.staff, content=content(a.north, body_source="Use form PALS-7."),
              version=note.version, submit=True)
    assert note.state == NoteState.PENDING
    moderation.approve_note(note=note, actor=a.north_champion)
    assert note.state == NoteState.PUBLISHED


def test_reject_with_a_reason():
    a = area()
    note = pending(a)
    with pytest.raises(DomainError):
        moderation.reject_note(note=note, actor=a.champion, reason="  ")
    moderation.reject_note(note=note, actor=a.champion, reason="This is already covered by the handover note.")
    assert note.state == NoteState.REJECTED
    assert any("was not published" in s for s in told(a.staff))


def test_edit_and_approve_saves_the_champions_words_then_publishes():
    a = area()
    note = pending(a)
    moderation.edit_and_approve(note=note, actor=a.champion, content=content(a.north, title="Warm handovers"),
                                version=note.version)
    assert note.state == NoteState.PUBLISHED and note.title == "Warm handovers"
    editors = list(db.session.scalars(select(Revision.editor_id).where(Revision.note_id == note.id)
                                      .order_by(Revision.number)))
    assert editors == [a.staff.id, a.champion.id]


@pytest.mark.parametrize("decide", [
    lambda n, who: moderation.approve_note(note=n, actor=who),
    lambda n, who: moderation.request_changes(note=n, actor=who, reason="More detail"),
    lambda n, who: moderation.reject_note(note=n, actor=who, reason="No"),
])
@pytest.mark.parametrize("state", [NoteState.DRAFT, NoteState.CHANGES_REQUESTED, NoteState.PUBLISHED,
                                   NoteState.REJECTED, NoteState.HIDDEN, NoteState.ARCHIVED, NoteState.SUPERSEDED])
def test_decisions_on_a_note_that_is_not_waiting_are_refused(decide, state):
    a = area()
    note = pending(a)
    note.state = state
    db.session.flush()
    with pytest.raises(InvalidTransition):
        decide(note, a.champion)


def test_a_second_decision_says_who_decided_and_when():
    a = area()
    note = pending(a)
    moderation.approve_note(note=note, actor=a.champion)
    with pytest.raises(InvalidTransition) as refused:
        moderation.reject_note(note=note, actor=a.north_champion, reason="No")
    assert "Already decided by Aisha Rahman at" in refused.value.message
    assert "Published" in refused.value.message


def test_champions_moderate_their_own_subtree_only():
    a = area()
    note = write(a.colleague)  # from the South team: not under the North champion
    for decide in (lambda: moderation.approve_note(note=note, actor=a.north_champion),
                   lambda: moderation.reject_note(note=note, actor=a.north_champion, reason="x"),
                   lambda: moderation.approve_note(note=note, actor=a.staff)):
        with pytest.raises(InvalidTransition):
            decide()
    moderation.approve_note(note=note, actor=a.champion)  # the PALS champion's area takes in South


# --- flags, hiding, keeping -------------------------------------------------------------------------------------

def test_enough_flags_hide_a_note_until_a_champion_looks(app):
    a = area()
    note = published(a)
    readers = [UserFactory() for _ in range(3)]
    flag_note(note=note, reporter=readers[0], reason=FlagReason.OUT_OF_DATE)
    with pytest.raises(Conflict):
        flag_note(note=note, reporter=readers[0], reason=FlagReason.INACCURATE)  # once per person
    flag_note(note=note, reporter=readers[1], reason=FlagReason.INACCURATE)
    assert note.state == NoteState.PUBLISHED and note.open_flag_count == 2
    flag_note(note=note, reporter=readers[2], reason=FlagReason.PERSONAL_DATA)
    assert note.state == NoteState.HIDDEN and note.decision_reason is None
    assert "practice.note_hidden_by_flags" in actions(note)
    moderation.keep_note(note=note, actor=a.champion)
    assert note.state == NoteState.PUBLISHED and note.open_flag_count == 0
    with pytest.raises(InvalidTransition):
        moderation.keep_note(note=note, actor=a.champion)  # nothing open any more


def test_flag_other_needs_words_and_authors_cannot_flag_their_own():
    a = area()
    note = published(a)
    with pytest.raises(DomainError):
        flag_note(note=note, reporter=a.colleague, reason=FlagReason.OTHER)
    with pytest.raises(DomainError):
        flag_note(note=note, reporter=a.colleague, reason="nonsense")
    with pytest.raises(InvalidTransition):
        flag_note(note=note, reporter=a.staff, reason=FlagReason.INACCURATE)


def test_hide_with_a_reason_closes_the_flags_and_tells_the_author():
    a = area()
    note = published(a)
    flag_note(note=note, reporter=a.colleague, reason=FlagReason.INACCURATE)
    moderation.hide_note(note=note, actor=a.champion, reason="The bereavement office moved.")
    assert note.state == NoteState.HIDDEN and note.open_flag_count == 0
    assert any("has been hidden" in s for s in told(a.staff))
    with pytest.raises(InvalidTransition):
        moderation.hide_note(note=note, actor=a.north_champion, reason="Again")  # already hidden by a champion
    moderation.keep_note(note=note, actor=a.north_champion)  # shown again
    assert note.state == NoteState.PUBLISHED


def test_comments_reports_and_their_moderation():
    a = area()
    note = published(a)
    comment = add_comment(note=note, author=a.colleague, body="We do this too.")
    assert any("commented" in s for s in told(a.staff))
    with pytest.raises(InvalidTransition):
        report_comment(comment=comment, reporter=a.colleague, reason="mine")
    report_comment(comment=comment, reporter=a.staff, reason="Names a patient.")
    with pytest.raises(Conflict):
        report_comment(comment=comment, reporter=a.staff, reason="Again")
    moderation.keep_comment(comment=comment, actor=a.champion)
    with pytest.raises(InvalidTransition):
        moderation.keep_comment(comment=comment, actor=a.champion)
    moderation.hide_comment(comment=comment, actor=a.champion, reason="Identifies a caller.")
    assert comment.hidden_at is not None
    with pytest.raises(InvalidTransition) as refused:
        moderation.hide_comment(comment=comment, actor=a.north_champion, reason="Again")
    assert "Aisha Rahman" in refused.value.message
    with pytest.raises(InvalidTransition):
        moderation.hide_comment(comment=comment, actor=UserFactory(champion=True), reason="Not my area")


def test_comments_need_words_within_the_limit_and_a_published_note():
    a = area()
    note = published(a)
    for body in ("", "x" * 1001):
        with pytest.raises(DomainError):
            add_comment(note=note, author=a.colleague, body=body)
    with pytest.raises(InvalidTransition):
        add_comment(note=pending(a), author=a.colleague, body="Early")


def test_useful_is_exact_and_one_per_person():
    a = area()
    note = published(a)
    assert set_useful(note=note, user=a.colleague, useful=True) == 1
    assert set_useful(note=note, user=a.colleague, useful=True) == 1  # a double click
    assert set_useful(note=note, user=a.champion, useful=True) == 2
    assert set_useful(note=note, user=a.colleague, useful=False) == 1
    with pytest.raises(InvalidTransition):
        set_useful(note=note, user=a.staff, useful=True)  # not your own


# --- cascade ----------------------------------------------------------------------------------------------------

def test_feature_to_a_subtree_of_ones_own_area_until_a_date():
    a = area()
    note = published(a)
    today = utcnow().date()
    with pytest.raises(DomainError):
        cascade.feature_note(note=note, actor=a.champion, unit=a.trust, until=today)  # above their area
    with pytest.raises(DomainError):
        cascade.feature_note(note=note, actor=a.champion, unit=a.pals, until=today - timedelta(days=1))
    with pytest.raises(DomainError):
        cascade.feature_note(note=note, actor=a.champion, unit=a.pals, until=today + timedelta(days=400))
    with pytest.raises(DomainError):
        cascade.feature_note(note=note, actor=a.champion, unit=None, until=today)
    feature = cascade.feature_note(note=note, actor=a.champion, unit=a.pals, until=today + timedelta(days=7))
    assert feature.until > utcnow()
    cascade.stop_feature(feature=feature, actor=a.champion)
    with pytest.raises(InvalidTransition):
        cascade.stop_feature(feature=feature, actor=a.champion)


def test_supersede_points_to_a_newer_published_note():
    a = area()
    old, newer = published(a), published(a, title="Warm handovers, 2026")
    with pytest.raises(DomainError):
        cascade.supersede_note(note=old, actor=a.champion, newer=old)
    with pytest.raises(DomainError):
        cascade.supersede_note(note=old, actor=a.champion, newer=pending(a))
    cascade.supersede_note(note=old, actor=a.champion, newer=newer)
    assert old.state == NoteState.SUPERSEDED and old.superseded_by_id == newer.id
    with pytest.raises(InvalidTransition):
        cascade.supersede_note(note=old, actor=a.champion, newer=newer)


def test_reverify_and_archive():
    a = area()
    note = published(a)
    due = note.review_due_at
    later = utcnow() + timedelta(days=400)
    cascade.reverify_note(note=note, actor=a.champion, now=later)
    assert note.review_due_at > due
    with pytest.raises(DomainError):
        cascade.archive_note(note=note, actor=a.champion, reason="")
    cascade.archive_note(note=note, actor=a.champion, reason="The office closed.")
    assert note.state == NoteState.ARCHIVED
    with pytest.raises(InvalidTransition):
        cascade.reverify_note(note=note, actor=a.champion)
    with pytest.raises(InvalidTransition):
        cascade.archive_note(note=note, actor=a.champion, reason="Again")


def test_follow_a_tag_or_a_unit_once():
    a = area()
    first = cascade.follow(user=a.staff, tag=" Bereavement ")
    assert first.tag == "bereavement"
    assert cascade.follow(user=a.staff, tag="bereavement").id == first.id
    assert cascade.follows_tag(a.staff, "BEREAVEMENT")
    unit = cascade.follow(user=a.staff, unit=a.pals)
    assert cascade.follow(user=a.staff, unit=a.pals).id == unit.id
    with pytest.raises(DomainError):
        cascade.follow(user=a.staff, tag="one, two")
    with pytest.raises(InvalidTransition):
        cascade.unfollow(follow_row=first, user=a.colleague)
    cascade.unfollow(follow_row=first, user=a.staff)
    assert not cascade.follows_tag(a.staff, "bereavement")
