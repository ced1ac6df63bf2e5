//! The text `annals new` leaves for the writer to replace, defined once
//! for the skeleton and for the check that refuses to publish it: a new
//! event starts as a draft, and placeholder text in an event that is not
//! a draft is an error of `check` and `build`.

use crate::source::reader::Checker;

/// The title of the one source a new event lists.
pub const SOURCE: &str = "Name the source (publisher, title, date; add url only if known)";

/// The body of a new event.
pub const BODY: &str = "Describe the event in your own words.";

/// Every placeholder, with what replacing it means.
const ALL: [(&str, &str); 2] = [
    (
        SOURCE,
        "replace it with the source's title (and its publisher, date and url if known)",
    ),
    (
        BODY,
        "replace it with the event's description, or delete it",
    ),
];

/// Reports each placeholder left in `text` (the whole event file) at its
/// place, for an event that is not a draft.
pub fn check(c: &mut Checker, text: &str) {
    for (placeholder, hint) in ALL {
        for (at, _) in text.match_indices(placeholder) {
            c.at_offset(
                at,
                placeholder.chars().count(),
                "placeholder text from `annals new` in a published event",
            )
            .hint = Some(format!(
                "{hint}; or keep `draft: true` until the event is written"
            ));
        }
    }
}
