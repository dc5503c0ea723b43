//! The boundary between the storage functions and the database engine: a [`Conn`] with the
//! few verbs the storage functions use, engine-neutral parameters ([`Param`], [`ToParam`])
//! and rows ([`Row`], [`FromColumn`]).
//!
//! Today the only engine is SQLite (through rusqlite). The storage functions name none of
//! rusqlite's types, so that a second engine can be added behind `Conn` without changing
//! their signatures again (docs/postgres-design.md, step 1).

use std::borrow::Cow;
use std::rc::Rc;

use rusqlite::types::{ToSqlOutput, Value, ValueRef};

use super::StorageError;
use super::pg::{self, PgClient};

/// Which database engine a connection talks to, for the few statements whose text differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite, through rusqlite.
    Sqlite,
    /// PostgreSQL, through the `postgres` crate.
    Postgres,
}

/// A connection to whichever engine the server was started on, inside whatever
/// transaction its owner opened (a read snapshot or the writer's transaction).
pub struct Conn<'a> {
    backend: Backend<'a>,
}

/// The engine-specific connection. A struct around an enum keeps the variants private, so a
/// new engine is one more variant here and one more arm in each verb.
enum Backend<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a PgClient),
}

impl<'a> Conn<'a> {
    /// A connection over an open SQLite connection (or transaction, which derefs to one).
    pub fn sqlite(conn: &'a rusqlite::Connection) -> Conn<'a> {
        Conn {
            backend: Backend::Sqlite(conn),
        }
    }

    /// A connection over a PostgreSQL session, inside the transaction its owner began.
    pub fn postgres(client: &'a PgClient) -> Conn<'a> {
        Conn {
            backend: Backend::Postgres(client),
        }
    }

    /// The engine this connection talks to.
    pub fn engine(&self) -> Engine {
        match self.backend {
            Backend::Sqlite(_) => Engine::Sqlite,
            Backend::Postgres(_) => Engine::Postgres,
        }
    }

    /// The first text on SQLite, the second on PostgreSQL: for the statements whose
    /// dialects differ (see docs/postgres-design.md, section 3).
    pub fn pick<'s>(&self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self.engine() {
            Engine::Sqlite => sqlite,
            Engine::Postgres => postgres,
        }
    }

    /// Runs a query and calls `each` on every row, in order; an error from `each` stops it.
    pub fn for_each_row(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut each: impl FnMut(&Row<'_>) -> Result<(), StorageError>,
    ) -> Result<(), StorageError> {
        match self.backend {
            Backend::Sqlite(c) => {
                // Statements are prepared once per connection and kept, as before the
                // boundary: most storage texts are constants run many times.
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(sqlite_params(params))?;
                while let Some(r) = rows.next()? {
                    each(&Row {
                        inner: RowInner::Sqlite(r),
                    })?;
                }
                Ok(())
            }
            Backend::Postgres(c) => {
                super::database::count_statement_here();
                for r in c.rows(sql, &owned(params))? {
                    each(&Row {
                        inner: RowInner::Postgres(&r),
                    })?;
                }
                Ok(())
            }
        }
    }

    /// Runs a query and maps every row, in order.
    pub fn query_rows<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut map: impl FnMut(&Row<'_>) -> Result<T, StorageError>,
    ) -> Result<Vec<T>, StorageError> {
        let mut out = Vec::new();
        self.for_each_row(sql, params, |r| {
            out.push(map(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Runs a query and maps its first row, if it has one.
    pub fn query_optional<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        map: impl FnOnce(&Row<'_>) -> Result<T, StorageError>,
    ) -> Result<Option<T>, StorageError> {
        match self.backend {
            Backend::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(sqlite_params(params))?;
                match rows.next()? {
                    Some(r) => Ok(Some(map(&Row {
                        inner: RowInner::Sqlite(r),
                    })?)),
                    None => Ok(None),
                }
            }
            Backend::Postgres(c) => {
                super::database::count_statement_here();
                match c.rows(sql, &owned(params))?.first() {
                    Some(r) => Ok(Some(map(&Row {
                        inner: RowInner::Postgres(r),
                    })?)),
                    None => Ok(None),
                }
            }
        }
    }

    /// Runs a query that must return a row, and maps its first one.
    pub fn query_one<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        map: impl FnOnce(&Row<'_>) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        match self.query_optional(sql, params, map)? {
            Some(t) => Ok(t),
            // The same error a missing row gave before the boundary.
            None => Err(rusqlite::Error::QueryReturnedNoRows.into()),
        }
    }

    /// Runs one statement that returns no rows; how many rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> Result<usize, StorageError> {
        match self.backend {
            Backend::Sqlite(c) => Ok(c.prepare_cached(sql)?.execute(sqlite_params(params))?),
            Backend::Postgres(c) => {
                super::database::count_statement_here();
                c.execute(sql, &owned(params))
            }
        }
    }

    /// Runs several statements without parameters, separated by semicolons.
    pub fn execute_batch(&self, sql: &str) -> Result<(), StorageError> {
        match self.backend {
            Backend::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Backend::Postgres(c) => c.batch(sql),
        }
    }
}

/// The parameters as values, for an engine that binds them itself.
fn owned<'p>(params: &'p [&'p dyn ToParam]) -> Vec<Param<'p>> {
    params.iter().map(|p| p.to_param()).collect()
}

/// A parameter value, in terms every engine has.
#[derive(Debug, Clone, PartialEq)]
pub enum Param<'a> {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// A truth value: an integer 0 or 1 in SQLite, a `boolean` where the engine has one.
    Bool(bool),
    /// A text.
    Text(Cow<'a, str>),
    /// A list of texts, for `IN rarray(?)` (SQLite) or `= ANY(?)` (an array elsewhere).
    Texts(Cow<'a, [String]>),
}

/// A list of texts as one parameter (see [`Param::Texts`]).
pub fn texts<S: AsRef<str>>(items: &[S]) -> Param<'static> {
    Param::Texts(Cow::Owned(
        items.iter().map(|s| s.as_ref().to_owned()).collect(),
    ))
}

/// A text as an owned parameter.
pub fn text(s: impl Into<String>) -> Param<'static> {
    Param::Text(Cow::Owned(s.into()))
}

/// A value that can be bound as a statement parameter.
pub trait ToParam {
    /// The value as a parameter, borrowing its text where it can.
    fn to_param(&self) -> Param<'_>;
}

impl ToParam for Param<'_> {
    fn to_param(&self) -> Param<'_> {
        match self {
            // Borrowed, so that binding a kept parameter copies nothing.
            Param::Text(t) => Param::Text(Cow::Borrowed(t)),
            Param::Texts(t) => Param::Texts(Cow::Borrowed(t)),
            other => other.clone(),
        }
    }
}

impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(Cow::Borrowed(self))
    }
}

impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(Cow::Borrowed(self))
    }
}

impl ToParam for i64 {
    fn to_param(&self) -> Param<'_> {
        Param::Integer(*self)
    }
}

impl ToParam for i32 {
    fn to_param(&self) -> Param<'_> {
        Param::Integer(i64::from(*self))
    }
}

impl ToParam for u32 {
    fn to_param(&self) -> Param<'_> {
        Param::Integer(i64::from(*self))
    }
}

impl ToParam for u8 {
    fn to_param(&self) -> Param<'_> {
        Param::Integer(i64::from(*self))
    }
}

impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}

impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Bool(*self)
    }
}

impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        match self {
            Some(v) => v.to_param(),
            None => Param::Null,
        }
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}

/// Parameters as a slice for the verbs of [`Conn`]: `params![a, b]`.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::storage::conn::ToParam]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::storage::conn::ToParam),+] as &[&dyn $crate::storage::conn::ToParam]
    };
}
pub(crate) use params;

/// Owned parameters (such as a list filter's) as the slice the verbs take.
pub fn bind<'p>(params: &'p [Param<'_>]) -> Vec<&'p dyn ToParam> {
    params.iter().map(|p| p as &dyn ToParam).collect()
}

/// Binds engine-neutral parameters to an SQLite statement, in order (`?1`, `?2`, …).
fn sqlite_params<'p>(
    params: &'p [&'p dyn ToParam],
) -> rusqlite::ParamsFromIter<impl Iterator<Item = SqliteValue<'p>>> {
    rusqlite::params_from_iter(params.iter().map(|p| SqliteValue(p.to_param())))
}

/// One parameter as rusqlite binds it.
struct SqliteValue<'a>(Param<'a>);

impl rusqlite::ToSql for SqliteValue<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match &self.0 {
            Param::Null => ToSqlOutput::Owned(Value::Null),
            Param::Integer(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            Param::Real(r) => ToSqlOutput::Owned(Value::Real(*r)),
            // As rusqlite binds a `bool`: SQLite has no boolean type.
            Param::Bool(b) => ToSqlOutput::Owned(Value::Integer(i64::from(*b))),
            Param::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Param::Texts(t) => {
                ToSqlOutput::Array(Rc::new(t.iter().map(|s| Value::Text(s.clone())).collect()))
            }
        })
    }
}

/// One row of a result, read by column position.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

/// The engine-specific row, private like [`Backend`].
enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// The value of column `i` (from 0) as a `T`.
    pub fn get<T: FromColumn>(&self, i: usize) -> Result<T, StorageError> {
        match self.inner {
            RowInner::Sqlite(r) => Ok(T::from_sqlite(r, i)?),
            RowInner::Postgres(r) => T::from_postgres(r, i),
        }
    }
}

/// A type a column can be read as.
pub trait FromColumn: Sized {
    /// Reads column `i` of an SQLite row.
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self>;
    /// Reads column `i` of a PostgreSQL row, converting as SQLite would (an integer as a bool).
    fn from_postgres(row: &postgres::Row, i: usize) -> Result<Self, StorageError>;
}

/// Integer types: rusqlite reads them directly; from PostgreSQL, any integer column that fits.
macro_rules! from_integer_column {
    ($($t:ty),*) => {
        $(impl FromColumn for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
                row.get(i)
            }
            fn from_postgres(row: &postgres::Row, i: usize) -> Result<Self, StorageError> {
                let n = pg::get::<pg::Int>(row, i)?.0;
                <$t>::try_from(n).map_err(|_| {
                    StorageError::Corrupt(format!("column {i} holds {n}, out of range for {}", stringify!($t)))
                })
            }
        })*
    };
}
from_integer_column!(i64, i32, u32, u8, usize);

impl FromColumn for String {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn from_postgres(row: &postgres::Row, i: usize) -> Result<Self, StorageError> {
        Ok(pg::get::<pg::Text>(row, i)?.0)
    }
}

impl FromColumn for f64 {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn from_postgres(row: &postgres::Row, i: usize) -> Result<Self, StorageError> {
        Ok(pg::get::<pg::Real>(row, i)?.0)
    }
}

impl FromColumn for bool {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn from_postgres(row: &postgres::Row, i: usize) -> Result<Self, StorageError> {
        Ok(pg::get::<pg::Int>(row, i)?.0 != 0)
    }
}

impl<T: FromColumn> FromColumn for Option<T> {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        match row.get_ref(i)? {
            ValueRef::Null => Ok(None),
            _ => T::from_sqlite(row, i).map(Some),
        }
    }
    fn from_postgres(row: &postgres::Row, i: usize) -> Result<Self, StorageError> {
        if pg::is_null(row, i)? {
            Ok(None)
        } else {
            T::from_postgres(row, i).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> rusqlite::Connection {
        let raw = rusqlite::Connection::open_in_memory().unwrap();
        rusqlite::vtab::array::load_module(&raw).unwrap();
        raw
    }

    #[test]
    fn parameters_bind_as_sqlite_bound_them_before() {
        let raw = memory();
        let conn = Conn::sqlite(&raw);
        let none: Option<&str> = None;
        let row = conn
            .query_one(
                "SELECT ?1, ?2, ?3, ?4, ?5 IS NULL, typeof(?4)",
                params!["text", 7_i64, 2.5_f64, true, none],
                |r| {
                    Ok((
                        r.get::<String>(0)?,
                        r.get::<i64>(1)?,
                        r.get::<f64>(2)?,
                        r.get::<bool>(3)?,
                        r.get::<bool>(4)?,
                        r.get::<String>(5)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            row,
            ("text".to_owned(), 7, 2.5, true, true, "integer".to_owned())
        );
    }

    #[test]
    fn a_list_of_texts_is_one_parameter() {
        let raw = memory();
        let conn = Conn::sqlite(&raw);
        let found = conn
            .query_rows(
                "SELECT value FROM rarray(?1) ORDER BY value",
                params![texts(&["b", "a"])],
                |r| r.get::<String>(0),
            )
            .unwrap();
        assert_eq!(found, ["a", "b"]);
    }

    #[test]
    fn a_missing_row_is_none_when_optional_and_an_error_when_required() {
        let raw = memory();
        let conn = Conn::sqlite(&raw);
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        let added = conn
            .execute("INSERT INTO t VALUES (?1), (?2)", params![1_i64, 2_i64])
            .unwrap();
        assert_eq!(added, 2);
        let above = "SELECT x FROM t WHERE x > ?1";
        let none = conn
            .query_optional(above, params![5_i64], |r| r.get::<i64>(0))
            .unwrap();
        assert_eq!(none, None);
        assert!(
            conn.query_one(above, params![5_i64], |r| r.get::<i64>(0))
                .is_err()
        );
        let null: Option<i64> = conn
            .query_one("SELECT NULL", params![], |r| r.get(0))
            .unwrap();
        assert_eq!(null, None);
    }

    #[test]
    fn an_error_from_the_row_mapping_stops_the_query() {
        let raw = memory();
        let conn = Conn::sqlite(&raw);
        let mut seen = 0;
        let out = conn.for_each_row(
            "SELECT value FROM rarray(?1)",
            params![texts(&["a", "b", "c"])],
            |_| {
                seen += 1;
                Err(StorageError::Corrupt("stop".into()))
            },
        );
        assert!(matches!(out, Err(StorageError::Corrupt(_))));
        assert_eq!(seen, 1);
    }
}
