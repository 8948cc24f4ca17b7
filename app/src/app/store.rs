//! The open desk and the shared store: listening for other desks' changes, writing this desk's
//! edits back, choosing after a conflict, reading a feature's history.

use yitu_layers::AttrValue;

use super::YituApp;
use crate::feature::FeatureRef;
use crate::jobs::registry::{JobKind, Outcome};
use crate::state::store::{self, Edit, Heard, Saved};

impl YituApp {
    /// Starts (or goes on) hearing other desks' changes, if the project is a store's.
    pub(super) fn start_listen(
        &mut self,
        ctx: &egui::Context,
        listener: yitu_store::live::Listener,
    ) {
        let Some(link) = self
            .workspace
            .as_ref()
            .and_then(|w| w.loaded.store.as_ref())
        else {
            return;
        };
        let (url, tables) = (link.url.clone(), link.tables.clone());
        self.start_job(ctx, (JobKind::Listen, None), None, move |p| {
            Ok(Outcome::Heard(Box::new(store::listen(
                listener, &url, &tables, p,
            )?)))
        });
    }

    /// Other desks' changes reach the map; listening goes on.
    pub(super) fn heard(&mut self, ctx: &egui::Context, heard: Heard) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let changed: Vec<String> = heard.tables.iter().map(|t| t.layer.clone()).collect();
        if ws.loaded.apply_heard(heard.tables) {
            // Rows were deleted: positions moved, so the selection may point elsewhere.
            ws.selection = None;
            ws.history = None;
        }
        let reread = ws.selection.filter(|s| {
            ws.loaded
                .layers
                .get(s.layer)
                .is_some_and(|l| changed.contains(&l.data.layer.name))
        });
        ws.loaded.sync_inspection_targets();
        self.start_listen(ctx, heard.listener);
        if let Some(f) = reread {
            self.start_history(ctx, f);
        }
    }

    /// This frame's edits of a store's layers are written back, one edit per feature.
    pub(super) fn write_store_edits(&mut self, ctx: &egui::Context) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let mut by_feature: Vec<(FeatureRef, Vec<&'static str>)> = Vec::new();
        for (f, field) in ws.store_edits.drain(..) {
            match by_feature.iter_mut().find(|(g, _)| *g == f) {
                Some((_, fields)) if !fields.contains(&field) => fields.push(field),
                Some(_) => {}
                None => by_feature.push((f, vec![field])),
            }
        }
        let edits: Vec<Edit> = by_feature
            .into_iter()
            .filter_map(|(f, fields)| {
                let layer = &ws.loaded.layers.get(f.layer)?.data.layer;
                ws.loaded.store_edit(layer, f.feature, &fields)
            })
            .collect();
        for edit in edits {
            self.start_store_write(ctx, edit);
        }
    }

    fn start_store_write(&mut self, ctx: &egui::Context, edit: Edit) {
        let Some(url) = self.store_url() else {
            return;
        };
        let subject = format!("{} {}", edit.layer, edit.id);
        self.start_job(
            ctx,
            (JobKind::SaveToStore, Some(subject)),
            None,
            move |_| Ok(Outcome::Saved(store::write(&url, edit)?)),
        );
    }

    /// An edit's fate: its new version, or a conflict for the user to settle.
    pub(super) fn saved(&mut self, saved: Saved) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        match saved {
            Saved::Written { layer, id, version } => {
                ws.loaded.set_fields(&layer, &id, &[], version);
            }
            Saved::Conflict(c) => ws.conflicts.push(*c),
        }
    }

    /// The user's choice on the first conflict: write this desk's values over the other
    /// desk's (knowing them), or take the other desk's.
    pub(super) fn resolve_conflict(&mut self, ctx: &egui::Context, keep_mine: bool) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        if ws.conflicts.is_empty() {
            return;
        }
        let c = ws.conflicts.remove(0);
        let values: Vec<(String, AttrValue)> = if keep_mine {
            c.edit.fields.clone()
        } else {
            c.edit
                .fields
                .iter()
                .map(|(f, _)| {
                    let theirs = c.theirs.values.get(f).unwrap_or(&serde_json::Value::Null);
                    (f.clone(), AttrValue::from_json(theirs))
                })
                .collect()
        };
        ws.loaded
            .set_fields(&c.edit.layer, &c.edit.id, &values, c.theirs.version);
        if keep_mine {
            self.start_store_write(ctx, c.overwrite());
        }
    }

    /// The selected feature's history, when it lives in the store.
    pub(super) fn start_history(&mut self, ctx: &egui::Context, feature: FeatureRef) {
        let Some(loaded) = self.workspace.as_ref().map(|w| &w.loaded) else {
            return;
        };
        let Some(layer) = loaded.layers.get(feature.layer).map(|l| &l.data.layer) else {
            return;
        };
        let (Some(link), AttrValue::Text(id)) = (&loaded.store, layer.value(feature.feature, "id"))
        else {
            return;
        };
        let Some(table) = link.table_of(&layer.name) else {
            return;
        };
        let (url, table, id) = (link.url.clone(), table.to_owned(), id.clone());
        self.start_job(ctx, (JobKind::History, Some(id.clone())), None, move |_| {
            Ok(Outcome::History(
                feature,
                store::history(&url, &table, &id)?,
            ))
        });
    }

    fn store_url(&self) -> Option<String> {
        Some(self.workspace.as_ref()?.loaded.store.as_ref()?.url.clone())
    }
}
