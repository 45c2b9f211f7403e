from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = StringField(_l("Email"), validators=[DataRequired(_l("Enter your email address")), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=256)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password"))])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password"))])
    confirm_password = PasswordField(
        _l("Type the new password again"),
        validators=[DataRequired(_l("Type the new password again")),
                    EqualTo("new_password", _l("The two new passwords are not the same"))],
    )


class PasswordResetRequestForm(FlaskForm):
    """"Forgotten your password?": the one field is labelled "Email" (a contract in DESIGN.md)."""

    email = StringField(_l("Email"), filters=[_strip],
                        validators=[DataRequired(_l("Enter your email address")),
                                    Length(max=320, message=_l("Enter an email address of 320 characters or fewer"))])


class ChoosePasswordForm(FlaskForm):
    """Choosing a password from an invitation or a reset link."""

    # No Length here: the rules (10 to 256 characters) are the service's, with their own words.
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password"))])
    confirm_password = PasswordField(
        _l("Type the new password again"),
        validators=[DataRequired(_l("Type the new password again")),
                    EqualTo("new_password", _l("The two new passwords are not the same"))],
    )


class EmptyForm(FlaskForm):
    """For POST-only buttons: carries the CSRF token and nothing else."""
