//! `annals import` run again: events are recognised by `imported_id`
//! (whatever their file or `slug:` now is) and never duplicated;
//! `--update` takes the source's changes but keeps fields edited by hand;
//! `--dry-run` writes nothing. Also: files that are not timelines, CRLF
//! sheets, the first template's columns and times without a zone.

mod common;

use common::*;
use std::fs;

fn timeline(title: &str, text: &str) -> String {
    format!(
        r#"{{"events": [
  {{"unique_id": "talks", "start_date": {{"year": 2024, "month": 7, "day": 28}}, "text": {{"headline": "{title}", "text": "{text}"}}}},
  {{"start_date": {{"year": 2023}}, "text": {{"headline": "Other", "text": "Other text."}}}}
]}}"#
    )
}

#[test]
fn rerun_skips_what_is_there_even_renamed_and_never_duplicates() {
    let site = TestSite::new();
    let file = site.write("t.json", timeline("Talks", "First. Second."));
    assert_success(&import_into(&site, &file, &[]));
    // The user moves the event and gives it a slug of its own.
    let old = site.path().join("content/events/2024/talks.md");
    let text = fs::read_to_string(&old).expect("talks");
    fs::remove_file(&old).expect("remove");
    site.event(
        "2024/renamed.md",
        text.replacen("---\n", "---\nslug: my-talks\n", 1),
    );
    let before = snapshot(&site.path().join("content"));
    let out = import_into(&site, &file, &[]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("Imported 0 events into"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("2 events already imported and skipped"),
        "{}",
        stderr(&out)
    );
    // Notes speak of what this run imported: nothing here.
    assert!(!stderr(&out).contains("note: "), "{}", stderr(&out));
    assert_same_tree(&before, &snapshot(&site.path().join("content")));
    site.build_ok(&[]);
}

#[test]
fn update_takes_source_changes_and_keeps_hand_edits() {
    let site = TestSite::new();
    let file = site.write("t.json", timeline("Talks", "First. Second."));
    assert_success(&import_into(&site, &file, &[]));
    let path = site.path().join("content/events/2024/talks.md");
    // A hand edit of the title, and a field the import does not write.
    let text = fs::read_to_string(&path).expect("talks");
    let edited = text
        .replace("title: \"Talks\"", "title: \"Talks in Tokyo\"")
        .replace("kind: meeting", "kind: meeting\nlocation: Tokyo");
    fs::write(&path, &edited).expect("edit");
    // The source changes the title and the text.
    let file = site.write(
        "t.json",
        timeline("Talks (revised)", "New first. New second."),
    );

    // --dry-run says what would change and writes nothing.
    let before = snapshot(site.path());
    let dry = import_into(&site, &file, &["--update", "--dry-run"]);
    assert_success(&dry);
    assert!(
        stdout(&dry).contains("update: content/events/2024/talks.md"),
        "{}",
        stdout(&dry)
    );
    assert!(
        stdout(&dry).contains("unchanged: content/events/2023/2023-other.md"),
        "{}",
        stdout(&dry)
    );
    assert!(
        stderr(&dry).contains("nothing was written"),
        "{}",
        stderr(&dry)
    );
    assert_same_tree(&before, &snapshot(site.path()));

    let out = import_into(&site, &file, &["--update"]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("conflict: content/events/2024/talks.md: `title` was edited by hand"),
        "{err}"
    );
    assert!(err.contains("1 updated, 1 unchanged"), "{err}");
    let now = fs::read_to_string(&path).expect("talks");
    assert!(
        now.contains("title: \"Talks in Tokyo\""),
        "hand edit kept:\n{now}"
    );
    assert!(now.contains("location: Tokyo"), "{now}");
    assert!(
        now.contains("summary: \"New first.\""),
        "source change taken:\n{now}"
    );
    assert!(now.contains("\nNew first. New second.\n"), "{now}");
    // Running it again changes nothing and reports no conflict.
    let again = import_into(&site, &file, &["--update"]);
    assert_success(&again);
    assert!(!stderr(&again).contains("conflict"), "{}", stderr(&again));
    assert_eq!(fs::read_to_string(&path).expect("talks"), now);
    site.build_ok(&[]);
}

#[test]
fn dry_run_of_a_new_import_lists_and_writes_nothing() {
    let site = TestSite::new();
    let file = site.write("t.json", timeline("Talks", "Text."));
    let out = import_into(&site, &file, &["--dry-run"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("create: content/events/2024/talks.md"),
        "{}",
        stdout(&out)
    );
    assert!(!site.path().join("content/events").exists());
    assert!(!site.path().join("imported.json").exists());
}

#[test]
fn files_that_are_not_timelines_are_refused() {
    let site = TestSite::new();
    for (name, text, says) in [
        ("empty.json", "{}", "found an empty object"),
        ("list.json", "[1, 2]", "this file holds a JSON list"),
        (
            "none.json",
            "{\"events\": []}",
            "the `events` list is empty",
        ),
        (
            "other.json",
            "{\"name\": \"x\"}",
            "found an object with `name`",
        ),
        (
            "header.csv",
            "Year,Month,Day,Headline,Text\r\n",
            "no rows below its header",
        ),
        (
            "semi.csv",
            "Year;Month;Day;Headline\n2024;1;1;A\n",
            "separated by `;`",
        ),
        (
            "plain.csv",
            "a,b\n1,2\n",
            "no `Year` (or `Start Date`) and `Headline` columns",
        ),
    ] {
        let file = site.write(name, text);
        let out = import_into(&site, &file, &[]);
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("Imported"), "{name}: {err}");
    }
    let file = site.write("t.json", timeline("Talks", "Text."));
    assert_code(&import_into(&site, &file, &["--tz", "Mars/Olympus"]), 2);
    assert_code(&import_into(&site, &file, &["--kind", "nope"]), 2);
}

#[test]
fn crlf_sheets_report_the_right_row_and_line() {
    let site = TestSite::new();
    // A cell over two lines shifts the file's lines from the sheet's rows.
    let csv = "Year,Month,Day,Headline,Text\r\n2024,1,2,Fine,\"Two\r\nlines\"\r\n2024,2,3,Also fine,x\r\n2024,14,1,Bad,x\r\n";
    let file = site.write("s.csv", csv);
    let out = import_into(&site, &file, &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("s.csv:5:1: row 4 \"Bad\": start date: month 14 does not exist"),
        "{err}"
    );
    assert!(!site.path().join("content/events").exists());
}

#[test]
fn first_template_columns_month_names_and_times_without_zone() {
    let site = TestSite::new();
    let csv = "Start Date,End Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Tag\n\
\"March 5, 2024\",,Day,Text.,,,,,,\n\
5 March 2023,,Other day,Text.,,,,,,\n\
Mar 2022,,Month,Text.,,,,,,\n\
2024-07-28 10:30,,Timed,Text.,,,,,,\n";
    let file = site.write("v1.csv", csv);
    let out = import_into(&site, &file, &[]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains(
            "1 event has a time of day, but TimelineJS times carry no time zone (\"Timed\")"
        ),
        "{err}"
    );
    for (path, date) in [
        ("2024/2024-03-05-day.md", "date: 2024-03-05\n"),
        ("2023/2023-03-05-other-day.md", "date: 2023-03-05\n"),
        ("2022/2022-03-month.md", "date: 2022-03\n"),
        ("2024/2024-07-28-timed.md", "date: 2024-07-28\n"),
    ] {
        let text = fs::read_to_string(site.path().join("content/events").join(path)).expect(path);
        assert!(text.contains(date), "{text}");
    }
    site.build_ok(&[]);
    // site.yaml's `timezone` places the time once it is set.
    let site = TestSite::new();
    site.write("site.yaml", "timezone: Asia/Seoul\n");
    let file = site.write("v1.csv", csv);
    assert_success(&import_into(&site, &file, &[]));
    let timed = fs::read_to_string(site.path().join("content/events/2024/2024-07-28-timed.md"))
        .expect("timed");
    assert!(timed.contains("date: 2024-07-28T10:30:00+09:00"), "{timed}");
}
