"""People administration."""

from portal.admin.views import bp
from portal.common.access import role_required
from portal.common.htmx import render_page
from portal.common.roles import Role


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    return render_page("home/index.html", waiting=[])
