//! The attribute table: search, sort by any column, selection synced with the map, zoom-to.
//! The filtered, sorted row list is cached and rebuilt only when the query changes, so scrolling
//! 70,000 rows stays cheap (the table itself only lays out visible rows).

use egui_extras::{Column, TableBuilder};
use yitu_layers::Layer;

use crate::command::Command;
use crate::feature::{FeatureRef, LayerId};
use crate::i18n::{Lang, layer_title};
use crate::map::layers::MapLayers;

#[derive(Debug, Default, Clone, PartialEq)]
struct Query {
    layer: LayerId,
    search: String,
    sort: Option<(usize, bool)>,
    len: usize,
}

/// Which layer the table shows and the cached rows for the current query.
#[derive(Default)]
pub struct TableState {
    pub layer: Option<LayerId>,
    search: String,
    sort: Option<(usize, bool)>,
    cached: Option<Query>,
    rows: Vec<usize>,
    /// The selection the table last scrolled to, so a map click scrolls once, not every frame.
    scrolled_to: Option<FeatureRef>,
}

/// One search term: free text anywhere, or a condition on one field.
#[derive(Debug, PartialEq)]
enum Term {
    Anywhere(String),
    /// `field=value`: exact (case-insensitive).
    Equals(usize, String),
    /// `field>value` / `field<value`: numbers numerically, other text (ISO dates) in text order.
    Greater(usize, String),
    Less(usize, String),
}

fn parse_terms(layer: &Layer, search: &str) -> Vec<Term> {
    search
        .split_whitespace()
        .map(|t| {
            let t = t.to_lowercase();
            for (op, make) in [
                ('=', Term::Equals as fn(usize, String) -> Term),
                ('>', Term::Greater),
                ('<', Term::Less),
            ] {
                if let Some((field, value)) = t.split_once(op)
                    && let Some(i) = layer.fields.iter().position(|f| f.to_lowercase() == field)
                {
                    return make(i, value.to_owned());
                }
            }
            Term::Anywhere(t)
        })
        .collect()
}

fn compare(value: &yitu_layers::AttrValue, wanted: &str) -> Option<std::cmp::Ordering> {
    match (value.as_f64(), wanted.parse::<f64>()) {
        (Some(a), Ok(b)) => a.partial_cmp(&b),
        _ if matches!(value, yitu_layers::AttrValue::Null) => None,
        _ => Some(value.to_string().to_lowercase().as_str().cmp(wanted)),
    }
}

/// Rows of `layer` matching every term of `search`, sorted by `sort` (column, ascending).
///
/// Terms are free text (matched in any column) or `field=value`, `field>value`, `field<value`,
/// e.g. `category=key last_inspection<2024 化工`.
pub fn filter_rows(layer: &Layer, search: &str, sort: Option<(usize, bool)>) -> Vec<usize> {
    let terms = parse_terms(layer, search);
    let matches = |i: usize| {
        let values = &layer.features[i].values;
        terms.iter().all(|t| match t {
            Term::Anywhere(text) => values
                .iter()
                .any(|v| v.to_string().to_lowercase().contains(text)),
            Term::Equals(c, want) => values[*c].to_string().to_lowercase() == *want,
            Term::Greater(c, want) => {
                compare(&values[*c], want) == Some(std::cmp::Ordering::Greater)
            }
            Term::Less(c, want) => compare(&values[*c], want) == Some(std::cmp::Ordering::Less),
        })
    };
    let mut rows: Vec<usize> = (0..layer.features.len()).filter(|&i| matches(i)).collect();
    if let Some((col, ascending)) = sort {
        rows.sort_by(|&a, &b| {
            let o = layer.features[a].values[col].cmp_for_sort(&layer.features[b].values[col]);
            if ascending { o } else { o.reverse() }
        });
    }
    rows
}

pub fn table_ui(
    ui: &mut egui::Ui,
    state: &mut TableState,
    layers: &MapLayers,
    selection: Option<FeatureRef>,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let Some((li, layer)) = state
        .layer
        .and_then(|id| Some((id, &layers.get(id)?.data.layer)))
    else {
        return;
    };
    ui.horizontal(|ui| {
        ui.strong(format!(
            "{} — {}",
            lang.t("属性表", "Attribute table"),
            layer_title(lang, &layer.name)
        ));
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text(lang.t(
                    "搜索… 或 字段=值 字段<值",
                    "Search… or field=value field<value",
                ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use yitu_layers::LayerKind;

    fn sources() -> Layer {
        let p = yitu_sample_data::project_of_size(
            "t",
            yitu_sample_data::Size {
                sources: 400,
                outfalls: 1,
                sections: 1,
                inspectors_per_team: 1,
            },
        );
        p.layer(LayerKind::PollutionSources).unwrap().clone()
    }

    #[test]
    fn field_conditions_and_free_text_combine() {
        let layer = sources();
        let key = filter_rows(&layer, "category=key", None);
        assert!(!key.is_empty() && key.len() < layer.features.len());
        assert!(
            key.iter()
                .all(|&i| layer.value(i, "category").to_string() == "key")
        );
        let old = filter_rows(&layer, "category=key last_inspection<2024", None);
        assert!(
            old.iter()
                .all(|&i| layer.value(i, "last_inspection").to_string().as_str() < "2024")
        );
        assert!(old.len() < key.len());
        let chem = filter_rows(&layer, "化工", None);
        assert!(chem.iter().all(|&i| layer.label(i).contains("化工")));
    }

    #[test]
    fn sorting_descending_puts_the_largest_first() {
        let layer = sources();
        let col = layer.field_index("id").unwrap();
        let rows = filter_rows(&layer, "", Some((col, false)));
        assert_eq!(layer.value(rows[0], "id").to_string(), "PS000400");
    }
}
