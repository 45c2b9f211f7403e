"""A second, separate app for tests that must add routes or change configuration the shared app cannot."""

from __future__ import annotations

import itertools

import pytest

from portal.extensions import db
from tests.conftest import CSRFClient, make_test_app
from tests.databases import fresh_database_url, worker_name

_numbers = itertools.count()


@pytest.fixture
def separate_app(tmp_path):
    """``separate_app(**config)`` → a new app on a fresh database of its own (disposed afterwards)."""
    made = []

    def make(**overrides):
        url = fresh_database_url(f"frontline_separate_{worker_name()}_{next(_numbers)}", tmp_path)
        application = make_test_app(url, **overrides)
        application.test_client_class = CSRFClient
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()
