"""Nomination states and their history wording."""

from __future__ import annotations

import pytest

from portal.awards.models import NominationEvent, NominationState
from portal.awards.services import endorse_nomination
from tests.awards.factories import make_scheme, nominate
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_every_state_has_its_words_for_the_history():
    assert [event.value for event in NominationEvent] == [state.value for state in NominationState]


def test_the_history_reads_as_what_happened_while_the_tag_says_where_it_is():
    manager = UserFactory()
    nomination = nominate(make_scheme(endorsement=True), nominee=UserFactory(manager=manager))
    endorse_nomination(nomination=nomination, actor=manager, endorse=True, reason=None)
    assert [change.event.label for change in nomination.history] == [
        "Nominated", "Endorsed by the line manager", "Sent to the panel"]
    assert [change.from_state for change in nomination.history] == [
        None, NominationState.SUBMITTED, NominationState.ENDORSED]
    assert nomination.state is NominationState.IN_REVIEW
    assert (nomination.state.label, nomination.state.tag_colour) == ("Waiting for the panel", "blue")
