//! `kubesim`: the Kube Playground engine, headless. Applies manifests to a simulated cluster, runs
//! virtual time forward and prints kubectl output, byte for byte as the page's terminal shows it.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kubesim::cluster;
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
    Run {
        /// Virtual time to simulate, Go-style: 90s, 5m, 1h30m.
        #[arg(long, default_value = "0s", value_name = "DURATION")]
        until: String,
        /// Worker nodes (k8s-worker1..N) beside the tainted control-plane node k8s-master.
        #[arg(long, default_value_t = 2, value_name = "N")]
        nodes: usize,
        /// Seed for every random choice (names, uids, tie-breaks).
        #[arg(long, default_value_t = 1)]
        seed: u64,
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
            run(&until, nodes, seed, &static_pods, &files, &commands)
        }
    }
}

/// `apply -f FILE` or `create -f FILE` (with or without `kubectl`): (is create, file).
fn file_command(line: &str) -> Option<(bool, String)> {
    let words = kubesim::kubectl::args::split_words(line).ok()?;
    let words: Vec<&str> = words.iter().map(String::as_str).skip_while(|w| *w == "kubectl").collect();
    match words.as_slice() {
        [verb @ ("apply" | "create"), "-f", file] => Some((*verb == "create", file.to_string())),
        [verb @ ("apply" | "create"), f] if f.starts_with("--filename=") || f.starts_with("-f=") => {
            Some((*verb == "create", f.split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default()))
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
    until: &str,
    nodes: usize,
    seed: u64,
    static_pods: &[String],
    files: &[String],
    commands: &[String],
) -> ExitCode {
    let until = match kubesim::time::parse_duration(until) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: --until: {e}");
            return ExitCode::from(2);
        }
    };
    if nodes > 5_000 {
        eprintln!("error: --nodes: at most 5000 worker nodes");
        return ExitCode::from(2);
    }
    let mut sim = Simulation::new(Config { seed, nodes: cluster::default_nodes(nodes), ..Config::default() });
    for sp in static_pods {
        let Some((node, file)) = sp.split_once('=') else {
            eprintln!("error: --static-pod {sp:?}: expected NODE=FILE");
            return ExitCode::from(2);
        };
        let text = match read(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = sim.add_static_pod(node, &text) {
            eprintln!("error: --static-pod {sp}: {e}");
            return ExitCode::from(1);
        }
    }
    let mut failed = false;
    for file in files {
        let text = match read(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        for result in sim.apply_text(&text) {
            match result {
                Applied::Invalid(e) => {
                    eprintln!("error: {file}: {e}");
                    failed = true;
                }
                Applied::Rejected(e) => {
                    eprintln!("{e}");
                    failed = true;
                }
                Applied::Created(_) | Applied::Configured(_) | Applied::Unchanged(_) => {}
            }
        }
    }
    if failed {
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
            // The engine does no IO: `apply -f FILE` / `create -f FILE` are read here.
            Some((create, file)) => match read(&file) {
                Ok(text) => kubesim::kubectl::apply_text(&mut sim, &text, &file, create),
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
