//! Network applets over [`Host`](super::Host): `nslookup` (busybox 1.36 layout), `wget`
//! (busybox) and `curl`.

use super::fsutil;
use super::interp::*;

/// What [`Host::http_get`](super::Host::http_get) returns for a connection closed without a
/// reply.
pub const EMPTY_REPLY: &str = "Empty reply from server";

/// The cluster DNS Service address printed by `nslookup`.
const DNS_SERVER: &str = "10.96.0.10";

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

struct Url {
    host: String,
    port: u16,
    path: String,
}

fn parse_url(u: &str) -> Option<Url> {
    let (rest, default_port) = if let Some(r) = u.strip_prefix("http://") {
        (r, 80)
    } else if let Some(r) = u.strip_prefix("https://") {
        (r, 443)
    } else if u.contains("://") {
        return None;
    } else {
        (u, 80)
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let hostport = hostport.rsplit('@').next().unwrap_or(hostport);
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (hostport, default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url { host: host.to_string(), port, path })
}

impl Task {
    fn resolve(&mut self, ctx: &mut Ctx, host: &str) -> Option<String> {
        if is_ipv4(host) {
            return Some(host.to_string());
        }
        if host == "localhost" {
            return Some("127.0.0.1".into());
        }
        ctx.host.lookup(host)
    }

    pub fn b_nslookup(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let ops: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some(name) = ops.first() else {
            self.err(ctx, io, "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n");
            return Flow::Done(1);
        };
        let server = ops.get(1).map(|s| s.as_str()).unwrap_or(DNS_SERVER);
        let mut s = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
        let found = if is_ipv4(name) { Some(name.to_string()) } else { ctx.host.lookup(name) };
        let status = match found {
            Some(ip) => {
                s.push_str(&format!("Name:\t{name}\nAddress: {ip}\n\n"));
                0
            }
            None => {
                s.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
                1
            }
        };
        self.out(ctx, io, &s);
        Flow::Done(status)
    }

    pub fn b_wget(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let mut quiet = false;
        let mut spider = false;
        let mut output: Option<String> = None;
        let mut url = None;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "--quiet" => quiet = true,
                "--spider" => spider = true,
                "--output-document" => {
                    output = args.get(i + 1).cloned();
                    i += 1;
                }
                "--header" | "--user-agent" | "--timeout" | "--tries" | "--post-data" | "--post-file" => i += 1,
                s if s.starts_with("--output-document=") => output = Some(s["--output-document=".len()..].to_string()),
                s if s.starts_with("--") => {}
                s if s.starts_with('-') && s.len() > 1 => {
                    // A cluster of short options: `-qO-`, `-qO /tmp/x`, `-T 5`.
                    let rest: Vec<char> = s[1..].chars().collect();
                    for (k, c) in rest.iter().enumerate() {
                        match c {
                            'q' => quiet = true,
                            'O' | 'T' | 't' | 'U' | 'P' | 'Y' | 'o' => {
                                let inline: String = rest[k + 1..].iter().collect();
                                let value = if inline.is_empty() {
                                    i += 1;
                                    args.get(i).cloned()
                                } else {
                                    Some(inline)
                                };
                                if *c == 'O' {
                                    output = value;
                                }
                                break;
                            }
                            _ => {}
                        }
                    }
                }
                _ => {
                    if url.is_none() {
                        url = Some(a.clone());
                    }
                }
            }
            i += 1;
        }
        let Some(url) = url else {
            self.err(ctx, io, "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n");
            return Flow::Done(1);
        };
        let Some(u) = parse_url(&url) else {
            self.err(ctx, io, &format!("wget: not an http or ftp url: {url}\n"));
            return Flow::Done(1);
        };
        let Some(ip) = self.resolve(ctx, &u.host) else {
            self.err(ctx, io, &format!("wget: bad address '{}'\n", u.host));
            return Flow::Done(1);
        };
        if !quiet {
            self.err(ctx, io, &format!("Connecting to {} ({ip}:{})\n", u.host, u.port));
        }
        let (code, body) = match ctx.host.http_get(&ip, u.port, &u.path) {
            Ok(r) => r,
            Err(m) if m == EMPTY_REPLY => {
                self.err(ctx, io, "wget: error getting response: Connection reset by peer\n");
                return Flow::Done(1);
            }
            Err(m) => {
                self.err(ctx, io, &format!("wget: can't connect to remote host ({ip}): {m}\n"));
                return Flow::Done(1);
            }
        };
        if code >= 400 {
            self.err(ctx, io, &format!("wget: server returned error: HTTP/1.1 {code} {}\n", reason(code)));
            return Flow::Done(1);
        }
        if spider {
            if !quiet {
                self.err(ctx, io, "remote file exists\n");
            }
            return Flow::Done(0);
        }
        let stdout = matches!(output.as_deref(), Some("-") | Some("/dev/stdout"));
        let progress = |name: &str, len: usize| format!("{name:<20} 100% |{}| {len:>5}  0:00:00 ETA\n", "*".repeat(32));
        if stdout {
            if !quiet {
                self.err(ctx, io, "writing to stdout\n");
            }
            self.out(ctx, io, &body);
            if !quiet {
                self.err(ctx, io, &format!("{}written to stdout\n", progress("-", body.len())));
            }
            return Flow::Done(0);
        }
        let name = output.clone().unwrap_or_else(|| {
            let b = fsutil::basename(u.path.split('?').next().unwrap_or(""));
            if b.is_empty() || u.path.ends_with('/') {
                "index.html".into()
            } else {
                b.to_string()
            }
        });
        let path = self.abs(&name);
        if output.is_none() && fsutil::exists(ctx.fs, &path) {
            self.err(ctx, io, &format!("wget: can't open '{name}': File exists\n"));
            return Flow::Done(1);
        }
        if !quiet {
            self.err(ctx, io, &format!("saving to '{name}'\n"));
        }
        if path != "/dev/null" {
            let ok = fsutil::is_dir(ctx.fs, fsutil::parent(&path))
                && !fsutil::is_dir(ctx.fs, &path)
                && ctx.write_file(&path, body.clone()).is_ok();
            if !ok {
                self.err(ctx, io, &format!("wget: can't open '{name}': No such file or directory\n"));
                return Flow::Done(1);
            }
        }
        if !quiet {
            self.err(ctx, io, &format!("{}'{name}' saved\n", progress(fsutil::basename(&name), body.len())));
        }
        Flow::Done(0)
    }

    pub fn b_curl(&mut self, ctx: &mut Ctx, io: &mut Io, args: &[String]) -> Flow {
        let (mut silent, mut show_error, mut fail, mut head, mut include) = (false, false, false, false, false);
        let mut output: Option<String> = None;
        let mut write_out: Option<String> = None;
        let mut url = None;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-s" | "--silent" => silent = true,
                "-S" | "--show-error" => show_error = true,
                "-f" | "--fail" => fail = true,
                "-I" | "--head" => head = true,
                "-i" | "--include" => include = true,
                "-o" | "--output" => {
                    output = args.get(i + 1).cloned();
                    i += 1;
                }
                "-w" | "--write-out" => {
                    write_out = args.get(i + 1).cloned();
                    i += 1;
                }
                "-X" | "-H" | "-d" | "-m" | "-A" | "-u" | "-e" | "--max-time" | "--connect-timeout" | "--retry"
                | "--header" | "--data" | "--request" | "--user-agent" | "--retry-delay" | "--cacert" | "--resolve" => {
                    i += 1
                }
                s if s.starts_with("--") => {}
                s if s.starts_with('-') && s.len() > 1 => {
                    for c in s[1..].chars() {
                        match c {
                            's' => silent = true,
                            'S' => show_error = true,
                            'f' => fail = true,
                            'I' => head = true,
                            'i' => include = true,
                            _ => {}
                        }
                    }
                    if s.ends_with('o') {
                        output = args.get(i + 1).cloned();
                        i += 1;
                    } else if s.ends_with('w') {
                        write_out = args.get(i + 1).cloned();
                        i += 1;
                    }
                }
                _ => {
                    if url.is_none() {
                        url = Some(a.clone());
                    }
                }
            }
            i += 1;
        }
        let errors = !silent || show_error;
        let Some(url) = url else {
            self.err(ctx, io, "curl: try 'curl --help' or 'curl --manual' for more information\n");
            return Flow::Done(2);
        };
        let Some(u) = parse_url(&url) else {
            if errors {
                self.err(ctx, io, &format!("curl: (1) Protocol not supported or disabled in libcurl: {url}\n"));
            }
            return Flow::Done(1);
        };
        let Some(ip) = self.resolve(ctx, &u.host) else {
            if errors {
                self.err(ctx, io, &format!("curl: (6) Could not resolve host: {}\n", u.host));
            }
            return Flow::Done(6);
        };
        let (code, body) = match ctx.host.http_get(&ip, u.port, &u.path) {
            Ok(r) => r,
            // The connection was accepted but closed without an answer (a port-forward whose
            // pod side refused it).
            Err(m) if m == EMPTY_REPLY => {
                if errors {
                    self.err(ctx, io, "curl: (52) Empty reply from server\n");
                }
                return Flow::Done(52);
            }
            Err(m) => {
                if errors {
                    let why = if m.to_ascii_lowercase().contains("timed out") {
                        format!("curl: (28) Failed to connect to {} port {} after 0 ms: {m}\n", u.host, u.port)
                    } else {
                        format!("curl: (7) Failed to connect to {} port {} after 0 ms: {m}\n", u.host, u.port)
                    };
                    self.err(ctx, io, &why);
                }
                let code = if m.to_ascii_lowercase().contains("timed out") { 28 } else { 7 };
                return Flow::Done(code);
            }
        };
        let write_out_text = |code: u16| -> String {
            write_out
                .as_deref()
                .map(|w| {
                    w.replace("%{http_code}", &format!("{code:03}"))
                        .replace("%{response_code}", &format!("{code:03}"))
                        .replace("\\n", "\n")
                })
                .unwrap_or_default()
        };
        if fail && code >= 400 {
            if errors {
                self.err(ctx, io, &format!("curl: (22) The requested URL returned error: {code}\n"));
            }
            let w = write_out_text(code);
            self.out(ctx, io, &w);
            return Flow::Done(22);
        }
        let headers = format!("HTTP/1.1 {code} {}\r\ncontent-length: {}\r\n\r\n", reason(code), body.len());
        let mut doc = String::new();
        if head || include {
            doc.push_str(&headers);
        }
        if !head {
            doc.push_str(&body);
        }
        match output.as_deref() {
            None | Some("-") => self.out(ctx, io, &doc),
            Some("/dev/null") => {}
            Some(f) => {
                let p = self.abs(f);
                let ok = fsutil::is_dir(ctx.fs, fsutil::parent(&p)) && ctx.write_file(&p, doc).is_ok();
                if !ok {
                    if errors {
                        self.err(
                            ctx,
                            io,
                            &format!(
                                "curl: (23) Failure writing output to destination, passed {} returned 0\n",
                                body.len()
                            ),
                        );
                    }
                    return Flow::Done(23);
                }
            }
        }
        let w = write_out_text(code);
        self.out(ctx, io, &w);
        Flow::Done(0)
    }
}
