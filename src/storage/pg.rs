//! PostgreSQL behind [`super::Conn`]: a client with its own statement cache, SQLite's
//! placeholders and `rarray` lists rewritten into PostgreSQL's once per text, and parameters
//! and columns converted to whatever type the server infers, so that most storage texts run
//! unchanged on both engines (docs/postgres-design.md, section 3).

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;
use std::fmt;

use bytes::BytesMut;
use postgres::error::SqlState;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use super::StorageError;
use super::conn::Param;

/// How many prepared statements one client keeps. Past it the cache is emptied: texts built
/// per request (list filters, name lookups) would otherwise grow it without end.
const STATEMENT_CACHE: usize = 512;

/// One PostgreSQL session, used by one thread at a time (a read, or the writer).
pub struct PgClient {
    /// `None` only while being dropped (see the `Drop` impl).
    client: RefCell<Option<Client>>,
    statements: RefCell<HashMap<String, Statement>>,
    /// Whether a transaction is open (begun by [`PgClient::batch`]).
    in_transaction: std::cell::Cell<bool>,
}

/// An error of the server or the connection, with SQLite's placeholders already gone.
type BoxError = Box<dyn Error + Sync + Send>;

impl PgClient {
    /// Connects to the server at `url` (`postgres://user@host:port/database`).
    pub fn connect(url: &str) -> Result<PgClient, StorageError> {
        let client =
            off_async(|| Client::connect(url, NoTls)).map_err(|source| StorageError::Connect {
                target: redact(url),
                source,
            })?;
        Ok(PgClient {
            client: RefCell::new(Some(client)),
            statements: RefCell::new(HashMap::new()),
            in_transaction: std::cell::Cell::new(false),
        })
    }

    /// Runs statements without parameters (transaction control, migrations).
    pub fn batch(&self, sql: &str) -> Result<(), StorageError> {
        let out = self.session()?.batch_execute(sql);
        let head = sql.trim_start();
        if head.starts_with("BEGIN") {
            self.in_transaction.set(out.is_ok());
        } else if head.starts_with("COMMIT")
            || (head.starts_with("ROLLBACK") && !head.starts_with("ROLLBACK TO"))
        {
            self.in_transaction.set(false);
        }
        Ok(out?)
    }

    /// Every row of a query. Rows are read whole before the caller maps them, so that a
    /// mapping may run statements of its own on the same session.
    pub fn rows(
        &self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<postgres::Row>, StorageError> {
        let stmt = self.statement(sql, params)?;
        let values = values(params);
        Ok(self.session()?.query(&stmt, &refs(&values))?)
    }

    /// Runs one statement; how many rows it changed.
    pub fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<usize, StorageError> {
        let stmt = self.statement(sql, params)?;
        let values = values(params);
        let changed = self.session()?.execute(&stmt, &refs(&values))?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    /// Whether the session is gone (the server closed it or the network failed).
    pub fn is_closed(&self) -> bool {
        self.client.borrow().as_ref().is_none_or(Client::is_closed)
    }

    /// The driver's client, borrowed for one call.
    fn session(&self) -> Result<std::cell::RefMut<'_, Client>, StorageError> {
        std::cell::RefMut::filter_map(self.client.borrow_mut(), Option::as_mut)
            .map_err(|_| StorageError::Unavailable)
    }

    /// The prepared statement for an SQLite-style text, preparing it on first use.
    fn statement(&self, sql: &str, params: &[Param<'_>]) -> Result<Statement, StorageError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let native = rewrite(sql);
        let mut client = self.session()?;
        // A statement PostgreSQL cannot prepare aborts the transaction around it; inside a
        // savepoint, only the savepoint is lost, and the typed retry can go on.
        let guarded = self.in_transaction.get();
        if guarded {
            client.batch_execute("SAVEPOINT claimgraph_prepare")?;
        }
        let stmt = match client.prepare(&native) {
            Ok(stmt) => stmt,
            // `?1 IS NULL` alone gives PostgreSQL nothing to infer a type from; the value's
            // own type does.
            Err(e) if e.code() == Some(&SqlState::INDETERMINATE_DATATYPE) => {
                if guarded {
                    client.batch_execute("ROLLBACK TO SAVEPOINT claimgraph_prepare")?;
                }
                let types: Vec<Type> = params.iter().map(type_of).collect();
                client.prepare_typed(&native, &types)?
            }
            Err(e) => {
                tracing::debug!(sql = native, error = %e, "PostgreSQL refused a statement");
                return Err(e.into());
            }
        };
        if guarded {
            client.batch_execute("RELEASE SAVEPOINT claimgraph_prepare")?;
        }
        let mut cache = self.statements.borrow_mut();
        if cache.len() >= STATEMENT_CACHE {
            cache.clear();
        }
        cache.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }
}

/// The parameters as the driver binds them (see [`PgValue`]).
fn values<'p>(params: &'p [Param<'p>]) -> Vec<PgValue<'p>> {
    params.iter().map(PgValue).collect()
}

/// [`values`] as the slice the driver's calls take.
fn refs<'v>(values: &'v [PgValue<'_>]) -> Vec<&'v (dyn ToSql + Sync)> {
    values.iter().map(|v| v as _).collect()
}

/// Runs `f` on a thread of its own: the driver blocks on a runtime of its own, which
/// panics on a thread that drives async tasks (connecting happens rarely, so the thread
/// costs nothing that matters).
pub fn off_async<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(out) => out,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Listens on the notification channel `channel` of the database at `url`, on a thread of
/// its own: `deliver` gets every payload as it arrives, and `None` about twice a second so
/// that it can say whether to go on (`false` ends the thread). A lost connection is made
/// again after a second; `connected` says whether one is listening now.
pub fn listen(
    url: String,
    channel: &'static str,
    connected: std::sync::Arc<std::sync::atomic::AtomicBool>,
    mut deliver: impl FnMut(Option<String>) -> bool + Send + 'static,
) -> std::io::Result<()> {
    use postgres::fallible_iterator::FallibleIterator;
    use std::sync::atomic::Ordering;
    let tick = std::time::Duration::from_millis(500);
    std::thread::Builder::new()
        .name("pg-listen".into())
        .spawn(move || {
            loop {
                match Client::connect(&url, NoTls)
                    .and_then(|mut c| c.batch_execute(&format!("LISTEN {channel}")).map(|()| c))
                {
                    Ok(mut client) => {
                        connected.store(true, Ordering::Relaxed);
                        tracing::debug!(channel, "listening for changes committed by any replica");
                        let mut notes = client.notifications();
                        let mut heard = notes.timeout_iter(tick);
                        // Each notice goes on as it arrives: under steady writes there may
                        // never be a quiet tick to wait for.
                        loop {
                            match heard.next() {
                                Ok(Some(n)) => {
                                    if !deliver(Some(n.payload().to_owned())) {
                                        return;
                                    }
                                }
                                Ok(None) => {
                                    if !deliver(None) {
                                        return;
                                    }
                                }
                                Err(e) => {
                                    tracing::warn!(error = %e, "the change listener lost its connection");
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "the change listener cannot connect"),
                }
                connected.store(false, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_secs(1));
                if !deliver(None) {
                    return;
                }
            }
        })
        .map(|_| ())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The type a parameter stands for when the server cannot infer one.
fn type_of(param: &Param<'_>) -> Type {
    match param {
        Param::Null | Param::Text(_) => Type::TEXT,
        Param::Integer(_) => Type::INT8,
        Param::Real(_) => Type::FLOAT8,
        Param::Bool(_) => Type::BOOL,
        Param::Texts(_) => Type::TEXT_ARRAY,
    }
}

/// SQLite idioms of the storage texts and their exact PostgreSQL equivalents. Anything
/// else that differs is written twice beside its function and chosen with
/// [`super::Conn::pick`].
const IDIOMS: &[(&str, &str)] = &[
    // The current time as history records it: UTC, milliseconds, ISO 8601.
    (
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
    ),
    // Same arguments, same ORDER BY inside.
    ("group_concat(", "string_agg("),
];

/// An SQLite-style text in PostgreSQL's dialect: `?N` and `?` become `$N`, `x IN rarray(?N)`
/// becomes `x = ANY($N)`, `FROM rarray(?N)` a set of `value`s, `INSERT OR IGNORE` an insert
/// `ON CONFLICT DO NOTHING`, and the [`IDIOMS`] their equivalents. Quoted text and comments
/// are left as they are.
pub fn rewrite(sql: &str) -> String {
    let mut sql = std::borrow::Cow::Borrowed(sql);
    for (sqlite, postgres) in IDIOMS {
        if sql.contains(sqlite) {
            sql = std::borrow::Cow::Owned(sql.replace(sqlite, postgres));
        }
    }
    let trimmed = sql.trim_start();
    if let Some(rest) = trimmed.strip_prefix("INSERT OR IGNORE INTO") {
        return format!(
            "{} ON CONFLICT DO NOTHING",
            placeholders(&format!("INSERT INTO{rest}"))
        );
    }
    placeholders(&sql)
}

/// [`rewrite`]'s scan for placeholders and `rarray`.
fn placeholders(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 1_u32;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' | b'"' => {
                let end = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == c)
                    .map_or(bytes.len(), |p| i + 2 + p);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'?' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let n = if digits == 0 {
                    let n = next;
                    next += 1;
                    n.to_string()
                } else {
                    sql[i + 1..i + 1 + digits].to_owned()
                };
                out.push('$');
                out.push_str(&n);
                i += 1 + digits;
            }
            _ if starts_word(sql, i, "IN rarray(") => {
                out.push_str("= ANY(");
                i += "IN rarray(".len();
            }
            _ if starts_word(sql, i, "FROM rarray(") => {
                let close = sql[i..].find(')').map_or(sql.len(), |p| i + p);
                let inner = placeholders(&sql[i + "FROM rarray(".len()..close]);
                let (alias, end) = table_alias(sql, close + 1);
                out.push_str("FROM unnest(");
                out.push_str(&inner);
                out.push_str("::text[]) AS ");
                out.push_str(alias.unwrap_or("rarray"));
                out.push_str("(value)");
                i = end;
            }
            // SQLite's `a IS b` compares any two values, NULL or not.
            _ if starts_word(sql, i, "IS ") => {
                let rest = &sql[i + 3..];
                let (not, rest) = match rest.strip_prefix("NOT ") {
                    Some(r) => (true, r),
                    None => (false, rest),
                };
                let next: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect::<String>()
                    .to_ascii_uppercase();
                if matches!(next.as_str(), "NULL" | "TRUE" | "FALSE" | "DISTINCT") {
                    out.push_str("IS ");
                    i += 3;
                } else {
                    out.push_str(if not {
                        "IS DISTINCT FROM "
                    } else {
                        "IS NOT DISTINCT FROM "
                    });
                    i += 3 + if not { 4 } else { 0 };
                }
            }
            // SQLite's unary plus on a column (`AND +object_id = …`) keeps the planner off
            // that column's index; PostgreSQL has no `+` for text, and plans by itself.
            b'+' if unary_plus(sql, i) => i += 1,
            _ => {
                // Whole characters, so that text outside quotes stays valid UTF-8.
                let len = utf8_len(c);
                out.push_str(&sql[i..(i + len).min(sql.len())]);
                i += len;
            }
        }
    }
    out
}

/// The alias after a table function ending at byte `from` (`rarray(?1) n`, `… AS n`), and
/// where the text goes on after it.
fn table_alias(sql: &str, from: usize) -> (Option<&str>, usize) {
    const NOT_ALIASES: &[&str] = &[
        "JOIN",
        "LEFT",
        "INNER",
        "CROSS",
        "WHERE",
        "ORDER",
        "GROUP",
        "LIMIT",
        "ON",
        "UNION",
        "HAVING",
        "WINDOW",
        "EXCEPT",
        "INTERSECT",
    ];
    let rest = &sql[from..];
    let skipped = rest.len() - rest.trim_start().len();
    let mut at = from + skipped;
    if starts_word(sql, at, "AS ") {
        at += 3;
        at += sql[at..].len() - sql[at..].trim_start().len();
    }
    let word_len = sql[at..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let word = &sql[at..at + word_len];
    if word.is_empty() || NOT_ALIASES.iter().any(|k| k.eq_ignore_ascii_case(word)) {
        (None, from)
    } else {
        (Some(word), at + word_len)
    }
}

/// Whether the `+` at byte `i` is a unary plus before a column, not an addition.
fn unary_plus(sql: &str, i: usize) -> bool {
    let bytes = sql.as_bytes();
    let before = sql[..i].trim_end();
    let next_is_name = bytes
        .get(i + 1)
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    let after_operator = before.ends_with(['(', '=', ',', '<', '>'])
        || ["AND", "OR", "WHERE", "ON", "NOT"].iter().any(|k| {
            before.len() >= k.len() && before[before.len() - k.len()..].eq_ignore_ascii_case(k)
        });
    next_is_name && after_operator
}

/// Whether `word` starts at byte `i` of `sql`, case-insensitively, after a non-word byte.
fn starts_word(sql: &str, i: usize, word: &str) -> bool {
    let before_ok =
        i == 0 || !sql.as_bytes()[i - 1].is_ascii_alphanumeric() && sql.as_bytes()[i - 1] != b'_';
    before_ok
        && sql
            .get(i..i + word.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A parameter bound as the type the server inferred for its place: an integer may stand
/// where PostgreSQL wants a boolean or a double, as SQLite lets it.
#[derive(Debug)]
struct PgValue<'a>(&'a Param<'a>);

impl ToSql for PgValue<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self.0 {
            Param::Null => Ok(IsNull::Yes),
            Param::Integer(i) => integer_as(*i, ty, out),
            Param::Bool(b) if *ty == Type::BOOL => b.to_sql(ty, out),
            Param::Bool(b) => integer_as(i64::from(*b), ty, out),
            Param::Real(r) => match *ty {
                Type::FLOAT8 => r.to_sql(ty, out),
                #[allow(clippy::cast_possible_truncation)]
                Type::FLOAT4 => (*r as f32).to_sql(ty, out),
                _ if is_text(ty) => r.to_string().to_sql(ty, out),
                _ => Err(mismatch("a real number", ty)),
            },
            Param::Text(t) => match *ty {
                _ if is_text(ty) => t.as_ref().to_sql(ty, out),
                Type::INT8 | Type::INT4 | Type::INT2 => {
                    integer_as(t.parse().map_err(|_| mismatch("a text", ty))?, ty, out)
                }
                Type::FLOAT8 => t
                    .parse::<f64>()
                    .map_err(|_| mismatch("a text", ty))?
                    .to_sql(ty, out),
                _ => Err(mismatch("a text", ty)),
            },
            Param::Texts(items) => match *ty {
                Type::INT8_ARRAY => items
                    .iter()
                    .map(|s| s.parse::<i64>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| mismatch("a list of texts", ty))?
                    .to_sql(ty, out),
                _ => items.as_ref().to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn is_text(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
    )
}

fn integer_as(i: i64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::INT8 => i.to_sql(ty, out),
        Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
        Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
        Type::BOOL => (i != 0).to_sql(ty, out),
        #[allow(clippy::cast_precision_loss)]
        Type::FLOAT8 => (i as f64).to_sql(ty, out),
        _ if is_text(ty) => i.to_string().to_sql(ty, out),
        _ => Err(mismatch("an integer", ty)),
    }
}

fn mismatch(what: &str, ty: &Type) -> BoxError {
    format!("{what} cannot be bound where PostgreSQL expects {ty}").into()
}

/// A column read as an integer, whatever integer (or boolean) type it has.
pub struct Int(pub i64);

impl<'a> FromSql<'a> for Int {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Int(match *ty {
            Type::INT8 => i64::from_sql(ty, raw)?,
            Type::INT4 => i64::from(i32::from_sql(ty, raw)?),
            Type::INT2 => i64::from(i16::from_sql(ty, raw)?),
            Type::BOOL => i64::from(bool::from_sql(ty, raw)?),
            _ => return Err(format!("a column of type {ty} is not an integer").into()),
        }))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A column read as a double, from any number type but `numeric`.
pub struct Real(pub f64);

impl<'a> FromSql<'a> for Real {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Real(match *ty {
            Type::FLOAT8 => f64::from_sql(ty, raw)?,
            Type::FLOAT4 => f64::from(f32::from_sql(ty, raw)?),
            #[allow(clippy::cast_precision_loss)]
            _ => Int::from_sql(ty, raw)?.0 as f64,
        }))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A column read as text, from any text type.
pub struct Text(pub String);

impl<'a> FromSql<'a> for Text {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        if is_text(ty) || *ty == Type::JSON {
            Ok(Text(String::from_utf8(raw.to_vec())?))
        } else {
            Err(format!("a column of type {ty} is not text").into())
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Whether a column holds a value, whatever its type.
pub struct Present;

impl<'a> FromSql<'a> for Present {
    fn from_sql(_: &Type, _: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Present)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Reads column `i` as `T`, with the column's position in the error.
pub fn get<'r, T: FromSql<'r>>(row: &'r postgres::Row, i: usize) -> Result<T, StorageError> {
    row.try_get(i)
        .map_err(|e| StorageError::Corrupt(format!("column {i} cannot be read: {}", source_of(&e))))
}

/// Whether column `i` is NULL.
pub fn is_null(row: &postgres::Row, i: usize) -> Result<bool, StorageError> {
    Ok(get::<Option<Present>>(row, i)?.is_none())
}

fn source_of(e: &postgres::Error) -> String {
    e.source()
        .map_or_else(|| e.to_string(), ToString::to_string)
}

impl Drop for PgClient {
    fn drop(&mut self) {
        // The driver's client says goodbye to the server by blocking on its own runtime,
        // which panics on a thread that drives async tasks; such a thread hands it to one
        // of its own.
        if let Some(client) = self.client.get_mut().take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            let spawned = std::thread::Builder::new()
                .name("pg-close".into())
                .spawn(move || drop(client));
            if let Err(e) = spawned {
                tracing::debug!(error = %e, "a PostgreSQL session is left to the server to close");
            }
        }
    }
}

impl fmt::Debug for PgClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgClient")
            .field("statements", &self.statements.borrow().len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_lists_are_rewritten_outside_quotes() {
        assert_eq!(
            rewrite("SELECT '?1', x FROM t WHERE id IN rarray(?1) AND y = ?2 -- ?3"),
            "SELECT '?1', x FROM t WHERE id = ANY($1) AND y = $2 -- ?3"
        );
        assert_eq!(rewrite("VALUES (?, ?)"), "VALUES ($1, $2)");
        assert_eq!(
            rewrite("SELECT value FROM rarray(?2) ORDER BY value"),
            "SELECT value FROM unnest($2::text[]) AS rarray(value) ORDER BY value"
        );
        assert_eq!(
            rewrite("SELECT n.value FROM rarray(?1) n JOIN t ON t.id = n.value"),
            "SELECT n.value FROM unnest($1::text[]) AS n(value) JOIN t ON t.id = n.value"
        );
        assert_eq!(rewrite("SELECT 'Ā' || ?1"), "SELECT 'Ā' || $1");
        assert_eq!(
            rewrite("INSERT OR IGNORE INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"
        );
    }

    #[test]
    fn sqlite_comparisons_become_postgresql_ones() {
        assert_eq!(
            rewrite("WHERE a IS b AND c IS NOT d AND e IS NULL AND f IS NOT NULL"),
            "WHERE a IS NOT DISTINCT FROM b AND c IS DISTINCT FROM d AND e IS NULL AND f IS NOT NULL"
        );
        assert_eq!(
            rewrite("WHERE x = 1 AND +object_id IN rarray(?1) AND y = a + b"),
            "WHERE x = 1 AND object_id = ANY($1) AND y = a + b"
        );
    }

    #[test]
    fn a_password_is_not_shown() {
        assert_eq!(
            redact("postgres://ana:secret@db:5432/graph"),
            "postgres://ana:***@db:5432/graph"
        );
        assert_eq!(redact("postgres://ana@db/graph"), "postgres://ana@db/graph");
    }
}
