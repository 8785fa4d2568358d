//! Caps that keep a hostile script from hanging the simulator or exhausting memory. Hitting one
//! gives a shell error (or yields), never a panic.

/// Instructions a process may run per `poll` before it yields `Poll::Sleep(1)`: a busy loop
/// burns virtual CPU but never hangs the simulator.
pub const FUEL_PER_POLL: u64 = 100_000;
/// Bytes of output (lines) per poll before the process yields.
pub const MAX_OUT_PER_POLL: usize = 1 << 20;
/// Nesting of the syntax (groups, subshells, substitutions, `${...}`): deeper is a syntax error.
pub const MAX_DEPTH: usize = 32;
/// Nesting of runtime frames (function calls, subshells, redirected blocks, `eval`).
pub const MAX_FRAMES: usize = 200;
/// Source size of one script.
pub const MAX_SCRIPT: usize = 4 << 20;
/// Words, expansions and commands of one script: a simple command costs a few hundred bytes
/// of syntax tree, so this bounds a script's memory (to ~100 MB for a hostile one).
pub const MAX_NODES: usize = 300_000;
/// Compiled instructions of one process (including `eval`'d code).
pub const MAX_CODE_OPS: usize = 500_000;
/// Length of one string: a variable, a captured output, an expanded word.
pub const MAX_STRING: usize = 1 << 20;
/// Number of variables and their total size.
pub const MAX_VARS: usize = 4_096;
pub const MAX_VARS_BYTES: usize = 2 << 20;
/// What one shell holds besides its variables: copies saved by subshell frames, capture
/// buffers, pending substitution outputs.
pub const MAX_HELD: usize = 8 << 20;
/// Fields produced by one expansion (`for i in $(seq 1 10000000)`).
pub const MAX_FIELDS: usize = 100_000;
/// One file, and everything the container filesystem holds (paths count too).
pub const MAX_FILE: usize = 4 << 20;
pub const MAX_FS_BYTES: usize = 32 << 20;
/// One output line: longer lines are cut into several.
pub const MAX_LINE: usize = 64 << 10;
/// What `exec` collects per stream.
pub const MAX_EXEC_OUTPUT: usize = 1 << 20;
/// Background jobs alive at once.
pub const MAX_JOBS: usize = 8;
/// Steps (fuel) `exec` may spend in total before it counts as timed out.
pub const EXEC_FUEL: u64 = 2_000_000;
/// Memory the shell process itself holds.
pub const BASELINE_MEMORY: u64 = 1 << 20;
