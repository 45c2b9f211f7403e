from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


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


class EmptyForm(FlaskForm):
    """For POST-only buttons: carries the CSRF token and nothing else."""
