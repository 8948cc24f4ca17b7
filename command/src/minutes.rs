//! The meeting's minutes (会商纪要): one HTML page with every snapshot, its time and caption,
//! and the indicators at that moment.

use std::fmt::Write as _;

use yitu_core::markup::html_escape;

use crate::indicators::Indicators;

/// One snapshot taken during the meeting.
pub struct Snapshot {
    /// The PNG's file name, beside the minutes.
    pub file: String,
    /// When it was taken (local time, as shown).
    pub taken: String,
    pub caption: String,
    /// The data time shown (the time slider), if any.
    pub data_time: Option<String>,
    pub indicators: Indicators,
    /// The indicators shown on the screen, by id (empty: all city-wide ones).
    pub shown: Vec<String>,
}

fn value(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".to_owned(),
        Some(v) if unit == "%" => format!("{v:.1} %"),
        Some(v) => format!("{v:.0}"),
    }
}

/// The page, in Chinese when `zh`.
pub fn html(title: &str, snapshots: &[Snapshot], zh: bool) -> String {
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let mut s = String::new();
    let _ = write!(
        s,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>body{{font-family:sans-serif;margin:2em;max-width:1100px}}img{{width:100%;border:1px solid #444}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:3px 8px}}td.v{{text-align:right}}.missing{{color:#888}}</style></head><body><h1>{title}</h1>",
        if zh { "zh" } else { "en" },
        title = html_escape(title)
    );
    for (k, shot) in snapshots.iter().enumerate() {
        let _ = write!(
            s,
            "<section><h2>{}. {}</h2><p>{} {}",
            k + 1,
            html_escape(&shot.caption),
            t("截图时间", "Taken"),
            html_escape(&shot.taken)
        );
        if let Some(d) = &shot.data_time {
            let _ = write!(s, " · {} {}", t("数据截至", "data up to"), html_escape(d));
        }
        let period = &shot.indicators.period;
        let _ = write!(
            s,
            " · {} {} – {}</p><img src=\"{}\" alt=\"{}\"><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            t("统计期", "period"),
            html_escape(period.from.as_deref().unwrap_or("—")),
            html_escape(period.to.as_deref().unwrap_or("—")),
            html_escape(&shot.file),
            html_escape(&shot.caption),
            t("指标", "Indicator"),
            t("数值", "Value"),
            t("目标", "Target"),
            t("来源", "Source"),
        );
        for i in shot.indicators.indicators.iter().filter(|i| {
            i.district.is_none() && (shot.shown.is_empty() || shot.shown.iter().any(|s| s == i.id))
        }) {
            let source = match &i.missing {
                Some(why) => format!("<span class=\"missing\">{}</span>", html_escape(why)),
                None => html_escape(&i.source),
            };
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"v\">{}</td><td class=\"v\">{}</td><td>{source}</td></tr>",
                html_escape(&i.label),
                value(i.value, i.unit),
                i.target
                    .map_or_else(String::new, |v| value(Some(v), i.unit)),
            );
        }
        s.push_str("</table></section>");
    }
    s.push_str("</body></html>\n");
    s
}
