"""Declarative base with a constraint naming convention and shared column types."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, registry
from wtforms.fields.choices import SelectChoice

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite stores naive values and hands them back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Frontline stores aware UTC datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Choice(StrEnum):
    """A StrEnum whose members carry the words people read: ``OPEN = "open", _l("Waiting for a supporter")``.

    ``member.label`` is the label in the current language; ``Cls.choices()`` gives WTForms its (value, label) pairs,
    with the labels still lazy so they render in the reader's language.
    """

    _label: Any

    def __new__(cls, value: str, label: Any = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label if self._label is not None else self.value)

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        return [SelectChoice(member.value, member._label if member._label is not None else member.value)
                for member in cls]


E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E], Generic[E]):
    """A StrEnum stored as its plain text value: the column reads back as the enum member, and a value that is not
    a member is refused before it reaches the database. Kept as VARCHAR (not a native ENUM) so adding a state is
    a code change, not a schema migration."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[E], length: int):
        self.enum_class = enum_class
        super().__init__(length)

    def process_bind_param(self, value: Any, dialect) -> str | None:
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: Any, dialect) -> E | None:
        return None if value is None else self.enum_class(value)

    def copy(self, **kw: Any) -> EnumText[E]:
        return EnumText(self.enum_class, self.impl.length)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


# True while a transaction that may write is opened: on SQLite it starts with BEGIN IMMEDIATE (see
# portal/common/transaction.py for requests, serialized_writes() for the worker and the command line).
begin_immediate: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)


@contextmanager
def serialized_writes() -> Iterator[None]:
    """On SQLite, transactions opened inside this block start with BEGIN IMMEDIATE: they take the database's one
    write lock up front (waiting up to busy_timeout for it) instead of failing when a read turns into a write while
    another process writes. PostgreSQL needs nothing: it has row locks."""
    token = begin_immediate.set(True)
    try:
        yield
    finally:
        begin_immediate.reset(token)


def configure_engine_events(engine, *, busy_timeout_ms: int = 15_000) -> None:
    """SQLite: enforce foreign keys, use WAL, wait up to ``busy_timeout_ms`` for the write lock rather than fail at
    once (a request still waiting then is answered "busy, try again": see portal/common/error_pages.py)."""
    if engine.dialect.name != "sqlite":
        return

    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself (documented
        # recipe: "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if begin_immediate.get() else "BEGIN")
