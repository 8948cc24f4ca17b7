//! The shared store under load (issue #20): ten desks editing the same features at once, and
//! an offline copy's edits pushed back.

use std::time::{Duration, Instant};

use rand::{Rng as _, SeedableRng as _};

/// Ten clients editing the same features: what got in, what was refused, and whether the
/// database kept every edit that got in.
#[derive(Debug, serde::Serialize)]
pub struct EditsReport {
    pub clients: usize,
    pub features: usize,
    pub seconds: f64,
    /// Updates committed.
    pub edits: usize,
    pub edits_per_second: f64,
    /// Updates refused by the version rule (SQLSTATE 40001): another desk had changed the row.
    pub conflicts: usize,
    /// Committed updates missing from the audit log, or versions that skipped or repeated:
    /// must be 0.
    pub lost_updates: usize,
}

/// Another desk's edit reaching an open desk: from its commit to the open desk holding the
/// changed row (notice heard, row read back), as `yitu open postgres://…` does it.
#[derive(Debug, serde::Serialize)]
pub struct LiveReport {
    pub edits: usize,
    pub median_seconds: f64,
    pub max_seconds: f64,
}

/// An offline copy of the whole registry with field edits, pushed back.
#[derive(Debug, serde::Serialize)]
pub struct SyncReport {
    pub field_edits: usize,
    /// Finding the changes in the copy, pushing them and settling the copy.
    pub sync_seconds: f64,
    pub applied: usize,
    pub conflicts: usize,
}

const CLIENTS: usize = 10;
const FEATURES: usize = 100;

/// `CLIENTS` connections to `url` each updating a random one of the first `FEATURES` sources
/// for `seconds`, reading its version and writing the version read plus one.
pub fn edits(url: &str, seconds: f64) -> anyhow::Result<EditsReport> {
    let mut client = yitu_store::connect(url)?;
    let ids: Vec<String> = client
        .query(
            "SELECT id FROM yitu.sources ORDER BY id LIMIT $1",
            &[&(FEATURES as i64)],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let first_audit: i64 = client
        .query_one("SELECT coalesce(max(id), 0) FROM yitu.audit", &[])?
        .get(0);
    let start = Instant::now();
    let until = start + Duration::from_secs_f64(seconds);
    let outcomes = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|k| {
                let ids = &ids;
                s.spawn(move || desk(url, ids, k as u64, until))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| anyhow::anyhow!("a client panicked"))?)
            .collect::<anyhow::Result<Vec<Desk>>>()
    })?;
    let elapsed = start.elapsed().as_secs_f64();
    let committed: Vec<(String, i32)> = outcomes.iter().flat_map(|d| d.committed.clone()).collect();
    // Every committed (feature, version) is in the audit log once, and each feature's versions
    // run 2, 3, ... without a gap or a repeat.
    let audited: Vec<(String, i32)> = client
        .query(
            "SELECT feature_id, (new ->> 'version')::integer FROM yitu.audit
             WHERE id > $1 AND layer = 'sources' AND op = 'UPDATE'",
            &[&first_audit],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut ours = committed.clone();
    ours.sort();
    let mut logged = audited;
    logged.sort();
    let mut lost = ours
        .iter()
        .filter(|e| logged.binary_search(e).is_err())
        .count();
    for id in &ids {
        let mut versions: Vec<i32> = ours.iter().filter(|(f, _)| f == id).map(|e| e.1).collect();
        versions.sort_unstable();
        let expected: Vec<i32> = (2..).take(versions.len()).collect();
        if versions != expected {
            lost += 1;
        }
    }
    Ok(EditsReport {
        clients: CLIENTS,
        features: ids.len(),
        seconds: elapsed,
        edits: committed.len(),
        edits_per_second: committed.len() as f64 / elapsed,
        conflicts: outcomes.iter().map(|d| d.conflicts).sum(),
        lost_updates: lost,
    })
}

/// What one desk did.
struct Desk {
    committed: Vec<(String, i32)>,
    conflicts: usize,
}

fn desk(url: &str, ids: &[String], seed: u64, until: Instant) -> anyhow::Result<Desk> {
    let mut client = yitu_store::connect(url)?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut desk = Desk {
        committed: Vec::new(),
        conflicts: 0,
    };
    while Instant::now() < until {
        let id = &ids[rng.random_range(0..ids.len())];
        let version: i32 = client
            .query_one("SELECT version FROM yitu.sources WHERE id = $1", &[id])?
            .get(0);
        let phone = format!("desk{seed}-{}", rng.random_range(0..1_000_000));
        match client.execute(
            "UPDATE yitu.sources SET phone = $2, version = $3 WHERE id = $1",
            &[id, &phone, &(version + 1)],
        ) {
            Ok(_) => desk.committed.push((id.clone(), version + 1)),
            Err(e) if e.code() == Some(&postgres::error::SqlState::T_R_SERIALIZATION_FAILURE) => {
                desk.conflicts += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(desk)
}

/// Exports the store at `url` as an offline copy, changes `field_edits` sources' phone in it as
/// a Yitu save would, and times pushing it back.
pub fn sync(url: &str, field_edits: usize) -> anyhow::Result<SyncReport> {
    let mut client = yitu_store::connect(url)?;
    let dir = tempfile::tempdir()?;
    let copy = dir.path().join("copy.gpkg");
    let mut project = yitu_store::read::project(&mut client)?;
    project.save_copy(&copy)?;
    let sources = project
        .layers
        .iter_mut()
        .find(|l| l.layer.kind == yitu_layers::LayerKind::PollutionSources)
        .ok_or_else(|| anyhow::anyhow!("the store has no pollution sources"))?;
    let phone = sources
        .layer
        .field_index("phone")
        .ok_or_else(|| anyhow::anyhow!("the sources have no phone field"))?;
    for f in sources.layer.features.iter_mut().take(field_edits) {
        f.values[phone] = yitu_layers::AttrValue::Text("field-edit".to_owned());
    }
    project.save(&copy)?;
    let start = Instant::now();
    let changes = yitu_layers::tracking::changes(&copy)?;
    let pushed = yitu_store::sync::push(&mut client, &changes)?;
    yitu_layers::tracking::settle(&copy, &pushed.settled)?;
    Ok(SyncReport {
        field_edits,
        sync_seconds: start.elapsed().as_secs_f64(),
        applied: pushed.report.applied,
        conflicts: pushed.report.conflicts.len(),
    })
}

/// Times `edits` edits by one desk reaching another desk that listens.
pub fn live(url: &str, edits: usize) -> anyhow::Result<LiveReport> {
    let (link, mut client) = crate::state::store::StoreLink::open(url)?;
    let mut listener = link.listener;
    let id: String = client
        .query_one("SELECT id FROM yitu.sources ORDER BY id LIMIT 1", &[])?
        .get(0);
    let progress = crate::jobs::Progress::default();
    let mut times = Vec::with_capacity(edits);
    for k in 0..edits {
        let heard = std::thread::scope(|s| {
            let listening = s.spawn(|| {
                let l = listener
                    .take()
                    .ok_or_else(|| anyhow::anyhow!("no listener"))?;
                crate::state::store::listen(l, url, &link.tables, &progress)
            });
            let start = Instant::now();
            client.execute(
                "UPDATE yitu.sources SET phone = $2, version = version + 1 WHERE id = $1",
                &[&id, &format!("live-{k}")],
            )?;
            let heard = listening
                .join()
                .map_err(|_| anyhow::anyhow!("the listener panicked"))??;
            times.push(start.elapsed().as_secs_f64());
            anyhow::Ok(heard)
        })?;
        anyhow::ensure!(
            heard.tables.iter().any(|t| !t.rows.features.is_empty()),
            "the edit was heard without its row"
        );
        listener = Some(heard.listener);
    }
    times.sort_by(f64::total_cmp);
    Ok(LiveReport {
        edits,
        median_seconds: times[edits / 2],
        max_seconds: times[edits - 1],
    })
}
