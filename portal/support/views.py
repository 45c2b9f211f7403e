"""(stub: replaced by the feature)"""

from flask import Blueprint

from portal.common.access import signed_in
from portal.common.htmx import render_page

bp = Blueprint("support", __name__)


@bp.route("/support")
@signed_in
def index():
    return render_page("stub/index.html", title="index")


@bp.route("/support/book")
@signed_in
def book():
    return render_page("stub/index.html", title="book")
