"""Forms for the unit tree: add a unit, and rename or move one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.org.models import Unit
from portal.org.picker import UnitField
from portal.org.services import MAX_NAME_LENGTH


class UnitForm(FlaskForm):
    """A unit's name and where it sits: the parent comes from the unit picker, and none means a top-level unit."""

    name = StringField(_l("Name"), filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[DataRequired(_l("Enter a name for the unit")),
                                   Length(max=MAX_NAME_LENGTH,
                                          message=_l("Use %(max)d characters or fewer", max=MAX_NAME_LENGTH))])
    # Any existing unit passes here; the service refuses a move into the unit's own subtree with its own message.
    parent_id = UnitField(_l("Part of"), invalid_message=_l("Choose a unit from the list."))

    @classmethod
    def for_unit(cls, unit: Unit) -> UnitForm:
        return cls(data={"name": unit.name, "parent_id": unit.parent_id})

    def parent(self) -> Unit | None:
        """The chosen parent, or None for the top level."""
        return self.parent_id.unit
