//! An anomaly's timeline (egui_plot): its parameter's hourly values three days either side,
//! the limit, the anomaly's hours shaded, hours not flagged N marked, and the firm's
//! production and treatment power below on the same time axis; zoom and pan together.

use egui_plot::{HLine, Legend, Line, Plot, PlotPoints, Span};
use yitu_layers::Layer;
use yitu_monitoring::power::Role;
use yitu_monitoring::time::{DAY_HOURS, Stamp};

use crate::i18n::Lang;
use crate::state::monitoring::{MonitoringRun, anomaly_of};

/// Days shown either side of the anomaly.
const MARGIN_DAYS: i64 = 3;

pub fn timeline_ui(
    ui: &mut egui::Ui,
    run: &MonitoringRun,
    layer: &Layer,
    row: usize,
    cursor_day: Option<i64>,
    lang: Lang,
) {
    let Some(a) = anomaly_of(run, layer, row) else {
        return;
    };
    let (from, to) = (
        a.start.hour() - MARGIN_DAYS * DAY_HOURS,
        a.end.hour() + MARGIN_DAYS * DAY_HOURS,
    );
    let time = |_: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| String::new();
    let date = |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        Stamp::of_hour(mark.value.round() as i64)
            .iso()
            .get(5..13)
            .unwrap_or_default()
            .replace('T', " ")
    };
    let link = ui.scope_id().with("monitoring_time");
    let point = a.mn.as_deref().and_then(|mn| run.data.point(mn));
    Plot::new(("values", row))
        .height(200.0)
        .legend(Legend::default())
        .link_axis(link, [true, false])
        .x_axis_formatter(date)
        .show(ui, |plot| {
            plot.span(Span::new(
                lang.t("异常时段", "Anomaly"),
                a.start.hour() as f64..=a.end.hour() as f64,
            ));
            let Some(point) = point else { return };
            for (code, series) in &point.hourly {
                if a.code.as_deref().is_some_and(|c| c != code) {
                    continue;
                }
                let values: Vec<[f64; 2]> = (from..to)
                    .filter_map(|h| series.get(h).map(|(v, _)| [h as f64, f64::from(v)]))
                    .collect();
                // Hours marked other than N, shaded as spans.
                let marked = |h: i64| series.get(h).is_some_and(|(_, f)| !f.is_valid());
                let mut h = from;
                while h < to {
                    if marked(h) {
                        let s = h;
                        while h < to && marked(h) {
                            h += 1;
                        }
                        plot.span(
                            Span::new(lang.t("非N标记", "not flagged N"), s as f64..=h as f64)
                                .fill(egui::Color32::from_gray(200).gamma_multiply(0.5)),
                        );
                    }
                    h += 1;
                }
                plot.line(Line::new(
                    yitu_monitoring::params::name(code).to_owned(),
                    PlotPoints::from(values),
                ));
            }
            if let (Some(limit), Some(_)) = (a.limit, a.code.as_ref()) {
                plot.hline(HLine::new(lang.t("限值", "Limit"), limit));
            }
            // The end of the day the command centre's time slider shows.
            if let Some(day) = cursor_day {
                plot.vline(egui_plot::VLine::new(
                    lang.t("会商时间", "Time shown"),
                    ((day + 1) * DAY_HOURS) as f64,
                ));
            }
        });
    let kw = |role| a.source_id.as_deref().and_then(|s| run.power.of(s, role));
    if kw(Role::Production).is_none() {
        return;
    }
    Plot::new(("power", row))
        .height(120.0)
        .legend(Legend::default())
        .link_axis(link, [true, false])
        .x_axis_formatter(time)
        .show(ui, |plot| {
            for (role, name) in [
                (Role::Production, lang.t("生产用电 kW", "Production kW")),
                (Role::Treatment, lang.t("治污用电 kW", "Treatment kW")),
            ] {
                if let Some(p) = kw(role) {
                    let points: Vec<[f64; 2]> = (from..to)
                        .filter_map(|h| p.kw(h).map(|v| [h as f64, v]))
                        .collect();
                    plot.line(Line::new(name, PlotPoints::from(points)));
                }
            }
        });
}
