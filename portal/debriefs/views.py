"""(stub: replaced by the feature)"""

from flask import Blueprint

from portal.common.access import signed_in
from portal.common.htmx import render_page

bp = Blueprint("debriefs", __name__)


@bp.route("/debrief/new")
@signed_in
def new():
    return render_page("stub/index.html", title="new")
