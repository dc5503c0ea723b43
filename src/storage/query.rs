//! Top-level lists with filters and keyset pagination: a page is "the next N after this sort
//! key", so cursors stay valid while the graph grows. Counts use the same filters.

use super::StorageError;
use super::conn::{Conn, Param, bind, text};

/// Which page of a list: the `limit` items after `after`, or (backward) before `before`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Window {
    /// Exclusive lower bound on the sort key.
    pub after: Option<String>,
    /// Exclusive upper bound on the sort key.
    pub before: Option<String>,
    /// How many items.
    pub limit: usize,
    /// Take the last `limit` items below `before` instead of the first above `after`.
    pub backward: bool,
}

/// A page of ids with their sort keys (the cursors' contents).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The ids, in list order.
    pub ids: Vec<String>,
    /// Each id's sort key.
    pub keys: Vec<String>,
    /// Whether items come before the page.
    pub has_previous: bool,
    /// Whether items come after the page.
    pub has_next: bool,
}

/// A filtered list of one record table: conditions over `t`, the table's alias.
#[derive(Debug, Clone)]
pub struct ListSpec {
    table: &'static str,
    key: &'static str,
    conditions: Vec<String>,
    params: Vec<Param<'static>>,
}

/// Sorts events and statements by when they happened (undated last), then by id.
const BY_DAY: &str = "coalesce(t.first_day, '9999-12-31') || '|' || t.id";
/// Sorts everything else by id.
const BY_ID: &str = "t.id";

impl ListSpec {
    /// Every record of `table`; events and statements in time order, the rest by id.
    pub fn new(table: &'static str) -> ListSpec {
        let key = if matches!(table, "events" | "statements") {
            BY_DAY
        } else {
            BY_ID
        };
        ListSpec {
            table,
            key,
            conditions: Vec::new(),
            params: Vec::new(),
        }
    }

    /// Adds a condition whose `?` placeholders take `params` in order.
    pub fn when(mut self, condition: &str, params: Vec<Param<'static>>) -> ListSpec {
        let mut sql = String::new();
        let mut next = self.params.len();
        // Between every two parts of the split stood a `?`.
        for (i, part) in condition.split('?').enumerate() {
            if i > 0 {
                next += 1;
                sql.push_str(&format!("?{next}"));
            }
            sql.push_str(part);
        }
        self.conditions.push(sql);
        self.params.extend(params);
        self
    }

    fn where_clause(&self, extra: Option<&str>) -> String {
        let mut all: Vec<String> = self.conditions.iter().map(|c| format!("({c})")).collect();
        if let Some(e) = extra {
            all.push(e.to_owned());
        }
        if all.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", all.join(" AND "))
        }
    }

    /// Whether `key` has the shape of this list's sort keys (a cursor from this kind of list).
    pub fn accepts_key(&self, key: &str) -> bool {
        let id_ok = |id: &str| crate::model::Id::parse(id).is_ok();
        if self.key == BY_DAY {
            key.split_once('|').is_some_and(|(day, id)| {
                chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok() && id_ok(id)
            })
        } else {
            id_ok(key)
        }
    }

    /// How many records match.
    pub fn count(&self, conn: &Conn<'_>) -> Result<i64, StorageError> {
        let sql = format!(
            "SELECT count(*) FROM {} t {}",
            self.table,
            self.where_clause(None)
        );
        conn.query_one(&sql, &bind(&self.params), |r| r.get(0))
    }

    /// One page of matching ids; with `neighbours`, also whether items precede and follow it.
    pub fn page(
        &self,
        conn: &Conn<'_>,
        window: &Window,
        neighbours: bool,
    ) -> Result<Page, StorageError> {
        let order = if window.backward { "DESC" } else { "ASC" };
        let mut params = self.params.clone();
        let mut bounds = Vec::new();
        for (bound, op) in [(&window.after, ">"), (&window.before, "<")] {
            if let Some(b) = bound {
                params.push(text(b.clone()));
                bounds.push(format!("{} {op} ?{}", self.key, params.len()));
            }
        }
        let extra = (!bounds.is_empty()).then(|| bounds.join(" AND "));
        params.push(Param::Integer(window.limit as i64 + 1));
        let sql = format!(
            "SELECT t.id, {key} FROM {table} t {where_} ORDER BY {key} {order} LIMIT ?{limit}",
            key = self.key,
            table = self.table,
            where_ = self.where_clause(extra.as_deref()),
            limit = params.len(),
        );
        let mut rows: Vec<(String, String)> =
            conn.query_rows(&sql, &bind(&params), |r| Ok((r.get(0)?, r.get(1)?)))?;
        // The row past the page, read with it, already says there is more in that direction.
        let more_ahead = rows.len() > window.limit;
        rows.truncate(window.limit);
        if window.backward {
            rows.reverse();
        }
        let (ids, keys): (Vec<String>, Vec<String>) = rows.into_iter().unzip();
        let (has_previous, has_next) = match (keys.first(), keys.last()) {
            (Some(first), Some(last)) if neighbours => (
                (window.backward && more_ahead) || self.exists(conn, "<", first)?,
                (!window.backward && more_ahead) || self.exists(conn, ">", last)?,
            ),
            _ => (false, false),
        };
        Ok(Page {
            ids,
            keys,
            has_previous,
            has_next,
        })
    }

    /// Whether a matching record sorts before (`<`) or after (`>`) `key`.
    fn exists(&self, conn: &Conn<'_>, op: &str, key: &str) -> Result<bool, StorageError> {
        let mut params = self.params.clone();
        params.push(text(key));
        let cond = format!("{} {op} ?{}", self.key, params.len());
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {} t {})",
            self.table,
            self.where_clause(Some(&cond))
        );
        conn.query_one(&sql, &bind(&params), |r| r.get(0))
    }
}

/// `%text%` for LIKE, with LIKE's own wildcards escaped (use `ESCAPE '\'`).
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The condition "location column lies in `?` or anywhere inside it".
pub fn within(column: &str) -> String {
    format!(
        "{column} IN (WITH RECURSIVE inside(id) AS (SELECT ? UNION
             SELECT l.id FROM locations l JOIN inside i ON l.parent_id = i.id)
         SELECT id FROM inside)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_conditions() {
        let spec = ListSpec::new("events")
            .when("t.kind = ?", vec![text("attack")])
            .when(
                "t.last_day >= ? AND t.first_day <= ?",
                vec![Param::Null, Param::Null],
            );
        assert_eq!(spec.conditions[0], "t.kind = ?1");
        assert_eq!(spec.conditions[1], "t.last_day >= ?2 AND t.first_day <= ?3");
        let leading = ListSpec::new("claims").when("? = t.subject_id", vec![Param::Null]);
        assert_eq!(leading.conditions[0], "?1 = t.subject_id");
    }

    #[test]
    fn like_wildcards_in_user_text_are_escaped() {
        assert_eq!(contains_pattern("50%_A"), "%50\\%\\_a%");
    }
}
