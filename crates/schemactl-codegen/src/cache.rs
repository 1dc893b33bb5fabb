//! A persistent, content-addressed cache of plugin responses: a plugin run
//! whose program and request are byte for byte those of an earlier run is
//! not run again; its checked response is read back instead.
//!
//! The key of a response is the SHA-256 of the plugin's identity (its
//! argument vector and the bytes of the program it starts, found the way the
//! run finds it) and of the request (for protoc's built-in generators, the
//! descriptor set, the generator and its options). So a new plugin version,
//! another option or any change to the schemas a run sees misses the cache.
//! Plugins are taken to be what the plugin protocol makes them: functions
//! of their request. One that is not (it reads the clock or the network)
//! should run with the cache off.
//!
//! Only a program whose bytes are all of it is cached: a native executable
//! (ELF or Mach-O), such as protoc-gen-go or protoc. A script (`#!`), or
//! arguments naming files (`[python3, gen.py]`, `[go, run, ./cmd/gen]`),
//! depend on files the identity would not see, so those runs always run.
//!
//! Entries live in `<dir>/<command>/<program>/<request>` (hashes of the
//! argument vector, of the program's bytes and of the request), written
//! atomically (a temporary file renamed into place), so concurrent runs
//! never read half an entry. The cache stays bounded: after a run, for each
//! command it ran, the entries this run did not use are removed, and so are
//! those of the command's earlier program versions; it holds at most one
//! run's responses per command. Every failure to read or write it is a
//! miss, never an error.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// The cache of one generation run.
pub(crate) struct ResponseCache {
    dir: PathBuf,
    /// Argument vector → identity (`None`: the program was not found, so
    /// its runs are not cached).
    identities: Mutex<HashMap<Vec<String>, Option<String>>>,
    /// Identity → the entries this run used.
    used: Mutex<BTreeMap<String, BTreeSet<String>>>,
}

impl ResponseCache {
    pub(crate) fn new(dir: PathBuf) -> Self {
        ResponseCache {
            dir,
            identities: Mutex::new(HashMap::new()),
            used: Mutex::new(BTreeMap::new()),
        }
    }

    /// The key of a run of `argv` on `request` (and `extra`, what else the
    /// run depends on), or `None` when the program cannot be found.
    pub(crate) fn key(&self, argv: &[String], request: &[u8], extra: &[&str]) -> Option<Key> {
        let identity = {
            let mut identities = self.identities.lock().ok()?;
            identities
                .entry(argv.to_vec())
                .or_insert_with(|| identity(argv))
                .clone()?
        };
        let mut h = Sha256::new();
        h.update(b"schemactl plugin request v1\0");
        for part in extra {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        h.update(request);
        Some(Key {
            identity,
            request: hex(&h.finalize()),
        })
    }

    /// The response stored under `key`, if any.
    pub(crate) fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        self.mark_used(key);
        Some(bytes)
    }

    /// Store `response` under `key`; a failure is ignored (the next run
    /// misses).
    pub(crate) fn put(&self, key: &Key, response: &[u8]) {
        let path = self.path(key);
        let Some(parent) = path.parent() else { return };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        let temporary = parent.join(format!(".{}.{}.tmp", key.request, std::process::id()));
        if std::fs::write(&temporary, response).is_ok()
            && std::fs::rename(&temporary, &path).is_ok()
        {
            self.mark_used(key);
        } else {
            let _ = std::fs::remove_file(&temporary);
        }
    }

    /// Forget an entry whose response was refused after all.
    pub(crate) fn remove(&self, key: &Key) {
        let _ = std::fs::remove_file(self.path(key));
        if let Ok(mut used) = self.used.lock() {
            if let Some(set) = used.get_mut(&key.identity) {
                set.remove(&key.request);
            }
        }
    }

    /// Remove, for every command this run used, the entries it did not
    /// use and those of its other program versions.
    pub(crate) fn prune(&self) {
        let Ok(used) = self.used.lock() else { return };
        for (identity, keep) in used.iter() {
            let Some((command, program)) = identity.split_once('/') else {
                continue;
            };
            let command_dir = self.dir.join(command);
            for version in std::fs::read_dir(&command_dir)
                .into_iter()
                .flatten()
                .flatten()
            {
                if version.file_name().to_string_lossy() != program {
                    let _ = std::fs::remove_dir_all(version.path());
                }
            }
            for entry in std::fs::read_dir(command_dir.join(program))
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !keep.contains(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }

    fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(&key.identity).join(&key.request)
    }

    fn mark_used(&self, key: &Key) {
        if let Ok(mut used) = self.used.lock() {
            used.entry(key.identity.clone())
                .or_default()
                .insert(key.request.clone());
        }
    }
}

/// Where a response is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    identity: String,
    request: String,
}

/// A program's identity: its argument vector and its bytes, hashed.
fn identity(argv: &[String]) -> Option<String> {
    let program = resolve(argv.first()?)?;
    if argv[1..].iter().any(|arg| Path::new(arg).exists()) {
        return None;
    }
    let bytes = std::fs::read(program).ok()?;
    if !is_native(&bytes) {
        return None;
    }
    let mut h = Sha256::new();
    h.update(b"schemactl plugin v1\0");
    for arg in argv {
        h.update(arg.as_bytes());
        h.update(b"\0");
    }
    let command = hex(&h.finalize()[..16]);
    let program = hex(&Sha256::digest(&bytes)[..16]);
    Some(format!("{command}/{program}"))
}

/// The file `program` names, found as running it finds it: a name with a
/// `/` is a path, any other is looked up on `PATH`.
fn resolve(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = Path::new(program);
        return path.is_file().then(|| path.to_path_buf());
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether `bytes` are a native executable (ELF, Mach-O), not a script.
fn is_native(bytes: &[u8]) -> bool {
    const MAGICS: [&[u8]; 5] = [
        b"\x7fELF",
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
        b"\xfe\xed\xfa\xcf",
    ];
    MAGICS.iter().any(|magic| bytes.starts_with(magic))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_is_found_again_and_pruned_when_unused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let argv = vec!["sh".to_owned()];
        let cache = ResponseCache::new(tmp.path().to_path_buf());
        let key = cache.key(&argv, b"request", &[]).expect("sh is on PATH");
        assert_eq!(cache.get(&key), None);
        cache.put(&key, b"response");
        let other = cache.key(&argv, b"other request", &[]).expect("key");
        cache.put(&other, b"other response");
        assert_ne!(key, other);
        assert_ne!(
            Some(key.clone()),
            cache.key(&argv, b"request", &["opt"]),
            "what else the run depends on is in the key"
        );

        // A later run that uses only `key` keeps only it.
        let later = ResponseCache::new(tmp.path().to_path_buf());
        assert_eq!(later.get(&key).as_deref(), Some(&b"response"[..]));
        later.prune();
        let again = ResponseCache::new(tmp.path().to_path_buf());
        assert_eq!(again.get(&other), None);
        assert_eq!(again.get(&key).as_deref(), Some(&b"response"[..]));
    }

    #[test]
    fn another_program_or_argument_is_another_identity() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let cache = ResponseCache::new(tmp.path().to_path_buf());
        let a = cache.key(&["sh".to_owned()], b"r", &[]).expect("sh");
        let b = cache
            .key(&["sh".to_owned(), "-e".to_owned()], b"r", &[])
            .expect("sh -e");
        assert_ne!(a.identity, b.identity);
        assert_eq!(
            cache.key(&["no-such-plugin-anywhere".to_owned()], b"r", &[]),
            None
        );
        // A script, or a program given a file, is not cached.
        let script = tmp.path().join("gen.sh");
        std::fs::write(&script, "#!/bin/sh\n").expect("write");
        let script = script.display().to_string();
        assert_eq!(cache.key(std::slice::from_ref(&script), b"r", &[]), None);
        assert_eq!(cache.key(&["sh".to_owned(), script], b"r", &[]), None);
    }
}
