//! `sitemap.xml` (sitemaps.org 0.9, written with quick-xml's writer) listing
//! every page of the site except `404.html`, and `robots.txt`
//! naming it. Both need absolute URLs (see `absolute_base`).

use super::Ctx;
use crate::urls;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

fn sitemap(ctx: &Ctx, pages: &[String]) -> Result<Vec<u8>, std::io::Error> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            for path in pages {
                if path == urls::NOT_FOUND || path.ends_with(&format!("/{}", urls::NOT_FOUND)) {
                    continue;
                }
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&ctx.abs(path)))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

pub(super) fn write(ctx: &Ctx, pages: &[String]) -> Result<(), crate::error::Error> {
    let xml =
        sitemap(ctx, pages).map_err(|e| crate::error::Error::io("cannot encode sitemap.xml", e))?;
    ctx.put(urls::SITEMAP, &xml)?;
    // robots.txt is only read at the host's root; under a sub-path it is
    // still written so it can be copied there.
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        ctx.abs(urls::SITEMAP)
    );
    ctx.put(urls::ROBOTS, robots.as_bytes())
}
