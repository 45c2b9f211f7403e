"""(stub: replaced by the feature)"""

from flask import Blueprint

from portal.common.access import signed_in
from portal.common.htmx import render_page

bp = Blueprint("recognition", __name__)


@bp.route("/wall")
@signed_in
def wall():
    return render_page("stub/index.html", title="wall")


@bp.route("/thank-you/new")
@signed_in
def thank_new():
    return render_page("stub/index.html", title="thank_new")
