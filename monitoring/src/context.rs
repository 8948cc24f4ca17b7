//! What the data is judged against: the firms (with their points, category and district),
//! emission limits, halt and limit periods (停产限产, 重污染天气应急) and announced inspections
//! or published draws.

use crate::time::Stamp;

/// A firm of the registry, as monitoring needs it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub id: String,
    pub category: Option<String>,
    /// GB/T 2260 code of its district.
    pub district: Option<String>,
    /// Its monitoring points (MNs), from its `mn` field and the MN map together.
    pub mns: Vec<String>,
}

/// Whom a period or an event concerns: one firm, or every firm of a district.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Target {
    Source(String),
    District(String),
}

impl Target {
    pub fn covers(&self, source: &Source) -> bool {
        match self {
            Self::Source(id) => *id == source.id,
            Self::District(code) => source.district.as_deref() == Some(code),
        }
    }
}

/// What a period asks of a firm.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum PeriodKind {
    /// Stop production.
    Halt,
    /// Run at no more than this share (0–1) of the usual production load.
    Limit(f64),
}

impl PeriodKind {
    /// `halt` or `limit:<percent>`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("halt") {
            return Some(Self::Halt);
        }
        let pct: f64 = text
            .strip_prefix("limit:")?
            .trim()
            .trim_end_matches('%')
            .parse()
            .ok()?;
        (0.0..=100.0)
            .contains(&pct)
            .then_some(Self::Limit(pct / 100.0))
    }
}

/// A halt or limit period.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub target: Target,
    pub start: Stamp,
    /// Exclusive.
    pub end: Stamp,
    pub kind: PeriodKind,
}

/// An announced inspection or a published draw: firms may clean up their data after it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub target: Target,
    pub time: Stamp,
    pub kind: String,
}

/// An emission limit for one firm or for a category of firms.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Limit {
    /// A source id or a category.
    pub applies_to: String,
    pub code: String,
    pub limit: f64,
    pub unit: String,
}

/// Everything the rules judge against.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Context {
    pub sources: Vec<Source>,
    pub limits: Vec<Limit>,
    pub periods: Vec<Period>,
    pub events: Vec<Event>,
}

impl Context {
    /// The firm point `mn` belongs to.
    pub fn source_of(&self, mn: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.mns.iter().any(|m| m == mn))
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The limit of parameter `code` for `source`: its own row, else its category's.
    pub fn limit(&self, source: &Source, code: &str) -> Option<&Limit> {
        let of = |who: &str| {
            self.limits
                .iter()
                .find(|l| l.applies_to == who && l.code == code)
        };
        of(&source.id).or_else(|| source.category.as_deref().and_then(of))
    }

    /// A first column of a periods or events file: a source id, else a district code.
    pub fn target(&self, text: &str) -> Target {
        let text = text.trim();
        if self.source(text).is_some() {
            Target::Source(text.to_owned())
        } else {
            Target::District(text.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_firms_own_limit_overrides_its_categorys() {
        let s = Source {
            id: "PS1".into(),
            category: Some("key".into()),
            district: Some("500101".into()),
            mns: vec!["MN1".into()],
        };
        let limit = |who: &str, v: f64| Limit {
            applies_to: who.into(),
            code: "w01018".into(),
            limit: v,
            unit: "mg/L".into(),
        };
        let ctx = Context {
            sources: vec![s.clone()],
            limits: vec![limit("key", 100.0), limit("PS1", 50.0)],
            ..Context::default()
        };
        assert_eq!(ctx.limit(&s, "w01018").map(|l| l.limit), Some(50.0));
        assert_eq!(ctx.source_of("MN1").map(|s| s.id.as_str()), Some("PS1"));
        assert_eq!(ctx.target("500101"), Target::District("500101".into()));
        assert_eq!(PeriodKind::parse("limit:30"), Some(PeriodKind::Limit(0.3)));
    }
}
