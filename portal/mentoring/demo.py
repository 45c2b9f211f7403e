"""Demo mentoring: an active pair with an agreement, a request waiting for an answer, and one that has ended.

Mentors come from the supporter profiles that portal.support.demo creates, so load that first. Idempotent;
flushes, the caller commits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.mentoring.models import EndReason, Mentoring
from portal.mentoring.queries import mentor_profile
from portal.mentoring.services import (
    accept_request,
    end_mentoring,
    record_agreement,
    record_first_check,
    request_mentor,
)


def load_demo(people: dict[str, User]) -> None:
    if db.session.scalar(select(Mentoring.id).limit(1)) is not None:
        return
    by_key = {email.split("@")[0]: user for email, user in people.items()}
    now = utcnow()

    def pair(mentee: str, mentor: str):
        if mentee in by_key and mentor in by_key and mentor_profile(by_key[mentor].id) is not None:
            return by_key[mentee], by_key[mentor]
        return None

    if found := pair("tom.brennan", "kwame.mensah"):
        mentee, mentor = found
        active = request_mentor(mentee=mentee, mentor=mentor, now=now - timedelta(weeks=9),
                                goals="I have been in PALS six months. Complaints calls still throw me, and I want "
                                      "to be ready for a senior officer role next year.")
        accept_request(mentoring=active, mentor=mentor, now=now - timedelta(weeks=9) + timedelta(days=1))
        record_agreement(mentoring=active, actor=mentor, now=now - timedelta(weeks=8),
                         goals="Handling angry complaints calls; writing clear responses; shadowing two "
                               "complaints meetings.", frequency="Every 2 weeks, 45 minutes", length="6 months")
        record_first_check(mentoring=active, actor=mentee, now=now - timedelta(weeks=6),
                           note="Useful. We listened back to one of my calls and found the point it turned.")
    if found := pair("megan.lloyd", "rachel.adeyemi"):
        mentee, mentor = found
        request_mentor(mentee=mentee, mentor=mentor, now=now - timedelta(days=2),
                       goals="Looking after myself when the bereavement calls stack up.")
    if found := pair("kirsty.armstrong", "michelle.charlton"):
        mentee, mentor = found
        ended = request_mentor(mentee=mentee, mentor=mentor, now=now - timedelta(weeks=26),
                               goals="Confidence with difficult conversations about sanctions.")
        accept_request(mentoring=ended, mentor=mentor, now=now - timedelta(weeks=26) + timedelta(days=2))
        record_agreement(mentoring=ended, actor=mentee, now=now - timedelta(weeks=25),
                         goals="Practise explaining sanctions plainly; plan for the hardest conversations.",
                         frequency="Monthly", length="4 months")
        end_mentoring(mentoring=ended, actor=mentee, reason=EndReason.GOALS_MET, now=now - timedelta(weeks=8))
    db.session.flush()
