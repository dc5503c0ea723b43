//! Ordered lists that belong to a node (aliases, sources, evidence, what a statement is about),
//! each kept in a table of (owner, position, value).

use std::collections::HashMap;

use super::conn::{Conn, params};
use super::{StorageError, array};
use crate::model::{Id, Text};

/// A list table: its name and the names of its owner and value columns.
#[derive(Debug, Clone, Copy)]
pub struct ListTable {
    table: &'static str,
    owner: &'static str,
    value: &'static str,
}

/// Names and spellings of actors and locations.
pub const ALIASES: ListTable = ListTable {
    table: "aliases",
    owner: "node_id",
    value: "alias",
};
/// Sources that mention an actor, location or event.
pub const NODE_SOURCES: ListTable = ListTable {
    table: "node_sources",
    owner: "node_id",
    value: "source_id",
};
/// What a statement is about.
pub const ABOUT: ListTable = ListTable {
    table: "statement_about",
    owner: "statement_id",
    value: "node_id",
};
/// The statements that are a claim's evidence.
pub const EVIDENCE: ListTable = ListTable {
    table: "claim_evidence",
    owner: "claim_id",
    value: "statement_id",
};

impl ListTable {
    /// The owner's list, in order.
    pub fn read(&self, conn: &Conn<'_>, owner: &str) -> Result<Vec<String>, StorageError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = ?1 ORDER BY position",
            self.value, self.table, self.owner
        );
        conn.query_rows(&sql, params![owner], |r| r.get::<String>(0))
    }

    /// The owner's list read as ids.
    pub fn read_ids(&self, conn: &Conn<'_>, owner: &str) -> Result<Vec<Id>, StorageError> {
        self.read(conn, owner)?
            .into_iter()
            .map(|s| Id::parse(&s).map_err(StorageError::Corrupt))
            .collect()
    }

    /// The owner's list read as texts.
    pub fn read_texts(&self, conn: &Conn<'_>, owner: &str) -> Result<Vec<Text>, StorageError> {
        self.read(conn, owner)?
            .into_iter()
            .map(|s| Text::try_from(s).map_err(StorageError::Corrupt))
            .collect()
    }

    /// The lists of many owners at once, each in order; owners without items are absent.
    pub fn read_many(
        &self,
        conn: &Conn<'_>,
        owners: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StorageError> {
        let sql = format!(
            "SELECT {owner}, {value} FROM {table} WHERE {owner} IN rarray(?1) ORDER BY {owner}, position",
            owner = self.owner,
            value = self.value,
            table = self.table
        );
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        conn.for_each_row(&sql, params![array(owners)], |r| {
            out.entry(r.get(0)?).or_default().push(r.get(1)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Replaces the owner's list, given the stored one (`None` for a new owner, which has
    /// nothing to delete).
    pub fn replace<S: AsRef<str> + PartialEq>(
        &self,
        conn: &Conn<'_>,
        owner: &str,
        stored: Option<&[S]>,
        values: &[S],
    ) -> Result<(), StorageError> {
        match stored {
            Some(stored) if stored == values => return Ok(()),
            Some(_) => {
                let delete = format!("DELETE FROM {} WHERE {} = ?1", self.table, self.owner);
                conn.execute(&delete, params![owner])?;
            }
            None => {}
        }
        let insert = format!(
            "INSERT INTO {} ({}, position, {}) VALUES (?1, ?2, ?3)",
            self.table, self.owner, self.value
        );
        for (i, v) in values.iter().enumerate() {
            conn.execute(&insert, params![owner, i as i64, v.as_ref()])?;
        }
        Ok(())
    }
}
