"""People for the generated route tests: the administration pages load a person by ``user_id``, recognition
pages by ``person_id``."""

from portal.auth.models import User
from tests.factories import UserFactory
from tests.route_objects import Owned, arg_builder, builder


@builder(User)
def person() -> Owned:
    """An administrator with a line manager. They own their account and their recognition page, and their manager
    sees everything on it; being an administrator, they are also the one person the account actions must refuse on
    it (``can_manage_account``: never your own account)."""
    manager = UserFactory()
    someone = UserFactory(admin=True, manager=manager)
    return Owned(someone, someone, others=[manager])


@arg_builder("link_token")
def password_link() -> Owned:
    """A working invitation link: the secret in the address is the key, so whoever holds it may open it."""
    from datetime import timedelta

    from portal.auth.models import TokenPurpose
    from portal.auth.tokens import issue_token

    invited = UserFactory(password_hash=None)
    secret = issue_token(user=invited, purpose=TokenPurpose.INVITATION, valid_for=timedelta(days=7))
    return Owned(invited, invited, extra_args={"link_token": secret})
