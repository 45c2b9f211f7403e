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
