//! Path canonicalisation: one spelling for every way an agent can name a file.
//!
//! Policy globs are matched against a path relative to the workspace root, so
//! `config\.env`, `./config//.env`, `src/../config/.env` and
//! `/work/repo/config/.env` must all arrive as `config/.env`; otherwise a
//! block rule is bypassed by spelling. Everything here is lexical: nothing
//! touches the file system (the engine also runs in WebAssembly), so symbolic
//! links are not followed. A path that resolves outside the workspace is kept
//! absolute and marked, because leaving the workspace is an action in its own
//! right (`filesystem.outside_workspace`).

use std::fmt;

/// The longest raw path, in bytes, that [`canonicalize`] accepts.
pub const MAX_PATH_LEN: usize = 4096;

/// Where a canonical path points.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathTarget {
    /// Relative to the workspace root, `/`-separated, without a leading `./`;
    /// never empty (the root itself is `.`).
    Workspace(String),
    /// Resolved outside the workspace root: an absolute normalised path
    /// (`/etc/passwd`, `C:/Users/x`), or a home path (`~/...`, `~user/...`)
    /// kept as written apart from normalisation.
    Outside(String),
}

impl PathTarget {
    /// The canonical path text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Workspace(path) | Self::Outside(path) => path,
        }
    }

    /// True when the path resolved outside the workspace root.
    #[must_use]
    pub fn is_outside(&self) -> bool {
        matches!(self, Self::Outside(_))
    }
}

impl fmt::Display for PathTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A path that cannot be canonicalised (empty, too long, undecodable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// What is wrong, lower case, naming the limit or rule.
    pub message: String,
}

impl PathError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

/// Canonicalises `raw` against the workspace root `workspace`.
///
/// Backslashes become `/`, repeated `/` collapse, `.` segments drop, `..`
/// resolves lexically, a `file://` prefix is stripped (and its
/// percent-escapes decoded). Absolute paths (`/x`, `C:/x`) under the
/// workspace become relative; relative paths resolve against the workspace;
/// anything that ends up elsewhere, and every `~` path, is
/// [`PathTarget::Outside`]. An empty workspace means `/`.
///
/// # Errors
///
/// An empty or whitespace-only path, a path or workspace longer than
/// [`MAX_PATH_LEN`] bytes, or a `file://` URL whose escapes do not decode to
/// UTF-8.
pub fn canonicalize(raw: &str, workspace: &str) -> Result<PathTarget, PathError> {
    check_length("path", raw)?;
    check_length("workspace", workspace)?;
    if raw.trim().is_empty() {
        return Err(PathError::new("path is empty"));
    }
    let target = Parsed::parse(raw)?;
    let base = if workspace.trim().is_empty() {
        Parsed {
            root: Root::Slash,
            segments: Vec::new(),
        }
    } else {
        let mut base = Parsed::parse(workspace)?;
        if base.root == Root::Relative {
            // A relative workspace has nothing to be relative to: anchor it
            // at `/` so the result is still a well-formed absolute path.
            base.root = Root::Slash;
            base.segments.retain(|segment| segment != "..");
        }
        base
    };
    let resolved = match target.root {
        Root::Relative => {
            let mut segments = base.segments.clone();
            for segment in &target.segments {
                push_segment(&mut segments, segment, base.root.keeps_leading_parent());
            }
            Parsed {
                root: base.root.clone(),
                segments,
            }
        }
        _ => target,
    };
    Ok(match resolved.strip_base(&base) {
        Some(rest) if rest.is_empty() => PathTarget::Workspace(".".to_owned()),
        Some(rest) => PathTarget::Workspace(rest.join("/")),
        None => PathTarget::Outside(resolved.render()),
    })
}

fn check_length(what: &str, text: &str) -> Result<(), PathError> {
    if text.len() > MAX_PATH_LEN {
        return Err(PathError::new(format!(
            "{what} is {} bytes long; the limit is {MAX_PATH_LEN}",
            text.len()
        )));
    }
    Ok(())
}

/// What a path is anchored at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Root {
    /// Relative to the workspace.
    Relative,
    /// `/`.
    Slash,
    /// A Windows drive, letter upper-cased: `C:/`.
    Drive(char),
    /// `~` (empty user) or `~user`.
    Home(String),
}

impl Root {
    /// `..` cannot climb above `/` or a drive root, but above a relative
    /// start or a home directory we do not know what it reaches, so it stays.
    fn keeps_leading_parent(&self) -> bool {
        matches!(self, Self::Relative | Self::Home(_))
    }
}

/// A path split into its anchor and its normalised segments.
#[derive(Debug, Clone)]
struct Parsed {
    root: Root,
    segments: Vec<String>,
}

impl Parsed {
    fn parse(raw: &str) -> Result<Self, PathError> {
        let text = strip_file_url(&raw.replace('\\', "/"))?;
        let (root, rest) = split_root(&text);
        let keep = root.keeps_leading_parent();
        let mut segments = Vec::new();
        for segment in rest.split('/') {
            push_segment(&mut segments, segment, keep);
        }
        Ok(Self { root, segments })
    }

    /// The segments of `self` below `base`, when `self` is `base` or under
    /// it. Segments compare whole, so `/work/repo2` is not under
    /// `/work/repo`; drive paths compare case-insensitively, as Windows does.
    fn strip_base(&self, base: &Self) -> Option<Vec<String>> {
        let fold_case = match (&self.root, &base.root) {
            (Root::Drive(a), Root::Drive(b)) if a == b => true,
            (a, b) if a == b => false,
            _ => return None,
        };
        let mut own = self.segments.iter();
        for wanted in &base.segments {
            let segment = own.next()?;
            let same = if fold_case {
                segment.to_lowercase() == wanted.to_lowercase()
            } else {
                segment == wanted
            };
            if !same {
                return None;
            }
        }
        Some(own.cloned().collect())
    }

    fn render(&self) -> String {
        let joined = self.segments.join("/");
        match &self.root {
            Root::Slash => format!("/{joined}"),
            Root::Drive(letter) => format!("{letter}:/{joined}"),
            Root::Home(user) if joined.is_empty() => format!("~{user}"),
            Root::Home(user) => format!("~{user}/{joined}"),
            Root::Relative if joined.is_empty() => ".".to_owned(),
            Root::Relative => joined,
        }
    }
}

/// Appends one raw segment, resolving `.` and `..` lexically.
fn push_segment(segments: &mut Vec<String>, segment: &str, keep_leading_parent: bool) {
    match segment {
        "" | "." => {}
        ".." => match segments.last() {
            Some(last) if last != ".." => {
                segments.pop();
            }
            _ if keep_leading_parent => segments.push("..".to_owned()),
            _ => {}
        },
        name => segments.push(name.to_owned()),
    }
}

/// Splits off the anchor: `/`, a drive (`C:` — a drive-relative `C:x` is
/// taken as `C:/x`, which keeps it outside any workspace), or `~user`.
fn split_root(text: &str) -> (Root, &str) {
    if text.starts_with('/') {
        return (Root::Slash, text);
    }
    let mut chars = text.chars();
    if let (Some(letter), Some(':')) = (chars.next(), chars.next()) {
        if letter.is_ascii_alphabetic() {
            return (Root::Drive(letter.to_ascii_uppercase()), chars.as_str());
        }
    }
    if let Some(home) = text.strip_prefix('~') {
        let (user, rest) = home.split_once('/').unwrap_or((home, ""));
        return (Root::Home(user.to_owned()), rest);
    }
    (Root::Relative, text)
}

fn is_file_url(raw: &str) -> bool {
    raw.get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("file:"))
}

/// Turns `file:///x`, `file://localhost/x`, `file:///C:/x` and `file:/x` into
/// a plain path with its percent-escapes decoded. A file URL naming another
/// host (`file://server/share/x`) becomes `/server/share/x`: absolute, so it
/// is never mistaken for a workspace file.
fn strip_file_url(text: &str) -> Result<String, PathError> {
    let rest = match text.get(5..) {
        Some(rest) if is_file_url(text) && rest.starts_with('/') => rest,
        _ => return Ok(text.to_owned()),
    };
    let path = match rest.strip_prefix("//") {
        Some(authority_and_path) => {
            let (host, path) = match authority_and_path.find('/') {
                Some(at) => authority_and_path.split_at(at),
                None => (authority_and_path, ""),
            };
            if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
                path.to_owned()
            } else if split_root(host).0 != Root::Relative {
                // `file://C:/x`, a common mis-spelling of `file:///C:/x`.
                format!("{host}{path}")
            } else {
                format!("/{host}{path}")
            }
        }
        None => rest.to_owned(),
    };
    if path.is_empty() {
        return Err(PathError::new("file url has no path"));
    }
    let decoded = percent_decode(&path)?.replace('\\', "/");
    // `/C:/x` is how a file URL spells the drive path `C:/x`.
    Ok(match decoded.strip_prefix('/') {
        Some(drive) if matches!(split_root(drive).0, Root::Drive(_)) => drive.to_owned(),
        _ => decoded,
    })
}

fn percent_decode(text: &str) -> Result<String, PathError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let escaped = match (byte, bytes.get(at + 1), bytes.get(at + 2)) {
            (b'%', Some(&high), Some(&low)) => hex_value(high).zip(hex_value(low)),
            _ => None,
        };
        match escaped {
            Some((high, low)) => {
                out.push(high << 4 | low);
                at += 3;
            }
            None => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out)
        .map_err(|_| PathError::new("file url escapes do not decode to utf-8 text"))
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests;
