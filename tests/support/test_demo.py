from sqlalchemy import func, select

from portal.demo.services import load_demo_organisation
from portal.extensions import db
from portal.support.demo import load_demo
from portal.support.models import Booking, BookingStatus, SupporterProfile, WeeklyHours


def test_demo_support_loads_once(app_ctx):
    people = load_demo_organisation()
    load_demo(people)
    load_demo(people)  # idempotent
    assert db.session.scalar(select(func.count()).select_from(SupporterProfile)) == 7
    assert db.session.scalar(select(func.count()).select_from(WeeklyHours)) >= 7
    statuses = set(db.session.scalars(select(Booking.status)))
    assert BookingStatus.ATTENDED in statuses and statuses & {BookingStatus.CONFIRMED, BookingStatus.REQUESTED}
