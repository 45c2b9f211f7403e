"""Reading mentoring: the mentor list (from supporter profiles), each person's mentoring, counts. HR's figures are
grouped counts in portal/insight/peer_support.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.common.roles import Role
from portal.extensions import db
from portal.mentoring.models import Mentoring, MentoringState, MentorLoad
from portal.support.models import SupporterProfile, SupportKind
from portal.support.queries import supporter_profiles

STOP_WORDS = {"with", "that", "this", "have", "from", "want", "would", "like", "help", "about", "more", "some",
              "what", "when", "into", "your", "their", "them", "they", "been", "being", "much", "also"}


@dataclass(frozen=True)
class MentorCard:
    user: User
    about: str
    experience: str
    capacity: int
    mentees: int
    score: int

    @property
    def has_space(self) -> bool:
        return self.mentees < self.capacity


def offers_mentoring(profile: SupporterProfile) -> bool:
    """The profile of an active supporter who offers mentoring (taking mentees at the moment or not)."""
    user = profile.user
    return (SupportKind.MENTORING.value in (profile.kinds or []) and user.is_active_account
            and user.has_role(Role.SUPPORTER))


def mentor_profile(user_id: int) -> SupporterProfile | None:
    """The supporter profile of an active supporter who offers mentoring, or None."""
    profile = db.session.get(SupporterProfile, user_id)
    return profile if profile is not None and offers_mentoring(profile) else None


def search_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]{3,}", (text or "").lower()) if w not in STOP_WORDS}


def mentors(*, looking_for: str = "", exclude_ids: set[int] = frozenset()) -> list[MentorCard]:
    """Supporters offering mentoring, best match for ``looking_for`` first (a few queries, however many)."""
    profiles = [p for p in supporter_profiles(kind=SupportKind.MENTORING.value) if p.user_id not in exclude_ids]
    loads = dict(db.session.execute(select(MentorLoad.mentor_id, MentorLoad.active_mentees)
                                    .where(MentorLoad.mentor_id.in_([p.user_id for p in profiles]))).all())
    wanted = search_words(looking_for)
    cards = []
    for profile in profiles:
        text = f"{profile.experience} {profile.about}".lower()
        score = sum(1 for word in wanted if word.rstrip("s") in text)
        if wanted and not score:
            continue
        cards.append(MentorCard(user=profile.user, about=profile.about, experience=profile.experience,
                                capacity=profile.mentee_capacity, mentees=loads.get(profile.user_id, 0),
                                score=score))
    cards.sort(key=lambda c: (-c.score, not c.has_space, c.user.display_name.casefold()))
    return cards


def as_mentee(user: User) -> list[Mentoring]:
    return list(db.session.scalars(
        select(Mentoring).where(Mentoring.mentee_id == user.id).options(joinedload(Mentoring.mentor))
        .order_by(Mentoring.created_at.desc(), Mentoring.id.desc()).limit(50)))


def as_mentor(user: User) -> list[Mentoring]:
    return list(db.session.scalars(
        select(Mentoring).where(Mentoring.mentor_id == user.id).options(joinedload(Mentoring.mentee))
        .order_by(Mentoring.created_at.desc(), Mentoring.id.desc()).limit(50)))


def count_to_answer(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Mentoring).where(
        Mentoring.mentor_id == user.id, Mentoring.state == MentoringState.REQUESTED)) or 0
