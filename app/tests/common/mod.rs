//! What the CLI test files share: running the `yitu` binary and reading its JSON.

use std::process::{Command, Output};

pub fn yitu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yitu"))
        .args(args)
        .output()
        .expect("yitu runs")
}

/// Stdout as JSON, after asserting the command succeeded (its stderr shown when not).
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}
