//! URL analysis: the one host a network action really talks to.
//!
//! Domain rules only hold if the host they compare is the host the request
//! reaches. `https://github.com@evil.com/` goes to `evil.com`;
//! `http://2130706433/` and `http://0x7f.0.0.1/` go to `127.0.0.1`;
//! `gіthub.com` with a Cyrillic `і` is not `github.com`. So URLs are parsed
//! with the `url` crate (the WHATWG URL standard browsers follow) and the
//! host is reduced to one spelling: lower case, IDNA as punycode, IPv4 in
//! dotted decimal, IPv6 in brackets, no trailing dot. The WHATWG parser
//! silently drops tabs and newlines, so callers run the suspicious-character
//! check on the raw text first.

use std::fmt;

use ::url::{Host, Url};

/// The longest raw URL, in bytes, that [`parse_url`] accepts.
pub const MAX_URL_LEN: usize = 8192;

/// A URL reduced to what network rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    /// Lower-case scheme (`https`, `ssh`, ...).
    pub scheme: String,
    /// Lower case; IDNA as punycode (`xn--...`); IPv4 in any encoding as
    /// dotted decimal; IPv6 in brackets; trailing dots removed.
    pub host: String,
    /// The port, when the URL names one other than the scheme's default
    /// (`https://x:443/` has `None`).
    pub port: Option<u16>,
    /// The percent-encoded path, `/` when empty; no query or fragment.
    pub path: String,
    /// True when the URL carried `user[:password]@` before the host.
    pub has_userinfo: bool,
    /// The full normalised URL, with any password removed so it can be
    /// recorded as evidence without leaking a credential.
    pub normalized: String,
}

/// A URL that cannot be analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError {
    /// What is wrong, lower case.
    pub message: String,
}

impl UrlError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UrlError {}

/// Parses and normalises a URL for network rules.
///
/// Surrounding whitespace is ignored. Without a scheme, `https://` is
/// assumed (`docs.rs/serde`, `localhost:8080`); the scp-like git form
/// `user@host:path` is read as `ssh://user@host/path`. Any scheme with a host
/// is accepted.
///
/// # Errors
///
/// Empty input, input over [`MAX_URL_LEN`] bytes, text the URL standard
/// rejects, a URL without a host (`mailto:`, `data:`), a `file:` URL (use a
/// file action), or a scheme-less `a@b:c@d` whose host depends on the tool.
pub fn parse_url(raw: &str) -> Result<ParsedUrl, UrlError> {
    if raw.len() > MAX_URL_LEN {
        return Err(UrlError::new(format!(
            "url is {} bytes long; the limit is {MAX_URL_LEN}",
            raw.len()
        )));
    }
    let text = raw.trim();
    if text.is_empty() {
        return Err(UrlError::new("url is empty"));
    }
    let absolute = with_scheme(text)?;
    let mut url =
        Url::parse(&absolute).map_err(|err| UrlError::new(format!("invalid url: {err}")))?;
    if url.scheme() == "file" {
        return Err(UrlError::new(
            "file urls name local files, not network hosts: use a file action (file_read or file_write)",
        ));
    }
    let host = normalized_host(&url)?;
    if url.host_str() != Some(host.as_str()) {
        url.set_host(Some(&host))
            .map_err(|err| UrlError::new(format!("invalid host `{host}`: {err}")))?;
    }
    let has_userinfo = !url.username().is_empty() || url.password().is_some();
    if url.password().is_some() {
        // Cannot fail: the URL has a host, checked above.
        let _ = url.set_password(None);
    }
    let path = match url.path() {
        "" => "/".to_owned(),
        path => path.to_owned(),
    };
    Ok(ParsedUrl {
        scheme: url.scheme().to_owned(),
        host,
        port: url.port(),
        path,
        has_userinfo,
        normalized: url.as_str().to_owned(),
    })
}

/// Adds `https://` to scheme-less input, and rewrites the scp-like form
/// `user@host:path` to `ssh://user@host/path`.
fn with_scheme(text: &str) -> Result<String, UrlError> {
    if text.starts_with("//") {
        return Ok(format!("https:{text}"));
    }
    let Some((before, after)) = text.split_once(':') else {
        return Ok(format!("https://{text}"));
    };
    if is_scheme(before) {
        // `localhost:8080` and `example.com:8080/x` are a host and a port.
        if !after.starts_with("//") && starts_with_port(after) {
            return Ok(format!("https://{text}"));
        }
        return Ok(text.to_owned());
    }
    if before.contains('@') && !before.contains('/') && !starts_with_port(after) {
        if after.contains('@') {
            // git reads the host before the `:`, curl the one after the last
            // `@`: no single answer, so none.
            return Err(UrlError::new(format!(
                "ambiguous url `{text}`: tools disagree on its host; add a scheme"
            )));
        }
        return Ok(format!("ssh://{before}/{after}"));
    }
    Ok(format!("https://{text}"))
}

/// RFC 3986: a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Digits, then the end or the start of a path, query or fragment.
fn starts_with_port(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.len() < text.len() && (rest.is_empty() || rest.starts_with(['/', '?', '#']))
}

/// The host in its one spelling. Special schemes (`http`, `https`, `ws`,
/// `wss`, `ftp`) are already normalised by the parser; for the others
/// (`ssh`, `git`, ...) it keeps the host as written, so it is decoded and
/// parsed again the way a special scheme's host would be.
fn normalized_host(url: &Url) -> Result<String, UrlError> {
    let host = match url.host() {
        None => None,
        Some(Host::Domain("")) => None,
        Some(Host::Domain(domain)) => {
            let decoded = percent_decode(domain)?;
            let trimmed = decoded.trim_end_matches('.');
            if trimmed.is_empty() {
                None
            } else {
                let host = Host::parse(trimmed)
                    .map_err(|err| UrlError::new(format!("invalid host `{decoded}`: {err}")))?;
                Some(host.to_string())
            }
        }
        Some(ip) => Some(ip.to_string()),
    };
    host.ok_or_else(|| UrlError::new(format!("url `{url}` has no host")))
}

fn percent_decode(text: &str) -> Result<String, UrlError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let hex = |offset: usize| {
            bytes
                .get(at + offset)
                .and_then(|&digit| char::from(digit).to_digit(16))
                .and_then(|value| u8::try_from(value).ok())
        };
        match (byte, hex(1), hex(2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(high << 4 | low);
                at += 3;
            }
            _ => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| UrlError::new("host escapes do not decode to utf-8 text"))
}

#[cfg(test)]
mod tests;
