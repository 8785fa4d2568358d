//! Path handling over the in-memory [`Fs`]: files are a path → content map, directories are the
//! explicit ones, the parents of every file, and a fixed set every Linux image has (so
//! `touch /tmp/healthy` works without the runtime declaring `/tmp`).

use std::collections::BTreeMap;

use super::Fs;

/// Directories that exist in every container image.
pub const BASE_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/log",
    "/var/run",
    "/var/tmp",
];

/// An absolute, normalized path (`.`, `..` and repeated slashes resolved).
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined;
    let full = if path.starts_with('/') {
        path
    } else {
        joined = format!("{cwd}/{path}");
        &joined
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in full.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

pub fn basename(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

fn child_prefix(dir: &str) -> String {
    if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    }
}

fn has_prefixed<V>(map: &BTreeMap<String, V>, prefix: &str) -> bool {
    map.range(prefix.to_string()..).next().is_some_and(|(k, _)| k.starts_with(prefix))
}

pub fn is_dir(fs: &Fs, path: &str) -> bool {
    if BASE_DIRS.contains(&path) || fs.dirs.contains(path) {
        return true;
    }
    if fs.files.contains_key(path) {
        return false;
    }
    let prefix = child_prefix(path);
    has_prefixed(&fs.files, &prefix) || fs.dirs.range(prefix.clone()..).next().is_some_and(|k| k.starts_with(&prefix))
}

pub fn is_file(fs: &Fs, path: &str) -> bool {
    fs.files.contains_key(path) || path == "/dev/null"
}

pub fn exists(fs: &Fs, path: &str) -> bool {
    is_file(fs, path) || is_dir(fs, path)
}

/// The content of a regular file (`/dev/null` reads empty).
pub fn read(fs: &Fs, path: &str) -> Option<String> {
    if path == "/dev/null" {
        return Some(String::new());
    }
    fs.files.get(path).cloned()
}

/// Entries of a directory: name → is a directory. Sorted by name.
pub fn list(fs: &Fs, dir: &str) -> BTreeMap<String, bool> {
    let prefix = child_prefix(dir);
    let mut out = BTreeMap::new();
    let mut add = |path: &str, is_dir_leaf: bool| {
        if let Some(rest) = path.strip_prefix(&prefix) {
            if rest.is_empty() {
                return;
            }
            match rest.split_once('/') {
                Some((name, _)) => {
                    out.insert(name.to_string(), true);
                }
                None => {
                    out.entry(rest.to_string()).or_insert(is_dir_leaf);
                }
            }
        }
    };
    for (k, _) in fs.files.range(prefix.clone()..) {
        if !k.starts_with(&prefix) {
            break;
        }
        add(k, false);
    }
    for k in fs.dirs.range(prefix.clone()..) {
        if !k.starts_with(&prefix) {
            break;
        }
        add(k, true);
    }
    for k in BASE_DIRS {
        add(k, true);
    }
    out
}

/// Removes a file or a whole tree.
pub fn remove_tree(fs: &mut Fs, path: &str) {
    fs.files.remove(path);
    fs.dirs.remove(path);
    let prefix = child_prefix(path);
    let files: Vec<String> =
        fs.files.range(prefix.clone()..).map(|(k, _)| k.clone()).take_while(|k| k.starts_with(&prefix)).collect();
    for k in files {
        fs.files.remove(&k);
    }
    let dirs: Vec<String> = fs.dirs.range(prefix.clone()..).take_while(|k| k.starts_with(&prefix)).cloned().collect();
    for k in dirs {
        fs.dirs.remove(&k);
    }
}

/// Bytes the filesystem holds, as counted against the caps (paths and a per-entry overhead).
pub fn usage(fs: &Fs) -> usize {
    fs.files.iter().map(|(k, v)| k.len() + v.len() + 64).sum::<usize>()
        + fs.dirs.iter().map(|k| k.len() + 64).sum::<usize>()
}
