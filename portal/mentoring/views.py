"""(stub: replaced by the feature)"""

from flask import Blueprint

from portal.common.access import signed_in
from portal.common.htmx import render_page

bp = Blueprint("mentoring", __name__)


@bp.route("/mentoring")
@signed_in
def index():
    return render_page("stub/index.html", title="index")
