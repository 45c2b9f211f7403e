"""Every URL rule, every method, as everyone: generated from ``app.url_map``, so a new page is covered the day it is
registered.

For each rule the expected answer comes from the declarations on its view, never from a hand list:
- signed out, or signed in with a deactivated account: public pages answer, everything else sends you to sign in;
- each single role: refused (403) unless the access declaration lets that role in;
- for ids in the URL, the object is built (tests/<feature>/route_objects.py) and each ``@load`` policy on the view
  is asked about the owner, the others with a claim, a stranger and every role: refused (403, or 404 when the
  declaration hides the object) exactly when the policy says no;
- tampered ids in the path and tampered values in every query-string and form field the app reads: never a 500;
- every page a GET rule serves is valid HTML to the Nu HTML Checker (htmx's ``hx-*`` attributes aside).

Requests run one after another on the test's connection, and what each should get is worked out just before it
from the objects as they are then, so a POST that closes or deletes something changes the next answer honestly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Flask
from flask_wtf import FlaskForm
from sqlalchemy import inspect

from portal.common.access import Access, access_for
from portal.common.roles import Role
from portal.extensions import db
from tests.factories import UserFactory
from tests.route_objects import ARG_BUILDERS, Owned, load_all_builders

SKIPPED_ENDPOINTS = {"static"}
METHODS = ("GET", "POST")
PORTAL = Path(__file__).resolve().parents[2] / "portal"
TAMPERED_VALUES = ["²", "10^23", "-1", "99999999999999999999", "", "x" * 5000, "' OR 1=1 --", "٣"]
TAMPERED_PATH_IDS = ["0", "99999999999999999999", "-1", "²", "abc"]


def rules(app: Flask) -> list:
    return sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED_ENDPOINTS),
                  key=lambda rule: (rule.rule, rule.endpoint))


def rule_id(rule) -> str:
    return f"{rule.endpoint}:{rule.rule}"


@dataclass
class Case:
    """One rule made concrete: a URL that reaches real objects, and who has a claim on them."""

    url: str
    access: Access
    loads: tuple
    objects: dict[str, object]  # URL argument → the object it names (attached to the building session only)
    owned: list[Owned]
    keys: dict[str, tuple[type, object]] | None = None  # URL argument → (model, primary key), for later sessions


def _primary_key(obj) -> object:
    [key] = inspect(obj).identity
    return key


def make_case(app: Flask, rule) -> Case:
    """Build what the rule's URL arguments name; fail loudly if an argument cannot be built."""
    view = app.view_functions[rule.endpoint]
    loads = tuple(getattr(view, "loads", ()))
    by_arg = {declaration.arg: declaration for declaration in loads}
    builders = load_all_builders()
    values: dict[str, object] = {}
    objects: dict[str, object] = {}
    owned: list[Owned] = []
    for arg in sorted(rule.arguments):
        declaration = by_arg.get(arg)
        if declaration is not None:
            build = builders.get(declaration.model)
            assert build is not None, (f"{rule_id(rule)}: add a @builder({declaration.model.__name__}) to "
                                       "tests/<feature>/route_objects.py")
            made = build()
            owned.append(made)
            objects[arg] = made.obj
            values[arg] = _primary_key(made.obj)
            values.update(made.extra_args)
    for arg in sorted(rule.arguments):
        if arg in values:
            continue
        build = ARG_BUILDERS.get(arg)
        assert build is not None, (f"{rule_id(rule)}: URL argument {arg!r} is neither loaded with @load nor given "
                                   "by an @arg_builder in tests/<feature>/route_objects.py")
        made = build()
        owned.append(made)
        values.update(made.extra_args)
    db.session.flush()
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, **values)
    keys = {arg: (type(obj), _primary_key(obj)) for arg, obj in objects.items()}
    return Case(url=url, access=access_for_app(app, rule.endpoint), loads=loads, objects=objects, owned=owned,
                keys=keys)


def access_for_app(app: Flask, endpoint: str) -> Access:
    with app.test_request_context():
        access = access_for(endpoint)
    assert access is not None, f"{endpoint} declares no access"
    return access


# --- what should happen ----------------------------------------------------------------------------------------

def expected_for(case: Case, user, objects: dict[str, object] | None = None) -> str:
    """'login', 'refused:403', 'refused:404' or 'allowed', from the view's declarations."""
    objects = case.objects if objects is None else objects
    if case.access.api_token:
        return "refused:401"  # these requests carry no token; tests/<feature> try the tokens
    if user is None or not user.is_active_account:
        return "login" if case.access.signed_in else "allowed"
    if case.access.roles and not user.has_any_role(case.access.roles):
        return "refused:403"
    for declaration in case.loads:
        found = objects.get(declaration.arg)
        if found is None:
            return "refused:404"
        if declaration.can is not None and not declaration.can(user, found):
            return "refused:404" if declaration.hide else "refused:403"
    return "allowed"


def expected_now(app: Flask, case: Case, user_id: int | None) -> tuple[str, str | None]:
    """What ``user_id`` should get from the rule now, and their session id, read in a fresh session."""
    from portal.auth.models import User

    with app.app_context():
        user = db.session.get(User, user_id) if user_id is not None else None
        objects = {arg: db.session.get(model, key) for arg, (model, key) in case.keys.items()}
        return expected_for(case, user, objects), (user.get_id() if user is not None else None)


def outcome_of(response) -> str:
    """What the person got: "allowed" is any answer below 400 (a page, or a redirect after a POST) or being asked
    to slow down (429, sign-in attempts); any other 4xx or 5xx is an error of its own, expected by no one."""
    status = response.status_code
    if status == 302 and response.headers.get("Location", "").startswith("/login"):
        return "login"
    if status in (401, 403, 404):
        return f"refused:{status}"
    if status < 400 or status == 429:
        return "allowed"
    return f"error:{status}"


def people(case: Case) -> list[tuple[str, object]]:
    """Everyone to try: signed out, deactivated, each role alone, the owners and others, a stranger."""
    found: list[tuple[str, object]] = [("signed out", None),
                                       ("deactivated", UserFactory(roles=tuple(Role), is_active_account=False))]
    found += [(f"role {role}", UserFactory(roles=(role,) if role == Role.STAFF else (Role.STAFF, role)))
              for role in Role]
    for made in case.owned:
        found.append(("owner", made.owner))
        found += [("other", other) for other in made.others]
    found.append(("stranger", UserFactory()))
    return found


def request_as(app: Flask, session_id: str | None, method: str, url: str, data: dict | None = None):
    """``session_id`` is ``user.get_id()``, taken while the user was still attached to the test's session."""
    client = app.test_client()
    if session_id is not None:
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
    return client.open(url, method=method, data=data if method == "POST" else None,
                       query_string=None if method == "POST" else data)


# --- the tests -------------------------------------------------------------------------------------------------

def pytest_generate_tests(metafunc):
    if "rule_name" in metafunc.fixturenames:
        metafunc.parametrize("rule_name", rule_names())


@cache
def rule_names() -> list[str]:
    """Computed from a throwaway app built the same way as the session's (the URL map does not depend on the
    database)."""
    from portal import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    return [rule_id(rule) for rule in rules(app)]


def find_rule(app: Flask, name: str):
    [rule] = [rule for rule in rules(app) if rule_id(rule) == name]
    return rule


def test_the_route_tests_see_every_rule(app):
    assert len(rule_names()) == len(rules(app)) > 100


def test_every_object_a_url_names_is_guarded_by_a_policy_or_a_role(app, rule_name):
    """Without one, anyone signed in could open anyone's object by changing the id in the address."""
    rule = find_rule(app, rule_name)
    view = app.view_functions[rule.endpoint]
    access = access_for_app(app, rule.endpoint)
    unguarded = [d.arg for d in getattr(view, "loads", ()) if d.can is None and not access.roles]
    assert unguarded == [], f"{rule_name}: give @load a can= policy, or restrict the route to a role"


def test_every_rule_answers_everyone_as_its_declarations_say(app, rule_name):
    rule = find_rule(app, rule_name)
    wrong = []
    with app.app_context():
        case = make_case(app, rule)
        tried = [(label, user and user.email, user and user.id) for label, user in people(case)]
        if any(made.confidential for made in case.owned):
            # Independently of any policy: confidential peer support is never open to anyone without a claim on
            # it — HR and administrators included, whatever the view's policy says.
            outsiders = [user for label, user in people(case) if label.startswith("role ") or label == "stranger"]
            assert all(expected_for(case, user).startswith("refused") for user in outsiders), rule_name
        db.session.commit()  # into the test's outer transaction, so the requests see it
    for method in sorted(rule.methods & set(METHODS)):
        for label, email, user_id in tried:
            expected, session_id = expected_now(app, case, user_id)
            got = outcome_of(request_as(app, session_id, method, case.url))
            if got != expected:
                wrong.append((method, label, email, expected, got))
    assert wrong == [], f"{rule_name} ({case.url}): " + "; ".join(map(str, wrong))


def test_tampered_input_on_every_rule_is_never_a_500(app, rule_name):
    rule = find_rule(app, rule_name)
    errors = []
    with app.app_context():
        case = make_case(app, rule)
        candidates = [made.owner for made in case.owned] + [u for _, u in people(case) if u is not None]
        insider = next((u for u in candidates if expected_for(case, u) == "allowed"), None)
        insider_id = insider.id if insider is not None else None
        object_ids = {arg: _primary_key(obj) for arg, obj in case.objects.items()}
        db.session.commit()
    for method in sorted(rule.methods & set(METHODS)):
        for value in TAMPERED_VALUES:
            data = {name: value for name in sorted(field_names())}
            response = request_as(app, expected_now(app, case, insider_id)[1], method, case.url, data)
            if response.status_code >= 500:
                errors.append((method, repr(value[:20]), response.status_code))
        data = {name: ["1", "²", ""] for name in sorted(field_names())}  # repeated parameters
        response = request_as(app, expected_now(app, case, insider_id)[1], method, case.url, data)
        if response.status_code >= 500:
            errors.append((method, "repeated", response.status_code))
    for arg in sorted(rule.arguments & {d.arg for d in case.loads}):
        for bad in TAMPERED_PATH_IDS:
            url = re.sub(rf"/{object_ids[arg]}(?=/|$|\.)", f"/{bad}", case.url, count=1)
            for method in sorted(rule.methods & set(METHODS)):
                response = request_as(app, expected_now(app, case, insider_id)[1], method, url)
                if response.status_code != 404:
                    errors.append((method, url, response.status_code))
    assert errors == [], f"{rule_name}: {errors}"


@cache
def field_names() -> frozenset[str]:
    """Every query-string parameter a view reads and every form field the app defines."""
    names: set[str] = set()
    pattern = re.compile(r"""(?:request\.)?(?:args|form)\.get(?:list)?\(\s*["']([A-Za-z_][\w-]*)["']""")
    for path in PORTAL.rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    stack = list(FlaskForm.__subclasses__())
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        names.update(name for name, value in vars(form).items() if hasattr(value, "field_class"))
    names.discard("csrf_token")
    return frozenset(names)


def test_every_page_is_valid_html(app, rule_name, html_checker):
    rule = find_rule(app, rule_name)
    if "GET" not in rule.methods or rule.endpoint.split(".")[-1].startswith("moved_"):
        return
    with app.app_context():
        case = make_case(app, rule)
        candidates = [made.owner for made in case.owned] + [u for _, u in people(case) if u is not None]
        insider = next((u for u in candidates if expected_for(case, u) == "allowed"), None)
        session_id = insider.get_id() if insider is not None else None
        db.session.commit()
    assert session_id is not None or not case.access.signed_in, f"{rule_name}: nobody may open this page"
    response = request_as(app, session_id, "GET", case.url)
    if case.access.api_token:
        assert response.status_code == 401, f"{rule_name} answered {response.status_code} without a token"
        return
    html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    assert response.status_code in (200, 301, 302, 303), f"{rule_name} answered {response.status_code}"
    if response.status_code != 200 or response.mimetype != "text/html" or not html.lstrip().startswith("<!doctype"):
        return  # a download (CSV, calendar), an index that sends people on, or a fragment: not a page to check
    errors = [message for message in html_checker.errors(html) if not message.startswith("Attribute “hx-")]
    assert errors == [], f"{rule_name} ({case.url})"
