//! Diagnostics: what is wrong with an input, where (file, line, path), and how to fix it.

use std::fmt;
use std::path::PathBuf;

/// One step of a path inside a document: a field or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A field of a map.
    Key(String),
    /// An item of a list.
    Index(usize),
}

/// A path inside a document, shown as `claims[3].object`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Path(pub Vec<Segment>);

impl Path {
    /// The empty path (the document itself).
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// This path with a field appended.
    pub fn key(&self, k: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Segment::Key(k.to_owned()));
        p
    }

    /// This path with a list index appended.
    pub fn index(&self, i: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Segment::Index(i));
        p
    }

    /// This path followed by `rest`.
    pub fn join(&self, rest: &Path) -> Path {
        let mut p = self.clone();
        p.0.extend(rest.0.iter().cloned());
        p
    }

    /// True for the document itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem with an input, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, when the input came from one.
    pub file: Option<PathBuf>,
    /// The 1-based line in that file.
    pub line: Option<usize>,
    /// Where inside the document.
    pub path: Path,
    /// What is wrong, and how to fix it where that is not obvious.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            f.write_str(": ")?;
        }
        if !self.path.is_root() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_read_file_line_path_message() {
        let d = Diagnostic {
            file: Some(PathBuf::from("seed/article.yaml")),
            line: Some(42),
            path: Path::root().key("claims").index(3).key("object"),
            message: "no entity \"x\"".into(),
        };
        assert_eq!(
            d.to_string(),
            "seed/article.yaml:42: claims[3].object: no entity \"x\""
        );
    }
}
