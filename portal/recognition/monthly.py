"""The monthly summary to line managers: how their team was thanked last month, so thanks reach the people who
write appraisals and nobody's good work goes unnoticed. Counts per person, never a ranking."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from portal.notifications.kinds import notification_kind
from portal.notifications.models import Channel
from portal.notifications.schedule import Every, Periodic
from portal.notifications.services import notify
from portal.recognition.models import Post, PostRecipient
from portal.recognition.services import RECOGNITION

LONDON = ZoneInfo("Europe/London")
MONTHLY_JOB = "recognition.monthly_summary"
MONTHLY = notification_kind(MONTHLY_JOB, _l("A monthly summary of the thanks your team received"),
                            default=Channel.EMAIL, group=RECOGNITION, scheduled=True)


SCHEDULE = Periodic(MONTHLY_JOB, every=Every.MONTH, hour=7,
                    description="Monthly summary of thanks to line managers (1st of the month, 07:00)")


def month_bounds(period: str) -> tuple[datetime, datetime]:
    """The London calendar month ``period`` ("2026-11") as UTC-aware bounds [start, end)."""
    year, month = map(int, period.split("-"))
    start = datetime(year, month, 1, tzinfo=LONDON)
    end = datetime(year + (month == 12), 1 if month == 12 else month + 1, 1, tzinfo=LONDON)
    return start, end


def send_monthly_summaries(payload: dict, now: datetime) -> None:
    """The month's job (``payload["period"]``): tells each line manager about the thanks their reports got in that
    month — whenever the worker gets to it, so a summary held up by downtime is still about the right month."""
    start, end = month_bounds(payload["period"])
    rows = db.session.execute(
        select(User.manager_id, User.id, User.display_name, func.count(func.distinct(Post.id)))
        .join(PostRecipient, PostRecipient.user_id == User.id)
        .join(Post, Post.id == PostRecipient.post_id)
        .where(User.manager_id.is_not(None), Post.created_at >= start, Post.created_at < end,
               Post.withdrawn_at.is_(None), Post.hidden_at.is_(None))
        .group_by(User.manager_id, User.id, User.display_name)
        .order_by(User.manager_id, User.display_name)
    ).all()
    by_manager: dict[int, list[tuple[int, str, int]]] = {}
    for manager_id, person_id, name, count in rows:
        by_manager.setdefault(manager_id, []).append((person_id, name, count))
    managers = {m.id: m for m in db.session.scalars(select(User).where(User.id.in_(by_manager)))}
    month = LazyString(lambda: format_date(start, "MMMM yyyy"))  # in the recipient's language
    for manager_id, people in by_manager.items():
        manager = managers[manager_id]
        if not manager.is_active_account:
            continue
        names = LazyString(lambda people=people: "; ".join(f"{name} ({count})" for _, name, count in people))
        notify(recipient=manager, kind=MONTHLY_JOB, url=f"/thanks/people/{people[0][0]}",
               subject=_l("How your team was thanked in %(month)s", month=month),
               body=_l("Thanked in %(month)s: %(names)s. Open each person's recognition page to read the words, "
                       "and mention them at your next one-to-one.", month=month, names=names))


# What register() hands the worker: job kind → handler, and the schedule it runs on.
JOBS = {MONTHLY_JOB: send_monthly_summaries}
PERIODIC = [SCHEDULE]
