"""The audit log: who did what, to what, and when (administrators only; read-only by design). The URL rule is in
blueprint.py."""

from __future__ import annotations

from flask import current_app, request

from portal.admin.audit_forms import AuditFilterForm
from portal.admin.audit_queries import action_label, audit_page, distinct_actions, distinct_target_types, target_names
from portal.common.access import role_required
from portal.common.htmx import is_htmx, render_page
from portal.common.roles import Role

REGION_ID = "audit-region"


@role_required(Role.ADMIN)
def audit():
    form = AuditFilterForm(request.args, actions=distinct_actions(), target_types=distinct_target_types())
    form.validate()
    cursor = request.args.get("cursor") or None
    page = audit_page(form.audit_filter(), cursor=cursor, size=current_app.config["PAGE_SIZE"])
    filter_args = {name: value for name, value in request.args.items() if name != "cursor" and value}
    # htmx: "Show more" appends rows; a typed filter refreshes the results; a changed select or date (which may
    # bring an error message next to it) refreshes the filters too.
    if cursor and is_htmx():
        block = "rows"
    elif request.headers.get("HX-Target") == REGION_ID:
        block = "region"
    else:
        block = "results"
    return render_page("admin/audit/index.html", block=block, form=form, page=page, cursor=cursor,
                       filter_args=filter_args, names=target_names(page.items), action_label=action_label,
                       region_id=REGION_ID)
