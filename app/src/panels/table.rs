//! The attribute table: search, sort by any column, selection synced with the map, zoom-to.
//! The filtered, sorted row list is cached and rebuilt only when the query changes, so scrolling
//! 70,000 rows stays cheap (the table itself only lays out visible rows).

use egui_extras::{Column, TableBuilder};
use yitu_layers::Layer;

use crate::command::{Command, FeatureRef};
use crate::i18n::{Lang, layer_title};

#[derive(Debug, Default, Clone, PartialEq)]
struct Query {
    layer: usize,
    search: String,
    sort: Option<(usize, bool)>,
    len: usize,
}

/// Which layer the table shows and the cached rows for the current query.
#[derive(Default)]
pub struct TableState {
    pub layer: Option<usize>,
    search: String,
    sort: Option<(usize, bool)>,
    cached: Option<Query>,
    rows: Vec<usize>,
    /// The selection the table last scrolled to, so a map click scrolls once, not every frame.
    scrolled_to: Option<FeatureRef>,
}

/// Rows of `layer` whose any value contains `search` (case-insensitive), sorted by `sort`.
pub fn filter_rows(layer: &Layer, search: &str, sort: Option<(usize, bool)>) -> Vec<usize> {
    let needle = search.trim().to_lowercase();
    let mut rows: Vec<usize> = (0..layer.features.len())
        .filter(|&i| {
            needle.is_empty()
                || layer.features[i]
                    .values
                    .iter()
                    .any(|v| v.to_string().to_lowercase().contains(&needle))
        })
        .collect();
    if let Some((col, ascending)) = sort {
        rows.sort_by(|&a, &b| {
            let va = &layer.features[a].values[col];
            let vb = &layer.features[b].values[col];
            let o = va.cmp_for_sort(vb);
            if ascending { o } else { o.reverse() }
        });
    }
    rows
}

pub fn table_ui(
    ui: &mut egui::Ui,
    state: &mut TableState,
    layers: &[&Layer],
    selection: Option<FeatureRef>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let Some(li) = state.layer.filter(|&l| l < layers.len()) else {
        return;
    };
    let layer = layers[li];
    ui.horizontal(|ui| {
        ui.strong(format!(
            "{} — {}",
            lang.t("属性表", "Attribute table"),
            layer_title(lang, &layer.name)
        ));
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text(lang.t("搜索…", "Search…"))
                .desired_width(200.0),
        );
        ui.weak(format!("{} / {}", state.rows.len(), layer.features.len()));
        if ui.button(lang.t("关闭", "Close")).clicked() {
            state.layer = None;
        }
    });
    let query = Query {
        layer: li,
        search: state.search.clone(),
        sort: state.sort,
        len: layer.features.len(),
    };
    if state.cached.as_ref() != Some(&query) {
        state.rows = filter_rows(layer, &state.search, state.sort);
        state.cached = Some(query);
    }
    let mut clicked_sort = None;
    let mut builder = TableBuilder::new(ui);
    if let Some(sel) = selection.filter(|s| s.layer == li && state.scrolled_to != Some(*s)) {
        if let Some(pos) = state.rows.iter().position(|&r| r == sel.feature) {
            builder = builder.scroll_to_row(pos, Some(egui::Align::Center));
        }
        state.scrolled_to = Some(sel);
    }
    builder
        .striped(true)
        .sense(egui::Sense::click())
        .columns(
            Column::auto().at_least(60.0).clip(true).resizable(true),
            layer.fields.len(),
        )
        .header(22.0, |mut header| {
            for (i, name) in layer.fields.iter().enumerate() {
                header.col(|ui| {
                    let arrow = match state.sort {
                        Some((c, true)) if c == i => " ↑",
                        Some((c, false)) if c == i => " ↓",
                        _ => "",
                    };
                    if ui.button(format!("{name}{arrow}")).clicked() {
                        clicked_sort = Some(i);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(20.0, state.rows.len(), |mut row| {
                let feature = state.rows[row.index()];
                let selected = selection == Some(FeatureRef { layer: li, feature });
                row.set_selected(selected);
                for v in &layer.features[feature].values {
                    row.col(|ui| {
                        // Not selectable text: a click must reach the row.
                        ui.add(egui::Label::new(v.to_string()).selectable(false));
                    });
                }
                let r = row.response();
                if r.clicked() {
                    // Already in view: no need to scroll to it.
                    state.scrolled_to = Some(FeatureRef { layer: li, feature });
                    commands.push(Command::Select(state.scrolled_to));
                }
                if r.double_clicked() {
                    commands.push(Command::ZoomTo(FeatureRef { layer: li, feature }));
                }
            });
        });
    if let Some(c) = clicked_sort {
        state.sort = match state.sort {
            Some((s, true)) if s == c => Some((c, false)),
            _ => Some((c, true)),
        };
    }
}
