//! Bundle ZIPs: a reproducible writer and a reader that fails closed.
//!
//! The writer makes the same bytes from the same files on every target:
//! entries in a fixed order, every timestamp the bundle's `created_at`,
//! fixed permissions, DEFLATE by the pure-Rust `miniz_oxide`, no varying
//! extra fields. The reader treats every ZIP as hostile: entry count and
//! total size are capped (declared sizes are checked, and actual bytes are
//! counted while inflating, so a lying header cannot exhaust memory), and
//! names that could escape a folder or shadow one another (zip-slip) are
//! refused with an error naming the entry. Bundles are flat, so any folder
//! separator at all is refused.
//!
//! The `zip` crate silently keeps one of two entries with the same name, so
//! the reader first lists the central directory itself to see every name,
//! then checks that the crate saw the same entries.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::manifest::MANIFEST_FILE;
use super::{BundleFile, EvidenceError, BUNDLE_ORDER};
use std::collections::HashSet;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Most entries a bundle ZIP may hold.
pub const MAX_ZIP_ENTRIES: usize = 64;

/// Most uncompressed bytes a bundle ZIP may hold, all entries together.
pub const MAX_ZIP_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// Permissions of every entry (`rw-r--r--`).
const ENTRY_PERMISSIONS: u32 = 0o644;

/// DEFLATE level: fixed so a change of the crate's default cannot change
/// bytes. Level 1 deflates a 10,000-decision bundle about four times faster
/// than level 6 for a ZIP about 1.8 times larger (5.4 MB against 3.0 MB):
/// exports are interactive, archives are cheap.
const DEFLATE_LEVEL: i64 = 1;

/// Writes `files` as a reproducible ZIP: `manifest.json` first, then the
/// bundle files in bundle order, then any others in the order given; every
/// entry stamped with `created_at` (RFC 3339 UTC, DOS resolution of two
/// seconds).
pub fn write_zip(files: &[BundleFile], created_at: &str) -> Result<Vec<u8>, EvidenceError> {
    let time = dos_time(created_at)?;
    check_entries(files.iter().map(|file| file.name.as_str()))?;
    let total: u64 = files.iter().map(|file| file.bytes.len() as u64).sum();
    if total > MAX_ZIP_TOTAL_BYTES {
        return Err(EvidenceError::new(format!(
            "bundle holds {total} bytes; a bundle ZIP holds at most {MAX_ZIP_TOTAL_BYTES}"
        )));
    }
    let mut ordered: Vec<&BundleFile> = files.iter().collect();
    // Stable sort: files outside the bundle order keep their given order.
    ordered.sort_by_key(|file| zip_position(&file.name));

    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL))
        .last_modified_time(time)
        .unix_permissions(ENTRY_PERMISSIONS)
        .large_file(false);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for file in ordered {
        writer
            .start_file(file.name.as_str(), options)
            .map_err(|e| write_error(&file.name, &e))?;
        writer
            .write_all(&file.bytes)
            .map_err(|e| write_error(&file.name, &e))?;
    }
    let cursor = writer
        .finish()
        .map_err(|e| EvidenceError::new(format!("cannot finish the ZIP: {e}")))?;
    Ok(cursor.into_inner())
}

fn write_error(name: &str, error: &dyn std::fmt::Display) -> EvidenceError {
    EvidenceError::new(format!("cannot write zip entry `{name}`: {error}"))
}

/// `manifest.json` first, then bundle order, then everything else.
fn zip_position(name: &str) -> usize {
    if name == MANIFEST_FILE {
        return 0;
    }
    BUNDLE_ORDER
        .iter()
        .position(|known| *known == name)
        .map_or(BUNDLE_ORDER.len() + 1, |i| i + 1)
}

/// The DOS timestamp of an RFC 3339 UTC time such as
/// `2026-11-25T10:00:00Z`, `2026-11-25T10:00:00.123Z` or
/// `2026-11-25T10:00:00+00:00`.
pub fn dos_time(created_at: &str) -> Result<DateTime, EvidenceError> {
    let bad = |why: &str| {
        EvidenceError::new(format!(
            "created_at `{created_at}` is not an RFC 3339 UTC time ({why})"
        ))
    };
    let text = created_at.as_bytes();
    let number = |from: usize, len: usize| -> Option<u16> {
        let digits = text.get(from..from + len)?;
        digits.iter().try_fold(0u16, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10 + u16::from(b - b'0'))
        })
    };
    let separators_ok = text.get(4) == Some(&b'-')
        && text.get(7) == Some(&b'-')
        && matches!(text.get(10), Some(b'T' | b't'))
        && text.get(13) == Some(&b':')
        && text.get(16) == Some(&b':');
    let fields = (
        number(0, 4),
        number(5, 2),
        number(8, 2),
        number(11, 2),
        number(14, 2),
        number(17, 2),
    );
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = fields
    else {
        return Err(bad("expected YYYY-MM-DDTHH:MM:SS"));
    };
    if !separators_ok {
        return Err(bad("expected YYYY-MM-DDTHH:MM:SS"));
    }
    let mut rest = created_at.get(19..).unwrap_or("");
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad("empty fraction of a second"));
        }
        rest = fraction.get(digits..).unwrap_or("");
    }
    if !matches!(rest, "Z" | "z" | "+00:00" | "-00:00") {
        return Err(bad("the offset must be `Z` or `+00:00`"));
    }
    let narrow = |v: u16| u8::try_from(v).unwrap_or(u8::MAX);
    DateTime::from_date_and_time(
        year,
        narrow(month),
        narrow(day),
        narrow(hour),
        narrow(minute),
        narrow(second),
    )
    .map_err(|_| bad("not a valid date between 1980 and 2107, as ZIP requires"))
}

/// Refuses a name that could leave the bundle folder or is not a plain
/// flat file name; `Err` holds why.
pub(crate) fn check_entry_name(name: &str) -> Result<(), String> {
    let bytes = name.as_bytes();
    if name.is_empty() {
        return Err("has an empty name".into());
    }
    if name.contains('\0') {
        return Err("contains a NUL byte".into());
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return Err("is an absolute path".into());
    }
    if bytes.get(1) == Some(&b':') && bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return Err("starts with a drive letter".into());
    }
    if name.split(['/', '\\']).any(|segment| segment == "..") {
        return Err("has a `..` segment (zip-slip)".into());
    }
    if name.contains(['/', '\\']) {
        return Err("is inside a folder; bundles are flat".into());
    }
    if name == "." {
        return Err("is not a file name".into());
    }
    if !bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        return Err("is not plain printable ASCII".into());
    }
    Ok(())
}

/// Checks every name and that none repeats, and the entry count.
fn check_entries<'a>(names: impl Iterator<Item = &'a str>) -> Result<(), EvidenceError> {
    let mut seen = HashSet::new();
    for name in names {
        if let Err(why) = check_entry_name(name) {
            return Err(EvidenceError::new(format!("zip entry {name:?} {why}")));
        }
        if !seen.insert(name) {
            return Err(EvidenceError::new(format!(
                "zip entry {name:?} is repeated"
            )));
        }
        if seen.len() > MAX_ZIP_ENTRIES {
            return Err(too_many(seen.len()));
        }
    }
    Ok(())
}

fn too_many(count: usize) -> EvidenceError {
    EvidenceError::new(format!(
        "zip has {count} entries; a bundle holds at most {MAX_ZIP_ENTRIES}"
    ))
}

/// Reads a bundle ZIP, refusing anything a bundle writer would not make
/// and anything that could escape a folder or exhaust memory.
pub fn read_zip(bytes: &[u8]) -> Result<Vec<BundleFile>, EvidenceError> {
    let names = central_directory_names(bytes)?;
    check_entries(names.iter().map(String::as_str))?;

    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| EvidenceError::new(format!("not a readable ZIP: {e}")))?;
    if !archive.file_names().eq(names.iter().map(String::as_str)) {
        return Err(EvidenceError::new(
            "zip central directory is inconsistent (entries seen twice or not at all)",
        ));
    }

    let mut declared = Vec::with_capacity(names.len());
    let mut total: u64 = 0;
    for (index, name) in names.iter().enumerate() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| entry_error(name, &e))?;
        if entry.is_dir() {
            return Err(EvidenceError::new(format!(
                "zip entry {name:?} is a folder; bundles are flat"
            )));
        }
        total = total.saturating_add(entry.size());
        if total > MAX_ZIP_TOTAL_BYTES {
            return Err(EvidenceError::new(format!(
                "zip declares more than {MAX_ZIP_TOTAL_BYTES} uncompressed bytes (at entry {name:?}); refusing a possible zip bomb"
            )));
        }
        declared.push(entry.size());
    }

    let mut files = Vec::with_capacity(names.len());
    for ((index, name), size) in names.iter().enumerate().zip(declared) {
        let entry = archive.by_index(index).map_err(|e| entry_error(name, &e))?;
        let mut content = Vec::new();
        // One byte past the declared size proves a lie without reading more.
        entry
            .take(size.saturating_add(1))
            .read_to_end(&mut content)
            .map_err(|e| entry_error(name, &e))?;
        if content.len() as u64 != size {
            return Err(EvidenceError::new(format!(
                "zip entry {name:?} inflates to {} its declared {size} bytes; refusing a lying header",
                if content.len() as u64 > size { "more than" } else { "fewer than" }
            )));
        }
        files.push(BundleFile {
            name: name.clone(),
            bytes: content,
        });
    }
    Ok(files)
}

fn entry_error(name: &str, error: &dyn std::fmt::Display) -> EvidenceError {
    EvidenceError::new(format!("zip entry {name:?} cannot be read: {error}"))
}

/// Every name in the central directory, duplicates included, read from the
/// end-of-central-directory record at the very end of `bytes` (bundle ZIPs
/// have no comment, no ZIP64 and no prefix).
fn central_directory_names(bytes: &[u8]) -> Result<Vec<String>, EvidenceError> {
    const EOCD_SIGNATURE: u32 = 0x0605_4b50;
    const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
    const EOCD_LEN: usize = 22;
    const CENTRAL_LEN: usize = 46;
    let not_zip = |why: &str| EvidenceError::new(format!("not a readable ZIP: {why}"));

    let start = bytes
        .len()
        .checked_sub(EOCD_LEN)
        .ok_or_else(|| not_zip("too short"))?;
    let lowest = start.saturating_sub(usize::from(u16::MAX));
    let eocd = (lowest..=start)
        .rev()
        .find(|&at| {
            le32(bytes, at) == Some(EOCD_SIGNATURE)
                && le16(bytes, at + 20).map(usize::from) == Some(bytes.len() - at - EOCD_LEN)
        })
        .ok_or_else(|| not_zip("no end-of-central-directory record (truncated or not a ZIP)"))?;
    let field = |offset: usize| le16(bytes, eocd + offset).unwrap_or(0);
    let count = usize::from(field(10));
    let directory = le32(bytes, eocd + 16).unwrap_or(u32::MAX);
    if count == usize::from(u16::MAX) || directory == u32::MAX {
        return Err(not_zip("ZIP64 archives are not supported for bundles"));
    }
    if field(4) != 0 || field(6) != 0 || usize::from(field(8)) != count {
        return Err(not_zip("multi-disk archives are not supported"));
    }
    if count > MAX_ZIP_ENTRIES {
        return Err(too_many(count));
    }

    let mut names = Vec::with_capacity(count);
    let mut at = usize::try_from(directory).map_err(|_| not_zip("bad directory offset"))?;
    for _ in 0..count {
        if le32(bytes, at) != Some(CENTRAL_SIGNATURE) {
            return Err(not_zip("corrupt central directory"));
        }
        // `at` is inside `bytes`, so these small additions cannot overflow;
        // saturating keeps that obvious (an out-of-range slice is `None`).
        let length = |offset: usize| le16(bytes, at.saturating_add(offset)).map(usize::from);
        let (Some(name_len), Some(extra_len), Some(comment_len)) =
            (length(28), length(30), length(32))
        else {
            return Err(not_zip("corrupt central directory"));
        };
        let name_start = at.saturating_add(CENTRAL_LEN);
        let name = bytes
            .get(name_start..name_start.saturating_add(name_len))
            .ok_or_else(|| not_zip("corrupt central directory"))?;
        names.push(String::from_utf8_lossy(name).into_owned());
        at = name_start
            .saturating_add(name_len)
            .saturating_add(extra_len)
            .saturating_add(comment_len);
    }
    Ok(names)
}

fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    let raw = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes(raw.try_into().ok()?))
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let raw = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(raw.try_into().ok()?))
}

#[cfg(test)]
mod tests;
