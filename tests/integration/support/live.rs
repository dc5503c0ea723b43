//! A real `claimgraph serve` process for the tests that need one (subscriptions, durability,
//! concurrent writers): started on a free port, spoken to over plain HTTP, killed when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use super::{ALICE, BOB};

/// Writes a tokens file for the editors `alice` and `bob` into `dir`.
pub fn tokens_file(dir: &Path) -> PathBuf {
    let path = dir.join("tokens");
    std::fs::write(
        &path,
        format!("# editors of the tests\nalice {ALICE}\nbob {BOB} # second desk\n"),
    )
    .expect("write the tokens file");
    path
}

/// The user id the unprivileged runs use when the tests run as root: `nobody`.
pub const NOBODY: u32 = 65534;

/// Whether the tests run as root, whom file permissions do not stop.
pub fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The `claimgraph` binary as a command that file permissions bind: as the tests' own user,
/// or as `nobody` (through util-linux's `setpriv`) when the tests run as root, as in CI.
pub fn unprivileged() -> Command {
    let binary = assert_cmd::cargo::cargo_bin("claimgraph");
    if !running_as_root() {
        return Command::new(binary);
    }
    let mut command = Command::new("setpriv");
    command
        .arg(format!("--reuid={NOBODY}"))
        .arg(format!("--regid={NOBODY}"))
        .arg("--clear-groups")
        .arg(binary);
    command
}

/// Gives `paths` to the user of [`unprivileged`] runs (a no-op unless the tests run as root).
pub fn hand_over(paths: &[&Path]) {
    if running_as_root() {
        for path in paths {
            std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY))
                .unwrap_or_else(|e| panic!("chown {}: {e}", path.display()));
        }
    }
}

/// A running server, killed (SIGKILL) when dropped.
pub struct Live {
    child: Child,
    /// `host:port`.
    pub address: String,
    /// What it printed before serving.
    pub banner: Vec<String>,
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Live {
    /// Starts `claimgraph serve ARGS --bind 127.0.0.1:0` in `dir` and waits until it listens.
    pub fn start(args: &[&str], dir: &Path) -> Live {
        Live::spawn(
            Command::new(assert_cmd::cargo::cargo_bin("claimgraph")),
            args,
            dir,
        )
    }

    /// [`Live::start`] as a user whom file permissions bind (see [`unprivileged`]).
    pub fn start_unprivileged(args: &[&str], dir: &Path) -> Live {
        Live::spawn(unprivileged(), args, dir)
    }

    fn spawn(mut command: Command, args: &[&str], dir: &Path) -> Live {
        let mut child = command
            .arg("serve")
            .args(args)
            .args(["--bind", "127.0.0.1:0"])
            .current_dir(dir)
            .env_remove("CLAIMGRAPH_DB")
            .env_remove("CLAIMGRAPH_TOKENS")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start claimgraph serve");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut banner = Vec::new();
        let mut address = None;
        while banner.len() < 12 {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(rest) = line.trim().strip_prefix("claimgraph listening on http://") {
                address = Some(rest.to_owned());
            }
            let done = line.trim_start().starts_with("serving");
            banner.push(line.trim_end().to_owned());
            if done {
                break;
            }
        }
        let address = address.unwrap_or_else(|| panic!("no address in {banner:?}"));
        Live {
            child,
            address,
            banner,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `patience` for the process to exit; its exit code (`None` if a signal
    /// ended it), or `None` if it is still running.
    pub fn wait_for_exit(&mut self, patience: std::time::Duration) -> Option<Option<i32>> {
        let began = std::time::Instant::now();
        while began.elapsed() < patience {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.code());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// POSTs a GraphQL request, with `Authorization: Bearer TOKEN` if a token is given.
    pub fn post(&self, query: &str, variables: Value, token: Option<&str>) -> (u16, Value) {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let (status, text) = http(&self.address, "POST", "/graphql", &auth, &body)
            .unwrap_or_else(|e| panic!("POST /graphql failed: {e}"));
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (status, value)
    }
}

/// One HTTP/1.1 request; gives the status code and the body.
pub fn http(
    address: &str,
    method: &str,
    path: &str,
    extra_headers: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         {extra_headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
