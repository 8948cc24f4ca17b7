//! River traces: the network built from the project's rivers when first asked, a trace from a
//! click, and its joint-check lists written beside the project.

use super::YituApp;
use yitu_basins::attribution::Exceedance;

use crate::state::basins::{Basin, TraceRequest, write_lists};

impl YituApp {
    /// Traces from the reach nearest (`lon`, `lat`) with the trace tool's settings, and shows
    /// the result in the window.
    pub fn trace_from(&mut self, lon: f64, lat: f64, label: String) {
        let lang = self.lang;
        let Some(ws) = &mut self.workspace else {
            return;
        };
        if ws.basin.is_none() {
            ws.basin = Basin::new(&ws.loaded);
        }
        let Some(basin) = &ws.basin else {
            self.messages.push(
                lang.t(
                    "项目没有河流图层，无法追溯",
                    "The project has no rivers layer to trace",
                )
                .to_owned(),
            );
            return;
        };
        let (km, hours) = self.view.trace.limits();
        let label = if label.is_empty() {
            format!("{lon:.4}, {lat:.4}")
        } else {
            label
        };
        let exceedance = self
            .view
            .trace
            .exceedance
            .parse()
            .unwrap_or_else(|e: String| {
                self.messages.push(e);
                Exceedance::default()
            });
        let request = TraceRequest {
            at: geo::Coord { x: lon, y: lat },
            label,
            direction: self.view.trace.direction,
            km,
            hours,
            exceedance,
        };
        ws.trace = basin.trace(&ws.loaded, request);
        // The whole trace in view.
        let bounds = ws.trace.as_ref().and_then(|t| {
            let points = t.lines.iter().flatten().map(|c| geo::Point::from(*c));
            geo::BoundingRect::bounding_rect(&points.collect::<geo::MultiPoint>())
        });
        if let Some(r) = bounds {
            self.view.zoom_to(r);
        }
        self.trace_open = true;
    }

    /// The trace's firms and district pairs added to the draw window's plan (those it lacks),
    /// and the window opened on it.
    pub(super) fn add_trace_to_draw(&mut self) {
        let Some(run) = self.workspace.as_ref().and_then(|w| w.trace.as_ref()) else {
            return;
        };
        let lists = yitu_basins::joint::by_district(&run.ranked);
        let pairs = yitu_basins::joint::pairs(&run.crossings);
        let reason = format!("流域追溯 {} · {}", run.request.label, run.river);
        let added =
            yitu_basins::joint::plan_additions(&self.dispatch.plan_toml, &reason, &lists, &pairs);
        let plan = &mut self.dispatch.plan_toml;
        if !plan.ends_with('\n') && !plan.is_empty() {
            plan.push('\n');
        }
        plan.push('\n');
        plan.push_str(&added);
        self.dispatch.open = true;
    }

    pub(super) fn export_trace_lists(&mut self) {
        let lang = self.lang;
        let Some(ws) = &self.workspace else { return };
        let Some(run) = &ws.trace else { return };
        let Some(dir) = ws.loaded.folder_beside("trace") else {
            self.messages.push(
                lang.t(
                    "请先保存项目：清单导出到项目旁的文件夹",
                    "Save the project first: the lists go into a folder beside it",
                )
                .to_owned(),
            );
            return;
        };
        match write_lists(&dir, run) {
            Ok(files) => self.messages.push(format!(
                "{} {}",
                lang.t("已导出", "Written:"),
                files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Err(e) => self.messages.push(format!("{e:#}")),
        }
    }
}
