//! Chinese-first UI text with an English switch. Strings stay next to their use as `(中文, English)`
//! pairs, so a label can never lose its translation.

use yitu_monitoring::report::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Zh => zh,
            Self::En => en,
        }
    }

    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }
}

/// The display name of a layer kind.
pub fn kind_name(lang: Lang, kind: yitu_layers::LayerKind) -> &'static str {
    use yitu_layers::LayerKind as K;
    match kind {
        K::PollutionSources => lang.t("污染源", "Pollution sources"),
        K::Outfalls => lang.t("入河排污口", "River outfalls"),
        K::RiverSections => lang.t("监测断面", "River sections"),
        K::Districts => lang.t("行政区划", "Districts"),
        K::Rivers => lang.t("河流", "Rivers"),
        K::Other => lang.t("其他图层", "Other layer"),
    }
}

/// Display names of the sample layers; other layers show their own name.
pub fn layer_title(lang: Lang, name: &str) -> String {
    let known = match name {
        "districts" => Some(lang.t("重庆区县", "Chongqing districts")),
        "sichuan_districts" => Some(lang.t("四川区县", "Sichuan districts")),
        "rivers" => Some(lang.t("河流", "Rivers")),
        "river_sections" => Some(lang.t("国控断面", "National sections")),
        "outfalls" => Some(lang.t("入河排污口", "River outfalls")),
        "pollution_sources" => Some(lang.t("污染源", "Pollution sources")),
        "teams" => Some(lang.t("执法队伍", "Enforcement teams")),
        "inspectors" => Some(lang.t("执法人员", "Inspectors")),
        "monitoring_anomalies" => Some(lang.t("在线监控异常", "Monitoring anomalies")),
        "monitoring_points" => Some(lang.t("在线监控企业", "Monitored firms")),
        _ => None,
    };
    known.map_or_else(|| name.to_owned(), str::to_owned)
}

/// Display text of a coded attribute value (the sample's categories and outfall statuses, a
/// detection's capability, status and review): legends and the review queue show the words,
/// not the codes. Other values show as they are, as a class in Chinese.
pub fn value_label(lang: Lang, value: &str) -> String {
    let known = match value {
        "key" => Some(lang.t("重点监管", "Key")),
        "general" => Some(lang.t("一般监管", "General")),
        "special" => Some(lang.t("特殊监管", "Special")),
        "active" => Some(lang.t("在用", "Active")),
        "closed" => Some(lang.t("已封堵", "Closed")),
        "banned" => Some(lang.t("取缔", "Banned")),
        "land_hotspot" => Some(lang.t("陆地热异常", "Land hot spot")),
        "bank_plume" => Some(lang.t("岸边排污羽流", "Bank plume")),
        "submerged_plume" => Some(lang.t("水下排口涌流", "Submerged plume")),
        "sat_hotspot" => Some(lang.t("卫星热异常", "Satellite hot spot")),
        "registered_active" => Some(lang.t("已登记排口排放", "Registered outfall, active")),
        "registered_closed_discharging" => {
            Some(lang.t("已封堵排口仍排放", "Closed outfall discharging"))
        }
        "unregistered_suspect" => Some(lang.t("疑似暗管", "Unregistered: hidden-pipe suspect")),
        "facility_active_during_stop" => {
            Some(lang.t("停产期间仍生产", "Active during a production stop"))
        }
        "registered_source" => Some(lang.t("已登记污染源", "Registered source")),
        "unregistered_hotspot" => Some(lang.t("未登记热异常", "Unregistered hot spot")),
        "confirmed" => Some(lang.t("已确认", "Confirmed")),
        "dismissed" => Some(lang.t("已排除", "Dismissed")),
        "field_check" => Some(lang.t("需现场核查", "Field check")),
        "none" => Some(lang.t("无异常", "No anomaly")),
        code => Kind::parse(code).map(|k| anomaly_label(k, lang)),
    };
    known.map_or_else(|| format!("{}{}", value, lang.t("类", "")), str::to_owned)
}

/// A kind of monitoring anomaly in words.
pub fn anomaly_label(kind: yitu_monitoring::report::Kind, lang: Lang) -> &'static str {
    match kind {
        yitu_monitoring::report::Kind::Exceedance => lang.t("超标", "Exceedance"),
        yitu_monitoring::report::Kind::Flatline => lang.t("数据恒值", "Flatline"),
        yitu_monitoring::report::Kind::ZeroWhileActive => lang.t("生产时零值", "Zero while active"),
        yitu_monitoring::report::Kind::StepDrop => lang.t("检查后骤降", "Drop after notice"),
        yitu_monitoring::report::Kind::LowTransmission => lang.t("传输率不足", "Low transmission"),
        yitu_monitoring::report::Kind::FlaggedSpan => lang.t("标记过多", "Flagged span"),
        yitu_monitoring::report::Kind::TreatmentOff => lang.t("治污设施停运", "Treatment off"),
        yitu_monitoring::report::Kind::RunningWhileHalted => {
            lang.t("停限产期间生产", "Running while halted")
        }
    }
}
