"""Administration: people, units, imports and the audit log (admin role only).

The blueprint is shared; each area's routes live in their own module, imported at the end of this file so that
they attach to ``bp``.
"""

from flask import Blueprint

from portal.auth.policies import can_deactivate, can_manage_account, can_reactivate

bp = Blueprint("admin", __name__)


@bp.context_processor
def _account_policies():
    return {"can_manage_account": can_manage_account, "can_deactivate": can_deactivate,
            "can_reactivate": can_reactivate}

from portal.admin import audit_views, people_views, unit_views, import_views  # noqa: E402,F401,I001
