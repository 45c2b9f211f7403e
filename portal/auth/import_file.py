"""Reading an HR file: the columns, each row's own checks, and duplicates within the file.

No database here: ``portal.auth.importing`` matches the rows against Frontline and carries the import out.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.auth.services import normalise_email
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.db import Choice
from portal.org.services import split_unit_path

REQUIRED_COLUMNS = ("staff_number", "email", "name", "unit", "manager_email", "roles")
OPTIONAL_COLUMNS = ("job_title",)
EXAMPLE_CSV = (
    "staff_number,email,name,unit,manager_email,roles,job_title\r\n"
    "100234,amira.haddad@example.nhs.uk,Amira Haddad,Trust/PALS,,staff;champion,PALS manager\r\n"
    "100871,tom.okafor@example.nhs.uk,Tom Okafor,Trust/PALS/North team,amira.haddad@example.nhs.uk,staff,"
    "Patient advice officer\r\n"
    "101402,siobhan.kelly@example.nhs.uk,Siobhan Kelly,Trust/PALS/North team,amira.haddad@example.nhs.uk,"
    "staff supporter,Senior patient advice officer\r\n"
)


class Action(Choice):
    """What importing a row without errors does to Frontline (the label is the preview's tag)."""

    CREATE = "create", _l("New")
    UPDATE = "update", _l("Update")
    UNCHANGED = "unchanged", _l("No change")
    DEACTIVATE = "deactivate", _l("Deactivate")  # a directory sync: gone from, or disabled in, the directory


@dataclass(frozen=True)
class Change:
    field: str  # email, name, staff_number, job_title, unit, manager, roles (and directory_id, from a sync)
    old: str
    new: str


@dataclass(eq=False)
class ImportRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    email: str
    name: str
    staff_number: str | None
    unit_path: str
    manager_email: str | None
    roles: frozenset[Role]
    job_title: str | None  # None when the file has no job_title column
    errors: list[str] = field(default_factory=list)
    action: Action | None = None
    changes: list[Change] = field(default_factory=list)
    keeps_admin: bool = False  # holds the administrator role, which the file leaves out
    email_ok: bool = False
    person_id: int | None = None
    unit_key: tuple[str, ...] | None = None
    unit_id: int | None = None  # None while the unit is still to be created
    manager_given: bool = False  # the manager_email cell has something in it (valid or not)
    manager: tuple[str, int] | None = None  # ("row", number) or ("db", person id); None: no manager
    final_roles: frozenset[Role] = frozenset()
    directory_id: str | None = None  # a directory sync: the entry this row comes from
    unit_for_new_only: bool = False  # a directory sync without departments: the unit is only for new people


@dataclass
class ImportPlan:
    text: str
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    new_units: dict[tuple[str, ...], str] = field(default_factory=dict)  # key → path as first written
    ignored_columns: list[str] = field(default_factory=list)
    has_job_title: bool = False
    # None: the file's roles replace each person's (an HR file). A directory sync decides only these roles, and
    # each person keeps the others.
    managed_roles: frozenset[Role] | None = None
    # False: a unit path that names no existing unit is the row's error (a typo must not become a new top-level
    # unit); True: the import creates the missing units (listed in the preview).
    create_units: bool = True

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if not row.errors and row.action == action)

    @property
    def with_errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def to_change(self) -> int:
        return self.count(Action.CREATE) + self.count(Action.UPDATE)

    @property
    def admins_kept(self) -> list[ImportRow]:
        return [row for row in self.rows if row.keeps_admin]


def decode_csv_file(data: bytes) -> str:
    """The text of an uploaded file (UTF-8, with or without Excel's byte order mark). Raises DomainError."""
    if data.startswith(b"PK\x03\x04"):
        raise DomainError(_("This is an Excel workbook, not a CSV file. In Excel, choose Save as, then "
                            "\"CSV UTF-8 (Comma delimited)\", and upload that file."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(_("This file is not saved as UTF-8. In Excel, choose Save as, then "
                            "\"CSV UTF-8 (Comma delimited)\", and upload that file."), field="file") from error


def read_rows(plan: ImportPlan) -> None:
    """Fill ``plan.rows`` from ``plan.text`` with each row's own errors, or record why the file cannot be read."""
    table = _read_table(plan)
    if table is None:
        return
    columns, records = table
    plan.rows = [_parse_row(number, columns, record, plan.has_job_title) for number, record in records]
    if not plan.rows:
        plan.file_errors.append(_("The file has a header row but no people in it."))
        return
    _check_duplicates(plan.rows)


def _read_table(plan: ImportPlan) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    text = plan.text
    if not text.strip():
        plan.file_errors.append(_("The file is empty."))
        return None
    if "\x00" in text:
        plan.file_errors.append(_("This is not a CSV file. Save the spreadsheet as \"CSV UTF-8\" and upload that."))
        return None
    header_line = text.lstrip("\r\n").splitlines()[0]
    # Excel writes commas, or semicolons where the comma is the decimal mark; "Unicode text" uses tabs.
    delimiter = next((d for d in (",", ";", "\t") if d in header_line), ",")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        plan.file_errors.append(_("This file could not be read as CSV (%(problem)s). Save the spreadsheet as "
                                  "\"CSV UTF-8\" and try again.", problem=str(error)))
        return None
    numbered = [(number, [cell.strip() for cell in record]) for number, record in enumerate(records, start=1)]
    numbered = [(number, record) for number, record in numbered if any(record)]
    if not numbered:
        plan.file_errors.append(_("The file is empty."))
        return None
    header_number, header = numbered[0]
    columns = [re.sub(r"[\s\-]+", "_", cell.lower()) for cell in header]
    for name in sorted({c for c in columns if c and columns.count(c) > 1}):
        plan.file_errors.append(_("The column %(name)s appears more than once.", name=name))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if len(missing) == len(REQUIRED_COLUMNS):
        plan.file_errors.append(_("The first row must name the columns: %(columns)s.",
                                  columns=", ".join(REQUIRED_COLUMNS)))
    elif missing:
        plan.file_errors.append(_("The file is missing these columns: %(columns)s.", columns=", ".join(missing)))
    if plan.file_errors:
        return None
    plan.has_job_title = "job_title" in columns
    plan.ignored_columns = [h for h, c in zip(header, columns, strict=True)
                            if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS and h]
    return columns, [(n, r) for n, r in numbered if n != header_number]


def _parse_row(number: int, columns: list[str], record: list[str], has_job_title: bool) -> ImportRow:
    errors: list[str] = []
    if len(record) > len(columns) and any(record[len(columns):]):
        errors.append(_("This row has more cells than there are columns. Check for a comma that is not inside "
                        "quotes, for example in a name."))
    values = dict(zip(columns, record + [""] * (len(columns) - len(record)), strict=False))
    row = ImportRow(number=number, email=values["email"], name=values["name"],
                    staff_number=values["staff_number"] or None, unit_path=values["unit"],
                    manager_email=values["manager_email"] or None, roles=frozenset(),
                    job_title=values.get("job_title", "") if has_job_title else None, errors=errors,
                    manager_given=bool(values["manager_email"]))
    _check_email(row)
    _check_lengths(row)
    if row.manager_email:
        try:
            row.manager_email = normalise_email(row.manager_email)
        except DomainError:
            row.errors.append(_("The manager's email %(email)s is not a valid email address.",
                                email=row.manager_email))
            row.manager_email = None
    if not row.unit_path:
        row.errors.append(_("Enter the unit, for example Trust/PALS/North team."))
    else:
        try:
            row.unit_key = tuple(name.casefold() for name in split_unit_path(row.unit_path))
        except DomainError as error:
            row.errors.append(error.message)
    row.roles = _parse_roles(values["roles"], row.errors)
    return row


def _check_email(row: ImportRow) -> None:
    if not row.email:
        row.errors.append(_("Enter the person's email address."))
        return
    try:
        row.email = normalise_email(row.email)
        row.email_ok = True
    except DomainError:
        row.errors.append(_("%(email)s is not a valid email address.", email=row.email))


def _check_lengths(row: ImportRow) -> None:
    if not row.name:
        row.errors.append(_("Enter the person's name."))
    for value, limit, label in ((row.name, 120, _("The name")), (row.staff_number or "", 40, _("The staff number")),
                                (row.job_title or "", 120, _("The job title"))):
        if len(value) > limit:
            row.errors.append(_("%(what)s is too long: use %(limit)d characters or fewer.", what=label, limit=limit))


def _parse_roles(text: str, errors: list[str]) -> frozenset[Role]:
    names = [name for name in re.split(r"[;,\s]+", text.lower()) if name]
    known = {role.value for role in Role}
    unknown = [name for name in names if name not in known]
    if unknown:
        errors.append(ngettext("Unknown role: %(names)s. Use %(known)s.", "Unknown roles: %(names)s. Use %(known)s.",
                               len(unknown), names=", ".join(unknown), known=", ".join(r.value for r in Role)))
    return frozenset(Role(name) for name in names if name in known) or frozenset({Role.STAFF})


def _rows_text(numbers: Iterable[int]) -> str:
    numbers = sorted(numbers)
    return ngettext("row %(list)s", "rows %(list)s", len(numbers), list=", ".join(str(n) for n in numbers))


def _check_duplicates(rows: list[ImportRow]) -> None:
    by_email: dict[str, list[ImportRow]] = defaultdict(list)
    by_staff: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        if row.email_ok:
            by_email[row.email].append(row)
        if row.staff_number:
            by_staff[row.staff_number.lower()].append(row)
    for groups, message in ((by_email, _("The same email address is also on %(rows)s.")),
                            (by_staff, _("The same staff number is also on %(rows)s."))):
        for group in groups.values():
            for row in group if len(group) > 1 else ():
                row.errors.append(message % {"rows": _rows_text(r.number for r in group if r is not row)})
