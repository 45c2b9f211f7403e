"""Languages and local time. Stored times are UTC; people see Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cached_property

from flask import Response, current_app, g, has_request_context, request, session
from flask_babel import Babel, Domain, format_date, format_datetime, get_locale
from flask_login import current_user
from markupsafe import Markup


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # worker and CLI: callers pick the language with flask_babel.force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def when(value: datetime | None) -> str:
    """"Tue 3 Dec, 14:00" in London time (with the year when it is not this year)."""
    if value is None:
        return ""
    pattern = "EEE d MMM, HH:mm" if value.year == datetime.now().year else "EEE d MMM yyyy, HH:mm"
    return format_datetime(value, pattern)


def day(value: datetime | date | None) -> str:
    """"Tue 3 Dec 2026": a moment's London day, or a calendar date as it is."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, "EEE d MMM yyyy")
    return format_datetime(value, "EEE d MMM yyyy")


def iso(value: datetime | None) -> str:
    """For ``<time datetime>``: to the second, in UTC (a valid HTML date-time string, without microseconds)."""
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_language() -> str:
    return str(get_locale() or "en")


# The language tag for lang="…": Frontline's English is British English (dates, spelling), not any English.
HTML_LANG = {"en": "en-GB"}


def html_lang(code: str | None) -> str:
    return HTML_LANG.get(code or "en", code or "en-GB")


# --- Saying plainly when part of a page has no translation --------------------------------------------------------
# Every translated string, from Python (gettext, lazy_gettext, ngettext) and from templates (``_()``), is looked up
# through the Domain's Translations object. In a language other than the default, a wrapper notes on ``g`` each
# message the catalogue has no entry for (an untranslated or fuzzy entry is not compiled into the .mo). The base
# layout prints a placeholder in <main>; after the request it becomes a short bilingual notice when something was
# missed, or nothing. In English nothing is wrapped and no slot is printed, so English pages pay nothing.

UNTRANSLATED_SLOT = Markup("<!--frontline:untranslated-notice-->")
# In both languages on purpose (it is about the translation), so it is not itself a message to translate.
UNTRANSLATED_NOTICE = Markup(
    '<div class="banner banner--info untranslated-notice">'
    '<p lang="cy">Nid yw rhan o\'r dudalen hon ar gael yn Gymraeg eto.</p>'
    '<p lang="en-GB">Part of this page is not yet available in Welsh.</p></div>')


def _note_untranslated(message: str) -> None:
    if message and has_request_context():
        missed = g.setdefault("untranslated", set())
        missed.add(message)


class _NoticingTranslations:
    """A babel Translations that notes lookups with no entry in its catalogue."""

    __slots__ = ("_inner",)

    def __init__(self, inner):
        self._inner = inner

    def _check(self, key, message: str) -> None:
        if key not in self._inner._catalog:
            _note_untranslated(message)

    def ugettext(self, message):
        self._check(message, message)
        return self._inner.ugettext(message)

    def _check_plural(self, msgid, singular: str, plural: str) -> None:
        # pybabel compile writes an untranslated plural entry as the English: form 0 singular, form 1 plural.
        catalog = self._inner._catalog
        if catalog.get((msgid, 0), singular) == singular and catalog.get((msgid, 1), plural) == plural:
            _note_untranslated(singular)

    def ungettext(self, singular, plural, num):
        self._check_plural(singular, singular, plural)
        return self._inner.ungettext(singular, plural, num)

    def upgettext(self, context, message):
        self._check(f"{context}\x04{message}", message)
        return self._inner.upgettext(context, message)

    def unpgettext(self, context, singular, plural, num):
        self._check_plural(f"{context}\x04{singular}", singular, plural)
        return self._inner.unpgettext(context, singular, plural, num)

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext

    def __getattr__(self, name):
        return getattr(self._inner, name)


class NoticingDomain(Domain):
    """Flask-Babel's message domain, wrapped in any language but the default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._noticing: dict[int, _NoticingTranslations] = {}

    def get_translations(self):
        translations = super().get_translations()
        if not has_request_context() or str(get_locale()) == current_app.config["BABEL_DEFAULT_LOCALE"]:
            return translations
        wrapped = self._noticing.get(id(translations))
        if wrapped is None or wrapped._inner is not translations:
            wrapped = self._noticing[id(translations)] = _NoticingTranslations(translations)
        return wrapped


class PortalBabel(Babel):
    """Flask-Babel with the noticing domain as its default domain."""

    @cached_property
    def domain_instance(self):
        return NoticingDomain(domain=self.domain)


def untranslated_messages() -> set[str]:
    """The messages this request asked for that the page's language has no translation of."""
    return set(g.get("untranslated", ()))


def untranslated_notice_slot() -> Markup:
    """Where the base layout's notice goes; empty in the default language."""
    if str(get_locale()) == current_app.config["BABEL_DEFAULT_LOCALE"]:
        return Markup()
    g.untranslated_slot = True
    return UNTRANSLATED_SLOT


def fill_untranslated_notice(response: Response) -> Response:
    """After the request: the slot becomes the notice when a message had no translation, or disappears."""
    if not g.get("untranslated_slot") or response.direct_passthrough or response.is_streamed:
        return response
    page = response.get_data(as_text=True)
    if UNTRANSLATED_SLOT not in page:
        return response
    notice = UNTRANSLATED_NOTICE if untranslated_messages() else ""
    response.set_data(page.replace(UNTRANSLATED_SLOT, notice, 1))
    return response
