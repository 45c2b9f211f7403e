"""Demo data: `flask demo` loads a plausible NHS trust and Jobcentre Plus district (refused in production)."""

from flask import Flask


def register(app: Flask) -> None:
    from portal.common.features import contribute
    from portal.demo.cli import demo_command, serve_command

    contribute(app, "demo", commands=[demo_command, serve_command])
