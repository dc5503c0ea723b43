#!/usr/bin/env python3
"""Compares the tables the SQLite and PostgreSQL migrations make, column by column.

SQLite: every schema/migrations/*.sql is applied, in order, to an in-memory database.
PostgreSQL: a database already migrated with schema/migrations/postgres/*.sql, read
through `psql`; the arguments are passed to psql as they are, e.g.

    python3 compare.py -h 127.0.0.1 -p 54329 -U postgres -d mig_check

Prints every table of either engine with its columns in order and exits 1 if any table is
missing from one engine or its columns differ. Also compares the named indexes (those the
migrations create, not the ones behind primary keys and UNIQUE), since those are what the
queries rely on.

What differs by design and is left out of the comparison:
- FTS5's shadow tables (search_data, search_idx, …), which exist only in SQLite;
- search.doc, PostgreSQL's generated tsvector, which stands in for FTS5's own index;
- search.rowid: implicit in FTS5 (and written by the Rust code), a real column in
  PostgreSQL; it is listed first on the SQLite side so that the two lists line up;
- PostgreSQL's search indexes (search_doc, search_*_trgm), which FTS5 has internally.
"""

import pathlib
import sqlite3
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
SQLITE_DIR = HERE.parent
FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
PG_ONLY_COLUMNS = {("search", "doc")}
PG_ONLY_INDEXES = {"search_doc", "search_name_trgm", "search_aliases_trgm"}


def sqlite_schema():
    db = sqlite3.connect(":memory:")
    files = sorted(SQLITE_DIR.glob("[0-9]*.sql"))
    if not files:
        sys.exit(f"no SQLite migrations in {SQLITE_DIR}")
    for f in files:
        db.executescript(f.read_text(encoding="utf-8"))
    rows = db.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name"
    ).fetchall()
    virtual = {n for n, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")}
    shadows = {v + s for v in virtual for s in FTS5_SHADOWS}
    tables = {}
    for name, _ in rows:
        if name in shadows or name.startswith("sqlite_"):
            continue
        cols = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
        if name in virtual:
            cols = ["rowid"] + cols
        tables[name] = cols
    indexes = {
        n
        for (n,) in db.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    return tables, indexes


def psql(args, query):
    out = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", *args, "-c", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def postgres_schema(args):
    rows = psql(
        args,
        """SELECT c.relname, a.attname
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
            ORDER BY c.relname, a.attnum""",
    )
    tables = {}
    for table, column in rows:
        cols = tables.setdefault(table, [])
        if (table, column) not in PG_ONLY_COLUMNS:
            cols.append(column)
    indexes = {
        r[0]
        for r in psql(
            args,
            """SELECT i.relname
                 FROM pg_index x
                 JOIN pg_class i ON i.oid = x.indexrelid
                 JOIN pg_class t ON t.oid = x.indrelid
                 JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = current_schema()
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)""",
        )
    }
    return tables, indexes - PG_ONLY_INDEXES


def main():
    lite, lite_idx = sqlite_schema()
    try:
        pg, pg_idx = postgres_schema(sys.argv[1:])
    except subprocess.CalledProcessError as e:
        sys.exit(f"psql failed: {e.stderr.strip()}")
    differ = False
    for table in sorted(set(lite) | set(pg)):
        a, b = lite.get(table), pg.get(table)
        same = a == b
        differ |= not same
        print(f"{'ok  ' if same else 'DIFF'} {table}")
        print(f"     sqlite:   {', '.join(a) if a is not None else '(no such table)'}")
        print(f"     postgres: {', '.join(b) if b is not None else '(no such table)'}")
    if lite_idx != pg_idx:
        differ = True
        print(f"DIFF indexes only in sqlite: {', '.join(sorted(lite_idx - pg_idx)) or '-'}")
        print(f"     indexes only in postgres: {', '.join(sorted(pg_idx - lite_idx)) or '-'}")
    else:
        print(f"ok   {len(lite_idx)} named indexes, the same in both")
    print("columns differ" if differ else "same tables and columns")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
