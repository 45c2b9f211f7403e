"""People's own data: its addresses (under /account, beside the password page)."""

from flask import Blueprint

from portal.privacy import views

bp = Blueprint("privacy", __name__, url_prefix="/account")

bp.add_url_rule("/my-data", view_func=views.my_data)
bp.add_url_rule("/my-data.json", view_func=views.my_data_json)
