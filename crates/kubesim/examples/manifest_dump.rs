//! Prints what the manifest reader makes of files:
//! `cargo run -p kubesim --example manifest_dump -- FILE...` (`KO=1` adds the Korean messages).
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        for d in kubesim::manifest::decode_bytes(&bytes) {
            match d {
                Ok(o) => println!("{path}: OK {} {}", o.kind(), o.name()),
                Err(e) => {
                    println!("{path}: ERR {} {}", e.code, e);
                    if std::env::var_os("KO").is_some() {
                        println!("    ko: {}", e.message_ko);
                    }
                    for c in &e.causes {
                        println!("    cause {:?}:{:?} {}", c.line, c.column, c.message);
                    }
                }
            }
        }
    }
}
