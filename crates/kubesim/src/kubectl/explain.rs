//! `kubectl explain RESOURCE[.FIELD...] [--recursive]` in the layout of kubectl's OpenAPI v3
//! plaintext template (k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl): GROUP/KIND/
//! VERSION, FIELD with its type, DESCRIPTION wrapped at 76 columns, FIELDS sorted by name with a
//! tab before `<type>`.
//!
//! The schema covers the kinds and fields the playground models. The descriptions are our own
//! short English texts, not the upstream OpenAPI prose. Format of `SCHEMA`: a line `@Type|text`
//! starts a type; each following line `name type[!][=enum,values]|text` is one of its fields
//! (`!` = required). A field whose type is a known `@Type` can be explained further.

use super::args::{self, FlagSpec};
use super::{resolve_kind, Output};
use crate::api::Kind;

const SCHEMA: &str = "\
@Pod|A Pod runs one or more containers together on one node. They share the pod's IP address and can share volumes. Pods are usually created by controllers such as Deployments and Jobs.
apiVersion string|Version of the API schema this object uses, for example v1.
kind string|Type of this object, in CamelCase, for example Pod.
metadata ObjectMeta|Name, namespace, labels, annotations and other data every object carries.
spec PodSpec|What the pod should run: its containers, volumes and scheduling wishes.
status PodStatus|What the pod is doing right now, as reported by its node. Read-only.
@ObjectMeta|Data every API object carries: its name and namespace, its labels and annotations, and fields the API server fills in.
annotations map[string]string|Free-form key/value notes for tools and people. Not used for selection.
creationTimestamp string|When the object was created (set by the server, read-only).
deletionGracePeriodSeconds integer|Seconds the object is given to shut down once deletion was requested (read-only).
deletionTimestamp string|When the object will be removed; set when deletion is requested (read-only).
finalizers []string|Names of cleanups that must finish before the object can be removed.
generateName string|Prefix for a server-generated name, used when name is empty.
generation integer|Counts changes to the desired state (read-only).
labels map[string]string|Key/value pairs used to organize and select objects, for example by Services and controllers.
name string|Unique name of the object within its namespace.
namespace string|The namespace the object lives in. Empty for cluster-wide objects.
ownerReferences []OwnerReference|The objects this object depends on; when the owner is deleted, this object is garbage collected.
resourceVersion string|Opaque version of the object, changed on every write (read-only).
uid string|Unique identity of the object for its whole lifetime (read-only).
@OwnerReference|Points to the object that owns this one.
apiVersion string!|API version of the owner.
blockOwnerDeletion boolean|If true, the owner cannot be removed until this object is.
controller boolean|If true, the owner is the managing controller of this object.
kind string!|Kind of the owner.
name string!|Name of the owner.
uid string!|UID of the owner.
@PodSpec|The desired state of a pod.
activeDeadlineSeconds integer|Seconds the pod may run before the kubelet stops it and marks it failed.
affinity Affinity|Rules that attract the pod to, or keep it away from, certain nodes and pods.
containers []Container!|The containers of the pod. There must be at least one.
dnsPolicy string=ClusterFirst,ClusterFirstWithHostNet,Default,None|How the pod's DNS resolver is set up. Defaults to ClusterFirst.
hostname string|Host name of the pod. Defaults to the pod's name.
initContainers []Container|Containers that run one after another, each to completion, before the app containers start.
nodeName string|The node the pod is bound to. Set by the scheduler, or by hand to skip scheduling.
nodeSelector map[string]string|Labels a node must have for the pod to be scheduled there.
restartPolicy string=Always,Never,OnFailure|When the kubelet restarts the pod's containers after they exit. Defaults to Always.
schedulerName string|The scheduler that places the pod. Defaults to default-scheduler.
serviceAccountName string|The ServiceAccount the pod runs as.
terminationGracePeriodSeconds integer|Seconds between the stop signal and the forced kill when the pod is deleted. Defaults to 30.
tolerations []Toleration|Taints the pod accepts on a node.
volumes []Volume|Volumes the pod's containers can mount.
@Container|One container of a pod: an image, what to run in it, and how the kubelet manages it.
args []string|Arguments to the entrypoint. Replaces the image's CMD.
command []string|The entrypoint, run without a shell. Replaces the image's ENTRYPOINT.
env []EnvVar|Environment variables set in the container.
image string|The container image to run, for example nginx:1.25.
imagePullPolicy string=Always,IfNotPresent,Never|When the kubelet pulls the image. Defaults to Always for :latest or no tag, else IfNotPresent.
lifecycle Lifecycle|Actions the kubelet runs right after the container starts and right before it stops.
livenessProbe Probe|Checks that the container still works; the kubelet restarts it when the check keeps failing.
name string!|Name of the container, unique within the pod.
ports []ContainerPort|Ports the container listens on. Informational; any port the process opens is reachable.
readinessProbe Probe|Checks that the container can serve; while it fails, the pod is removed from Service endpoints.
resources ResourceRequirements|CPU and memory the container asks for (requests) and may not exceed (limits).
startupProbe Probe|Checks that the application has started; the other probes wait until it succeeds.
volumeMounts []VolumeMount|Volumes mounted into the container's filesystem.
workingDir string|Working directory of the container's process.
@ContainerPort|A network port of a container.
containerPort integer!|Port number on the pod's IP address.
hostPort integer|Port number opened on the node for this container port.
name string|Name of the port, which Services can refer to.
protocol string=SCTP,TCP,UDP|Protocol of the port. Defaults to TCP.
@EnvVar|One environment variable.
name string!|Name of the variable.
value string|Value of the variable.
valueFrom EnvVarSource|Where to take the value from instead of value.
@EnvVarSource|A source for an environment variable's value.
configMapKeyRef ConfigMapKeySelector|A key of a ConfigMap.
fieldRef ObjectFieldSelector|A field of the pod, such as metadata.name or status.podIP.
resourceFieldRef ResourceFieldSelector|A request or limit of the container.
secretKeyRef SecretKeySelector|A key of a Secret.
@VolumeMount|A volume mounted into a container.
mountPath string!|Path inside the container where the volume appears.
name string!|Name of the volume, as listed in the pod's volumes.
readOnly boolean|Mount the volume read-only.
subPath string|A path inside the volume to mount instead of its root.
@Volume|A named volume that the pod's containers can mount.
configMap ConfigMapVolumeSource|Files made from a ConfigMap's keys.
emptyDir EmptyDirVolumeSource|An empty directory that lives as long as the pod.
hostPath HostPathVolumeSource|A file or directory of the node.
name string!|Name of the volume, unique within the pod.
persistentVolumeClaim PersistentVolumeClaimVolumeSource|Storage claimed with a PersistentVolumeClaim.
secret SecretVolumeSource|Files made from a Secret's keys.
@Probe|A check the kubelet runs against a container: a command, an HTTP GET, a TCP connection or a gRPC call.
exec ExecAction|Run a command in the container; exit status 0 means success.
failureThreshold integer|Consecutive failures after which the probe counts as failed. Defaults to 3.
grpc GRPCAction|Call the gRPC health checking service.
httpGet HTTPGetAction|Send an HTTP GET; a status from 200 to 399 means success.
initialDelaySeconds integer|Seconds after the container starts before the first check.
periodSeconds integer|Seconds between checks. Defaults to 10.
successThreshold integer|Consecutive successes after a failure for the probe to count as passing again. Defaults to 1.
tcpSocket TCPSocketAction|Open a TCP connection; success if it connects.
terminationGracePeriodSeconds integer|Grace period used when a failing probe makes the kubelet stop the container.
timeoutSeconds integer|Seconds after which a check times out. Defaults to 1.
@ExecAction|A command run inside the container.
command []string|The command and its arguments, run without a shell.
@HTTPGetAction|An HTTP GET request sent to the container.
host string|Host to connect to. Defaults to the pod's IP address.
httpHeaders []HTTPHeader|Extra headers to send.
path string|Path of the request.
port IntOrString!|Port number or named container port to connect to.
scheme string=HTTP,HTTPS|Scheme of the request. Defaults to HTTP.
@HTTPHeader|One HTTP header.
name string!|Header name.
value string!|Header value.
@TCPSocketAction|A TCP connection attempt.
host string|Host to connect to. Defaults to the pod's IP address.
port IntOrString!|Port number or named container port to connect to.
@Lifecycle|Handlers the kubelet runs at container start and stop.
postStart LifecycleHandler|Runs right after the container is created. If it fails, the container is restarted.
preStop LifecycleHandler|Runs before the container is stopped; the grace period keeps counting while it runs.
@LifecycleHandler|One lifecycle action.
exec ExecAction|Run a command in the container.
httpGet HTTPGetAction|Send an HTTP GET to the container.
sleep SleepAction|Wait for some seconds.
tcpSocket TCPSocketAction|Open a TCP connection to the container.
@SleepAction|A pause.
seconds integer!|Seconds to wait.
@ResourceRequirements|Compute resources of a container.
limits map[string]Quantity|Most the container may use. Going over the memory limit gets the process killed; CPU is throttled.
requests map[string]Quantity|What the container needs; the scheduler places the pod only where this much is free.
@Toleration|Lets a pod be scheduled onto (or stay on) a node with a matching taint.
effect string=NoExecute,NoSchedule,PreferNoSchedule|Taint effect to match. Empty matches every effect.
key string|Taint key to match. Empty with operator Exists matches every taint.
operator string=Equal,Exists|How key and value are compared. Defaults to Equal.
tolerationSeconds integer|For NoExecute taints: how long the pod may stay on the node once the taint appears.
value string|Taint value to match when the operator is Equal.
@PodStatus|The observed state of a pod.
conditions []PodCondition|Whether the pod is scheduled, initialized, ready and so on.
containerStatuses []ContainerStatus|State of each app container.
hostIP string|IP address of the node the pod runs on.
initContainerStatuses []ContainerStatus|State of each init container.
phase string=Failed,Pending,Running,Succeeded,Unknown|Summary of where the pod is in its lifecycle.
podIP string|IP address of the pod.
qosClass string=BestEffort,Burstable,Guaranteed|Quality of service class, from the containers' requests and limits.
startTime string|When the kubelet accepted the pod.
@Deployment|A Deployment keeps a number of identical pods running from one template and rolls out template changes gradually through ReplicaSets.
apiVersion string|Version of the API schema this object uses, for example apps/v1.
kind string|Type of this object, in CamelCase, for example Deployment.
metadata ObjectMeta|Name, namespace, labels, annotations and other data every object carries.
spec DeploymentSpec|The desired state of the Deployment.
status DeploymentStatus|The observed state of the Deployment. Read-only.
@DeploymentSpec|The desired state of a Deployment.
minReadySeconds integer|Seconds a new pod must be ready before it counts as available.
paused boolean|While true, template changes are not rolled out.
progressDeadlineSeconds integer|Seconds a rollout may go without progress before it is reported as failed. Defaults to 600.
replicas integer|Number of pods to run. Defaults to 1.
revisionHistoryLimit integer|Old ReplicaSets kept for rollbacks. Defaults to 10.
selector LabelSelector!|Which pods belong to the Deployment. Must match the template's labels.
strategy DeploymentStrategy|How old pods are replaced by new ones.
template PodTemplateSpec!|The pods to create.
@DeploymentStrategy|How a Deployment replaces its pods.
rollingUpdate RollingUpdateDeployment|Limits of a rolling update.
type string=Recreate,RollingUpdate|Recreate stops all old pods first; RollingUpdate replaces them a few at a time. Defaults to RollingUpdate.
@RollingUpdateDeployment|Pacing of a rolling update.
maxSurge IntOrString|Pods allowed above the desired count during the update, as a number or percentage. Defaults to 25%.
maxUnavailable IntOrString|Pods allowed to be unavailable during the update, as a number or percentage. Defaults to 25%.
@DeploymentStatus|The observed state of a Deployment.
availableReplicas integer|Pods that have been ready for at least minReadySeconds.
conditions []DeploymentCondition|Whether the Deployment is available and progressing.
observedGeneration integer|The generation the controller last acted on.
readyReplicas integer|Pods that are ready.
replicas integer|Pods of all its ReplicaSets.
unavailableReplicas integer|Pods still missing to reach the desired count.
updatedReplicas integer|Pods from the current template.
@LabelSelector|Selects objects by their labels. All conditions must hold; an empty selector matches everything.
matchExpressions []LabelSelectorRequirement|Conditions on label keys: In, NotIn, Exists, DoesNotExist.
matchLabels map[string]string|Labels that must be present with exactly these values.
@LabelSelectorRequirement|One condition on a label.
key string!|The label key.
operator string!|In, NotIn, Exists or DoesNotExist.
values []string|Values for In and NotIn.
@PodTemplateSpec|The pods a controller creates: their metadata and spec.
metadata ObjectMeta|Labels and annotations of the pods.
spec PodSpec|The pods' spec.
@ReplicaSet|A ReplicaSet keeps a number of pods matching its selector running, creating them from its template. Usually managed by a Deployment.
apiVersion string|Version of the API schema this object uses, for example apps/v1.
kind string|Type of this object, in CamelCase, for example ReplicaSet.
metadata ObjectMeta|Name, namespace, labels, annotations and other data every object carries.
spec ReplicaSetSpec|The desired state of the ReplicaSet.
status ReplicaSetStatus|The observed state of the ReplicaSet. Read-only.
@ReplicaSetSpec|The desired state of a ReplicaSet.
minReadySeconds integer|Seconds a new pod must be ready before it counts as available.
replicas integer|Number of pods to run. Defaults to 1.
selector LabelSelector!|Which pods belong to the ReplicaSet. Must match the template's labels.
template PodTemplateSpec|The pods to create.
@ReplicaSetStatus|The observed state of a ReplicaSet.
availableReplicas integer|Pods that have been ready for at least minReadySeconds.
fullyLabeledReplicas integer|Pods whose labels match the template's.
observedGeneration integer|The generation the controller last acted on.
readyReplicas integer|Pods that are ready.
replicas integer!|Pods that currently belong to it.
@Service|A Service gives a set of pods, chosen by labels, one stable virtual IP address and DNS name, and spreads connections among the ready ones.
apiVersion string|Version of the API schema this object uses, for example v1.
kind string|Type of this object, in CamelCase, for example Service.
metadata ObjectMeta|Name, namespace, labels, annotations and other data every object carries.
spec ServiceSpec|How the Service is exposed and which pods receive its traffic.
status ServiceStatus|The observed state of the Service. Read-only.
@ServiceSpec|How a Service is exposed.
clusterIP string|The virtual IP address. Allocated unless set; None makes a headless Service.
externalName string|For type ExternalName: the DNS name the Service points to.
ports []ServicePort|The ports the Service exposes.
selector map[string]string|Labels of the pods that receive the traffic.
sessionAffinity string=ClientIP,None|Whether connections from one client go to the same pod. Defaults to None.
type string=ClusterIP,ExternalName,LoadBalancer,NodePort|How the Service is reachable. Defaults to ClusterIP.
@ServicePort|One port of a Service.
name string|Name of the port; required when there are several.
nodePort integer|For NodePort and LoadBalancer: the port opened on every node (30000-32767).
port integer!|The port the Service listens on.
protocol string=SCTP,TCP,UDP|Protocol of the port. Defaults to TCP.
targetPort IntOrString|The pod port, by number or name, the traffic goes to. Defaults to port.
@ServiceStatus|The observed state of a Service.
loadBalancer LoadBalancerStatus|The load balancer's address, for type LoadBalancer.
@Job|A Job runs pods until a number of them finish successfully, retrying failed ones up to a limit.
apiVersion string|Version of the API schema this object uses, for example batch/v1.
kind string|Type of this object, in CamelCase, for example Job.
metadata ObjectMeta|Name, namespace, labels, annotations and other data every object carries.
spec JobSpec|The desired state of the Job.
status JobStatus|The observed state of the Job. Read-only.
@JobSpec|The desired state of a Job.
activeDeadlineSeconds integer|Seconds the Job may run; after that its pods are stopped and it fails.
backoffLimit integer|Failed pods (or, with restartPolicy OnFailure, container restarts) allowed before the Job fails. Defaults to 6.
completionMode string=Indexed,NonIndexed|NonIndexed: any completions successes finish the Job. Indexed: each pod gets an index from 0 and every index must succeed once.
completions integer|Successful pods needed to finish the Job.
manualSelector boolean|Use the selector given here instead of the generated one.
parallelism integer|Most pods running at the same time. Defaults to 1.
selector LabelSelector|Which pods belong to the Job. Generated unless manualSelector is true.
suspend boolean|While true, no pods are created and running ones are stopped.
template PodTemplateSpec!|The pods to create. restartPolicy must be Never or OnFailure.
ttlSecondsAfterFinished integer|Seconds after finishing before the Job is deleted automatically.
@JobStatus|The observed state of a Job.
active integer|Pods running or pending.
completedIndexes string|For Indexed Jobs: the indexes that succeeded, as a list like 1,3-5.
completionTime string|When the Job completed.
conditions []JobCondition|Whether the Job completed, failed or is suspended.
failed integer|Pods that failed.
ready integer|Active pods that are ready.
startTime string|When the Job started.
succeeded integer|Pods that succeeded.
terminating integer|Pods being stopped.
@JobCondition|One condition of a Job.
lastProbeTime string|When the condition was last checked.
lastTransitionTime string|When the condition last changed status.
message string|Human-readable details.
reason string|Machine-readable reason for the last change.
status string!|True, False or Unknown.
type string!|Type of the condition, such as Complete, Failed or SuccessCriteriaMet.
@Node|A Node is a machine (virtual or physical) where the kubelet runs pods.
apiVersion string|Version of the API schema this object uses, for example v1.
kind string|Type of this object, in CamelCase, for example Node.
metadata ObjectMeta|Name, namespace, labels, annotations and other data every object carries.
spec NodeSpec|How the node is configured for scheduling.
status NodeStatus|The node's reported state. Read-only.
@NodeSpec|How a node takes part in scheduling.
podCIDR string|The IP range pod addresses on this node come from.
taints []Taint|Taints that repel pods which do not tolerate them.
unschedulable boolean|When true, no new pods are scheduled here (kubectl cordon).
@Taint|A mark on a node that keeps away pods without a matching toleration.
effect string!=NoExecute,NoSchedule,PreferNoSchedule|What happens to pods that do not tolerate the taint.
key string!|The taint key.
timeAdded string|When a NoExecute taint was added.
value string|The taint value.
@NodeStatus|The reported state of a node.
addresses []NodeAddress|The node's addresses.
allocatable map[string]Quantity|Resources available to pods.
capacity map[string]Quantity|Total resources of the node.
conditions []NodeCondition|Ready, MemoryPressure, DiskPressure and other conditions.
nodeInfo NodeSystemInfo|Versions of the node's software.
@Namespace|A Namespace groups names: objects in different namespaces may share a name.
apiVersion string|Version of the API schema this object uses, for example v1.
kind string|Type of this object, in CamelCase, for example Namespace.
metadata ObjectMeta|Name, namespace, labels, annotations and other data every object carries.
spec NamespaceSpec|The namespace's finalizers.
status NamespaceStatus|Whether the namespace is active or being deleted. Read-only.
@NamespaceSpec|The desired state of a namespace.
finalizers []string|Cleanups to finish before the namespace is removed.
@NamespaceStatus|The observed state of a namespace.
phase string=Active,Terminating|Active, or Terminating while its objects are deleted.
";

/// One field of a type.
struct Field<'a> {
    name: &'a str,
    ty: &'a str,
    required: bool,
    enums: Vec<&'a str>,
    desc: &'a str,
}

struct Type<'a> {
    desc: &'a str,
    fields: Vec<Field<'a>>,
}

fn lookup(name: &str) -> Option<Type<'static>> {
    let mut lines = SCHEMA
        .lines()
        .skip_while(|l| l.strip_prefix('@').and_then(|r| r.split_once('|')).map(|(n, _)| n) != Some(name));
    let head = lines.next()?;
    let desc = head.split_once('|').map(|(_, d)| d).unwrap_or("");
    let fields = lines
        .take_while(|l| !l.starts_with('@'))
        .filter_map(|l| {
            let (spec, desc) = l.split_once('|')?;
            let (name, ty) = spec.split_once(' ')?;
            let (ty, enums) = match ty.split_once('=') {
                Some((t, e)) => (t, e.split(',').collect()),
                None => (ty, Vec::new()),
            };
            let (ty, required) = match ty.strip_suffix('!') {
                Some(t) => (t, true),
                None => (ty, false),
            };
            Some(Field { name, ty, required, enums, desc })
        })
        .collect();
    Some(Type { desc, fields })
}

/// The type a field's value is described by (`[]Container` → `Container`).
fn element_type(ty: &str) -> &str {
    ty.trim_start_matches("[]").trim_start_matches("map[string]")
}

/// kubectl's word wrap (term.NewWordWrapWriter): lines of at most `width` columns, broken at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            } else if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out.join("\n")
}

/// The template's `indent`: every line, including after the last newline, gets the padding.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

fn field_list(out: &mut String, t: &Type, level: usize, recursive: bool, seen: &mut Vec<String>) {
    let mut fields: Vec<&Field> = t.fields.iter().collect();
    crate::sorting::sort_by_key(&mut fields, |f| f.name);
    for f in fields {
        let pad = level * 2;
        out.push_str(&format!("{}{}\t<{}>", " ".repeat(pad), f.name, f.ty));
        if f.required {
            out.push_str(" -required-");
        }
        if !f.enums.is_empty() {
            let mut list: Vec<&str> = f.enums.iter().copied().take(4).collect();
            if f.enums.len() > 4 {
                list.push("....");
            }
            out.push_str(&format!("\n{}enum: {}", " ".repeat(pad), list.join(", ")));
        }
        out.push('\n');
        if !recursive {
            out.push_str(&indent(&wrap(f.desc, 78 - pad), pad + 2));
            out.push_str("\n\n");
        } else {
            let inner = element_type(f.ty).to_string();
            if !seen.contains(&inner) {
                if let Some(sub) = lookup(&inner) {
                    seen.push(inner.clone());
                    field_list(out, &sub, level + 1, recursive, seen);
                    seen.pop();
                }
            }
        }
    }
}

const FLAGS: &[FlagSpec] = &[
    FlagSpec { long: "recursive", short: Some('R'), takes_value: false },
    FlagSpec { long: "api-version", short: None, takes_value: true },
    FlagSpec { long: "output", short: Some('o'), takes_value: true },
];

/// `kubectl explain`.
pub fn run(words: &[String]) -> Output {
    let p = match args::parse(words, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let Some(target) = p.positional.first() else {
        return Output::error("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
    };
    if p.positional.len() > 1 {
        return Output::error("error: We accept only this format: explain RESOURCE\n");
    }
    let mut path = target.split('.');
    let resource = path.next().unwrap_or_default();
    let fields: Vec<&str> = path.collect();
    let root = resolve_kind(resource).and_then(|k| lookup(k.name()).map(|t| (k, t)));
    let Some((kind, mut t)) = root else {
        return Output::error(format!("error: the server doesn't have a resource type \"{resource}\""));
    };
    let mut out = String::new();
    if let Some((group, _)) = kind.api_version().split_once('/') {
        out.push_str(&format!("GROUP:      {group}\n"));
    }
    let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
    out.push_str(&format!("KIND:       {}\nVERSION:    {version}\n\n", kind_name(kind)));
    let mut desc = t.desc.to_string();
    let mut has_fields = true;
    for (i, name) in fields.iter().enumerate() {
        let missing = || Output::error(format!("error: field \"{}\" does not exist", fields.last().unwrap_or(name)));
        let Some(f) = t.fields.iter().find(|f| f.name == *name) else {
            return missing();
        };
        let last = i + 1 == fields.len();
        if last {
            out.push_str(&format!("FIELD: {} <{}>\n", f.name, f.ty));
            if !f.enums.is_empty() {
                out.push_str("ENUM:");
                for e in &f.enums {
                    out.push_str(&format!("\n    {e}"));
                }
            }
            out.push_str("\n\n");
        }
        // A field's description is its own text followed by its type's.
        match lookup(element_type(f.ty)) {
            Some(sub) => {
                desc = format!("{}\n{}", f.desc, sub.desc);
                t = sub;
            }
            None if last => {
                desc = f.desc.to_string();
                has_fields = false;
            }
            None => return missing(),
        }
    }
    out.push_str("DESCRIPTION:\n");
    out.push_str(&indent(&wrap(&format!("{desc}\n"), 76), 4));
    out.push('\n');
    if has_fields && !t.fields.is_empty() {
        out.push_str("FIELDS:\n");
        field_list(&mut out, &t, 1, p.has("recursive"), &mut Vec::new());
    }
    out.push('\n');
    Output { stdout: out, ..Default::default() }
}

fn kind_name(kind: Kind) -> &'static str {
    kind.name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_type_that_looks_like_ours_is_defined() {
        // Every `@Type` parses, and field lines are well-formed.
        for line in SCHEMA.lines() {
            assert!(line.contains('|'), "{line}");
            if let Some(name) = line.strip_prefix('@').and_then(|l| l.split_once('|')).map(|(n, _)| n) {
                assert!(lookup(name).is_some_and(|t| !t.fields.is_empty()), "{name}");
            }
        }
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(indent("a\nb\n", 2), "  a\n  b\n  ");
    }
}
