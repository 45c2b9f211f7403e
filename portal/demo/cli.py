"""flask demo"""

import click
from flask import current_app

from portal.common.errors import DomainError
from portal.demo.people import DEMO_PASSWORD, SIGN_IN_ACCOUNTS
from portal.demo.services import demo_is_loaded, load_demo_organisation, load_feature_demos
from portal.extensions import db


@click.command("demo")
def demo_command() -> None:
    """Load the demo organisation once and print the demo accounts (refused in production)."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("The demo organisation has accounts with a published password; "
                                   "it is never loaded when PORTAL_ENV=production.")
    if demo_is_loaded():
        click.echo("The demo organisation is already loaded; nothing was changed.")
    else:
        try:
            people = load_demo_organisation()
            load_feature_demos(people)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(f"Could not load the demo organisation: {error.message}") from error
        db.session.commit()
        click.echo(f"Loaded the demo organisation: {len(people)} people.")
    click.echo(f"\nSign in at /login with any demo account. Every password is: {DEMO_PASSWORD}\n")
    width = max(len(label) for label, _ in SIGN_IN_ACCOUNTS)
    for label, email in SIGN_IN_ACCOUNTS:
        click.echo(f"  {label.ljust(width)}  {email}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, envvar="PORT")
def serve_command(host: str, port: int) -> None:
    """Serve Frontline and run its background worker in one process, for trying it on one PC (`make run`).
    Ctrl-C stops both. Production runs gunicorn and `flask worker` instead."""
    import logging
    import threading

    from werkzeug.serving import run_simple

    from portal.notifications.worker import run_forever

    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("`flask serve` is the development server; in production run gunicorn and "
                                   "`flask worker` (see the README).")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury everything else
    app = current_app._get_current_object()
    stop = threading.Event()
    worker = threading.Thread(target=run_forever, args=(app,), kwargs={"stop": stop}, daemon=True)
    worker.start()
    click.echo(f"Frontline is at http://{host}:{port}/ — press Ctrl-C to stop.")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)  # returns on Ctrl-C
    finally:
        stop.set()
        worker.join(timeout=10)
        click.echo("Stopped.")
