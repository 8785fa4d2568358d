//! A small POSIX-shell interpreter for container `command`/`args` (`sh -c '...'`), exec probes and
//! `kubectl exec`. It runs in virtual time: `sleep` suspends the process instead of blocking, so
//! one interpreter state can be resumed by the kubelet when its wake-up fires.
//!
//! (Interface fixed here; implementation in progress.)

use std::collections::BTreeMap;

use crate::time::Millis;

/// A container's filesystem: path → file content. Directories are implied by paths, plus the
/// explicit ones in `dirs`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fs {
    pub files: BTreeMap<String, String>,
    pub dirs: std::collections::BTreeSet<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a program outside the shell's builtins turned out to be (the image decides: `nginx` in
/// the nginx image is a server, in busybox it is "not found").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum External {
    /// The program does not exist in the image: `sh: <name>: not found`, status 127.
    NotFound,
    /// The program ran to completion at once with this output and status.
    Done {
        status: i32,
        stdout: String,
        stderr: String,
    },
    /// The program becomes a long-running server listening on these TCP ports (until killed).
    Serve { ports: Vec<u16> },
}

/// The world around a process: cluster DNS, the network, and the image's programs.
pub trait Host {
    /// Cluster DNS: the A record for `name` (a Service name, `svc.ns`, FQDN, pod IP...), or `None`
    /// for NXDOMAIN.
    fn lookup(&mut self, name: &str) -> Option<String>;
    /// An HTTP GET to `host:port` + `path` (host already resolved to an IP or a name the host
    /// resolves itself). `Ok((status, body))`, or `Err(message)` such as "Connection refused".
    fn http_get(&mut self, host: &str, port: u16, path: &str) -> Result<(u16, String), String>;
    /// Resolves a program that is not a shell builtin.
    fn external(&mut self, argv: &[String]) -> External;
}

/// What the process does next, returned by [`Process::poll`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Poll {
    /// Suspended (in `sleep`): call `poll` again at `now + duration`.
    Sleep(Millis),
    /// The process exited with this status.
    Exit(i32),
    /// The process waits forever (e.g. `tail -f /dev/null`, `sleep infinity`) until killed.
    Forever,
    /// The process became a server on these ports (see [`External::Serve`]); it runs until killed.
    Serve(Vec<u16>),
}
