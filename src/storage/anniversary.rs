//! Derived anniversary links: an earlier event whose calendar day falls within a window of
//! the same day in a later year. These are computed from dates, not asserted by anyone; the
//! claims that do assert such a motive are found beside them.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::conn::{Conn, params};
use super::related::{Related, related};
use super::{StorageError, array};

/// The widest window, in days either side.
pub const MAX_WINDOW_DAYS: u32 = 31;

/// The most earlier events compared with the events asked about.
pub const MAX_CANDIDATES: usize = 250_000;

/// The rule derived anniversary links follow, as the API names it.
pub const RULE: &str = "same_calendar_day";

/// One derived anniversary link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anniversary {
    /// The earlier event.
    pub earlier: String,
    /// Its day.
    pub earlier_day: NaiveDate,
    /// Which anniversary (2 for the second).
    pub years: u32,
    /// That anniversary's day.
    pub anniversary_day: NaiveDate,
    /// Days from the anniversary to the later event's day (negative: before it).
    pub day_gap: i64,
    /// The claims asserting that the later event (or a campaign it is part of) marked, or was
    /// motivated by, the earlier one.
    pub asserted_by_claims: Vec<String>,
}

/// The same month and day in `year`; 29 February becomes the 28th in a common year.
fn same_day_in(day: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, day.month(), day.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, day.month(), day.day() - 1))
}

/// The anniversary of `earlier` nearest to `later`, if within `window` days and at least a year on.
pub fn nearest(earlier: NaiveDate, later: NaiveDate, window: u32) -> Option<(u32, NaiveDate, i64)> {
    (later.year() - 1..=later.year() + 1)
        .filter_map(|y| {
            let years = u32::try_from(y - earlier.year()).ok().filter(|n| *n >= 1)?;
            let day = same_day_in(earlier, y)?;
            let gap = (later - day).num_days();
            (gap.unsigned_abs() <= u64::from(window)).then_some((years, day, gap))
        })
        .min_by_key(|(_, _, gap)| gap.abs())
}

/// A day's place in the calendar, "MM-DD", as `events_calendar` indexes it.
fn month_day(day: NaiveDate) -> String {
    format!("{:02}-{:02}", day.month(), day.day())
}

/// The calendar days on which an earlier event's anniversary can fall within `window` days
/// of `day`: the days of the window, and 29 February when the 28th is one of them (in a
/// common year its anniversary is kept on the 28th).
fn calendar_days(day: NaiveDate, window: u32) -> Vec<String> {
    let window = i64::from(window);
    let mut out: Vec<String> = (-window..=window)
        .filter_map(|offset| day.checked_add_signed(chrono::TimeDelta::days(offset)))
        .map(month_day)
        .collect();
    if out.iter().any(|d| d == "02-28") {
        out.push("02-29".into());
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The derived anniversary links of each of these events (those dated to the day), and
/// whether the comparison was cut at [`MAX_CANDIDATES`] earlier events on the calendar days
/// that matter.
pub fn anniversaries(
    conn: &Conn<'_>,
    events: &[String],
    window: u32,
) -> Result<(HashMap<String, Vec<Anniversary>>, bool), StorageError> {
    let dated: Vec<(String, NaiveDate)> = conn
        .query_rows(
            "SELECT id, when_date FROM events WHERE id IN rarray(?1) AND length(when_date) = 10",
            params![array(events)],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?
        .into_iter()
        .filter_map(|(id, d)| day(&d).map(|d| (id, d)))
        .collect();
    let Some(latest) = dated.iter().map(|(_, d)| *d).max() else {
        return Ok((HashMap::new(), false));
    };
    // Only the calendar days that can hold an anniversary of something are read, through
    // the `events_calendar` index.
    let mut days: Vec<String> = dated
        .iter()
        .flat_map(|(_, d)| calendar_days(*d, window))
        .collect();
    days.sort_unstable();
    days.dedup();
    let earlier: Vec<(String, NaiveDate)> = conn
        .query_rows(
            "SELECT id, when_date FROM events
          WHERE length(when_date) = 10 AND substr(when_date, 6, 5) IN rarray(?1)
            AND when_date < ?2
          ORDER BY when_date DESC, id LIMIT ?3",
            params![array(&days), latest.to_string(), MAX_CANDIDATES as i64 + 1],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?
        .into_iter()
        .filter_map(|(id, d)| day(&d).map(|d| (id, d)))
        .collect();
    let truncated = earlier.len() > MAX_CANDIDATES;
    let mut on_day: HashMap<String, Vec<(String, NaiveDate)>> = HashMap::new();
    for (id, d) in earlier.into_iter().take(MAX_CANDIDATES) {
        on_day.entry(month_day(d)).or_default().push((id, d));
    }
    let mut out: HashMap<String, Vec<Anniversary>> = HashMap::new();
    for (id, later) in &dated {
        let found = out.entry(id.clone()).or_default();
        let candidates = calendar_days(*later, window)
            .into_iter()
            .filter_map(|md| on_day.get(&md))
            .flatten();
        for (other, earlier_day) in candidates {
            if other == id {
                continue;
            }
            if let Some((years, anniversary_day, day_gap)) = nearest(*earlier_day, *later, window) {
                found.push(Anniversary {
                    earlier: other.clone(),
                    earlier_day: *earlier_day,
                    years,
                    anniversary_day,
                    day_gap,
                    asserted_by_claims: Vec::new(),
                });
            }
        }
        found.sort_by(|a, b| {
            (a.day_gap.abs(), a.years, &a.earlier).cmp(&(b.day_gap.abs(), b.years, &b.earlier))
        });
    }
    attach_assertions(conn, &mut out)?;
    Ok((out, truncated))
}

/// Finds, for each link, the claims that assert the motive it derives: made about the later
/// event or a campaign above it (a motive asserted for a campaign holds for its parts).
fn attach_assertions(
    conn: &Conn<'_>,
    links: &mut HashMap<String, Vec<Anniversary>>,
) -> Result<(), StorageError> {
    let later: Vec<String> = links.keys().cloned().collect();
    let mut campaigns = related(conn, &Related::Campaigns, &later)?;
    let mut about: HashMap<String, Vec<String>> = HashMap::new();
    for event in &later {
        about.entry(event.clone()).or_default().push(event.clone());
        for campaign in campaigns.remove(event).unwrap_or_default() {
            about.entry(campaign).or_default().push(event.clone());
        }
    }
    let subjects: Vec<&str> = about.keys().map(String::as_str).collect();
    let rows = conn.query_rows(
        "SELECT subject_id, id, object_id FROM claims
          WHERE subject_id IN rarray(?1) AND object_id IS NOT NULL
            AND relation IN ('marked_anniversary_of', 'motivated_by')
          ORDER BY id",
        params![array(&subjects)],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
            ))
        },
    )?;
    for (subject, claim, object) in rows {
        for event in about.get(&subject).into_iter().flatten() {
            let Some(list) = links.get_mut(event) else {
                continue;
            };
            for link in list.iter_mut().filter(|l| l.earlier == object) {
                if !link.asserted_by_claims.contains(&claim) {
                    link.asserted_by_claims.push(claim.clone());
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        day(s).unwrap()
    }

    #[test]
    fn the_same_day_two_years_on_is_the_second_anniversary() {
        assert_eq!(
            nearest(d("2020-01-03"), d("2022-01-03"), 3),
            Some((2, d("2022-01-03"), 0))
        );
        assert_eq!(
            nearest(d("2020-01-03"), d("2022-01-05"), 3),
            Some((2, d("2022-01-03"), 2))
        );
        assert_eq!(nearest(d("2020-01-03"), d("2022-01-07"), 3), None);
    }

    #[test]
    fn a_window_reaches_across_the_new_year_and_less_than_a_year_is_no_anniversary() {
        assert_eq!(
            nearest(d("2019-12-30"), d("2022-01-01"), 3),
            Some((2, d("2021-12-30"), 2))
        );
        assert_eq!(nearest(d("2021-12-30"), d("2022-01-01"), 3), None);
        assert_eq!(
            nearest(d("2020-02-29"), d("2021-02-28"), 0),
            Some((1, d("2021-02-28"), 0))
        );
    }

    #[test]
    fn the_calendar_days_of_a_window_wrap_the_year_and_keep_the_leap_day() {
        assert_eq!(
            calendar_days(d("2022-01-01"), 2),
            ["01-01", "01-02", "01-03", "12-30", "12-31"]
        );
        assert_eq!(
            calendar_days(d("2021-02-28"), 0),
            ["02-28", "02-29"],
            "a leap day's anniversary is kept on the 28th in a common year"
        );
        assert_eq!(calendar_days(d("2021-06-15"), 0), ["06-15"]);
    }
}
