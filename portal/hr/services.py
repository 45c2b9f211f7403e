"""HR's exports and API tokens: the audit records of every export and API read, and the token lifecycle.

Keyword-only functions with the acting person as a parameter; they flush, the request commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.i18n import when
from portal.db import utcnow
from portal.extensions import db
from portal.hr.filters import ExportFilters
from portal.hr.models import NAME_MAX, TOKEN_DAYS, ApiToken, Scope
from portal.hr.policies import token_hash
from portal.hr.queries import count_by_type

TOKEN_PREFIX = "frontline_hr_"  # noqa: S105 - not a secret: marks a token for secret scanners


def record_export(*, actor: User, filters: ExportFilters, file_format: str) -> int:
    """Count the rows an export will hold and write who exported what (the filters and the count) to the audit
    log, before the first row is sent. Returns the count."""
    rows = sum(count_by_type(filters).values())
    record_event("hr.exported", actor=actor, target_type="recognition", format=file_format, rows=rows,
                 filters=filters.query_args())
    return rows


def record_api_read(*, token: ApiToken, filters: ExportFilters, rows: int, file_format: str,
                    now: datetime | None = None) -> None:
    """An HR system read recognition through ``token``: note when the token was last used, and audit the read
    (on behalf of the person who made the token)."""
    now = now or utcnow()
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                       .execution_options(synchronize_session=False))
    record_event("hr.api_read", actor=token.created_by, target=token, format=file_format, rows=rows,
                 token=token.name, filters=filters.query_args())


def _made_with(actor: User, key: str | None) -> ApiToken | None:
    if not key:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.idempotency_key == key,
                                                    ApiToken.created_by_id == actor.id))


def create_token(*, actor: User, name: str, scopes: set[Scope], days: int, idempotency_key: str | None = None,
                 now: datetime | None = None) -> tuple[ApiToken, str | None]:
    """Make a token and return it with its secret, which is never stored (only its SHA-256) and so can be shown
    once. The same form sent twice returns the first token without a secret (it cannot be shown again).

    Raises DomainError for an empty or long name, no read scope or an expiry Frontline does not offer.
    """
    existing = _made_with(actor, idempotency_key)
    if existing is not None:
        return existing, None
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise DomainError(_("Enter a name of up to %(n)d characters", n=NAME_MAX), field="name")
    if Scope.READ not in scopes:
        raise DomainError(_("A token must at least read recognition rows"), field="scopes")
    if days not in TOKEN_DAYS:
        raise DomainError(_("Choose when the token expires"), field="days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now or utcnow()
    token = ApiToken(name=name, token_hash=token_hash(secret), scopes=" ".join(sorted(s.value for s in scopes)),
                     created_by_id=actor.id, created_by=actor, created_at=now, expires_at=now + timedelta(days=days),
                     idempotency_key=idempotency_key or None)
    try:
        with db.session.begin_nested():
            db.session.add(token)
    except IntegrityError:  # its twin (the same form, sent twice at once) got there first
        twin = _made_with(actor, idempotency_key)
        if twin is None:
            raise Conflict(_("This form was already sent. Go back, reload the page and try again.")) from None
        return twin, None
    record_event("hr.token_created", actor=actor, target=token, name=token.name, scopes=token.scopes,
                 expires_at=token.expires_at.isoformat())
    return token, secret


def revoke_token(*, actor: User, token: ApiToken, now: datetime | None = None) -> None:
    """Stop a token working at once. A second revocation (another tab, another person) is told who did it."""
    done = db.session.execute(update(ApiToken).where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
                              .values(revoked_at=now or utcnow(), revoked_by_id=actor.id)
                              .execution_options(synchronize_session=False))
    db.session.expire(token)
    if done.rowcount != 1:
        raise InvalidTransition(_("Already revoked by %(name)s on %(date)s.", name=token.revoked_by.display_name,
                                  date=when(token.revoked_at)))
    record_event("hr.token_revoked", actor=actor, target=token, name=token.name)
