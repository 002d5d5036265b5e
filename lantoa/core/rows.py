"""Rows written by SQL statements compiled once per process: for the public write paths
(check-ins; contest submissions to come) and the tallies behind them, where building the
statement through the ORM costs more than running it — and, on SQLite, is done while holding
the one write lock.

:func:`insert_row` writes a model instance as ``Model.save(force_insert=True)`` would — the same
columns, the same values prepared by each field (``pre_save`` then ``get_db_prep_save``), the
primary key read back — but from an ``INSERT`` text made once per model and database. It sends
no ``pre_save``/``post_save`` signals: use it only for models nothing listens to (a test of the
caller says so). Integrity errors are raised as ``django.db.IntegrityError``, like ``save()``.
:func:`insert_rows` and :func:`update_rows` do the same for many rows with one ``executemany``.
:func:`select_instance` and :func:`select_values` read by equality on a few columns the same
way; :func:`row_columns` and :func:`instance_from_row` serve a ``SELECT`` the caller writes
(a join): the model's columns in order, and the instance Django would have built from the row
(each value through the converters the ORM applies). :func:`sqlite_working_memory` gives one
batch statement over hundreds of thousands of rows a larger page cache on SQLite.
:func:`prepared_cursor` runs the public hot paths' statements as statements PostgreSQL plans
once per connection.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models.fields import Field


def _column(field: Any) -> str:
    return str(field.column)


@functools.cache
def _insert_statement(model: type[models.Model], alias: str) -> tuple[str, tuple[Field[Any, Any], ...], bool]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    auto = model._meta.auto_field
    fields = tuple(field for field in model._meta.local_concrete_fields if field is not auto)
    columns = ", ".join(quote(_column(field)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    returning = auto is not None and connection.features.can_return_columns_from_insert
    # Only the model's own quoted table and column names go into the text; values are parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    if returning:
        sql += f" RETURNING {quote(_column(auto))}"
    return sql, fields, returning


def insert_row(obj: models.Model, *, using: str = "default", prepared: bool = False) -> models.Model:
    """Insert ``obj`` as a new row and give it its primary key; returns ``obj``. ``prepared``:
    through :func:`prepared_cursor` (a hot path's insert)."""
    sql, fields, returning = _insert_statement(type(obj), using)
    connection = connections[using]
    values = [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
    with prepared_cursor(using) if prepared else connection.cursor() as cursor:
        cursor.execute(sql, values)
        auto = type(obj)._meta.auto_field
        if auto is not None:
            if returning:
                obj.pk = cursor.fetchone()[0]
            else:
                obj.pk = connection.ops.last_insert_id(cursor, type(obj)._meta.db_table, _column(auto))
    obj._state.adding = False
    obj._state.db = using
    return obj


def insert_rows(objs: Sequence[models.Model], *, using: str = "default") -> None:
    """Insert many new rows of one model in one ``executemany`` (their primary keys are not read
    back): for tallies rewritten whole, where ``bulk_create``'s compiling would hold a write
    lock longer than the writing."""
    if not objs:
        return
    sql, fields, returning = _insert_statement(type(objs[0]), using)
    if returning:
        sql = sql[: sql.rindex(" RETURNING ")]
    connection = connections[using]
    rows = [[field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@functools.cache
def _update_statement(
    model: type[models.Model], names: tuple[str, ...], alias: str
) -> tuple[str, tuple[Field[Any, Any], ...]]:
    quote = connections[alias].ops.quote_name
    fields = tuple(model._meta.get_field(name) for name in names)
    assignments = ", ".join(f"{quote(_column(field))} = %s" for field in fields)
    # Only the model's own quoted table and column names go into the text; values are parameters.
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(_column(model._meta.pk))} = %s"  # noqa: S608
    return sql, fields  # type: ignore[return-value]


def update_rows(objs: Sequence[models.Model], names: Sequence[str], *, using: str = "default") -> None:
    """Write the fields ``names`` of existing rows of one model, one ``executemany`` for all —
    what ``bulk_update`` does, without building a ``CASE`` per field and row."""
    if not objs:
        return
    sql, fields = _update_statement(type(objs[0]), tuple(names), using)
    connection = connections[using]
    rows = [
        [*(field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields), obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@functools.cache
def _read_columns(model: type[models.Model], alias: str) -> tuple[str, tuple[str, ...], tuple[tuple[Any, Any], ...]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    columns = ", ".join(f"{quote(table)}.{quote(_column(field))}" for field in fields)
    converters = []
    for field in fields:
        column = field.get_col(table)
        found = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        converters.append((column, tuple(found)))
    return columns, tuple(field.attname for field in fields), tuple(converters)


def row_columns(model: type[models.Model], *, using: str = "default") -> str:
    """The model's concrete columns, qualified and quoted, in the order
    :func:`instance_from_row` reads them."""
    return _read_columns(model, using)[0]


def instance_from_row(model: type[models.Model], row: Sequence[Any], *, using: str = "default") -> models.Model:
    """The instance of ``model`` for a row selected with :func:`row_columns`."""
    _columns, names, converters = _read_columns(model, using)
    connection = connections[using]
    values = []
    for value, (column, functions) in zip(row, converters, strict=True):
        for convert in functions:
            value = convert(value, column, connection)
        values.append(value)
    return model.from_db(using, list(names), values)


@functools.cache
def _select_statement(
    model: type[models.Model], names: tuple[str, ...] | None, where: tuple[str, ...], alias: str
) -> tuple[str, tuple[Field[Any, Any], ...]]:
    quote = connections[alias].ops.quote_name
    table = quote(model._meta.db_table)
    if names is None:
        columns = row_columns(model, using=alias)
    else:
        columns = ", ".join(f"{table}.{quote(_column(model._meta.get_field(name)))}" for name in names)
    fields = tuple(model._meta.get_field(name) for name in where)
    conditions = " AND ".join(f"{table}.{quote(_column(field))} = %s" for field in fields)
    # Only the model's own quoted table and column names go into the text; values are parameters.
    return f"SELECT {columns} FROM {table} WHERE {conditions}", fields  # type: ignore[return-value]  # noqa: S608


def _select(
    model: type[models.Model], names: tuple[str, ...] | None, where: dict[str, Any], using: str
) -> list[tuple[Any, ...]]:
    sql, fields = _select_statement(model, names, tuple(where), using)
    connection = connections[using]
    values = [field.get_db_prep_value(value, connection) for field, value in zip(fields, where.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return list(cursor.fetchall())


def select_instance(model: type[models.Model], *, using: str = "default", **where: Any) -> models.Model | None:
    """The one row of ``model`` whose fields equal ``where`` (a unique lookup), or None."""
    rows = _select(model, None, where, using)
    return instance_from_row(model, rows[0], using=using) if rows else None


def select_values(
    model: type[models.Model], names: Sequence[str], *, using: str = "default", **where: Any
) -> list[tuple[Any, ...]]:
    """The columns ``names`` of the rows of ``model`` whose fields equal ``where``, as the
    database returns them (no converters: for whole numbers and text)."""
    return _select(model, tuple(names), where, using)


@functools.cache
def _claim_statement(model: type[models.Model], name: str, alias: str) -> tuple[str, Field[Any, Any]]:
    quote = connections[alias].ops.quote_name
    field = model._meta.get_field(name)
    column = quote(_column(field))
    # Only the model's own quoted table and column names go into the text; values are parameters.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {column} = %s "  # noqa: S608
        f"WHERE {quote(_column(model._meta.pk))} = %s AND {column} IS NULL"
    )
    return sql, field  # type: ignore[return-value]


def claim_row(model: type[models.Model], pk: Any, name: str, value: Any, *, using: str = "default") -> bool:
    """Set the empty field ``name`` of one row to ``value`` unless another writer did first: one
    conditional ``UPDATE``, True when this call set it. Of many simultaneous claims of one row
    exactly one wins (the database serialises the writes on the row)."""
    sql, field = _claim_statement(model, name, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_save(value, connection), pk])
        return bool(cursor.rowcount == 1)


@functools.cache
def _values_statement(model: type[models.Model], names: tuple[str, ...], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(_column(model._meta.get_field(name))) for name in names)
    placeholders = ", ".join(["%s"] * len(names))
    # Only the model's own quoted table and column names go into the text; values are parameters.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608


def insert_values(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]], *, using: str = "default"
) -> None:
    """Insert rows given as the database's own values (whole numbers, text, ``None``, and keys
    already prepared with the field's ``get_db_prep_value``) for the fields ``names``, in one
    ``executemany`` — no model instance is built, for rows written by thousands a minute."""
    if not rows:
        return
    with connections[using].cursor() as cursor:
        cursor.executemany(_values_statement(model, tuple(names), using), [list(row) for row in rows])


@contextlib.contextmanager
def sqlite_working_memory(mebibytes: int = 256, *, using: str = "default") -> Iterator[None]:
    """On SQLite, a page cache of ``mebibytes`` for the connection while the block runs, then
    the cache as it was; nothing on other databases.

    For the few batch statements over hundreds of thousands of rows (closing a contest round):
    with SQLite's default cache of 2 MiB they read the same pages from the file again and again.
    (Where temporary sorts go cannot be changed inside a transaction, so it stays as configured.)"""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:
        # Through the driver's own connection: after an error in the block Django refuses every
        # statement until the transaction ends, and the error must reach the caller unchanged.
        raw = connection.connection
        raw.execute(f"PRAGMA cache_size = {cache_size}")


@contextlib.contextmanager
def prepared_cursor(using: str = "default") -> Iterator[Any]:
    """A cursor whose statements PostgreSQL plans once per connection and then runs from the plan
    it keeps; Django's own cursor on other databases, or when ``LANTOA_PREPARED_STATEMENTS`` is
    off (a pool in transaction mode that cannot carry prepared statements).

    For the few statements a public hot path runs on every request (a contest submission's read
    and write): planning the submission's read, a join of two tables, cost more than running it
    (0.24 ms against 0.11 ms prepared, docs/benchmarks.md). Django's cursor binds values into the
    text on the client, which cannot be prepared; this one sends them apart (server-side
    binding). It is wrapped as Django wraps its own cursors, so database errors, execute wrappers
    and the query log (the tests' query counts) see its statements. Connections are kept between
    requests (``CONN_MAX_AGE``), so a worker plans each statement once."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.LANTOA_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    # Django's cursor opens the connection, checks the thread and tells whether queries are logged.
    with connection.cursor() as django_cursor:
        raw = _prepared_cursor_class()(connection.connection)
        wrapper = _LoggedPrepared if isinstance(django_cursor, CursorDebugWrapper) else CursorWrapper
        try:
            yield wrapper(raw, connection)
        finally:
            raw.close()


class _LoggedPrepared(CursorDebugWrapper):
    """Logs a prepared statement's text and values as Django logs an ``executemany``: psycopg does
    not keep the text with the values that Django's log reads for a single statement."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


@functools.cache
def _prepared_cursor_class() -> type:
    import psycopg

    class PreparedCursor(psycopg.Cursor):  # type: ignore[type-arg]
        """Prepares every statement it runs (the connection's threshold never does)."""

        def execute(
            self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
        ) -> Any:
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor
