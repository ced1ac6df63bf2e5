//! Media on events: the located errors of bad `media` items, page bundles
//! (the event in `<folder>/index.md`, its files published beside its
//! page), resized images with `srcset`, `width` and `height`, the cache of
//! resized copies beside the output and reused by the next build, embeds
//! that load nothing before a click, and media in the feeds, the calendar,
//! `events.json` and `timelinejs.json`.

mod common;

use common::*;
use image::{GenericImageView, ImageFormat, RgbImage};
use std::fs;
use std::path::Path;

const HEAD: &str = "---\ntitle: A talk with media\ndate: 2024-08-10\nkind: meeting\nsummary: A talk.\nsources: [{title: Programme}]\n";

/// A JPEG of `w`×`h` pixels at `path` (a gradient, so it compresses like a photo).
fn jpeg(path: &Path, w: u32, h: u32) {
    let img = RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    img.save_with_format(path, ImageFormat::Jpeg)
        .expect("write a JPEG");
}

fn png(path: &Path, w: u32, h: u32) {
    let img = RgbImage::from_fn(w, h, |x, _| image::Rgb([0, (x % 256) as u8, 200]));
    fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    img.save_with_format(path, ImageFormat::Png)
        .expect("write a PNG");
}

/// A site with one bundled event (`content/events/2024/talk/index.md`)
/// holding a large JPEG, a video, a text file and an embed, and one event
/// with an image from `static/`.
fn media_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{SITE_YAML}base_url: https://example.org/tl/\n"),
    );
    jpeg(
        &site.path().join("content/events/2024/talk/map.jpg"),
        2000,
        1000,
    );
    site.write("content/events/2024/talk/clip.mp4", b"not really a video");
    site.write("content/events/2024/talk/notes/slides.txt", "slides");
    site.event(
        "2024/talk/index.md",
        format!(
            "{HEAD}media:\n  - {{src: map.jpg, alt: \"Map of the venue\", caption: The venue, credit: Jane Doe}}\n  - {{src: clip.mp4, caption: A clip}}\n  - {{src: \"https://www.youtube.com/watch?v=dQw4w9WgXcQ\", alt: Recording of the talk, caption: The recording, credit: Conference}}\n---\nSee [the slides](notes/slides.txt).\n"
        ),
    );
    png(&site.path().join("static/img/logo.png"), 300, 200);
    site.event(
        "2023/older.md",
        "---\ntitle: Older\ndate: 2023-03-01\nkind: statement\nsummary: Older.\nsources: [{title: X}]\nmedia: [{src: /img/logo.png, alt: Green logo}]\n---\n",
    );
    site
}

fn cache_of(site: &TestSite) -> std::path::PathBuf {
    site.path().join(".public.annals-media-cache")
}

#[test]
fn bundles_publish_their_files_and_images_get_sized_srcsets() {
    let site = media_site();
    site.build_ok(&[]);
    // The folder names the event; its other files are published beside it.
    let page = site.page("events/talk/index.html");
    assert_eq!(
        fs::read_to_string(site.public().join("events/talk/notes/slides.txt"))
            .expect("bundle file"),
        "slides"
    );
    assert!(site.public().join("events/talk/clip.mp4").is_file());
    assert!(!site.public().join("events/talk/index.md").exists());

    let img = page
        .select(&sel(".media-image img"))
        .next()
        .expect("the image");
    let a = |n: &str| img.value().attr(n).unwrap_or_default().to_string();
    assert_eq!(a("alt"), "Map of the venue");
    assert_eq!((a("width").as_str(), a("height").as_str()), ("1600", "800"));
    let srcset: Vec<(String, u32)> = a("srcset")
        .split(", ")
        .map(|c| {
            let (url, w) = c.split_once(' ').expect("url and width");
            (
                url.to_string(),
                w.trim_end_matches('w').parse().expect("a width"),
            )
        })
        .collect();
    assert_eq!(
        srcset.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [480, 960, 1600]
    );
    for (url, w) in &srcset {
        let rel = url.strip_prefix("/tl/").expect("under the base path");
        let copy = image::open(site.public().join(rel)).expect("a resized copy");
        assert_eq!(copy.dimensions(), (*w, w / 2), "{url}");
    }
    assert_eq!(a("src"), srcset[2].0);
    let captions = texts(&page, ".media figcaption");
    assert_eq!(captions[0], "The venue Credit: Jane Doe");
    assert_eq!(captions[1], "A clip");
    // The video has controls and never plays by itself.
    let video = page.select(&sel("video")).next().expect("the video");
    assert!(video.value().attr("controls").is_some());
    assert!(video.value().attr("autoplay").is_none());
    assert_eq!(
        attrs(&page, "video source", "src"),
        ["/tl/events/talk/clip.mp4"]
    );

    // A small image passes unresized at its own width; the timeline shows
    // thumbnails with their size.
    let home = site.page("index.html");
    let thumbs: Vec<_> = home.select(&sel("img.entry-thumb")).collect();
    assert_eq!(thumbs.len(), 2);
    for t in &thumbs {
        assert!(t.value().attr("width").is_some() && t.value().attr("height").is_some());
        assert_eq!(t.value().attr("loading"), Some("lazy"));
        assert!(!t.value().attr("alt").unwrap_or_default().is_empty());
    }
    assert!(
        attrs(&home, "img.entry-thumb", "src")
            .iter()
            .any(|s| s.starts_with("/tl/media/logo-") && s.ends_with("-300.png"))
    );

    // The cache is beside the output, never in it.
    assert!(cache_of(&site).is_dir());
    assert!(
        fs::read_dir(site.public())
            .expect("public")
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().contains("cache"))
    );
}

#[test]
fn the_cache_is_reused_and_a_changed_image_is_resized_again() {
    let site = media_site();
    site.build_ok(&[]);
    let stamps = |dir: &Path| -> Vec<(String, std::time::SystemTime)> {
        let mut v: Vec<_> = fs::read_dir(dir)
            .expect("cache")
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().and_then(|m| m.modified()).expect("mtime"),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = stamps(&cache_of(&site));
    assert_eq!(before.len(), 6, "{before:?}"); // 3 + 1 copies, 2 size files
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build_ok(&["--clean"]);
    assert_eq!(stamps(&cache_of(&site)), before, "nothing is resized again");

    // Another image under the same name: new copies, new addresses.
    let old_src = attrs(
        &site.page("events/talk/index.html"),
        ".media-image img",
        "src",
    );
    jpeg(
        &site.path().join("content/events/2024/talk/map.jpg"),
        800,
        600,
    );
    site.build_ok(&[]);
    let page = site.page("events/talk/index.html");
    let src = attrs(&page, ".media-image img", "src");
    assert_ne!(src, old_src);
    assert_eq!(attrs(&page, ".media-image img", "width"), ["800"]);
    assert!(
        !site
            .public()
            .join(old_src[0].trim_start_matches("/tl/"))
            .exists()
    );
    // The old copies leave the cache: 2 copies and a size file for the new
    // map, the logo's as before.
    assert_eq!(stamps(&cache_of(&site)).len(), 5);
}

#[test]
fn embeds_contact_no_third_party_before_a_click() {
    let site = media_site();
    site.build_ok(&[]);
    let page = site.page("events/talk/index.html");
    assert!(page.select(&sel("iframe")).next().is_none());
    // Nothing the browser fetches by itself leaves the site.
    for attr in ["src", "srcset", "poster", "data"] {
        for value in attrs(&page, &format!("[{attr}]"), attr) {
            assert!(
                !value.contains("://"),
                "`{attr}` leaves the site before a click: {value}"
            );
        }
    }
    let box_ = page
        .select(&sel(".embed-placeholder"))
        .next()
        .expect("a placeholder");
    assert_eq!(
        box_.value().attr("data-embed-src"),
        Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    );
    assert_eq!(
        box_.value().attr("data-embed-title"),
        Some("Recording of the talk")
    );
    // Without the script, a plain link to the source.
    assert_eq!(
        attrs(&page, ".embed-placeholder a", "href"),
        ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
    );
    assert_eq!(attrs(&page, "script[src]", "src").len(), 1);
    // The script makes the iframe only in the click handler.
    let js = fs::read_to_string(site.public().join("assets/annals.js")).expect("script");
    let click = js
        .find("addEventListener(\"click\"")
        .expect("a click handler");
    let frame = js.find("createElement(\"iframe\")").expect("an iframe");
    assert!(frame > click);
}

#[test]
fn remote_files_load_only_on_a_click_and_get_no_thumbnail() {
    let site = TestSite::new();
    site.event(
        "2024/remote.md",
        "---\ntitle: Remote\ndate: 2024-05-01\nkind: meeting\nsummary: Remote media.\nsources: [{title: X}]\nmedia:\n  - {src: \"https://upload.example.org/a/map.jpg\", alt: Map of the region, credit: Agency}\n  - {src: \"https://media.example.org/clip.mp4\", caption: A clip}\n---\n",
    );
    site.build_ok(&[]);
    let page = site.page("events/remote/index.html");
    for attr in ["src", "srcset", "poster", "data"] {
        for value in attrs(&page, &format!("[{attr}]"), attr) {
            assert!(
                !value.contains("://"),
                "`{attr}` leaves the site before a click: {value}"
            );
        }
    }
    let boxes: Vec<_> = page.select(&sel(".remote-media")).collect();
    assert_eq!(boxes.len(), 2);
    let kinds: Vec<_> = boxes
        .iter()
        .map(|b| {
            (
                b.value().attr("data-media-kind").unwrap_or_default(),
                b.value().attr("data-embed-host").unwrap_or_default(),
                b.value().attr("data-embed-src").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "image",
                "upload.example.org",
                "https://upload.example.org/a/map.jpg"
            ),
            (
                "video",
                "media.example.org",
                "https://media.example.org/clip.mp4"
            ),
        ]
    );
    assert_eq!(
        boxes[0].value().attr("data-embed-title"),
        Some("Map of the region")
    );
    // Without the script, a link to each file; with it, the script loads.
    assert_eq!(
        attrs(&page, ".remote-media a", "href"),
        [
            "https://upload.example.org/a/map.jpg",
            "https://media.example.org/clip.mp4"
        ]
    );
    assert_eq!(attrs(&page, "script[src]", "src").len(), 1);
    // No list shows a remote image as a thumbnail.
    let home = site.page("index.html");
    assert!(home.select(&sel(".entry-thumb")).next().is_none());
}

#[test]
fn feeds_calendar_and_data_carry_media() {
    let site = media_site();
    site.build_ok(&[]);
    let p = site.public();
    let atom = fs::read_to_string(p.join("atom.xml")).expect("atom");
    let doc = roxmltree::Document::parse(&atom).expect("XML");
    let enclosures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("link") && n.attribute("rel") == Some("enclosure"))
        .collect();
    let map = enclosures
        .iter()
        .find(|n| n.attribute("href") == Some("https://example.org/tl/events/talk/map.jpg"))
        .expect("the map as an enclosure");
    assert_eq!(map.attribute("type"), Some("image/jpeg"));
    let len = fs::metadata(site.path().join("content/events/2024/talk/map.jpg"))
        .expect("map")
        .len();
    assert_eq!(map.attribute("length"), Some(len.to_string().as_str()));
    assert!(
        enclosures
            .iter()
            .all(|n| n.attribute("href").is_some_and(|h| !h.contains("youtube")))
    );

    let feed: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("feed.json")).expect("feed"))
            .expect("JSON");
    let item = feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["title"] == "A talk with media")
        .expect("the item");
    assert!(
        item["image"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://example.org/tl/media/map-"))
    );
    assert_eq!(item["attachments"].as_array().map(Vec::len), Some(2));
    assert_eq!(item["attachments"][1]["mime_type"], "video/mp4");

    let ics = fs::read_to_string(p.join("calendar.ics"))
        .expect("calendar")
        .replace("\r\n ", "");
    assert!(
        ics.contains("ATTACH;FMTTYPE=image/jpeg:https://example.org/tl/events/talk/map.jpg"),
        "{ics}"
    );

    let events: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("events.json")).expect("events"))
            .expect("JSON");
    let talk = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["slug"] == "talk")
        .expect("the talk");
    let media = talk["media"].as_array().expect("media");
    assert_eq!(media.len(), 3);
    assert_eq!(media[0]["src"], "map.jpg");
    assert_eq!(media[0]["kind"], "image");
    assert_eq!(media[0]["width"], 1600);
    assert_eq!(media[0]["credit"], "Jane Doe");
    assert_eq!(media[1]["kind"], "video");
    assert_eq!(media[2]["kind"], "embed");

    let tl: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p.join("timelinejs.json")).expect("tl"))
            .expect("JSON");
    let slide = tl["events"]
        .as_array()
        .expect("slides")
        .iter()
        .find(|s| s["unique_id"] == "talk")
        .expect("the slide");
    assert_eq!(slide["media"]["alt"], "Map of the venue");
    assert_eq!(slide["media"]["caption"], "The venue");
    assert_eq!(slide["media"]["credit"], "Jane Doe");
    assert!(
        slide["media"]["thumbnail"]
            .as_str()
            .is_some_and(|t| t.ends_with("-480.jpg"))
    );
}

#[test]
fn check_passes_on_a_site_with_media_and_writes_nothing() {
    let site = media_site();
    let out = site.check_here();
    assert_success(&out);
    assert!(!site.public().exists());
    assert!(!cache_of(&site).exists());
}

#[test]
fn svg_and_gif_pass_through_with_their_size() {
    let site = TestSite::new();
    site.write(
        "static/art/my diagram.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"><rect width="120" height="60"/></svg>"#,
    );
    let gif = RgbImage::from_pixel(40, 30, image::Rgb([1, 2, 3]));
    fs::create_dir_all(site.path().join("static/art")).expect("folder");
    gif.save_with_format(site.path().join("static/art/anim.gif"), ImageFormat::Gif)
        .expect("a GIF");
    site.event(
        "2024/art.md",
        format!("{HEAD}media:\n  - {{src: /art/my diagram.svg, alt: A diagram}}\n  - {{src: /art/anim.gif, alt: An animation}}\n---\n"),
    );
    site.build_ok(&[]);
    let page = site.page("events/art/index.html");
    assert_eq!(
        attrs(&page, ".media-image img", "src"),
        ["/art/my%20diagram.svg", "/art/anim.gif"]
    );
    assert_eq!(attrs(&page, ".media-image img", "width"), ["120", "40"]);
    assert_eq!(attrs(&page, ".media-image img", "height"), ["60", "30"]);
    assert!(attrs(&page, ".media-image img", "srcset").is_empty());
}

#[test]
fn site_yaml_embeds_extend_the_allowed_hosts() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        format!("{SITE_YAML}embeds: [media.example.org]\n"),
    );
    site.event(
        "2024/e.md",
        format!("{HEAD}media: [{{src: \"https://media.example.org/v/1\", alt: A talk}}]\n---\n"),
    );
    site.build_ok(&[]);
    let page = site.page("events/e/index.html");
    assert_eq!(
        attrs(&page, ".embed-placeholder", "data-embed-src"),
        ["https://media.example.org/v/1"]
    );
}

/// One event whose `media` breaks every rule, run from inside the site so
/// paths print as `content/...`.
#[test]
fn bad_media_are_located_errors_with_hints() {
    let site = TestSite::new();
    site.event(
        "2024/bad.md",
        format!(
            "{HEAD}media:\n  - {{src: photo.jpg}}\n  - {{src: \"http://example.org/a.png\", alt: A}}\n  - {{src: missing.png, alt: Gone}}\n  - {{src: \"https://evil.example/player\", caption: x}}\n  - {{src: \"https://example.org/a.png\", alt: A, size: big}}\n  - {{src: talk.mp4, kind: movie}}\n  - {{src: ../../../site.yaml, kind: image, alt: X}}\n  - {{src: notes.txt}}\n  - {{alt: No source}}\n---\n"
        ),
    );
    site.write("content/events/2024/photo.jpg", b"x");
    site.write("content/events/2024/notes.txt", "x");
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    insta::assert_snapshot!("bad_media", stderr(&out));
}

#[test]
fn a_damaged_image_is_an_error_where_it_is_named() {
    let site = TestSite::new();
    site.write(
        "content/events/2024/talk/photo.png",
        b"\x89PNG\r\n\x1a\nbroken",
    );
    site.event(
        "2024/talk/index.md",
        format!("{HEAD}media: [{{src: photo.png, alt: A photo}}]\n---\n"),
    );
    for out in [site.build_here(&[]), site.check_here()] {
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(
            err.contains("content/events/2024/talk/index.md:7:15: cannot read image `photo.png`"),
            "{err}"
        );
        assert!(err.contains("help: save it again as JPEG, PNG"), "{err}");
    }
}

#[test]
fn a_bundle_file_may_not_replace_the_event_page() {
    let site = TestSite::new();
    site.write("content/events/2024/talk/index.html", "<p>hand-made</p>");
    site.event("2024/talk/index.md", format!("{HEAD}---\n"));
    let out = site.build_here(&[]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("`events/talk/index.html` would replace the generated page"),
        "{}",
        stderr(&out)
    );
}
