//! Monitoring data held compactly: per point and parameter, one `f32` and one flag byte per
//! hour (or minute) over the span received, grown as packets arrive in any order. A year of
//! hourly data for 1,000 points × 6 parameters is about 260 MB.

use rustc_hash::FxHashMap;

use crate::params::Flag;

/// A run of slots (hours or minutes, by index from the epoch), each a value and its flag or
/// nothing.
#[derive(Debug, Clone, Default)]
pub struct Series {
    start: i64,
    values: Vec<f32>,
    /// `Flag::code`, 0 where nothing was received.
    flags: Vec<u8>,
}

impl Series {
    /// The value and flag of slot `slot`, if one was received.
    pub fn get(&self, slot: i64) -> Option<(f32, Flag)> {
        let i = usize::try_from(slot - self.start).ok()?;
        let flag = Flag::from_code(*self.flags.get(i)?)?;
        Some((self.values[i], flag))
    }

    /// The value of slot `slot` if it was received and flagged N.
    pub fn valid(&self, slot: i64) -> Option<f32> {
        self.get(slot).filter(|(_, f)| f.is_valid()).map(|(v, _)| v)
    }

    /// Records a value. A slot already holding a valid value keeps it against a resend that
    /// is not (duplicates count once; a resend with N corrects a mark).
    pub fn set(&mut self, slot: i64, value: f32, flag: Flag) {
        if self.flags.is_empty() {
            self.start = slot;
        } else if slot < self.start {
            let grow = usize::try_from(self.start - slot).unwrap_or(0);
            self.values
                .splice(0..0, std::iter::repeat_n(f32::NAN, grow));
            self.flags.splice(0..0, std::iter::repeat_n(0, grow));
            self.start = slot;
        }
        let i = usize::try_from(slot - self.start).unwrap_or(0);
        if i >= self.flags.len() {
            self.values.resize(i + 1, f32::NAN);
            self.flags.resize(i + 1, 0);
        }
        let held = Flag::from_code(self.flags[i]);
        if held.is_some_and(Flag::is_valid) && !flag.is_valid() {
            return;
        }
        self.values[i] = value;
        self.flags[i] = flag.code();
    }

    /// Every slot received, in order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, f32, Flag)> + '_ {
        self.flags.iter().enumerate().filter_map(|(i, &f)| {
            Some((self.start + i as i64, self.values[i], Flag::from_code(f)?))
        })
    }

    /// Its raw parts: first slot, values, flag codes (for [`crate::archive`]).
    pub(crate) fn raw(&self) -> (i64, &[f32], &[u8]) {
        (self.start, &self.values, &self.flags)
    }

    /// A series from raw parts of equal length.
    pub(crate) fn from_raw(start: i64, values: Vec<f32>, flags: Vec<u8>) -> Self {
        Self {
            start,
            values,
            flags,
        }
    }

    /// The first and one past the last slot held.
    pub fn span(&self) -> Option<(i64, i64)> {
        (!self.flags.is_empty()).then(|| (self.start, self.start + self.flags.len() as i64))
    }
}

/// A monitoring point (a 数采仪, by its MN) and everything it sent.
#[derive(Debug, Clone, Default)]
pub struct Point {
    pub mn: String,
    /// Each parameter's hourly values, by code.
    pub hourly: Vec<(String, Series)>,
    /// Each parameter's minute (or real-time) values, by code.
    pub minute: Vec<(String, Series)>,
    /// Hours an hourly packet or CSV row came for: flagged N when every parameter of the hour
    /// was N, else with the first other mark.
    pub hours: Series,
}

impl Point {
    pub fn hourly(&self, code: &str) -> Option<&Series> {
        self.hourly.iter().find(|(c, _)| c == code).map(|(_, s)| s)
    }

    fn series<'a>(list: &'a mut Vec<(String, Series)>, code: &str) -> &'a mut Series {
        let i = if let Some(i) = list.iter().position(|(c, _)| c == code) {
            i
        } else {
            list.push((code.to_owned(), Series::default()));
            list.len() - 1
        };
        &mut list[i].1
    }

    /// An hourly value of parameter `code`.
    pub fn record_hour(&mut self, hour: i64, code: &str, value: f32, flag: Flag) {
        Self::series(&mut self.hourly, code).set(hour, value, flag);
        let mark = match self.hours.get(hour) {
            // An hour stays valid only while every parameter is.
            Some((_, held)) if !held.is_valid() => held,
            _ => flag,
        };
        self.hours.flags_set(hour, mark);
    }

    /// A minute (or real-time) value of parameter `code`, at minute index `minute`.
    pub fn record_minute(&mut self, minute: i64, code: &str, value: f32, flag: Flag) {
        Self::series(&mut self.minute, code).set(minute, value, flag);
    }
}

impl Series {
    /// Sets slot `slot`'s flag whatever it held (the point's hour marks).
    fn flags_set(&mut self, slot: i64, flag: Flag) {
        if self.get(slot).is_some() {
            let i = usize::try_from(slot - self.start).unwrap_or(0);
            self.flags[i] = flag.code();
        } else {
            self.set(slot, 0.0, flag);
        }
    }
}

/// Every point, by MN.
#[derive(Debug, Clone, Default)]
pub struct Monitoring {
    pub points: Vec<Point>,
    index: FxHashMap<String, usize>,
}

impl Monitoring {
    /// The point with MN `mn`, made on first use.
    pub fn point_mut(&mut self, mn: &str) -> &mut Point {
        let i = if let Some(&i) = self.index.get(mn) {
            i
        } else {
            self.points.push(Point {
                mn: mn.to_owned(),
                ..Point::default()
            });
            self.index.insert(mn.to_owned(), self.points.len() - 1);
            self.points.len() - 1
        };
        &mut self.points[i]
    }

    pub fn point(&self, mn: &str) -> Option<&Point> {
        self.index.get(mn).map(|&i| &self.points[i])
    }

    /// The first and one past the last hour any point holds.
    pub fn hour_span(&self) -> Option<(i64, i64)> {
        self.points
            .iter()
            .flat_map(|p| p.hourly.iter().filter_map(|(_, s)| s.span()))
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_grows_both_ways_and_keeps_valid_values_against_marked_resends() {
        let mut s = Series::default();
        s.set(100, 1.0, Flag::Normal);
        s.set(98, 2.0, Flag::Maintenance);
        s.set(103, 3.0, Flag::Normal);
        assert_eq!(s.span(), Some((98, 104)));
        assert_eq!(s.get(99), None);
        s.set(100, 9.0, Flag::Calibration);
        assert_eq!(s.valid(100), Some(1.0));
        s.set(98, 4.0, Flag::Normal);
        assert_eq!(s.valid(98), Some(4.0));
        assert_eq!(s.iter().count(), 3);
    }

    #[test]
    fn an_hour_is_valid_only_when_every_parameter_is() {
        let mut p = Point::default();
        p.record_hour(10, "w01018", 20.0, Flag::Normal);
        p.record_hour(10, "w00000", 5.0, Flag::Maintenance);
        p.record_hour(11, "w01018", 21.0, Flag::Normal);
        assert_eq!(p.hours.get(10).map(|(_, f)| f), Some(Flag::Maintenance));
        assert_eq!(p.hours.get(11).map(|(_, f)| f), Some(Flag::Normal));
    }
}
