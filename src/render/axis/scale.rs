//! The axis's time scale: days to x positions, the drawing's width, the
//! ticks that suit its span, and the bucket size of a dense axis.

use chrono::{Datelike, NaiveDate};

/// Tick steps in months, the smallest whose ticks are far enough apart
/// to label is used.
const TICK_STEPS: [i32; 10] = [1, 3, 6, 12, 24, 60, 120, 240, 600, 1200];
/// Bucket sizes in months for a dense axis.
const BUCKET_UNITS: [i32; 4] = [1, 12, 120, 1200];
/// Labels closer than this many pixels would collide.
const MIN_TICK_GAP: f64 = 56.0;
/// The most buckets along one lane.
const MAX_BUCKETS: i32 = 40;
pub const MARGIN: f64 = 12.0;

pub struct Scale {
    pub d0: i32,
    pub d1: i32,
    pub width: f64,
}

pub struct Tick {
    pub x: f64,
    pub label: String,
    /// A year boundary, drawn stronger than a month's.
    pub major: bool,
}

impl Scale {
    /// A scale for the days `[d0, d1)`, wide enough to tell years apart;
    /// a short span fills its column whole, end label included: the
    /// theme's 702 px (46rem less padding and the box's border) or, `wide`,
    /// the compare pages' 1,118 px (72rem).
    pub fn new(d0: i32, d1: i32, compact: bool, wide: bool) -> Scale {
        let years = f64::from(d1 - d0) / 365.25;
        let column = if wide { 1116.0 } else { 700.0 };
        let width = if compact {
            600.0
        } else {
            (years * 64.0).clamp(column, 2400.0)
        };
        Scale { d0, d1, width }
    }

    /// The x position of the start of day `day`, clamped to the axis.
    pub fn x(&self, day: i32) -> f64 {
        let day = day.clamp(self.d0, self.d1);
        let plot = self.width - 2.0 * MARGIN;
        MARGIN + f64::from(day - self.d0) / f64::from(self.d1 - self.d0) * plot
    }

    fn months(&self) -> f64 {
        f64::from(self.d1 - self.d0) / 30.44
    }

    /// Ticks at the first month of each step, labelled by month or year.
    pub fn ticks(&self, locale: &crate::i18n::Locale) -> Vec<Tick> {
        let px_per_month = (self.width - 2.0 * MARGIN) / self.months().max(1.0);
        let step = TICK_STEPS
            .iter()
            .copied()
            .find(|&s| f64::from(s) * px_per_month >= MIN_TICK_GAP)
            .unwrap_or(1200);
        let (y0, _) = year_month(self.d0);
        let (y1, _) = year_month(self.d1);
        let mut ticks = Vec::new();
        for year in y0..=y1 {
            for month in 1..=12u32 {
                let index = year * 12 + month as i32 - 1;
                if index.rem_euclid(step) != 0 {
                    continue;
                }
                let Some(day) = first_of(year, month) else {
                    continue;
                };
                if day < self.d0 || day > self.d1 {
                    continue;
                }
                let label = if month == 1 {
                    format!("{year}")
                } else {
                    locale.text(&format!("month-short-{month}")).to_string()
                };
                ticks.push(Tick {
                    x: self.x(day),
                    label,
                    major: month == 1,
                });
            }
        }
        ticks
    }

    /// The bucket size in months that keeps a lane to a few dozen buckets.
    pub fn bucket_unit(&self) -> i32 {
        let months = self.months();
        BUCKET_UNITS
            .iter()
            .copied()
            .find(|&u| months / f64::from(u) <= f64::from(MAX_BUCKETS))
            .unwrap_or(1200)
    }
}

/// The first day of a month in days from the common era.
pub fn first_of(year: i32, month: u32) -> Option<i32> {
    NaiveDate::from_ymd_opt(year, month, 1).map(|d| d.num_days_from_ce())
}

fn year_month(day: i32) -> (i32, u32) {
    NaiveDate::from_num_days_from_ce_opt(day).map_or((1970, 1), |d| (d.year(), d.month()))
}

/// A bucket's range of days and its reader-facing name.
pub fn bucket_days(key: i32, unit: i32, locale: &crate::i18n::Locale) -> (i32, i32, String) {
    let at = |k: i32| {
        let m = k * unit;
        first_of(m.div_euclid(12), m.rem_euclid(12) as u32 + 1).unwrap_or(0)
    };
    let m = key * unit;
    let (year, month) = (m.div_euclid(12), m.rem_euclid(12) as usize);
    let label = match unit {
        1 => crate::values::dates::EventDate {
            year,
            month: Some(month as u32 + 1),
            day: None,
            instant: None,
        }
        .display_in(locale),
        12 => locale.format("date-year", &[("year", year.to_string().into())]),
        _ => locale.format("axis-decade", &[("year", year.to_string().into())]),
    };
    (at(key), at(key + 1), label)
}
