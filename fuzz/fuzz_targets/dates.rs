//! Date parsing from arbitrary text; a parsed date must display, sort and
//! round-trip through its machine form.
#![no_main]

use annals::dates::EventDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(date) = EventDate::parse(text) {
        let again = EventDate::parse(&date.machine()).expect("machine form parses");
        assert_eq!(again.precision(), date.precision());
        assert_eq!(again.machine(), date.machine());
        let _ = date.display();
        let _ = date.first_instant();
        let _ = annals::dates::display_span(&date, Some(&annals::dates::EndDate::On(again)), true);
    }
});
