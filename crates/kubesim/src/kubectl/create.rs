//! The `kubectl create` generators (k8s.io/kubectl/pkg/cmd/create): `create deployment NAME
//! --image=IMAGE [--replicas=N] [--port=N]`, `create namespace NAME`, `create service
//! clusterip|nodeport NAME --tcp=PORT[:TARGET]`. `create -f FILE` needs the file read, which the
//! engine does not do: the CLI handles it before a line gets here.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, Namespace, PodSpec, PodTemplateSpec, Service, ServicePort, ServiceSpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::args::{self, FlagSpec};
use super::Output;
use crate::api::Object;
use crate::sim::{Applied, Simulation};

const FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "image", short: None, takes_value: true },
    FlagSpec { long: "replicas", short: Some('r'), takes_value: true },
    FlagSpec { long: "port", short: None, takes_value: true },
    FlagSpec { long: "tcp", short: None, takes_value: true },
    FlagSpec { long: "node-port", short: None, takes_value: true },
    FlagSpec { long: "cluster-ip", short: None, takes_value: true },
    FlagSpec { long: "filename", short: Some('f'), takes_value: true },
];

pub fn create(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if p.has("filename") {
        return Output::error("error: create -f reads a file: apply the manifest from the editor instead");
    }
    let ns = p.flag("namespace").unwrap_or("default").to_string();
    let sub = p.positional.first().map(String::as_str).unwrap_or("");
    let names = p.positional.get(1..).unwrap_or(&[]);
    match sub {
        "deployment" | "deploy" => deployment(sim, &p, &ns, names),
        "namespace" | "ns" => namespace(sim, names),
        "service" | "svc" => {
            let kind = names.first().map(String::as_str).unwrap_or("");
            service(sim, &p, &ns, kind, names.get(1..).unwrap_or(&[]))
        }
        "" => Output::error("error: must specify one of -f and -k"),
        other => Output::error(format!("error: unknown command \"{other}\" for \"kubectl create\"")),
    }
}

fn one_name<'a>(names: &'a [String], what: &str) -> Result<&'a str, String> {
    match names {
        [one] => Ok(one.as_str()),
        _ => Err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create {what} -h' for help and examples",
            names.len()
        )),
    }
}

/// What the create call printed: `<resource>/<name> created`, or the error as `create`
/// generators wrap it (`failed to create ...`) when `wrap` says so.
fn created(sim: &mut Simulation, obj: Object, wrap: Option<&str>) -> Output {
    let printed = format!("{}/{}", super::qualified(obj.kind()), obj.name());
    let err = match sim.create_object(obj.clone()) {
        Applied::Created(_) => return Output { stdout: format!("{printed} created\n"), ..Default::default() },
        Applied::Rejected(e) if e.reason == "AlreadyExists" => {
            // The apiserver names the resource with its group (`deployments.apps`).
            let kind = obj.kind();
            let group = kind.api_version().rsplit_once('/').map(|(g, _)| format!(".{g}")).unwrap_or_default();
            let message = format!("{}{group} \"{}\" already exists", kind.resource(), obj.name());
            match wrap {
                Some(_) => message,
                None => format!("Error from server (AlreadyExists): {message}"),
            }
        }
        Applied::Rejected(e) if e.reason == "Invalid" => e.message,
        Applied::Rejected(e) => match wrap {
            Some(_) => e.message,
            None => e.to_string(),
        },
        Applied::Unchanged(_) | Applied::Configured(_) => String::new(),
        Applied::Invalid(e) => e.message,
    };
    match wrap {
        Some(w) => Output::error(format!("error: failed to create {w}: {err}")),
        None => Output::error(err),
    }
}

fn deployment(sim: &mut Simulation, p: &args::Parsed, ns: &str, names: &[String]) -> Output {
    let name = match one_name(names, "deployment") {
        Ok(n) => n.to_string(),
        Err(e) => return Output::error(e),
    };
    let images: Vec<String> = p.all("image").iter().flat_map(|v| v.split(',')).map(str::to_string).collect();
    if images.is_empty() {
        return Output::error("error: required flag(s) \"image\" not set");
    }
    let replicas = match p.flag("replicas").map(str::parse::<i32>) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            let v = p.flag("replicas").unwrap_or("");
            return Output::error(format!(
                "error: invalid argument \"{v}\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
            ));
        }
    };
    let port = match p.flag("port").map(str::parse::<i32>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            let v = p.flag("port").unwrap_or("");
            return Output::error(format!(
                "error: invalid argument \"{v}\" for \"--port\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
            ));
        }
    };
    let labels: BTreeMap<String, String> = [("app".to_string(), name.clone())].into();
    // Container names come from the image's last path segment, without tag or digest.
    let mut containers: Vec<Container> = images
        .iter()
        .map(|image| {
            let base = image.rsplit('/').next().unwrap_or(image);
            let base = base.split(':').next().unwrap_or(base);
            let base = base.split('@').next().unwrap_or(base);
            Container { name: base.replace(['_', '.'], "-"), image: Some(image.clone()), ..Default::default() }
        })
        .collect();
    if let (Some(port), Some(first)) = (port.filter(|p| *p >= 0), containers.first_mut()) {
        first.ports = Some(vec![ContainerPort { container_port: port, ..Default::default() }]);
    }
    let deploy = Deployment {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(ns.to_string()),
            labels: Some(labels.clone()),
            ..Default::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector { match_labels: Some(labels.clone()), match_expressions: None },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta { labels: Some(labels), ..Default::default() }),
                spec: Some(PodSpec { containers, ..Default::default() }),
            },
            ..Default::default()
        }),
        status: None,
    };
    created(sim, Object::Deployment(deploy), Some("deployment"))
}

fn namespace(sim: &mut Simulation, names: &[String]) -> Output {
    let name = match one_name(names, "namespace") {
        Ok(n) => n.to_string(),
        Err(e) => return Output::error(e),
    };
    let ns = Namespace { metadata: ObjectMeta { name: Some(name), ..Default::default() }, ..Default::default() };
    created(sim, Object::Namespace(ns), None)
}

fn service(sim: &mut Simulation, p: &args::Parsed, ns: &str, kind: &str, names: &[String]) -> Output {
    let type_ = match kind {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "" => return Output::error("error: must specify a service type: clusterip, nodeport"),
        other => return Output::error(format!("error: unknown command \"{other}\" for \"kubectl create service\"")),
    };
    let name = match one_name(names, &format!("service {kind}")) {
        Ok(n) => n.to_string(),
        Err(e) => return Output::error(e),
    };
    let headless = p.flag("cluster-ip") == Some("None");
    if headless && type_ != "ClusterIP" {
        return Output::error("error: ClusterIP=None can only be used with ClusterIP service type");
    }
    let tcp: Vec<&str> = p.all("tcp").iter().flat_map(|v| v.split(',')).collect();
    if tcp.is_empty() && !headless {
        return Output::error("error: at least one tcp port specifier must be provided");
    }
    let node_port = p.flag("node-port").and_then(|n| n.parse::<i32>().ok()).filter(|n| *n != 0);
    let mut ports = Vec::new();
    for spec in tcp {
        let (port, target) = spec.split_once(':').unwrap_or((spec, spec));
        let Ok(port_n) = port.parse::<i32>() else {
            return Output::error(format!("error: invalid port: {port:?}"));
        };
        let target = match target.parse::<i32>() {
            Ok(n) => IntOrString::Int(n),
            Err(_) => IntOrString::String(target.to_string()),
        };
        ports.push(ServicePort {
            name: Some(spec.replace(':', "-")),
            port: port_n,
            target_port: Some(target),
            protocol: Some("TCP".into()),
            node_port,
            ..Default::default()
        });
    }
    let labels: BTreeMap<String, String> = [("app".to_string(), name.clone())].into();
    let svc = Service {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(ns.to_string()),
            labels: Some(labels.clone()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            type_: Some(type_.into()),
            selector: Some(labels),
            ports: Some(ports),
            cluster_ip: p.flag("cluster-ip").map(str::to_string),
            ..Default::default()
        }),
        status: None,
    };
    created(sim, Object::Service(svc), Some(&format!("{type_} service")))
}

#[cfg(test)]
mod tests {
    use crate::cluster::default_nodes;
    use crate::kubectl::run;
    use crate::sim::{Config, Simulation};

    #[test]
    fn generators_create_and_report() {
        let mut sim = Simulation::new(Config { nodes: default_nodes(1), ..Config::default() });
        assert_eq!(
            run(&mut sim, "create deployment web --image=nginx:1.25 --replicas=2 --port=80").stdout,
            "deployment.apps/web created\n"
        );
        sim.advance_by(20_000);
        let d = run(&mut sim, "get deploy web -o wide --no-headers").stdout;
        assert!(d.starts_with("web    2/2") && d.contains(" nginx ") && d.contains("app=web"), "{d}");
        assert_eq!(
            run(&mut sim, "create deployment web --image=nginx").stderr,
            "error: failed to create deployment: deployments.apps \"web\" already exists\n"
        );
        assert_eq!(run(&mut sim, "create deployment x").stderr, "error: required flag(s) \"image\" not set\n");
        assert_eq!(run(&mut sim, "create namespace dev").stdout, "namespace/dev created\n");
        assert_eq!(
            run(&mut sim, "create ns dev").stderr,
            "Error from server (AlreadyExists): namespaces \"dev\" already exists\n"
        );
        assert_eq!(run(&mut sim, "create service clusterip web --tcp=8080:80").stdout, "service/web created\n");
        let ep = run(&mut sim, "get ep web --no-headers").stdout;
        assert!(ep.contains(":80,") || ep.contains(":80 "), "{ep}");
        assert_eq!(
            run(&mut sim, "create service clusterip other").stderr,
            "error: at least one tcp port specifier must be provided\n"
        );
    }
}
