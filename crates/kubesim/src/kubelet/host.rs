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
}

pub struct PodHost {
    pub now: Millis,
    pub pod_ip: String,
    pub image: String,
    pub local: Vec<LocalPort>,
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
        // Service DNS arrives with Services (cluster issue); until then names do not resolve.
        None
    }

    fn http_get(&mut self, host: &str, port: u16, path: &str) -> Result<(u16, String), String> {
        if !self.is_local(host) {
            return Err("Connection refused".into());
        }
        match self.local.iter().find(|l| l.port == port) {
            Some(l) => match l.liveness_demo {
                Some(t0) if path == "/healthz" && self.now.saturating_sub(t0) >= 10 * SECOND => {
                    Ok((500, "error: 10s\n".into()))
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
            _ => External::NotFound,
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
