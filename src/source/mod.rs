//! Source stage: from the site's folders to parsed documents. Walks the
//! input folders without leaving the site, reads files, splits and parses
//! YAML front matter (the only place that touches the YAML library), and
//! reads typed values out of it with located diagnostics.

pub mod git;
pub mod line_index;
pub mod load;
pub mod parse;
pub mod reader;
pub mod walk;
pub mod yaml;
