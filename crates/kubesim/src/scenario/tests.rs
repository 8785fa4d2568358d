use super::*;
use crate::api::{Kind, ObjectKey};
use crate::time::SECOND;

const FULL: &str = r#"apiVersion: playground.kube/v1alpha1
kind: Scenario
metadata:
  name: everything
seed: 42
preset:
  version: "1.35"
  featureGates:
    ReduceDefaultCrashLoopBackOffDecay: true
  crashLoopBackOff:
    maxContainerRestartPeriod: 60s
nodes:
- name: cp
  role: control-plane
- name: gpu-1
  labels:
    gpu: "true"
    zone: a
  cpu: 4
  memory: 8Gi
  pods: 20
  taints:
  - key: gpu
    value: "true"
    effect: NoSchedule
- name: plain
  taints: []
manifests: |
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
    - name: nginx
      image: nginx:1.25
staticPods:
- node: plain
  manifest: |
    apiVersion: v1
    kind: Pod
    metadata:
      name: etcd
    spec:
      containers:
      - name: etcd
        image: busybox:1.36
        command: ['sleep', '3600']
steps:
- at: 0
  kubectl: get pods -w
- at: 10s
  fault:
    killContainer: {pod: web, container: nginx, exitCode: 137}
- at: 10s
  fault: schedulerStop
- at: 1m30s
  fault:
    imageMissing: nginx:1.25
- at: 1m30s
  fault: {kubeletStop: plain}
- at: 2m
  apply: |-
    apiVersion: v1
    kind: Namespace
    metadata:
      name: team
- at: 2m
  delete: |
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
until: 3m
"#;

fn errors(text: &str) -> Vec<String> {
    match Scenario::from_yaml(text) {
        Ok(s) => panic!("expected errors, got {s:?}"),
        Err(es) => es.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn decodes_every_field() {
    let s = Scenario::from_yaml(FULL).unwrap();
    assert_eq!(s.name, "everything");
    assert_eq!(s.seed, 42);
    assert_eq!(
        s.preset.crash_loop_backoff(),
        crate::kubelet::backoff::CrashLoopBackOff { initial: SECOND, max: 60 * SECOND }
    );
    let nodes = s.nodes.as_ref().unwrap();
    assert_eq!(nodes[0].role, Role::ControlPlane);
    assert_eq!(nodes[1].cpu.as_deref(), Some("4"));
    assert_eq!(nodes[1].taints.as_ref().unwrap()[0].effect, "NoSchedule");
    assert_eq!(nodes[2].taints, Some(vec![]));
    let specs = s.node_specs();
    assert_eq!(specs[0].taints.len(), 1, "control plane keeps its taint");
    assert_eq!(specs[1].pods, 20);
    assert_eq!(s.steps.len(), 7);
    assert_eq!(s.static_pods.len(), 1);
    assert_eq!(s.static_pods[0].node, "plain");
    assert!(s.static_pods[0].manifest.contains("name: etcd"));
    assert_eq!(s.steps[1].at, 10 * SECOND);
    assert_eq!(
        s.steps[1].action,
        Action::Fault(Fault::KillContainer {
            pod: ObjectKey::new(Kind::Pod, "default", "web"),
            container: Some("nginx".into()),
            exit_code: 137
        })
    );
    assert_eq!(s.steps[2].action, Action::Fault(Fault::SchedulerStop));
    assert!(matches!(&s.steps[5].action, Action::Apply(t) if !t.ends_with('\n')));
    assert_eq!(s.until, Some(180 * SECOND));
    assert_eq!(s.steps[1].header(), "fault: killContainer pod=web container=nginx exitCode=137");
    assert_eq!(s.steps[0].header(), "$ kubectl get pods -w");
}

#[test]
fn round_trips_through_yaml() {
    let s = Scenario::from_yaml(FULL).unwrap();
    let text = s.to_yaml();
    let back = Scenario::from_yaml(&text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    assert_eq!(back, s, "{text}");
    assert_eq!(back.to_yaml(), text);
    assert!(text.contains("manifests: |\n  apiVersion: v1\n"), "{text}");
    // Awkward strings survive too.
    let mut odd = Scenario::new("odd");
    for t in [
        "yes",
        "1.35",
        "0777",
        "a: b",
        "#x",
        " lead",
        "trail ",
        "",
        "\"q\" 'q' \\",
        "tab\there",
        "é ☃ \u{85}x",
        " first\nsecond",
        "\n\nx\n\n",
        "x\n\n\n",
        "- item",
        "null",
        "~",
        "@at",
        "%p",
        "*a",
        "&b",
        "!t",
        "{x}",
        "[y]",
        "k8s-worker1",
    ] {
        if !t.is_empty() {
            odd.push_step(Step { at: 0, action: Action::Kubectl(t.to_string()) });
        }
        odd.push_step(Step { at: 5, action: Action::Apply(format!("{t}\nmore")) });
    }
    odd.nodes = Some(vec![ScenarioNode {
        labels: [("a/b".to_string(), "yes".to_string())].into(),
        ..ScenarioNode::worker("n1")
    }]);
    let text = odd.to_yaml();
    assert_eq!(Scenario::from_yaml(&text).unwrap_or_else(|e| panic!("{text}\n{e:?}")), odd, "{text}");
}

#[test]
fn unknown_fields_are_located_with_did_you_mean() {
    let text = "apiVersion: playground.kube/v1alpha1\nkind: Scenario\nmetadata:\n  name: x\nsteps:\n- at: 1s\n  kubctl: get pods\nuntill: 5m\n";
    let e = errors(text);
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(e[0], "document 1, line 7, column 3: unknown field \"steps[0].kubctl\"\ndid you mean \"kubectl\"?");
    assert_eq!(e[1], "document 1, line 8, column 1: unknown field \"untill\"\ndid you mean \"until\"?");
    // Without a misspelling, a step with no action says so.
    let e = errors("apiVersion: playground.kube/v1alpha1\nkind: Scenario\nmetadata:\n  name: x\nsteps:\n- at: 1s\n");
    assert_eq!(e, ["document 1, line 6, column 3: steps[0]: Required value: a step needs one action: kubectl, apply, delete, fault"]);
}

#[test]
fn validation_errors_are_located() {
    let text = "apiVersion: playground.kube/v1alpha1\nkind: Scenario\nmetadata:\n  name: x\nsteps:\n- at: 30s\n  kubectl: get pods\n- at: 10s\n  kubectl: get nodes\n- at: 5x\n  kubectl: get pods\n- at: 40s\n  fault:\n    nodeDown: k8s-workr1\n- at: 50s\n  fault: {killContainer: {pod: web}}\nuntil: 20s\n";
    let e = errors(text);
    assert_eq!(
        e,
        [
            "document 1, line 8, column 7: steps[1].at: Invalid value: \"10s\": steps must be in time order: the step before is at 30s",
            "document 1, line 10, column 7: steps[2].at: invalid duration \"5x\": unknown unit \"x\" (use ms, s, m or h)",
            "document 1, line 14, column 15: steps[3].fault: Not found: node \"k8s-workr1\" (the cluster has k8s-master, k8s-worker1, k8s-worker2); did you mean \"k8s-worker1\"?",
            "document 1, line 16, column 26: steps[4].fault.killContainer.exitCode: Required value",
            "document 1, line 17, column 8: until: Invalid value: \"20s\": comes before steps[0] (at 30s)",
            "document 1, line 17, column 8: until: Invalid value: \"20s\": comes before steps[3] (at 40s)",
        ]
    );
}

#[test]
fn hostile_and_wrong_shapes_fail_cleanly() {
    for t in ["", "~", "[1, 2]", "kind: Scenario", "a: [", "apiVersion: v1\nkind: Pod\n", "steps: 5\nnodes: {}\nseed: -1\npreset: {version: 1.20}\n", "---\nkind: Scenario\n---\nkind: Pod\n", "steps:\n- at: 1s\n  fault: {}\n- at: 2s\n  fault: nope\n- at: 3s\n  fault: kubeletStop\n- at: 4s\n  fault: {schedulerStop: x}\n"] {
        assert!(Scenario::from_yaml(t).is_err(), "{t:?}");
    }
}

#[test]
fn a_run_plays_steps_and_stops_watches_at_the_next_step() {
    let text = "apiVersion: playground.kube/v1alpha1\nkind: Scenario\nmetadata:\n  name: x\nmanifests: |\n  apiVersion: v1\n  kind: Pod\n  metadata:\n    name: web\n  spec:\n    containers:\n    - name: nginx\n      image: nginx\nsteps:\n- at: 0s\n  kubectl: get pods -w\n- at: 20s\n  fault:\n    killContainer: {pod: web, exitCode: 137}\n- at: 40s\n  kubectl: get pods\nuntil: 40s\n";
    let s = Scenario::from_yaml(text).unwrap();
    let mut run = Run::new(&s);
    assert_eq!(run.setup().stdout, "pod/web created\n");
    run.play_to(10 * SECOND);
    assert_eq!(run.outputs().len(), 1);
    let watched = run.outputs()[0].output.stdout.clone();
    assert!(watched.contains("Running"), "{watched}");
    run.play();
    let out = run.outputs();
    assert_eq!(out.len(), 3);
    // The watch ended at the kill: it does not show the restart.
    assert!(!out[0].output.stdout.contains("Error"), "{}", out[0].output.stdout);
    assert_eq!(out[1].output.stdout, "container \"nginx\" of pod \"web\" exited with code 137\n");
    assert!(out[2].output.stdout.contains("Running   1 (20s ago)"), "{}", out[2].output.stdout);
    // Rewind = rebuild + replay: the same bytes.
    let mut again = Run::new(&s);
    again.play_to(40 * SECOND);
    assert_eq!(again.outputs(), out);
}

/// What the fuzz target checks, over every prefix of a full scenario: no panic, and whatever
/// decodes writes back to the same scenario.
#[test]
fn every_prefix_decodes_or_fails_cleanly() {
    for end in (0..=FULL.len()).filter(|&i| FULL.is_char_boundary(i)) {
        if let Ok(s) = Scenario::from_yaml(&FULL[..end]) {
            assert_eq!(Scenario::from_yaml(&s.to_yaml()).as_ref(), Ok(&s), "prefix {end}");
        }
    }
}

/// The README's example is the format's reference: it must decode, round-trip and play.
#[test]
fn the_readme_example_is_valid() {
    let readme = include_str!("../../../../README.md");
    let start = readme.find("```yaml\napiVersion: playground.kube/v1alpha1").expect("README has the example") + 8;
    let len = readme[start..].find("```").expect("the example ends");
    let s = Scenario::from_yaml(&readme[start..start + len]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.steps.len(), 7);
    assert_eq!(s.preset.crash_loop_backoff().max, 60 * SECOND);
    assert_eq!(Scenario::from_yaml(&s.to_yaml()), Ok(s.clone()));
    let mut run = Run::new(&s);
    run.play();
    assert_eq!(run.outputs().len(), 7);
    assert_eq!(run.outputs()[0].output.stdout, "container \"nginx\" of pod \"web\" exited with code 137\n");
}

#[test]
fn static_pods_run_as_mirror_pods_and_their_node_must_exist() {
    let s = Scenario::from_yaml(FULL).unwrap();
    let mut run = Run::new(&s);
    run.play_to(5 * SECOND);
    let mirror = ObjectKey::new(Kind::Pod, "default", "etcd-plain");
    assert!(run.simulation().store().get(&mirror).is_some(), "the kubelet of `plain` publishes its mirror pod");
    let text = "apiVersion: playground.kube/v1alpha1\nkind: Scenario\nmetadata:\n  name: x\nstaticPods:\n- node: k8s-workr2\n  manifest: |\n    apiVersion: v1\n    kind: Pod\n- manifest: ''\n";
    assert_eq!(
        errors(text),
        [
            "document 1, line 6, column 9: staticPods[0].node: Not found: node \"k8s-workr2\" (the cluster has k8s-master, k8s-worker1, k8s-worker2); did you mean \"k8s-worker2\"?",
            "document 1, line 10, column 3: staticPods[1].node: Required value",
            "document 1, line 10, column 3: staticPods[1].manifest: Required value",
        ]
    );
}
