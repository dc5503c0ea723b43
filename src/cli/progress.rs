//! Progress of long commands on a terminal (records/s and the time left), and the test hook
//! that stops a seed half-way so that crash tests can kill it at a known point.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The environment variable that makes `seed` stop after writing this many records, inside
/// its open transaction, and wait to be killed: the crash-safety tests' fixed kill point.
pub const PAUSE_VARIABLE: &str = "CLAIMGRAPH_TEST_PAUSE_AFTER_RECORDS";

/// A bar on stderr counting `total` items; it draws nothing when stderr is not a terminal,
/// so logs and tests see no control characters.
pub fn bar(what: &str, total: usize) -> ProgressBar {
    let bar =
        ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr_with_hz(4));
    let style = ProgressStyle::with_template(
        "{prefix} {wide_bar} {human_pos}/{human_len} records, {per_sec}, {eta} left",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(what.to_owned());
    bar
}

/// The record count after which to pause, if the test hook is set.
pub fn test_pause() -> Option<usize> {
    std::env::var(PAUSE_VARIABLE).ok()?.trim().parse().ok()
}

/// Says where it stopped and waits until the process is killed.
pub fn pause_forever(done: usize) -> ! {
    eprintln!("paused after {done} records");
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
