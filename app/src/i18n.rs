//! Chinese-first UI text with an English switch. Strings stay next to their use as `(中文, English)`
//! pairs, so a label can never lose its translation.

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
        _ => None,
    };
    known.map_or_else(|| name.to_owned(), str::to_owned)
}
