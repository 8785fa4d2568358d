//! The apiserver's defaulting (pkg/apis/core/v1/defaults.go) and the admission plugins that add
//! fields on create (DefaultTolerationSeconds), applied before an object is stored.

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, Toleration};

/// Upstream `imagePullPolicy` default: `Always` for `:latest` or no tag, else `IfNotPresent`
/// (pkg/apis/core/v1/defaults.go, SetDefaults_Container).
pub fn image_pull_policy(image: &str) -> &'static str {
    // Strip a digest; a tag is what follows the last ':' after the last '/'.
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

/// SetDefaults_Probe and SetDefaults_HTTPGetAction (pkg/apis/core/v1/defaults.go).
fn default_probe(p: &mut k8s_openapi::api::core::v1::Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(h) = p.http_get.as_mut() {
        h.path.get_or_insert_with(|| "/".into());
        h.scheme.get_or_insert_with(|| "HTTP".into());
    }
}

fn default_container(c: &mut Container) {
    for p in [c.liveness_probe.as_mut(), c.readiness_probe.as_mut(), c.startup_probe.as_mut()].into_iter().flatten() {
        default_probe(p);
    }
    if c.image_pull_policy.is_none() {
        c.image_pull_policy = Some(image_pull_policy(c.image.as_deref().unwrap_or("")).into());
    }
    if c.termination_message_path.is_none() {
        c.termination_message_path = Some("/dev/termination-log".into());
    }
    if c.termination_message_policy.is_none() {
        c.termination_message_policy = Some("File".into());
    }
    for p in c.ports.iter_mut().flatten() {
        if p.protocol.is_none() {
            p.protocol = Some("TCP".into());
        }
    }
}

pub fn default_pod(pod: &mut Pod) {
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    spec.security_context.get_or_insert_with(Default::default);
    spec.enable_service_links.get_or_insert(true);
    spec.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".into());
    spec.priority.get_or_insert(0);
    spec.service_account_name.get_or_insert_with(|| "default".into());
    for c in spec.init_containers.iter_mut().flatten() {
        default_container(c);
    }
    for c in spec.containers.iter_mut() {
        default_container(c);
    }
    // DefaultTolerationSeconds admission: tolerate not-ready/unreachable for 300 s unless the pod
    // already says otherwise (plugin/pkg/admission/defaulttolerationseconds).
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let has = tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(key) || t.key.is_none() && t.operator.as_deref() == Some("Exists"))
                && matches!(t.effect.as_deref(), None | Some("") | Some("NoExecute"))
        });
        if !has {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
}

/// Where the ServiceAccount admission plugin mounts the API credentials.
pub const SERVICE_ACCOUNT_MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount): unless
/// `automountServiceAccountToken: false`, a projected `kube-api-access-<suffix>` volume (token,
/// kube-root-ca.crt, namespace) mounted read-only in every container.
pub fn mount_service_account_token(pod: &mut Pod, suffix: &str) {
    use k8s_openapi::api::core::v1::{
        ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath, ObjectFieldSelector,
        ProjectedVolumeSource, ServiceAccountTokenProjection, Volume, VolumeMount, VolumeProjection,
    };
    let Some(spec) = pod.spec.as_mut() else { return };
    if spec.automount_service_account_token == Some(false) {
        return;
    }
    let all = spec.containers.iter().chain(spec.init_containers.iter().flatten());
    if all.clone().any(|c| c.volume_mounts.iter().flatten().any(|m| m.mount_path == SERVICE_ACCOUNT_MOUNT)) {
        return;
    }
    let name = format!("kube-api-access-{suffix}");
    spec.volumes.get_or_insert_with(Vec::new).push(Volume {
        name: name.clone(),
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(420),
            sources: Some(vec![
                VolumeProjection {
                    service_account_token: Some(ServiceAccountTokenProjection {
                        expiration_seconds: Some(3607),
                        path: "token".into(),
                        audience: None,
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: "kube-root-ca.crt".into(),
                        items: Some(vec![KeyToPath { key: "ca.crt".into(), path: "ca.crt".into(), mode: None }]),
                        optional: None,
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    downward_api: Some(DownwardAPIProjection {
                        items: Some(vec![DownwardAPIVolumeFile {
                            path: "namespace".into(),
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".into()),
                                field_path: "metadata.namespace".into(),
                            }),
                            mode: None,
                            resource_field_ref: None,
                        }]),
                    }),
                    ..Default::default()
                },
            ]),
        }),
        ..Default::default()
    });
    let mount =
        VolumeMount { name, mount_path: SERVICE_ACCOUNT_MOUNT.into(), read_only: Some(true), ..Default::default() };
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        c.volume_mounts.get_or_insert_with(Vec::new).push(mount.clone());
    }
}

/// Service defaults (pkg/apis/core/v1/defaults.go SetDefaults_Service) and the allocations the
/// apiserver's service registry makes: a ClusterIP from 10.96.0.0/12 (unless headless or
/// ExternalName) and NodePorts from 30000-32767 for NodePort and LoadBalancer services.
pub fn default_service(
    svc: &mut k8s_openapi::api::core::v1::Service,
    rng: &mut crate::rng::Rng,
    used_ips: &std::collections::BTreeSet<String>,
    used_node_ports: &std::collections::BTreeSet<i32>,
) {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let spec = svc.spec.get_or_insert_with(Default::default);
    let type_ = spec.type_.get_or_insert_with(|| "ClusterIP".into()).clone();
    spec.session_affinity.get_or_insert_with(|| "None".into());
    if type_ != "ExternalName" {
        spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
        if spec.cluster_ip.as_deref().unwrap_or("").is_empty() {
            let ip = loop {
                let candidate = format!("10.{}.{}.{}", 96 + rng.below(16), rng.below(256), 1 + rng.below(254));
                if !used_ips.contains(&candidate) && candidate != "10.96.0.1" && candidate != "10.96.0.10" {
                    break candidate;
                }
            };
            spec.cluster_ip = Some(ip);
        }
        let ip = spec.cluster_ip.clone().unwrap_or_default();
        spec.cluster_ips.get_or_insert_with(|| vec![ip]);
        spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
        spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
    }
    if type_ == "NodePort" || type_ == "LoadBalancer" {
        spec.external_traffic_policy.get_or_insert_with(|| "Cluster".into());
    }
    if type_ == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    let mut taken = used_node_ports.clone();
    for p in spec.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
        if p.target_port.is_none() {
            p.target_port = Some(IntOrString::Int(p.port));
        }
        if (type_ == "NodePort" || type_ == "LoadBalancer") && p.node_port.unwrap_or(0) == 0 {
            let np = loop {
                let candidate = 30000 + rng.below(2768) as i32;
                if !taken.contains(&candidate) {
                    break candidate;
                }
            };
            taken.insert(np);
            p.node_port = Some(np);
        }
    }
    if type_ == "LoadBalancer" {
        svc.status.get_or_insert_with(|| k8s_openapi::api::core::v1::ServiceStatus {
            load_balancer: Some(Default::default()),
            ..Default::default()
        });
    }
}

/// Defaults of a pod template inside a workload (the same SetDefaults_PodSpec as pods; no
/// admission plugins: those run when the pods are created).
fn default_template(t: &mut k8s_openapi::api::core::v1::PodTemplateSpec) {
    let mut pod = Pod { metadata: Default::default(), spec: t.spec.take(), status: None };
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    spec.security_context.get_or_insert_with(Default::default);
    for c in spec.init_containers.iter_mut().flatten() {
        default_container(c);
    }
    for c in spec.containers.iter_mut() {
        default_container(c);
    }
    t.spec = pod.spec;
}

/// Workload defaults (pkg/apis/apps/v1/defaults.go, batch/v1): replicas 1, the RollingUpdate
/// strategy with 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, and the template.
pub fn default_workload(obj: &mut crate::api::Object) {
    use k8s_openapi::api::apps::v1::{DeploymentStrategy, RollingUpdateDeployment};
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match obj {
        crate::api::Object::Deployment(d) => {
            d.metadata.generation = Some(1);
            if let Some(spec) = d.spec.as_mut() {
                spec.replicas.get_or_insert(1);
                spec.revision_history_limit.get_or_insert(10);
                spec.progress_deadline_seconds.get_or_insert(600);
                let strategy = spec.strategy.get_or_insert_with(DeploymentStrategy::default);
                let type_ = strategy.type_.get_or_insert_with(|| "RollingUpdate".into()).clone();
                if type_ == "RollingUpdate" {
                    let ru = strategy.rolling_update.get_or_insert_with(RollingUpdateDeployment::default);
                    ru.max_surge.get_or_insert(IntOrString::String("25%".into()));
                    ru.max_unavailable.get_or_insert(IntOrString::String("25%".into()));
                }
                default_template(&mut spec.template);
            }
        }
        crate::api::Object::ReplicaSet(rs) => {
            rs.metadata.generation = Some(1);
            if let Some(spec) = rs.spec.as_mut() {
                spec.replicas.get_or_insert(1);
                if let Some(t) = spec.template.as_mut() {
                    default_template(t);
                }
            }
        }
        crate::api::Object::ReplicationController(rc) => {
            rc.metadata.generation = Some(1);
            if let Some(spec) = rc.spec.as_mut() {
                spec.replicas.get_or_insert(1);
                if spec.selector.is_none() {
                    spec.selector =
                        spec.template.as_ref().and_then(|t| t.metadata.as_ref()).and_then(|m| m.labels.clone());
                }
                if let Some(t) = spec.template.as_mut() {
                    default_template(t);
                }
            }
        }
        crate::api::Object::Job(j) => {
            // pkg/apis/batch/v1/defaults.go SetDefaults_Job.
            j.metadata.generation = Some(1);
            if let Some(spec) = j.spec.as_mut() {
                if spec.completions.is_none() && spec.parallelism.is_none() {
                    spec.completions = Some(1);
                }
                spec.parallelism.get_or_insert(1);
                spec.backoff_limit.get_or_insert(if spec.backoff_limit_per_index.is_some() { i32::MAX } else { 6 });
                spec.completion_mode.get_or_insert_with(|| "NonIndexed".into());
                spec.suspend.get_or_insert(false);
                spec.pod_replacement_policy.get_or_insert_with(|| {
                    if spec.pod_failure_policy.is_some() { "Failed" } else { "TerminatingOrFailed" }.into()
                });
                default_template(&mut spec.template);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(image_pull_policy("nginx"), "Always");
        assert_eq!(image_pull_policy("nginx:latest"), "Always");
        assert_eq!(image_pull_policy("nginx:1.14.2"), "IfNotPresent");
        assert_eq!(image_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(image_pull_policy("localhost:5000/app:v1"), "IfNotPresent");
        assert_eq!(image_pull_policy("busybox@sha256:abc"), "IfNotPresent");
    }

    #[test]
    fn pod_gets_upstream_defaults() {
        let mut pod = Pod {
            spec: Some(PodSpec {
                containers: vec![Container { name: "c".into(), image: Some("nginx".into()), ..Default::default() }],
                ..Default::default()
            }),
            ..Default::default()
        };
        default_pod(&mut pod);
        let spec = pod.spec.unwrap();
        assert_eq!(spec.restart_policy.as_deref(), Some("Always"));
        assert_eq!(spec.termination_grace_period_seconds, Some(30));
        let t = spec.tolerations.unwrap();
        assert_eq!(t.len(), 2);
        assert!(t.iter().all(|t| t.toleration_seconds == Some(300)));
    }
}
