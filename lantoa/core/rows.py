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
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connections, models
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


def insert_row(obj: models.Model, *, using: str = "default") -> models.Model:
    """Insert ``obj`` as a new row and give it its primary key; returns ``obj``."""
    sql, fields, returning = _insert_statement(type(obj), using)
    connection = connections[using]
    values = [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
    with connection.cursor() as cursor:
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
