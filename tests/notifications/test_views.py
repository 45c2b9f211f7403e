import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import Channel, EmailStatus, Notification, NotificationPreference, OutboundEmail
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
ROLES = "account.roles_changed"


def test_inbox_shows_only_your_own(as_user):
    me, other = UserFactory(), UserFactory()
    notify(recipient=me, kind=ROLES, subject="Yours to read")
    notify(recipient=other, kind=ROLES, subject="Somebody else's")
    page = as_user(me).get("/notifications").get_data(as_text=True)
    assert "Yours to read" in page
    assert "Somebody else" not in page


def test_the_bell_counts_unread_on_every_page(as_user):
    me = UserFactory()
    client = as_user(me)
    assert 'data-testid="bell-count"' not in client.get("/").get_data(as_text=True)
    notify(recipient=me, kind=ROLES, subject="One")
    notify(recipient=me, kind=ROLES, subject="Two")
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="bell-count">2<' in home
    fragment = client.get("/notifications/bell", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith("<a") and ">2<" in fragment and "<html" not in fragment


def test_opening_marks_read_and_goes_to_the_thing(as_user):
    me = UserFactory()
    notification = notify(recipient=me, kind=ROLES, subject="Go there", url="/notifications/preferences")
    response = as_user(me).post(f"/notifications/{notification.id}/open")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notifications/preferences"
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is not None


def test_an_external_url_is_never_followed(as_user):
    me = UserFactory()
    notification = notify(recipient=me, kind=ROLES, subject="Odd", url="https://evil.example/")
    response = as_user(me).post(f"/notifications/{notification.id}/open")
    assert response.headers["Location"] == "/notifications"


def test_someone_elses_notification_is_not_found(as_user):
    theirs = notify(recipient=UserFactory(), kind=ROLES, subject="Private")
    assert as_user(UserFactory()).post(f"/notifications/{theirs.id}/open").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_as_read(as_user):
    me = UserFactory()
    for n in range(3):
        notify(recipient=me, kind=ROLES, subject=f"n{n}")
    response = as_user(me).post("/notifications/read-all")
    assert response.status_code == 303
    assert db.session.scalars(select(Notification).where(Notification.read_at.is_(None))).all() == []


def test_preferences_are_saved(as_user):
    me = UserFactory()
    client = as_user(me)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "When your roles in Frontline change" in page
    assert "always by email, for your security" in page
    response = client.post("/notifications/preferences",
                           data={"kind__account__roles_changed": "digest", "digest_hour": "19"})
    assert response.status_code == 303
    row = db.session.get(NotificationPreference, (me.id, ROLES))
    assert row.channel == Channel.DIGEST
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert '<option selected value="19">' in page


def test_a_monthly_summary_is_not_offered_straight_away_or_in_the_daily_summary(as_user):
    import re

    from portal.notifications.forms import field_name
    from portal.recognition.monthly import MONTHLY

    page = as_user(UserFactory()).get("/notifications/preferences").get_data(as_text=True)
    group = page[page.index(str(MONTHLY.label)):]
    group = group[:group.index("</fieldset>")]
    labels = re.findall(r'<label class="radios__label" for="[^"]+">([^<]+)</label>', group)
    assert labels == ["By email", "Only in Frontline"]
    assert f'name="{field_name(MONTHLY.name)}"' in group


def test_bad_preference_values_are_refused_with_a_message(as_user):
    me = UserFactory()
    response = as_user(me).post("/notifications/preferences",
                                data={"kind__account__roles_changed": "carrier-pigeon", "digest_hour": "25"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.get(NotificationPreference, (me.id, ROLES)) is None


def test_inbox_query_count_does_not_grow_with_notifications(as_user, count_queries):
    me = UserFactory()
    client = as_user(me)
    notify(recipient=me, kind=ROLES, subject="first")
    with count_queries() as few:
        client.get("/notifications")
    for n in range(20):
        notify(recipient=me, kind=ROLES, subject=f"more {n}")
    with count_queries() as many:
        client.get("/notifications")
    assert many.count == few.count


def test_outbox_is_for_admins_and_dead_mail_can_be_retried(as_user):
    notify(recipient=UserFactory(), kind=ROLES, subject="Stuck")
    email = db.session.scalar(select(OutboundEmail))
    email.status = EmailStatus.DEAD
    db.session.flush()
    assert as_user(UserFactory()).get("/admin/emails").status_code == 403
    admin = as_user(UserFactory(admin=True))
    assert "Stuck" in admin.get("/admin/emails?status=dead").get_data(as_text=True)
    assert "Try sending again" in admin.get(f"/admin/emails/{email.id}").get_data(as_text=True)
    assert admin.post(f"/admin/emails/{email.id}/retry").status_code == 303
    db.session.expire_all()
    assert db.session.get(OutboundEmail, email.id).status == EmailStatus.PENDING


def test_all_dead_mail_can_be_retried_at_once(as_user):
    for n in range(3):
        notify(recipient=UserFactory(), kind=ROLES, subject=f"Stuck {n}")
    for email in db.session.scalars(select(OutboundEmail)):
        email.status = EmailStatus.DEAD
    db.session.flush()
    admin = as_user(UserFactory(admin=True))
    assert "Try sending all of these again" in admin.get("/admin/emails?status=dead").get_data(as_text=True)
    assert admin.post("/admin/emails/retry-dead").status_code == 303
    db.session.expire_all()
    assert {e.status for e in db.session.scalars(select(OutboundEmail))} == {EmailStatus.PENDING}


def test_mark_one_as_read_stays_on_the_page(as_user):
    me = UserFactory()
    first = notify(recipient=me, kind=ROLES, subject="First")
    notify(recipient=me, kind=ROLES, subject="Second")
    client = as_user(me)
    fragment = client.post(f"/notifications/{first.id}/read", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'id="notification-{first.id}"' in fragment and "Mark as read" not in fragment
    assert 'hx-swap-oob="true"' in fragment and 'data-testid="bell-count">1<' in fragment  # the bell follows
    assert client.post(f"/notifications/{first.id}/read").status_code == 303  # without JavaScript
    assert as_user(UserFactory()).post(f"/notifications/{first.id}/read").status_code == 404


def test_people_only_choose_for_notifications_that_can_reach_them(app, as_user):
    from flask_babel import lazy_gettext as _l

    from portal.common.features import registry
    from portal.common.roles import Role
    from portal.notifications.kinds import notification_kind

    kinds = registry(app).notification_kinds
    kinds["tests.panel_only"] = notification_kind("tests.panel_only", _l("Panel reminders for the test"),
                                                  for_roles=[Role.PANEL])
    try:
        assert "Panel reminders for the test" not in as_user(UserFactory()).get(
            "/notifications/preferences").get_data(as_text=True)
        assert "Panel reminders for the test" in as_user(UserFactory(panel=True)).get(
            "/notifications/preferences").get_data(as_text=True)
    finally:
        del kinds["tests.panel_only"]


def test_outbox_show_more_appends_rows_for_htmx(app, as_user, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(3):
        notify(recipient=UserFactory(), kind=ROLES, subject=f"Queued {n}")
    admin = as_user(UserFactory(admin=True))
    first = admin.get("/admin/emails").get_data(as_text=True)
    assert "Queued 2" in first and "Queued 1" in first and "Queued 0" not in first
    more = re.search(r'hx-get="([^"]+)"', first.split('class="show-more"')[1]).group(1).replace("&amp;", "&")
    fragment = admin.get(more, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Queued 0" in fragment and "Waiting to send" in fragment and "<html" not in fragment


def test_inbox_show_more_appends_items_for_htmx(app, as_user, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    me = UserFactory()
    for n in range(3):
        notify(recipient=me, kind=ROLES, subject=f"Note {n}")
    client = as_user(me)
    first = client.get("/notifications").get_data(as_text=True)
    assert "Note 2" in first and "Note 0" not in first
    more = re.search(r'hx-get="([^"]+)"', first.split('id="show-more"')[1]).group(1).replace("&amp;", "&")
    fragment = client.get(more, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Note 0" in fragment and "Mark as read" in fragment and "<html" not in fragment
    assert client.get(more).status_code == 200  # the same link without JavaScript: a whole page


def test_the_outbox_filters_by_status_and_shows_it_in_words(as_user):
    notify(recipient=UserFactory(), kind=ROLES, subject="Still waiting")
    notify(recipient=UserFactory(), kind=ROLES, subject="Gave up")
    dead = db.session.scalar(select(OutboundEmail).where(OutboundEmail.subject == "Gave up"))
    dead.status = EmailStatus.DEAD
    db.session.flush()
    admin = as_user(UserFactory(admin=True))
    only_dead = admin.get("/admin/emails?status=dead").get_data(as_text=True)
    assert "Gave up" in only_dead and "Still waiting" not in only_dead
    assert '<option value="dead" selected>Could not send</option>' in only_dead
    for ignored in ("", "nonsense", "DEAD"):  # not a status: every email
        page = admin.get(f"/admin/emails?status={ignored}").get_data(as_text=True)
        assert "Gave up" in page and "Still waiting" in page and "Try sending all of these again" not in page
    detail = admin.get(f"/admin/emails/{dead.id}").get_data(as_text=True)
    assert "Could not send" in detail and "Try sending again" in detail
    waiting = db.session.scalar(select(OutboundEmail).where(OutboundEmail.subject == "Still waiting"))
    detail = admin.get(f"/admin/emails/{waiting.id}").get_data(as_text=True)
    assert "Waiting to send" in detail and "Try sending again" not in detail


def test_retrying_an_email_that_is_not_dead_says_why(as_user):
    notify(recipient=UserFactory(), kind=ROLES, subject="Already queued")
    email = db.session.scalar(select(OutboundEmail))
    admin = as_user(UserFactory(admin=True))
    page = admin.post(f"/admin/emails/{email.id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "Only emails that could not be sent can be retried." in page
    assert "will be sent again in the next minute" not in page
    assert admin.post("/admin/emails/99999/retry").status_code == 404


def test_mark_all_as_read_with_nothing_unread_says_nothing(as_user):
    page = as_user(UserFactory()).post("/notifications/read-all", follow_redirects=True).get_data(as_text=True)
    assert "All your notifications are marked as read." not in page


def test_no_bell_while_a_temporary_password_must_be_changed(as_user):
    me = UserFactory(must_change_password=True)
    notify(recipient=me, kind=ROLES, subject="Waiting")
    page = as_user(me).get("/account/password").get_data(as_text=True)
    assert 'id="bell"' not in page


def test_administrators_see_peer_support_emails_only_as_hidden(as_user):
    from portal.debriefs.services import CLAIMED_KIND

    person = UserFactory(display_name="Priya Shah", email="priya.shah@example.nhs.uk")
    notify(recipient=person, kind=CLAIMED_KIND, subject="Daniel has picked up your de-brief request",
           body="They will get in touch the way you asked.")
    db.session.flush()
    email = db.session.scalar(select(OutboundEmail).where(OutboundEmail.kind == CLAIMED_KIND.name))
    admin = as_user(UserFactory(admin=True))
    for page in (admin.get("/admin/emails").get_data(as_text=True),
                 admin.get(f"/admin/emails/{email.id}").get_data(as_text=True)):
        assert "Peer-support email" in page
        assert "priya.shah@" not in page and "picked up your de-brief" not in page and "get in touch" not in page
