"""Forms for the HR import: upload a file, then confirm the import it previewed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired


class ImportUploadForm(FlaskForm):
    file = FileField(_l("HR file (CSV)"), validators=[FileRequired(_l("Choose the CSV file to upload"))])


class ImportApplyForm(FlaskForm):
    """Carries the previewed file back (stateless); the import checks it again before changing anything."""

    content = HiddenField(validators=[DataRequired(_l("Upload the file again: we did not receive it."))])
