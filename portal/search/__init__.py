"""Search: one box in the header finds practice notes, public thank-yous and colleagues."""

from flask import Flask


def register(app: Flask) -> None:
    from portal.common.features import contribute
    from portal.search import policies
    from portal.search.blueprint import bp

    contribute(app, "search", blueprint=bp, policies=policies)
