"""Award schemes, their categories and panels, nominations, co-signatures, panel scores and state history.

A nomination's ``state`` only moves through ``services.py``, with conditional UPDATEs (``WHERE state = :expected``)
so that two people acting at once cannot both succeed. Every move is written to ``nomination_state_change``.
Units at the time of nomination are stored so later fairness signals can be computed without guessing.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.common.roles import Role
from portal.db import Choice, EnumText, utcnow
from portal.extensions import db
from portal.org.models import Unit

LONDON = ZoneInfo("Europe/London")


def today_in_london(now: datetime | None = None) -> date:
    """Schemes open and close on London dates."""
    return (now or utcnow()).astimezone(LONDON).date()


class NominationState(Choice):
    SUBMITTED = "submitted", _l("Waiting for the line manager")
    ENDORSED = "endorsed", _l("Endorsed by the line manager")
    NOT_ENDORSED = "not_endorsed", _l("Not endorsed")
    IN_REVIEW = "in_review", _l("Waiting for the panel")
    AWARDED = "awarded", _l("Awarded")
    NOT_AWARDED = "not_awarded", _l("Not awarded")
    CONVERTED = "converted", _l("Turned into a thank-you")
    WITHDRAWN = "withdrawn", _l("Withdrawn")

    @property
    def tag_colour(self) -> str:
        return STATE_COLOURS[self]


class NominationEvent(Choice):
    """What happened, for a nomination's history. The same values as :class:`NominationState` (a history row's
    ``to_state``), worded as a step in a timeline ("Sent to the panel") rather than as where the nomination is now
    ("Waiting for the panel")."""

    SUBMITTED = "submitted", _l("Nominated")
    ENDORSED = "endorsed", _l("Endorsed by the line manager")
    NOT_ENDORSED = "not_endorsed", _l("Not endorsed by the line manager")
    IN_REVIEW = "in_review", _l("Sent to the panel")
    AWARDED = "awarded", _l("Awarded by the panel")
    NOT_AWARDED = "not_awarded", _l("Not awarded by the panel")
    CONVERTED = "converted", _l("Turned into a thank-you by the panel")
    WITHDRAWN = "withdrawn", _l("Withdrawn by the nominator")


STATE_COLOURS = {
    NominationState.SUBMITTED: "yellow",
    NominationState.ENDORSED: "blue",
    NominationState.NOT_ENDORSED: "grey",
    NominationState.IN_REVIEW: "blue",
    NominationState.AWARDED: "green",
    NominationState.NOT_AWARDED: "grey",
    NominationState.CONVERTED: "green",
    NominationState.WITHDRAWN: "grey",
}
DECIDED_STATES = frozenset({NominationState.AWARDED, NominationState.NOT_AWARDED, NominationState.CONVERTED})
OPEN_STATES = frozenset({NominationState.SUBMITTED, NominationState.ENDORSED, NominationState.IN_REVIEW})


class AwardScheme(db.Model):
    __tablename__ = "award_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date] = mapped_column(index=True)
    decision_due_on: Mapped[date]
    needs_manager_endorsement: Mapped[bool] = mapped_column(default=False)
    is_blind_review: Mapped[bool] = mapped_column(default=True)
    needs_publicity_consent: Mapped[bool] = mapped_column(default=True)
    # How many panel members must have scored a nomination before anyone can record the decision (1: any one).
    decision_quorum: Mapped[int] = mapped_column(default=1, server_default="1")
    # The due date the panel reminder / HR escalation last went out for (keeps the jobs idempotent).
    reminded_for: Mapped[date | None]
    escalated_for: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The "Create an award scheme" form's key: the same form sent twice makes one scheme.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    categories: Mapped[list[AwardCategory]] = relationship(
        back_populates="scheme", order_by="AwardCategory.position", cascade="all, delete-orphan")
    panel_rows: Mapped[list[AwardPanelMember]] = relationship(cascade="all, delete-orphan")

    @property
    def panel_member_ids(self) -> set[int]:
        return {row.user_id for row in self.panel_rows}

    def has_panel_member(self, user: User) -> bool:
        """Sits on this scheme's panel and still holds the panel role (a seat alone is not enough)."""
        return user.has_role(Role.PANEL) and user.id in self.panel_member_ids

    def is_open_on(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on


class AwardCategory(db.Model):
    __tablename__ = "award_category"
    __table_args__ = (UniqueConstraint("scheme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("award_scheme.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # One criterion per line: the nominator answers each, the panel scores each.
    criteria: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    scheme: Mapped[AwardScheme] = relationship(back_populates="categories")

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]


class AwardPanelMember(db.Model):
    __tablename__ = "award_panel_member"

    scheme_id: Mapped[int] = mapped_column(ForeignKey("award_scheme.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)

    # Joined: the scheme page names every panel member without a query each.
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Nomination(db.Model):
    __tablename__ = "nomination"
    __table_args__ = (
        # Exactly one nominee: a person or a team.
        CheckConstraint("(nominee_id IS NULL) <> (team_id IS NULL)", name="one_nominee"),
        Index("ix_nomination_scheme_state", "scheme_id", "state"),
        Index("ix_nomination_duplicate", "scheme_id", "nominator_id", "nominee_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("award_scheme.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("award_category.id"), index=True)
    nominator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    nominee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    # Who must endorse (the nominee's line manager when submitted), if the scheme asks.
    endorser_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    nominator_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    nominee_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    state: Mapped[NominationState] = mapped_column(EnumText(NominationState, 20), default=NominationState.SUBMITTED,
                                                   index=True)
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    endorsement_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # None: not asked (or not needed); True/False: the nominee's answer.
    publicity_consent: Mapped[bool | None]
    announced_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The nomination form's key: the same form sent twice (a double click, a second tab) makes one nomination.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    scheme: Mapped[AwardScheme] = relationship()
    category: Mapped[AwardCategory] = relationship()
    nominator: Mapped[User] = relationship(foreign_keys=[nominator_id])
    nominee: Mapped[User | None] = relationship(foreign_keys=[nominee_id])
    team: Mapped[Unit | None] = relationship(foreign_keys=[team_id])
    endorser: Mapped[User | None] = relationship(foreign_keys=[endorser_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    answers: Mapped[list[NominationAnswer]] = relationship(
        order_by="NominationAnswer.position", cascade="all, delete-orphan")
    cosignatures: Mapped[list[CoSignature]] = relationship(
        order_by="CoSignature.created_at", cascade="all, delete-orphan")
    history: Mapped[list[NominationStateChange]] = relationship(
        order_by="NominationStateChange.id", cascade="all, delete-orphan")

    @property
    def nominee_name(self) -> str:
        return self.nominee.display_name if self.nominee is not None else self.team.name

    def is_about(self, user: User) -> bool:
        """``user`` is the nominee, or a member of the nominated team."""
        if self.nominee_id is not None:
            return self.nominee_id == user.id
        return self.team_id == user.unit_id


class NominationAnswer(db.Model):
    """The nominator's answer to one criterion (the criterion's words are copied: schemes may change later)."""

    __tablename__ = "nomination_answer"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    criterion: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)


class CoSignature(db.Model):
    __tablename__ = "nomination_cosignature"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Joined: a nomination's page names every co-signer without a query each.
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class NominationScore(db.Model):
    """One panel member's score (1–5) for one criterion of one nomination."""

    __tablename__ = "nomination_score"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), primary_key=True)
    panel_member_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    score: Mapped[int]
    scored_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class NominationStateChange(db.Model):
    __tablename__ = "nomination_state_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[NominationState | None] = mapped_column(EnumText(NominationState, 20))
    to_state: Mapped[NominationState] = mapped_column(EnumText(NominationState, 20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)

    @property
    def event(self) -> NominationEvent:
        """How the history names this step."""
        return NominationEvent(self.to_state.value)
