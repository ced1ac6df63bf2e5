//! The sharded search index in memory: every word's postings (the events
//! it occurs in, by field), split into shards by word prefix so that no
//! shard grows past a size budget, and the compact text encoding of event
//! numbers that shards, facets and the date list share. `search` writes it
//! out; the theme's `search.js` and `annals.js` read it a shard at a time.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// A shard is split by the next character of its words once its entries
/// pass this many bytes (a single word's entry may still be larger).
pub const SHARD_BUDGET: usize = 64 * 1024;

/// Events per document chunk (title, date, address, summary).
pub const DOC_CHUNK: usize = 32;

/// Digits that continue a number, and digits that end one: base 32, most
/// significant first, so a list needs no separators.
const MORE: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const LAST: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_.";

/// Appends `n` to `out` in the list encoding.
pub fn push_number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 13];
    let mut len = 0;
    loop {
        digits[len] = (n % 32) as u8;
        len += 1;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    for (i, &d) in digits[..len].iter().enumerate().rev() {
        out.push(if i == 0 {
            LAST[d as usize]
        } else {
            MORE[d as usize]
        });
    }
}

/// Encodes ascending event numbers as gaps (`n - previous - 1`, the first
/// counted from -1), so runs of neighbours take one character each.
pub fn encode(numbers: impl IntoIterator<Item = usize>) -> String {
    let mut list = Postings::default();
    for n in numbers {
        list.push(n);
    }
    list.into_string()
}

/// The numbers [`push_number`] wrote into `bytes`, in order; `None` for a
/// byte that is no digit, or a number past 64 bits.
fn numbers(bytes: &[u8]) -> impl Iterator<Item = Option<u64>> + '_ {
    let mut n: u64 = 0;
    bytes.iter().filter_map(move |&b| {
        let (digit, last) = match MORE.iter().position(|&c| c == b) {
            Some(d) => (d, false),
            None => match LAST.iter().position(|&c| c == b) {
                Some(d) => (d, true),
                None => return Some(None),
            },
        };
        match n.checked_mul(32).and_then(|m| m.checked_add(digit as u64)) {
            None => Some(None),
            Some(m) if last => {
                n = 0;
                Some(Some(m))
            }
            Some(m) => {
                n = m;
                None
            }
        }
    })
}

/// Decodes [`encode`]'s lists.
#[cfg(test)]
fn decode(text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut next: usize = 0;
    for n in numbers(text.as_bytes()) {
        let value = next.checked_add(usize::try_from(n?).ok()?)?;
        out.push(value);
        next = value + 1;
    }
    Some(out)
}

/// One encoded list, grown in ascending order.
#[derive(Default, Debug)]
pub struct Postings {
    bytes: Vec<u8>,
    /// The next number a gap counts from.
    next: usize,
}

impl Postings {
    /// Adds `n`, which must be above every number added before.
    pub fn push(&mut self, n: usize) {
        push_number(&mut self.bytes, n.saturating_sub(self.next) as u64);
        self.next = n + 1;
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits from MORE and LAST are ever pushed.
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }

    pub fn into_string(self) -> String {
        String::from_utf8(self.bytes).unwrap_or_default()
    }
}

/// An event's folded words by field (title, summary, keywords), packed in
/// one buffer, as the body store keeps them beside the body: an archive's
/// events have millions of words, which as a `String` each took a rebuild
/// as long to read back and free as to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// For each field in [`Field::ALL`]'s order: the field, the number of
    /// words, then each word (see `content::codec`).
    packed: Vec<u8>,
    /// How many words `packed` holds, counted while packing or checking
    /// it, so the index sizes an event's set without a second pass.
    count: usize,
}

impl Terms {
    /// Packs `fields`: the words of the title, the summary and the
    /// keywords, in that order.
    pub fn new(fields: [&[String]; 3]) -> Terms {
        let mut packed = Vec::new();
        let mut w = crate::content::codec::Writer(&mut packed);
        let count = fields.iter().map(|words| words.len()).sum();
        for (field, words) in Field::ALL.into_iter().zip(fields) {
            w.u64(field as u64);
            w.u64(words.len() as u64);
            for word in words {
                w.str(word);
            }
        }
        Terms { packed, count }
    }

    /// No words in any field.
    pub fn none() -> Terms {
        Terms::new([&[], &[], &[]])
    }

    /// The terms packed in `packed` (see [`Terms::packed`]); `None` for
    /// anything else (then they are worked out again).
    pub fn from_packed(packed: Vec<u8>) -> Option<Terms> {
        let mut r = crate::content::codec::Reader::new(&packed);
        let mut count = 0;
        for expected in Field::ALL {
            (r.u64()? == expected as u64).then_some(())?;
            // Each word takes at least a byte: a count beyond them is damage.
            let n = r.u64()?;
            (n <= packed.len() as u64).then_some(())?;
            for _ in 0..n {
                r.text()?;
            }
            count += n as usize;
        }
        r.is_empty().then_some(())?;
        Some(Terms { packed, count })
    }

    /// How many words there are, in all fields.
    pub fn word_count(&self) -> usize {
        self.count
    }

    /// The bytes the body store keeps.
    pub fn packed(&self) -> &[u8] {
        &self.packed
    }

    /// Every word with its field, field by field in the order packed.
    pub fn words(&self) -> impl Iterator<Item = (Field, &str)> {
        let mut r = crate::content::codec::Reader::new(&self.packed);
        let mut field = Field::Title;
        let mut left = 0u64;
        std::iter::from_fn(move || {
            while left == 0 {
                field = Field::from_number(r.u64()?)?;
                left = r.u64()?;
            }
            left -= 1;
            Some((field, r.text()?))
        })
    }
}

/// Where in an event a word occurs: the best field counts for ranking.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Field {
    Title = 0,
    Summary = 1,
    Keywords = 2,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Title, Field::Summary, Field::Keywords];

    fn from_number(n: u64) -> Option<Field> {
        Field::ALL.into_iter().find(|f| *f as u64 == n)
    }
}

/// A word and its events with the field each occurs in: the word's bytes
/// followed by one list of `gap * 3 + field` (gaps counted as in
/// [`Postings`]), split into one list per field only when the word is
/// written. A site's index holds every word at once, and most words occur
/// in few events and one field: 32 bytes a word and one allocation.
#[derive(Default, Debug)]
pub struct Word {
    bytes: Vec<u8>,
    /// The word's length in `bytes`.
    word: u32,
    /// The next event number a gap counts from.
    next: u32,
}

impl Word {
    fn new(word: &str) -> Word {
        Word {
            bytes: word.as_bytes().to_vec(),
            word: u32::try_from(word.len()).unwrap_or(u32::MAX),
            next: 0,
        }
    }

    /// The word itself.
    pub fn key(&self) -> &str {
        let end = (self.word as usize).min(self.bytes.len());
        std::str::from_utf8(&self.bytes[..end]).unwrap_or_default()
    }

    fn list(&self) -> &[u8] {
        self.bytes.get(self.word as usize..).unwrap_or_default()
    }

    /// Adds event `n` (above every event added before) in `field`.
    fn push(&mut self, n: usize, field: Field) {
        let gap = n.saturating_sub(self.next as usize) as u64;
        push_number(&mut self.bytes, gap * 3 + field as u64);
        self.next = u32::try_from(n + 1).unwrap_or(u32::MAX);
    }

    /// The word's events with their fields, ascending.
    fn events(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut next = 0usize;
        numbers(self.list()).map_while(|n| n).map(move |value| {
            let event = next + (value / 3) as usize;
            next = event + 1;
            (event, (value % 3) as usize)
        })
    }

    /// The three fields' lists.
    fn lists(&self) -> [Postings; 3] {
        let mut lists: [Postings; 3] = Default::default();
        for (event, field) in self.events() {
            lists[field].push(event);
        }
        lists
    }

    /// Size of the word's entry in a shard (its key, lists and quoting),
    /// counted without making the lists.
    fn size(&self) -> usize {
        let mut next = [0usize; 3];
        let mut digits = 0;
        for (event, field) in self.events() {
            digits += number_len(event.saturating_sub(next[field]) as u64);
            next[field] = event + 1;
        }
        self.key().len() + digits + 8
    }

    /// The entry's value: the three lists separated by spaces.
    pub fn value(&self) -> String {
        let [t, s, k] = self.lists();
        format!("{} {} {}", t.as_str(), s.as_str(), k.as_str())
    }
}

/// How many digits [`push_number`] writes for `n`.
fn number_len(n: u64) -> usize {
    let bits = 64 - n.leading_zeros() as usize;
    bits.div_ceil(5).max(1)
}

/// Folds a word as the search script folds queries: decomposed, the
/// combining accents U+0300–U+036F dropped, composed again (so Hangul
/// syllables and voiced kana stay one character each), lower case.
pub fn fold(word: &str) -> String {
    // Most words are ASCII, which has nothing to decompose or drop.
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .nfc()
        .collect::<String>()
        .to_lowercase()
}

/// Han, kana and Hangul: scripts written without spaces between words
/// (or, in Korean, with particles and compounds joined to them), indexed
/// by pairs of characters instead of by words.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF66}'..='\u{FF9F}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// The terms a folded word is indexed under. A word of spaced scripts is
/// one term. A run of [`is_cjk`] characters gives each pair of
/// neighbouring characters and its last character alone ("日米同盟" →
/// 日米, 米同, 同盟, 盟): the script splits a query's runs into the same
/// pairs and looks every one up as a prefix, so any part of a Japanese or
/// Korean text of one character or more is found, without a dictionary.
pub fn push_terms(word: &str, out: &mut Vec<String>) {
    if !word.chars().any(is_cjk) {
        out.push(word.to_string());
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        let cjk = is_cjk(chars[start]);
        let mut end = start;
        while end < chars.len() && is_cjk(chars[end]) == cjk {
            end += 1;
        }
        let run = &chars[start..end];
        if cjk {
            for pair in run.windows(2) {
                out.push(pair.iter().collect());
            }
            out.push(run[run.len() - 1].to_string());
        } else if run.len() > 1 {
            out.push(run.iter().collect());
        }
        start = end;
    }
}

/// Every word of every event, added one event at a time in site order.
/// Hashed, not ordered: each event looks up a few hundred words, and the
/// words are sorted once, when the shards are made. A table of words
/// holding their own text, rather than a map from texts to words: a
/// million words take a third less.
#[derive(Default)]
pub struct Words {
    words: hashbrown::HashTable<Word>,
    hasher: ahash::RandomState,
}

impl Words {
    /// Adds event `n`'s words: each counts once, in the first field given.
    pub fn add_event(&mut self, n: usize, terms: &Terms) {
        // Sized once: grown from empty, it was rehashed several times for
        // each of a build's events.
        let mut seen =
            std::collections::HashSet::<&str, ahash::RandomState>::with_capacity_and_hasher(
                terms.word_count(),
                ahash::RandomState::default(),
            );
        for (field, w) in terms.words() {
            if w.is_empty() || !seen.insert(w) {
                continue;
            }
            let hash = self.hasher.hash_one(w);
            match self.words.find_mut(hash, |word| word.key() == w) {
                Some(word) => word.push(n, field),
                None => {
                    let mut word = Word::new(w);
                    word.push(n, field);
                    let hasher = &self.hasher;
                    self.words
                        .insert_unique(hash, word, |word| hasher.hash_one(word.key()));
                }
            }
        }
    }

    /// Every word, sorted, with the shards: prefix keys (sorted) with the
    /// run of words each holds. A shard's key is a prefix of all its
    /// words; a word is in the shard of the longest key that is a prefix
    /// of it. The words are listed once, by reference alone (each knows
    /// its text), and shards are runs of that list: an archive has
    /// millions of words.
    pub fn shards(&self) -> (Vec<&Word>, Vec<(String, Range<usize>)>) {
        let mut all: Vec<&Word> = self.words.iter().collect();
        all.sort_unstable_by(|a, b| a.key().cmp(b.key()));
        // The sizes of the words before each: a run's size is then one
        // subtraction, at every level the run is split at (each word's
        // size takes reading its whole list).
        let mut before = Vec::with_capacity(all.len() + 1);
        before.push(0);
        let mut total = 0;
        for w in &all {
            total += w.size();
            before.push(total);
        }
        let sized = SizedWords {
            words: &all,
            before: &before,
        };
        let mut shards = Vec::new();
        split(String::new(), &sized, 0..all.len(), &mut shards);
        shards.sort_by(|a, b| a.0.cmp(&b.0));
        (all, shards)
    }
}

/// The sorted words with the total size of the words before each.
struct SizedWords<'w> {
    words: &'w [&'w Word],
    before: &'w [usize],
}

/// Puts `words[run]` (all starting with `prefix`, sorted) in one shard, or
/// splits them by the character after `prefix` when they are over the
/// budget.
fn split(
    prefix: String,
    sized: &SizedWords,
    run: Range<usize>,
    out: &mut Vec<(String, Range<usize>)>,
) {
    let words = sized.words;
    let size = sized.before[run.end] - sized.before[run.start];
    if size <= SHARD_BUDGET || run.len() <= 1 {
        out.push((prefix, run));
        return;
    }
    // Words equal to the prefix stay in its shard (sorted, they come
    // first); the rest group by their next character, in runs.
    let next_char = |i: usize| words[i].key()[prefix.len()..].chars().next();
    let mut start = run.start;
    let here = (run.start..run.end)
        .take_while(|&i| next_char(i).is_none())
        .count();
    if here > 0 {
        out.push((prefix.clone(), start..start + here));
        start += here;
    }
    while start < run.end {
        let c = next_char(start);
        let end = (start..run.end)
            .find(|&i| next_char(i) != c)
            .unwrap_or(run.end);
        let mut longer = prefix.clone();
        longer.extend(c);
        split(longer, sized, start..end, out);
        start = end;
    }
}

/// The day an event's machine date starts on, as `YYYY-MM-DD` (a month or
/// year counts from its first day), for date ranges.
pub fn day_key(machine: &str) -> String {
    let day: String = machine.chars().take(10).collect();
    match day.len() {
        4 => format!("{day}-01-01"),
        7 => format!("{day}-01"),
        _ => day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(word: &str) -> Vec<String> {
        let mut out = Vec::new();
        push_terms(&fold(word), &mut out);
        out
    }

    #[test]
    fn cjk_runs_are_indexed_by_pairs_and_their_last_character() {
        assert_eq!(terms("日米同盟"), ["日米", "米同", "同盟", "盟"]);
        assert_eq!(terms("한미동맹은"), ["한미", "미동", "동맹", "맹은", "은"]);
        assert_eq!(terms("G7サミット"), ["g7", "サミ", "ミッ", "ット", "ト"]);
        assert_eq!(terms("Séoul"), ["seoul"]);
        // Voiced kana and Hangul syllables stay whole after folding.
        assert_eq!(fold("ガ"), "ガ");
        assert_eq!(fold("한"), "한");
    }

    #[test]
    fn lists_round_trip() {
        let numbers = vec![0, 1, 2, 40, 41, 1000, 100_000, 100_001];
        let text = encode(numbers.iter().copied());
        assert_eq!(decode(&text), Some(numbers));
        assert_eq!(encode([0, 1, 2]), "AAA");
    }

    #[test]
    fn folding_drops_accents() {
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(fold("Sŏul"), "soul");
    }

    #[test]
    fn an_ascii_word_folds_as_the_full_path_folds_it() {
        let full = |w: &str| {
            w.nfd()
                .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                .nfc()
                .collect::<String>()
                .to_lowercase()
        };
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for word in [every_ascii.as_str(), "US-ROK", "2+2", "MiXeD", ""] {
            assert_eq!(fold(word), full(word), "{word:?}");
        }
    }

    #[test]
    fn a_word_keeps_each_fields_events_and_counts_its_size_without_making_them() {
        let fields = [Field::Title, Field::Summary, Field::Keywords];
        let mut word = Word::new("abc");
        let mut want: [Vec<usize>; 3] = Default::default();
        for n in (0..5000).filter(|n| n % 7 != 3) {
            let field = fields[(n * 31 / 7) % 3];
            word.push(n * 13 / 5, field);
            want[field as usize].push(n * 13 / 5);
        }
        let lists = word.lists();
        for (list, want) in lists.iter().zip(&want) {
            assert_eq!(decode(list.as_str()).as_ref(), Some(want));
        }
        let value = word.value();
        assert_eq!(value.split(' ').count(), 3);
        assert_eq!(word.size(), 3 + value.len() - 2 + 8);
        for n in [0, 31, 32, 1023, 1024, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(number_len(n), out.len(), "{n}");
        }
    }

    #[test]
    fn terms_read_back_from_the_store_as_they_were_and_damage_is_refused() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let terms = Terms::new([
            &words(&["alliance", "東京"]),
            &[],
            &words(&["a", "", "b c"]),
        ]);
        let listed: Vec<(Field, &str)> = terms.words().collect();
        assert_eq!(
            listed,
            [
                (Field::Title, "alliance"),
                (Field::Title, "東京"),
                (Field::Keywords, "a"),
                (Field::Keywords, ""),
                (Field::Keywords, "b c"),
            ]
        );
        let bytes = terms.packed().to_vec();
        assert_eq!(Terms::from_packed(bytes.clone()), Some(terms));
        assert_eq!(Terms::from_packed(Vec::new()), None);
        for cut in 0..bytes.len() {
            assert_eq!(
                Terms::from_packed(bytes[..cut].to_vec()),
                None,
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Terms::from_packed(longer), None);
        // The fields in another order are not terms.
        let mut swapped = bytes;
        swapped[0] = 1;
        assert_eq!(Terms::from_packed(swapped), None);
        assert_eq!(Terms::none().words().count(), 0);
    }

    #[test]
    fn big_sets_split_into_bounded_shards() {
        let mut words = Words::default();
        for n in 0..3000 {
            let ws: Vec<String> = (0..40)
                .map(|j| format!("w{}x{}", (n + j) % 500, j))
                .collect();
            words.add_event(n, &Terms::new([&ws, &[], &[]]));
        }
        let (all, shards) = words.shards();
        assert!(shards.len() > 1);
        let mut covered = 0;
        for (key, run) in &shards {
            assert_eq!(run.start, covered, "shards are consecutive runs");
            covered = run.end;
            let ws = &all[run.clone()];
            let size: usize = ws.iter().map(|w| w.size()).sum();
            assert!(size <= SHARD_BUDGET || ws.len() == 1, "{key}: {size}");
            assert!(ws.iter().all(|w| w.key().starts_with(key.as_str())));
        }
        assert_eq!(covered, all.len());
    }
}
