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
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
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
