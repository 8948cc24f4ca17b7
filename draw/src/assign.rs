//! Inspectors for the drawn firms: each gets `inspectors_per_target` distinct inspectors, drawn
//! at random among those the rules allow (a certificate valid on the date, no conflict of
//! interest, the district rule) and under the per-inspector cap.
//!
//! Firms are served in the order they were drawn; each inspector is drawn uniformly among those
//! still under the cap. When none is left for a firm, earlier assignments are shifted along a
//! chain (firm A's inspector X takes firm B instead, whose inspector Y has room) if one exists,
//! so a roster that can cover the draw always does; one that cannot is reported firm by firm,
//! never covered by relaxing a rule.

use std::collections::VecDeque;

use super::plan::Plan;
use super::random::Stream;
use super::roster::Inspector;
use super::targets::Target;

/// A firm the roster cannot cover, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub source_id: String,
    pub district: String,
    /// Inspectors still missing.
    pub missing: usize,
    /// Inspectors the rules allow for it, cap aside.
    pub qualified: usize,
}

/// Who may inspect whom under a plan.
struct Rules<'a> {
    roster: &'a [Inspector],
    plan: &'a Plan,
    day: i64,
}

impl Rules<'_> {
    fn allows(&self, inspector: &Inspector, target: &Target) -> bool {
        let district_ok = match self
            .plan
            .pairs
            .iter()
            .find(|p| p.targets == target.district)
        {
            Some(pair) => inspector.district == pair.inspectors,
            None => !self.plan.cross_district || inspector.district != target.district,
        };
        district_ok && inspector.certified_on(self.day) && !inspector.conflicts_with(&target.id)
    }

    /// The roster indexes allowed for `target`.
    fn qualified(&self, target: &Target) -> Vec<usize> {
        (0..self.roster.len())
            .filter(|&i| self.allows(&self.roster[i], target))
            .collect()
    }
}

/// Inspectors (roster indexes, in the order drawn) for each of `targets`, or every firm the
/// roster cannot cover.
pub fn assign(
    targets: &[&Target],
    roster: &[Inspector],
    plan: &Plan,
    stream: &mut Stream,
) -> Result<Vec<Vec<usize>>, Vec<Shortfall>> {
    let rules = Rules {
        roster,
        plan,
        day: plan.day(),
    };
    let cap = plan.max_targets_per_inspector;
    let mut state = State {
        assigned: vec![Vec::new(); targets.len()],
        holds: vec![Vec::new(); roster.len()],
    };
    let mut short = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        let qualified = rules.qualified(target);
        let mut missing = 0;
        for _ in 0..plan.inspectors_per_target {
            let open: Vec<usize> = qualified
                .iter()
                .copied()
                .filter(|&i| state.holds[i].len() < cap && !state.assigned[t].contains(&i))
                .collect();
            if open.is_empty() {
                if !state.shift_chain(t, targets, &rules, cap) {
                    missing += 1;
                }
            } else {
                let i = open[stream.below(open.len())];
                state.give(t, i);
            }
        }
        if missing > 0 {
            short.push(Shortfall {
                source_id: target.id.clone(),
                district: target.district.clone(),
                missing,
                qualified: qualified.len(),
            });
        }
    }
    if short.is_empty() {
        Ok(state.assigned)
    } else {
        Err(short)
    }
}

/// Who inspects what so far.
struct State {
    /// Per firm, its inspectors.
    assigned: Vec<Vec<usize>>,
    /// Per inspector, their firms.
    holds: Vec<Vec<usize>>,
}

impl State {
    fn give(&mut self, t: usize, i: usize) {
        self.assigned[t].push(i);
        self.holds[i].push(t);
    }

    /// Moves firm `t` from inspector `from` to `to`, in place in its list.
    fn shift(&mut self, t: usize, from: usize, to: usize) {
        if let Some(slot) = self.assigned[t].iter_mut().find(|i| **i == from) {
            *slot = to;
        }
        self.holds[from].retain(|&x| x != t);
        self.holds[to].push(t);
    }

    /// One more inspector for firm `t` when every one it may have is at the cap: a breadth-first
    /// search for a chain of shifts ending at an inspector with room. False when there is none.
    fn shift_chain(
        &mut self,
        t: usize,
        targets: &[&Target],
        rules: &Rules<'_>,
        cap: usize,
    ) -> bool {
        const ROOT: usize = usize::MAX;
        // Per inspector reached: the inspector before it on the chain and the firm that moves.
        let mut parent: Vec<Option<(usize, usize)>> = vec![None; rules.roster.len()];
        let mut queue = VecDeque::new();
        for i in rules.qualified(targets[t]) {
            if !self.assigned[t].contains(&i) {
                parent[i] = Some((ROOT, t));
                queue.push_back(i);
            }
        }
        while let Some(i) = queue.pop_front() {
            if self.holds[i].len() < cap {
                // Unwind: each firm on the chain moves one inspector along; `t` takes the first.
                let mut at = i;
                while let Some((before, moved)) = parent[at] {
                    if before == ROOT {
                        self.give(t, at);
                        return true;
                    }
                    self.shift(moved, before, at);
                    at = before;
                }
                return false;
            }
            for &other in &self.holds[i].clone() {
                if other == t {
                    continue;
                }
                for j in rules.qualified(targets[other]) {
                    if parent[j].is_none() && !self.assigned[other].contains(&j) {
                        parent[j] = Some((i, other));
                        queue.push_back(j);
                    }
                }
            }
        }
        false
    }
}
