import pytest


@pytest.fixture(scope="session")
def committed_app(tmp_path_factory):
    """An app on a database of its own where work really commits (for requests on separate connections)."""
    from portal.extensions import db
    from tests.conftest import CSRFClient, make_test_app
    from tests.databases import fresh_database_url, worker_name

    url = fresh_database_url(f"frontline_booking_{worker_name()}", tmp_path_factory.mktemp("bookingdb"))
    application = make_test_app(url)
    application.test_client_class = CSRFClient
    yield application
    with application.app_context():
        db.engine.dispose()
