from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from tests.factories import UserFactory


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login?next=/" in response.headers["Location"]


def test_signed_in_home(app_ctx, as_user):
    user = UserFactory(display_name="Priya Shah")
    response = as_user(user).get("/")
    assert response.status_code == 200
    assert "Hello, Priya" in response.get_data(as_text=True)


def test_isolation_first(app_ctx):
    UserFactory()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_isolation_second_sees_empty_table(app_ctx):
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
