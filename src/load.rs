//! Where rules files come from. `extends` goes through a [`Loader`], so an
//! embedding tool can keep its rules in a database or in memory; the
//! default [`FileLoader`] reads files under one root folder.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use crate::Limits;

/// A rules file as a loader hands it over.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// Names the file uniquely (e.g. its canonical path): how `extends`
    /// cycles and files reached twice are recognised.
    pub identity: String,
    /// What error messages call it (e.g. the path as the user wrote it).
    pub name: String,
    /// The default ruleset name: the file name without its extension.
    pub stem: String,
    /// The file's text.
    pub text: String,
}

/// Why a rules file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// There is no file at `path`.
    #[error("{path}: no such file")]
    NotFound {
        /// The path as written.
        path: String,
    },
    /// `extends` names an absolute path; rules files name each other
    /// relative to themselves, so that a folder of rules can move.
    #[error("{path}: absolute paths are not allowed in `extends`")]
    Absolute {
        /// The path as written.
        path: String,
    },
    /// `extends` leads out of the folder the rules may be read from.
    #[error("{path}: outside the rules folder {root} (allow a wider folder with --rules-root)")]
    OutsideRoot {
        /// The path as written.
        path: String,
        /// The folder the rules may be read from.
        root: String,
    },
    /// The file is not UTF-8 text; the place is the first byte that is not.
    #[error("{path}:{line}:{column}: not UTF-8 text")]
    NotUtf8 {
        /// The path as written.
        path: String,
        /// The line of the first byte that is not UTF-8, from 1.
        line: usize,
        /// Its column, in characters, from 1.
        column: usize,
    },
    /// The file is larger than `limit` bytes ([`crate::Limits`]).
    #[error("{path}: {}", crate::limits::file_too_large(*limit, "rules"))]
    TooLarge {
        /// The path as written.
        path: String,
        /// The most a file may hold, in bytes.
        limit: usize,
    },
    /// The file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path as written.
        path: String,
        /// What the system said.
        message: String,
    },
}

/// Resolves and reads rules files.
pub trait Loader {
    /// Loads `path`: the file named by the caller when `from` is `None`,
    /// else a path written in `extends` of the file whose identity is `from`.
    fn load(&self, from: Option<&str>, path: &str) -> Result<Loaded, LoadError>;
}

/// Reads rules files from disk. `extends` paths are relative to the file
/// that names them, must not be absolute, and must stay inside the root
/// folder (by default the folder of the first file loaded).
#[derive(Debug)]
pub struct FileLoader {
    root: OnceLock<PathBuf>,
    /// Checked before a file is read, so that a huge file is not read
    /// into memory only to be refused by the parser.
    max_source_bytes: usize,
}

impl Default for FileLoader {
    fn default() -> FileLoader {
        FileLoader {
            root: OnceLock::new(),
            max_source_bytes: Limits::DEFAULT.max_source_bytes,
        }
    }
}

impl FileLoader {
    /// A loader whose root is the folder of the first file it loads.
    pub fn new() -> FileLoader {
        FileLoader::default()
    }

    /// A loader that lets `extends` reach anywhere under `root`.
    pub fn with_root(root: impl Into<PathBuf>) -> FileLoader {
        let root = root.into();
        FileLoader {
            root: OnceLock::from(root.canonicalize().unwrap_or(root)),
            ..FileLoader::default()
        }
    }

    /// The same loader, refusing files larger than `limits` allows
    /// ([`Limits::max_source_bytes`]; by default, [`Limits::DEFAULT`]'s).
    pub fn with_limits(self, limits: &Limits) -> FileLoader {
        FileLoader {
            max_source_bytes: limits.max_source_bytes,
            ..self
        }
    }

    fn read(&self, shown: &str, path: &Path) -> Result<Loaded, LoadError> {
        let io = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound { path: shown.into() },
            _ => LoadError::Io {
                path: shown.into(),
                message: e.to_string(),
            },
        };
        let canonical = path.canonicalize().map_err(io)?;
        let limit = self.max_source_bytes;
        let bytes = read_at_most(&canonical, limit)
            .map_err(io)?
            .ok_or_else(|| LoadError::TooLarge {
                path: shown.into(),
                limit,
            })?;
        let text = utf8(shown, bytes)?;
        Ok(Loaded {
            identity: canonical.to_string_lossy().into_owned(),
            name: shown.to_string(),
            stem: path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            text,
        })
    }
}

/// The bytes of the file at `path`, or `None` when it holds more than
/// `limit`: at most one byte past the limit is read, whatever the file's
/// size (and a pipe's size is not known before reading).
pub(crate) fn read_at_most(path: &Path, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    let most = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    file.take(most).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

/// Text from bytes, or where the first byte that is not UTF-8 stands.
pub(crate) fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let before = String::from_utf8_lossy(valid);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LoadError::NotUtf8 {
            path: name.to_string(),
            line,
            column,
        }
    })
}

impl Loader for FileLoader {
    fn load(&self, from: Option<&str>, path: &str) -> Result<Loaded, LoadError> {
        let Some(from) = from else {
            let loaded = self.read(path, Path::new(path))?;
            let folder = Path::new(&loaded.identity).parent().unwrap_or(Path::new("/"));
            let _ = self.root.set(folder.to_path_buf());
            return Ok(loaded);
        };
        if Path::new(path).is_absolute() {
            return Err(LoadError::Absolute { path: path.into() });
        }
        let base = Path::new(from).parent().unwrap_or(Path::new(""));
        let target = normalize(&base.join(path));
        let shown = shown_name(&target);
        let root = self.root.get().map_or(base, PathBuf::as_path);
        // Checked before reading, so that nothing outside the root is opened.
        if !target.starts_with(root) {
            return Err(LoadError::OutsideRoot {
                path: shown,
                root: root.display().to_string(),
            });
        }
        let loaded = self.read(&shown, &target)?;
        // A link inside the root may still point outside it.
        if !Path::new(&loaded.identity).starts_with(root) {
            return Err(LoadError::OutsideRoot {
                path: shown,
                root: root.display().to_string(),
            });
        }
        Ok(loaded)
    }
}

/// A path as messages show it: relative to the working folder when inside it.
fn shown_name(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().and_then(|d| d.canonicalize().ok());
    match cwd.as_deref().and_then(|d| path.strip_prefix(d).ok()) {
        Some(relative) => relative.display().to_string(),
        None => path.display().to_string(),
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Rules kept in memory, by name: for tests, and for tools that store rules
/// elsewhere than in files. `extends` paths resolve relative to the name of
/// the file that names them.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    files: HashMap<String, String>,
}

impl MemoryLoader {
    /// A loader with no files yet.
    pub fn new() -> MemoryLoader {
        MemoryLoader::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut MemoryLoader {
        self.files.insert(name.into(), text.into());
        self
    }
}

impl Loader for MemoryLoader {
    fn load(&self, from: Option<&str>, path: &str) -> Result<Loaded, LoadError> {
        let name = match from {
            None => normalize(Path::new(path)),
            Some(from) => {
                if Path::new(path).is_absolute() {
                    return Err(LoadError::Absolute { path: path.into() });
                }
                let joined = normalize(&Path::new(from).parent().unwrap_or(Path::new("")).join(path));
                if joined.starts_with("..") {
                    return Err(LoadError::OutsideRoot {
                        path: path.into(),
                        root: ".".into(),
                    });
                }
                joined
            }
        };
        let key = name.display().to_string();
        let text = self
            .files
            .get(&key)
            .ok_or_else(|| LoadError::NotFound { path: key.clone() })?;
        Ok(Loaded {
            identity: key.clone(),
            name: key,
            stem: name
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned()),
            text: text.clone(),
        })
    }
}
