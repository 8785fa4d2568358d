//! The simulated registry's losses: images (or whole repositories) deleted after the cluster
//! started. A later pull of one fails with containerd's "not found"; a copy already cached on a
//! node keeps working, which is what `imagePullPolicy: IfNotPresent` versus `Always` is about.

use std::collections::BTreeSet;

use super::catalog;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    /// Repositories (as `split_reference` names them) that lost every tag.
    repos: BTreeSet<String>,
    /// Single references that are gone, canonical (`docker.io/library/nginx:1.25`).
    refs: BTreeSet<String>,
}

/// Whether `image` names a tag (or digest) explicitly: `nginx:1.25`, not `nginx` or
/// `localhost:5000/app`.
fn has_tag(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.contains(':') || image.contains('@')
}

impl Registry {
    /// The registry no longer has `image`: that tag, or every tag when none is written.
    pub fn lose(&mut self, image: &str) {
        if has_tag(image) {
            self.refs.insert(catalog::canonical(image));
        } else {
            self.repos.insert(catalog::split_reference(image).0);
        }
    }

    pub fn is_lost(&self, image: &str) -> bool {
        self.repos.contains(&catalog::split_reference(image).0) || self.refs.contains(&catalog::canonical(image))
    }

    /// The pull error for a lost image, as containerd reports it.
    pub fn pull_error(&self, image: &str) -> Option<String> {
        self.is_lost(image).then(|| catalog::not_found_error(image))
    }

    pub fn is_empty(&self) -> bool {
        self.repos.is_empty() && self.refs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_or_every_tag() {
        let mut r = Registry::default();
        r.lose("nginx:1.25");
        assert!(r.is_lost("docker.io/library/nginx:1.25"));
        assert!(!r.is_lost("nginx:1.26"));
        assert!(!r.is_lost("nginx"));
        r.lose("redis");
        assert!(r.is_lost("redis:7") && r.is_lost("redis") && r.is_lost("docker.io/library/redis:latest"));
        r.lose("localhost:5000/app");
        assert!(r.is_lost("localhost:5000/app:v2"));
        assert_eq!(
            r.pull_error("nginx:1.25").unwrap(),
            "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.25\": failed to resolve reference \"docker.io/library/nginx:1.25\": docker.io/library/nginx:1.25: not found"
        );
    }
}
