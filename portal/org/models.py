"""Organisation units: a tree of any depth stored as a materialized path.

``path`` holds the ids from the root down to and including this unit, e.g. ``/1/5/12/``. "This unit and everything
beneath it" is one indexed prefix match (``path LIKE '/1/5/%'``), ancestors are read straight off the path, and a
move rewrites the paths of one subtree. We chose this over a closure table because Frontline reads subtrees on
almost every page (walls, queues, exports) and re-parents units rarely; a closure table costs a row per
ancestor-descendant pair and a join on every read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import utcnow
from portal.extensions import db


class Unit(db.Model):
    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        # text_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' under any collation.
        Index("ix_unit_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r}>"
