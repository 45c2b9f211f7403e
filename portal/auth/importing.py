"""Importing people from the HR system's CSV file: ``plan_import`` checks everything and writes nothing,
``apply_import`` carries out a plan with no errors.

The file is the truth for the people in it (name, email, unit, manager, roles, job title), with two exceptions: an
empty staff number keeps the one Frontline has, and an import never takes the administrator role away. People are
matched by staff number first, then by email. Planning costs the same handful of queries for 10 rows or 5,000.

A directory sync (portal/auth/directory_sync.py) plans its rows with the same code (``plan_rows``): its rows also
carry the directory entry (matched before anything else), and it decides only the roles it has groups for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from portal.auth.import_file import (
    EXAMPLE_CSV,
    Action,
    Change,
    ImportPlan,
    ImportRow,
    decode_csv_file,
    read_rows,
)
from portal.auth.models import User, UserRole
from portal.common.audit import record_event
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import create_unit, split_unit_path

__all__ = ["EXAMPLE_CSV", "Action", "Change", "ImportHasErrors", "ImportPlan", "ImportResult", "ImportRow",
           "apply_import", "decode_csv_file", "plan_import", "plan_rows"]

# Values per IN (...) list: well inside SQLite's (32,766) and PostgreSQL's (65,535) limits on parameters.
IN_CHUNK = 10_000


class ImportHasErrors(DomainError):
    pass


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    units_created: int
    invited: int = 0
    # Everyone the plan names, by row number (the people created included).
    user_ids: dict[int, int] = field(default_factory=dict)


@dataclass
class _Person:
    id: int
    email: str
    staff_number: str | None
    display_name: str
    job_title: str
    unit_id: int
    manager_id: int | None
    manager_email: str | None
    directory_id: str | None = None
    roles: set[Role] = field(default_factory=set)


def plan_import(*, text: str, create_units: bool = True) -> ImportPlan:
    """Read and check every row of an HR file; write nothing. The plan lists each row's action and errors.
    Without ``create_units`` a unit path that names no existing unit is an error on its row."""
    plan = ImportPlan(text=text.removeprefix("\ufeff"), create_units=create_units)
    read_rows(plan)
    if plan.file_errors or not plan.rows:
        return plan
    return plan_rows(plan)


def plan_rows(plan: ImportPlan) -> ImportPlan:
    """Match rows already read (from a file, or from the directory) against Frontline and work out each one's
    action, changes and errors. Writes nothing."""
    units = _UnitIndex()
    for row in plan.rows:
        units.resolve(row, plan.new_units if plan.create_units else None)
    people = _load_people(plan.rows)
    _match_people(plan.rows, people)
    _resolve_managers(plan.rows, people)
    _check_manager_loops(plan.rows, people)
    person_of_row = {row.number: row.person_id for row in plan.rows}
    for row in plan.rows:
        _work_out_changes(row, people.get(row.person_id), units, plan, person_of_row)
    return plan


class _UnitIndex:
    """Every unit, loaded once, found by its path of names (ignoring case, like ``ensure_unit_path``)."""

    def __init__(self) -> None:
        units = list(db.session.scalars(select(Unit)))
        self.by_id = {unit.id: unit for unit in units}
        self.children = {(unit.parent_id, unit.name.casefold()): unit for unit in units}

    def resolve(self, row: ImportRow, new_units: dict[tuple[str, ...], str] | None) -> None:
        """Set the row's unit; a path naming no existing unit adds its missing units to ``new_units``, or (when
        that is None: creating units was not chosen) is the row's error."""
        if row.unit_key is None:
            return
        names = split_unit_path(row.unit_path)
        parent_id = None
        for depth, key in enumerate(row.unit_key):
            unit = self.children.get((parent_id, key))
            if unit is None:
                if new_units is None:
                    row.errors.append(self._unknown(names, depth))
                    return
                for end in range(depth + 1, len(names) + 1):
                    new_units.setdefault(row.unit_key[:end], "/".join(names[:end]))
                return
            parent_id = unit.id
        row.unit_id = parent_id

    def _unknown(self, names: list[str], depth: int) -> str:
        if depth == 0:
            return _("There is no top-level unit called \"%(name)s\". Check the spelling, or choose \"Create units "
                     "that do not exist yet\" and check the file again.", name=names[0])
        return _("\"%(path)s\" has no unit called \"%(name)s\". Check the spelling, or choose \"Create units that "
                 "do not exist yet\" and check the file again.", path="/".join(names[:depth]), name=names[depth])

    def find(self, key: tuple[str, ...]) -> Unit | None:
        parent: Unit | None = None
        for name in key:
            parent = self.children.get((parent.id if parent else None, name))
            if parent is None:
                return None
        return parent

    def label(self, unit_id: int) -> str:
        unit = self.by_id.get(unit_id)
        if unit is None:
            return ""
        return "/".join(self.by_id[i].name for i in [*unit.ancestor_ids, unit.id] if i in self.by_id)


def _chunks(values: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _load_people(rows: list[ImportRow]) -> dict[int, _Person]:
    """Everyone the file names, by email, manager email or staff number: a fixed number of queries."""
    emails = {row.email for row in rows if row.email_ok} | {row.manager_email for row in rows if row.manager_email}
    staff_numbers = {row.staff_number.lower() for row in rows if row.staff_number}
    directory_ids = {row.directory_id for row in rows if row.directory_id}
    manager = aliased(User)
    base = select(User.id, User.email, User.staff_number, User.display_name, User.job_title, User.unit_id,
                  User.manager_id, manager.email, User.directory_id).outerjoin(manager, User.manager_id == manager.id)
    people: dict[int, _Person] = {}
    for condition, values in ((User.email.in_, emails), (func.lower(User.staff_number).in_, staff_numbers),
                              (User.directory_id.in_, directory_ids)):
        for chunk in _chunks(values):
            for record in db.session.execute(base.where(condition(chunk))):
                people[record[0]] = _Person(*record)
    for chunk in _chunks(people):
        for user_id, role in db.session.execute(select(UserRole.user_id, UserRole.role)
                                                .where(UserRole.user_id.in_(chunk))):
            people[user_id].roles.add(Role(role))
    return people


def _match_people(rows: list[ImportRow], people: dict[int, _Person]) -> None:
    """A row is about the person with its directory entry, else its staff number, else its email."""
    by_email = {p.email: p for p in people.values()}
    by_staff = {p.staff_number.lower(): p for p in people.values() if p.staff_number}
    by_directory = {p.directory_id: p for p in people.values() if p.directory_id}
    rows_about: dict[int, list[ImportRow]] = defaultdict(list)
    for row in rows:
        by_entry = by_directory.get(row.directory_id) if row.directory_id else None
        by_number = by_staff.get(row.staff_number.lower()) if row.staff_number else None
        by_address = by_email.get(row.email) if row.email_ok else None
        if by_number and by_address and by_number.id != by_address.id:
            row.errors.append(_("Staff number %(number)s belongs to %(name)s (%(email)s), but %(row_email)s belongs "
                                "to %(other)s. Check which is right.", number=row.staff_number,
                                name=by_number.display_name, email=by_number.email, row_email=row.email,
                                other=by_address.display_name))
            continue
        person = by_entry or by_number or by_address
        other = next((p for p in (by_number, by_address) if p is not None and p.id != person.id), None) \
            if person is not None else None
        if other is not None:
            row.errors.append(_("This directory entry belongs to %(name)s (%(email)s), but its email or staff number "
                                "belongs to %(other)s (%(other_email)s). Check which is right.",
                                name=person.display_name, email=person.email, other=other.display_name,
                                other_email=other.email))
            continue
        if person is not None:
            row.person_id = person.id
            rows_about[person.id].append(row)
    for person_id, group in rows_about.items():
        for row in group if len(group) > 1 else ():
            others = [str(r.number) for r in group if r is not row]
            row.errors.append(ngettext("Row %(list)s is also about %(name)s (%(email)s). Keep one row for each "
                                       "person.", "Rows %(list)s are also about %(name)s (%(email)s). Keep one row "
                                       "for each person.", len(others), list=", ".join(others),
                                       name=people[person_id].display_name, email=people[person_id].email))


def _resolve_managers(rows: list[ImportRow], people: dict[int, _Person]) -> None:
    row_by_email: dict[str, ImportRow] = {}
    for row in rows:
        if row.email_ok:
            row_by_email.setdefault(row.email, row)
    row_by_person = {row.person_id: row for row in rows if row.person_id is not None}
    person_by_email = {p.email: p for p in people.values()}
    for row in rows:
        if not row.manager_email:
            continue
        target = row_by_email.get(row.manager_email)
        if target is None and row.manager_email in person_by_email:
            person = person_by_email[row.manager_email]
            target = row_by_person.get(person.id)
            if target is None:
                row.manager = ("db", person.id)
                continue
        if target is None:
            row.errors.append(_("The manager's email %(email)s is not in this file or in Frontline. Add the "
                                "manager to the file, or check the spelling.", email=row.manager_email))
        elif target is row:
            row.errors.append(_("This person would manage themselves. Leave manager_email empty or give their "
                                "manager's email."))
        else:
            row.manager = ("row", target.number)


def _check_manager_loops(rows: list[ImportRow], people: dict[int, _Person]) -> None:
    """Nobody may end up managing themselves through others, counting people who are not in the file."""
    row_by_number = {row.number: row for row in rows}
    row_by_person = {row.person_id: row for row in rows if row.person_id is not None}
    next_of: dict[tuple[str, int], tuple[str, int] | None] = {("row", row.number): row.manager for row in rows}
    edges = db.session.execute(select(User.id, User.manager_id).where(User.manager_id.is_not(None)))
    for person_id, manager_id in edges:
        if person_id not in row_by_person:
            boss = row_by_person.get(manager_id)
            next_of[("db", person_id)] = ("row", boss.number) if boss else ("db", manager_id)
    done: set[tuple[str, int]] = set()
    loops = []
    for start in [("row", row.number) for row in rows]:
        path: list[tuple[str, int]] = []
        on_path: set[tuple[str, int]] = set()
        node = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = next_of.get(node)
        if node is not None and node in on_path:
            loops.append(path[path.index(node):])
        done.update(path)
    if not loops:
        return
    missing = {n for loop in loops for kind, n in loop if kind == "db" and n not in people}
    emails = {p.id: p.email for p in people.values()}
    if missing:
        emails.update({i: e for i, e in db.session.execute(select(User.id, User.email).where(User.id.in_(missing)))})
    for loop in loops:
        names = [row_by_number[n].email if kind == "row" else emails.get(n, "?") for kind, n in loop]
        for i, (kind, n) in enumerate(loop):
            if kind == "row":
                chain = " → ".join(names[i:] + names[:i + 1])
                row_by_number[n].errors.append(_("Managers would go round in a circle: %(chain)s. Someone in it "
                                                 "needs a different manager.", chain=chain))


def _work_out_changes(row: ImportRow, person: _Person | None, units: _UnitIndex, plan: ImportPlan,
                      person_of_row: dict[int, int | None]) -> None:
    row.final_roles = row.roles
    if person is None:
        row.action = Action.CREATE
        return
    if plan.managed_roles is not None:  # a directory sync: the roles it does not decide stay as they are
        row.final_roles = frozenset((person.roles - plan.managed_roles) | row.roles)
    elif Role.ADMIN in person.roles and Role.ADMIN not in row.roles:
        row.keeps_admin = True
        row.final_roles = row.roles | {Role.ADMIN}
    new_manager_email = row.manager_email if row.manager is not None else None
    if row.manager is None:
        manager_changed = person.manager_id is not None and not row.manager_given
    else:
        kind, n = row.manager
        new_manager_id = n if kind == "db" else person_of_row.get(n)  # None: someone this import creates
        manager_changed = new_manager_id is None or new_manager_id != person.manager_id
    candidates = [
        ("email", person.email, row.email, row.email_ok),
        ("name", person.display_name, row.name, bool(row.name)),
        ("staff_number", person.staff_number or "", row.staff_number or "", bool(row.staff_number)),
        ("job_title", person.job_title, row.job_title or "", plan.has_job_title),
        ("unit", units.label(person.unit_id), row.unit_path,
         row.unit_key is not None and row.unit_id != person.unit_id and not row.unit_for_new_only),
        ("manager", person.manager_email or "", new_manager_email or "", manager_changed),
        ("roles", _roles_text(person.roles), _roles_text(row.final_roles), True),
        ("directory_id", person.directory_id or "", row.directory_id or "", bool(row.directory_id)),
    ]
    row.changes = [Change(name, old, new) for name, old, new, applies in candidates
                   if applies and (name in ("unit", "manager") or old != new)]
    row.action = Action.UPDATE if row.changes else Action.UNCHANGED


def _roles_text(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(role.value for role in roles))


# --- applying ------------------------------------------------------------------------------------------------

def apply_import(*, plan: ImportPlan | str, actor: User | None, invite: bool = False,
                 audit_action: str = "user.import_applied") -> ImportResult:
    """Carry out an import: create the new units, then the people, then set managers (so a manager may come later
    in the file than the people they manage). Given text, plans it first (in this transaction).

    Writes one audit event (``audit_action``, ``user.import_applied`` unless a directory sync says otherwise) with
    the counts, and nothing at all when nobody changes. New people have no password: with ``invite`` each is sent an
    invitation to choose one (portal/auth/invitations.py). Raises ImportHasErrors, changing nothing, when the plan
    has any error.
    """
    if isinstance(plan, str):
        plan = plan_import(text=plan)
    if plan.has_errors:
        raise ImportHasErrors(_("The file has errors, so nothing was imported. Fix them and try again."))
    unit_ids = _create_units(plan, actor)
    changing = [row for row in plan.rows if row.action in (Action.CREATE, Action.UPDATE)]
    existing = _load_users([row.person_id for row in changing if row.action == Action.UPDATE])
    users: dict[int, User] = {}  # by row number
    for row in changing:
        unit_id = row.unit_id if row.unit_id is not None else unit_ids[row.unit_key]
        if row.action == Action.CREATE:
            user = User(email=row.email, display_name=row.name, staff_number=row.staff_number,
                        job_title=row.job_title or "", unit_id=unit_id, password_hash=None,
                        directory_id=row.directory_id)
            user.set_roles(row.final_roles)
            db.session.add(user)
        else:
            user = existing[row.person_id]
            _update_fields(user, row, unit_id)
        users[row.number] = user
    db.session.flush()  # the new people have ids now, so the second pass can point at them
    _set_managers(plan, changing, users)
    created = [users[r.number] for r in changing if r.action == Action.CREATE]
    if invite:
        from portal.auth.invitations import send_invitations

        send_invitations(users=created, actor=actor)
    user_ids = {row.number: row.person_id for row in plan.rows if row.person_id is not None}
    user_ids.update({number: user.id for number, user in users.items()})
    result = ImportResult(created=plan.count(Action.CREATE), updated=plan.count(Action.UPDATE),
                          unchanged=plan.count(Action.UNCHANGED), units_created=len(unit_ids),
                          invited=len(created) if invite else 0, user_ids=user_ids)
    if changing or unit_ids:
        record_event(audit_action, actor=actor, target_type="import", created=result.created,
                     updated=result.updated, unchanged=result.unchanged, units_created=result.units_created,
                     created_ids=[user.id for user in created], invited=result.invited or None,
                     updated_ids=[users[r.number].id for r in changing if r.action == Action.UPDATE])
    return result


def _create_units(plan: ImportPlan, actor: User | None) -> dict[tuple[str, ...], int]:
    """The plan's new units, parents first (each is audit-logged as ``unit.created``); returns their ids by key."""
    index = _UnitIndex()
    created: dict[tuple[str, ...], Unit] = {}
    for key, path in sorted(plan.new_units.items(), key=lambda item: len(item[0])):
        parent = None
        if len(key) > 1:
            parent = created.get(key[:-1]) or index.find(key[:-1])
        created[key] = create_unit(name=path.split("/")[-1].strip(), parent=parent, actor=actor)
    return {key: unit.id for key, unit in created.items()}


def _load_users(ids: list[int | None]) -> dict[int, User]:
    """People by id, with their roles (selectin, in batches)."""
    users: dict[int, User] = {}
    for chunk in _chunks(i for i in ids if i is not None):
        users.update({user.id: user for user in db.session.scalars(select(User).where(User.id.in_(chunk)))})
    return users


def _update_fields(user: User, row: ImportRow, unit_id: int) -> None:
    """Only what changed, so unchanged columns (and ``updated_at``) stay as they are."""
    changed = {change.field for change in row.changes}
    wanted = {"email": ("email", row.email), "name": ("display_name", row.name),
              "staff_number": ("staff_number", row.staff_number), "job_title": ("job_title", row.job_title or ""),
              "unit": ("unit_id", unit_id), "directory_id": ("directory_id", row.directory_id)}
    for name, (attribute, value) in wanted.items():
        if name in changed:
            setattr(user, attribute, value)
    if "unit" in changed:
        db.session.expire(user, ["unit"])
    if "roles" in changed:
        user.set_roles(row.final_roles)


def _set_managers(plan: ImportPlan, changing: list[ImportRow], users: dict[int, User]) -> None:
    # ``users``: the people created or updated, by row number.
    """Second pass, one executemany UPDATE: everyone now has an id, so managers later in the file work."""
    person_of_row = {row.number: row.person_id for row in plan.rows}
    values = [{"id": users[row.number].id, "manager_id": _manager_id(row.manager, users, person_of_row)}
              for row in changing
              if (row.action == Action.CREATE and row.manager is not None)
              or (row.action == Action.UPDATE and any(change.field == "manager" for change in row.changes))]
    if values:
        db.session.execute(update(User), values)
        for value in values:  # the bulk UPDATE bypassed these objects
            db.session.expire(db.session.get(User, value["id"]), ["manager_id", "manager", "updated_at"])


def _manager_id(node: tuple[str, int] | None, users: dict[int, User],
                person_of_row: dict[int, int | None]) -> int | None:
    if node is None:
        return None
    kind, n = node
    if kind == "db":
        return n
    return users[n].id if n in users else person_of_row[n]
