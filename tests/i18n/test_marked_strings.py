"""Every word shown to people is marked for translation.

Two scans of the source, each able to fail on one unmarked string:

* **Templates.** Each template is lexed with Jinja; its literal text (outside ``{{ }}`` and ``{% %}``) is parsed as
  HTML, and every text node and every attribute people read (``aria-label``, ``placeholder``, ``title``, ``alt``, the
  ``value`` of an ``<input>`` button) that still holds two letters in a row is an unmarked string. Text inside
  ``<script>``, ``<style>``, ``<pre>`` and ``<code>`` is exempt (code, not prose). String literals inside Jinja
  expressions that read like prose (a capital followed by small letters, "Save", "Email me") are unmarked strings
  too, unless they are an argument of ``_``/``gettext``/``ngettext``.
* **Python.** Each module of ``portal`` (CLI modules and demo data exempt: their audience is an operator at a
  terminal) is parsed with ``ast``. A plain string literal or f-string — or a module constant holding one — passed
  where people will read it is an unmarked string: the message of a ``DomainError`` (and its subclasses, found by
  walking the class tree), ``flash``, ``ValidationError``, a form field's label, and the ``message=``, ``label=``,
  ``description=``, ``subject=``, ``body=``, ``placeholder=`` keywords, and the labels in ``choices=``.

The allow-lists below are the few literal words that are not English prose: the product's name, and Jinja strings
that are code (CSS classes, htmx triggers, field type names).
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
HOLE = "\x00"
LETTERS = re.compile(r"[A-Za-z]{2,}")
PROSE = re.compile(r"[A-Z][a-z']+(\s|$|[.,:;!?])")
READ_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "aria-description", "aria-roledescription"}
INPUT_BUTTONS = {"submit", "button", "reset"}
TRANSLATING = {"_", "gettext", "ngettext", "pgettext", "npgettext", "_l"}
CODE_ELEMENTS = {"script", "style", "pre", "code"}

# Literal text that is the same in every language.
ALLOWED_TEXT = {"Frontline", "– Frontline"}
# Capitalised string literals in Jinja expressions that are code, not words.
ALLOWED_EXPRESSION_STRINGS: set[str] = set()


class _TextScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_ELEMENTS:
            self._code_depth += 1
        named = dict(attrs)
        for name, value in attrs:
            shown = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and named.get("type") in INPUT_BUTTONS)
            if shown and value:
                self._check(value, f"<{tag} {name}>")

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self._code_depth:
            self._code_depth -= 1

    def handle_data(self, data):
        if not self._code_depth:
            self._check(data, "text")

    def _check(self, text: str, where: str) -> None:
        text = " ".join(text.replace(HOLE, " ").split())
        if LETTERS.search(text) and text not in ALLOWED_TEXT:
            self.found.append(f"{where}: {text[:80]!r}")


def _unmarked_in_template(env: Environment, source: str) -> list[str]:
    html: list[str] = []
    tokens = []
    for lineno, kind, value in env.lex(source):
        if kind == "data":
            html.append(value)
        else:
            tokens.append((lineno, kind, value))
            if kind == "variable_begin":
                html.append(HOLE)
    markup = "".join(html)
    markup = re.sub(r"<(/?)([a-z]*)\x00", lambda m: f"<{m.group(1)}{m.group(2) or 'span'}", markup)
    scan = _TextScan()
    scan.feed(markup)
    scan.close()
    return scan.found + _unmarked_expression_strings(tokens)


def _unmarked_expression_strings(tokens) -> list[str]:
    found = []
    depth, translating_depths = 0, []
    for index, (lineno, kind, value) in enumerate(tokens):
        if kind == "operator" and value == "(":
            depth += 1
            previous = tokens[index - 1] if index else None
            if previous and previous[1] == "name" and previous[2] in TRANSLATING:
                translating_depths.append(depth)
        elif kind == "operator" and value == ")":
            if translating_depths and translating_depths[-1] == depth:
                translating_depths.pop()
            depth -= 1
        elif kind == "string" and not translating_depths:
            value = value[1:-1]  # the lexer keeps the quotes
            if PROSE.match(value) and not value.endswith("Field") and value not in ALLOWED_EXPRESSION_STRINGS:
                found.append(f"line {lineno}: string {value[:80]!r}")
    return found


def test_every_template_string_is_marked_for_translation():
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"])
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for problem in _unmarked_in_template(env, path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}: {problem}")
    assert not problems, "Wrap these in _() so they can be translated:\n" + "\n".join(problems)


def test_the_template_scan_finds_unmarked_words():
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    found = _unmarked_in_template(env, '<h1>{{ _("Fine") }}</h1><p class="x">Thank you</p>'
                                       '<input type="submit" value="Send"><button aria-label="{{ _(\'Ok\') }}">'
                                       '{{ field(label="Your email") }}{{ ngettext("%(num)d one", "%(num)d many", 2) }}'
                                       '<span title="{{ t }}">{{ x }}</span><code>GET /x</code>')
    assert found == ["text: 'Thank you'", "<input value>: 'Send'", "line 1: string 'Your email'"]


# --- Python -------------------------------------------------------------------------------------------------------

MESSAGE_CALLS = {"flash", "ValidationError", "StopValidation"}
MESSAGE_KEYWORDS = {"message", "label", "description", "subject", "body", "placeholder"}
# Calls whose MESSAGE_KEYWORDS are read by people (besides form fields, ``*Field``).
KEYWORD_CALLS = {"DataRequired", "InputRequired", "Length", "Email", "NumberRange", "Regexp", "EqualTo", "AnyOf",
                 "NoneOf", "URL", "Optional", "notify", "queue_email", "notification_kind", "flash"}
# Domain errors whose argument is not their message: it goes to the audit log or the server log.
NOT_A_MESSAGE = {"DirectoryRejected", "DirectoryUnavailable"}
EXEMPT_MODULES = {"cli.py", "demo.py"}


def _domain_error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    bases_of: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases_of[node.name] = {_name(base) for base in node.bases}
    errors = {"DomainError"}
    while True:
        more = {name for name, bases in bases_of.items() if bases & errors} - errors
        if not more:
            return errors
        errors |= more


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _literal(node, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and LETTERS.search(node.value):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return ast.unparse(node)
    if isinstance(node, ast.BinOp):
        return _literal(node.left, constants) or _literal(node.right, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    return None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            text = _literal(node.value, {})
            if text:
                constants[node.targets[0].id] = text
    return constants


def _message_arguments(call: ast.Call, errors: set[str], in_error_class: bool):
    name = _name(call.func)
    is_super_init = (name == "__init__" and isinstance(call.func, ast.Attribute)
                     and isinstance(call.func.value, ast.Call) and _name(call.func.value.func) == "super")
    if name in NOT_A_MESSAGE:
        return
    if name in MESSAGE_CALLS or name in errors or name.endswith("Field") or (is_super_init and in_error_class):
        yield from call.args[:1]
    for keyword in call.keywords:
        if keyword.arg in MESSAGE_KEYWORDS and (name in KEYWORD_CALLS or name.endswith("Field")):
            yield keyword.value
        elif keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
            for choice in keyword.value.elts:
                if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                    yield choice.elts[1]


def _unmarked_in_module(tree: ast.Module, errors: set[str]) -> list[str]:
    constants = _module_constants(tree)
    found = []
    error_classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.name in errors]
    inside_errors = {id(child) for node in error_classes for child in ast.walk(node)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for argument in _message_arguments(node, errors, id(node) in inside_errors):
            text = _literal(argument, constants)
            if text:
                found.append(f"line {node.lineno}: {_name(node.func)}: {text[:80]!r}")
    return found


def _portal_trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "portal").rglob("*.py"))
            if path.name not in EXEMPT_MODULES}


def test_every_python_message_is_marked_for_translation():
    trees = _portal_trees()
    errors = _domain_error_classes(trees)
    problems = [f"{path.relative_to(ROOT)}: {problem}" for path, tree in trees.items()
                for problem in _unmarked_in_module(tree, errors)]
    assert not problems, "Wrap these in _() or _l() so they can be translated:\n" + "\n".join(problems)


def test_the_python_scan_finds_unmarked_messages():
    source = '''
SORRY = "Sorry, no."
class Refused(DomainError):
    def __init__(self):
        super().__init__("Not allowed.")
def f(name):
    raise Refused(_("Fine"))
    raise DomainError(f"No {name}.", field="x")
    flash(SORRY, "warning")
    StringField(_l("Email"), description="Your work email")
    SelectField(_l("When"), choices=[("a", _l("Morning")), ("b", "Evening")])
'''
    tree = ast.parse(source)
    errors = _domain_error_classes({Path("x.py"): tree})
    assert errors == {"DomainError", "Refused"}
    assert sorted(problem.split(": ", 2)[2] for problem in _unmarked_in_module(tree, errors)) == sorted([
        "'Not allowed.'", "\"f'No {name}.'\"", "'Sorry, no.'", "'Your work email'", "'Evening'"])
