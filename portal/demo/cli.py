"""flask demo"""

import click


@click.command("demo")
def demo_command() -> None:
    """Load the demo organisation once and print the demo accounts."""
    click.echo("demo data: not yet")
