"""factory_boy factories. They use the same scoped session as the app (flush, not commit)."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import create_unit

DEFAULT_PASSWORD = "a-long-test-password"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UnitFactory(BaseFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Team {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The path is derived from the tree, so units are made the way the portal makes them.
        return create_unit(name=kwargs["name"], parent=kwargs.get("parent"))


class UserFactory(BaseFactory):
    class Meta:
        model = User
        exclude = ("password",)

    email = factory.Sequence(lambda n: f"person{n}@example.nhs.uk")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    job_title = "Patient advice officer"
    unit = factory.SubFactory(UnitFactory)
    password = DEFAULT_PASSWORD
    password_hash = factory.LazyAttribute(lambda o: hash_password(o.password))
    roles = (Role.STAFF,)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        roles = kwargs.pop("roles")
        user = model_class(*args, **kwargs)
        user.set_roles(roles)
        db.session.add(user)
        db.session.flush()
        return user

    class Params:
        admin = factory.Trait(roles=(Role.STAFF, Role.ADMIN))
        hr = factory.Trait(roles=(Role.STAFF, Role.HR))
        champion = factory.Trait(roles=(Role.STAFF, Role.CHAMPION))
        supporter = factory.Trait(roles=(Role.STAFF, Role.SUPPORTER))
        panel = factory.Trait(roles=(Role.STAFF, Role.PANEL))
