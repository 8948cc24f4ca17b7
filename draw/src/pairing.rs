//! Paired districts for cross checks (交叉执法) that keep inspectors near their firms.
//!
//! With `cross_district` alone, a firm may be given inspectors from the far end of the city: in
//! Chongqing, hundreds of kilometres, a trip no team makes in a day. Districts are therefore
//! paired, each district's firms with the inspectors of one nearby district, written into the
//! plan as `[[pair]]`s: the plan is hashed into the record, so the pairs are part of what a
//! verifier reproduces, and the dispatcher can read and change them before the draw.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Distance as _, Haversine, Point};

use super::plan::Pair;
use super::roster::Inspector;
use super::targets::Target;

/// One pair per district with firms: its firms to the inspectors of another district, each
/// district's inspectors to one district's firms, the nearest pairs taken first (a district's
/// place: the mean position of its firms). A district without inspectors to spare is left
/// unpaired: the plan's district rule applies to it.
pub fn nearby_pairs(targets: &[Target], roster: &[Inspector]) -> Vec<Pair> {
    let centres = district_centres(targets);
    let with_inspectors: BTreeSet<&str> = roster.iter().map(|i| i.district.as_str()).collect();
    let inspecting: Vec<(&str, Point)> = centres
        .iter()
        .filter(|(d, _)| with_inspectors.contains(d.as_str()))
        .map(|(d, &p)| (d.as_str(), p))
        .collect();
    let km = |a: Point, b: Point| Haversine.distance(a, b) / 1000.0;
    // Every (firms, inspectors) choice, nearest first; codes break ties, so the pairs do not
    // depend on the order firms come in.
    let mut choices: Vec<(f64, &str, &str)> = centres
        .iter()
        .flat_map(|(t, &tp)| {
            inspecting
                .iter()
                .filter(move |(i, _)| *i != t.as_str())
                .map(move |&(i, ip)| (km(tp, ip), t.as_str(), i))
        })
        .collect();
    choices.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
    let mut pairs: BTreeMap<&str, &str> = BTreeMap::new();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for &(_, t, i) in &choices {
        if !pairs.contains_key(t) && !used.contains(i) {
            pairs.insert(t, i);
            used.insert(i);
        }
    }
    // The last district left may find only its own inspectors free: it takes a paired
    // district's inspectors, which take its own in turn, the swap adding the least distance.
    let centre = |d: &str| centres[d];
    for &(t, _) in &inspecting {
        if pairs.contains_key(t) || used.contains(t) {
            continue;
        }
        let swap = pairs
            .iter()
            .filter(|&(&t2, &i2)| i2 != t && t2 != t)
            .map(|(&t2, &i2)| {
                let added = km(centre(t), centre(i2)) + km(centre(t2), centre(t))
                    - km(centre(t2), centre(i2));
                (added, t2, i2)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        if let Some((_, t2, i2)) = swap {
            pairs.insert(t, i2);
            pairs.insert(t2, t);
            used.insert(t);
        }
    }
    pairs
        .into_iter()
        .map(|(t, i)| Pair {
            targets: t.to_owned(),
            inspectors: i.to_owned(),
        })
        .collect()
}

/// The pairs as a plan's `[[pair]]` tables.
pub fn to_toml(pairs: &[Pair]) -> String {
    #[derive(serde::Serialize)]
    struct Tables<'a> {
        pair: &'a [Pair],
    }
    toml::to_string(&Tables { pair: pairs }).unwrap_or_default()
}

/// Each district's mean firm position (WGS84), by code; districts without a placed firm are
/// left out.
fn district_centres(targets: &[Target]) -> BTreeMap<String, Point> {
    let mut sums: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for t in targets {
        if let Some([lon, lat]) = t.position
            && lon.is_finite()
            && lat.is_finite()
        {
            let s = sums.entry(t.district.as_str()).or_default();
            *s = (s.0 + lon, s.1 + lat, s.2 + 1);
        }
    }
    sums.into_iter()
        .map(|(d, (lon, lat, n))| (d.to_owned(), Point::new(lon / n as f64, lat / n as f64)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn firm(id: &str, district: &str, lon: f64) -> Target {
        Target {
            id: id.into(),
            name: id.into(),
            category: "general".into(),
            district: district.into(),
            status: "operating".into(),
            positive_list: false,
            last_inspected: None,
            position: Some([lon, 29.5]),
            contact: String::new(),
        }
    }

    fn inspector(id: &str, district: &str) -> Inspector {
        Inspector {
            id: id.into(),
            name: id.into(),
            district: district.into(),
            cert_expiry: i64::MAX,
            conflicts: Vec::new(),
        }
    }

    /// Districts on a line, 0.1° apart, and one far away: every district is paired with a
    /// neighbour, never with itself, each district's inspectors serve one district, and the
    /// far district (whose nearest district is taken) still gets inspectors.
    #[test]
    fn districts_pair_with_neighbours_one_to_one() {
        let places = [
            ("A", 106.0),
            ("B", 106.1),
            ("C", 106.2),
            ("D", 106.3),
            ("F", 109.0),
        ];
        let targets: Vec<Target> = places
            .iter()
            .flat_map(|&(d, lon)| {
                [
                    firm(&format!("{d}1"), d, lon),
                    firm(&format!("{d}2"), d, lon),
                ]
            })
            .collect();
        let roster: Vec<Inspector> = places
            .iter()
            .map(|&(d, _)| inspector(&format!("i{d}"), d))
            .collect();
        let pairs = nearby_pairs(&targets, &roster);
        assert_eq!(pairs.len(), places.len(), "{pairs:?}");
        let inspecting: BTreeSet<&str> = pairs.iter().map(|p| p.inspectors.as_str()).collect();
        assert_eq!(
            inspecting.len(),
            places.len(),
            "one district each: {pairs:?}"
        );
        assert!(pairs.iter().all(|p| p.targets != p.inspectors), "{pairs:?}");
        let of = |t: &str| {
            pairs
                .iter()
                .find(|p| p.targets == t)
                .map(|p| p.inspectors.as_str())
        };
        // The close districts pair among themselves; only one of them reaches for F.
        let near = ["A", "B", "C", "D"];
        assert_eq!(
            near.iter().filter(|t| of(t) == Some("F")).count(),
            1,
            "{pairs:?}"
        );
        assert!(near.contains(&of("F").unwrap()), "{pairs:?}");
        assert_eq!(
            nearby_pairs(&targets, &roster),
            pairs,
            "the same every time"
        );
    }

    #[test]
    fn a_district_without_inspectors_is_checked_but_does_not_check() {
        let targets = vec![
            firm("a", "A", 106.0),
            firm("b", "B", 106.1),
            firm("c", "C", 106.2),
        ];
        let roster = vec![inspector("ia", "A"), inspector("ib", "B")];
        let pairs = nearby_pairs(&targets, &roster);
        assert!(pairs.iter().all(|p| p.inspectors != "C"), "{pairs:?}");
        assert!(pairs.iter().all(|p| p.targets != p.inspectors), "{pairs:?}");
        assert_eq!(
            pairs.len(),
            2,
            "two inspecting districts pair two: {pairs:?}"
        );
    }
}
