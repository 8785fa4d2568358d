//! Pod lifecycle against upstream numbers: the crash-loop back-off, image pull back-off, the
//! port clash of two containers, restart policies, graceful deletion.

use kubesim::api::{Kind, Object, ObjectKey};
use kubesim::{Config, Simulation};

fn sim_with(manifest: &str) -> Simulation {
    let mut sim = Simulation::new(Config::default());
    let results = sim.apply_text(manifest);
    assert!(results.iter().all(|r| matches!(r, kubesim::Applied::Created(_))), "{results:?}");
    sim
}

fn pod(sim: &Simulation, name: &str) -> k8s_openapi::api::core::v1::Pod {
    sim.store().get(&ObjectKey::new(Kind::Pod, "default", name)).and_then(Object::as_pod).cloned().expect("pod exists")
}

fn status_of(sim: &mut Simulation, name: &str) -> String {
    let out = kubesim::kubectl::run(sim, &format!("get pod {name} --no-headers"));
    out.stdout.split_whitespace().nth(2).unwrap_or("").to_string()
}

const CRASHER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox:1.36
";

#[test]
fn crash_loop_backoff_doubles_from_10s_to_5m() {
    let mut sim = sim_with(CRASHER);
    // Record the virtual time of every start of the container (restartCount changes).
    let mut starts = Vec::new();
    let mut last = -1;
    while sim.now() < 40 * 60 * 1000 {
        let Some(_) = sim.step() else { break };
        let p = pod(&sim, "crasher");
        let rc = p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|c| c.first())
            .map(|c| c.restart_count)
            .unwrap_or(-1);
        if rc != last && rc >= 0 {
            starts.push(sim.now());
            last = rc;
        }
    }
    // Gaps between consecutive restarts (from the 2nd on): the back-off, counted from the exit,
    // which for this container is its start.
    let gaps: Vec<u64> = starts.windows(2).skip(1).map(|w| (w[1] - w[0]) / 1000).collect();
    assert_eq!(&gaps[..7], &[10, 20, 40, 80, 160, 300, 300], "restart times {starts:?}");
}

#[test]
fn crash_loop_message_and_event_follow_upstream() {
    let mut sim = sim_with(CRASHER);
    sim.advance_to(45_000);
    let p = pod(&sim, "crasher");
    let uid = p.metadata.uid.clone().unwrap();
    let cs = &p.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0];
    let waiting = cs.state.as_ref().unwrap().waiting.as_ref().expect("waiting in back-off");
    assert_eq!(waiting.reason.as_deref(), Some("CrashLoopBackOff"));
    assert_eq!(
        waiting.message.as_deref(),
        Some(format!("back-off 40s restarting failed container=app pod=crasher_default({uid})").as_str())
    );
    let term = cs.last_state.as_ref().unwrap().terminated.as_ref().expect("last state terminated");
    assert_eq!((term.exit_code, term.reason.as_deref()), (0, Some("Completed")));
    // A crash-looping pod stays Running (the waiting container counts as stopped).
    assert_eq!(p.status.as_ref().unwrap().phase.as_deref(), Some("Running"));
    assert_eq!(status_of(&mut sim, "crasher"), "CrashLoopBackOff");
    let events = kubesim::kubectl::run(&mut sim, "get events").stdout;
    assert!(
        events.contains(&format!("Back-off restarting failed container app in pod crasher_default({uid})")),
        "{events}"
    );
}

#[test]
fn restart_policy_never_and_on_failure_complete() {
    for policy in ["Never", "OnFailure"] {
        let manifest = CRASHER.replace("spec:\n", &format!("spec:\n  restartPolicy: {policy}\n"));
        let mut sim = sim_with(&manifest);
        sim.advance_to(60_000);
        let p = pod(&sim, "crasher");
        let st = p.status.unwrap();
        assert_eq!(st.phase.as_deref(), Some("Succeeded"), "{policy}");
        assert_eq!(st.container_statuses.unwrap()[0].restart_count, 0);
        assert_eq!(status_of(&mut sim, "crasher"), "Completed");
    }
}

#[test]
fn image_pull_backoff_alternates_with_err_image_pull() {
    let mut sim = sim_with("apiVersion: v1\nkind: Pod\nmetadata:\n  name: myweb\nspec:\n  containers:\n  - name: web\n    image: nginx:nope\n");
    let mut seen = Vec::new();
    while sim.now() < 12 * 60 * 1000 {
        if sim.step().is_none() {
            break;
        }
        let s = status_of(&mut sim, "myweb");
        if seen.last().map(|(_, l): &(u64, String)| l != &s).unwrap_or(true) {
            seen.push((sim.now() / 1000, s));
        }
    }
    let statuses: Vec<&str> = seen.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(&statuses[..4], &["Pending", "ContainerCreating", "ErrImagePull", "ImagePullBackOff"], "{seen:?}");
    // Retries get further apart (the pull back-off doubles from 10 s) until the 300 s cap.
    let pulls: Vec<u64> = seen.iter().filter(|(_, s)| s == "ErrImagePull").map(|(t, _)| *t).collect();
    assert!(pulls.len() >= 5, "{seen:?}");
    let gaps: Vec<u64> = pulls.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.windows(2).all(|g| g[1] >= g[0]), "gaps {gaps:?}: {seen:?}");
    assert!(*gaps.last().unwrap() >= 300, "gaps {gaps:?}");
    // Between two pulls the status is ImagePullBackOff.
    for w in seen.windows(2).skip(2) {
        assert_ne!(w[0].1, w[1].1);
    }
    let p = pod(&sim, "myweb");
    let w = p.status.unwrap().container_statuses.unwrap()[0].state.clone().unwrap().waiting.unwrap();
    if w.reason.as_deref() == Some("ImagePullBackOff") {
        assert!(w
            .message
            .unwrap()
            .starts_with("Back-off pulling image \"nginx:nope\": ErrImagePull: rpc error: code = NotFound"));
    }
}

#[test]
fn two_containers_on_one_port_crash_loop_the_second() {
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-2\nspec:\n  containers:\n  - name: container1\n    image: kubetm/p8000\n    ports:\n    - containerPort: 8000\n  - name: container2\n    image: kubetm/p8000\n    ports:\n    - containerPort: 8000\n",
    );
    sim.advance_to(120_000);
    let out = kubesim::kubectl::run(&mut sim, "get pod pod-2").stdout;
    assert!(out.contains("1/2     CrashLoopBackOff"), "{out}");
    let logs = kubesim::kubectl::run(&mut sim, "logs pod-2 -c container2 --previous").stdout;
    assert_eq!(logs, "Error: listen EADDRINUSE: address already in use :::8000\n");
    let first = kubesim::kubectl::run(&mut sim, "logs pod-2 -c container1");
    assert_eq!(first.exit_code, 0);
}

#[test]
fn graceful_deletion_waits_for_sigkill_when_sigterm_is_ignored() {
    // kubetm/init is a Node.js app running as PID 1: it ignores SIGTERM, so the kubelet kills it
    // after the 30 s grace period with exit code 137.
    let mut sim = sim_with("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: kubetm/init\n");
    sim.advance_to(30_000);
    assert_eq!(status_of(&mut sim, "web"), "Running");
    let out = kubesim::kubectl::run(&mut sim, "delete pod web");
    assert_eq!(out.stdout, "pod \"web\" deleted from default namespace\n");
    sim.advance_to(31_000);
    assert_eq!(status_of(&mut sim, "web"), "Terminating");
    sim.advance_to(59_000);
    assert_eq!(status_of(&mut sim, "web"), "Terminating");
    sim.advance_to(62_000);
    let gone = kubesim::kubectl::run(&mut sim, "get pod web");
    assert_eq!(gone.stderr, "Error from server (NotFound): pods \"web\" not found\n");
    let events = kubesim::kubectl::run(&mut sim, "get events").stdout;
    assert!(events.contains("Killing     pod/web   Stopping container c"), "{events}");
}

#[test]
fn force_delete_is_immediate_with_upstreams_warning() {
    let mut sim = sim_with("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: kubetm/init\n");
    sim.advance_to(30_000);
    let out = kubesim::kubectl::run(&mut sim, "delete pod web --grace-period=0 --force");
    assert!(out.stderr.starts_with("Warning: Immediate deletion does not wait for confirmation"));
    assert_eq!(out.stdout, "pod \"web\" force deleted from default namespace\n");
    assert!(sim.store().get(&ObjectKey::new(Kind::Pod, "default", "web")).is_none());
    let bad = kubesim::kubectl::run(&mut sim, "delete pod x --grace-period=0");
    assert_eq!(bad.exit_code, 1);
}

#[test]
fn same_seed_same_trace() {
    let run = || {
        let mut sim = sim_with(CRASHER);
        sim.advance_to(10 * 60 * 1000);
        let log: Vec<String> = sim.store().log().iter().map(|c| format!("{} {:?} {}", c.at, c.op, c.key)).collect();
        (log, kubesim::kubectl::run(&mut sim, "get pods -o yaml").stdout)
    };
    assert_eq!(run(), run());
}

#[test]
fn static_pod_mirror_comes_back_and_keeps_running() {
    let mut sim = Simulation::new(Config::default());
    let key = sim
        .add_static_pod("k8s-worker1", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n")
        .unwrap();
    assert_eq!(key.name, "static-web-k8s-worker1");
    sim.advance_to(30_000);
    let before = pod(&sim, "static-web-k8s-worker1");
    let owner = &before.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!((owner.kind.as_str(), owner.name.as_str()), ("Node", "k8s-worker1"));
    let ip = before.status.as_ref().unwrap().pod_ip.clone();
    kubesim::kubectl::run(&mut sim, "delete pod static-web-k8s-worker1");
    sim.advance_to(32_000);
    let after = pod(&sim, "static-web-k8s-worker1");
    assert_ne!(after.metadata.uid, before.metadata.uid, "a new mirror pod");
    assert_eq!(after.status.as_ref().unwrap().pod_ip, ip, "the same running pod behind it");
    assert_eq!(status_of(&mut sim, "static-web-k8s-worker1"), "Running");
    assert!(sim
        .add_static_pod(
            "nowhere",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
        )
        .is_err());
}

/// Every distinct STATUS column value a pod shows, in order, stepping event by event.
fn status_sequence(sim: &mut Simulation, name: &str, until: u64) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    while sim.now() < until {
        if sim.step().is_none() {
            break;
        }
        let s = status_of(sim, name);
        if seen.last() != Some(&s) {
            seen.push(s);
        }
    }
    seen
}

#[test]
fn init_containers_run_in_order_then_the_app() {
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: init-demo\nspec:\n  initContainers:\n  - name: first\n    image: busybox:1.36\n  - name: second\n    image: alpine:3.20\n  containers:\n  - name: app\n    image: nginx:1.25\n",
    );
    let seq = status_sequence(&mut sim, "init-demo", 60_000);
    assert_eq!(seq, ["Pending", "Init:0/2", "Init:1/2", "PodInitializing", "Running"], "{seq:?}");
    let p = pod(&sim, "init-demo");
    let init = p.status.as_ref().unwrap().init_container_statuses.clone().unwrap();
    assert!(init
        .iter()
        .all(|s| s.state.as_ref().unwrap().terminated.as_ref().unwrap().reason.as_deref() == Some("Completed")));
}

#[test]
fn a_failing_init_container_crash_loops_and_blocks_the_app() {
    // polinux/stress without arguments prints its usage and exits 1.
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: init-fail\nspec:\n  initContainers:\n  - name: setup\n    image: polinux/stress\n  containers:\n  - name: app\n    image: nginx:1.25\n",
    );
    let seq = status_sequence(&mut sim, "init-fail", 90_000);
    assert!(seq.contains(&"Init:Error".to_string()), "{seq:?}");
    assert!(seq.contains(&"Init:CrashLoopBackOff".to_string()), "{seq:?}");
    assert!(!seq.contains(&"Running".to_string()));
    let p = pod(&sim, "init-fail");
    assert_eq!(p.status.as_ref().unwrap().phase.as_deref(), Some("Pending"));
    let init = p.status.unwrap().conditions.unwrap().into_iter().find(|c| c.type_ == "Initialized").unwrap();
    assert_eq!(init.message.as_deref(), Some("containers with incomplete status: [setup]"));

    // With restartPolicy Never the pod fails instead.
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: init-fail\nspec:\n  restartPolicy: Never\n  initContainers:\n  - name: setup\n    image: polinux/stress\n  containers:\n  - name: app\n    image: nginx:1.25\n",
    );
    sim.advance_to(30_000);
    assert_eq!(pod(&sim, "init-fail").status.unwrap().phase.as_deref(), Some("Failed"));
    assert_eq!(status_of(&mut sim, "init-fail"), "Init:Error");
}

#[test]
fn http_liveness_failure_restarts_with_upstream_texts() {
    // The docs' http-liveness example: /healthz answers 500 from 10 s after the start.
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-http\nspec:\n  containers:\n  - name: liveness\n    image: registry.k8s.io/e2e-test-images/agnhost:2.40\n    args:\n    - liveness\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n      initialDelaySeconds: 3\n      periodSeconds: 3\n",
    );
    sim.advance_to(40_000);
    let p = pod(&sim, "liveness-http");
    let cs = p.status.unwrap().container_statuses.unwrap().remove(0);
    assert!(cs.restart_count >= 1);
    // A Go server without a SIGTERM handler exits with status 2.
    let last = cs.last_state.unwrap().terminated.unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (2, Some("Error")));
    let events = kubesim::kubectl::run(&mut sim, "get events").stdout;
    assert!(events.contains("Liveness probe failed: HTTP probe failed with statuscode: 500"), "{events}");
    assert!(events.contains("Container liveness failed liveness probe, will be restarted"), "{events}");
}

#[test]
fn failed_post_start_hook_kills_the_container() {
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hooked\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n    lifecycle:\n      postStart:\n        httpGet:\n          path: /ready\n          port: 9999\n",
    );
    sim.advance_to(30_000);
    let out = kubesim::kubectl::run(&mut sim, "describe pod hooked").stdout;
    assert!(out.contains("FailedPostStartHook  "), "{out}");
    assert!(out.contains("spec.containers{web}: PostStartHook failed"), "{out}");
    assert!(out.contains("Killing"), "{out}");
}

// ---- Behaviour that needs the container shell (command/args) ----

#[test]
fn exec_liveness_docs_example_restarts_like_a_real_cluster() {
    // touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600 with `cat /tmp/healthy` every 5 s
    // after 5 s: probes pass until 30 s, fail at 35, 40, 45 -> Killing at ~45 s; busybox sh as PID 1
    // ignores SIGTERM, so SIGKILL after the 30 s grace -> exit 137, then the first restart at once.
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-exec\nspec:\n  containers:\n  - name: liveness\n    image: registry.k8s.io/busybox:1.27.2\n    args:\n    - /bin/sh\n    - -c\n    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600\n    livenessProbe:\n      exec:\n        command:\n        - cat\n        - /tmp/healthy\n      initialDelaySeconds: 5\n      periodSeconds: 5\n",
    );
    sim.advance_to(60_000);
    let events = kubesim::kubectl::run(&mut sim, "get events").stdout;
    assert!(
        events.contains("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"),
        "{events}"
    );
    assert!(events.contains("Container liveness failed liveness probe, will be restarted"), "{events}");
    assert_eq!(pod(&sim, "liveness-exec").status.unwrap().container_statuses.unwrap()[0].restart_count, 0);
    sim.advance_to(90_000);
    let cs = pod(&sim, "liveness-exec").status.unwrap().container_statuses.unwrap().remove(0);
    assert_eq!(cs.restart_count, 1);
    let last = cs.last_state.unwrap().terminated.unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (137, Some("Error")));
}

#[test]
fn oom_killed_when_memory_passes_the_limit() {
    // The docs' memory-request-limit-2 example: stress allocates 250M under a 100Mi limit.
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: memory-demo-2\nspec:\n  containers:\n  - name: memory-demo-2-ctr\n    image: polinux/stress\n    resources:\n      requests:\n        memory: 50Mi\n      limits:\n        memory: 100Mi\n    command: [\"stress\"]\n    args: [\"--vm\", \"1\", \"--vm-bytes\", \"250M\", \"--vm-hang\", \"1\"]\n",
    );
    let seq = status_sequence(&mut sim, "memory-demo-2", 60_000);
    assert!(seq.contains(&"OOMKilled".to_string()), "{seq:?}");
    assert!(seq.contains(&"CrashLoopBackOff".to_string()), "{seq:?}");
    let cs = pod(&sim, "memory-demo-2").status.unwrap().container_statuses.unwrap().remove(0);
    let last = cs.last_state.unwrap().terminated.unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (137, Some("OOMKilled")));
}

#[test]
fn restart_policies_with_exit_codes_0_and_1() {
    for (policy, code, phase, status, restarts) in [
        ("Always", 0, "Running", "CrashLoopBackOff", true),
        ("Always", 1, "Running", "CrashLoopBackOff", true),
        ("OnFailure", 0, "Succeeded", "Completed", false),
        ("OnFailure", 1, "Running", "CrashLoopBackOff", true),
        ("Never", 0, "Succeeded", "Completed", false),
        ("Never", 1, "Failed", "Error", false),
    ] {
        let mut sim = sim_with(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: {policy}\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo bye; exit {code}\"]\n"
        ));
        sim.advance_to(60_000);
        let st = pod(&sim, "p").status.unwrap();
        assert_eq!(st.phase.as_deref(), Some(phase), "{policy} {code}");
        assert_eq!(status_of(&mut sim, "p"), status, "{policy} {code}");
        let rc = st.container_statuses.unwrap()[0].restart_count;
        assert_eq!(rc > 0, restarts, "{policy} {code}");
        assert_eq!(kubesim::kubectl::run(&mut sim, "logs p").stdout, "bye\n");
    }
}

#[test]
fn seed000_init_containers_sleep_then_echo() {
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubernetes-simple-pod\n  labels:\n    app: kubernetes-simple-pod\nspec:\n  initContainers:\n  - name: init-myservice\n    image: arisu1000/simple-container-app:latest\n    command: ['sh', '-c', 'sleep 2; echo helloworld01;']\n  - name: init-mydb\n    image: arisu1000/simple-container-app:latest\n    command: ['sh', '-c', 'sleep 2; echo helloworld02;']\n  containers:\n  - name: kubernetes-simple-pod\n    image: arisu1000/simple-container-app:latest\n    command: ['sh', '-c', 'echo The app is running! && sleep 3600']\n",
    );
    let seq = status_sequence(&mut sim, "kubernetes-simple-pod", 60_000);
    assert_eq!(seq, ["Pending", "Init:0/2", "Init:1/2", "PodInitializing", "Running"], "{seq:?}");
    assert_eq!(
        kubesim::kubectl::run(&mut sim, "logs kubernetes-simple-pod -c init-myservice").stdout,
        "helloworld01\n"
    );
    assert_eq!(kubesim::kubectl::run(&mut sim, "logs kubernetes-simple-pod").stdout, "The app is running!\n");
}

#[test]
fn init_container_waits_for_a_service() {
    // The docs' myapp-pod: `until nslookup myservice...` loops until the Service exists.
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: myapp-pod\nspec:\n  containers:\n  - name: myapp-container\n    image: busybox:1.28\n    command: ['sh', '-c', 'echo The app is running! && sleep 3600']\n  initContainers:\n  - name: init-myservice\n    image: busybox:1.28\n    command: ['sh', '-c', \"until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done\"]\n",
    );
    sim.advance_to(60_000);
    assert_eq!(status_of(&mut sim, "myapp-pod"), "Init:0/1");
    sim.apply_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: myservice\nspec:\n  ports:\n  - port: 80\n    targetPort: 9376\n");
    sim.advance_to(70_000);
    assert_eq!(status_of(&mut sim, "myapp-pod"), "Running");
    let logs = kubesim::kubectl::run(&mut sim, "logs myapp-pod -c init-myservice").stdout;
    assert!(logs.contains("waiting for myservice"), "{logs}");
}

#[test]
fn containers_share_an_empty_dir_volume() {
    // The docs' two-container pod: debian writes index.html into the shared volume, nginx serves it.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/golden/manifests/two-containers.yaml"
    ))
    .unwrap();
    let mut sim = sim_with(&text);
    sim.advance_to(30_000);
    let served = kubesim::kubectl::run(&mut sim, "exec two-containers -c nginx-container -- curl -s localhost");
    assert_eq!(served.stdout, "Hello from the debian container\n");
    assert_eq!(status_of(&mut sim, "two-containers"), "NotReady");
}

#[test]
fn a_native_sidecar_starts_then_the_next_init_container_runs_and_the_pod_becomes_ready() {
    let mut sim = sim_with(
        "apiVersion: v1
kind: Pod
metadata:
  name: side
spec:
  initContainers:
  - name: logshipper
    image: busybox:1.36
    restartPolicy: Always
    command: ['sh', '-c', 'while true; do echo ship; sleep 5; done']
  - name: setup
    image: busybox:1.36
    command: ['sh', '-c', 'echo done']
  containers:
  - name: app
    image: nginx:1.25
",
    );
    sim.advance_to(40_000);
    let out = kubesim::kubectl::run(&mut sim, "get pod side --no-headers");
    let cols: Vec<&str> = out.stdout.split_whitespace().collect();
    // The sidecar counts in READY (printPod counts restartable init containers since 1.29).
    assert_eq!(&cols[1..3], ["2/2", "Running"], "{}", out.stdout);
    let p = pod(&sim, "side");
    let st = p.status.unwrap();
    let inits = st.init_container_statuses.unwrap();
    assert!(inits[0].state.as_ref().unwrap().running.is_some(), "the sidecar keeps running");
    assert_eq!(inits[1].state.as_ref().unwrap().terminated.as_ref().unwrap().exit_code, 0);
    let logs = kubesim::kubectl::run(&mut sim, "logs side -c logshipper");
    assert!(logs.stdout.matches("ship").count() >= 5, "{}", logs.stdout);
}

/// The container status (image, state, restarts) of a pod's first container.
fn first_container(sim: &Simulation, name: &str) -> k8s_openapi::api::core::v1::ContainerStatus {
    pod(sim, name).status.and_then(|s| s.container_statuses).and_then(|c| c.into_iter().next()).expect("status")
}

fn events_of(sim: &mut Simulation, name: &str) -> String {
    kubesim::kubectl::run(sim, &format!("get events --field-selector involvedObject.name={name}")).stdout
}

#[test]
fn a_new_image_restarts_the_container_whatever_the_restart_policy() {
    let manifest = |image: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n  containers:\n  - name: nginx\n    image: {image}\n"
        )
    };
    let mut sim = sim_with(&manifest("nginx:1.25"));
    sim.advance_to(60_000);
    assert_eq!(status_of(&mut sim, "web"), "Running");
    let generation = pod(&sim, "web").metadata.generation;
    // A pod update may change images (and nothing else of the containers).
    let r = sim.apply_text(&manifest("nginx:1.26"));
    assert!(matches!(r[0], kubesim::Applied::Configured(_)), "{r:?}");
    assert_eq!(pod(&sim, "web").metadata.generation, generation.map(|g| g + 1));
    sim.advance_to(120_000);
    let c = first_container(&sim, "web");
    assert_eq!(c.image, "docker.io/library/nginx:1.26", "the runtime reports the full reference");
    assert_eq!(c.restart_count, 1, "restartPolicy Never does not stop a restart for a new definition");
    assert!(c.state.and_then(|s| s.running).is_some());
    assert!(c.last_state.and_then(|s| s.terminated).is_some());
    let events = events_of(&mut sim, "web");
    assert!(events.contains("Container nginx definition changed, will be restarted"), "{events}");
    assert!(events.contains("Pulling image \"nginx:1.26\""), "{events}");
    // Other container fields stay immutable.
    let bad = manifest("nginx:1.26").replace("    image: nginx:1.26\n", "    image: nginx:1.26\n    command: [sh]\n");
    let r = sim.apply_text(&bad);
    assert!(format!("{r:?}").contains("pod updates may not change fields other than"), "{r:?}");
}

#[test]
fn fixing_the_image_of_a_pod_in_image_pull_back_off_runs_it() {
    let manifest = |image: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: myweb\nspec:\n  containers:\n  - name: web\n    image: {image}\n")
    };
    let mut sim = sim_with(&manifest("nginx:nope"));
    sim.advance_to(90_000);
    assert_eq!(status_of(&mut sim, "myweb"), "ImagePullBackOff");
    let r = sim.apply_text(&manifest("nginx:1.25"));
    assert!(matches!(r[0], kubesim::Applied::Configured(_)), "{r:?}");
    // No wait for the pull back-off of the old image: the new one is pulled at once.
    sim.advance_to(110_000);
    assert_eq!(status_of(&mut sim, "myweb"), "Running");
    let c = first_container(&sim, "myweb");
    assert_eq!((c.image.as_str(), c.restart_count), ("docker.io/library/nginx:1.25", 0), "it never ran before");
}
