//! An event's sources and quotes, and the packed form an event holds them
//! in between validation and the pages and exports that read them.

use crate::content::codec::{Reader, Writer};
use crate::values::dates::EventDate;
use crate::values::reliability::Tier;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Boxed texts, with no spare room: a build holds every source of
    /// every event.
    pub title: Box<str>,
    pub publisher: Option<Arc<str>>,
    pub url: Option<Box<str>>,
    pub date: Option<EventDate>,
    pub archive_url: Option<Box<str>>,
    /// How close the source stands to the event (`reliability`).
    pub reliability: Option<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub text: String,
    pub speaker: String,
    pub source: Option<usize>,
}

/// An event's sources and quotes, packed as the parse cache writes them:
/// only the event's page and the exports read them, one event at a time,
/// while a build holds every event's (two sources take about 100 bytes
/// packed, where their records and texts took about 300).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cited(Box<[u8]>);

impl Cited {
    pub fn new(sources: &[Source], quotes: &[Quote]) -> Cited {
        Cited(pack(sources, quotes).into())
    }

    /// Bytes [`Cited::packed`] gave, when they read as sources and quotes.
    pub fn from_packed(bytes: &[u8]) -> Option<Cited> {
        unpack(bytes)?;
        Some(Cited(bytes.into()))
    }

    pub fn packed(&self) -> &[u8] {
        &self.0
    }

    /// The sources and the quotes, unpacked.
    pub fn both(&self) -> (Vec<Source>, Vec<Quote>) {
        // Packed by `new` or checked by `from_packed`: they always read.
        unpack(&self.0).unwrap_or_default()
    }

    /// The sources alone, unpacked (the quotes after them are not read).
    pub fn sources(&self) -> Vec<Source> {
        read_sources(&mut Reader::new(&self.0)).unwrap_or_default()
    }

    /// The quotes alone, unpacked (the sources before them are passed
    /// over without being made).
    pub fn quotes(&self) -> Vec<Quote> {
        let mut r = Reader::new(&self.0);
        skip_sources(&mut r)
            .and_then(|()| read_quotes(&mut r))
            .unwrap_or_default()
    }

    /// The reliability tiers of the sources as a set of bits, one by
    /// [`Tier::index`] (each tier once, whatever its sources).
    /// Read without unpacking: every list entry shows them.
    pub fn tier_bits(&self) -> u8 {
        let mut r = Reader::new(&self.0);
        let mut bits = 0;
        for _ in 0..r.count().unwrap_or(0) {
            let Some(source) = read_source(&mut r) else {
                break;
            };
            if let Some(t) = source.reliability {
                bits |= 1 << t.index();
            }
        }
        bits
    }
}

/// Sources and quotes packed as [`Cited`] holds them, read back by
/// [`unpack`].
fn pack(sources: &[Source], quotes: &[Quote]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = Writer(&mut out);
    w.usize(sources.len());
    for s in sources {
        w.str(&s.title);
        w.opt_str(s.publisher.as_deref());
        w.opt_str(s.url.as_deref());
        w.opt_date(s.date.as_ref());
        w.opt_str(s.archive_url.as_deref());
        w.0.push(s.reliability.map_or(0, |t| t.index() as u8 + 1));
    }
    w.usize(quotes.len());
    for q in quotes {
        w.str(&q.text);
        w.str(&q.speaker);
        w.u64(q.source.map_or(0, |s| s as u64 + 1));
    }
    out
}

/// Sources and quotes as [`pack`] packed them; `None` for any other
/// bytes.
fn unpack(bytes: &[u8]) -> Option<(Vec<Source>, Vec<Quote>)> {
    let mut r = Reader::new(bytes);
    let sources = read_sources(&mut r)?;
    let quotes = read_quotes(&mut r)?;
    r.is_empty().then_some((sources, quotes))
}

fn read_sources(r: &mut Reader) -> Option<Vec<Source>> {
    (0..r.count()?)
        .map(|_| {
            let s = read_source(r)?;
            Some(Source {
                title: s.title.into(),
                // Not interned: read on every core, page after page.
                publisher: s.publisher.map(Arc::from),
                url: s.url.map(Into::into),
                date: s.date,
                archive_url: s.archive_url.map(Into::into),
                reliability: s.reliability,
            })
        })
        .collect()
}

fn skip_sources(r: &mut Reader) -> Option<()> {
    for _ in 0..r.count()? {
        read_source(r)?;
    }
    Some(())
}

fn read_quotes(r: &mut Reader) -> Option<Vec<Quote>> {
    (0..r.count()?)
        .map(|_| {
            Some(Quote {
                text: r.str()?,
                speaker: r.str()?,
                source: match r.usize()? {
                    0 => None,
                    n => Some(n - 1),
                },
            })
        })
        .collect()
}

/// One source as packed, its texts borrowed from the bytes.
struct PackedSource<'b> {
    title: &'b str,
    publisher: Option<&'b str>,
    url: Option<&'b str>,
    date: Option<EventDate>,
    archive_url: Option<&'b str>,
    reliability: Option<Tier>,
}

fn read_source<'b>(r: &mut Reader<'b>) -> Option<PackedSource<'b>> {
    Some(PackedSource {
        title: r.text()?,
        publisher: r.opt(Reader::text)?,
        url: r.opt(Reader::text)?,
        date: r.opt_date()?,
        archive_url: r.opt(Reader::text)?,
        reliability: match r.byte()? {
            0 => None,
            n => Some(*Tier::ALL.get(usize::from(n) - 1)?),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<Source>, Vec<Quote>) {
        let date = EventDate {
            year: 2024,
            month: Some(7),
            day: Some(28),
            instant: None,
        };
        let sources = vec![
            Source {
                title: "Joint statement".into(),
                publisher: Some("Ministry".into()),
                url: Some("https://example.org/a".into()),
                date: Some(date),
                archive_url: Some("https://web.archive.org/a".into()),
                reliability: Some(Tier::ALL[0]),
            },
            Source {
                title: "東京".into(),
                publisher: None,
                url: None,
                date: None,
                archive_url: None,
                reliability: Some(Tier::ALL[2]),
            },
        ];
        let quotes = vec![Quote {
            text: "We agreed.".into(),
            speaker: "A. Minister".into(),
            source: Some(1),
        }];
        (sources, quotes)
    }

    #[test]
    fn sources_and_quotes_read_back_as_packed_and_damage_is_refused() {
        let (sources, quotes) = sample();
        let cited = Cited::new(&sources, &quotes);
        assert_eq!(cited.both(), (sources.clone(), quotes.clone()));
        assert_eq!(
            (cited.sources(), cited.quotes()),
            (sources.clone(), quotes.clone())
        );
        let again = Cited::from_packed(cited.packed()).expect("reads");
        assert_eq!(again, cited);
        let bits = sources
            .iter()
            .filter_map(|s| s.reliability)
            .fold(0u8, |bits, t| bits | 1 << t.index());
        assert_eq!(cited.tier_bits(), bits);
        let bytes = cited.packed();
        for cut in 0..bytes.len() {
            assert!(Cited::from_packed(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(Cited::from_packed(&longer).is_none());
        assert_eq!(Cited::new(&[], &[]).both(), (Vec::new(), Vec::new()));
        assert_eq!(Cited::default().tier_bits(), 0);
    }
}
