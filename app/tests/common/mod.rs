//! What the CLI test files share: running the `yitu` binary and reading its JSON.

use std::process::{Command, Output};

pub fn yitu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yitu"))
        .args(args)
        .output()
        .expect("yitu runs")
}

/// Asserts the command succeeded, showing its stderr when not.
pub fn succeeded(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Stdout as JSON, after asserting the command succeeded.
pub fn json(out: &Output) -> serde_json::Value {
    succeeded(out);
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}
