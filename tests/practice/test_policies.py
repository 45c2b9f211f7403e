"""Who may see and do what with practice notes: readers, authors, champions of the note's area and of other
areas, and the state each button needs."""

import pytest

from portal.extensions import db
from portal.practice import policies
from portal.practice.models import NoteState
from portal.practice.reactions import add_comment
from portal.practice.thanks import propose_from_thanks
from tests.factories import UnitFactory, UserFactory
from tests.practice.factories import area, pending, published, write
from tests.recognition.factories import thank

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_published_notes_are_for_everyone_signed_in_and_drafts_for_their_author():
    a = area()
    note, draft = published(a), write(a.staff, submit=False)
    stranger = UserFactory()
    assert policies.can_view(stranger, note)
    assert policies.can_view(a.staff, draft)
    assert not policies.can_view(stranger, draft) and not policies.can_view(a.champion, draft)
    assert not policies.can_moderate(a.champion, draft)


@pytest.mark.parametrize("state", [NoteState.PENDING, NoteState.CHANGES_REQUESTED, NoteState.HIDDEN,
                                   NoteState.REJECTED])
def test_unpublished_notes_are_for_the_author_and_the_champions_of_the_area(state):
    a = area()
    note = pending(a)
    note.state = state
    db.session.flush()
    assert policies.can_view(a.staff, note) and policies.can_view(a.champion, note)
    assert policies.can_view(a.north_champion, note)
    outsider_champion = UserFactory(champion=True, unit=UnitFactory(name="Elsewhere"))
    assert not policies.can_view(outsider_champion, note)
    assert not policies.can_view(a.colleague, note)


@pytest.mark.parametrize("state", [NoteState.SUPERSEDED, NoteState.ARCHIVED])
def test_superseded_and_archived_notes_stay_readable(state):
    a = area()
    note = published(a)
    note.state = state
    db.session.flush()
    assert policies.can_view(a.colleague, note)
    assert not policies.can_react(a.colleague, note) and not policies.can_flag(a.colleague, note)


def test_a_champion_moderates_their_unit_and_beneath_never_above_or_beside():
    a = area()
    from_south = write(a.colleague)
    assert policies.can_moderate(a.champion, from_south)  # PALS takes in South
    assert not policies.can_moderate(a.north_champion, from_south)  # North is beside South
    from_pals = write(UserFactory(unit=a.pals))
    assert not policies.can_moderate(a.north_champion, from_pals)  # PALS is above North
    assert not policies.can_moderate(a.staff, from_south)  # staff moderate nothing


def test_buttons_follow_the_state():
    a = area()
    note = pending(a)
    assert policies.can_approve(a.champion, note) and not policies.can_approve(a.staff, note)
    assert policies.can_edit(a.staff, note) and policies.can_edit(a.champion, note)
    assert not policies.can_submit(a.staff, note)
    assert not policies.can_curate(a.champion, note) and not policies.can_hide(a.champion, note)
    note.state = NoteState.PUBLISHED
    db.session.flush()
    assert policies.can_curate(a.champion, note) and policies.can_hide(a.champion, note)
    assert policies.can_archive(a.champion, note) and policies.can_review_flags(a.champion, note)
    assert not policies.can_restore(a.champion, note)
    assert policies.can_mark_useful(a.colleague, note) and not policies.can_mark_useful(a.staff, note)
    assert policies.can_flag(a.colleague, note) and not policies.can_flag(a.staff, note)
    note.state = NoteState.REJECTED
    db.session.flush()
    assert not policies.can_edit(a.staff, note) and not policies.can_edit(a.champion, note)
    assert policies.can_open_editor(a.staff, note)


def test_only_the_author_and_the_moderators_read_a_decision():
    a = area()
    note = pending(a)
    assert not policies.can_see_decision(a.staff, note)  # no reason given yet
    note.decision_reason = "Say which form."
    db.session.flush()
    assert policies.can_see_decision(a.staff, note) and policies.can_see_decision(a.champion, note)
    assert not policies.can_see_decision(a.colleague, note)


def test_personal_data_clearing_needs_a_live_flag():
    a = area()
    note = write(a.staff, body_source="Call 07700 900123", confirm=True)
    assert policies.can_clear_personal_data(a.champion, note)
    assert not policies.can_clear_personal_data(a.staff, note)
    clean = pending(a)
    assert not policies.can_clear_personal_data(a.champion, clean)


def test_comments_hidden_comments_and_reports():
    a = area()
    note = published(a)
    comment = add_comment(note=note, author=a.colleague, body="Useful, thank you.")
    assert policies.can_report_comment(a.staff, comment) and not policies.can_report_comment(a.colleague, comment)
    assert policies.can_hide_comment(a.champion, comment) and not policies.can_hide_comment(a.staff, comment)
    comment.hidden_at = note.published_at
    db.session.flush()
    assert policies.can_see_comment(a.colleague, comment) and policies.can_see_comment(a.champion, comment)
    assert not policies.can_see_comment(a.staff, comment) and not policies.can_view_comment(a.staff, comment)


def test_from_thanks_needs_a_champion_a_public_thank_you_in_their_area_with_learning():
    a = area()
    with_learning = thank(a.colleague, a.staff, learning="Walk people over.")
    without = thank(a.colleague, a.staff)
    assert policies.can_propose_from_thanks(a.champion, with_learning)
    assert policies.can_consider_thanks(a.champion, without) and not policies.can_propose_from_thanks(a.champion,
                                                                                                        without)
    assert not policies.can_propose_from_thanks(a.staff, with_learning)
    elsewhere = UserFactory(champion=True, unit=UnitFactory(name="Elsewhere"))
    assert not policies.can_propose_from_thanks(elsewhere, with_learning)
    proposal = propose_from_thanks(post=with_learning, champion=a.champion)
    assert policies.can_see_proposal(a.staff, proposal) and policies.can_see_proposal(a.colleague, proposal)
    assert policies.can_answer_proposal(a.staff, proposal) and not policies.can_answer_proposal(a.champion, proposal)
    assert not policies.can_see_proposal(UserFactory(), proposal)
    assert not policies.can_finish_draft(a.champion, proposal)
