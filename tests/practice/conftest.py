import pytest


@pytest.fixture(scope="session")
def committed_app(tmp_path_factory):
    """An app on a database of its own where work really commits (for champions racing on separate connections)."""
    from portal.extensions import db
    from tests.conftest import make_test_app
    from tests.databases import fresh_database_url, worker_name

    url = fresh_database_url(f"frontline_practice_{worker_name()}", tmp_path_factory.mktemp("practicedb"))
    application = make_test_app(url, WTF_CSRF_ENABLED=False)
    yield application
    with application.app_context():
        db.engine.dispose()
