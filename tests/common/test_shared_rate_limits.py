"""With RATELIMIT_STORAGE_URI pointing at Redis, two web processes share one count of failed sign-ins."""

import os
import uuid

import pytest
import redis

from portal.extensions import db
from tests.factories import UserFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_storage():
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # in CI a missing Redis is a failure, not a skip
    yield REDIS_URL
    client.close()


def test_failed_sign_ins_are_counted_across_processes(separate_app, redis_storage):
    # Two apps = two gunicorn workers (or two machines) behind one load balancer.
    prefix = f"frontline-test-{uuid.uuid4().hex}"
    first = separate_app(RATELIMIT_STORAGE_URI=redis_storage, RATELIMIT_KEY_PREFIX=prefix)
    second = separate_app(RATELIMIT_STORAGE_URI=redis_storage, RATELIMIT_KEY_PREFIX=prefix)
    email = f"{uuid.uuid4().hex}@example.nhs.uk"
    statuses = []
    for attempt in range(6):
        app = first if attempt % 2 == 0 else second
        with app.app_context():
            if attempt < 2:
                UserFactory(email=email)
                db.session.commit()
            client = app.test_client()
            response = client.post("/login", data={"email": email, "password": "wrong password"})
            statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 200, 200, 429]
