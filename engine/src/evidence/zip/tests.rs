//! ZIP tests: reproducibility, round trips, and hostile archives built by
//! hand (the `zip` crate's writer refuses to make most of them).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::evidence::assemble::tests::{bundle, key};
use crate::evidence::signature::Signer;
use flate2::write::DeflateEncoder;
use flate2::Compression;

fn ed25519_bundle() -> Vec<BundleFile> {
    bundle(&Signer::Ed25519 {
        key: key(5),
        key_id: None,
    })
}

#[test]
fn same_files_give_the_same_bytes_and_time_changes_them() {
    let files = ed25519_bundle();
    let first = write_zip(&files, "2026-11-25T10:00:00+00:00").unwrap();
    let mut reversed = files.clone();
    reversed.reverse();
    assert_eq!(
        first,
        write_zip(&files, "2026-11-25T10:00:00+00:00").unwrap()
    );
    assert_eq!(
        first,
        write_zip(&reversed, "2026-11-25T10:00:00Z").unwrap(),
        "order is fixed"
    );
    assert_ne!(first, write_zip(&files, "2026-11-25T10:00:04Z").unwrap());
    assert_ne!(first, write_zip(&files, "2027-11-25T10:00:00Z").unwrap());
}

#[test]
fn round_trip_keeps_every_byte_and_puts_the_manifest_first() {
    let files = ed25519_bundle();
    let read = read_zip(&write_zip(&files, "2026-11-25T10:00:00Z").unwrap()).unwrap();
    let names: Vec<&str> = read.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names[0], "manifest.json");
    assert_eq!(names[1..], BUNDLE_ORDER[..8]);
    for file in &files {
        assert_eq!(read.iter().find(|f| f.name == file.name), Some(file));
    }
    // Empty files and extra names survive too (extras go last, in order).
    let odd = vec![
        BundleFile::text("z-extra.txt", String::new()),
        BundleFile::text("evidence.json", "{}".into()),
        BundleFile::text("a-extra.txt", "a".into()),
    ];
    let read = read_zip(&write_zip(&odd, "2026-11-25T10:00:00Z").unwrap()).unwrap();
    let names: Vec<&str> = read.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["evidence.json", "z-extra.txt", "a-extra.txt"]);
}

#[test]
fn entries_carry_the_created_at_time_and_fixed_permissions() {
    let zip = write_zip(&ed25519_bundle(), "2026-11-25T10:00:07.5Z").unwrap();
    let mut archive = ZipArchive::new(Cursor::new(&zip)).unwrap();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let time = entry.last_modified().unwrap();
        let when = (
            time.year(),
            time.month(),
            time.day(),
            time.hour(),
            time.minute(),
            time.second(),
        );
        assert_eq!(
            when,
            (2026, 11, 25, 10, 0, 6),
            "DOS time has two-second steps"
        );
        assert_eq!(entry.unix_mode(), Some(0o100644));
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        assert!(entry.extra_data().is_none_or(<[u8]>::is_empty));
    }
}

#[test]
fn created_at_must_be_rfc3339_utc_in_zip_range() {
    let good = [
        "2026-11-25T10:00:00Z",
        "2026-11-25t10:00:00z",
        "2026-11-25T10:00:00.123456Z",
        "2026-11-25T10:00:00-00:00",
        "1980-01-01T00:00:00Z",
        "2107-12-31T23:59:59Z",
    ];
    for text in good {
        assert!(dos_time(text).is_ok(), "{text}");
    }
    let bad = [
        ("", "expected YYYY-MM-DDTHH:MM:SS"),
        ("2026-11-25 10:00:00Z", "expected YYYY-MM-DDTHH:MM:SS"),
        ("2026-11-25T10:00:00", "offset must be"),
        ("2026-11-25T10:00:00+02:00", "offset must be"),
        ("2026-11-25T10:00:00.Z", "empty fraction"),
        ("2026-02-30T10:00:00Z", "not a valid date"),
        ("1979-12-31T23:59:59Z", "not a valid date"),
        ("2026-13-01T00:00:00Z", "not a valid date"),
        ("２026-11-25T10:00:00Z", "expected YYYY-MM-DDTHH:MM:SS"),
    ];
    for (text, expected) in bad {
        let error = dos_time(text).unwrap_err();
        assert!(error.message.contains(expected), "{text}: {error}");
    }
}

#[test]
fn writer_refuses_names_it_would_refuse_to_read() {
    for name in ["../x", "/abs", "C:x", "a/b", "a\\b", "", "nul\0"] {
        let error = write_zip(
            &[BundleFile::text(name, String::new())],
            "2026-11-25T10:00:00Z",
        )
        .unwrap_err();
        assert!(error.message.starts_with("zip entry"), "{name:?}: {error}");
    }
    let twice = [
        BundleFile::text("a", String::new()),
        BundleFile::text("a", String::new()),
    ];
    assert!(write_zip(&twice, "2026-11-25T10:00:00Z")
        .unwrap_err()
        .message
        .contains("repeated"));
}

/// One entry of a hand-made ZIP.
struct Raw {
    name: Vec<u8>,
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

fn stored(name: &str, content: &[u8]) -> Raw {
    Raw {
        name: name.as_bytes().to_vec(),
        method: 0,
        data: content.to_vec(),
        crc: crc32fast::hash(content),
        size: content.len() as u32,
    }
}

fn deflated(name: &str, content: &[u8], declared: u32) -> Raw {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(content).unwrap();
    Raw {
        name: name.as_bytes().to_vec(),
        method: 8,
        data: encoder.finish().unwrap(),
        crc: crc32fast::hash(content),
        size: declared,
    }
}

/// A ZIP with exactly these entries: local headers, central directory, end
/// record, nothing checked.
fn raw_zip(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(entry.method.to_le_bytes());
            h.extend([0, 0, 0x21, 0]); // 1980-01-01 00:00
            h.extend(entry.crc.to_le_bytes());
            h.extend((entry.data.len() as u32).to_le_bytes());
            h.extend(entry.size.to_le_bytes());
            h.extend((entry.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(&entry.name);
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&entry.data);
        central.extend(header(0x0201_4b50, true));
    }
    let directory = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(directory.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[test]
fn hand_made_zips_that_are_fine_are_read() {
    let zip = raw_zip(&[
        stored("a.txt", b"hello"),
        deflated("b.json", b"{}{}{}{}", 8),
    ]);
    let files = read_zip(&zip).unwrap();
    assert_eq!(files[0], BundleFile::text("a.txt", "hello".into()));
    assert_eq!(files[1], BundleFile::text("b.json", "{}{}{}{}".into()));
}

#[test]
fn hostile_zips_fail_closed_naming_the_problem() {
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let many: Vec<Raw> = (0..65).map(|i| stored(&format!("f{i}"), b"x")).collect();
    // 53 honest entries of 5 MiB of zeros each: 265 MiB in a few hundred KiB.
    let chunk = deflated("b", &zeros[..5 << 20], 5 << 20);
    let bomb: Vec<Raw> = (0..53)
        .map(|i| Raw {
            name: format!("b{i}").into_bytes(),
            data: chunk.data.clone(),
            ..chunk
        })
        .collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "parent segment",
            raw_zip(&[stored("../x", b"1")]),
            "\"../x\" has a `..` segment",
        ),
        (
            "nested parent",
            raw_zip(&[stored("a/../../x", b"1")]),
            "\"a/../../x\" has a `..` segment",
        ),
        (
            "absolute",
            raw_zip(&[stored("/abs", b"1")]),
            "\"/abs\" is an absolute path",
        ),
        (
            "backslash absolute",
            raw_zip(&[stored("\\abs", b"1")]),
            "is an absolute path",
        ),
        (
            "drive letter",
            raw_zip(&[stored("C:x", b"1")]),
            "\"C:x\" starts with a drive letter",
        ),
        (
            "folder",
            raw_zip(&[stored("a/b", b"1")]),
            "\"a/b\" is inside a folder",
        ),
        (
            "backslash folder",
            raw_zip(&[stored("a\\b", b"1")]),
            "is inside a folder",
        ),
        (
            "folder entry",
            raw_zip(&[stored("dir/", b"")]),
            "\"dir/\" is inside a folder",
        ),
        (
            "NUL",
            raw_zip(&[stored("a\0b", b"1")]),
            "contains a NUL byte",
        ),
        (
            "empty name",
            raw_zip(&[stored("", b"1")]),
            "has an empty name",
        ),
        (
            "non-ASCII",
            raw_zip(&[stored("é.json", b"1")]),
            "not plain printable ASCII",
        ),
        (
            "duplicate",
            raw_zip(&[stored("a", b"1"), stored("b", b"2"), stored("a", b"3")]),
            "\"a\" is repeated",
        ),
        (
            "65 entries",
            raw_zip(&many),
            "zip has 65 entries; a bundle holds at most 64",
        ),
        (
            "declares small, inflates huge",
            raw_zip(&[deflated("liar.json", &zeros, 100)]),
            "\"liar.json\" inflates to more than its declared 100 bytes",
        ),
        (
            "declares more than it holds",
            raw_zip(&[deflated("short", b"abc", 10)]),
            "\"short\"",
        ),
        (
            "bomb over the cap",
            raw_zip(&bomb),
            "refusing a possible zip bomb",
        ),
        ("empty input", Vec::new(), "not a readable ZIP: too short"),
        (
            "garbage",
            b"this is certainly not a zip archive at all".to_vec(),
            "no end-of-central-directory",
        ),
    ];
    for (label, zip, expected) in cases {
        let error = read_zip(&zip).unwrap_err();
        assert!(
            error.message.contains(expected),
            "{label}: {expected:?} not in {:?}",
            error.message
        );
    }
}

#[test]
fn truncated_or_corrupted_zips_never_panic() {
    let zip = write_zip(&ed25519_bundle(), "2026-11-25T10:00:00Z").unwrap();
    for cut in [1, 10, 22, zip.len() / 2, zip.len() - 23, zip.len() - 1] {
        assert!(read_zip(&zip[..cut]).is_err(), "cut at {cut}");
        assert!(
            read_zip(&zip[zip.len() - cut..]).is_err(),
            "suffix of {cut}"
        );
    }
    // Flip every byte of a small archive: any outcome but a panic is fine,
    // and whatever is read must still be within the caps.
    let small = raw_zip(&[
        stored("a.txt", b"hello"),
        deflated("b", b"hello hello hello", 17),
    ]);
    for at in 0..small.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = small.clone();
            bad[at] ^= flip;
            if let Ok(files) = read_zip(&bad) {
                assert!(files.len() <= 2);
            }
        }
    }
}
