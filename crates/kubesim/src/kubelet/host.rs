//! What a container's process sees of the world (`runtime::shell::Host`): the pod's own network
//! namespace (localhost), cluster DNS and the programs of its image.

use super::super::runtime::catalog;
use crate::runtime::shell::{External, Host};
use crate::time::{Millis, SECOND};

/// A port some container of the pod listens on; `liveness_demo` marks the docs' liveness server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalPort {
    pub port: u16,
    pub liveness_demo: Option<Millis>,
    /// For static web servers (nginx, httpd): the files they serve, by URL path.
    pub docroot: Option<std::collections::BTreeMap<String, String>>,
}

pub struct PodHost {
    pub now: Millis,
    pub pod_ip: String,
    pub image: String,
    pub local: Vec<LocalPort>,
    /// What cluster DNS and the network can reach from this pod.
    pub cluster: ClusterNet,
}

/// One Service as the network sees it.
#[derive(Clone, Debug, Default)]
pub struct ServiceNet {
    pub namespace: String,
    pub name: String,
    /// The ClusterIP, or "None" for a headless Service.
    pub ip: String,
    /// Ready backends: (pod IP, target port).
    pub backends: Vec<(String, u16)>,
}

/// A snapshot of what the pod network holds: Services (by namespace/name, their ClusterIP and
/// ready backends) and running pods (by IP, with their image), plus the pod's own namespace for
/// DNS search paths.
#[derive(Clone, Debug, Default)]
pub struct ClusterNet {
    pub namespace: String,
    pub services: Vec<ServiceNet>,
    /// Running pods by IP: (image of its first container, declared container ports).
    pub pods: std::sync::Arc<std::collections::BTreeMap<String, crate::store::PodEndpoint>>,
}

impl ClusterNet {
    /// Builds the snapshot from the store.
    pub fn from_store(store: &crate::store::Store, namespace: &str) -> Self {
        use crate::api::{Kind, Object};
        let services = store
            .list(Kind::Service, None)
            .filter_map(Object::as_service)
            .map(|svc| {
                let ns = svc.metadata.namespace.clone().unwrap_or_default();
                let name = svc.metadata.name.clone().unwrap_or_default();
                let ip = svc.spec.as_ref().and_then(|s| s.cluster_ip.clone()).unwrap_or_default();
                let backends = store
                    .get(&crate::api::ObjectKey::new(Kind::Endpoints, &ns, &name))
                    .and_then(Object::as_endpoints)
                    .map(|ep| {
                        ep.subsets
                            .iter()
                            .flatten()
                            .flat_map(|ss| {
                                let port = ss.ports.iter().flatten().next().map(|p| p.port).unwrap_or(0);
                                ss.addresses.iter().flatten().map(move |a| (a.ip.clone(), port.clamp(0, 65535) as u16))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                ServiceNet { namespace: ns, name, ip, backends }
            })
            .collect();
        let pods = store.pod_network();
        ClusterNet { namespace: namespace.to_string(), services, pods }
    }

    /// A stable public address for a name outside the cluster (the simulated internet).
    fn public_ip(name: &str) -> String {
        let h = name.bytes().fold(0x811c9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x01000193));
        format!("{}.{}.{}.{}", 104 + (h >> 24) % 80, (h >> 16) & 0xff, (h >> 8) & 0xff, 1 + (h & 0xff) % 254)
    }

    /// Whether `ip` is outside the cluster's networks (pods, services, nodes).
    pub fn is_public(ip: &str) -> bool {
        !(ip.starts_with("10.") || ip.starts_with("192.168.") || ip.starts_with("127.") || ip.starts_with("172."))
    }

    /// Cluster DNS (CoreDNS with the pod's search path `<ns>.svc.cluster.local svc.cluster.local
    /// cluster.local`): a Service name resolves to its ClusterIP (a headless one to a backend).
    pub fn resolve(&self, name: &str) -> Option<String> {
        let name = name.trim_end_matches('.');
        let parts: Vec<&str> = name.split('.').collect();
        let (svc, ns) = match parts.as_slice() {
            [svc] => (*svc, self.namespace.as_str()),
            [svc, ns] | [svc, ns, "svc"] | [svc, ns, "svc", "cluster", "local"] => (*svc, *ns),
            // Other names with a dot are the internet's (upstream DNS forwards them).
            _ if !name.ends_with(".local") && parts.len() >= 2 => return Some(Self::public_ip(name)),
            _ => return None,
        };
        if parts.len() == 2 && !self.services.iter().any(|s| s.namespace == ns && s.name == svc) {
            // `example.com` is not a Service `example` in namespace `com`.
            if !self.services.iter().any(|s| s.namespace == ns) {
                return Some(Self::public_ip(name));
            }
        }
        let s = self.services.iter().find(|s| s.namespace == ns && s.name == svc)?;
        if s.ip == "None" {
            s.backends.first().map(|(ip, _)| ip.clone())
        } else {
            Some(s.ip.clone())
        }
    }
}

impl PodHost {
    fn is_local(&self, host: &str) -> bool {
        host == "localhost" || host == "127.0.0.1" || host == self.pod_ip || host == "::1"
    }
}

impl Host for PodHost {
    fn lookup(&mut self, name: &str) -> Option<String> {
        if name == "localhost" {
            return Some("127.0.0.1".into());
        }
        if name.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some(name.to_string());
        }
        self.cluster.resolve(name)
    }

    fn http_get(&mut self, host: &str, port: u16, path: &str) -> Result<(u16, String), String> {
        if !self.is_local(host) {
            // A Service's ClusterIP forwards to one of its ready backends; a pod IP reaches that
            // pod's server. Either answers as its image's server does.
            let backend = self
                .cluster
                .services
                .iter()
                .find(|s| s.ip == host)
                .and_then(|s| s.backends.first().map(|(ip, p)| (ip.clone(), *p)))
                .or_else(|| self.cluster.pods.contains_key(host).then(|| (host.to_string(), port)));
            if backend.is_none() && ClusterNet::is_public(host) {
                // The simulated internet answers every GET with a small page.
                return Ok((200, format!("<html><body>{host}:{port}{path}</body></html>\n")));
            }
            let Some((ip, port)) = backend else { return Err("Connection refused".into()) };
            return match self.cluster.pods.get(&ip) {
                Some((image, ports)) => {
                    let serves = match catalog::lookup(image).behaviour {
                        catalog::Behaviour::Server(p) if !p.is_empty() => p.contains(&port),
                        catalog::Behaviour::Server(_) => ports.contains(&port),
                        _ => false,
                    };
                    if serves {
                        Ok((200, default_body(image)))
                    } else {
                        Err("Connection refused".into())
                    }
                }
                None => Err("Connection refused".into()),
            };
        }
        match self.local.iter().find(|l| l.port == port) {
            Some(l) => match (&l.liveness_demo, &l.docroot) {
                (Some(t0), _) if path == "/healthz" && self.now.saturating_sub(*t0) >= 10 * SECOND => {
                    Ok((500, "error: 10s\n".into()))
                }
                (_, Some(files)) => {
                    let p = if path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
                    match files.get(&p) {
                        Some(body) => Ok((200, body.clone())),
                        None if p == "/index.html" => Ok((200, default_body(&self.image))),
                        None => Ok((404, "<html><head><title>404 Not Found</title></head></html>\n".into())),
                    }
                }
                _ => Ok((200, default_body(&self.image))),
            },
            None => Err("Connection refused".into()),
        }
    }

    fn external(&mut self, argv: &[String]) -> External {
        let prog = argv.first().map(|s| s.rsplit('/').next().unwrap_or(s).to_string()).unwrap_or_default();
        let repo = catalog::split_reference(&self.image).0;
        let serve = |ports: &[u16]| External::Serve { ports: ports.to_vec() };
        match (prog.as_str(), repo.as_str()) {
            ("nginx", "nginx") => serve(&[80]),
            ("httpd-foreground" | "httpd", "httpd") => serve(&[80]),
            ("redis-server", "redis") => serve(&[6379]),
            ("etcd", r) if r.ends_with("/etcd") => serve(&[2379, 2380]),
            ("server", r) if r.ends_with("/liveness") => serve(&[8080]),
            ("python" | "python3", _) if argv.iter().any(|a| a == "http.server") => {
                let port = argv.iter().filter_map(|a| a.parse::<u16>().ok()).next().unwrap_or(8000);
                serve(&[port])
            }
            ("nc", _) if argv.iter().any(|a| a == "-l" || a == "-lk" || a == "-lp") => {
                let port = argv.iter().filter_map(|a| a.parse::<u16>().ok()).next().unwrap_or(0);
                serve(&[port])
            }
            ("dd", _) if argv.iter().any(|a| a == "of=/dev/null") => External::Serve { ports: vec![] },
            // Busybox, alpine and other base images have only their shell's tools; any other
            // image's own program (envoy, node, java, a course app) runs as that image's server,
            // on the ports the pod declares.
            _ => match catalog::known(&repo).map(|i| i.behaviour) {
                Some(catalog::Behaviour::ShellExits) => External::NotFound,
                _ => External::Serve { ports: vec![] },
            },
        }
    }
}

/// What a GET of `/` returns from an image's server.
pub fn default_body(image: &str) -> String {
    match catalog::split_reference(image).0.as_str() {
        "nginx" => "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n".into(),
        "httpd" => "<html><body><h1>It works!</h1></body></html>\n".into(),
        _ => "OK\n".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(ns: &str, name: &str, ip: &str, backends: Vec<(String, u16)>) -> ServiceNet {
        ServiceNet { namespace: ns.into(), name: name.into(), ip: ip.into(), backends }
    }

    #[test]
    fn service_names_resolve_with_the_pod_search_path() {
        let net = ClusterNet {
            namespace: "default".into(),
            services: vec![
                svc("default", "myservice", "10.100.1.2", vec![]),
                svc("db", "mydb", "10.100.9.9", vec![]),
                svc("default", "headless", "None", vec![("10.244.1.5".into(), 80)]),
            ],
            pods: Default::default(),
        };
        assert_eq!(net.resolve("myservice").as_deref(), Some("10.100.1.2"));
        assert_eq!(net.resolve("myservice.default.svc.cluster.local").as_deref(), Some("10.100.1.2"));
        assert_eq!(net.resolve("mydb.db").as_deref(), Some("10.100.9.9"));
        assert_eq!(net.resolve("mydb.db.svc.cluster.local.").as_deref(), Some("10.100.9.9"));
        assert_eq!(net.resolve("mydb"), None, "another namespace needs its name");
        assert_eq!(net.resolve("headless").as_deref(), Some("10.244.1.5"));
        assert_eq!(net.resolve("nothere"), None);
    }
}
