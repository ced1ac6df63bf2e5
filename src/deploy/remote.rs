//! The places a site is published to, behind one small interface: an S3
//! bucket (or any S3-compatible store) through `object_store`, or a folder
//! on this machine (a web server's root, a mounted share). Each lists what
//! it holds, tells whether a file there already has a local file's
//! content, writes a file whole, and deletes one.

use super::local::{LocalFile, is_internal, md5_hex};
use crate::error::Error;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{
    Attribute, AttributeValue, Attributes, BackoffConfig, GetOptions, ObjectStore, ObjectStoreExt,
    PutOptions, PutPayload, RetryConfig,
};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The metadata key holding a file's MD5, for stores whose ETag is not one.
const MD5_METADATA: &str = "annals-md5";
/// Prefix of the temporary names a folder destination writes to.
const TEMP_PREFIX: &str = ".annals-deploy.";
/// Attempts at one request on top of `object_store`'s own retries, which
/// cover server errors and timeouts; these also cover a dropped connection.
const ATTEMPTS: u32 = 3;

/// Where `annals deploy` publishes to, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `s3://bucket[/prefix]`; the prefix without leading or trailing `/`.
    S3 { bucket: String, prefix: String },
    /// `file:///path`.
    Folder(PathBuf),
}

impl Destination {
    pub fn parse(text: &str) -> Result<Destination, Error> {
        let usage = |why: &str| {
            Error::Usage(format!(
                "destination `{text}`: {why}; give s3://bucket[/prefix] or file:///absolute/path"
            ))
        };
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(usage("no bucket name"));
            }
            let prefix = prefix.trim_matches('/');
            if prefix.split('/').any(|s| s == "." || s == "..")
                || (!prefix.is_empty() && Key::parse(prefix).is_err())
            {
                return Err(usage("the prefix is not a plain key prefix"));
            }
            return Ok(Destination::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.to_string(),
            });
        }
        if let Some(rest) = text.strip_prefix("file://") {
            let path = PathBuf::from(
                percent_encoding::percent_decode_str(rest)
                    .decode_utf8()
                    .map_err(|_| usage("the path is not UTF-8"))?
                    .into_owned(),
            );
            if !path.is_absolute() {
                return Err(usage("the path must be absolute (file:///…)"));
            }
            return Ok(Destination::Folder(path));
        }
        Err(usage("unknown kind of destination"))
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Destination::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
            Destination::Folder(path) => write!(f, "file://{}", path.display()),
        }
    }
}

/// A file the destination holds.
#[derive(Debug, Clone)]
pub struct RemoteFile {
    /// Its path below the destination's prefix or folder.
    pub rel: String,
    pub size: u64,
    /// The store's ETag, quotes removed; for a folder, the file's MD5.
    pub etag: Option<String>,
}

/// An opened destination.
pub enum Remote {
    S3 { store: AmazonS3, prefix: String },
    Folder { root: PathBuf },
}

/// An `object_store` error as annals's error, naming what was being done.
fn remote_error(action: String, e: object_store::Error) -> Error {
    Error::io(action, io::Error::other(e))
}

/// Whether another attempt may succeed (a connection or server problem,
/// not a refusal).
fn transient(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::Generic { .. })
}

impl Remote {
    pub fn open(dest: &Destination) -> Result<Remote, Error> {
        match dest {
            Destination::S3 { bucket, prefix } => {
                let retry = RetryConfig {
                    backoff: BackoffConfig {
                        init_backoff: Duration::from_millis(200),
                        max_backoff: Duration::from_secs(10),
                        base: 2.0,
                    },
                    max_retries: 6,
                    retry_timeout: Duration::from_secs(120),
                };
                let store = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| {
                        Error::Usage(format!(
                            "cannot use {dest}: {e} (set AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for other stores than AWS, AWS_ENDPOINT_URL)"
                        ))
                    })?;
                Ok(Remote::S3 {
                    store,
                    prefix: prefix.clone(),
                })
            }
            Destination::Folder(root) => {
                if !root.is_dir() {
                    return Err(Error::Usage(format!(
                        "destination folder {} does not exist",
                        root.display()
                    )));
                }
                Ok(Remote::Folder { root: root.clone() })
            }
        }
    }

    fn key(prefix: &str, rel: &str) -> Result<Key, Error> {
        let full = if prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{prefix}/{rel}")
        };
        Key::parse(&full)
            .map_err(|e| Error::Usage(format!("cannot publish {rel} under that name: {e}")))
    }

    /// Every file the destination holds below its prefix or folder, except
    /// annals's own (`.annals…`).
    pub async fn list(&self) -> Result<Vec<RemoteFile>, Error> {
        match self {
            Remote::S3 { store, prefix } => {
                use tokio_stream::StreamExt;
                let at = (!prefix.is_empty()).then(|| Key::from(prefix.as_str()));
                let mut stream = store.list(at.as_ref());
                let mut found = Vec::new();
                while let Some(meta) = stream.next().await {
                    let meta = meta.map_err(|e| remote_error(format!("cannot list {store}"), e))?;
                    let key = meta.location.as_ref();
                    let rel = if prefix.is_empty() {
                        key
                    } else {
                        match key
                            .strip_prefix(prefix.as_str())
                            .and_then(|k| k.strip_prefix('/'))
                        {
                            Some(rel) => rel,
                            None => continue,
                        }
                    };
                    if rel.is_empty() || is_internal(rel) {
                        continue;
                    }
                    found.push(RemoteFile {
                        rel: rel.to_string(),
                        size: meta.size,
                        etag: meta.e_tag.map(|t| t.trim_matches('"').to_string()),
                    });
                }
                Ok(found)
            }
            Remote::Folder { root } => {
                let root = root.clone();
                blocking(move || list_folder(&root)).await
            }
        }
    }

    /// Whether `remote` already holds `local`'s bytes: its ETag is their
    /// MD5 (a single-part upload to S3 and most compatible stores), or
    /// else the MD5 annals stored in its metadata; for a folder, the MD5
    /// of its bytes (worked out when listing).
    pub async fn holds(&self, remote: &RemoteFile, local: &LocalFile) -> Result<bool, Error> {
        if remote.size != local.size {
            return Ok(false);
        }
        match self {
            Remote::S3 { store, prefix } => {
                if let Some(etag) = &remote.etag
                    && etag.len() == 32
                    && etag.bytes().all(|b| b.is_ascii_hexdigit())
                {
                    return Ok(etag.eq_ignore_ascii_case(&local.md5));
                }
                let key = Remote::key(prefix, &local.rel)?;
                let options = GetOptions {
                    head: true,
                    ..Default::default()
                };
                let got = with_retries(|| store.get_opts(&key, options.clone()))
                    .await
                    .map_err(|e| remote_error(format!("cannot read {key}"), e))?;
                let stored = got
                    .attributes
                    .get(&Attribute::Metadata(MD5_METADATA.into()))
                    .map(|v| v.as_ref().to_string());
                Ok(stored.is_some_and(|m| m.eq_ignore_ascii_case(&local.md5)))
            }
            Remote::Folder { .. } => Ok(remote.etag.as_deref() == Some(local.md5.as_str())),
        }
    }

    /// Writes `local` whole at its path, with its content type and caching.
    pub async fn put(&self, local: &LocalFile) -> Result<(), Error> {
        let bytes = {
            let path = local.path.clone();
            blocking(move || {
                std::fs::read(&path)
                    .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))
            })
            .await?
        };
        match self {
            Remote::S3 { store, prefix } => {
                let key = Remote::key(prefix, &local.rel)?;
                let mut attributes = Attributes::new();
                attributes.insert(
                    Attribute::ContentType,
                    AttributeValue::from(super::headers::content_type(&local.rel)),
                );
                attributes.insert(
                    Attribute::CacheControl,
                    AttributeValue::from(super::headers::cache_control(&local.rel)),
                );
                attributes.insert(
                    Attribute::Metadata(MD5_METADATA.into()),
                    AttributeValue::from(local.md5.clone()),
                );
                let payload = PutPayload::from(bytes);
                with_retries(|| {
                    let options = PutOptions {
                        attributes: attributes.clone(),
                        ..Default::default()
                    };
                    store.put_opts(&key, payload.clone(), options)
                })
                .await
                .map_err(|e| remote_error(format!("cannot upload {} to {key}", local.rel), e))?;
                Ok(())
            }
            Remote::Folder { root } => {
                let root = root.clone();
                let rel = local.rel.clone();
                blocking(move || write_in_folder(&root, &rel, &bytes)).await
            }
        }
    }

    /// Deletes the file at `rel`.
    pub async fn delete(&self, rel: &str) -> Result<(), Error> {
        match self {
            Remote::S3 { store, prefix } => {
                let key = Remote::key(prefix, rel)?;
                with_retries(|| store.delete(&key))
                    .await
                    .map_err(|e| remote_error(format!("cannot delete {key}"), e))
            }
            Remote::Folder { root } => {
                let root = root.clone();
                let rel = rel.to_string();
                blocking(move || delete_in_folder(&root, &rel)).await
            }
        }
    }
}

/// Runs `attempt` until it succeeds, fails for good, or [`ATTEMPTS`] are
/// used, waiting 0.5 s, then 1 s, between attempts.
async fn with_retries<T, F, Fut>(mut attempt: F) -> Result<T, object_store::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, object_store::Error>>,
{
    let mut wait = Duration::from_millis(500);
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(e) if tries < ATTEMPTS && transient(&e) => {
                tokio::time::sleep(wait).await;
                wait *= 2;
                tries += 1;
            }
            other => return other,
        }
    }
}

/// Runs file-system work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::io("a file task failed", io::Error::other(e)))?
}

fn list_folder(root: &Path) -> Result<Vec<RemoteFile>, Error> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).display().to_string();
            Error::io(format!("cannot read {path}"), e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let name = entry.file_name().to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && !writer_alive(&name) {
            // Left by a deploy that was killed mid-write.
            let _ = std::fs::remove_file(entry.path());
            continue;
        }
        if is_internal(&rel) {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        found.push((rel, size, entry.into_path()));
    }
    // Hashed in parallel: the comparison reads every file the site has.
    use rayon::prelude::*;
    Ok(found
        .into_par_iter()
        .map(|(rel, size, path)| RemoteFile {
            rel,
            size,
            // An unreadable file counts as changed, and is replaced.
            etag: std::fs::read(&path).ok().map(|b| md5_hex(&b)),
        })
        .collect())
}

/// Whether the process that named the temporary file `name`
/// (`.annals-deploy.<pid>.<file>`) is still running.
fn writer_alive(name: &str) -> bool {
    let pid = name[TEMP_PREFIX.len()..]
        .split('.')
        .next()
        .and_then(|p| p.parse::<u32>().ok());
    pid.is_some_and(|pid| pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists())
}

/// Writes `bytes` to a temporary name beside `rel` and renames it into
/// place, so a web server serving the folder never sends half a file.
fn write_in_folder(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), Error> {
    let target = root.join(rel);
    let fail =
        |what: &str, e: io::Error| Error::io(format!("cannot {what} {}", target.display()), e);
    let parent = target.parent().unwrap_or(root);
    std::fs::create_dir_all(parent).map_err(|e| fail("make the folder of", e))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!("{TEMP_PREFIX}{}.{name}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        io::Write::write_all(&mut file, bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(fail("write", e));
    }
    Ok(())
}

/// Deletes `rel`, then the folders it leaves empty (never `root`).
fn delete_in_folder(root: &Path, rel: &str) -> Result<(), Error> {
    let target = root.join(rel);
    match std::fs::remove_file(&target) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("cannot delete {}", target.display()), e)),
    }
    let mut dir = target.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}
