import pytest


@pytest.fixture(scope="session")
def committed_app(tmp_path_factory):
    """An app on a database of its own where work really commits (for racing accepts on separate connections)."""
    from portal.extensions import db
    from tests.conftest import make_test_app
    from tests.databases import fresh_database_url, worker_name

    url = fresh_database_url(f"frontline_mentoring_{worker_name()}", tmp_path_factory.mktemp("mentoringdb"))
    application = make_test_app(url)
    yield application
    with application.app_context():
        db.engine.dispose()
