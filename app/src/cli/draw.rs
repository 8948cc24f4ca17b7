//! `yitu draw`: the 双随机 draw of firms and inspectors, and its verification from the record.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use yitu_draw::Record;

/// The files a draw reads.
pub struct DrawFiles {
    pub sources: PathBuf,
    pub inspectors: PathBuf,
    pub plan: PathBuf,
}

impl DrawFiles {
    fn read(&self) -> anyhow::Result<yitu_draw::Inputs> {
        Ok(yitu_draw::read_inputs(
            &self.sources,
            &self.inspectors,
            &self.plan,
        )?)
    }
}

/// Draws with `entropy`, writes the record to `out` (and the announcement and task list into
/// `publish`), and prints a summary (JSON with `json`).
pub fn run(
    files: &DrawFiles,
    entropy: &str,
    out: &Path,
    publish: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    for input in [&files.sources, &files.inspectors, &files.plan] {
        super::refuse_overwriting_input(input, out)?;
    }
    let inputs = files.read()?;
    let record = yitu_draw::draw(&inputs, entropy)?;
    super::write_json_atomically(out, &record)?;
    let published = match publish {
        Some(dir) => yitu_draw::publish::write(dir, &record, &inputs)?,
        None => Vec::new(),
    };
    if json {
        let summary = serde_json::json!({
            "output": out,
            "selected": record.selected.len(),
            "targeted": record.targeted.len(),
            "strata": record.strata,
            "seed": record.seed,
            "published": published,
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{}: {} firms drawn, {} targeted; seed {}",
            out.display(),
            record.selected.len(),
            record.targeted.len(),
            record.seed
        );
        for s in &record.strata {
            println!("  {}: {} of {} eligible", s.stratum, s.drawn, s.eligible);
        }
    }
    Ok(())
}

/// Checks `record` against the inputs: success when it reproduces exactly, an error with the
/// first difference otherwise.
pub fn verify(files: &DrawFiles, record: &Path, json: bool) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(record)
        .with_context(|| format!("cannot read {}", record.display()))?;
    let parsed: Record = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a draw record", record.display()))?;
    let inputs = files.read()?;
    match yitu_draw::verify(&parsed, &inputs) {
        Ok(()) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"record": record, "reproduces": true, "seed": parsed.seed})
                );
            } else {
                println!(
                    "{}: the draw reproduces exactly from the inputs",
                    record.display()
                );
            }
            Ok(())
        }
        Err(difference) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"record": record, "reproduces": false, "difference": difference})
                );
            }
            anyhow::bail!("{}: does not reproduce: {difference}", record.display())
        }
    }
}

/// Prints the nearby district pairs for `sources` and the roster `inspectors`: TOML to add to
/// a plan, or JSON.
pub fn pairs(sources: &Path, inspectors: &Path, json: bool) -> anyhow::Result<()> {
    let targets = yitu_draw::read_targets(sources)?;
    let roster = yitu_draw::roster::read_csv(inspectors)?;
    let pairs = yitu_draw::pairing::nearby_pairs(&targets, &roster);
    anyhow::ensure!(
        !pairs.is_empty(),
        "{}: no two districts with placed firms and inspectors to pair",
        sources.display()
    );
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "pairs": pairs }))?
        );
    } else {
        print!("{}", yitu_draw::pairing::to_toml(&pairs));
    }
    Ok(())
}
