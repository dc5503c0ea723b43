//! Editors' tokens: who may write. A tokens file has lines `EDITOR-NAME TOKEN`; `#` starts a
//! comment. Tokens are kept only as SHA-256 digests and compared in constant time, and no
//! `Debug` or error output ever shows one.

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Who sent a request, as far as writing goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The server has no tokens: nobody may write.
    ReadOnlyServer,
    /// No `Authorization` header came.
    Anonymous,
    /// An `Authorization` header came with no valid editor's token.
    Refused,
    /// The editor with this name.
    Editor(String),
}

impl Access {
    /// Who sends a request with this `Authorization` header value, if any.
    pub fn of(tokens: &Tokens, authorization: Option<&str>) -> Access {
        if tokens.is_empty() {
            return Access::ReadOnlyServer;
        }
        let Some(value) = authorization else {
            return Access::Anonymous;
        };
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim);
        match token.and_then(|t| tokens.editor(t)) {
            Some(editor) => Access::Editor(editor.to_owned()),
            None => Access::Refused,
        }
    }
}

/// The shortest token accepted: shorter ones are guessable.
pub const MIN_TOKEN_LEN: usize = 16;

/// What is wrong with a tokens file.
#[derive(Debug, thiserror::Error)]
pub enum TokensError {
    /// The file cannot be read.
    #[error("cannot read the tokens file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not `EDITOR-NAME TOKEN`.
    #[error("{}:{line}: {message}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The file names no editor.
    #[error("the tokens file {} has no `EDITOR-NAME TOKEN` line; add one (e.g. `alice $(openssl rand -hex 32)`) or leave out --tokens to serve read-only", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

#[derive(Clone)]
struct Entry {
    editor: String,
    digest: [u8; 32],
}

/// The editors who may write, each with a token.
#[derive(Default, Clone)]
pub struct Tokens {
    entries: Vec<Entry>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let editors: Vec<&str> = self.entries.iter().map(|e| e.editor.as_str()).collect();
        f.debug_struct("Tokens")
            .field("editors", &editors)
            .finish_non_exhaustive()
    }
}

/// A line without its comment: `#` at the start or after a space starts one; a `#` inside a
/// field does not (and is refused), so that a token is never silently cut short.
fn without_comment(line: &str) -> &str {
    let mut previous_blank = true;
    for (i, c) in line.char_indices() {
        if c == '#' && previous_blank {
            return &line[..i];
        }
        previous_blank = c.is_whitespace();
    }
    line
}

/// A warning if the tokens file may be read by others than its owner (group or world
/// permission bits), which would let them write to the graph as any editor.
pub fn exposure(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "{} may be read by others (mode {:o}); anyone who reads it may write as any editor: run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn valid_editor(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
}

impl Tokens {
    /// Reads a tokens file, refusing any line it cannot use.
    pub fn load(path: &Path) -> Result<Tokens, TokensError> {
        let text = std::fs::read_to_string(path).map_err(|source| TokensError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let tokens = Tokens::parse(&text).map_err(|(line, message)| TokensError::Line {
            path: path.to_path_buf(),
            line,
            message,
        })?;
        if tokens.entries.is_empty() {
            return Err(TokensError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(tokens)
    }

    /// Reads the text of a tokens file; an error gives the line (from 1) and what is wrong.
    pub fn parse(text: &str) -> Result<Tokens, (usize, String)> {
        let mut tokens = Tokens::default();
        for (i, raw) in text.lines().enumerate() {
            let line = without_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            if let Some(field) = fields.iter().find(|f| f.contains('#')) {
                let which = if fields.first() == Some(field) {
                    "editor name"
                } else {
                    "token"
                };
                return Err((
                    i + 1,
                    format!(
                        "the {which} holds '#', which would be read as the start of a comment; use a token without '#' (a comment needs a space before it)"
                    ),
                ));
            }
            let [editor, token] = fields[..] else {
                return Err((
                    i + 1,
                    format!(
                        "expected `EDITOR-NAME TOKEN` (two fields), found {}",
                        fields.len()
                    ),
                ));
            };
            if !valid_editor(editor) {
                return Err((
                    i + 1,
                    format!(
                        "editor name {editor:?} may hold only letters, digits, '-', '_', '.' and '@'"
                    ),
                ));
            }
            if token.chars().count() < MIN_TOKEN_LEN {
                return Err((
                    i + 1,
                    format!(
                        "the token of {editor:?} is shorter than {MIN_TOKEN_LEN} characters; use a random one, e.g. `openssl rand -hex 32`"
                    ),
                ));
            }
            let digest = digest(token);
            if let Some(other) = tokens.entries.iter().find(|e| e.digest == digest) {
                return Err((
                    i + 1,
                    format!(
                        "this token is already given to {:?}; every editor needs their own",
                        other.editor
                    ),
                ));
            }
            tokens.entries.push(Entry {
                editor: editor.to_owned(),
                digest,
            });
        }
        Ok(tokens)
    }

    /// True when no editor may write.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many tokens there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The editor this token belongs to. Every entry is compared, in constant time, so the
    /// time taken says nothing about which entry (or how much of one) matched.
    pub fn editor(&self, token: &str) -> Option<&str> {
        let given = digest(token);
        let mut found = None;
        for entry in &self.entries {
            if bool::from(entry.digest.ct_eq(&given)) {
                found = Some(entry.editor.as_str());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_inside_a_token_is_refused_with_its_line_and_a_comment_needs_a_space() {
        let cut = Tokens::parse("alice 0123456789abcdef#0123\n");
        assert!(matches!(&cut, Err((1, m)) if m.contains("'#'")), "{cut:?}");
        let fine = Tokens::parse("# editors\nalice 0123456789abcdef0123 #desk\n");
        assert_eq!(fine.map(|t| t.len()).ok(), Some(1));
    }

    #[cfg(unix)]
    #[test]
    fn a_tokens_file_others_may_read_gets_a_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { panic!("{dir:?}") };
        let path = dir.path().join("tokens");
        let written = std::fs::write(&path, "alice 0123456789abcdef0123\n");
        assert!(written.is_ok());
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644));
        assert!(exposure(&path).is_some_and(|w| w.contains("chmod 600")));
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        assert_eq!(exposure(&path), None);
    }

    const FILE: &str =
        "# editors\nalice 0123456789abcdef0123 # desk\n\nbob   fedcba9876543210fedc\n";

    #[test]
    fn a_token_names_its_editor_and_a_wrong_one_names_nobody() {
        let tokens = Tokens::parse(FILE).unwrap();
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens.editor("0123456789abcdef0123"), Some("alice"));
        assert_eq!(tokens.editor("fedcba9876543210fedc"), Some("bob"));
        assert_eq!(tokens.editor("0123456789abcdef012"), None);
        assert_eq!(tokens.editor(""), None);
    }

    #[test]
    fn a_short_token_a_missing_token_and_a_shared_token_are_refused_with_their_line() {
        assert_eq!(Tokens::parse("alice short\n").err().map(|e| e.0), Some(1));
        assert_eq!(Tokens::parse("\nalice\n").err().map(|e| e.0), Some(2));
        let shared = "alice 0123456789abcdef0123\nbob 0123456789abcdef0123\n";
        let (line, message) = Tokens::parse(shared).err().unwrap();
        assert_eq!(line, 2);
        assert!(message.contains("alice"), "{message}");
    }

    #[test]
    fn debug_output_shows_editors_and_never_tokens() {
        let shown = format!("{:?}", Tokens::parse(FILE).unwrap());
        assert!(shown.contains("alice") && !shown.contains("0123456789abcdef0123"));
    }
}
