"""HR's award schemes: created and changed through the service, with every mistake named next to its field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.awards.scheme_services import CategoryDetails, SchemeDetails, create_scheme, update_scheme
from portal.common.audit import AuditEvent
from portal.common.errors import DomainError
from portal.extensions import db
from portal.notifications.models import Job
from tests.awards.factories import make_scheme, nominate, panel_member
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def scheme_details(**overrides) -> SchemeDetails:
    today = date.today()
    values = dict(name="Patient Experience Awards 2026", description="", opens_on=today, closes_on=today
                  + timedelta(days=30), decision_due_on=today + timedelta(days=45), needs_manager_endorsement=True,
                  is_blind_review=True, needs_publicity_consent=True,
                  categories=[CategoryDetails("Quiet achiever", "What did they do?\nWho noticed?")],
                  panel_member_ids=[panel_member().id])
    values.update(overrides)
    return SchemeDetails(**values)


def test_hr_creates_a_scheme_with_categories_panel_jobs_and_an_audit_event():
    hr = UserFactory(hr=True)
    scheme = create_scheme(details=scheme_details(), actor=hr)
    assert [c.name for c in scheme.categories] == ["Quiet achiever"]
    assert scheme.categories[0].criteria_list == ["What did they do?", "Who noticed?"]
    assert len(scheme.panel_rows) == 1
    kinds = set(db.session.scalars(select(Job.kind).where(Job.dedupe_key.startswith(f"awards:scheme:{scheme.id}:"))))
    assert kinds == {"awards.panel_reminder", "awards.escalate_overdue"}
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "awards.scheme_created")) == 1


@pytest.mark.parametrize(("overrides", "field", "words"), [
    (lambda t: {"closes_on": t - timedelta(days=1)}, "closes_on", "on or after the opening date"),
    (lambda t: {"decision_due_on": t + timedelta(days=1)}, "decision_due_on", "on or after the closing date"),
    (lambda t: {"categories": []}, "category_1_name", "at least one category"),
    (lambda t: {"panel_member_ids": []}, "panel", "at least one panel member"),
    (lambda t: {"panel_member_ids": [UserFactory().id]}, "panel", "award panel role"),
    (lambda t: {"categories": [CategoryDetails("A", "x"), CategoryDetails("a", "y")]}, "category_1_name",
     "different name"),
])
def test_scheme_mistakes_are_named_next_to_their_field(overrides, field, words):
    with pytest.raises(DomainError) as caught:
        create_scheme(details=scheme_details(**overrides(date.today())), actor=UserFactory(hr=True))
    assert caught.value.field == field
    assert words in caught.value.message


def test_a_category_with_nominations_cannot_be_removed_but_can_be_renamed():
    member = panel_member()
    scheme = make_scheme(panel=[member], categories=[("One", "Why?"), ("Two", "Why?")])
    nominate(scheme, category=scheme.categories[1])
    details = scheme_details(panel_member_ids=[member.id], categories=[CategoryDetails("Renamed", "Why?")])
    with pytest.raises(DomainError, match="already has nominations"):
        update_scheme(scheme=scheme, details=details, actor=UserFactory(hr=True))
    details.categories = [CategoryDetails("One", "Why?"), CategoryDetails("Two, renamed", "Why?")]
    update_scheme(scheme=scheme, details=details, actor=UserFactory(hr=True))
    assert [c.name for c in scheme.categories] == ["One", "Two, renamed"]
