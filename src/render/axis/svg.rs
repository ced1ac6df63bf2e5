//! Writes an axis as inline SVG: period bands, ticks, lanes, and the
//! marks (or bucket counts) as links in time order, so keyboard focus
//! follows time. Every text is escaped; colours come from the theme's CSS
//! classes, so light, dark and print follow the page.

use super::scale::{self, MARGIN, Scale};
use super::{Lane, Links, Request, end_day, event_end, start_day};
use crate::html::escape_html as esc;
use crate::model::Site;
use crate::values::dates;
use crate::values::taxonomy::TaxonomyKind;
use std::fmt::Write;

const PERIOD_ROW: f64 = 18.0;
const LABEL_ROW: f64 = 16.0;
const ROW: f64 = 12.0;
const MARK: f64 = 8.0;
/// Below this width a mark is drawn as a dot, not a span.
const MIN_SPAN: f64 = 6.0;
const TICK_ROW: f64 = 24.0;

pub struct Writer<'a> {
    req: &'a Request<'a>,
    scale: &'a Scale,
    lanes: usize,
    top: f64,
    lane_h: f64,
    rows: usize,
    back: String,
    front: String,
}

/// A lane's count of events in one bucket.
pub struct Bucket {
    pub key: i32,
    pub lane: usize,
    pub count: usize,
    /// The first event in the bucket, where its link leads.
    pub first: usize,
}

impl<'a> Writer<'a> {
    pub fn new(req: &'a Request<'a>, scale: &'a Scale, lanes: usize, periods: bool) -> Writer<'a> {
        let rows = if req.compact { 2 } else { 3 };
        let label = if req.compact { 0.0 } else { LABEL_ROW };
        Writer {
            req,
            scale,
            lanes,
            top: if periods { PERIOD_ROW } else { 0.0 },
            lane_h: label + ROW * rows as f64 + 8.0,
            rows,
            back: String::new(),
            front: String::new(),
        }
    }

    fn label_row(&self) -> f64 {
        if self.req.compact { 0.0 } else { LABEL_ROW }
    }

    fn lane_top(&self, lane: usize) -> f64 {
        self.top + self.lane_h * lane as f64
    }

    fn bottom(&self) -> f64 {
        self.lane_top(self.lanes)
    }

    /// A shaded band over the days `[start, end)`, across every lane or
    /// over one.
    pub fn period(&mut self, title: &str, start: i32, end: i32, lane: Option<usize>) {
        let (x0, x1) = (self.scale.x(start), self.scale.x(end));
        let (y0, h) = match lane {
            Some(l) => (self.lane_top(l), self.lane_h),
            None => (0.0, self.bottom()),
        };
        let _ = write!(
            self.back,
            r#"<rect class="axis-period" x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{h:.1}"><title>{}</title></rect>"#,
            (x1 - x0).max(1.0),
            esc(title)
        );
        let _ = write!(
            self.back,
            r#"<text class="axis-period-label" x="{:.1}" y="13" aria-hidden="true">{}</text>"#,
            x0 + 3.0,
            esc(title)
        );
    }

    pub fn ticks(&mut self) {
        let bottom = self.bottom();
        for t in self.scale.ticks(self.req.locale) {
            let class = if t.major {
                "axis-tick major"
            } else {
                "axis-tick"
            };
            // Labels at the ends are anchored inwards, so none is cut off.
            let anchor = if t.x < 30.0 {
                " start"
            } else if t.x > self.scale.width - 30.0 {
                " end"
            } else {
                ""
            };
            let _ = write!(
                self.back,
                r#"<line class="{class}" x1="{x:.1}" x2="{x:.1}" y1="{top:.1}" y2="{y2:.1}"/><text class="axis-tick-label{anchor}" x="{x:.1}" y="{ty:.1}" aria-hidden="true">{}</text>"#,
                esc(&t.label),
                x = t.x,
                top = self.top,
                y2 = bottom + 5.0,
                ty = bottom + 18.0,
            );
        }
        let _ = write!(
            self.back,
            r#"<line class="axis-line" x1="{MARGIN}" x2="{:.1}" y1="{bottom:.1}" y2="{bottom:.1}"/>"#,
            self.scale.width - MARGIN
        );
    }

    pub fn lane(&mut self, n: usize, label: &str) {
        let y = self.lane_top(n);
        if n % 2 == 1 {
            let _ = write!(
                self.back,
                r#"<rect class="axis-lane" x="0" y="{y:.1}" width="{:.1}" height="{:.1}"/>"#,
                self.scale.width, self.lane_h
            );
        }
        if !self.req.compact {
            let _ = write!(
                self.back,
                r#"<text class="axis-lane-label" x="4" y="{:.1}" aria-hidden="true">{}</text>"#,
                y + 12.0,
                esc(label)
            );
        }
    }

    fn link_open(&mut self, href: &str, name: &str) {
        let target = if self.req.new_tab {
            r#" target="_blank""#
        } else {
            ""
        };
        let _ = write!(
            self.front,
            r#"<a href="{}" aria-label="{}"{target}>"#,
            esc(href),
            esc(name)
        );
    }

    /// Every event of every lane as a link, stacked in rows where they
    /// would overlap and counted where a day holds more than the rows.
    pub fn marks(&mut self, site: &Site, links: &dyn Links, lanes: &[Vec<usize>], joint: bool) {
        let (d0, d1) = (self.scale.d0, self.scale.d1);
        let in_lanes = |i: usize| lanes.iter().filter(|l| l.binary_search(&i).is_ok()).count();
        let mut placed: Vec<(usize, usize, f64, f64, usize)> = Vec::new();
        for (n, lane) in lanes.iter().enumerate() {
            let mut ends = vec![f64::MIN; self.rows];
            for &i in lane {
                let e = &site.events[i];
                let s = start_day(&e.date).max(d0);
                let end = event_end(&e.date, e.end_date(), d1).min(d1);
                let (x0, x1) = (self.scale.x(s), self.scale.x(end));
                let (x, w) = if x1 - x0 < MIN_SPAN {
                    ((x0 + x1) / 2.0 - MIN_SPAN / 2.0, MIN_SPAN)
                } else {
                    (x0, x1 - x0)
                };
                let row = ends.iter().position(|&r| r + 1.0 <= x).unwrap_or_else(|| {
                    (0..ends.len())
                        .min_by(|&a, &b| ends[a].total_cmp(&ends[b]))
                        .unwrap_or(0)
                });
                ends[row] = ends[row].max(x + w);
                placed.push((i, n, x, w, row));
            }
            self.counts(site, lane, n);
        }
        // Links in time order, so keyboard focus follows time.
        placed.sort_by_key(|&(i, n, ..)| (i, n));
        if joint {
            for &(i, n, x, w, _) in &placed {
                if in_lanes(i) > 1
                    && lanes.iter().position(|l| l.binary_search(&i).is_ok()) == Some(n)
                {
                    let cx = x + w / 2.0;
                    let _ = write!(
                        self.back,
                        r#"<line class="axis-joint" x1="{cx:.1}" x2="{cx:.1}" y1="{:.1}" y2="{:.1}"/>"#,
                        self.top,
                        self.bottom()
                    );
                }
            }
        }
        let kinds = site.taxonomy(TaxonomyKind::Kinds);
        for (i, n, x, w, row) in placed {
            let e = &site.events[i];
            let locale = self.req.locale;
            let when = dates::display_span_in(&e.date, e.end_date(), e.approximate, locale);
            let mut about = kinds.term(&e.kind).map_or_else(
                || e.kind.to_string(),
                |t| crate::render::views::term_label(TaxonomyKind::Kinds, t, locale),
            );
            if e.status != crate::content::event::Status::Held {
                about.push_str(", ");
                // Mid-sentence: "(Meeting, planned)".
                about.push_str(
                    &locale
                        .text(&format!("status-{}", e.status.key()))
                        .to_lowercase(),
                );
            }
            if self.lanes > 1 {
                about.push_str(", ");
                about.push_str(&self.req.lanes[n].label);
            }
            let name = locale.format(
                "axis-mark",
                &[
                    ("when", when.into()),
                    ("title", (&*e.title).into()),
                    ("about", about.into()),
                ],
            );
            let mut class = format!("axis-mark s-{}", e.status.key());
            class.push_str(if w > MIN_SPAN { " span" } else { " point" });
            if e.approximate {
                class.push_str(" approx");
            }
            if matches!(e.end_date(), Some(dates::EndDate::Ongoing)) {
                class.push_str(" ongoing");
            }
            if joint && in_lanes(i) > 1 {
                class.push_str(" joint");
            }
            self.link_open(&links.event(i), &name);
            let y = self.lane_top(n) + self.label_row() + ROW * row as f64 + 2.0;
            let _ = write!(
                self.front,
                r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{MARK}" rx="{}"/></a>"#,
                if w > MIN_SPAN { 1.5 } else { MARK / 2.0 }
            );
        }
    }

    /// A count over days that hold more events than the lane has rows.
    fn counts(&mut self, site: &Site, lane: &[usize], n: usize) {
        let mut k = 0;
        while k < lane.len() {
            let day = start_day(&site.events[lane[k]].date);
            let same = lane[k..]
                .iter()
                .take_while(|&&i| start_day(&site.events[i].date) == day)
                .count();
            let e = &site.events[lane[k]];
            if same > self.rows && end_day(&e.date) - day <= 1 {
                let x = self.scale.x(day) + 5.0;
                let y = self.lane_top(n) + self.label_row() + ROW * self.rows as f64 + 4.0;
                let _ = write!(
                    self.back,
                    r#"<text class="axis-count" x="{x:.1}" y="{y:.1}" aria-hidden="true">{same}</text>"#
                );
            }
            k += same.max(1);
        }
    }

    /// Each bucket as a bar whose height follows its count, linking to
    /// the list page of its first event.
    pub fn buckets(&mut self, links: &dyn Links, buckets: &[Bucket], unit: i32, lanes: &[Lane]) {
        let most = buckets.iter().map(|b| b.count).max().unwrap_or(1).max(1);
        let area = ROW * self.rows as f64 - 2.0;
        for b in buckets {
            let locale = self.req.locale;
            let (start, end, label) = scale::bucket_days(b.key, unit, locale);
            let (x0, x1) = (self.scale.x(start), self.scale.x(end));
            let w = (x1 - x0 - 1.0).max(2.0);
            // A square-root scale keeps small counts visible beside large.
            let h = (area * (b.count as f64 / most as f64).sqrt()).max(2.0);
            let base = self.lane_top(b.lane) + self.label_row() + area + 2.0;
            let count = ("count", (b.count as i64).into());
            let name = if self.lanes > 1 {
                locale.format(
                    "axis-bucket-lane",
                    &[
                        ("label", label.into()),
                        count,
                        ("lane", lanes[b.lane].label.as_str().into()),
                    ],
                )
            } else {
                locale.format("axis-bucket", &[("label", label.into()), count])
            };
            self.link_open(&links.bucket(b.first, unit == 1), &name);
            let _ = write!(
                self.front,
                r#"<rect class="axis-bucket" x="{x0:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}"/>"#,
                base - h
            );
            let text = locale.grouped(b.count as i64);
            let digits = text.chars().count();
            if w >= 7.0 * digits as f64 + 2.0 {
                let _ = write!(
                    self.front,
                    r#"<text class="axis-bucket-count" x="{:.1}" y="{:.1}" aria-hidden="true">{text}</text>"#,
                    x0 + w / 2.0,
                    base + 10.0
                );
            }
            self.front.push_str("</a>");
        }
    }

    pub fn finish(self, desc: &str) -> String {
        let id = self.req.id;
        let height = self.bottom() + TICK_ROW;
        let mut svg = String::with_capacity(self.back.len() + self.front.len() + 512);
        let _ = write!(
            svg,
            r#"<svg class="axis-svg" xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{height:.0}" viewBox="0 0 {w:.0} {height:.0}" role="group" aria-labelledby="{id}-title {id}-desc" data-start="{}" data-end="{}" data-plot="{MARGIN:.0} {:.1}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><g class="axis-back">{}</g><g class="axis-front">{}</g></svg>"#,
            iso_day(self.scale.d0),
            iso_day(self.scale.d1),
            self.scale.width - MARGIN,
            esc(&self.req.title),
            esc(desc),
            self.back,
            self.front,
            w = self.scale.width,
        );
        svg
    }
}

/// A day from the common era as `YYYY-MM-DD`: the axis's `data-start` and
/// `data-end` (exclusive), which let a script turn a position on the axis
/// back into a date (brushing a range on the timeline).
fn iso_day(day: i32) -> String {
    chrono::NaiveDate::from_num_days_from_ce_opt(day)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
}

/// The events of each lane counted per bucket of `unit` months, in time
/// order and then lane order.
pub fn buckets(site: &Site, lanes: &[Vec<usize>], unit: i32) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = Vec::new();
    for (n, lane) in lanes.iter().enumerate() {
        for &i in lane {
            let d = &site.events[i].date;
            let month = d.year * 12 + d.month.map_or(0, |m| m as i32 - 1);
            let key = month.div_euclid(unit);
            match out.last_mut() {
                Some(b) if b.lane == n && b.key == key => b.count += 1,
                _ => out.push(Bucket {
                    key,
                    lane: n,
                    count: 1,
                    first: i,
                }),
            }
        }
    }
    out.sort_by_key(|b| (b.key, b.lane));
    out
}
