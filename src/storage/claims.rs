//! Claims in SQLite.

use super::conn::{Conn, Row, params};
use super::lists::EVIDENCE;
use super::{Outcome, StorageError, all_ids, array, columns as col, take_ids};
use crate::model::{
    AssertedBy, Claim, ClaimStatus, Confidence, Credibility, Id, LiteralValue, Qualifiers, Relation,
};

const SELECT: &str = "SELECT id, subject_id, relation, object_id, value_amount, value_unit,
    value_approximate, value_text, asserted_by_id, source_id, confidence, credibility, status,
    asserted_date, asserted_until, asserted_part, valid_from, valid_to, qualifiers, note
    FROM claims";

fn bounded<T: TryFrom<i64, Error = String>>(r: &Row<'_>, i: usize) -> Result<T, StorageError> {
    let n: i64 = r.get(i)?;
    T::try_from(n).map_err(|e| super::error::bad_integer(i, e))
}

fn from_row(r: &Row<'_>) -> Result<Claim, StorageError> {
    let amount: Option<f64> = r.get(4)?;
    let text: Option<String> = r.get(7)?;
    let value =
        (amount.is_some() || text.is_some()).then(|| -> Result<LiteralValue, StorageError> {
            Ok(LiteralValue {
                amount,
                unit: r.get(5)?,
                approximate: r.get(6)?,
                text: text.clone(),
            })
        });
    let credibility: Option<i64> = r.get(11)?;
    Ok(Claim {
        id: col::id(r, 0)?,
        subject: col::id(r, 1)?,
        relation: col::word(r, 2, Relation::parse)?,
        object: col::opt_id(r, 3)?,
        value: value.transpose()?.map(Box::new),
        asserted_by: col::opt_id(r, 8)?.map_or(AssertedBy::Unknown, AssertedBy::Actor),
        source: col::id(r, 9)?,
        evidence: Vec::new(),
        confidence: bounded::<Confidence>(r, 10)?,
        credibility: match credibility {
            Some(_) => Some(bounded::<Credibility>(r, 11)?),
            None => None,
        },
        status: col::word(r, 12, ClaimStatus::parse)?,
        asserted_on: col::when(r, 13)?,
        valid_from: col::date(r, 16)?,
        valid_to: col::date(r, 17)?,
        qualifiers: col::json::<Qualifiers>(r, 18)?.unwrap_or_default(),
        note: r.get(19)?,
    })
}

/// The claims with these ids, by id; ids that name no claim are skipped.
pub fn get_many(conn: &Conn<'_>, ids: &[String]) -> Result<Vec<Claim>, StorageError> {
    let sql = format!("{SELECT} WHERE id IN rarray(?1) ORDER BY id");
    let rows: Vec<Claim> = conn.query_rows(&sql, params![array(ids)], from_row)?;
    let mut evidence = EVIDENCE.read_many(conn, ids)?;
    let mut out = rows;
    for r in &mut out {
        r.evidence = take_ids(&mut evidence, r.id.as_str())?;
    }
    Ok(out)
}

/// What a claim links, without the rest of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ends {
    /// The claim's subject.
    pub subject: String,
    /// The claim's object, unless it states a value.
    pub object: Option<String>,
}

/// The ends of the claims with these ids, by id: what a list of links needs when the query
/// does not ask for the claims themselves.
pub fn ends_many(
    conn: &Conn<'_>,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Ends>, StorageError> {
    let rows = conn.query_rows(
        "SELECT id, subject_id, object_id FROM claims WHERE id IN rarray(?1)",
        params![array(ids)],
        |r| {
            Ok((
                r.get::<String>(0)?,
                Ends {
                    subject: r.get(1)?,
                    object: r.get(2)?,
                },
            ))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// The claim with this id.
pub fn get(conn: &Conn<'_>, id: &str) -> Result<Option<Claim>, StorageError> {
    Ok(get_many(conn, &[id.to_owned()])?.pop())
}

/// Who asserts the claim with this id (`None` when there is no such claim).
pub fn asserter(conn: &Conn<'_>, id: &str) -> Result<Option<AssertedBy>, StorageError> {
    conn.query_optional(
        "SELECT asserted_by_id FROM claims WHERE id = ?1",
        params![id],
        |r| Ok(col::opt_id(r, 0)?.map_or(AssertedBy::Unknown, AssertedBy::Actor)),
    )
}

/// Every claim, by id.
pub fn all(conn: &Conn<'_>) -> Result<Vec<Claim>, StorageError> {
    let ids = all_ids(conn, "claims")?;
    get_many(conn, &ids)
}

/// Inserts or updates the claim, given the stored one (`before`, which the caller reads for history too).
pub fn upsert(conn: &Conn<'_>, c: &Claim, before: Option<&Claim>) -> Result<Outcome, StorageError> {
    if before == Some(c) {
        return Ok(Outcome::Unchanged);
    }
    let [date, until, part, _, _] = col::when_params(c.asserted_on.as_ref());
    let v = c.value.as_ref();
    let qualifiers =
        serde_json::to_string(&c.qualifiers).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    conn.execute("INSERT INTO claims (id, subject_id, relation, object_id, value_amount, value_unit,
             value_approximate, value_text, asserted_by_id, source_id, confidence, credibility,
             status, asserted_date, asserted_until, asserted_part, valid_from, valid_to,
             qualifiers, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
         ON CONFLICT (id) DO UPDATE SET subject_id = excluded.subject_id,
             relation = excluded.relation, object_id = excluded.object_id,
             value_amount = excluded.value_amount, value_unit = excluded.value_unit,
             value_approximate = excluded.value_approximate, value_text = excluded.value_text,
             asserted_by_id = excluded.asserted_by_id, source_id = excluded.source_id,
             confidence = excluded.confidence, credibility = excluded.credibility,
             status = excluded.status, asserted_date = excluded.asserted_date,
             asserted_until = excluded.asserted_until, asserted_part = excluded.asserted_part,
             valid_from = excluded.valid_from, valid_to = excluded.valid_to,
             qualifiers = excluded.qualifiers, note = excluded.note", params![
        c.id.as_str(),
        c.subject.as_str(),
        c.relation.as_str(),
        c.object.as_ref().map(Id::as_str),
        v.and_then(|v| v.amount),
        v.and_then(|v| v.unit.as_deref()),
        v.is_some_and(|v| v.approximate),
        v.and_then(|v| v.text.as_deref()),
        c.asserted_by.actor().map(Id::as_str),
        c.source.as_str(),
        c.confidence.get(),
        c.credibility.map(|x| x.get()),
        c.status.as_str(),
        date,
        until,
        part,
        c.valid_from.map(|d| d.to_string()),
        c.valid_to.map(|d| d.to_string()),
        qualifiers,
        c.note,
    ])?;
    EVIDENCE.replace(
        conn,
        c.id.as_str(),
        before.map(|b| &b.evidence[..]),
        &c.evidence,
    )?;
    Ok(Outcome::written(before.is_some()))
}
