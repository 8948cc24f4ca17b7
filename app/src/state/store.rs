//! A project open from the shared store: which table holds each layer, other desks' changes
//! read back as they commit, the desk's own edits written under the version rule, and a
//! feature's history from the audit log.

use std::collections::BTreeMap;
use std::time::Duration;

use yitu_layers::{AttrValue, Layer};
use yitu_store::audit::AuditEntry;
use yitu_store::edit::{EditOutcome, Theirs};
use yitu_store::live::Listener;

use super::LoadedProject;
use crate::jobs::Progress;
use crate::map::prepared::PreparedLayer;

/// How long the listener waits for a notice before it looks at its cancel flag again.
const LISTEN_SLICE: Duration = Duration::from_millis(250);

/// The store a project was opened from.
pub struct StoreLink {
    pub url: String,
    /// Each layer's name and its table.
    pub tables: Vec<(String, String)>,
    /// Listening since before the project was read, so no change in between is missed; taken
    /// by the first listening job.
    pub listener: Option<Listener>,
}

impl StoreLink {
    /// Connects to `url`, starts listening, and reads which table holds which layer.
    pub fn open(url: &str) -> anyhow::Result<(Self, postgres::Client)> {
        let listener = Listener::new(url)?;
        let mut client = yitu_store::connect(url)?;
        let tables = yitu_store::read::tables(&mut client)?
            .into_iter()
            .map(|t| (t.name, t.table))
            .collect();
        let link = Self {
            url: url.to_owned(),
            tables,
            listener: Some(listener),
        };
        Ok((link, client))
    }

    /// `user@database` of the URL, for the title bar: never its password or socket path.
    pub fn label(&self) -> String {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let (user, host_db) = rest.split_once('@').unwrap_or(("", rest));
        let user = user.split(':').next().unwrap_or_default();
        let db = host_db
            .split_once('/')
            .map_or("", |(_, d)| d.split('?').next().unwrap_or_default());
        format!("{user}@{db}")
    }

    pub fn table_of(&self, layer: &str) -> Option<&str> {
        self.tables
            .iter()
            .find(|(l, _)| l == layer)
            .map(|(_, t)| t.as_str())
    }
}

/// Other desks' changes, read back, and the listener to go on with.
pub struct Heard {
    pub listener: Listener,
    pub tables: Vec<HeardTable>,
}

/// The changed rows of one layer.
pub struct HeardTable {
    pub layer: String,
    /// Rows inserted or updated, as they are now.
    pub rows: Layer,
    pub deleted: Vec<String>,
}

/// Waits, until cancelled, for the store's change notices, and reads the rows they name.
pub fn listen(
    mut listener: Listener,
    url: &str,
    tables: &[(String, String)],
    progress: &Progress,
) -> anyhow::Result<Heard> {
    let changes = loop {
        progress.check()?;
        let changes = listener.changes(LISTEN_SLICE)?;
        if !changes.is_empty() {
            break changes;
        }
    };
    // Per table, the ids changed and the ids deleted (the last word on each id wins).
    let mut by_table: BTreeMap<&str, BTreeMap<String, bool>> = BTreeMap::new();
    for c in &changes {
        if let Some(id) = &c.feature_id {
            by_table
                .entry(c.layer.as_str())
                .or_default()
                .insert(id.clone(), c.op == "DELETE");
        }
    }
    let mut client = yitu_store::connect(url)?;
    let mut heard = Vec::new();
    for (table, ids) in by_table {
        let Some((layer, _)) = tables.iter().find(|(_, t)| t == table) else {
            continue;
        };
        let (deleted, changed): (Vec<_>, Vec<_>) = ids.into_iter().partition(|(_, d)| *d);
        let changed: Vec<String> = changed.into_iter().map(|(id, _)| id).collect();
        heard.push(HeardTable {
            layer: layer.to_owned(),
            rows: yitu_store::read::read_rows(&mut client, table, &changed)?,
            deleted: deleted.into_iter().map(|(id, _)| id).collect(),
        });
    }
    Ok(Heard {
        listener,
        tables: heard,
    })
}

impl LoadedProject {
    /// Puts other desks' changes into the layers they belong to: rows updated in place (by
    /// their id), inserted on the end, deleted. Says whether a layer lost rows (a selection by
    /// position may no longer hold).
    pub fn apply_heard(&mut self, heard: Vec<HeardTable>) -> bool {
        let mut removed = false;
        for h in heard {
            let Some(l) = self
                .layers
                .iter_mut()
                .find(|l| l.data.layer.name == h.layer)
            else {
                continue;
            };
            let layer = &mut l.data.layer;
            let Some(id_field) = layer.field_index("id") else {
                continue;
            };
            // The store's columns by the layer's fields (both come from the same table).
            let columns: Vec<Option<usize>> =
                layer.fields.iter().map(|f| h.rows.field_index(f)).collect();
            let position: BTreeMap<String, usize> = layer
                .features
                .iter()
                .enumerate()
                .map(|(i, f)| (f.values[id_field].to_string(), i))
                .collect();
            for row in h.rows.features {
                let values: Vec<AttrValue> = columns
                    .iter()
                    .map(|c| c.map_or(AttrValue::Null, |c| row.values[c].clone()))
                    .collect();
                let feature = yitu_layers::Feature {
                    geometry: row.geometry,
                    values,
                };
                match position.get(&feature.values[id_field].to_string()) {
                    Some(&i) => layer.features[i] = feature,
                    None => layer.features.push(feature),
                }
            }
            if !h.deleted.is_empty() {
                let before = layer.features.len();
                layer
                    .features
                    .retain(|f| !h.deleted.contains(&f.values[id_field].to_string()));
                removed |= layer.features.len() != before;
            }
            l.drawing = PreparedLayer::build(&l.data);
        }
        removed
    }

    /// The edit of feature `index` of layer `layer`'s `fields` as they are now, if the layer
    /// lives in the store.
    pub fn store_edit(&self, layer: &Layer, index: usize, fields: &[&str]) -> Option<Edit> {
        let table = self.store.as_ref()?.table_of(&layer.name)?;
        let id = layer.value(index, "id").to_string();
        let version = match layer.value(index, "version") {
            AttrValue::Int(v) => *v,
            _ => return None,
        };
        Some(Edit {
            layer: layer.name.clone(),
            table: table.to_owned(),
            id,
            version_read: version,
            fields: fields
                .iter()
                .map(|f| ((*f).to_owned(), layer.value(index, f).clone()))
                .collect(),
        })
    }

    /// Feature `id` of layer `layer` takes `values` and is at `version` now: this desk's edit
    /// was written, or the user chose after a conflict.
    pub fn set_fields(
        &mut self,
        layer: &str,
        id: &str,
        values: &[(String, AttrValue)],
        version: i64,
    ) {
        let Some(l) = self.layers.iter_mut().find(|l| l.data.layer.name == layer) else {
            return;
        };
        let layer = &mut l.data.layer;
        let (Some(idf), Some(vf)) = (layer.field_index("id"), layer.field_index("version")) else {
            return;
        };
        let columns: Vec<(Option<usize>, &AttrValue)> = values
            .iter()
            .map(|(f, v)| (layer.field_index(f), v))
            .collect();
        for f in &mut layer.features {
            if f.values[idf].to_string() == id {
                f.values[vf] = AttrValue::Int(version);
                for (c, v) in &columns {
                    if let Some(c) = c {
                        f.values[*c] = (*v).clone();
                    }
                }
            }
        }
    }
}

/// An edit of one row, to write.
#[derive(Debug, Clone)]
pub struct Edit {
    pub layer: String,
    pub table: String,
    pub id: String,
    pub version_read: i64,
    pub fields: Vec<(String, AttrValue)>,
}

/// What became of an edit.
pub enum Saved {
    Written {
        layer: String,
        id: String,
        version: i64,
    },
    /// Another desk changed the row first: shown to the user, who chooses.
    Conflict(Box<Conflict>),
}

/// An edit refused as stale, with the row as the other desk left it.
pub struct Conflict {
    pub edit: Edit,
    pub theirs: Theirs,
}

impl Conflict {
    /// The same edit over the other desk's version: the user keeps theirs knowingly.
    pub fn overwrite(&self) -> Edit {
        Edit {
            version_read: self.theirs.version,
            ..self.edit.clone()
        }
    }
}

/// Writes `edit` to the store at `url`.
pub fn write(url: &str, edit: Edit) -> anyhow::Result<Saved> {
    let mut client = yitu_store::connect(url)?;
    Ok(
        match yitu_store::edit::update(
            &mut client,
            &edit.table,
            &edit.id,
            edit.version_read,
            &edit.fields,
        )? {
            EditOutcome::Written { version } => Saved::Written {
                layer: edit.layer,
                id: edit.id,
                version,
            },
            EditOutcome::Stale(theirs) => Saved::Conflict(Box::new(Conflict { edit, theirs })),
        },
    )
}

/// Feature `id`'s history in table `table`, oldest first.
pub fn history(url: &str, table: &str, id: &str) -> anyhow::Result<Vec<AuditEntry>> {
    let mut client = yitu_store::connect(url)?;
    let mut entries = yitu_store::audit::log(&mut client, Some(id))?;
    entries.retain(|e| e.layer == table);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_shows_user_and_database_only() {
        let link = |url: &str| StoreLink {
            url: url.to_owned(),
            tables: Vec::new(),
            listener: None,
        };
        assert_eq!(
            link("postgresql://li:secret@%2Fvar%2Frun%2Fpostgresql/yitu?sslmode=disable").label(),
            "li@yitu"
        );
        assert_eq!(link("postgres://db.example/yitu").label(), "@yitu");
    }
}
