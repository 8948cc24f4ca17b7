//! `yitu store`: the shared PostGIS store's verbs, over `yitu_store`.

use anyhow::Context as _;
use yitu_store::roles::Role;

use super::args::StoreAction;

pub(super) fn run(action: StoreAction) -> anyhow::Result<()> {
    match action {
        StoreAction::Init { db, from, json } => {
            let project = yitu_layers::Project::open(&from)
                .with_context(|| format!("cannot open the project {}", from.display()))?;
            let mut client = yitu_store::connect(&db)?;
            let report = yitu_store::init::init(&mut client, &project)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for (table, rows) in &report.tables {
                    println!("yitu.{table}: {rows} rows");
                }
                println!("district roles: {}", report.districts.len());
            }
        }
        StoreAction::Export { db, out, json } => {
            let mut client = yitu_store::connect(&db)?;
            let project = yitu_store::read::project(&mut client)?;
            project
                .save_copy(&out)
                .with_context(|| format!("cannot write the copy {}", out.display()))?;
            let layers: Vec<(String, usize)> = project
                .layers
                .iter()
                .map(|l| (l.layer.name.clone(), l.layer.features.len()))
                .collect();
            if json {
                println!(
                    "{}",
                    serde_json::json!({"out": out.display().to_string(), "layers": layers})
                );
            } else {
                for (name, n) in &layers {
                    println!("{name}: {n} features");
                }
                println!("{}", out.display());
            }
        }
        StoreAction::Sync { db, copy, json } => sync(&db, &copy, json)?,
        StoreAction::Grant { db, user, role } => {
            let role: Role = role.parse()?;
            let mut client = yitu_store::connect(&db)?;
            yitu_store::roles::grant(&mut client, &user, &role)?;
            println!("{user}: {}", role.group());
        }
        StoreAction::Log { db, feature, json } => {
            let mut client = yitu_store::connect(&db)?;
            let entries = yitu_store::audit::log(&mut client, feature.as_deref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                for e in &entries {
                    println!(
                        "{} {} {} {}.{}",
                        e.at,
                        e.role,
                        e.op,
                        e.layer,
                        e.feature_id.as_deref().unwrap_or("-")
                    );
                }
            }
        }
    }
    Ok(())
}

/// `store sync`: the copy's changes pushed, then the copy brought level with what was applied.
fn sync(db: &str, copy: &std::path::Path, json: bool) -> anyhow::Result<()> {
    let changes = yitu_layers::tracking::changes(copy)?;
    let mut client = yitu_store::connect(db)?;
    let pushed = yitu_store::sync::push(&mut client, &changes)?;
    yitu_layers::tracking::settle(copy, &pushed.settled).with_context(|| {
        format!(
            "the store took the push, but the copy {} could not be marked as pushed \
             (pushing it again changes nothing twice)",
            copy.display()
        )
    })?;
    let report = &pushed.report;
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        println!("applied: {} row(s)", report.applied);
        for c in &report.conflicts {
            println!(
                "conflict: {}.{} {}: ours {} theirs {}",
                c.layer, c.feature_id, c.field, c.ours, c.theirs
            );
        }
    }
    if !report.conflicts.is_empty() {
        anyhow::bail!(
            "{} conflict(s) not applied: change those fields in the copy to keep the store's \
             value or to agree with it, then sync again",
            report.conflicts.len()
        );
    }
    Ok(())
}
