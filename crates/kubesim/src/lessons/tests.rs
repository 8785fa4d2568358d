use super::*;
use crate::scenario::Action;
use crate::time::SECOND;

/// Plays `run` to `end` a second at a time, checking the goals after each second.
fn play(lesson: &Lesson, mut run: Run, end: Millis) -> (Progress, Run) {
    let mut progress = Progress::new(lesson);
    let mut t = 0;
    progress.update(lesson, run.simulation());
    while t < end {
        t = (t + SECOND).min(end);
        run.play_to(t);
        progress.update(lesson, run.simulation());
    }
    (progress, run)
}

fn built(name: &str) -> Lesson {
    let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name).expect("a built-in lesson");
    match Lesson::from_yaml(text) {
        Ok(l) => l,
        Err(e) => panic!("{name}: {e:#?}"),
    }
}

/// A built-in lesson: it decodes, its name matches, the learner's intended actions (the
/// solution) reach every goal, and without them not every goal is reached.
fn check_lesson(name: &str) {
    let lesson = built(name);
    assert_eq!(lesson.name, name);
    assert!(!lesson.title.en.is_empty() && !lesson.title.ko.is_empty());
    assert!(!lesson.instructions.en.is_empty() && !lesson.instructions.ko.is_empty());
    // The editor's text applies cleanly (what the learner is asked to Apply).
    if !lesson.editor.is_empty() {
        let mut sim = Simulation::new(lesson.scenario.config());
        let out = crate::kubectl::apply_text(&mut sim, &lesson.editor, "editor", false);
        assert_eq!(out.exit_code, 0, "{name}: the editor's manifests apply: {}", out.stderr);
    }
    let end = lesson.solved_scenario().end() + 30 * SECOND;
    let (progress, run) = play(&lesson, lesson.start_solved(), end);
    for (i, g) in lesson.goals.iter().enumerate() {
        assert!(
            progress.done(i),
            "{name}: goal {i} ({}) not reached by the solution; outputs: {:#?}",
            g.text.en,
            run.outputs()
        );
    }
    for o in run.outputs() {
        if let Some(Action::Apply(_)) =
            lesson.solution.get(o.step.saturating_sub(lesson.scenario.steps.len())).map(|s| &s.action)
        {
            assert_eq!(o.output.exit_code, 0, "{name}: {}", o.output.stderr);
        }
    }
    if !lesson.solution.is_empty() {
        let (idle, _) = play(&lesson, lesson.start(), end);
        assert!(!idle.all_done(), "{name}: every goal is reached without doing anything");
    }
}

#[test]
fn lesson_first_pod() {
    check_lesson("first-pod");
}

#[test]
fn lesson_multi_container() {
    check_lesson("multi-container");
}

#[test]
fn lesson_labels_selectors() {
    check_lesson("labels-selectors");
}

#[test]
fn lesson_services_endpoints() {
    check_lesson("services-endpoints");
}

#[test]
fn lesson_scheduling() {
    check_lesson("scheduling");
}

#[test]
fn lesson_init_containers() {
    check_lesson("init-containers");
}

#[test]
fn lesson_lifecycle() {
    check_lesson("lifecycle");
}

#[test]
fn lesson_probes() {
    check_lesson("probes");
}

#[test]
fn lesson_image_pull_backoff() {
    check_lesson("image-pull-backoff");
}

#[test]
fn lesson_crash_loop() {
    check_lesson("crash-loop");
}

#[test]
fn lesson_graceful_termination() {
    check_lesson("graceful-termination");
}

#[test]
fn lesson_oom_killed() {
    check_lesson("oom-killed");
}

#[test]
fn lesson_self_healing() {
    check_lesson("self-healing");
}

/// Node faults (`nodeDown`) are simulated on another branch; until it is merged,
/// `Simulation::inject` answers "not simulated yet" and no goal past the first can be reached.
#[test]
fn lesson_node_failure() {
    check_lesson("node-failure");
}

#[test]
fn node_failure_lesson_decodes() {
    let l = built("node-failure");
    assert_eq!(l.goals.len(), 4);
    assert_eq!(l.scenario.steps.len(), 1);
}

#[test]
fn lesson_static_pods() {
    check_lesson("static-pods");
}

#[test]
fn lesson_multi_container_patterns() {
    check_lesson("multi-container-patterns");
}

#[test]
fn every_built_in_lesson_decodes_and_has_a_test() {
    assert_eq!(built_in().len(), BUILT_IN.len());
    let src = include_str!("tests.rs");
    for (name, _) in BUILT_IN {
        assert!(src.contains(&format!("check_lesson(\"{name}\")")), "no test plays {name}");
    }
}

// ---- each goal kind, true and false, on a real run ----

const WEB: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.25\n    ports:\n    - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: ['sh', '-c', 'exit 1']\n";

fn goal(yaml: &str) -> Check {
    let text = format!(
        "apiVersion: playground.kube/v1alpha1\nkind: Lesson\nmetadata: {{name: t}}\ntitle: {{en: T, ko: T}}\ninstructions: {{en: I, ko: I}}\ngoals:\n- text: {{en: G, ko: G}}\n  {yaml}\n"
    );
    match Lesson::from_yaml(&text) {
        Ok(l) => l.goals[0].check.clone(),
        Err(e) => panic!("{yaml}: {e:#?}"),
    }
}

fn sim_at(t: Millis) -> Simulation {
    let mut sim = Simulation::new(crate::sim::Config::default());
    crate::kubectl::apply_text(&mut sim, WEB, "t", false);
    sim.advance_to(t);
    sim
}

#[test]
fn goal_kinds_true_and_false() {
    let early = sim_at(0);
    let late = sim_at(60 * SECOND);
    let cases = [
        ("podStatus: {pod: web, status: Running, ready: true}", false, true),
        ("podStatus: {selector: app=web, phase: Running}", false, true),
        ("podStatus: {selector: app=web, phase: Running, atLeast: 2}", false, false),
        ("podStatus: {pod: crash, status: CrashLoopBackOff}", false, true),
        ("podStatus: {pod: web, status: Pending}", true, false),
        ("restarts: {pod: crash, atLeast: 2}", false, true),
        ("restarts: {pod: crash, container: c, atLeast: 50}", false, false),
        ("endpoints: {service: web, count: 1}", false, true),
        ("endpoints: {service: web, count: 0}", true, false),
        ("nodeStatus: {node: k8s-worker1, status: Ready}", true, true),
        ("nodeStatus: {node: k8s-worker1, status: NotReady}", false, false),
        ("eventSeen: {reason: Started, object: pod/web}", false, true),
        ("eventSeen: {reason: BackOff, object: pod/crash, message: Back-off restarting}", false, true),
        ("eventSeen: {reason: Started, object: pod/nothing}", false, false),
        ("kubectl: {command: get pods, matches: \"web 1/1 Running 0 *\"}", false, true),
        ("kubectl: {command: get pod web, contains: \"0/1\"}", true, false),
        ("kubectl: {command: get pod nothing, contains: not found}", true, true),
        ("podReplaced: {selector: app=web}", false, false),
    ];
    for (yaml, at_0, at_60) in cases {
        let g = goal(yaml);
        assert_eq!(g.holds(&early), at_0, "{yaml} at 0s");
        assert_eq!(g.holds(&late), at_60, "{yaml} at 60s");
    }
}

#[test]
fn pod_replaced_by_a_deployment() {
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec: {containers: [{name: c, image: nginx}]}\n";
    let g = goal("podReplaced: {selector: app=d}");
    let mut sim = Simulation::new(crate::sim::Config::default());
    crate::kubectl::apply_text(&mut sim, deploy, "t", false);
    sim.advance_to(20 * SECOND);
    assert!(!g.holds(&sim));
    let out = crate::kubectl::run(&mut sim, "delete pod -l app=d");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    sim.advance_to(21 * SECOND);
    assert!(!g.holds(&sim), "the new pod is not running yet");
    sim.advance_to(60 * SECOND);
    assert!(g.holds(&sim));
    // A bare pod deleted and created again under the same name is no replacement.
    let bare = goal("podReplaced: {selector: app=web}");
    let mut sim = sim_at(20 * SECOND);
    crate::kubectl::run(&mut sim, "delete pod web --grace-period=0 --force");
    sim.advance_to(21 * SECOND);
    crate::kubectl::apply_text(&mut sim, WEB, "t", false);
    sim.advance_to(60 * SECOND);
    assert!(!bare.holds(&sim));
}

#[test]
fn progress_is_sticky_and_waits_for_after() {
    let text = "apiVersion: playground.kube/v1alpha1\nkind: Lesson\nmetadata: {name: t}\ntitle: {en: T, ko: T}\ninstructions: {en: I, ko: I}\ngoals:\n- text: {en: a, ko: a}\n  podStatus: {pod: web, status: Running}\n- text: {en: b, ko: b}\n  kubectl: {command: get pod web, contains: not found}\n  after: 0\n";
    let lesson = Lesson::from_yaml(text).unwrap();
    let mut p = Progress::new(&lesson);
    let mut sim = Simulation::new(crate::sim::Config::default());
    p.update(&lesson, &sim);
    assert!(!p.done(1), "`after` holds the second goal back while the pod never existed");
    crate::kubectl::apply_text(&mut sim, WEB, "t", false);
    sim.advance_to(30 * SECOND);
    assert!(p.update(&lesson, &sim));
    assert!(p.done(0) && !p.done(1));
    crate::kubectl::run(&mut sim, "delete pod web --grace-period=0 --force");
    sim.advance_to(31 * SECOND);
    p.update(&lesson, &sim);
    assert!(p.all_done(), "the first goal stays reached after the pod is gone");
}

#[test]
fn line_patterns() {
    use super::goals::line_matches;
    assert!(line_matches("web 1/1 Running *", "web   1/1     Running   0          5s"));
    assert!(!line_matches("web 1/1 Running", "web   1/1     Running   0          5s"));
    assert!(line_matches(
        "* k8s-worker1 *",
        "pod-3   1/1   Running   0   5s   10.244.1.2   k8s-worker1   <none>   <none>"
    ));
    assert!(!line_matches("web 0/1 *", "web   1/1     Running   0   5s"));
}

#[test]
fn lesson_errors_are_located() {
    let bad = "apiVersion: playground.kube/v1alpha1\nkind: Lesson\nmetadata: {name: t}\ntitle: {en: T}\ninstructions: {en: I, ko: I}\nscenario:\n  seed: 2\n  stpes: []\ngoals:\n- text: {en: a, ko: a}\n  podStatus: {pod: web, selector: app=web, status: Running}\n- text: {en: b, ko: b}\n  nodeStatus: {node: k8s-wrker1, status: Ready}\n- text: {en: c, ko: c}\n  kubectl: {command: delete pod web, contains: x}\n- text: {en: d, ko: d}\n  endpoints: {service: web, count: 1}\n  restarts: {pod: web, atLeast: 1}\n- text: {en: e, ko: e}\n  podStatus: {selector: 'a in (', phase: Running}\n- text: {en: f, ko: f}\n  podStatus: {pod: web, phase: Runing}\n- text: {en: g, ko: g}\n  podstatus: {pod: web}\n";
    let errors = Lesson::from_yaml(bad).unwrap_err();
    let msgs: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.line.unwrap_or(0), e.message)).collect();
    let want = [
        "4: title.ko: Required value",
        "8: unknown field \"scenario.stpes\"",
        "11: goals[0].podStatus: Invalid value: give either pod or selector, not both",
        "13: goals[1].nodeStatus.node: Not found: node \"k8s-wrker1\"",
        "15: goals[2].kubectl.command: Invalid value: \"delete pod web\": a goal only reads",
        "18: goals[3]: Invalid value: a goal has exactly one check",
        "20: goals[4].podStatus.selector: Invalid value",
        "22: goals[5].podStatus.phase: Unsupported value: \"Runing\"",
        "24: unknown field \"goals[6].podstatus\"\ndid you mean \"podStatus\"?",
    ];
    for w in want {
        assert!(msgs.iter().any(|m| m.starts_with(w)), "missing {w:?} in {msgs:#?}");
    }
    assert_eq!(msgs.len(), want.len(), "{msgs:#?}");
    // Not a panic on junk.
    for junk in ["", "- a", "kind: Lesson\ngoals: 5", "apiVersion: [", "goals:\n- after: 1\n"] {
        assert!(Lesson::from_yaml(junk).is_err());
    }
}
