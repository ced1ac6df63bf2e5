//! One image of the media stage: its pixel size, and for JPEG, PNG and
//! WebP its resized copies at the widths of a responsive `srcset`
//! ([`WIDTHS`], never wider than the original), encoded in the original's
//! format without its metadata (camera data, GPS position). SVG and GIF are
//! published as they are, with their size when the file says it.
//!
//! The cache folder holds `<hash>-<width>.<ext>` for each copy and
//! `<hash>.size` (the upright pixel size, written last), where `<hash>` is
//! the original's XXH3: a file whose copies and size are all there is not
//! decoded again. Files are written under a temporary name and renamed,
//! so a killed build leaves no half-written copy under a trusted name.

use super::{CopyFrom, Mode};
use crate::content::media::{FileFacts, ImageFacts, Rendition};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;
use std::path::Path;

/// The widths of the resized copies, in CSS pixels at most; an image
/// narrower than one of them gets a copy at its own width instead.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// JPEG quality of the copies: visually lossless for photographs.
const JPEG_QUALITY: u8 = 82;

/// The widths of the copies of an image `width` pixels wide: each of
/// [`WIDTHS`] clearly narrower than it, then its own width up to the
/// largest. Never wider than the original.
pub fn widths(width: u32) -> Vec<u32> {
    let largest = WIDTHS[WIDTHS.len() - 1];
    let mut out: Vec<u32> = WIDTHS
        .iter()
        .copied()
        // A copy within 10% of the original's width adds nothing.
        .filter(|w| u64::from(*w) * 10 < u64::from(width) * 9)
        .collect();
    if width <= largest {
        out.push(width);
    }
    out
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let h = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// The facts of the image at `path` (`bytes` long, of type `mime`) and
/// its copies to publish (output path, where from). An error says why
/// the file cannot be read as an image.
pub fn process(
    path: &Path,
    bytes: u64,
    mime: String,
    mode: &Mode,
) -> Result<(FileFacts, Vec<(String, CopyFrom)>), String> {
    let data = std::fs::read(path).map_err(|e| e.to_string())?;
    let hash = xxhash_rust::xxh3::xxh3_64(&data);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let facts = |image| FileFacts {
        bytes,
        mime: mime.clone(),
        hash,
        image,
    };
    let format = match ext.as_str() {
        "svg" => {
            let size = svg_size(&data)?;
            let image = size.map(|(width, height)| ImageFacts {
                width,
                height,
                renditions: Vec::new(),
            });
            return Ok((facts(image), Vec::new()));
        }
        "gif" => {
            let (width, height) = ImageReader::with_format(Cursor::new(&data), ImageFormat::Gif)
                .into_dimensions()
                .map_err(|e| e.to_string())?;
            let image = ImageFacts {
                width,
                height,
                renditions: Vec::new(),
            };
            return Ok((facts(Some(image)), Vec::new()));
        }
        "jpg" | "jpeg" => ImageFormat::Jpeg,
        "png" => ImageFormat::Png,
        "webp" => ImageFormat::WebP,
        other => {
            return Err(format!(
                "`.{other}` images are not supported (JPEG, PNG, WebP, GIF and SVG are)"
            ));
        }
    };
    let out_ext = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
        _ => "webp",
    };
    let name = {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        let slug = crate::values::slug::slugify(&stem);
        if slug.is_empty() {
            "image".to_string()
        } else {
            slug
        }
    };
    let cache = mode.cache();
    let cached = |w: u32| cache.join(format!("{hash:016x}-{w}.{out_ext}"));
    let size_file = cache.join(format!("{hash:016x}.size"));
    let known =
        read_size(&size_file).filter(|(w, _)| widths(*w).iter().all(|&r| cached(r).is_file()));
    let (width, height) = match known {
        Some(size) => size,
        None => {
            let img = decode(&data, format)?;
            let size = (img.width(), img.height());
            if matches!(mode, Mode::Build { .. }) {
                for w in widths(size.0) {
                    if !cached(w).is_file() {
                        let copy = if w == size.0 {
                            encode(&img, format)?
                        } else {
                            let h = scaled_height(size.0, size.1, w);
                            encode(
                                &img.resize_exact(w, h, image::imageops::FilterType::Lanczos3),
                                format,
                            )?
                        };
                        store(&cached(w), &copy)?;
                    }
                }
                store(&size_file, format!("{} {}\n", size.0, size.1).as_bytes())?;
            }
            size
        }
    };
    let renditions: Vec<Rendition> = widths(width)
        .into_iter()
        .map(|w| Rendition {
            width: w,
            height: scaled_height(width, height, w),
            rel: crate::urls::rendition(&name, hash, w, out_ext),
        })
        .collect();
    let copies = renditions
        .iter()
        .map(|r| {
            let from = match mode {
                Mode::Build { .. } => CopyFrom::Cache(cached(r.width)),
                Mode::Check { .. } => CopyFrom::Nothing,
            };
            (r.rel.clone(), from)
        })
        .collect();
    let image = ImageFacts {
        width,
        height,
        renditions,
    };
    Ok((facts(Some(image)), copies))
}

/// Decodes the whole image (so a damaged file is found) and turns it
/// upright by its EXIF orientation.
fn decode(data: &[u8], format: ImageFormat) -> Result<DynamicImage, String> {
    let mut decoder = ImageReader::with_format(Cursor::new(data), format)
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let done = match format {
        ImageFormat::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            rgb.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut out,
                JPEG_QUALITY,
            ))
        }
        ImageFormat::Png => img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)),
        _ => {
            // The WebP encoder takes 8-bit RGB(A) only.
            let rgba = DynamicImage::ImageRgba8(img.to_rgba8());
            rgba.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out))
        }
    };
    done.map_err(|e| format!("cannot encode a resized copy: {e}"))?;
    Ok(out)
}

/// Writes `bytes` at `path` by way of a temporary name.
fn store(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let cannot =
        |e: std::io::Error| format!("cannot write the media cache {}: {e}", path.display());
    std::fs::write(&tmp, bytes).map_err(cannot)?;
    std::fs::rename(&tmp, path).map_err(cannot)
}

fn read_size(path: &Path) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(path).ok()?;
    let (w, h) = text.trim().split_once(' ')?;
    let size = (w.parse().ok()?, h.parse().ok()?);
    (size.0 > 0 && size.1 > 0).then_some(size)
}

/// The size an SVG file gives itself: its root's `width` and `height` in
/// pixels, else its `viewBox`; `None` when it says neither. An error when
/// the file has no `<svg` element at all.
fn svg_size(data: &[u8]) -> Result<Option<(u32, u32)>, String> {
    let text = String::from_utf8_lossy(data);
    let start = text
        .find("<svg")
        .ok_or("no <svg> element: not an SVG image")?;
    let tag = &text[start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let attr = |name: &str| -> Option<String> {
        let mut rest = tag;
        while let Some(i) = rest.find(name) {
            let before = rest[..i].chars().last();
            let after = rest[i + name.len()..].trim_start();
            rest = &rest[i + name.len()..];
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let Some(after) = after.strip_prefix('=') else {
                continue;
            };
            let after = after.trim_start();
            let quote = after.chars().next()?;
            if quote != '"' && quote != '\'' {
                continue;
            }
            let value = &after[1..];
            return Some(value[..value.find(quote)?].to_string());
        }
        None
    };
    let px = |v: String| -> Option<u32> {
        let number = v.trim().strip_suffix("px").unwrap_or(v.trim()).trim();
        let n: f64 = number.parse().ok()?;
        (1.0..100_000.0).contains(&n).then(|| n.round() as u32)
    };
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Ok(Some((w, h)));
    }
    let from_box = attr("viewBox").and_then(|b| {
        let parts: Vec<f64> = b
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        match parts.as_slice() {
            [_, _, w, h] => Some((px(w.to_string())?, px(h.to_string())?)),
            _ => None,
        }
    });
    Ok(from_box)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(4000), vec![480, 960, 1600]);
        assert_eq!(widths(1600), vec![480, 960, 1600]);
        assert_eq!(widths(1000), vec![480, 1000]);
        assert_eq!(widths(500), vec![500]);
        assert_eq!(widths(120), vec![120]);
        assert_eq!(scaled_height(1000, 500, 480), 240);
    }

    #[test]
    fn svg_sizes_from_attributes_or_view_box() {
        let s = |t: &str| svg_size(t.as_bytes());
        assert_eq!(
            s(r#"<svg xmlns="x" width="40px" height='30'>"#),
            Ok(Some((40, 30)))
        );
        assert_eq!(
            s(r#"<svg stroke-width="2" viewBox="0 0 100 50">"#),
            Ok(Some((100, 50)))
        );
        assert_eq!(s(r#"<svg width="100%">"#), Ok(None));
        assert!(s("GIF89a").is_err());
    }
}
