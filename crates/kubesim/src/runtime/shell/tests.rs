//! Tests of the shell interpreter, with a fake [`Host`].

use std::collections::BTreeMap;

use super::*;

#[derive(Default)]
struct FakeHost {
    dns: BTreeMap<String, String>,
    /// `"ip:port/path"` → response
    http: BTreeMap<String, Result<(u16, String), String>>,
    programs: BTreeMap<String, External>,
    /// The first `fail_lookups` lookups answer NXDOMAIN.
    fail_lookups: usize,
    lookups: Vec<String>,
    externals: Vec<Vec<String>>,
}

impl Host for FakeHost {
    fn lookup(&mut self, name: &str) -> Option<String> {
        self.lookups.push(name.to_string());
        if self.lookups.len() <= self.fail_lookups {
            return None;
        }
        self.dns.get(name).cloned()
    }

    fn http_get(&mut self, host: &str, port: u16, path: &str) -> Result<(u16, String), String> {
        self.http.get(&format!("{host}:{port}{path}")).cloned().unwrap_or_else(|| Err("Connection refused".into()))
    }

    fn external(&mut self, argv: &[String]) -> External {
        self.externals.push(argv.to_vec());
        let name = argv.first().map(String::as_str).unwrap_or("");
        self.programs.get(name).cloned().unwrap_or(External::NotFound)
    }
}

fn sv(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn sh(script: &str) -> Vec<String> {
    sv(&["sh", "-c", script])
}

fn env() -> BTreeMap<String, String> {
    let mut e = BTreeMap::new();
    e.insert("HOSTNAME".to_string(), "mypod".to_string());
    e.insert("GREETING".to_string(), "hello world".to_string());
    e
}

/// The result of running a process until it exits, blocks for good, or `until` passes.
struct Run {
    out: Vec<(Stream, String)>,
    polls: Vec<(Millis, Poll)>,
    fs: Fs,
    host: FakeHost,
    proc: Process,
}

impl Run {
    fn stdout(&self) -> Vec<String> {
        self.out.iter().filter(|(s, _)| *s == Stream::Stdout).map(|(_, l)| l.clone()).collect()
    }

    fn stderr(&self) -> Vec<String> {
        self.out.iter().filter(|(s, _)| *s == Stream::Stderr).map(|(_, l)| l.clone()).collect()
    }

    fn last(&self) -> Poll {
        self.polls.last().map(|(_, p)| p.clone()).unwrap_or(Poll::Forever)
    }

    fn sleeps(&self) -> Vec<Millis> {
        self.polls
            .iter()
            .filter_map(|(_, p)| match p {
                Poll::Sleep(ms) => Some(*ms),
                _ => None,
            })
            .collect()
    }
}

fn run_full(argv: Vec<String>, fs: Fs, host: FakeHost, until: Millis) -> Run {
    let mut r = Run { out: Vec::new(), polls: Vec::new(), fs, host, proc: Process::spawn(&argv, &env()) };
    let mut t = 0;
    for _ in 0..100_000 {
        let p = r.proc.poll(t, &mut r.fs, &mut r.host, &mut r.out);
        r.polls.push((t, p.clone()));
        match p {
            Poll::Sleep(ms) => {
                t += ms;
                if t > until {
                    break;
                }
            }
            _ => break,
        }
    }
    r
}

fn run(script: &str) -> Run {
    run_full(sh(script), Fs::default(), FakeHost::default(), 10_000_000)
}

fn out_of(script: &str) -> Vec<String> {
    run(script).stdout()
}

fn status_of(script: &str) -> Poll {
    run(script).last()
}

fn exec_simple(argv: &[&str], fs: &mut Fs) -> ExecResult {
    exec(&sv(argv), &env(), fs, &mut FakeHost::default(), 1_000)
}

// ---------------------------------------------------------------- official examples

#[test]
fn liveness_example_from_the_docs() {
    let argv = sv(&["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]);
    let mut p = Process::spawn(&argv, &env());
    let mut fs = Fs::default();
    let mut host = FakeHost::default();
    let mut out = Vec::new();
    assert_eq!(p.poll(0, &mut fs, &mut host, &mut out), Poll::Sleep(30_000));
    assert!(fs.files.contains_key("/tmp/healthy"));

    let probe = exec(&sv(&["cat", "/tmp/healthy"]), &env(), &mut fs, &mut host, 1_000);
    assert_eq!(probe.status, 0);
    assert!(!probe.timed_out);

    assert_eq!(p.poll(30_000, &mut fs, &mut host, &mut out), Poll::Sleep(600_000));
    assert!(!fs.files.contains_key("/tmp/healthy"));
    let probe = exec(&sv(&["cat", "/tmp/healthy"]), &env(), &mut fs, &mut host, 1_000);
    assert_eq!(probe.status, 1);
    assert_eq!(probe.stderr, "cat: can't open '/tmp/healthy': No such file or directory\n");
    assert_eq!(probe.stdout, "");

    assert_eq!(p.poll(630_000, &mut fs, &mut host, &mut out), Poll::Exit(0));
    assert_eq!(p.poll(630_001, &mut fs, &mut host, &mut out), Poll::Exit(0));
    assert!(out.is_empty());
}

#[test]
fn init_container_waits_for_the_service() {
    let script = "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done";
    let mut fs = Fs::default();
    fs.files.insert("/var/run/secrets/kubernetes.io/serviceaccount/namespace".into(), "default".into());
    let mut host = FakeHost { fail_lookups: 3, ..Default::default() };
    host.dns.insert("myservice.default.svc.cluster.local".into(), "10.96.1.7".into());
    let r = run_full(sh(script), fs, host, 1_000_000);
    assert_eq!(r.sleeps(), vec![2_000, 2_000, 2_000]);
    assert_eq!(r.last(), Poll::Exit(0));
    assert_eq!(r.host.lookups, vec!["myservice.default.svc.cluster.local"; 4]);
    let out = r.stdout();
    let fail_block = [
        "Server:\t\t10.96.0.10",
        "Address:\t10.96.0.10:53",
        "",
        "** server can't find myservice.default.svc.cluster.local: NXDOMAIN",
        "",
        "waiting for myservice",
    ];
    assert_eq!(&out[..6], &fail_block);
    assert_eq!(&out[6..12], &fail_block);
    assert_eq!(
        &out[18..],
        &[
            "Server:\t\t10.96.0.10",
            "Address:\t10.96.0.10:53",
            "",
            "Name:\tmyservice.default.svc.cluster.local",
            "Address: 10.96.1.7",
            "",
        ]
    );
}

#[test]
fn seed_examples() {
    let r = run_full(sh("echo The app is running! && sleep 3600"), Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["The app is running!"]);
    assert_eq!(r.last(), Poll::Sleep(3_600_000));

    let r = run("sleep 2; echo helloworld01;");
    assert_eq!(r.sleeps(), vec![2_000]);
    assert_eq!(r.stdout(), vec!["helloworld01"]);
    assert_eq!(r.last(), Poll::Exit(0));

    let mut fs = Fs::default();
    fs.dirs.insert("/html".into());
    let r = run_full(
        sh("while true; do echo \"$(date) hello\" >> /html/index.html; sleep 10; done"),
        fs,
        FakeHost::default(),
        25_000,
    );
    assert_eq!(r.sleeps(), vec![10_000, 10_000, 10_000]);
    assert_eq!(
        r.fs.files["/html/index.html"],
        "Thu Jan  1 00:00:00 UTC 2026 hello\nThu Jan  1 00:00:10 UTC 2026 hello\nThu Jan  1 00:00:20 UTC 2026 hello\n"
    );

    assert_eq!(out_of("for i in 1 2 3; do echo $i; done"), vec!["1", "2", "3"]);
    assert_eq!(out_of("echo $(( 1 + 2 ))"), vec!["3"]);
    assert_eq!(status_of("exit 1"), Poll::Exit(1));
}

#[test]
fn plain_argv_runs_as_one_command() {
    let r = run_full(sv(&["sleep", "3600"]), Fs::default(), FakeHost::default(), 10_000_000);
    assert_eq!(r.polls, vec![(0, Poll::Sleep(3_600_000)), (3_600_000, Poll::Exit(0))]);

    let r = run_full(sv(&["echo", "hello", "$HOME", "*"]), Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["hello $HOME *"]);
    assert_eq!(r.last(), Poll::Exit(0));

    let r = run_full(sv(&["/bin/echo", "hi"]), Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["hi"]);

    let r = run_full(sv(&["bash", "-c", "echo $0 $1 $2", "name", "a", "b"]), Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["name a b"]);

    let r = run_full(sv(&["/bin/bash", "-ec", "false; echo not reached"]), Fs::default(), FakeHost::default(), 0);
    assert!(r.stdout().is_empty());
    assert_eq!(r.last(), Poll::Exit(1));

    let r = run_full(sv(&["/bin/ash", "-c", "exit 7"]), Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.last(), Poll::Exit(7));

    let r = run_full(sv(&[]), Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.last(), Poll::Exit(0));
}

#[test]
fn external_programs_go_to_the_host() {
    let mut host = FakeHost::default();
    host.programs.insert("nginx".into(), External::Serve { ports: vec![80] });
    host.programs
        .insert("mytool".into(), External::Done { status: 3, stdout: "out\n".into(), stderr: "warn\n".into() });
    let r = run_full(sv(&["nginx", "-g", "daemon off;"]), Fs::default(), host, 0);
    assert_eq!(r.last(), Poll::Serve(vec![80]));
    assert_eq!(r.host.externals, vec![sv(&["nginx", "-g", "daemon off;"])]);
    assert_eq!(r.proc.listening_ports(), vec![80]);

    let mut host = FakeHost::default();
    host.programs
        .insert("mytool".into(), External::Done { status: 3, stdout: "out\n".into(), stderr: "warn\n".into() });
    let r = run_full(sh("mytool x; echo $?"), Fs::default(), host, 0);
    assert_eq!(r.stdout(), vec!["out", "3"]);
    assert_eq!(r.stderr(), vec!["warn"]);

    let r = run("nosuchthing arg; echo $?");
    assert_eq!(r.stderr(), vec!["sh: nosuchthing: not found"]);
    assert_eq!(r.stdout(), vec!["127"]);

    let mut host = FakeHost::default();
    host.programs.insert("nginx".into(), External::Serve { ports: vec![80, 443] });
    let r = run_full(sh("echo starting; exec nginx"), Fs::default(), host, 0);
    assert_eq!(r.stdout(), vec!["starting"]);
    assert_eq!(r.last(), Poll::Serve(vec![80, 443]));
    // Later polls keep answering the same.
    let mut r = r;
    assert_eq!(r.proc.poll(99, &mut r.fs, &mut r.host, &mut r.out), Poll::Serve(vec![80, 443]));
}

// ---------------------------------------------------------------- syntax and expansion

#[test]
fn quoting_and_expansion() {
    assert_eq!(out_of("echo 'a  b' \"c  d\" e\\ f"), vec!["a  b c  d e f"]);
    assert_eq!(out_of("x=1; echo \"$x\" '$x' \\$x ${x}y"), vec!["1 $x $x 1y"]);
    assert_eq!(out_of("echo $HOSTNAME"), vec!["mypod"]);
    assert_eq!(out_of("echo \"$GREETING\"; echo $GREETING"), vec!["hello world", "hello world"]);
    assert_eq!(out_of("false; echo $?; true; echo $?"), vec!["1", "0"]);
    assert_eq!(out_of("echo $$"), vec!["1"]);
    assert_eq!(out_of("echo \"a\\\"b\" 'it'\\''s'"), vec!["a\"b it's"]);
    assert_eq!(out_of("echo ${UNSET:-default} ${GREETING:+set} ${#GREETING}"), vec!["default set 11"]);
    assert_eq!(
        out_of("f=archive.tar.gz; echo ${f%.gz} ${f%%.*} ${f#*.} ${f##*.}"),
        vec!["archive.tar archive tar.gz gz"]
    );
    assert_eq!(out_of("v=aXbXc; echo ${v/X/-} ${v//X/-}"), vec!["a-bXc a-b-c"]);
    assert_eq!(out_of("echo ${y:=assigned}; echo $y"), vec!["assigned", "assigned"]);
    assert_eq!(out_of("s=abcdef; echo ${s:2} ${s:1:3}"), vec!["cdef bcd"]);
    assert_eq!(out_of("echo ~ ~/x"), vec!["/root /root/x"]);
    assert_eq!(
        out_of("set -- a 'b c' d; for x in \"$@\"; do echo \"[$x]\"; done; echo $#"),
        vec!["[a]", "[b c]", "[d]", "3"]
    );
    assert_eq!(out_of("v='1 2  3'; for x in $v; do echo $x; done"), vec!["1", "2", "3"]);
    assert_eq!(out_of("e=''; for x in $e \"$e\"; do echo \"<$x>\"; done"), vec!["<>"]);
    assert_eq!(out_of("echo a#b # comment\n# whole line\necho c"), vec!["a#b", "c"]);
    assert_eq!(out_of("echo one \\\n two"), vec!["one two"]);
    assert_eq!(out_of("IFS=:; v=a:b:c; for x in $v; do echo $x; done"), vec!["a", "b", "c"]);
}

#[test]
fn arithmetic() {
    assert_eq!(out_of("echo $((2 + 3 * 4)) $(( (2+3)*4 )) $((7/2)) $((7%3)) $((-5 + 2))"), vec!["14 20 3 1 -3"]);
    assert_eq!(out_of("i=5; echo $((i * 2)) $(($i + 1)); i=$((i+1)); echo $i"), vec!["10 6", "6"]);
    assert_eq!(out_of("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i"), vec!["3"]);
    assert_eq!(
        out_of("echo $((1<2)) $((3==4)) $((1 && 0)) $((0 || 2)) $((5>3?10:20)) $((0x10)) $((010))"),
        vec!["1 0 0 1 10 16 8"]
    );
    assert_eq!(out_of("i=1; : $((i+=4)); echo $i $((i++)) $i"), vec!["5 5 6"]);
    let r = run("echo $((1/0)); echo after");
    assert_eq!(r.stderr(), vec!["sh: divide by zero"]);
    assert_eq!(r.last(), Poll::Exit(2));
    let r = run("echo $((1 +)); echo after");
    assert_eq!(r.stderr(), vec!["sh: arithmetic syntax error"]);
    assert_eq!(r.last(), Poll::Exit(2));
}

#[test]
fn command_substitution() {
    assert_eq!(out_of("x=$(echo hi); echo \"[$x]\""), vec!["[hi]"]);
    assert_eq!(out_of("echo `echo back` $(echo $(echo nested))"), vec!["back nested"]);
    assert_eq!(out_of("x=$(printf 'a\\n\\n\\n'); echo \"[$x]\""), vec!["[a]"]);
    assert_eq!(out_of("x=$(false); echo $?"), vec!["1"]);
    assert_eq!(out_of("x=$(exit 3); echo $?; echo still"), vec!["3", "still"]);
    assert_eq!(out_of("v=outer; x=$(v=inner; echo $v); echo $v $x"), vec!["outer inner"]);
    // A sleep inside a substitution suspends the process too.
    let r = run("x=$(sleep 5; echo late); echo $x");
    assert_eq!(r.sleeps(), vec![5_000]);
    assert_eq!(r.stdout(), vec!["late"]);
}

#[test]
fn control_flow() {
    assert_eq!(out_of("if true; then echo a; elif true; then echo b; else echo c; fi"), vec!["a"]);
    assert_eq!(out_of("if false; then echo a; elif true; then echo b; else echo c; fi"), vec!["b"]);
    assert_eq!(out_of("if false; then echo a; elif false; then echo b; else echo c; fi"), vec!["c"]);
    assert_eq!(out_of("if false; then echo a; fi; echo $?"), vec!["0"]);
    assert_eq!(out_of("n=0; until [ $n -ge 2 ]; do echo $n; n=$((n+1)); done"), vec!["0", "1"]);
    assert_eq!(
        out_of("for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done"),
        vec!["1", "3"]
    );
    assert_eq!(
        out_of("for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done"),
        vec!["a1", "b1"]
    );
    assert_eq!(out_of("while true; do while true; do break 2; done; done; echo out"), vec!["out"]);
    assert_eq!(out_of("true && echo yes || echo no; false && echo yes || echo no"), vec!["yes", "no"]);
    assert_eq!(out_of("! false && echo negated; ! true; echo $?"), vec!["negated", "1"]);
    assert_eq!(out_of("{ echo a; echo b; }; (echo c; exit 4); echo $?"), vec!["a", "b", "c", "4"]);
    assert_eq!(out_of("x=1; (x=2; echo $x); echo $x; { x=3; }; echo $x"), vec!["2", "1", "3"]);
    assert_eq!(out_of("case abc in a*) echo star;; *) echo other;; esac"), vec!["star"]);
    assert_eq!(out_of("case x in a|b) echo ab;; x|y) echo xy;; esac"), vec!["xy"]);
    assert_eq!(out_of("case '*' in \\*) echo literal;; esac; case foo in (f??) echo q;; esac"), vec!["literal", "q"]);
    assert_eq!(out_of("greet() { echo \"hi $1\"; return 3; }; greet bob; echo $?"), vec!["hi bob", "3"]);
    assert_eq!(out_of("f() { local v=in; echo $v; }; v=out; f; echo $v"), vec!["in", "out"]);
    assert_eq!(out_of("function g { echo bash-style; }; g"), vec!["bash-style"]);
    assert_eq!(
        out_of("fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 5"),
        vec!["120"]
    );
    assert_eq!(out_of("for x; do echo $x; done; echo none"), vec!["none"]);
    assert_eq!(out_of("for i in 1 2\ndo\n  echo $i\ndone"), vec!["1", "2"]);
    assert_eq!(out_of("eval 'echo evaluated; x=5'; echo $x"), vec!["evaluated", "5"]);
    assert_eq!(out_of("[[ abc == a* ]] && echo glob; [[ 1 -lt 2 && 3 -gt 2 ]] && echo both"), vec!["glob", "both"]);
}

#[test]
fn bash_brace_expansion() {
    let r = run_full(
        sv(&["bash", "-c", "for i in {1..3}; do echo $i; done; echo f{a,b}.txt {c..a} {1..7..3} '{1,2}' {x}"]),
        Fs::default(),
        FakeHost::default(),
        0,
    );
    assert_eq!(r.stdout(), vec!["1", "2", "3", "fa.txt fb.txt c b a 1 4 7 {1,2} {x}"]);
    // busybox sh has no brace expansion
    assert_eq!(out_of("echo {1..3}"), vec!["{1..3}"]);
}

#[test]
fn exec_replaces_the_shell() {
    let r = run("exec echo replaced; echo never");
    assert_eq!(r.stdout(), vec!["replaced"]);
    assert_eq!(r.last(), Poll::Exit(0));
    let r = run("exec sleep 5; echo never");
    assert_eq!(r.polls, vec![(0, Poll::Sleep(5_000)), (5_000, Poll::Exit(0))]);
    assert!(r.stdout().is_empty());
    let r = run("exec >/tmp/log; echo to-file; echo err >&2");
    assert!(r.stdout().is_empty());
    assert_eq!(r.stderr(), vec!["err"]);
    assert_eq!(r.fs.files["/tmp/log"], "to-file\n");
}

#[test]
fn set_e_x_u_and_pipefail() {
    let r = run("set -e; echo a; false; echo b");
    assert_eq!(r.stdout(), vec!["a"]);
    assert_eq!(r.last(), Poll::Exit(1));
    let r = run("set -e; if false; then :; fi; false || true; false && true; ! true; echo survived");
    assert_eq!(r.stdout(), vec!["survived"]);
    let r = run("set -x; echo 'a b' c");
    assert_eq!(r.stderr(), vec!["+ echo 'a b' c"]);
    let r = run("set -u; echo $NOPE; echo after");
    assert_eq!(r.stderr(), vec!["sh: NOPE: parameter not set"]);
    assert_eq!(r.last(), Poll::Exit(2));
    assert_eq!(out_of("false | true; echo $?; set -o pipefail; false | true; echo $?"), vec!["0", "1"]);
}

// ---------------------------------------------------------------- redirections and pipelines

#[test]
fn redirections() {
    let r = run("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cat < /tmp/f");
    assert_eq!(r.stdout(), vec!["one", "two", "one", "two"]);
    let r = run("ls /nope 2>&1; ls /nope 2>/dev/null; echo x > /dev/null; echo y >&2");
    assert_eq!(r.stdout(), vec!["ls: /nope: No such file or directory"]);
    assert_eq!(r.stderr(), vec!["y"]);
    let r = run("{ echo out; echo err >&2; } > /tmp/both 2>&1; cat /tmp/both");
    assert_eq!(r.stdout(), vec!["out", "err"]);
    let r = run("cat /nope 2>&1 >/dev/null");
    assert_eq!(r.stdout(), vec!["cat: can't open '/nope': No such file or directory"]);
    let r = run("echo hi > /nodir/f; echo $?; cat < /nofile; echo $?");
    assert_eq!(
        r.stderr(),
        vec!["sh: can't create /nodir/f: nonexistent directory", "sh: can't open /nofile: no such file"]
    );
    assert_eq!(r.stdout(), vec!["1", "1"]);
    let r = run("for i in 1 2; do echo $i; done > /tmp/loop; cat /tmp/loop");
    assert_eq!(r.stdout(), vec!["1", "2"]);
    let r = run(
        "cat <<EOF\nhello $HOSTNAME\n  $((1+1))\nEOF\ncat <<'RAW'\n$HOSTNAME\nRAW\ncat <<-T\n\tindented\n\tT\necho end",
    );
    assert_eq!(r.stdout(), vec!["hello mypod", "  2", "$HOSTNAME", "indented", "end"]);
    let r = run("while read line; do echo \"got $line\"; done < /etc/lines");
    assert!(r.stdout().is_empty());
    let mut fs = Fs::default();
    fs.files.insert("/etc/lines".into(), "a\nb c\n".into());
    let r = run_full(sh("while read x y; do echo \"[$x|$y]\"; done < /etc/lines"), fs, FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["[a|]", "[b|c]"]);
    let r = run("echo partial >/proc/1/fd/1");
    assert_eq!(r.stdout(), vec!["partial"]);
}

#[test]
fn pipelines() {
    assert_eq!(out_of("echo x | cat"), vec!["x"]);
    assert_eq!(out_of("printf 'a\\nb\\nab\\n' | grep a"), vec!["a", "ab"]);
    assert_eq!(out_of("printf 'a\\nb\\n' | grep -v a | wc -l"), vec!["1"]);
    let r = run("echo logged | tee /tmp/t; cat /tmp/t; echo more | tee -a /tmp/t >/dev/null; cat /tmp/t");
    assert_eq!(r.stdout(), vec!["logged", "logged", "logged", "more"]);
    assert_eq!(out_of("printf '3\\n1\\n2\\n' | sort | head -n 2"), vec!["1", "2"]);
    assert_eq!(out_of("echo a b c | while read x rest; do echo $x; echo $rest; done"), vec!["a", "b c"]);
    assert_eq!(out_of("x=outer; echo inner | read x; echo $x"), vec!["outer"]);
    assert_eq!(out_of("echo hello | grep -q ell && echo found"), vec!["found"]);
    assert_eq!(out_of("ls /nope 2>&1 | grep -c such"), vec!["1"]);
    assert_eq!(out_of("seq 1 5 | tail -n 2"), vec!["4", "5"]);
    assert_eq!(out_of("echo 'a,b,c' | cut -d, -f2; echo hello | tr a-z A-Z"), vec!["b", "HELLO"]);
    assert_eq!(out_of("printf 'a\\na\\nb\\n' | uniq -c"), vec!["      2 a", "      1 b"]);
    assert_eq!(
        out_of("echo 'hello world' | sed 's/world/there/'; echo aaa | sed 's/a/b/g'"),
        vec!["hello there", "bbb"]
    );
}

// ---------------------------------------------------------------- builtins

#[test]
fn echo_and_printf() {
    let r = run("echo -n a; echo b; echo -e 'x\\ty\\n'; echo -e 'stop\\cnot'; echo; echo -n");
    assert_eq!(r.stdout(), vec!["ab", "x\ty", "", "stop"]);
    assert_eq!(
        out_of("printf '%s-%d\\n' a 5 b 6; printf '%5s|%-3s|%03d\\n' x y 7; printf '%%\\n'"),
        vec!["a-5", "b-6", "    x|y  |007", "%"]
    );
    assert_eq!(out_of("printf 'no newline'; echo; printf '%s\\n'"), vec!["no newline", ""]);
    let r = run("printf '%d\\n' abc");
    assert_eq!(r.stdout(), vec!["0"]);
    assert_eq!(r.stderr(), vec!["printf: invalid number 'abc'"]);
    // A partial last line is emitted at exit.
    let r = run("printf tail");
    assert_eq!(r.stdout(), vec!["tail"]);
}

#[test]
fn sleep_variants() {
    assert_eq!(run("sleep 1.5").sleeps(), vec![1_500]);
    assert_eq!(run("sleep 2m").sleeps(), vec![120_000]);
    assert_eq!(run("sleep 1h").sleeps(), vec![3_600_000]);
    assert_eq!(run("sleep 1d").sleeps(), vec![86_400_000]);
    assert_eq!(run("sleep .25").sleeps(), vec![250]);
    assert_eq!(run("sleep 1 2").sleeps(), vec![3_000]);
    assert_eq!(run("sleep 0; echo immediate").sleeps(), Vec::<Millis>::new());
    assert_eq!(status_of("sleep infinity"), Poll::Forever);
    assert_eq!(status_of("tail -f /dev/null"), Poll::Forever);
    let r = run("sleep abc; echo $?");
    assert_eq!(r.stderr(), vec!["sleep: invalid number 'abc'"]);
    assert_eq!(r.stdout(), vec!["1"]);
}

#[test]
fn resumes_exactly_after_each_sleep() {
    let argv = sh(
        "echo a; sleep 1; echo b; for i in 1 2; do sleep 2; echo i$i; done; x=$(sleep 3; echo sub); echo $x; exit 5",
    );
    let mut p = Process::spawn(&argv, &env());
    let (mut fs, mut host) = (Fs::default(), FakeHost::default());
    let mut out = Vec::new();
    let mut step = |t: Millis, expect: Poll, lines: &[&str]| {
        out.clear();
        assert_eq!(p.poll(t, &mut fs, &mut host, &mut out), expect, "at {t}");
        let got: Vec<&str> = out.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(got, lines, "at {t}");
    };
    step(0, Poll::Sleep(1_000), &["a"]);
    step(1_000, Poll::Sleep(2_000), &["b"]);
    step(3_000, Poll::Sleep(2_000), &["i1"]);
    step(5_000, Poll::Sleep(3_000), &["i2"]);
    step(8_000, Poll::Exit(5), &["sub"]);
}

#[test]
fn polling_early_or_late_is_harmless() {
    let argv = sh("sleep 10; echo done");
    let mut p = Process::spawn(&argv, &env());
    let (mut fs, mut host) = (Fs::default(), FakeHost::default());
    let mut out = Vec::new();
    assert_eq!(p.poll(0, &mut fs, &mut host, &mut out), Poll::Sleep(10_000));
    assert_eq!(p.poll(4_000, &mut fs, &mut host, &mut out), Poll::Sleep(6_000));
    assert!(out.is_empty());
    assert_eq!(p.poll(50_000, &mut fs, &mut host, &mut out), Poll::Exit(0));
    assert_eq!(out, vec![(Stream::Stdout, "done".to_string())]);
}

#[test]
fn files_and_directories() {
    let r = run("mkdir /data; touch /data/a; echo hi > /data/b; ls /data; ls /nope; echo $?");
    assert_eq!(r.stdout(), vec!["a", "b", "1"]);
    assert_eq!(r.stderr(), vec!["ls: /nope: No such file or directory"]);
    let r = run("mkdir /x/y; echo $?; mkdir -p /x/y/z; ls /x/y; mkdir /x; echo $?");
    assert_eq!(
        r.stderr(),
        vec![
            "mkdir: can't create directory '/x/y': No such file or directory",
            "mkdir: can't create directory '/x': File exists"
        ]
    );
    assert_eq!(r.stdout(), vec!["1", "z", "1"]);
    let r =
        run("rm /tmp/nope; echo $?; rm -f /tmp/nope; echo $?; mkdir -p /d/e; touch /d/e/f; rm /d; rm -rf /d; ls /d");
    assert_eq!(
        r.stderr(),
        vec![
            "rm: can't remove '/tmp/nope': No such file or directory",
            "rm: '/d' is a directory",
            "ls: /d: No such file or directory"
        ]
    );
    assert_eq!(r.stdout(), vec!["1", "0"]);
    let r = run("cd /tmp && pwd && touch rel && ls /tmp; cd /nope; echo $?; cd; pwd");
    assert_eq!(r.stdout(), vec!["/tmp", "rel", "2", "/root"]);
    assert_eq!(r.stderr(), vec!["sh: cd: can't cd to /nope: No such file or directory"]);
    let r = run("echo a > /tmp/a; cp /tmp/a /tmp/b; mv /tmp/b /tmp/c; cat /tmp/c; ls /tmp");
    assert_eq!(r.stdout(), vec!["a", "a", "c"]);
    let r = run("touch /tmp/x.log /tmp/y.log /tmp/z.txt; echo /tmp/*.log; for f in /tmp/*.txt; do echo $f; done; echo /tmp/*.none");
    assert_eq!(r.stdout(), vec!["/tmp/x.log /tmp/y.log", "/tmp/z.txt", "/tmp/*.none"]);
    let r = run("cat /tmp; echo $?; touch /nodir/x; echo $?");
    assert_eq!(r.stderr(), vec!["cat: read error: Is a directory", "touch: /nodir/x: No such file or directory"]);
    assert_eq!(r.stdout(), vec!["1", "1"]);
}

#[test]
fn test_builtin() {
    let script = "touch /tmp/f; mkdir -p /tmp/d
t() { if \"$@\"; then echo y; else echo n; fi; }
t [ -f /tmp/f ]; t [ -f /tmp/d ]; t [ -d /tmp/d ]; t [ -e /nope ]
t [ -z '' ]; t [ -n '' ]; t [ a = a ]; t [ a != a ]
t [ 1 -eq 1 ]; t [ 2 -ne 2 ]; t [ 1 -lt 2 ]; t [ 2 -le 1 ]; t [ 3 -gt 2 ]; t [ 3 -ge 4 ]
t [ ! -f /nope ]; t test -f /tmp/f -a -d /tmp/d; t [ -f /nope -o 1 = 1 ]; t [ ]; t [ x ]
t [ \\( 1 = 1 \\) ]";
    assert_eq!(
        out_of(script),
        vec!["y", "n", "y", "n", "y", "n", "y", "n", "y", "n", "y", "n", "y", "n", "y", "y", "y", "n", "y", "y"]
    );
    let r = run("[ 1 = 1; echo $?; [ abc -eq 1 ]; echo $?");
    assert_eq!(r.stderr(), vec!["sh: missing ]", "sh: abc: bad number"]);
    assert_eq!(r.stdout(), vec!["2", "2"]);
}

#[test]
fn env_hostname_date() {
    let r = run("printenv HOSTNAME; env | grep GREETING; X=1 printenv X; printenv X; echo $?; hostname");
    assert_eq!(r.stdout(), vec!["mypod", "GREETING=hello world", "1", "1", "mypod"]);
    let r = run("export NEW=v; env | grep NEW; LOCAL=l; env | grep -c LOCAL");
    assert_eq!(r.stdout(), vec!["NEW=v", "0"]);
    let r = run("env");
    assert_eq!(
        r.stdout(),
        vec![
            "GREETING=hello world",
            "HOME=/root",
            "HOSTNAME=mypod",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "PWD=/",
            "SHLVL=1"
        ]
    );
    let r = run_full(sv(&["env"]), Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.stdout().len(), 4);
    assert_eq!(out_of("sh -c 'echo $SHLVL'"), vec!["2"]);
    // 2026-01-01 is a Thursday; 2026-03-01 a Sunday.
    let mut p = Process::spawn(&sh("date; date +%Y-%m-%dT%H:%M:%S; date -u +%s; date +%A"), &env());
    let mut out = Vec::new();
    let t = (31 + 28) * 86_400_000 + 3_723_000;
    assert_eq!(p.poll(t, &mut Fs::default(), &mut FakeHost::default(), &mut out), Poll::Exit(0));
    let lines: Vec<&str> = out.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(lines, vec!["Sun Mar  1 01:02:03 UTC 2026", "2026-03-01T01:02:03", "1772326923", "Sunday"]);
    assert_eq!(out_of("date"), vec!["Thu Jan  1 00:00:00 UTC 2026"]);
}

#[test]
fn grep_wc_head_tail() {
    let mut fs = Fs::default();
    fs.files.insert("/etc/conf".into(), "alpha=1\nbeta=2\nAlpha=3\ngamma=4\n".into());
    let r = run_full(
        sh("grep alpha /etc/conf; grep -i alpha /etc/conf | wc -l; grep -v a /etc/conf; echo $?; grep -n '^b' /etc/conf; grep -E 'beta|gamma' /etc/conf; grep -c '=[0-9]$' /etc/conf; grep zzz /etc/conf; echo $?; grep x /nope; echo $?"),
        fs.clone(),
        FakeHost::default(),
        0,
    );
    assert_eq!(r.stdout(), vec!["alpha=1", "2", "1", "2:beta=2", "beta=2", "gamma=4", "4", "1", "2"]);
    assert_eq!(r.stderr(), vec!["grep: /nope: No such file or directory"]);
    let r = run_full(sh("wc -l /etc/conf; wc -l < /etc/conf; head -n 1 /etc/conf; head -2 /etc/conf; tail -n 1 /etc/conf; tail -n +4 /etc/conf"), fs, FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["4 /etc/conf", "4", "alpha=1", "alpha=1", "beta=2", "gamma=4", "gamma=4"]);
}

#[test]
fn tail_follow_prints_appended_lines() {
    let mut fs = Fs::default();
    fs.files.insert("/var/log/app.log".into(), "old\n".into());
    let mut p = Process::spawn(&sh("tail -n+1 -F /var/log/app.log"), &env());
    let mut host = FakeHost::default();
    let mut out = Vec::new();
    assert_eq!(p.poll(0, &mut fs, &mut host, &mut out), Poll::Sleep(1_000));
    if let Some(f) = fs.files.get_mut("/var/log/app.log") {
        f.push_str("new 1\nnew 2\n");
    }
    assert_eq!(p.poll(1_000, &mut fs, &mut host, &mut out), Poll::Sleep(1_000));
    let lines: Vec<&str> = out.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(lines, vec!["old", "new 1", "new 2"]);
}

#[test]
fn networking() {
    let mut host = FakeHost::default();
    host.dns.insert("web".into(), "10.96.5.5".into());
    host.http.insert("10.96.5.5:80/".into(), Ok((200, "<h1>hi</h1>\n".into())));
    host.http.insert("10.96.5.5:80/missing".into(), Ok((404, "nope".into())));
    host.http.insert("10.244.1.9:8080/healthz".into(), Ok((200, "ok".into())));
    let r = run_full(
        sh("wget -qO- http://web; wget -q -O- web/missing; echo $?; wget -q -O- http://nohost; echo $?; wget -q -O- 10.96.9.9; echo $?; curl -s 10.244.1.9:8080/healthz; echo; curl -s -o /dev/null -w '%{http_code}' web/missing; echo; curl -sf web/missing; echo $?; curl nohost; echo $?; wget --spider -q web && echo exists"),
        Fs::default(),
        host,
        0,
    );
    assert_eq!(r.stdout(), vec!["<h1>hi</h1>", "1", "1", "1", "ok", "404", "22", "6", "exists"]);
    assert_eq!(
        r.stderr(),
        vec![
            "wget: server returned error: HTTP/1.1 404 Not Found",
            "wget: bad address 'nohost'",
            "wget: can't connect to remote host (10.96.9.9): Connection refused",
            "curl: (6) Could not resolve host: nohost",
        ]
    );
    let mut host = FakeHost::default();
    host.dns.insert("web".into(), "10.96.5.5".into());
    host.http.insert("10.96.5.5:80/".into(), Ok((200, "page".into())));
    let r = run_full(sh("cd /tmp; wget web; cat index.html; echo; wget web; echo $?"), Fs::default(), host, 0);
    assert_eq!(r.stdout(), vec!["page", "1"]);
    assert_eq!(
        r.stderr(),
        vec![
            "Connecting to web (10.96.5.5:80)",
            "saving to 'index.html'",
            "index.html           100% |********************************|     4  0:00:00 ETA",
            "'index.html' saved",
            "Connecting to web (10.96.5.5:80)",
            "wget: can't open 'index.html': File exists",
        ]
    );
}

#[test]
fn stress_holds_memory() {
    let argv = sv(&["stress", "--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]);
    let r = run_full(argv, Fs::default(), FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd"]);
    assert_eq!(r.last(), Poll::Forever);
    assert_eq!(r.proc.memory_bytes(), limits::BASELINE_MEMORY + 150 * 1024 * 1024);

    let r = run_full(
        sh("stress --vm 2 --vm-bytes 64M --timeout 10s; echo done"),
        Fs::default(),
        FakeHost::default(),
        100_000,
    );
    assert_eq!(r.sleeps(), vec![10_000]);
    assert_eq!(
        r.stdout(),
        vec![
            "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 2 vm, 0 hdd",
            "stress: info: [1] successful run completed in 10s",
            "done"
        ]
    );
    assert_eq!(r.proc.memory_bytes(), limits::BASELINE_MEMORY);

    let mut p = Process::spawn(&sh("stress --vm 2 --vm-bytes 64M --timeout 10s"), &env());
    p.poll(0, &mut Fs::default(), &mut FakeHost::default(), &mut Vec::new());
    assert_eq!(p.memory_bytes(), limits::BASELINE_MEMORY + 128 * 1024 * 1024);
    assert_eq!(Process::spawn(&sv(&["sleep", "1"]), &env()).memory_bytes(), limits::BASELINE_MEMORY);
}

#[test]
fn kill_trap_read_wait() {
    let r = run("trap 'echo bye' EXIT TERM; trap; read x; echo $?");
    assert_eq!(r.stdout(), vec!["trap -- 'echo bye' EXIT", "trap -- 'echo bye' TERM", "1"]);
    assert_eq!(status_of("kill $$"), Poll::Exit(143));
    assert_eq!(status_of("kill -9 1"), Poll::Exit(137));
    let r = run("kill 4242; echo $?");
    assert_eq!(r.stderr(), vec!["sh: kill: can't kill pid 4242: No such process"]);
    assert_eq!(r.stdout(), vec!["1"]);
    // Background jobs run concurrently in virtual time.
    let r = run("(sleep 2; echo job) & echo started; sleep 1; echo main; wait; echo done");
    assert_eq!(r.stdout(), vec!["started", "main", "job", "done"]);
    assert_eq!(r.sleeps(), vec![1_000, 1_000]);
    let r = run("sleep 100 & kill $!; wait; echo done");
    assert_eq!(r.stdout(), vec!["done"]);
    assert_eq!(r.sleeps(), Vec::<Millis>::new());
    let mut host = FakeHost::default();
    host.programs.insert("nginx".into(), External::Serve { ports: vec![80] });
    let r = run_full(sh("nginx & sleep 1; echo up; wait"), Fs::default(), host, 100_000);
    assert_eq!(r.stdout(), vec!["up"]);
    assert_eq!(r.last(), Poll::Serve(vec![80]));
}

#[test]
fn scripts_from_the_filesystem() {
    let mut fs = Fs::default();
    fs.files.insert("/scripts/run.sh".into(), "#!/bin/sh\necho \"script $1\"\nexit 4\n".into());
    fs.files.insert("/scripts/lib.sh".into(), "LIBVAR=loaded\n".into());
    let r = run_full(sv(&["/bin/sh", "/scripts/run.sh", "arg"]), fs.clone(), FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["script arg"]);
    assert_eq!(r.last(), Poll::Exit(4));
    let r = run_full(sv(&["/scripts/run.sh", "direct"]), fs.clone(), FakeHost::default(), 0);
    assert_eq!(r.stdout(), vec!["script direct"]);
    let r = run_full(
        sh(". /scripts/lib.sh; echo $LIBVAR; sh -c 'echo nested $0' zero; x=1; sh -c 'echo \"[$x]\"'"),
        fs,
        FakeHost::default(),
        0,
    );
    assert_eq!(r.stdout(), vec!["loaded", "nested zero", "[]"]);
    let r = run("sh /nope.sh; echo $?");
    assert_eq!(r.stderr(), vec!["sh: can't open '/nope.sh': No such file or directory"]);
}

#[test]
fn exec_probes() {
    let mut fs = Fs::default();
    let r = exec_simple(&["sh", "-c", "echo out; echo err >&2; exit 3"], &mut fs);
    assert_eq!(
        r,
        ExecResult { status: 3, stdout: "out\n".into(), stderr: "err\n".into(), timed_out: false, elapsed: 0 }
    );
    let r = exec_simple(&["sleep", "10"], &mut fs);
    assert!(r.timed_out);
    let r = exec_simple(&["sh", "-c", "sleep 0.5; echo ok"], &mut fs);
    assert_eq!((r.status, r.stdout.as_str(), r.timed_out), (0, "ok\n", false));
    let r = exec_simple(&["sh", "-c", "while true; do :; done"], &mut fs);
    assert!(r.timed_out);
    let r = exec_simple(&["tail", "-f", "/dev/null"], &mut fs);
    assert!(r.timed_out);
    let r = exec_simple(&["sh", "-c", "printf no-newline"], &mut fs);
    assert_eq!(r.stdout, "no-newline");
    let r = exec_at(&sv(&["date"]), &env(), 5_000, &mut fs, &mut FakeHost::default(), 1_000);
    assert_eq!(r.stdout, "Thu Jan  1 00:00:05 UTC 2026\n");
    let r = exec_simple(&["sh", "-c", "touch /tmp/from-exec"], &mut fs);
    assert_eq!(r.status, 0);
    assert!(fs.files.contains_key("/tmp/from-exec"));
}

// ---------------------------------------------------------------- errors and hostile input

#[test]
fn syntax_errors() {
    for (script, msg) in [
        ("if true; then echo", "sh: syntax error: unexpected end of file (expecting \"fi\")"),
        ("echo 'open", "sh: syntax error: unterminated quoted string"),
        ("fi", "sh: syntax error: unexpected \"fi\""),
        ("echo a; )", "sh: syntax error: unexpected \")\""),
        ("while true; do echo; ", "sh: syntax error: unexpected end of file (expecting \"done\")"),
        ("echo ${", "sh: syntax error: missing '}'"),
        ("echo ${a b}", "sh: syntax error: bad substitution"),
        ("for 1 in a; do :; done", "sh: syntax error: bad for loop variable"),
        ("&& echo", "sh: syntax error: unexpected \"&&\""),
        ("echo $(echo", "sh: syntax error: unexpected end of file (expecting \")\")"),
        ("{ }", "sh: syntax error: unexpected \"}\""),
    ] {
        let r = run(script);
        assert_eq!(r.stderr(), vec![msg], "{script}");
        assert_eq!(r.last(), Poll::Exit(2), "{script}");
        assert!(r.stdout().is_empty(), "{script}");
    }
    let r = run("exit abc");
    assert_eq!(r.stderr(), vec!["sh: exit: Illegal number: abc"]);
    assert_eq!(r.last(), Poll::Exit(2));
    let r = run("eval 'if'; echo $?");
    assert_eq!(r.stdout(), vec!["2"]);
}

#[test]
fn busy_loops_yield_instead_of_hanging() {
    let mut p = Process::spawn(&sh("while true; do :; done"), &env());
    let (mut fs, mut host) = (Fs::default(), FakeHost::default());
    let mut out = Vec::new();
    for t in 0..5 {
        assert_eq!(p.poll(t, &mut fs, &mut host, &mut out), Poll::Sleep(1));
    }
    // A long finite loop finishes over several polls.
    let r = run("i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo $i");
    assert_eq!(r.stdout(), vec!["100000"]);
    assert!(r.sleeps().iter().all(|s| *s == 1) && r.sleeps().len() > 1);
    // Output floods are cut into polls too.
    let mut p = Process::spawn(&sh("while true; do echo spam; done"), &env());
    let mut out = Vec::new();
    assert_eq!(p.poll(0, &mut fs, &mut host, &mut out), Poll::Sleep(1));
    assert!(!out.is_empty() && out.len() < 200_000);
}

#[test]
fn hostile_inputs_never_panic() {
    let deep_parens = format!("{}echo hi{}", "(".repeat(10_000), ")".repeat(10_000));
    let deep_subst = format!("{}echo hi{}", "$(".repeat(5_000), ")".repeat(5_000));
    let deep_braces = format!("{}echo{}", "{ ".repeat(5_000), "; }".repeat(5_000));
    let deep_arith = format!("echo $(({}1{}))", "(".repeat(5_000), ")".repeat(5_000));
    let deep_backq = format!("echo {}", "`echo \\".repeat(200));
    let deep_if = "if true; then ".repeat(3_000);
    let deep_param = format!("echo {}x{}", "${a:-".repeat(3_000), "}".repeat(3_000));
    let big = "echo hello;".repeat(100_000);
    let big_comment = format!("#{}\necho end", "x".repeat(1 << 20));
    let scripts: Vec<String> = vec![
        deep_parens,
        deep_subst,
        deep_braces,
        deep_arith,
        deep_backq,
        deep_if,
        deep_param,
        big_comment,
        "x=a; while true; do x=$x$x; done".into(),
        "f() { f; }; f".into(),
        "f() { f | f; }; f".into(),
        "f() { (f); }; f".into(),
        "f() { echo $(f); }; f".into(),
        "i=0; while true; do touch /tmp/f$i; i=$((i+1)); done".into(),
        "i=0; while true; do export v$i=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done".into(),
        "while true; do echo data >> /tmp/big; done".into(),
        "for i in $(seq 1 10000000); do :; done".into(),
        "x=$((9223372036854775807 + 1)); echo $x $((-9223372036854775807 - 1 / -1)) $((2**70))".into(),
        "while true; do sleep 0 & done".into(),
        "eval \"$(printf 'echo x;%.0s' $(seq 1 1000))\"".into(),
        "echo ${x:?}; echo ${#}; echo ${!}; echo $((a=b=c=5)); echo ${x/}".into(),
        "grep '((((((((((a*)*)*)*)*)*)*)*)*)*)' /dev/null; echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab | grep -E '(a*)*c'"
            .into(),
        "printf '%999999999d' 1; printf '%.999999999s' x; printf '%*d' 99999999999 1".into(),
        "seq 1 99999999999 | wc -l".into(),
        "cat <<EOF".into(),
        "case".into(),
        "'\"`$(${".into(),
        "ls /*/*/*/*/*/*/*".into(),
        "x=$(seq 1 150000); f() { (f); }; f".into(),
        "f() { echo $(f; seq 1 150000); }; f".into(),
        "x=$(seq 1 150000); while true; do sh -c 'sleep 1' & done".into(),
        ":;".repeat(1_000_000),
        format!("echo {}", "a ".repeat(1_500_000)),
        format!("echo {}", "$a".repeat(1_000_000)),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for s in scripts {
                let r = run_full(sh(&s), Fs::default(), FakeHost::default(), 1);
                assert!(!r.polls.is_empty());
                let _ = exec(&sh(&s), &env(), &mut Fs::default(), &mut FakeHost::default(), 1);
            }
            let r = run_full(sh(&big), Fs::default(), FakeHost::default(), 1_000_000);
            assert!(r.stdout().len() == 100_000 || r.stderr() == vec!["sh: syntax error: script too large"]);
        })
        .expect("spawn test thread");
    handle.join().expect("hostile scripts must not panic");
}

#[test]
fn nesting_within_the_cap_works() {
    let s = format!("{}echo deep{}", "(".repeat(30), ")".repeat(30));
    assert_eq!(out_of(&s), vec!["deep"]);
    let r = run(&format!("{}echo hi{}", "(".repeat(200), ")".repeat(200)));
    assert_eq!(r.stderr(), vec!["sh: syntax error: nesting too deep"]);
    assert_eq!(r.last(), Poll::Exit(2));
}

#[test]
fn random_garbage_never_panics() {
    // A fixed-seed generator: deterministic fuzzing over shell-significant characters.
    let alphabet: Vec<char> = "ab01 \n\t;&|<>()${}[]'\"`\\#*?!=-+%:/~@.,^".chars().collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for _ in 0..3_000 {
                let mut s = String::new();
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let len = (seed % 40) as usize;
                for _ in 0..len {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
                }
                let _ = run_full(sh(&s), Fs::default(), FakeHost::default(), 5);
            }
        })
        .expect("spawn");
    handle.join().expect("garbage must not panic");
}

#[test]
fn oversized_scripts_fail_cleanly() {
    let r = run(&":;".repeat(1_000_000));
    assert_eq!(r.stderr(), vec!["sh: syntax error: script too large"]);
    assert_eq!(r.last(), Poll::Exit(2));
    let r = run("x=$(seq 1 150000); f() { (f); }; f; echo $?");
    assert!(r.stderr().contains(&"sh: out of memory".to_string()), "{:?}", r.stderr());
}

#[test]
fn big_script() {
    // 1.2 MB of commands runs (over several polls).
    let big = "echo hello-world-xxxxxx;".repeat(50_000);
    assert!(big.len() > 1_000_000);
    let r = run_full(sh(&big), Fs::default(), FakeHost::default(), 1_000_000);
    assert_eq!(r.stderr(), Vec::<String>::new());
    assert_eq!(r.stdout().len(), 50_000);
    assert_eq!(r.last(), Poll::Exit(0));
}

#[test]
fn deterministic() {
    let script = "for i in 1 2 3; do echo $RANDOM $(date +%s); sleep 1; done";
    let a = run(script);
    let b = run(script);
    assert_eq!(a.out, b.out);
    assert_eq!(a.polls, b.polls);
}

#[test]
fn process_is_clone_and_debug() {
    let mut p = Process::spawn(&sh("echo a; sleep 5; echo b"), &env());
    let (mut fs, mut host) = (Fs::default(), FakeHost::default());
    let mut out = Vec::new();
    assert_eq!(p.poll(0, &mut fs, &mut host, &mut out), Poll::Sleep(5_000));
    let mut q = p.clone();
    let mut out2 = Vec::new();
    assert_eq!(q.poll(5_000, &mut fs, &mut host, &mut out2), Poll::Exit(0));
    assert_eq!(out2, vec![(Stream::Stdout, "b".to_string())]);
    assert!(!format!("{p:?}").is_empty());
}

/// The deepest nesting the parser accepts must fit a small stack even in debug builds (the
/// wasm build's stack is 1 MiB; release frames are several times smaller than debug ones).
#[test]
fn deepest_allowed_nesting_fits_a_small_stack() {
    let n = limits::MAX_DEPTH - 1;
    let scripts = vec![
        format!("{}echo hi{}", "$(".repeat(n), ")".repeat(n)),
        format!("{}echo hi{}", "(".repeat(n), ")".repeat(n)),
        format!("echo {}x{}", "${a:-".repeat(n), "}".repeat(n)),
        format!("{}echo{}", "if true; then ".repeat(n), "; fi".repeat(n)),
        format!("{}echo{}", "while true; do ".repeat(n), "; break; done".repeat(n)),
        format!("echo $(({}1{}))", "(".repeat(14), ")".repeat(14)),
        format!("expr {} 1 {}", "( ".repeat(45), " )".repeat(45)),
        format!("[ {} 1 {} ]", "( ".repeat(100), " )".repeat(100)),
        format!("f() {{ {}echo in{}; }}; f", "{ ".repeat(n - 2), "; }".repeat(n - 2)),
    ];
    std::thread::Builder::new()
        .stack_size(512 << 10)
        .spawn(move || {
            for s in scripts {
                let r = run_full(sh(&s), Fs::default(), FakeHost::default(), 1);
                assert!(r.stderr().iter().all(|l| !l.contains("nesting")), "{s}: {:?}", r.stderr());
            }
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}

#[test]
fn parser_corners() {
    assert_eq!(out_of("echo $(case x in x) echo matched;; esac)"), vec!["matched"]);
    assert_eq!(out_of("x=$(cat <<EOF\nbody $HOSTNAME\nEOF\n); echo \"[$x]\""), vec!["[body mypod]"]);
    assert_eq!(out_of("f() { echo in f; } > /tmp/fo; f; cat /tmp/fo"), vec!["in f"]);
    assert_eq!(out_of("f() { echo $2 $1; }; f a b | cat"), vec!["b a"]);
    assert_eq!(out_of("echo \"a\nb\"; echo 'c\nd'"), vec!["a", "b", "c", "d"]);
    assert_eq!(out_of("echo \"multi \\\nline\""), vec!["multi line"]);
    assert_eq!(out_of("for i in 1 2; do echo $i; done | grep 2"), vec!["2"]);
    assert_eq!(out_of("set -- x y; echo \"${@}\" ${#} \"$*\""), vec!["x y 2 x y"]);
    assert_eq!(out_of("i=0; echo $((i++)) $((i++)) $i $((++i))"), vec!["0 1 2 3"]);
    assert_eq!(out_of("if [ -f /x ]; then :; else echo no; fi"), vec!["no"]);
    assert_eq!(out_of("echo a;echo b&&echo c||echo d"), vec!["a", "b", "c"]);
    assert_eq!(out_of("echo $(echo a)$(echo b) \"$(echo 'x  y')\""), vec!["ab x  y"]);
    assert_eq!(out_of("v=\"a b\"; set -- $v; echo $#; set -- \"$v\"; echo $#"), vec!["2", "1"]);
    assert_eq!(out_of("echo one; # trailing comment\n\n\necho two"), vec!["one", "two"]);
    assert_eq!(out_of("! { false; }; echo $?"), vec!["0"]);
    assert_eq!(out_of("echo ${HOSTNAME}-${UNSET-dflt}-${HOSTNAME+alt}"), vec!["mypod-dflt-alt"]);
    assert_eq!(
        out_of("case 'a b' in 'a b') echo quoted;; esac; x=a*; case abc in $x) echo pat;; esac"),
        vec!["quoted", "pat"]
    );
    assert_eq!(out_of("echo 2>/dev/null hi; echo >&2 err 2>/dev/null"), vec!["hi"]);
    assert_eq!(status_of(""), Poll::Exit(0));
    assert_eq!(status_of("   \n\n  # only a comment"), Poll::Exit(0));
    let r = run(";");
    assert_eq!(r.stderr(), vec!["sh: syntax error: unexpected \";\""]);
}

#[test]
fn wget_progress_messages() {
    let mut host = FakeHost::default();
    host.dns.insert("web".into(), "10.96.5.5".into());
    host.http.insert("10.96.5.5:8080/x".into(), Ok((200, "body\n".into())));
    let r = run_full(sh("wget -O- http://web:8080/x"), Fs::default(), host, 0);
    assert_eq!(r.stdout(), vec!["body"]);
    assert_eq!(
        r.stderr(),
        vec![
            "Connecting to web (10.96.5.5:8080)",
            "writing to stdout",
            "-                    100% |********************************|     5  0:00:00 ETA",
            "written to stdout",
        ]
    );
}

#[test]
fn more_examples_from_the_docs() {
    // Downward API volume example (note `[[` under sh, as busybox ash accepts).
    let mut fs = Fs::default();
    fs.files.insert("/etc/podinfo/labels".into(), "cluster=\"test-cluster1\"\nrack=\"rack-22\"".into());
    let script = "while true; do if [[ -e /etc/podinfo/labels ]]; then echo -en '\\n\\n'; cat /etc/podinfo/labels; fi; if [[ -e /etc/podinfo/annotations ]]; then echo -en '\\n\\n'; cat /etc/podinfo/annotations; fi; sleep 5; done;";
    let r = run_full(sh(script), fs, FakeHost::default(), 5_000);
    assert_eq!(r.sleeps(), vec![5_000, 5_000]);
    assert_eq!(
        r.stdout(),
        vec!["", "", "cluster=\"test-cluster1\"", "rack=\"rack-22\"", "", "cluster=\"test-cluster1\""]
    );

    // Logging sidecar example: a folded YAML block.
    let mut fs = Fs::default();
    fs.dirs.insert("/var/log".into());
    let script = "i=0; while true; do\n  echo \"$i: $(date)\" >> /var/log/1.log;\n  echo \"$(date) INFO $i\" >> /var/log/2.log;\n  i=$((i+1));\n  sleep 1;\ndone\n";
    let r = run_full(sv(&["/bin/sh", "-c", script]), fs, FakeHost::default(), 2_000);
    assert_eq!(
        r.fs.files["/var/log/1.log"],
        "0: Thu Jan  1 00:00:00 UTC 2026\n1: Thu Jan  1 00:00:01 UTC 2026\n2: Thu Jan  1 00:00:02 UTC 2026\n"
    );
    assert_eq!(r.fs.files["/var/log/2.log"].lines().nth(1), Some("Thu Jan  1 00:00:01 UTC 2026 INFO 1"));

    // Environment variables example.
    let mut e = env();
    e.insert("MY_NODE_NAME".into(), "node-1".into());
    e.insert("MY_POD_NAME".into(), "dapi".into());
    let mut p =
        Process::spawn(&sh("while true; do echo -en '\\n'; printenv MY_NODE_NAME MY_POD_NAME; sleep 10; done;"), &e);
    let mut out = Vec::new();
    assert_eq!(p.poll(0, &mut Fs::default(), &mut FakeHost::default(), &mut out), Poll::Sleep(10_000));
    let lines: Vec<&str> = out.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(lines, vec!["", "node-1", "dapi"]);

    // Job countdown example, and `while :` with -e.
    assert_eq!(out_of("for i in 9 8 7 6 5 4 3 2 1 ; do echo $i ; done").len(), 9);
    let r = run_full(
        sv(&["/bin/sh", "-ec", "while :; do echo '.'; sleep 5 ; done"]),
        Fs::default(),
        FakeHost::default(),
        5_000,
    );
    assert_eq!(r.stdout(), vec![".", "."]);
}

#[test]
fn regex_glob_and_dates() {
    use super::text::{format_date, glob_match, Regex};
    let m = |p: &str, ext: bool, t: &str| Regex::new(p, ext, false).map(|r| r.is_match(t)).unwrap_or(false);
    assert!(m("a.c", false, "xxabcxx"));
    assert!(m("^ab*$", false, "abbb") && m("^ab*$", false, "a") && !m("^ab*$", false, "abc"));
    assert!(m("[0-9]+", true, "v12") && !m("[0-9]+", true, "vx"));
    assert!(m("[0-9]+", false, "v1+") && !m("[0-9]+", false, "v1"));
    assert!(m("x\\{2\\}", false, "axxb") && !m("x\\{2\\}", false, "axb"));
    assert!(m("^a|b$", true, "ab") && m("^a|b$", true, "cb") && !m("^a|b$", true, "ca"));
    assert!(m("(ab)+c", true, "xababc") && m("\\(ab\\)*c", false, "c"));
    assert!(m("[[:digit:]]", false, "a1") && m("[^a-z]", false, "abC"));
    assert!(m("*star", false, "a*star"));
    assert!(Regex::new("HELLO", false, true).map(|r| r.is_match("say hello")).unwrap_or(false));
    assert!(Regex::new("(", true, false).is_err() && Regex::new("[abc", false, false).is_err());
    let r = Regex::new("o+", true, false).expect("regex");
    let t: Vec<char> = "foo boo".chars().collect();
    assert_eq!(r.find_at(&t, 0), Some((1, 3)));
    assert_eq!(r.find_at(&t, 3), Some((5, 7)));

    assert!(glob_match("*.log", "app.log") && !glob_match("*.log", "app.txt"));
    assert!(glob_match("[a-c]?", "bz") && !glob_match("[!a-c]?", "bz"));
    assert!(glob_match("\\*", "*") && !glob_match("\\*", "x"));
    assert!(glob_match("a*b*c", "axxbyyc") && !glob_match("a*b*c", "axxbyy"));
    assert!(glob_match("[", "[") && glob_match("*", ""));

    // 2028-02-29 (leap day) is a Tuesday; 2026-12-31 a Thursday.
    let day = |d: i64| super::text::epoch_seconds(0) + d * 86_400;
    assert_eq!(format_date(day(365 + 365 + 31 + 28), "%a %F %j"), "Tue 2028-02-29 060");
    assert_eq!(format_date(day(364) + 86_399, super::text::DATE_DEFAULT), "Thu Dec 31 23:59:59 UTC 2026");
    assert_eq!(format_date(day(9), "%e|%d|%I %p|%y|%u|%w"), "10|10|12 AM|26|6|6");
}
