"""Forms for the HR import: upload a file, then confirm the import it previewed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional


class ImportUploadForm(FlaskForm):
    file = FileField(_l("HR file (CSV)"), validators=[FileRequired(_l("Choose the CSV file to upload"))])
    # Unticked: a unit path that matches no unit is an error in the preview (a typo must not become a new unit).
    create_units = BooleanField(_l("Create units that do not exist yet"))


class ImportApplyForm(FlaskForm):
    """Carries the previewed file back (stateless); the import checks it again before changing anything."""

    content = HiddenField(validators=[DataRequired(_l("Upload the file again: we did not receive it."))])
    create_units = HiddenField()  # "yes" when the preview was checked with "Create units that do not exist yet"
    # Asked only when the file adds people; the view requires an answer then.
    invite = RadioField(_l("Email the new people an invitation to choose their password?"),
                        choices=[SelectChoice("yes", _l("Yes, send each new person an invitation now")),
                                 SelectChoice("no", _l("No, not now (I can send them from each person's page "
                                                       "later)"))],
                        validators=[Optional()], validate_choice=True)

    def invite_answer(self, *, needed: bool) -> bool | None:
        """True or False for an answer; None (with the error on the field) when one was needed and not given."""
        if self.invite.data in ("yes", "no"):
            return self.invite.data == "yes"
        if needed:
            self.invite.errors = [*self.invite.errors, _l("Choose whether to email the new people an invitation")]
            return None
        return False
