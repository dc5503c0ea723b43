//! Is the database sound? Start-up diagnosis of a file that will not open (each cause its own
//! error), a size check and `quick_check` of its pages, and a flag that any read meeting
//! corruption raises, which the health check reports.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, ErrorCode};

use super::StorageError;

/// Set once any statement met a damaged page: a damaged file does not mend itself.
static CORRUPTION_SEEN: AtomicBool = AtomicBool::new(false);

/// Notes that a statement met a damaged page.
pub(crate) fn corruption_seen() {
    if !CORRUPTION_SEEN.swap(true, Ordering::Relaxed) {
        tracing::error!("the database is damaged: a read met a corrupt page; /healthz now fails");
    }
}

/// Whether any statement has met a damaged page since the process started.
pub fn damaged() -> bool {
    CORRUPTION_SEEN.load(Ordering::Relaxed)
}

/// The error for a database file that failed to open or to answer its first statement.
pub(crate) fn diagnose(path: &Path, e: rusqlite::Error) -> StorageError {
    let path_buf = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StorageError::NotSqlite { path: path_buf },
        Some(ErrorCode::DatabaseCorrupt) => StorageError::Damaged {
            path: path_buf,
            detail: e.to_string(),
        },
        Some(ErrorCode::DiskFull) => StorageError::DiskFull { path: path_buf },
        // SQLite cannot size its -shm file on a full disk, and says only "disk I/O error".
        Some(ErrorCode::SystemIoFailure | ErrorCode::CannotOpen) if out_of_space(path) => {
            StorageError::DiskFull { path: path_buf }
        }
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            read_only(path).unwrap_or(StorageError::Open {
                path: path_buf,
                source: e,
            })
        }
        _ => StorageError::Open {
            path: path_buf,
            source: e,
        },
    }
}

/// What is read-only, if the file or its directory is: SQLite needs to write the file and to
/// create its `-wal` and `-shm` files beside it.
pub(crate) fn read_only(path: &Path) -> Option<StorageError> {
    let dir = directory_of(path);
    let file_ro = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    let dir_ro = std::fs::metadata(&dir).is_ok_and(|m| m.permissions().readonly())
        || tempfile_in(&dir).is_err();
    if file_ro {
        return Some(StorageError::ReadOnly {
            what: format!("the database file {}", path.display()),
            how: format!(
                "make it writable (`chmod u+w {}`) to serve or seed it",
                path.display()
            ),
        });
    }
    dir_ro.then(|| StorageError::ReadOnly {
        what: format!("the directory {}", dir.display()),
        how: "SQLite writes its -wal and -shm files beside the database: make the directory writable, or put the database in one that is".to_owned(),
    })
}

/// Whether the file system holding `path` has no room for 64 KiB more: a probe file beside
/// it, written and synced (some file systems only find out at the sync), then removed.
fn out_of_space(path: &Path) -> bool {
    use std::io::Write;
    let dir = directory_of(path);
    let probe = dir.join(format!(".claimgraph-space-probe-{}", std::process::id()));
    let outcome = std::fs::File::create(&probe).and_then(|mut file| {
        file.write_all(&[0u8; 64 * 1024])?;
        file.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    matches!(outcome, Err(e) if e.kind() == std::io::ErrorKind::StorageFull)
}

/// The directory a database file is in.
fn directory_of(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// Tries to create (and removes) a file in `dir`.
fn tempfile_in(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".claimgraph-write-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

/// Whether the file is as long as its header says: a copy cut short still opens, and fails
/// only when a read reaches the missing pages. Read from the header's bytes (page size at
/// offset 16, pages at 28), so that it works where SQLite would refuse the file.
pub(crate) fn check_length(path: &Path) -> Result<(), StorageError> {
    use std::io::Read;
    let mut header = [0u8; 100];
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let actual = file.metadata().map(|m| m.len()).unwrap_or(0);
    if actual == 0 || file.read_exact(&mut header).is_err() {
        // New (empty), or too short to have a header: SQLite says which.
        return Ok(());
    }
    if !header.starts_with(b"SQLite format 3\0") {
        return Ok(());
    }
    let page_size = match u32::from(u16::from_be_bytes([header[16], header[17]])) {
        1 => 65_536,
        n => n,
    };
    let pages = u32::from_be_bytes([header[28], header[29], header[30], header[31]]);
    let expected = u64::from(page_size) * u64::from(pages);
    // The WAL may hold pages the main file does not have yet.
    let wal = std::fs::metadata(format!("{}-wal", path.display()))
        .map(|m| m.len())
        .unwrap_or(0);
    if actual < expected && wal == 0 {
        return Err(StorageError::Damaged {
            path: path.to_path_buf(),
            detail: format!(
                "the file is {actual} bytes, but its header says {expected}: it was cut short"
            ),
        });
    }
    Ok(())
}

/// SQLite's `quick_check` of every page: Ok, or what it found first.
pub fn quick_check(conn: &Connection, path: &Path) -> Result<(), StorageError> {
    let found: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| StorageError::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    if found == "ok" {
        Ok(())
    } else {
        Err(StorageError::Damaged {
            path: path.to_path_buf(),
            detail: found,
        })
    }
}
