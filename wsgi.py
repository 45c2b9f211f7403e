"""WSGI entry point for gunicorn: `gunicorn --workers "$(nproc)" --worker-class sync wsgi:app` (README says why)."""

from portal import create_app

app = create_app()
