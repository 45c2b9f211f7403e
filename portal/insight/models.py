"""Insight owns no tables: it reads recognition, awards and peer support with grouped counts. These are the indexes
its filters need on those tables that the owning features did not already have (migration 0012 creates them).
They are declared here, next to the queries that use them, so autogenerate and the migration agree.

Already indexed elsewhere: thank-yous by (kind, created_at), recipients by unit and person, nominations by
created_at and the duplicate key, mentoring by created_at, people by unit and manager, audit events by action.
"""

from __future__ import annotations

from sqlalchemy import Index

from portal.awards.models import Nomination
from portal.debriefs.models import DebriefRequest
from portal.mentoring.models import Mentoring
from portal.support.models import Booking

# Nominations "for this unit": the nominee's unit at the time.
NOMINATION_NOMINEE_UNIT = Index("ix_nomination_nominee_unit_id", Nomination.__table__.c.nominee_unit_id)
# Sessions per month: the session's start.
BOOKING_STARTS = Index("ix_support_booking_starts_at", Booking.__table__.c.starts_at)
# De-brief requests per month of asking (the existing index starts with the state).
DEBRIEF_CREATED = Index("ix_debrief_request_created_at", DebriefRequest.__table__.c.created_at)
# Mentoring started (accepted) and ended per month.
MENTORING_DECIDED = Index("ix_mentoring_decided_at", Mentoring.__table__.c.decided_at)
MENTORING_ENDED = Index("ix_mentoring_ended_at", Mentoring.__table__.c.ended_at)
