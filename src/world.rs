//! The one way the build reads files: a [`World`] rooted at the briefing folder.
//!
//! Every read — manifest, sections, data, templates, images, the briefing's own fonts —
//! goes through [`World::read`]. A path is resolved (symlinks followed) and refused when
//! it lands outside the briefing folder or a folder the user allowed explicitly, so no
//! byte of an outside file can reach a book or a message. Paths are taken as written in
//! the briefing (relative to its folder) and errors never repeat an outside file's
//! content. The world also remembers every path the build asked for, so `watch` watches
//! exactly what the build read.
//!
//! A world can also live in memory ([`World::in_memory`]), for tests and fuzzing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The path, once symlinks are followed, is outside every allowed folder.
    Outside,
    /// Nothing is there.
    NotFound,
    /// It is a folder, a device, a pipe or a socket.
    NotAFile,
    /// It is larger than the limit for its kind.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// It is not UTF-8 text (for text files); the byte offset of the first bad byte.
    NotUtf8 {
        /// Byte offset.
        at: usize,
    },
    /// The path is empty or not a plain relative path (for in-memory worlds).
    BadPath,
    /// Another I/O error (its kind, never the file's content).
    Io(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Outside => f.write_str("it resolves outside the briefing folder"),
            FileError::NotFound => f.write_str("no such file"),
            FileError::NotAFile => f.write_str("it is not a regular file"),
            FileError::TooLarge { limit } => write!(
                f,
                "larger than {}, the limit for this kind of file",
                crate::limits::show(*limit)
            ),
            FileError::NotUtf8 { at } => write!(f, "not valid UTF-8 at byte {at}"),
            FileError::BadPath => f.write_str("not a usable path"),
            FileError::Io(kind) => f.write_str(kind),
        }
    }
}

impl FileError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            FileError::Outside => {
                "a briefing reads only files inside its own folder (symlinks included); \
                 copy the file in, or allow its folder with `--allow-read DIR`"
            }
            FileError::NotUtf8 { .. } => {
                "save the file as UTF-8 (most editors offer this under \"Save with encoding\")"
            }
            FileError::TooLarge { .. } => "see \"Size limits\" in docs/format.md",
            _ => "paths are relative to the briefing folder",
        }
    }
}

/// Where the files come from.
enum Store {
    /// The file system, confined to `real_root` and the allowed folders.
    Disk {
        /// The briefing folder with every symlink resolved.
        real_root: PathBuf,
        /// Further folders the user allowed (`--allow-read`), resolved.
        allowed: Vec<PathBuf>,
    },
    /// A folder held in memory: normalised relative path → bytes.
    Memory(BTreeMap<String, Arc<[u8]>>),
}

/// The briefing folder as the build sees it.
pub struct World {
    root: PathBuf,
    store: Store,
    /// Every path the build asked for, found or not (for `watch`).
    asked: Mutex<BTreeSet<PathBuf>>,
}

impl fmt::Debug for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "World({})", self.root.display())
    }
}

impl World {
    /// The briefing folder `root` on disk. Fails if the folder cannot be resolved.
    pub fn new(root: &Path) -> std::io::Result<World> {
        let real_root = root.canonicalize()?;
        Ok(World {
            root: root.to_path_buf(),
            store: Store::Disk { real_root, allowed: Vec::new() },
            asked: Mutex::default(),
        })
    }

    /// Also allows reads from `dir` (and below it), for data shared between briefings.
    pub fn allow_read(mut self, dir: &Path) -> std::io::Result<World> {
        let real = dir.canonicalize()?;
        if let Store::Disk { allowed, .. } = &mut self.store {
            allowed.push(real);
        }
        Ok(self)
    }

    /// A briefing folder in memory: (relative path, bytes) pairs. Paths use `/`.
    pub fn in_memory(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> World {
        let files = files
            .into_iter()
            .filter_map(|(p, b)| Some((normalise(&p)?, Arc::from(b))))
            .collect();
        World {
            root: PathBuf::from("/briefing"),
            store: Store::Memory(files),
            asked: Mutex::default(),
        }
    }

    /// The briefing folder as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path shown for `rel` (the briefing folder joined with the path as written).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Reads the file `rel` (relative to the briefing folder, as written in the source),
    /// refusing it if it resolves outside the allowed folders or exceeds `limit` bytes.
    pub fn read(&self, rel: &str, limit: u64) -> Result<Vec<u8>, FileError> {
        let result = self.read_unnoted(rel, limit);
        self.note(rel, &result);
        result
    }

    fn read_unnoted(&self, rel: &str, limit: u64) -> Result<Vec<u8>, FileError> {
        if rel.is_empty() || rel.contains('\0') {
            return Err(FileError::BadPath);
        }
        match &self.store {
            Store::Memory(files) => {
                let key = normalise(rel).ok_or(FileError::Outside)?;
                let bytes = files.get(&key).ok_or_else(|| {
                    if files.keys().any(|k| k.starts_with(&format!("{key}/"))) {
                        FileError::NotAFile
                    } else {
                        FileError::NotFound
                    }
                })?;
                if bytes.len() as u64 > limit {
                    return Err(FileError::TooLarge { limit });
                }
                Ok(bytes.to_vec())
            }
            Store::Disk { real_root, allowed } => {
                let real = self.resolve(rel, real_root, allowed)?;
                read_confined(&real, limit, &|p| inside(p, real_root, allowed))
            }
        }
    }

    /// [`World::read`] for a UTF-8 text file.
    pub fn read_text(&self, rel: &str, limit: u64) -> Result<String, FileError> {
        let bytes = self.read(rel, limit)?;
        String::from_utf8(bytes)
            .map_err(|e| FileError::NotUtf8 { at: e.utf8_error().valid_up_to() })
    }

    /// The regular files directly inside the folder `rel`, as relative paths, sorted.
    /// A missing folder has no files; one that resolves outside is an error.
    pub fn list(&self, rel: &str) -> Result<Vec<String>, FileError> {
        let result = self.list_unnoted(rel);
        self.note(rel, &result);
        result
    }

    fn list_unnoted(&self, rel: &str) -> Result<Vec<String>, FileError> {
        let prefix = format!("{}/", rel.trim_end_matches('/'));
        match &self.store {
            Store::Memory(files) => {
                let key = normalise(rel).ok_or(FileError::Outside)?;
                let inner = format!("{key}/");
                Ok(files
                    .keys()
                    .filter_map(|k| k.strip_prefix(&inner))
                    .filter(|name| !name.contains('/'))
                    .map(|name| format!("{prefix}{name}"))
                    .collect())
            }
            Store::Disk { real_root, allowed } => {
                let real = match self.resolve(rel, real_root, allowed) {
                    Err(FileError::NotFound) => return Ok(Vec::new()),
                    other => other?,
                };
                let entries = std::fs::read_dir(real).map_err(|e| io_error(&e))?;
                let mut names: Vec<String> = entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| {
                        e.file_name().to_str().map(|n| format!("{prefix}{n}"))
                    })
                    .collect();
                names.sort();
                Ok(names)
            }
        }
    }

    /// Checks that the folder `rel`, where books are to be written, stays inside the
    /// briefing folder: no `..` above it, no absolute path, no symlink on the way out.
    /// (Folders allowed with [`World::allow_read`] are for reading only.)
    pub fn check_output_dir(&self, rel: &str) -> Result<(), FileError> {
        if rel.contains('\0') || Path::new(rel).has_root() {
            return Err(FileError::Outside);
        }
        let key = match normalise(rel) {
            Some(key) => key,
            None if Path::new(rel).components().all(|c| c == Component::CurDir) => {
                String::new()
            }
            None => return Err(FileError::Outside),
        };
        let Store::Disk { real_root, .. } = &self.store else { return Ok(()) };
        // The deepest part of the path that exists decides where the books would land.
        let mut path = self.root.join(key);
        loop {
            if let Ok(real) = path.canonicalize() {
                return if real.starts_with(real_root) {
                    Ok(())
                } else {
                    Err(FileError::Outside)
                };
            }
            if !path.pop() {
                return Ok(());
            }
        }
    }

    /// Every path the build asked for so far, found or not.
    pub fn asked(&self) -> Vec<PathBuf> {
        self.asked.lock().map(|a| a.iter().cloned().collect()).unwrap_or_default()
    }

    /// Remembers a path the build asked for — found or missing (a missing file may
    /// appear), but never one that was refused for leading outside.
    fn note<T>(&self, rel: &str, result: &Result<T, FileError>) {
        if matches!(result, Err(FileError::Outside | FileError::BadPath)) {
            return;
        }
        if let Ok(mut asked) = self.asked.lock() {
            asked.insert(self.root.join(rel));
        }
    }

    /// The real path of `rel`, if it lies inside an allowed folder.
    fn resolve(
        &self,
        rel: &str,
        real_root: &Path,
        allowed: &[PathBuf],
    ) -> Result<PathBuf, FileError> {
        if rel.is_empty() || rel.contains('\0') {
            return Err(FileError::BadPath);
        }
        let joined = self.root.join(rel);
        let real = match joined.canonicalize() {
            Ok(real) => real,
            // A dangling symlink says nothing about its target; a missing file is missing.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(FileError::NotFound)
            }
            Err(e) => return Err(io_error(&e)),
        };
        if !inside(&real, real_root, allowed) {
            return Err(FileError::Outside);
        }
        Ok(real)
    }
}

fn inside(real: &Path, real_root: &Path, allowed: &[PathBuf]) -> bool {
    real.starts_with(real_root) || allowed.iter().any(|a| real.starts_with(a))
}

/// Opens a resolved path and reads at most `limit` bytes. The open file is checked
/// again (its type, and on Linux its real path) so that a symlink swapped in between
/// resolving and opening cannot redirect the read.
fn read_confined(
    real: &Path,
    limit: u64,
    allowed: &dyn Fn(&Path) -> bool,
) -> Result<Vec<u8>, FileError> {
    // A pipe or device would block or never end: only regular files are opened.
    let meta = std::fs::metadata(real).map_err(|e| io_error(&e))?;
    if !meta.is_file() {
        return Err(FileError::NotAFile);
    }
    let file = std::fs::File::open(real).map_err(|e| io_error(&e))?;
    let meta = file.metadata().map_err(|e| io_error(&e))?;
    if !meta.is_file() {
        return Err(FileError::NotAFile);
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let link = format!("/proc/self/fd/{}", file.as_raw_fd());
        if let Ok(opened) = std::fs::read_link(link) {
            if !allowed(&opened) {
                return Err(FileError::Outside);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = allowed;
    if meta.len() > limit {
        return Err(FileError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| io_error(&e))?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { limit });
    }
    Ok(bytes)
}

/// An I/O error by its kind only: the OS message may quote nothing of the file, but the
/// kind is all the user needs.
fn io_error(e: &std::io::Error) -> FileError {
    match e.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound,
        std::io::ErrorKind::PermissionDenied => FileError::Io("permission denied".into()),
        std::io::ErrorKind::IsADirectory => FileError::NotAFile,
        kind => FileError::Io(kind.to_string()),
    }
}

/// A relative path without `.`, `..` above the root, or a root: `a/./b/../c` → `a/c`.
fn normalise(rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_paths_stay_inside() {
        let w = World::in_memory([("data/a.csv".to_string(), b"x".to_vec())]);
        assert_eq!(w.read("data/a.csv", 10).unwrap(), b"x");
        assert_eq!(w.read("./data/../data/a.csv", 10).unwrap(), b"x");
        assert_eq!(w.read("../data/a.csv", 10), Err(FileError::Outside));
        assert_eq!(w.read("/data/a.csv", 10), Err(FileError::Outside));
        assert_eq!(w.read("data", 10), Err(FileError::NotAFile));
        assert_eq!(w.read("data/b.csv", 10), Err(FileError::NotFound));
        assert_eq!(w.read("", 10), Err(FileError::BadPath));
        assert_eq!(w.read("data/a.csv", 0), Err(FileError::TooLarge { limit: 0 }));
        assert_eq!(w.list("data").unwrap(), vec!["data/a.csv"]);
    }

    #[test]
    fn disk_reads_refuse_outside_targets() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("in.txt"), "fine").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            root.path().join("l"),
        )
        .unwrap();
        std::os::unix::fs::symlink(root.path().join("in.txt"), root.path().join("ok"))
            .unwrap();
        let w = World::new(root.path()).unwrap();
        assert_eq!(w.read_text("in.txt", 100).unwrap(), "fine");
        assert_eq!(w.read_text("ok", 100).unwrap(), "fine");
        assert_eq!(w.read("l", 100), Err(FileError::Outside));
        let abs = outside.path().join("secret.txt");
        assert_eq!(w.read(abs.to_str().unwrap(), 100), Err(FileError::Outside));
        assert_eq!(w.read("in.txt", 2), Err(FileError::TooLarge { limit: 2 }));
        assert_eq!(w.read(".", 100), Err(FileError::NotAFile));
        let wider = World::new(root.path()).unwrap().allow_read(outside.path()).unwrap();
        assert_eq!(wider.read_text("l", 100).unwrap(), "SECRET");
    }
}
