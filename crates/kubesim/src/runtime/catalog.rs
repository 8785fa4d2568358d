//! The image catalog: facts about images learners meet in courses and the official docs.

/// What the simulation knows about an image repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    /// Compressed size in bytes: drives the pull time and the `Image size` of the Pulled event.
    pub size: u64,
    /// Ports the image's default process listens on.
    pub ports: &'static [u16],
}

const GENERIC: ImageInfo = ImageInfo {
    size: 48_000_000,
    ports: &[],
};

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

pub fn lookup(image: &str) -> ImageInfo {
    let (repo, _) = split_reference(image);
    match repo.as_str() {
        "nginx" => ImageInfo {
            size: 72_225_634,
            ports: &[80],
        },
        "httpd" => ImageInfo {
            size: 58_110_712,
            ports: &[80],
        },
        "redis" => ImageInfo {
            size: 45_117_326,
            ports: &[6379],
        },
        "busybox" => ImageInfo {
            size: 2_155_914,
            ports: &[],
        },
        "alpine" => ImageInfo {
            size: 3_645_412,
            ports: &[],
        },
        "ubuntu" => ImageInfo {
            size: 29_754_224,
            ports: &[],
        },
        "registry.k8s.io/pause" => ImageInfo {
            size: 320_368,
            ports: &[],
        },
        "kubetm/app" | "kubetm/p8000" | "kubetm/p8080" => ImageInfo {
            size: 26_831_552,
            ports: &[8080],
        },
        "tmkube/app" | "tmkube/p8000" | "tmkube/p8080" => ImageInfo {
            size: 26_831_552,
            ports: &[8080],
        },
        "arisu1000/simple-container-app" => ImageInfo {
            size: 4_186_733,
            ports: &[8080],
        },
        _ => GENERIC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_like_docker() {
        assert_eq!(split_reference("nginx"), ("nginx".into(), "latest".into()));
        assert_eq!(split_reference("nginx:1.14.2"), ("nginx".into(), "1.14.2".into()));
        assert_eq!(
            split_reference("docker.io/library/redis:7"),
            ("redis".into(), "7".into())
        );
        assert_eq!(
            split_reference("localhost:5000/app"),
            ("localhost:5000/app".into(), "latest".into())
        );
        assert_eq!(lookup("nginx:1.25").ports, &[80]);
    }
}
