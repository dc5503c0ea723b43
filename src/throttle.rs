//! Log flood control: an error that repeats (a full disk, a damaged page met by every
//! request) is logged at most [`PER_SECOND`] times a second per place in the code, with a
//! count of the lines left out, so that the log stays readable and the disk is spared.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Lines one place may log in a second.
pub const PER_SECOND: u32 = 10;

struct Window {
    began: Instant,
    logged: u32,
    dropped: u64,
}

static WINDOWS: Mutex<Option<HashMap<&'static str, Window>>> = Mutex::new(None);

/// Whether the place `site` may log now; `Some(n)` when it may, `n` being how many of its
/// lines were left out since it last logged.
pub fn allow(site: &'static str) -> Option<u64> {
    let Ok(mut windows) = WINDOWS.lock() else {
        return Some(0);
    };
    allow_at(
        windows.get_or_insert_with(HashMap::new),
        site,
        Instant::now(),
    )
}

fn allow_at(
    windows: &mut HashMap<&'static str, Window>,
    site: &'static str,
    now: Instant,
) -> Option<u64> {
    let window = windows.entry(site).or_insert(Window {
        began: now,
        logged: 0,
        dropped: 0,
    });
    if now.duration_since(window.began) >= Duration::from_secs(1) {
        window.began = now;
        window.logged = 0;
    }
    if window.logged < PER_SECOND {
        window.logged += 1;
        Some(std::mem::take(&mut window.dropped))
    } else {
        window.dropped += 1;
        None
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::time::{Duration, Instant};

    use super::{PER_SECOND, allow_at};

    #[test]
    fn a_flood_is_cut_to_a_few_lines_a_second_and_the_rest_counted() {
        let mut windows = HashMap::new();
        let start = Instant::now();
        let allowed = (0..1000)
            .filter(|_| allow_at(&mut windows, "flood", start).is_some())
            .count();
        assert_eq!(allowed, PER_SECOND as usize);
        let later = start + Duration::from_millis(1100);
        let dropped = 1000 - u64::from(PER_SECOND);
        assert_eq!(allow_at(&mut windows, "flood", later), Some(dropped));
        assert_eq!(allow_at(&mut windows, "flood", later), Some(0));
    }
}
