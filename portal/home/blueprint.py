"""The home page's and the health check's addresses. Views are plain functions in views.py; this module is the one
place that names their URLs."""

from flask import Blueprint

from portal.home import views

bp = Blueprint("home", __name__)

bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/healthz", view_func=views.healthz)
