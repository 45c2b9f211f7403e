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
from portal.notifications.jobs import daily_job
from portal.notifications.kinds import register_kind
from portal.notifications.models import Channel
from portal.notifications.services import notify
from portal.recognition.models import Post, PostRecipient
from portal.recognition.services import RECOGNITION

LONDON = ZoneInfo("Europe/London")
MONTHLY_JOB = "recognition.monthly_summary"
MONTHLY = register_kind(MONTHLY_JOB, _l("A monthly summary of the thanks your team received"),
                        default=Channel.EMAIL, group=RECOGNITION)


def last_month(now: datetime) -> tuple[datetime, datetime]:
    """The previous calendar month in London time, as UTC-aware bounds [start, end)."""
    local = now.astimezone(LONDON)
    end = datetime(local.year, local.month, 1, tzinfo=LONDON)
    start = datetime(end.year - (end.month == 1), 12 if end.month == 1 else end.month - 1, 1, tzinfo=LONDON)
    return start, end


@daily_job(MONTHLY_JOB, hour_utc=7)
def send_monthly_summaries(payload: dict, now: datetime) -> None:
    """Runs every day; on the first of the month, tells each line manager about the thanks their reports got."""
    if now.astimezone(LONDON).day != 1:
        return
    start, end = last_month(now)
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
        notify(recipient=manager, kind=MONTHLY_JOB, url=f"/people/{people[0][0]}/recognition",
               subject=_l("How your team was thanked in %(month)s", month=month),
               body=_l("Thanked last month: %(names)s. Open each person's recognition page to read the words, "
                       "and mention them at your next one-to-one.", names=names))
