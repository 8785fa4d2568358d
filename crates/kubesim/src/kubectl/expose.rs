//! `kubectl expose` (k8s.io/kubectl/pkg/cmd/expose/expose.go and polymorphichelpers): a
//! Service for a pod, Service, ReplicationController, Deployment or ReplicaSet, its selector
//! and ports taken from the object unless `--selector` / `--port` say otherwise; the target
//! port is `--target-port`, or the port itself.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::args::{self, FlagSpec};
use super::builder::{self, Select};
use super::Output;
use crate::api::{Kind, Object};
use crate::sim::{Applied, Simulation};

const FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "namespace", short: Some('n'), takes_value: true },
    FlagSpec { long: "port", short: None, takes_value: true },
    FlagSpec { long: "target-port", short: None, takes_value: true },
    FlagSpec { long: "name", short: None, takes_value: true },
    FlagSpec { long: "type", short: None, takes_value: true },
    FlagSpec { long: "protocol", short: None, takes_value: true },
    FlagSpec { long: "selector", short: None, takes_value: true },
    FlagSpec { long: "labels", short: Some('l'), takes_value: true },
    FlagSpec { long: "cluster-ip", short: None, takes_value: true },
    FlagSpec { long: "external-ip", short: None, takes_value: true },
    FlagSpec { long: "session-affinity", short: None, takes_value: true },
];

pub fn expose(sim: &mut Simulation, words: &[String]) -> Output {
    let p = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    if p.positional.is_empty() {
        return Output::error(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
        );
    }
    let how = Select { namespace: p.flag("namespace").unwrap_or("default"), ..Default::default() };
    let found = match builder::resolve(sim.store(), &p.positional, &how) {
        Ok(f) => f,
        Err(e) => return Output::error(e),
    };
    let mut out = Output::default();
    for f in found {
        let result = f.and_then(|key| {
            let obj = sim.store().get(&key).cloned().ok_or_else(|| super::not_found(key.kind, &key.name))?;
            let svc = service_for(&obj, &p)?;
            let name = svc.metadata.name.clone().unwrap_or_default();
            match sim.create_object(Object::Service(svc)) {
                Applied::Created(_) => Ok(format!("service/{name} exposed\n")),
                Applied::Unchanged(_) | Applied::Configured(_) => {
                    Err(format!("Error from server (AlreadyExists): services \"{name}\" already exists"))
                }
                Applied::Rejected(e) if e.reason == "Invalid" => Err(e.message),
                Applied::Rejected(e) => Err(e.to_string()),
                Applied::Invalid(e) => Err(format!("error: {}", e.message)),
            }
        });
        match result {
            Ok(line) => out.stdout.push_str(&line),
            Err(e) => {
                out.stderr.push_str(e.trim_end());
                out.stderr.push('\n');
                out.exit_code = 1;
            }
        }
    }
    out
}

/// `k=v,k2=v2` as polymorphichelpers.MakeLabels writes a map (sorted here; Go's map order is
/// random, and the Service stores a map either way).
fn make_labels(m: &BTreeMap<String, String>) -> String {
    m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// expose.go parseLabels: `k=v` pairs separated by commas.
fn parse_labels(spec: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for pair in spec.split(',') {
        let Some((k, v)) = pair.split_once('=').filter(|(_, v)| !v.contains('=')) else {
            return Err(format!("error: unexpected label spec: {pair}"));
        };
        if k.is_empty() {
            return Err("error: unexpected empty label key".into());
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

/// mapBasedSelectorForObject: the pod selector the object implies.
fn selector_of(obj: &Object) -> Result<BTreeMap<String, String>, String> {
    let from_label_selector = |sel: Option<&LabelSelector>, what: &str| -> Result<BTreeMap<String, String>, String> {
        let Some(sel) = sel else {
            return Err(format!("invalid {what}: no selectors, therefore cannot be exposed"));
        };
        if let Some(exprs) = sel.match_expressions.as_ref().filter(|e| !e.is_empty()) {
            return Err(format!("couldn't convert expressions - \"{exprs:?}\" to map-based selector format"));
        }
        Ok(sel.match_labels.clone().unwrap_or_default())
    };
    match obj {
        Object::Pod(p) => p
            .metadata
            .labels
            .clone()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| "the pod has no labels and cannot be exposed".to_string()),
        Object::Service(s) => s
            .spec
            .as_ref()
            .and_then(|sp| sp.selector.clone())
            .ok_or_else(|| "the service has no pod selector set".to_string()),
        Object::ReplicationController(rc) => Ok(rc.spec.as_ref().and_then(|s| s.selector.clone()).unwrap_or_default()),
        Object::Deployment(d) => from_label_selector(d.spec.as_ref().map(|s| &s.selector), "deployment"),
        Object::ReplicaSet(rs) => from_label_selector(rs.spec.as_ref().map(|s| &s.selector), "replicaset"),
        other => Err(format!("cannot extract pod selector from *v1.{}", other.kind().name())),
    }
}

/// portsForObject and protocolsForObject: each distinct port, with its protocol.
fn ports_of(obj: &Object) -> Vec<(i32, String)> {
    let from_containers = |cs: &[Container]| {
        let mut out: Vec<(i32, String)> = Vec::new();
        for p in cs.iter().flat_map(|c| c.ports.iter().flatten()) {
            if !out.iter().any(|(n, _)| *n == p.container_port) {
                out.push((p.container_port, p.protocol.clone().unwrap_or_else(|| "TCP".into())));
            }
        }
        out
    };
    let template = |t: Option<&k8s_openapi::api::core::v1::PodTemplateSpec>| {
        t.and_then(|t| t.spec.as_ref()).map(|s| from_containers(&s.containers)).unwrap_or_default()
    };
    match obj {
        Object::Pod(p) => p.spec.as_ref().map(|s| from_containers(&s.containers)).unwrap_or_default(),
        Object::Service(s) => {
            let mut out: Vec<(i32, String)> = Vec::new();
            for sp in s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()) {
                if !out.iter().any(|(n, _)| *n == sp.port) {
                    out.push((sp.port, sp.protocol.clone().unwrap_or_else(|| "TCP".into())));
                }
            }
            out
        }
        Object::ReplicationController(rc) => template(rc.spec.as_ref().and_then(|s| s.template.as_ref())),
        Object::Deployment(d) => template(d.spec.as_ref().map(|s| &s.template)),
        Object::ReplicaSet(rs) => template(rs.spec.as_ref().and_then(|s| s.template.as_ref())),
        _ => Vec::new(),
    }
}

/// The Service `expose` creates for `obj` (expose.go RunExpose + createService).
fn service_for(obj: &Object, p: &args::Parsed) -> Result<Service, String> {
    if !matches!(
        obj.kind(),
        Kind::Pod | Kind::Service | Kind::ReplicationController | Kind::Deployment | Kind::ReplicaSet
    ) {
        // The GroupKind as Go prints it: `Node`, `Job.batch`.
        let kind = obj.kind();
        let group = kind.api_version().rsplit_once('/').map(|(g, _)| g).unwrap_or("");
        let gk = if group.is_empty() { kind.name().to_string() } else { format!("{}.{group}", kind.name()) };
        return Err(format!("error: cannot expose a {gk}"));
    }
    let selector = match p.flag("selector") {
        Some(s) => parse_labels(s)?,
        None => selector_of(obj)
            .map_err(|e| format!("error: couldn't retrieve selectors via --selector flag or introspection: {e}"))?,
    };
    if selector.is_empty() {
        return Err("error: selector must be specified".into());
    }
    let headless = p.flag("cluster-ip") == Some("None");
    let found = ports_of(obj);
    let ports: Vec<(i32, Option<String>)> = match p.flag("port") {
        Some(port) => {
            let n: i32 = port.parse().map_err(|_| format!("error: strconv.Atoi: parsing {port:?}: invalid syntax"))?;
            let proto = found.iter().find(|(f, _)| *f == n).map(|(_, pr)| pr.clone());
            vec![(n, proto)]
        }
        None if found.is_empty() && !headless => {
            return Err("error: couldn't find port via --port flag or introspection".into())
        }
        None => found.into_iter().map(|(n, pr)| (n, Some(pr))).collect(),
    };
    let many = ports.len() > 1;
    let target = p.flag("target-port").map(|t| match t.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(t.to_string()),
    });
    let service_ports: Vec<ServicePort> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, proto))| ServicePort {
            name: many.then(|| format!("port-{}", i + 1)),
            port: *port,
            protocol: Some(p.flag("protocol").map(str::to_string).or(proto.clone()).unwrap_or_else(|| "TCP".into())),
            target_port: Some(target.clone().unwrap_or(IntOrString::Int(*port))),
            ..Default::default()
        })
        .collect();
    let labels = match p.flag("labels") {
        Some(l) => Some(parse_labels(l)?),
        None => obj.meta().labels.clone().filter(|l| !l.is_empty()).map(|l| {
            // The object's labels, through MakeLabels and back.
            parse_labels(&make_labels(&l)).unwrap_or(l)
        }),
    };
    let mut name = p.flag("name").map(str::to_string).unwrap_or_else(|| obj.name().to_string());
    name.truncate(63);
    let affinity = match p.flag("session-affinity") {
        None => None,
        Some(a @ ("None" | "ClientIP")) => Some(a.to_string()),
        Some(other) => return Err(format!("error: unknown session affinity: {other}")),
    };
    Ok(Service {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(obj.namespace().to_string()),
            labels,
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            selector: Some(selector),
            ports: Some(service_ports),
            type_: p.flag("type").map(str::to_string),
            cluster_ip: p.flag("cluster-ip").map(str::to_string),
            external_ips: p.flag("external-ip").map(|ip| vec![ip.to_string()]),
            session_affinity: affinity,
            ..Default::default()
        }),
        status: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::kubectl::run;
    use crate::kubectl::testing::cluster;
    use crate::sim::Simulation;

    fn sim() -> Simulation {
        cluster(
            1,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  containers:\n  - name: c\n    image: nginx\n",
            10_000,
        )
    }

    #[test]
    fn expose_a_pod() {
        let mut sim = sim();
        assert_eq!(run(&mut sim, "expose pod web").stdout, "service/web exposed\n");
        let svc = run(&mut sim, "get svc web -o wide").stdout;
        assert!(svc.contains("80/TCP") && svc.contains("app=web"), "{svc}");
        assert_eq!(
            run(&mut sim, "expose pod web").stderr,
            "Error from server (AlreadyExists): services \"web\" already exists\n"
        );
        assert_eq!(
            run(&mut sim, "expose pod/web --name=np --type=NodePort --port=8080 --target-port=80").stdout,
            "service/np exposed\n"
        );
        let np = run(&mut sim, "get svc np --no-headers").stdout;
        assert!(np.contains("NodePort") && np.contains("8080:3"), "{np}");
        let ep = run(&mut sim, "get endpoints np --no-headers").stdout;
        assert!(ep.contains(":80 "), "{ep}");
    }

    #[test]
    fn expose_errors() {
        let mut sim = sim();
        assert_eq!(
            run(&mut sim, "expose pod bare").stderr,
            "error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\n"
        );
        assert_eq!(
            run(&mut sim, "expose pod bare --selector=app=x").stderr,
            "error: couldn't find port via --port flag or introspection\n"
        );
        assert_eq!(run(&mut sim, "expose node k8s-worker1").stderr, "error: cannot expose a Node\n");
        assert_eq!(run(&mut sim, "expose pod nope").stderr, "Error from server (NotFound): pods \"nope\" not found\n");
    }
}
