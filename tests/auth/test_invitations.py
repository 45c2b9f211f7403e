"""Invitations and password resets without HTTP: the links (hashed, single-use, expiring), the emails they go in,
and what is audit-logged."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.emails import CHOOSE_PASSWORD_PATH
from portal.auth.invitations import (
    LinkNotUsable,
    choose_password,
    request_password_reset,
    send_invitation,
    send_password_reset,
    usable_link,
)
from portal.auth.models import SignInToken, TokenPurpose
from portal.auth.passwords import verify_password
from portal.auth.tokens import find_usable, issue_token, prune_tokens, use_token
from portal.common.audit import AuditEvent
from portal.common.errors import DomainError
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import Job, Notification, OutboundEmail
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
NEW_PASSWORD = "three calm herons"


def link_secret(email: OutboundEmail) -> str:
    start = email.text_body.index(CHOOSE_PASSWORD_PATH) + len(CHOOSE_PASSWORD_PATH)
    return email.text_body[start:].split()[0]


def emails_to(user) -> list[OutboundEmail]:
    return list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.recipient_id == user.id)
                                   .order_by(OutboundEmail.id)))


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def run_reset_job(email: str, ip: str = "198.51.100.7") -> None:
    request_password_reset(email=email, ip=ip)
    job = db.session.scalars(select(Job).where(Job.kind == "auth.password_reset").order_by(Job.id.desc())).first()
    send_password_reset(job.payload, utcnow())


# --- the links -----------------------------------------------------------------------------------------------

def test_only_the_hash_of_a_link_is_stored():
    user = UserFactory()
    secret = issue_token(user=user, purpose=TokenPurpose.INVITATION, valid_for=timedelta(days=7))
    [token] = db.session.scalars(select(SignInToken)).all()
    assert len(secret) >= 43  # 32 random bytes
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.token_hash, str(token.id)}


def test_a_link_works_once():
    user = UserFactory()
    secret = issue_token(user=user, purpose=TokenPurpose.PASSWORD_RESET, valid_for=timedelta(hours=1))
    assert find_usable(secret) is not None
    assert use_token(secret).user == user
    assert use_token(secret) is None
    assert find_usable(secret) is None


def test_a_link_expires():
    user = UserFactory()
    now = utcnow()
    secret = issue_token(user=user, purpose=TokenPurpose.PASSWORD_RESET, valid_for=timedelta(hours=1), now=now)
    assert find_usable(secret, now=now + timedelta(minutes=59)) is not None
    assert find_usable(secret, now=now + timedelta(hours=1)) is None
    assert use_token(secret, now=now + timedelta(hours=1)) is None


@pytest.mark.parametrize("guess", ["", "x", "a" * 43, "a" * 5000, None])
def test_a_guessed_link_finds_nothing(guess):
    issue_token(user=UserFactory(), purpose=TokenPurpose.INVITATION, valid_for=timedelta(days=7))
    assert find_usable(guess) is None and use_token(guess) is None


def test_a_new_link_ends_the_earlier_one_of_the_same_kind():
    user = UserFactory()
    first = issue_token(user=user, purpose=TokenPurpose.INVITATION, valid_for=timedelta(days=7))
    reset = issue_token(user=user, purpose=TokenPurpose.PASSWORD_RESET, valid_for=timedelta(hours=1))
    second = issue_token(user=user, purpose=TokenPurpose.INVITATION, valid_for=timedelta(days=7))
    assert find_usable(first) is None
    assert find_usable(second) is not None and find_usable(reset) is not None


def test_old_links_are_pruned():
    user = UserFactory()
    now = utcnow()
    old = issue_token(user=user, purpose=TokenPurpose.INVITATION, valid_for=timedelta(days=7),
                      now=now - timedelta(days=40))
    fresh = issue_token(user=user, purpose=TokenPurpose.PASSWORD_RESET, valid_for=timedelta(hours=1), now=now)
    assert prune_tokens(older_than=timedelta(days=30), now=now) == 1
    db.session.expire_all()
    remaining = {t.token_hash for t in db.session.scalars(select(SignInToken))}
    assert remaining == {hashlib.sha256(fresh.encode()).hexdigest()}
    assert find_usable(old) is None


# --- invitations ---------------------------------------------------------------------------------------------

def test_an_invitation_is_an_email_with_the_link_and_nothing_in_the_app():
    admin = UserFactory(admin=True, display_name="Sam Okoro")
    priya = UserFactory(display_name="Priya Shah", password_hash=None)
    send_invitation(user=priya, actor=admin)
    [email] = emails_to(priya)
    assert email.kind == "account.invitation" and email.subject == "You have been invited to Frontline"
    assert "Sam Okoro has added you to Frontline." in email.text_body
    assert "http://127.0.0.1:5000/password/new/" in email.text_body and link_secret(email) in email.html_body
    assert db.session.scalars(select(Notification).where(Notification.recipient_id == priya.id)).all() == []
    [event] = audit("auth.invitation_sent")
    assert (event.actor_id, event.target_id) == (admin.id, str(priya.id))


def test_a_deactivated_person_is_not_invited():
    with pytest.raises(DomainError, match="deactivated"):
        send_invitation(user=UserFactory(is_active_account=False), actor=UserFactory(admin=True))


def test_choosing_a_password_from_an_invitation():
    priya = UserFactory(password_hash=None, must_change_password=True)
    send_invitation(user=priya, actor=None)
    old_session = priya.session_token
    user = choose_password(secret=link_secret(emails_to(priya)[0]), new_password=NEW_PASSWORD)
    assert user == priya
    assert verify_password(priya.password_hash, NEW_PASSWORD) and not priya.must_change_password
    assert priya.session_token != old_session  # every other session ends
    assert [e.target_id for e in audit("auth.invitation_accepted")] == [str(priya.id)]
    [notice] = db.session.scalars(select(Notification).where(Notification.recipient_id == priya.id)).all()
    assert notice.subject == "Your Frontline password has been set" and "/password/new" not in notice.body


def test_a_password_that_breaks_the_rules_keeps_the_link_usable():
    priya = UserFactory(password_hash=None)
    send_invitation(user=priya, actor=None)
    secret = link_secret(emails_to(priya)[0])
    with pytest.raises(DomainError, match="at least 10"):
        choose_password(secret=secret, new_password="short")
    assert usable_link(secret) is not None


def test_a_used_link_cannot_set_the_password_again():
    priya = UserFactory(password_hash=None)
    send_invitation(user=priya, actor=None)
    secret = link_secret(emails_to(priya)[0])
    choose_password(secret=secret, new_password=NEW_PASSWORD)
    with pytest.raises(LinkNotUsable):
        choose_password(secret=secret, new_password="another calm heron")
    assert verify_password(priya.password_hash, NEW_PASSWORD)


def test_using_one_link_ends_the_persons_other_links():
    priya = UserFactory()
    send_invitation(user=priya, actor=None)
    invitation = link_secret(emails_to(priya)[0])
    run_reset_job(priya.email)
    reset = link_secret(emails_to(priya)[1])
    choose_password(secret=reset, new_password=NEW_PASSWORD)
    assert usable_link(invitation) is None


def test_a_link_of_someone_deactivated_since_does_not_work():
    priya = UserFactory(password_hash=None)
    send_invitation(user=priya, actor=None)
    secret = link_secret(emails_to(priya)[0])
    priya.is_active_account = False
    assert usable_link(secret) is None
    with pytest.raises(LinkNotUsable):
        choose_password(secret=secret, new_password=NEW_PASSWORD)


# --- resets ---------------------------------------------------------------------------------------------------

def test_asking_for_a_reset_only_schedules_a_job_whoever_asks():
    """The request writes the same thing for an address with an account and one without."""
    UserFactory(email="priya.shah@example.nhs.uk")
    request_password_reset(email=" Priya.Shah@Example.nhs.uk ", ip="198.51.100.7")
    request_password_reset(email="nobody@example.nhs.uk", ip="198.51.100.7")
    jobs = db.session.scalars(select(Job).where(Job.kind == "auth.password_reset").order_by(Job.id)).all()
    assert [job.payload for job in jobs] == [{"email": "priya.shah@example.nhs.uk", "ip": "198.51.100.7"},
                                             {"email": "nobody@example.nhs.uk", "ip": "198.51.100.7"}]
    assert db.session.scalars(select(OutboundEmail)).all() == []
    assert db.session.scalars(select(SignInToken)).all() == []


def test_text_that_is_not_an_address_is_refused():
    with pytest.raises(DomainError) as refused:
        request_password_reset(email="not an address", ip=None)
    assert refused.value.field == "email"


def test_the_job_emails_the_link_and_audits_the_request():
    priya = UserFactory(email="priya.shah@example.nhs.uk")
    run_reset_job("priya.shah@example.nhs.uk")
    [email] = emails_to(priya)
    assert email.kind == "account.password_reset" and email.subject == "Reset your Frontline password"
    assert "The link works once, until" in email.text_body
    [event] = audit("auth.password_reset_requested")
    assert event.details == {"outcome": "link_sent", "from_ip": "198.51.100.7"}
    user = choose_password(secret=link_secret(email), new_password=NEW_PASSWORD)
    assert user == priya and verify_password(priya.password_hash, NEW_PASSWORD)
    assert not verify_password(priya.password_hash, DEFAULT_PASSWORD)
    assert [e.target_id for e in audit("auth.password_reset")] == [str(priya.id)]


@pytest.mark.parametrize(("case", "details"), [
    ("unknown", {"outcome": "nothing_sent", "reason": "no_account", "email_domain": "example.nhs.uk",
                 "from_ip": "198.51.100.7"}),
    ("deactivated", {"outcome": "nothing_sent", "reason": "deactivated", "from_ip": "198.51.100.7"}),
])
def test_nothing_is_sent_for_an_unknown_or_deactivated_address(case, details):
    UserFactory(email="gone@example.nhs.uk", is_active_account=False)
    run_reset_job("nobody@example.nhs.uk" if case == "unknown" else "gone@example.nhs.uk")
    assert db.session.scalars(select(OutboundEmail)).all() == []
    [event] = audit("auth.password_reset_requested")
    assert event.details == details


def test_someone_who_signs_in_with_the_directory_is_told_where_to_change_it():
    person = UserFactory(password_hash=None, directory_id="5f0c7e0a-0000-4000-8000-000000000001")
    run_reset_job(person.email)
    [email] = emails_to(person)
    assert email.subject == "Resetting your Frontline password"
    assert "/password/new/" not in email.text_body and "IT service desk" in email.text_body
    assert db.session.scalars(select(SignInToken)).all() == []
