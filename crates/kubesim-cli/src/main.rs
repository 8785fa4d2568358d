//! `kubesim`: the Kube Playground engine, headless. Applies manifests to a simulated cluster, runs
//! virtual time forward and prints kubectl output, byte for byte as the page's terminal shows it.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kubesim::cluster;
use kubesim::scenario::{self, Action, Scenario, ScenarioNode, Step};
use kubesim::{Applied, Config, Simulation};

#[derive(Parser)]
#[command(name = "kubesim", version, about = "A simulated Kubernetes cluster that prints kubectl output")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply FILEs at t=0, simulate until DURATION, then print each -c command's output in order.
    /// A FILE with `kind: Scenario` is played instead: each step's output under a
    /// `[TIME] $ command` header; --seed, --until and --nodes override the scenario's.
    Run {
        /// Virtual time to simulate, Go-style: 90s, 5m, 1h30m [default: 0s, or the scenario's].
        #[arg(long, value_name = "DURATION")]
        until: Option<String>,
        /// Worker nodes (k8s-worker1..N) beside the tainted control-plane node k8s-master [default: 2].
        #[arg(long, value_name = "N")]
        nodes: Option<usize>,
        /// Seed for every random choice (names, uids, tie-breaks) [default: 1, or the scenario's].
        #[arg(long)]
        seed: Option<u64>,
        /// A static pod: the Pod manifest FILE placed in NODE's manifest directory (repeatable).
        #[arg(long = "static-pod", value_name = "NODE=FILE")]
        static_pods: Vec<String>,
        /// Manifest files (YAML or JSON, multi-document); `-` reads standard input.
        #[arg(value_name = "FILE")]
        files: Vec<String>,
        /// A kubectl command to run at the end (repeatable; with or without the word `kubectl`).
        /// Prefixed with `@DURATION ` (e.g. `@30s delete pod web`) it runs at that virtual time
        /// instead; timed commands must come in time order.
        #[arg(short = 'c', long = "command", value_name = "KUBECTL")]
        commands: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run { until, nodes, seed, static_pods, files, commands } => {
            run(until.as_deref(), nodes, seed, &static_pods, &files, &commands)
        }
    }
}

/// `apply -f FILE`, `create -f FILE` or `delete -f FILE` (with or without `kubectl`): (verb, file).
fn file_command(line: &str) -> Option<(String, String)> {
    let words = kubesim::kubectl::args::split_words(line).ok()?;
    let words: Vec<&str> = words.iter().map(String::as_str).skip_while(|w| *w == "kubectl").collect();
    match words.as_slice() {
        [verb @ ("apply" | "create" | "delete"), "-f", file] => Some((verb.to_string(), file.to_string())),
        [verb @ ("apply" | "create" | "delete"), f] if f.starts_with("--filename=") || f.starts_with("-f=") => {
            Some((verb.to_string(), f.split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default()))
        }
        _ => None,
    }
}

fn read(file: &str) -> Result<String, String> {
    if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("error: reading standard input: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(file).map_err(|e| format!("error: the path \"{file}\" cannot be read: {e}"))
}

fn run(
    until: Option<&str>,
    nodes: Option<usize>,
    seed: Option<u64>,
    static_pods: &[String],
    files: &[String],
    commands: &[String],
) -> ExitCode {
    let until = match until.map(kubesim::time::parse_duration).transpose() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: --until: {e}");
            return ExitCode::from(2);
        }
    };
    if nodes.is_some_and(|n| n > 5_000) {
        eprintln!("error: --nodes: at most 5000 worker nodes");
        return ExitCode::from(2);
    }
    let mut texts = Vec::new();
    for file in files {
        match read(file) {
            Ok(t) => texts.push((file.as_str(), t)),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    // A scenario file among the FILEs: play it (the other FILEs are applied at 0s too).
    let scenarios: Vec<usize> = (0..texts.len()).filter(|&i| Scenario::is_scenario(&texts[i].1)).collect();
    if let Some(&first) = scenarios.first() {
        if scenarios.len() > 1 {
            eprintln!("error: {}: one scenario per run ({} is one too)", texts[scenarios[1]].0, texts[first].0);
            return ExitCode::from(2);
        }
        let (file, text) = texts.remove(first);
        let opts = Overrides { until, nodes, seed };
        return play(file, &text, &opts, static_pods, &texts, commands);
    }
    let until = until.unwrap_or(0);
    let mut sim = Simulation::new(Config {
        seed: seed.unwrap_or(1),
        nodes: cluster::default_nodes(nodes.unwrap_or(2)),
        ..Config::default()
    });
    if let Err(code) = add_static_pods(&mut sim, static_pods) {
        return code;
    }
    if !apply_files(&mut sim, &texts) {
        return ExitCode::from(1);
    }
    let default = ["get pods".to_string()];
    let commands = if commands.is_empty() { &default[..] } else { commands };
    let mut code = 0;
    let mut reached_end = false;
    // One terminal for every -c line: a port-forward started in one serves curl in the next.
    let mut session = kubesim::kubectl::session::Session::new();
    // `get -w` commands keep streaming rows until the simulation ends.
    let mut watches: Vec<kubesim::kubectl::Watch> = Vec::new();
    let advance = |sim: &mut Simulation, to: u64, watches: &mut Vec<kubesim::kubectl::Watch>| {
        // Step event by event so each watch prints every change in order.
        while sim.next_event_at().is_some_and(|t| t <= to) {
            sim.step();
            for w in watches.iter_mut() {
                print!("{}", kubesim::kubectl::watch_rows(sim, w));
            }
        }
        sim.advance_to(to);
    };
    for c in commands {
        let line = match c.strip_prefix('@') {
            Some(rest) => {
                let (when, line) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                let at = match kubesim::time::parse_duration(when) {
                    Ok(t) if t >= sim.now() && !reached_end => t,
                    Ok(_) => {
                        eprintln!("error: -c {c:?}: timed commands must be in time order and before the untimed ones");
                        return ExitCode::from(2);
                    }
                    Err(e) => {
                        eprintln!("error: -c {c:?}: {e}");
                        return ExitCode::from(2);
                    }
                };
                advance(&mut sim, at, &mut watches);
                line
            }
            None => {
                if !reached_end {
                    let end = until.max(sim.now());
                    advance(&mut sim, end, &mut watches);
                    reached_end = true;
                }
                c.as_str()
            }
        };
        let out = match file_command(line) {
            // The engine does no IO: `apply -f FILE` / `create -f FILE` / `delete -f FILE` are read here.
            Some((verb, file)) => match read(&file) {
                Ok(text) if verb == "delete" => kubesim::kubectl::delete_file::delete_file(&mut sim, &text, &file),
                Ok(text) => kubesim::kubectl::apply_text(&mut sim, &text, &file, verb == "create"),
                Err(e) => kubesim::kubectl::Output { stderr: format!("{e}\n"), exit_code: 1, ..Default::default() },
            },
            None => session.run(&mut sim, line),
        };
        print!("{}", out.stdout);
        eprint!("{}", out.stderr);
        code = code.max(out.exit_code);
        if let Some(w) = out.watch {
            watches.push(w);
        }
    }
    if !watches.is_empty() && !reached_end {
        let end = until.max(sim.now());
        advance(&mut sim, end, &mut watches);
    }
    ExitCode::from(code.clamp(0, 255) as u8)
}

fn add_static_pods(sim: &mut Simulation, static_pods: &[String]) -> Result<(), ExitCode> {
    for sp in static_pods {
        let Some((node, file)) = sp.split_once('=') else {
            eprintln!("error: --static-pod {sp:?}: expected NODE=FILE");
            return Err(ExitCode::from(2));
        };
        let text = match read(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return Err(ExitCode::from(2));
            }
        };
        if let Err(e) = sim.add_static_pod(node, &text) {
            eprintln!("error: --static-pod {sp}: {e}");
            return Err(ExitCode::from(1));
        }
    }
    Ok(())
}

/// Flags given on the command line, which win over the scenario's fields.
struct Overrides {
    until: Option<u64>,
    nodes: Option<usize>,
    seed: Option<u64>,
}

/// Applies each file's manifests as `kubectl apply -f` would, printing the errors under the
/// file's name; false if any object was invalid or rejected.
fn apply_files(sim: &mut Simulation, files: &[(&str, String)]) -> bool {
    let mut ok = true;
    for (file, text) in files {
        for result in sim.apply_text(text) {
            match result {
                Applied::Invalid(e) => {
                    eprintln!("error: {file}: {e}");
                    ok = false;
                }
                Applied::Rejected(e) => {
                    eprintln!("{e}");
                    ok = false;
                }
                Applied::Created(_) | Applied::Configured(_) | Applied::Unchanged(_) => {}
            }
        }
    }
    ok
}

/// Plays a scenario: `-c` commands become kubectl steps (`@T` ones at T, the others at the end),
/// extra FILEs are applied at 0s after the scenario's manifests, and each step prints under a
/// `[TIME] header` line.
fn play(
    file: &str,
    text: &str,
    opts: &Overrides,
    static_pods: &[String],
    extra: &[(&str, String)],
    commands: &[String],
) -> ExitCode {
    let mut sc = match Scenario::from_yaml(text) {
        Ok(s) => s,
        Err(errors) => {
            for e in errors {
                match (e.line, e.column) {
                    (Some(l), Some(c)) => eprintln!("error: {file}: line {l}, column {c}: {}", e.message),
                    _ => eprintln!("error: {file}: {}", e.message),
                }
            }
            return ExitCode::from(1);
        }
    };
    if let Some(seed) = opts.seed {
        sc.seed = seed;
    }
    if let Some(n) = opts.nodes {
        if sc.nodes.is_some() {
            eprintln!("error: --nodes: {file} lists its own nodes");
            return ExitCode::from(2);
        }
        let mut list = vec![ScenarioNode { role: scenario::Role::ControlPlane, ..ScenarioNode::worker("k8s-master") }];
        list.extend((1..=n).map(|i| ScenarioNode::worker(&format!("k8s-worker{i}"))));
        sc.nodes = Some(list);
    }
    let end = opts.until.unwrap_or_else(|| sc.end());
    for c in commands {
        let (at, line) = match c.strip_prefix('@') {
            Some(rest) => {
                let (when, line) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                match kubesim::time::parse_duration(when) {
                    Ok(t) => (t, line),
                    Err(e) => {
                        eprintln!("error: -c {c:?}: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            None => (end, c.as_str()),
        };
        let action = match file_command(line) {
            Some((verb, f)) if verb == "apply" || verb == "delete" => match read(&f) {
                Ok(t) if verb == "apply" => Action::Apply(t),
                Ok(t) => Action::Delete(t),
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            },
            Some(_) => {
                eprintln!("error: -c {c:?}: with a scenario, use apply -f");
                return ExitCode::from(2);
            }
            None => Action::Kubectl(line.to_string()),
        };
        sc.push_step(Step { at, action });
    }
    if sc.steps.is_empty() {
        sc.push_step(Step { at: end, action: Action::Kubectl("get pods".into()) });
    }
    let mut run = scenario::Run::new(&sc);
    if let Err(code) = add_static_pods(run.simulation_mut(), static_pods) {
        return code;
    }
    let setup_failed = run.setup().exit_code != 0;
    eprint!("{}", run.setup().stderr.replace("error: manifests: ", &format!("error: {file}: manifests: ")));
    // Every file is applied (and its errors printed) even after a failed setup.
    if !apply_files(run.simulation_mut(), extra) || setup_failed {
        return ExitCode::from(1);
    }
    run.set_end(end);
    run.play();
    let mut code = 0;
    for o in run.outputs() {
        println!("[{}] {}", scenario::format_at(o.at), o.header);
        print!("{}", o.output.stdout);
        eprint!("{}", o.output.stderr);
        code = code.max(o.output.exit_code);
    }
    ExitCode::from(code.clamp(0, 255) as u8)
}
