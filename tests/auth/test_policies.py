import pytest

from portal.auth.policies import can_deactivate, can_manage_account, can_reactivate
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_only_administrators_manage_accounts_and_never_their_own():
    admin, other_admin, staff = UserFactory(admin=True), UserFactory(admin=True), UserFactory()
    assert can_manage_account(admin, staff) and can_manage_account(admin, other_admin)
    assert not can_manage_account(admin, admin)
    assert not can_manage_account(staff, admin)
    assert not can_manage_account(UserFactory(hr=True), staff)


def test_deactivate_and_reactivate_follow_the_account_state():
    admin, person = UserFactory(admin=True), UserFactory()
    assert can_deactivate(admin, person) and not can_reactivate(admin, person)
    person.is_active_account = False
    assert can_reactivate(admin, person) and not can_deactivate(admin, person)
