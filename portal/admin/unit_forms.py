"""Forms for the unit tree: add a unit, and rename or move one."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import MAX_NAME_LENGTH

# The select's value for "no parent": a top-level unit.
TOP_LEVEL = 0


class UnitForm(FlaskForm):
    """A unit's name and where it sits. ``parents`` are (id, full name) pairs from ``unit_choices()``."""

    name = StringField(_l("Name"), filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[DataRequired(_l("Enter a name for the unit")),
                                   Length(max=MAX_NAME_LENGTH,
                                          message=_l("Use %(max)d characters or fewer", max=MAX_NAME_LENGTH))])
    # Any existing unit passes here; the service refuses a move into the unit's own subtree with its own message.
    parent_id = SelectField(_l("Part of"), coerce=int, validate_choice=False)

    def __init__(self, *args, parents: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = [(TOP_LEVEL, _("Nothing: a top-level unit")), *parents]

    @classmethod
    def for_unit(cls, unit: Unit, *, parents: list[tuple[int, str]]) -> UnitForm:
        return cls(parents=parents, data={"name": unit.name, "parent_id": unit.parent_id or TOP_LEVEL})

    def validate_parent_id(self, field) -> None:
        if field.data != TOP_LEVEL and db.session.get(Unit, field.data) is None:
            raise ValidationError(_("Choose a unit from the list."))

    def parent(self) -> Unit | None:
        """The chosen parent (already loaded by ``unit_choices()``, so no query), or None for the top level."""
        return None if self.parent_id.data == TOP_LEVEL else db.session.get(Unit, self.parent_id.data)
