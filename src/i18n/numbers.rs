//! Counts in the reader's language: digit grouping ("100,000", "100.000",
//! "100 000") for the numbers the interface's messages show. Fluent writes
//! a number's digits alone, so each bundle is given [`formatter`]. As with
//! CLDR's minimum grouping digits of 2, a number of four digits or fewer
//! stays as written, so years ("2024") read as years in every language.

use fluent_bundle::FluentValue;
use fluent_bundle::memoizer::MemoizerKind;
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

/// The grouping separator of a bundle's language, worked out once per
/// bundle by Fluent's formatter cache.
struct Grouping(&'static str);

impl Memoizable for Grouping {
    type Args = ();
    type Error = ();

    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Grouping, ()> {
        Ok(Grouping(separator(lang.language.as_str())))
    }
}

/// The thousands separator of a language (by its language subtag): CLDR's
/// for the languages it names, a comma for any other.
pub(super) fn separator(lang: &str) -> &'static str {
    match lang {
        "de" | "es" | "it" | "nl" | "pt" | "id" | "da" | "tr" | "el" | "ro" | "hr" | "sl"
        | "sr" | "vi" | "is" => ".",
        "fr" => "\u{202f}",
        "ru" | "uk" | "pl" | "cs" | "sk" | "sv" | "fi" | "nb" | "no" | "nn" | "hu" | "bg"
        | "lt" | "lv" | "et" | "be" | "kk" | "ka" | "hy" => "\u{a0}",
        _ => ",",
    }
}

/// `n` with its digits grouped in threes by `separator`, when it has more
/// than four digits.
pub(super) fn grouped(n: i64, separator: &str) -> String {
    let digits = n.unsigned_abs().to_string();
    if digits.len() <= 4 {
        return n.to_string();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len() + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(d);
    }
    out
}

/// Fluent's hook for writing a value: whole numbers with grouping (unless
/// the message asks `NUMBER($n, useGrouping: "false")`); anything else is
/// left to Fluent.
pub fn formatter<M: MemoizerKind>(value: &FluentValue, intls: &M) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let n = number.value;
    let whole = n.fract() == 0.0 && n.abs() < 1e15;
    if !number.options.use_grouping || !whole || number.options.minimum_fraction_digits.is_some() {
        return None;
    }
    let separator = intls
        .with_try_get_threadsafe::<Grouping, _, _>((), |g| g.0)
        .ok()?;
    Some(grouped(n as i64, separator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_past_four_digits() {
        assert_eq!(grouped(2024, ","), "2024");
        assert_eq!(grouped(10000, ","), "10,000");
        assert_eq!(grouped(100000, "."), "100.000");
        assert_eq!(grouped(1234567, "\u{a0}"), "1\u{a0}234\u{a0}567");
        assert_eq!(grouped(-123456, ","), "-123,456");
        assert_eq!(grouped(0, ","), "0");
    }
}
