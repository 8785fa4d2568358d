//! Every manifest the product was conceived from, through the apiserver's front door
//! (`manifest::decode`: YAML, strict decoding, validation): each is accepted, or rejected with the
//! specific, located error a real cluster gives.
//!
//! - The seed notes' manifests, extracted by hand into `tests/fixtures/seeds/` (only the
//!   manifests: the notes' prose is not ours).
//! - The course corpus, read in place from `shared/course-manifests` beside the checkout (its
//!   README asks not to copy it into the repository); `INDEX.tsv` marks the files a strict
//!   apiserver rejects.
//! - Kinds the playground does not simulate, and hostile input, bounded by counted work.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kubesim::manifest::{decode, decode_bytes, decode_with_work, Decoded, ManifestError, MAX_INPUT_BYTES};

fn seed(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (file, the objects it must yield as `Kind/name`).
const SEEDS_ACCEPTED: &[(&str, &[&str])] = &[
    ("000-pod-sample.yaml", &["Pod/kubernetes-simple-pod"]),
    ("000-init-containers.yaml", &["Pod/kubernetes-simple-pod"]),
    ("001-pod-1-two-containers.yaml", &["Pod/pod-1"]),
    ("001-pod-2-labels.yaml", &["Pod/pod-2"]),
    ("001-svc-1.yaml", &["Service/svc-1"]),
    ("001-pod-3-node-selector.yaml", &["Pod/pod-3"]),
    ("001-pod-4-resources.yaml", &["Pod/pod-4"]),
    // Two containers on one port: the apiserver accepts it; the clash happens at run time.
    ("001-pod-2-port-clash.yaml", &["Pod/pod-2"]),
    ("001-deployment-1.yaml", &["Deployment/deployment-1"]),
    ("001-label-pods.yaml", &["Pod/pod-1", "Pod/pod-2", "Pod/pod-3", "Pod/pod-4", "Pod/pod-5", "Pod/pod-6"]),
    ("001-label-services.yaml", &["Service/svc-for-web", "Service/svc-for-production"]),
    ("001-pod-3-hostname.yaml", &["Pod/pod-3"]),
    ("001-pod-5-half-gi.yaml", &["Pod/pod-5"]),
    // A full `kubectl get -o yaml`, status and managedFields included.
    ("002-crane-get-o-yaml.yaml", &["Pod/crane-pjmzv"]),
    // JSON, with `"volumes": null` and no selector (defaulted from the template labels).
    ("002-crane-rc.json", &["ReplicationController/crane"]),
    ("002-kubia-manual-v2-fixed.yaml", &["Pod/kubia-manual-v2"]),
    ("002-kubia-gpu.yaml", &["Pod/kubia-gpu"]),
    ("003-myweb-startup-exec.yaml", &["Pod/myweb-startup"]),
    ("003-myweb-liveness-err.yaml", &["Pod/myweb-liveness-err"]),
    ("003-myweb-startup-httpget.yaml", &["Pod/myweb-startup"]),
    ("004-sample-pod.yaml", &["Pod/sample-pod"]),
    ("004-test-pod-exec-probe.yaml", &["Pod/test-pod"]),
    ("004-test-app-tcp-probe.yaml", &["Pod/test-app"]),
];

/// (file, code, path, line, column, words the message must contain).
type Rejection = (&'static str, &'static str, &'static str, usize, usize, &'static [&'static str]);

const SEEDS_REJECTED: &[Rejection] = &[
    // As written in the notes: `-image:` lacks its space, so the next, deeper line cannot be a key.
    (
        "002-kubia-manual-v2-typos.yaml",
        "Syntax",
        "",
        11,
        10,
        &["mapping values are not allowed in this context", "line 10", "space after `-`", "`- image: luksa/kubia`"],
    ),
    // With the space added, the author's indentation still does not line up.
    (
        "002-kubia-manual-v2-dash-fixed.yaml",
        "Syntax",
        "",
        11,
        6,
        &["did not find expected '-' indicator", "same column"],
    ),
    // Indented as meant: the two misspelt fields remain, each located, with a did-you-mean.
    (
        "002-kubia-manual-v2-indented.yaml",
        "UnknownField",
        "metadata.lables",
        5,
        3,
        &[
            "strict decoding error: unknown field \"metadata.lables\", unknown field \"sepc\"",
            "did you mean \"labels\"?",
            "did you mean \"spec\"?",
        ],
    ),
    // `-image:` right under `containers:` is a sibling field named "-image".
    (
        "002-kubia-manual-v2-indented-dash.yaml",
        "UnknownField",
        "spec.-image",
        10,
        3,
        &["space after `-`", "`- image:`"],
    ),
    // The page's typographic quotes make an invalid label value.
    (
        "002-kubia-gpu-curly-quotes.yaml",
        "Invalid",
        "spec.nodeSelector",
        10,
        5,
        &["The Pod \"kubia-gpu\" is invalid", "“true”"],
    ),
    // Fragments without apiVersion and kind.
    ("004-init-containers-fragment.yaml", "MissingKind", "kind", 1, 1, &["kind not set", "piece of a Pod's spec"]),
    ("004-readiness-rc-fragment.yaml", "MissingKind", "kind", 1, 1, &["kind: ReplicationController"]),
    // An exec handler needs a command; `command: []` has none.
    (
        "004-sample-pp-lifecycle.yaml",
        "Invalid",
        "spec.containers[0].lifecycle.postStart.exec.command",
        13,
        11,
        &[
            "* spec.containers[0].lifecycle.postStart.exec.command: Required value",
            "* spec.containers[0].lifecycle.preStop.exec.command: Required value",
        ],
    ),
];

fn summary(d: &Decoded) -> String {
    match d {
        Ok(o) => format!("{}/{}", o.kind(), o.name()),
        Err(e) => format!("error {}: {e}", e.code),
    }
}

fn check_rejection(label: &str, e: &ManifestError, r: &Rejection) {
    let (_, code, path, line, column, words) = *r;
    assert_eq!(e.code, code, "{label}: {e}");
    if !path.is_empty() {
        assert_eq!(e.path.as_deref(), Some(path), "{label}: {e}");
    }
    assert_eq!((e.line, e.column), (Some(line), Some(column)), "{label}: {e}");
    for w in words {
        assert!(e.message.contains(w), "{label}: {w:?} not in:\n{}", e.message);
    }
    assert!(!e.message_ko.is_empty(), "{label}: no Korean message");
}

#[test]
fn seed_manifests_are_accepted() {
    for (file, want) in SEEDS_ACCEPTED {
        let got: Vec<String> = decode(&seed(file)).iter().map(summary).collect();
        assert_eq!(got, *want, "{file}");
    }
}

#[test]
fn seed_mistakes_get_specific_located_errors() {
    for r in SEEDS_REJECTED {
        let docs = decode(&seed(r.0));
        assert_eq!(docs.len(), 1, "{}: {docs:#?}", r.0);
        let e = docs[0].as_ref().expect_err(r.0);
        check_rejection(r.0, e, r);
    }
}

#[test]
fn seed_typos_locate_each_cause() {
    let e = decode(&seed("002-kubia-manual-v2-indented.yaml")).remove(0).unwrap_err();
    let causes: Vec<(&str, Option<usize>, Option<usize>)> =
        e.causes.iter().map(|c| (c.path.as_str(), c.line, c.column)).collect();
    assert_eq!(causes, [("metadata.lables", Some(5), Some(3)), ("sepc", Some(8), Some(1))]);
    assert!(e.message_ko.contains("혹시 \"labels\""), "{}", e.message_ko);

    let e = decode(&seed("004-sample-pp-lifecycle.yaml")).remove(0).unwrap_err();
    let lines: Vec<Option<usize>> = e.causes.iter().map(|c| c.line).collect();
    assert_eq!(lines, [Some(13), Some(16)]);
    assert!(e.message_ko.starts_with("파드 \"sample-pp\"이(가) 유효하지 않습니다"), "{}", e.message_ko);
}

#[test]
fn every_seed_fixture_is_covered() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let listed: BTreeSet<&str> = SEEDS_ACCEPTED.iter().map(|s| s.0).chain(SEEDS_REJECTED.iter().map(|r| r.0)).collect();
    for entry in std::fs::read_dir(&dir).expect("fixtures dir") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(listed.contains(name.as_str()), "{name} has no expectation");
    }
}

/// `shared/course-manifests`, found beside the checkout (or a worktree's parents), or given by
/// `KUBE_PLAYGROUND_SHARED`.
fn course_dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("KUBE_PLAYGROUND_SHARED") {
        return Some(PathBuf::from(p).join("course-manifests"));
    }
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    loop {
        let c = dir.join("shared/course-manifests");
        if c.join("INDEX.tsv").is_file() {
            return Some(c);
        }
        dir = dir.parent()?;
    }
}

/// INDEX features that mark a file a strict apiserver rejects.
fn rejected_feature(f: &str) -> bool {
    ["unknown-field:", "schema-error:", "duplicate-yaml-key:", "wrong-type:"].iter().any(|p| f.starts_with(p))
        || matches!(f, "no-image" | "deprecated-apiVersion" | "missing-doc-separator")
}

const COURSE_REJECTED: &[Rejection] = &[
    (
        "bmuschko-ckad-crash-course/exercises__17-api-deprecation__deployment.yaml",
        "WrongApiVersion",
        "apiVersion",
        1,
        13,
        &["no matches for kind \"Deployment\" in version \"apps/v1beta2\"", "`apiVersion: apps/v1`"],
    ),
    (
        "dgkanatsios-CKAD-exercises/c.pod_design__block17.yaml",
        "TypeMismatch",
        "spec.containers",
        16,
        5,
        &["expected a list"],
    ),
    (
        "kubernetes-in-action/Chapter04__kubia-replicaset-matchexpressions.yaml",
        "WrongApiVersion",
        "apiVersion",
        1,
        13,
        &["removed in Kubernetes 1.16"],
    ),
    (
        "kubernetes-in-action/Chapter04__kubia-replicaset.yaml",
        "WrongApiVersion",
        "apiVersion",
        1,
        13,
        &["no matches for kind \"ReplicaSet\" in version \"apps/v1beta2\""],
    ),
    (
        "kubernetes-in-action/Chapter05__kubia-svc-publish-not-ready.yaml",
        "UnknownField",
        "spec.publishNotReadyEndpoints",
        11,
        3,
        &["did you mean \"publishNotReadyAddresses\"?"],
    ),
    (
        "kubernetes-in-action/Chapter09__kubia-deployment-v3-with-readinesscheck.yaml",
        "WrongApiVersion",
        "apiVersion",
        1,
        13,
        &["in version \"apps/v1beta1\""],
    ),
    (
        "kubernetes-in-action/Chapter16__frontend-podaffinity-host.yaml",
        "WrongApiVersion",
        "apiVersion",
        1,
        13,
        &["in version \"extensions/v1beta1\""],
    ),
    (
        "kubernetes-in-action/Chapter17__replicaset-crashingpods.yaml",
        "WrongApiVersion",
        "apiVersion",
        1,
        13,
        &["in version \"extensions/v1beta1\""],
    ),
    (
        "kubernetes-website/content__en__examples__pods__pod-with-node-affinity.yaml",
        "TypeMismatch",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
        9,
        7,
        &["expected an object", "not a list"],
    ),
    (
        "kubernetes-website/content__en__examples__pods__probe__grpc-liveness@ef666853.yaml",
        "UnknownField",
        "spec.containers[0].livenessProbe.gRPC",
        13,
        7,
        &["did you mean \"grpc\"?"],
    ),
];

#[test]
fn course_manifests_are_accepted_or_rejected_as_upstream() {
    let Some(dir) = course_dir() else {
        assert!(std::env::var_os("CI").is_none(), "shared/course-manifests is missing beside the checkout");
        eprintln!("skipped: shared/course-manifests not found");
        return;
    };
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).expect("INDEX.tsv");
    let mut flagged = BTreeSet::new();
    let mut files = 0;
    let mut objects = 0;
    for row in index.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [file, _repo, _path, _commit, kinds, features] = cols[..] else {
            panic!("bad INDEX row: {row}");
        };
        files += 1;
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let docs = decode_bytes(&bytes);
        if features.split(',').any(rejected_feature) {
            flagged.insert(file);
            let r = COURSE_REJECTED
                .iter()
                .find(|r| r.0 == file)
                .unwrap_or_else(|| panic!("{file} is flagged in INDEX.tsv but has no expected error here"));
            let errors: Vec<&ManifestError> = docs.iter().filter_map(|d| d.as_ref().err()).collect();
            assert_eq!(errors.len(), 1, "{file}: {:#?}", docs.iter().map(summary).collect::<Vec<_>>());
            check_rejection(file, errors[0], r);
        } else {
            let kinds: BTreeSet<&str> = kinds.split(',').collect();
            for d in &docs {
                match d {
                    Ok(o) => {
                        objects += 1;
                        assert!(kinds.contains(o.kind().name()), "{file}: {} not in INDEX kinds {kinds:?}", o.kind());
                    }
                    Err(e) => panic!("{file} must be accepted, got {}: {e}\n{:#?}", e.code, e.causes),
                }
            }
            assert!(!docs.is_empty(), "{file}: no object");
        }
    }
    let listed: BTreeSet<&str> = COURSE_REJECTED.iter().map(|r| r.0).collect();
    assert_eq!(flagged, listed, "the table of expected rejections is out of date");
    assert!(files >= 170, "only {files} files in INDEX.tsv");
    assert!(objects >= 180, "only {objects} objects accepted");
}

#[test]
fn unsupported_kinds_reject_only_their_document() {
    let text = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: b}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: nginx}]
---
apiVersion: v1
kind: Secret
metadata: {name: s}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
";
    let docs = decode(text);
    let got: Vec<String> = docs
        .iter()
        .map(|d| match d {
            Ok(o) => format!("{}/{}", o.kind(), o.name()),
            Err(e) => format!("{}@{}:{}", e.code, e.document, e.line.unwrap_or(0)),
        })
        .collect();
    assert_eq!(
        got,
        [
            "UnsupportedKind@1:2",
            "Pod/web",
            "UnsupportedKind@3:13",
            "UnsupportedKind@4:17",
            "UnsupportedKind@5:21",
            "UnsupportedKind@6:25",
            "Service/web"
        ]
    );
    let e = docs[0].as_ref().unwrap_err();
    assert_eq!(
        e.message,
        "kind \"ConfigMap\" is not supported in the playground yet (supported: Pod, Service, Deployment, ReplicaSet, ReplicationController, Job, Namespace, Node)"
    );
}

#[test]
fn kind_list_is_expanded() {
    let text = r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}},
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "B"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
]}"#;
    let docs = decode(text);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].as_ref().unwrap().name(), "a");
    let e = docs[1].as_ref().unwrap_err();
    assert_eq!((e.code, e.item, e.line, e.path.as_deref()), ("Invalid", Some(1), Some(3), Some("metadata.name")));
}

// ---- Hostile input: every case fails fast, with work bounded by a count, not a clock. ----

#[test]
fn billion_laughs_is_refused_without_expansion() {
    let mut text =
        String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: lol\n  annotations:\n    a: &a \"lol\"\n");
    let mut prev = "a".to_string();
    for i in 0..12 {
        let name = format!("l{i}");
        let refs = vec![format!("*{prev}"); 10].join(",");
        text.push_str(&format!("    {name}: &{name} [{refs}]\n"));
        prev = name;
    }
    let (docs, work) = decode_with_work(&text);
    assert_eq!(docs[0].as_ref().unwrap_err().code, "TooManyAliases");
    assert!(work.yaml_events < 500, "{work:?}");
    assert_eq!(work.nodes_visited, 0, "{work:?}");
}

#[test]
fn aliases_within_the_budget_still_work() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: &l {app: web}\nspec:\n  nodeSelector: *l\n  containers: [{name: c, image: nginx}]\n";
    let pod = decode(text).remove(0).unwrap();
    let spec = pod.as_pod().and_then(|p| p.spec.as_ref()).unwrap();
    assert_eq!(spec.node_selector.as_ref().unwrap()["app"], "web");
}

#[test]
fn deep_nesting_stops_at_the_limit() {
    let (docs, work) = decode_with_work(&"[".repeat(10_000));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].as_ref().unwrap_err().code, "TooDeep");
    assert!(work.yaml_events <= 110, "{work:?}");
    let (docs, _) = decode_with_work(&"{a: ".repeat(10_000));
    assert_eq!(docs[0].as_ref().unwrap_err().code, "TooDeep");
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let big = "#".repeat(10 * 1024 * 1024);
    let (docs, work) = decode_with_work(&big);
    let e = docs[0].as_ref().unwrap_err();
    assert_eq!(e.code, "TooLarge");
    assert!(e.message.contains("limit is 3145728"), "{}", e.message);
    assert_eq!(work.yaml_events, 0);
    assert_eq!(decode_bytes(big.as_bytes())[0].as_ref().unwrap_err().code, "TooLarge");
    // Just under the limit, a big but valid document is read.
    let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\n  annotations:\n    note: \"");
    text.push_str(&"x".repeat(MAX_INPUT_BYTES - 200));
    text.push_str("\"\nspec:\n  containers: [{name: c, image: nginx}]\n");
    let e = decode(&text).remove(0).unwrap_err();
    assert_eq!(
        e.message,
        "The Pod \"big\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes"
    );
}

#[test]
fn thousands_of_documents_are_cut_off() {
    let pod = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n";
    let text = vec![pod; 3000].join("---\n");
    let (docs, work) = decode_with_work(&text);
    assert_eq!(docs.len(), 1001);
    assert!(docs[..1000].iter().all(Result::is_ok));
    assert_eq!(docs[1000].as_ref().unwrap_err().code, "TooManyDocuments");
    assert_eq!(work.documents, 1000);
    let (docs, work) = decode_with_work(&"---\n".repeat(100_000));
    assert_eq!(docs.len(), 1);
    assert!(work.yaml_events < 3100, "{work:?}");
}

#[test]
fn invalid_utf8_is_reported_at_the_boundary() {
    let docs = decode_bytes(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xc7\xd1\n");
    let e = docs[0].as_ref().unwrap_err();
    assert_eq!((e.code, e.line, e.column), ("InvalidUtf8", Some(4), Some(9)));
    assert!(e.message_ko.contains("EUC-KR"), "{}", e.message_ko);
    let e = decode_bytes(b"\xff\xfea\x00").remove(0).unwrap_err();
    assert!(e.message.contains("UTF-16"), "{}", e.message);
}

#[test]
fn many_unknown_fields_stay_bounded() {
    let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n");
    for i in 0..5000 {
        text.push_str(&format!("junk{i}: {}\n", "x".repeat(10)));
    }
    // A long (but legal: libyaml caps implicit keys at 1024 characters) misspelt key.
    text.push_str(&format!("{}: 1\n", "k".repeat(1000)));
    let e = decode(&text).remove(0).unwrap_err();
    assert_eq!(e.code, "UnknownField");
    assert!(e.message.contains("(and 4991 more)"), "{}", e.message);
    assert!(e.message.len() < 10_000, "{}", e.message.len());
    assert_eq!(e.causes.len(), 100);
    // Longer keys are a syntax error for libyaml, as for go-yaml.
    let e = decode(&format!("{}: 1\n", "k".repeat(100_000))).remove(0).unwrap_err();
    assert_eq!(e.code, "Syntax");
}

#[test]
fn control_characters_and_nul_are_syntax_errors() {
    let e = decode("apiVersion: v1\nkind: Pod\x00\n").remove(0).unwrap_err();
    assert_eq!(e.code, "Syntax");
    let e = decode("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n").remove(0).unwrap_err();
    assert_eq!(e.code, "Syntax");
    assert!(e.message.contains("tab"), "{}", e.message);
}

#[test]
fn apply_stores_the_new_kinds_and_reports_invalid_ones() {
    use kubesim::{Applied, Config, Simulation};
    let mut sim = Simulation::new(Config::default());
    let out = sim.apply_text(&seed("001-deployment-1.yaml"));
    assert!(
        matches!(&out[..], [Applied::Created(k)] if k.to_string() == "deployments/default/deployment-1"),
        "{out:?}"
    );
    let out = sim.apply_text(&seed("001-label-services.yaml"));
    assert!(out.iter().all(|a| matches!(a, Applied::Created(_))), "{out:?}");
    let out = sim.apply_text(&seed("004-sample-pp-lifecycle.yaml"));
    assert!(matches!(&out[..], [Applied::Invalid(e)] if e.code == "Invalid"), "{out:?}");
}
