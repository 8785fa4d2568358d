//! The image catalog: facts about images learners meet in courses and the official docs: how
//! big they are (pull time), what their default process does, and which references do not exist.

/// What an image's default process (its ENTRYPOINT/CMD, when the pod sets no `command`) does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// A server listening on these TCP ports; HTTP `GET` of any path answers 200.
    Server(&'static [u16]),
    /// A shell with no terminal attached (busybox, alpine, ubuntu): exits 0 at once, so a bare
    /// `kubectl run --image=busybox` crash-loops, as on a real cluster.
    ShellExits,
    /// registry.k8s.io/liveness (the docs' HTTP liveness example): serves `/healthz` with 200 for
    /// the first 10 seconds after start, then 500.
    LivenessDemo,
    /// polinux/stress without arguments: prints usage and exits 1.
    StressUsage,
}

/// What the simulation knows about an image repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    /// Compressed size in bytes: drives the pull time and the `Image size` of the Pulled event.
    pub size: u64,
    pub behaviour: Behaviour,
    /// Resident memory of the default process, bytes.
    pub memory: u64,
    /// Named tags that exist besides version numbers (`None`: any tag is accepted).
    pub tags: Option<&'static [&'static str]>,
}

const MI: u64 = 1024 * 1024;

/// An image nobody catalogued: it pulls fine and serves on the ports the pod declares.
pub const GENERIC: ImageInfo =
    ImageInfo { size: 48_000_000, behaviour: Behaviour::Server(&[]), memory: 20 * MI, tags: None };

const NGINX_TAGS: &[&str] = &["latest", "stable", "mainline", "alpine", "perl", "alpine-slim", "bookworm", "trixie"];
const LINUX_TAGS: &[&str] = &["latest", "stable", "musl", "glibc", "uclibc", "edge", "jammy", "noble", "focal"];

/// Known repositories (without `docker.io/library/`).
const CATALOG: &[(&str, ImageInfo)] = &[
    (
        "nginx",
        ImageInfo { size: 72_225_634, behaviour: Behaviour::Server(&[80]), memory: 8 * MI, tags: Some(NGINX_TAGS) },
    ),
    (
        "httpd",
        ImageInfo {
            size: 58_110_712,
            behaviour: Behaviour::Server(&[80]),
            memory: 10 * MI,
            tags: Some(&["latest", "alpine", "bookworm"]),
        },
    ),
    (
        "redis",
        ImageInfo {
            size: 45_117_326,
            behaviour: Behaviour::Server(&[6379]),
            memory: 6 * MI,
            tags: Some(&["latest", "alpine", "bookworm"]),
        },
    ),
    ("busybox", ImageInfo { size: 2_155_914, behaviour: Behaviour::ShellExits, memory: MI, tags: Some(LINUX_TAGS) }),
    ("alpine", ImageInfo { size: 3_645_412, behaviour: Behaviour::ShellExits, memory: MI, tags: Some(LINUX_TAGS) }),
    (
        "ubuntu",
        ImageInfo { size: 29_754_224, behaviour: Behaviour::ShellExits, memory: 2 * MI, tags: Some(LINUX_TAGS) },
    ),
    (
        "debian",
        ImageInfo {
            size: 48_494_272,
            behaviour: Behaviour::ShellExits,
            memory: 2 * MI,
            tags: Some(&["latest", "bookworm", "bookworm-slim", "trixie", "stable-slim"]),
        },
    ),
    (
        "registry.k8s.io/busybox",
        ImageInfo { size: 1_144_547, behaviour: Behaviour::ShellExits, memory: MI, tags: None },
    ),
    (
        "registry.k8s.io/liveness",
        ImageInfo { size: 2_638_372, behaviour: Behaviour::LivenessDemo, memory: 4 * MI, tags: None },
    ),
    (
        "registry.k8s.io/e2e-test-images/agnhost",
        ImageInfo { size: 51_035_374, behaviour: Behaviour::Server(&[8080]), memory: 10 * MI, tags: None },
    ),
    (
        "registry.k8s.io/goproxy",
        ImageInfo { size: 2_478_306, behaviour: Behaviour::Server(&[8080]), memory: 4 * MI, tags: None },
    ),
    (
        "registry.k8s.io/etcd",
        ImageInfo { size: 22_857_934, behaviour: Behaviour::Server(&[2379, 2380]), memory: 30 * MI, tags: None },
    ),
    ("registry.k8s.io/pause", ImageInfo { size: 320_368, behaviour: Behaviour::Server(&[]), memory: MI, tags: None }),
    ("polinux/stress", ImageInfo { size: 4_041_495, behaviour: Behaviour::StressUsage, memory: MI, tags: None }),
    ("kubetm/init", ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8080]), memory: 30 * MI, tags: None }),
    ("kubetm/app", ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8080]), memory: 30 * MI, tags: None }),
    (
        "kubetm/p8000",
        ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8000]), memory: 30 * MI, tags: None },
    ),
    (
        "kubetm/p8080",
        ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8080]), memory: 30 * MI, tags: None },
    ),
    ("tmkube/init", ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8080]), memory: 30 * MI, tags: None }),
    ("tmkube/app", ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8080]), memory: 30 * MI, tags: None }),
    (
        "tmkube/p8000",
        ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8000]), memory: 30 * MI, tags: None },
    ),
    (
        "tmkube/p8080",
        ImageInfo { size: 26_831_552, behaviour: Behaviour::Server(&[8080]), memory: 30 * MI, tags: None },
    ),
    (
        "arisu1000/simple-container-app",
        ImageInfo { size: 4_186_733, behaviour: Behaviour::Server(&[8080]), memory: 6 * MI, tags: None },
    ),
    (
        "luksa/kubia",
        ImageInfo { size: 251_018_137, behaviour: Behaviour::Server(&[8080]), memory: 25 * MI, tags: None },
    ),
];

/// Splits `registry/repo:tag@digest` into the repository path (without `docker.io/library/`) and
/// the tag (`latest` when absent).
pub fn split_reference(image: &str) -> (String, String) {
    let no_digest = image.split('@').next().unwrap_or(image);
    let (repo, tag) = match no_digest.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (no_digest, "latest"),
    };
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    (repo.to_string(), tag.to_string())
}

pub fn known(repo: &str) -> Option<&'static ImageInfo> {
    // k8s.gcr.io is the old name of registry.k8s.io (it redirects there).
    let repo = match repo.strip_prefix("k8s.gcr.io/") {
        Some(rest) => format!("registry.k8s.io/{rest}"),
        None => repo.to_string(),
    };
    CATALOG.iter().find(|(r, _)| *r == repo).map(|(_, i)| i)
}

pub fn lookup(image: &str) -> ImageInfo {
    let (repo, _) = split_reference(image);
    known(&repo).copied().unwrap_or(GENERIC)
}

/// Why a pull of `image` fails, in the runtime's words, or `None` when it succeeds. Only clear
/// reasons fail: an invalid reference, a near-miss of a catalogued name, or a tag that a
/// catalogued repository does not have. Arbitrary course images pull fine.
/// Whether `image` is a valid image reference (the distribution reference grammar): lower-case
/// path components, an optional registry host with port, a tag of word characters.
pub fn valid_reference(image: &str) -> bool {
    if image.is_empty() || image.len() > 255 {
        return false;
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let ok = d
            .split_once(':')
            .is_some_and(|(alg, hex)| !alg.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit()));
        if !ok {
            return false;
        }
    }
    let (path, tag) = match name.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, Some(t)),
        _ => (name, None),
    };
    if let Some(t) = tag {
        let mut cs = t.chars();
        let first_ok = cs.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !first_ok || t.len() > 128 || !t.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
            return false;
        }
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    // A first part with '.' or ':' (or localhost) is a registry host.
    if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost") {
        let host = parts.remove(0);
        let (h, port) = host.split_once(':').unwrap_or((host, ""));
        if h.is_empty() || !h.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
            return false;
        }
        if !port.is_empty() && !port.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    parts.iter().all(|p| {
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
            && p.starts_with(|c: char| c.is_ascii_alphanumeric())
            && p.ends_with(|c: char| c.is_ascii_alphanumeric())
    })
}

/// Registries anyone can pull from without credentials.
const PUBLIC_REGISTRIES: &[&str] = &[
    "docker.io",
    "registry-1.docker.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "gcr.io",
    "quay.io",
    "ghcr.io",
    "public.ecr.aws",
    "mcr.microsoft.com",
    "registry.gitlab.com",
];

/// Why a pull of `image` fails, given whether the pod has imagePullSecrets.
pub fn pull_error_for(image: &str, has_pull_secrets: bool) -> Option<String> {
    let canonical_ref = canonical(image);
    let host = canonical_ref.split('/').next().unwrap_or("");
    if !has_pull_secrets && !PUBLIC_REGISTRIES.contains(&host) {
        // A private registry answers 401 without credentials.
        return Some(format!(
            "failed to pull and unpack image \"{canonical_ref}\": failed to resolve reference \"{canonical_ref}\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://{host}/token: 401 Unauthorized"
        ));
    }
    pull_error(image)
}

pub fn pull_error(image: &str) -> Option<String> {
    let (repo, tag) = split_reference(image);
    let full = canonical(image);
    let not_found = || not_found_error(image);
    if let Some(info) = known(&repo) {
        let version_like = tag.chars().next().is_some_and(|c| c.is_ascii_digit() || c == 'v');
        return match info.tags {
            Some(tags) if !version_like && !tags.iter().any(|t| tag == *t || tag.starts_with(&format!("{t}-"))) => {
                Some(not_found())
            }
            _ => None,
        };
    }
    // A near miss of a catalogued official image (`ngnix`, `nginxx`, `busyboxx`) does not exist.
    let near_miss =
        !repo.contains('/') && CATALOG.iter().any(|(r, _)| !r.contains('/') && r.len() >= 4 && damerau(r, &repo) == 1);
    if near_miss {
        let host_repo = format!("docker.io/library/{repo}");
        return Some(format!(
            "failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed; {host_repo}"
        ));
    }
    None
}

/// containerd's error for a reference the registry does not have (a tag that does not exist, or
/// an image the registry lost).
pub fn not_found_error(image: &str) -> String {
    let full = canonical(image);
    format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
    )
}

/// The fully qualified reference containerd reports (`docker.io/library/nginx:latest`).
pub fn canonical(image: &str) -> String {
    let (repo, tag) = split_reference(image);
    let first = repo.split('/').next().unwrap_or("");
    let host_qualified = repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if host_qualified {
        format!("{repo}:{tag}")
    } else if repo.contains('/') {
        format!("docker.io/{repo}:{tag}")
    } else {
        format!("docker.io/library/{repo}:{tag}")
    }
}

/// Edit distance for near-miss image names: the did-you-mean distance of the manifest decoder,
/// skipped for names too different in length to be typos.
fn damerau(a: &str, b: &str) -> usize {
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    crate::manifest::suggest::distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_like_docker() {
        assert_eq!(split_reference("nginx"), ("nginx".into(), "latest".into()));
        assert_eq!(split_reference("nginx:1.14.2"), ("nginx".into(), "1.14.2".into()));
        assert_eq!(split_reference("docker.io/library/redis:7"), ("redis".into(), "7".into()));
        assert_eq!(split_reference("localhost:5000/app"), ("localhost:5000/app".into(), "latest".into()));
        assert_eq!(lookup("nginx:1.25").behaviour, Behaviour::Server(&[80]));
        assert_eq!(canonical("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(canonical("luksa/kubia"), "docker.io/luksa/kubia:latest");
        assert_eq!(canonical("registry.k8s.io/pause:3.10.1"), "registry.k8s.io/pause:3.10.1");
    }

    #[test]
    fn only_clear_reasons_fail() {
        assert_eq!(pull_error("nginx:1.14.2"), None);
        assert_eq!(pull_error("nginx:1.25-alpine"), None);
        assert_eq!(pull_error("someone/course-app:v3"), None);
        assert_eq!(pull_error("test-image"), None);
        assert!(pull_error("nginx:nope").unwrap().contains("not found"));
        assert!(pull_error("ngnix").unwrap().contains("pull access denied"));
        assert!(pull_error("nginxx:latest").unwrap().contains("repository does not exist"));
        assert_eq!(pull_error("nginx:alpine-slim"), None);
        assert_eq!(lookup("k8s.gcr.io/liveness").behaviour, Behaviour::LivenessDemo);
        assert!(pull_error_for("my-registry.lab/shared/nginx:latest", false).unwrap().contains("401 Unauthorized"));
        assert_eq!(pull_error_for("my-registry.lab/shared/nginx:latest", true), None);
        assert_eq!(pull_error_for("quay.io/prometheus/prometheus", false), None);
    }

    #[test]
    fn image_references_follow_the_grammar() {
        for ok in [
            "nginx",
            "nginx:1.25",
            "library/nginx",
            "localhost:5000/app:v1",
            "registry.k8s.io/pause:3.10.1",
            "a/b/c_d.e-f:T_1",
        ] {
            assert!(valid_reference(ok), "{ok}");
        }
        for bad in ["<your-private-image>", "Nginx", "nginx:", "nginx::1", "ngi nx", "", "nginx@sha256:zz", "-nginx"] {
            assert!(!valid_reference(bad), "{bad}");
        }
    }
}
