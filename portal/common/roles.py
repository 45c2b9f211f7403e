"""The roles a person can hold (several at once)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    STAFF = "staff"
    SUPPORTER = "supporter"
    CHAMPION = "champion"
    PANEL = "panel"
    HR = "hr"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.STAFF: _l("Staff"),
    Role.SUPPORTER: _l("Supporter"),
    Role.CHAMPION: _l("Service champion"),
    Role.PANEL: _l("Award panel"),
    Role.HR: _l("HR"),
    Role.ADMIN: _l("Administrator"),
}
