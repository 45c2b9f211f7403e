"""The CSV export on PostgreSQL: the same bytes as ``writers.csv_chunks`` over ``RowFormatter(Format.CSV)``, written
by PostgreSQL itself with ``COPY (…) TO STDOUT (FORMAT csv)``.

Why: formatting a million rows in Python (a row object, 25 cells, time zones, the csv module) took about five times
as long as PostgreSQL needs to produce them; HR systems pull the whole history nightly. Here the export's own
statement (``queries.rows_statement``: the same filters, the same reader, the same rows) is wrapped in one SELECT
that formats every cell as ``RowFormatter`` does, and PostgreSQL quotes and writes the CSV. Python only passes the
rows on, in chunks, as they arrive: memory stays constant, as with the server-side cursor.

The two formatters must not drift apart: ``tests/hr/test_postgres_csv.py`` compares this output with the Python
writer's, byte for byte, over rows built to catch every rule (formula starts, quotes, commas, line breaks, empty
strings, Welsh letters, both offsets of London time, pseudonyms, withheld words). A rule changed in
``columns.RowFormatter`` must be changed here too; that test says where they differ.

Rules shared with the Python writer, and how each is met here:
- empty text is an empty cell (``NULLIF(…, '')``; PostgreSQL would write ``""`` for an empty string);
- text starting with = + - @ tab or carriage return gets a leading apostrophe (``_inert``);
- times are London time with their offset, to the second (``to_char`` in a transaction whose TimeZone is
  Europe/London, as ``queries.stream_rows`` does);
- CRLF ends each row (PostgreSQL ends a row with LF: each COPY message is exactly one row, so its last byte is
  replaced; line breaks inside a quoted message are left as they were);
- a pseudonym is HMAC-SHA256 of the giver's id under the export's key, computed with PostgreSQL's ``sha256`` from the
  key's inner and outer pads (RFC 2104), which Python prepares.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    String,
    case,
    cast,
    func,
    literal,
    select,
    text,
    type_coerce,
)

from portal.common.spreadsheets import FORMULA_STARTS
from portal.hr.columns import DECISIONS, PREFIXES, STAGES, TYPES, pseudonym_key
from portal.hr.filters import ExportFilters
from portal.hr.queries import ORDER, Reader, london_connection, rows_statement

CHUNK = 64 * 1024
ISO_SECONDS = 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'  # 2025-03-14T16:05:09+00:00, as datetime.isoformat(timespec="seconds")

# Each unit's own name and its full name from the top ("Trust / PALS / North team"), as ``columns.UnitNames``: one
# hash join of every unit's path parts to the units (a correlated lookup per unit took 100 ms at 1,000 units).
UNIT_NAMES = text("""
    SELECT unit.id, unit.name AS short, string_agg(coalesce(above.name, '…'), ' / ' ORDER BY part.n) AS full_name
      FROM unit
      CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from unit.path), '/')) WITH ORDINALITY AS part(id, n)
      LEFT JOIN unit AS above ON above.id = part.id::integer
     GROUP BY unit.id, unit.name
""").columns(id=Integer, short=String, full_name=String).cte("unit_names")


def _inert(value: ColumnElement) -> ColumnElement:
    """``columns._csv_text`` in SQL: formula starts made inert; and empty text an empty cell."""
    starts = case((func.left(value, 1).in_(FORMULA_STARTS), literal("'") + value), else_=value)
    return func.nullif(starts, "")


def _moment(value: ColumnElement) -> ColumnElement:
    """A time column as timestamptz (a branch's NULL in the union would otherwise be read as text)."""
    return cast(value, DateTime(timezone=True))


def _iso(value: ColumnElement) -> ColumnElement:
    return func.to_char(_moment(value), ISO_SECONDS)


def _london_day(value: ColumnElement) -> ColumnElement:
    return cast(func.timezone("Europe/London", _moment(value)), Date)


def _map(value: ColumnElement, mapping: dict[str, str]) -> ColumnElement:
    """``mapping.get(value)``: NULL for anything it does not name."""
    return case(*[(value == key, literal(out)) for key, out in mapping.items()], else_=None)


def _pseudonym(giver_id: ColumnElement) -> ColumnElement:
    """``RowFormatter``'s pseudonym, HMAC-SHA256(key, str(id)) cut to 12 hex digits, from the key's pads."""
    key = pseudonym_key().ljust(64, b"\0")  # a key shorter than SHA-256's block is padded with zeros (RFC 2104)
    inner, outer = bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)
    message = func.convert_to(cast(giver_id, String), "UTF8")
    inner_hash = func.sha256(literal(inner).op("||")(message))
    mac = func.encode(func.sha256(literal(outer).op("||")(inner_hash)), "hex")
    return literal("pseudonym-") + func.left(mac, 12)


def copy_statement(filters: ExportFilters, reader: Reader):
    """The export's rows, each cell formatted as ``RowFormatter(Format.CSV).record`` formats it, in export order."""
    rows = rows_statement(filters, reader)
    c = rows.c
    giver_unit, recipient_unit = UNIT_NAMES.alias("giver_unit"), UNIT_NAMES.alias("recipient_unit")
    stage = _map(c.stage, STAGES)
    cells = [
        _map(c.kind, PREFIXES) + cast(c.source_id, String), _map(c.kind, TYPES),
        func.to_char(_moment(c.given_at), "YYYY-MM-DD"),
        _iso(c.given_at), _iso(c.endorsed_at), _iso(c.sent_to_panel_at), _iso(c.decided_at), _iso(c.made_private_at),
        _iso(c.withdrawn_at), _iso(c.hidden_at),
        _pseudonym(c.giver_id) if filters.pseudonymise else _inert(c.giver_name),
        literal(None, String) if filters.pseudonymise else _inert(c.giver_staff_number),
        _inert(giver_unit.c.full_name),
        case((c.recipient_name.is_not(None), _inert(c.recipient_name)), else_=_inert(recipient_unit.c.short)),
        case((c.recipient_id.is_(None), literal("team")), else_=literal("person")),
        _inert(c.recipient_staff_number), _inert(recipient_unit.c.full_name),
        _inert(c.value_names), _inert(c.scheme), _inert(c.category), c.status, stage,
        case((stage.in_(sorted(DECISIONS)), stage), else_=None),
        _london_day(c.decided_at) - _london_day(c.given_at), c.visibility,
    ]
    if filters.include_message:
        words = func.concat_ws("\n\n", *[func.nullif(c[name], "") for name in ("title", "message", "difference",
                                                                                "learning")])
        cells += [case((c.message_withheld.is_(None), _inert(words)), else_=None), c.message_withheld]
    return (select(*[type_coerce(cell, String).label(f"c{index}") for index, cell in enumerate(cells)])
            .select_from(rows)
            .outerjoin(giver_unit, giver_unit.c.id == c.giver_unit_id)
            .outerjoin(recipient_unit, recipient_unit.c.id == c.recipient_unit_id)
            .order_by(*[c[name] for name in ORDER]))


def _driver_value(value):
    """A bound value as the driver should see it: our enums by their stored value (psycopg would send the name)."""
    return value.value if isinstance(value, Enum) else value


def copy_chunks(filters: ExportFilters, reader: Reader) -> Iterator[bytes]:
    """The rows as CSV (no header) in chunks of about ``CHUNK`` bytes, straight from ``COPY … TO STDOUT``."""
    with london_connection() as connection:  # London time: to_char writes times as the Python writer does
        compiled = copy_statement(filters, reader).compile(dialect=connection.dialect,
                                                            compile_kwargs={"render_postcompile": True})
        params = {name: _driver_value(value) for name, value in compiled.params.items()}
        out = bytearray()
        with connection.connection.driver_connection.cursor() as cursor, \
                cursor.copy(f"COPY ({compiled.string}) TO STDOUT (FORMAT csv)", params) as copy:
            for row in copy:  # one COPY message is one row, ending in its LF
                out += row[:-1]
                out += b"\r\n"
                if len(out) >= CHUNK:
                    yield bytes(out)
                    out.clear()
        yield bytes(out)
