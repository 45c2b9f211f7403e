"""Flask extensions, created unbound and initialised in create_app."""

from flask import request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from portal.common.i18n import PortalBabel
from portal.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = PortalBabel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def form_email() -> str:
    """Rate-limit key for sign-in attempts against one account, whatever IP they come from."""
    return "account:" + (request.form.get("email") or "").strip().lower()
