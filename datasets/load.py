"""Bulk loaders: COPY on PostgreSQL, chunked ``executemany`` on SQLite.

Rows arrive as tuples of storage values (see ``generate``). Both loaders
work inside the caller's transaction, so a failed seed leaves nothing
behind: on PostgreSQL even the indexes dropped for the load come back on
rollback, DDL being transactional there.
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import MetaData, Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeDecorator

from propgraph.db import is_sqlite

Row = tuple[Any, ...]


class Loader(ABC):
    """Appends rows to tables, within the connection's open transaction."""

    def __init__(self, conn: AsyncConnection, metadata: MetaData) -> None:
        self.conn = conn
        self.metadata = metadata

    @abstractmethod
    async def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Insert ``rows``, tuples ordered as ``columns``."""

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Called once before the first insert."""

    async def defer_indexes(self, tables: Sequence[str]) -> int:
        """Drop what slows a bulk load of ``tables``; returns how many steps restoring takes."""
        return 0

    async def restore_indexes(self, step: Callable[[str], None]) -> None:  # noqa: B027 - optional hook
        """Recreate what :meth:`defer_indexes` dropped, exactly as it was."""

    async def finish(self, tables: Sequence[str]) -> None:  # noqa: B027 - optional hook
        """Called once after the last insert, still inside the transaction."""


def loader_for(conn: AsyncConnection, metadata: MetaData) -> Loader:
    return SqliteLoader(conn, metadata) if is_sqlite(conn) else PostgresLoader(conn, metadata)


class SqliteLoader(Loader):
    """``executemany`` of a compiled Core ``insert()``, one call per chunk.

    The statement is compiled once per table; values skip SQLAlchemy's
    per-row parameter handling except where SQLite needs a conversion
    (dates and datetimes become the strings SQLAlchemy would store).
    Scaled decimals already arrive as the stored integers, so their
    TypeDecorator is bypassed on purpose.
    """

    def __init__(self, conn: AsyncConnection, metadata: MetaData) -> None:
        super().__init__(conn, metadata)
        self._prepared: dict[tuple[str, tuple[str, ...]], tuple[str, Callable[[Row], Row]]] = {}

    async def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if not rows:
            return
        sql, convert = self._prepare(table, tuple(columns))
        await self.conn.exec_driver_sql(sql, [convert(row) for row in rows])

    def _prepare(self, name: str, columns: tuple[str, ...]) -> tuple[str, Callable[[Row], Row]]:
        key = (name, columns)
        if key not in self._prepared:
            table: Table = self.metadata.tables[name]
            dialect = self.conn.dialect
            compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
            # The compiled statement lists parameters in the table's column
            # order, which need not be ours.
            order = [columns.index(param) for param in compiled.positiontup or ()]
            processors: list[Callable[[Any], Any] | None] = []
            for position in order:
                column_type = table.c[columns[position]].type
                processors.append(
                    None
                    if isinstance(column_type, TypeDecorator)
                    else column_type.dialect_impl(dialect).bind_processor(dialect)
                )
            self._prepared[key] = (str(compiled), _converter(order, processors))
        return self._prepared[key]


def _converter(
    order: list[int], processors: list[Callable[[Any], Any] | None]
) -> Callable[[Row], Row]:
    if not any(processors):
        if order == list(range(len(order))):
            return lambda row: row
        getter = operator.itemgetter(*order)
        if len(order) == 1:
            return lambda row: (getter(row),)
        return getter
    steps = list(zip(order, processors, strict=True))

    def convert(row: Row) -> Row:
        return tuple(
            row[position] if process is None or row[position] is None else process(row[position])
            for position, process in steps
        )

    return convert


class PostgresLoader(Loader):
    """``COPY ... FROM STDIN`` (binary) through asyncpg's ``copy_records_to_table``.

    For the big tables it also drops foreign keys, unique constraints and
    secondary indexes before the load and recreates them from the saved
    definitions afterwards: one sort per index and one join per foreign key
    is far cheaper than maintaining them row by row for millions of rows.
    The primary key stays (ids ascend, so it only ever appends).
    """

    def __init__(self, conn: AsyncConnection, metadata: MetaData) -> None:
        super().__init__(conn, metadata)
        self._driver: Any = None
        # DDL to run after the load, in order.
        self._restore: list[str] = []

    async def start(self) -> None:
        # The first statement opens the transaction that COPY then joins.
        # More sort memory makes the index rebuilds single-pass.
        await self.conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        raw = await self.conn.get_raw_connection()
        self._driver = raw.driver_connection
        assert self._driver.is_in_transaction()

    async def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if rows:
            await self._driver.copy_records_to_table(table, records=rows, columns=list(columns))

    async def defer_indexes(self, tables: Sequence[str]) -> int:
        uniques: list[str] = []
        indexes: list[str] = []
        foreign_keys: list[str] = []
        for table in tables:
            quoted = self._quote(table)
            constraints = await self.conn.execute(
                text(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = CAST(:t AS regclass) AND contype IN ('f', 'u') "
                    "ORDER BY conname"
                ),
                {"t": table},
            )
            for name, kind, definition in constraints.all():
                restore = f"ALTER TABLE {quoted} ADD CONSTRAINT {self._quote(name)} {definition}"
                (foreign_keys if kind == "f" else uniques).append(restore)
                await self.conn.execute(
                    text(f"ALTER TABLE {quoted} DROP CONSTRAINT {self._quote(name)}")
                )
            # Indexes that no constraint of this table owns (unique constraints'
            # and the primary key's are handled above or kept).
            plain = await self.conn.execute(
                text(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE i.indrelid = CAST(:t AS regclass) AND NOT i.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                    "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid) "
                    "ORDER BY c.relname"
                ),
                {"t": table},
            )
            for name, definition in plain.all():
                indexes.append(definition)
                await self.conn.execute(text(f"DROP INDEX {self._quote(name)}"))
        # Unique constraints and indexes first; foreign keys last, once the
        # referenced keys are all in place.
        self._restore = uniques + indexes + foreign_keys
        return len(self._restore)

    async def restore_indexes(self, step: Callable[[str], None]) -> None:
        for statement in self._restore:
            await self.conn.execute(text(statement))
            step(statement)
        self._restore = []

    async def finish(self, tables: Sequence[str]) -> None:
        # Ids were given explicitly, so the serial sequences never advanced:
        # move each to its table's highest id, or the next ORM insert collides.
        for table in tables:
            if "id" not in self.metadata.tables[table].c:
                continue
            await self.conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:t, 'id'), max(id)) "
                    f"FROM {self._quote(table)} HAVING max(id) IS NOT NULL"
                ),
                {"t": table},
            )

    def _quote(self, name: str) -> str:
        return self.conn.dialect.identifier_preparer.quote(name)
