"""Periodic jobs run once per period and catch up after downtime: a job's period, and the schedule's progress.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

Jobs that used to reschedule themselves (the monthly summary, the retention sweeps) are cancelled where still
pending: the schedule now creates one job per period for them. A monthly summary still waiting to go out on the
1st becomes the job for the month it is about, so an upgrade on the morning of the 1st loses nothing.
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MONTHLY = "recognition.monthly_summary"
SUPERSEDED = (MONTHLY, "support.retention", "debriefs.retention", "mentoring.retention")


def upgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period", sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_job_kind_period"), ["kind", "period"])
    op.create_table(
        "job_schedule",
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("last_period", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_job_schedule")),
    )
    job = sa.table("job", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("status", sa.String),
                   sa.column("run_at", sa.DateTime(timezone=True)), sa.column("period", sa.String),
                   sa.column("payload", sa.JSON), sa.column("dedupe_key", sa.String))
    _keep_a_pending_summary(job)
    op.execute(job.update().where(job.c.kind.in_(SUPERSEDED), job.c.status == "pending", job.c.period.is_(None))
               .values(status="cancelled"))


def _keep_a_pending_summary(job) -> None:
    """The old daily job ran on every day and acted on the 1st: a pending one for a 1st covers the month before."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(job.c.id, job.c.run_at).where(job.c.kind == MONTHLY, job.c.status == "pending"))
    for job_id, run_at in rows.all():
        when = run_at if isinstance(run_at, datetime) else datetime.fromisoformat(str(run_at))
        if when.day != 1:
            continue
        year, month = (when.year, when.month - 1) if when.month > 1 else (when.year - 1, 12)
        period = f"{year:04d}-{month:02d}"
        bind.execute(job.update().where(job.c.id == job_id).values(
            period=period, payload={"period": period}, dedupe_key=f"{MONTHLY}:{period}"))
        schedule = sa.table("job_schedule", sa.column("kind", sa.String), sa.column("last_period", sa.String),
                            sa.column("updated_at", sa.DateTime(timezone=True)))
        bind.execute(schedule.insert().values(kind=MONTHLY, last_period=period, updated_at=when))


def downgrade():
    op.drop_table("job_schedule")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_job_kind_period"), type_="unique")
        batch_op.drop_column("period")
