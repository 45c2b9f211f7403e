"""The search page's address."""

from flask import Blueprint

from portal.search import views

bp = Blueprint("search", __name__, url_prefix="/search")

bp.add_url_rule("", view_func=views.results)
