//! HTTP clients: `curl`, `wget`, httpie and xh.
//!
//! The URLs they fetch (a scheme-less host gets the tool's default scheme),
//! the files they read (uploads, `@file` data, config and cookie files) and
//! the files they write (`-o`, `--cookie-jar`, `--dump-header`, ...).

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::options::{spec, Opts, Spec};
use super::Fx;
use crate::analyze::shell::Effect;

const CURL: Spec = spec(
    "AbcCdDeEFHKmoPQrTtuUwxXyYz",
    "data data-raw data-binary data-ascii data-urlencode json header request user user-agent referer output output-dir upload-file form form-string proxy proxy-user write-out max-time connect-timeout retry retry-delay retry-max-time cookie cookie-jar config cert key cacert capath dump-header range url resolve connect-to interface limit-rate max-filesize max-redirs oauth2-bearer variable noproxy pass pinnedpubkey trace trace-ascii unix-socket aws-sigv4 stderr ciphers create-file-mode keepalive-time local-port quote speed-limit speed-time time-cond telnet-option continue-at expect100-timeout",
);

pub(super) fn curl(fx: &mut Fx, a: &[&str]) {
    let o = Opts::parse(a, CURL);
    for (name, value) in &o.opts {
        let Some(v) = *value else { continue };
        match *name {
            "o" | "output" | "c" | "cookie-jar" | "D" | "dump-header" | "trace" | "trace-ascii"
            | "stderr" => fx.write(v),
            "T" | "upload-file" | "K" | "config" => fx.read(v),
            "d" | "data" | "data-binary" | "data-ascii" | "data-urlencode" | "json" => {
                if let Some(f) = v.strip_prefix('@') {
                    fx.read(f);
                }
            }
            "F" | "form" => {
                if let Some((_, f)) = v.split_once("=@").or_else(|| v.split_once("=<")) {
                    fx.read(f.split(';').next().unwrap_or(f));
                }
            }
            "url" => fx.url(v, "http"),
            _ => {}
        }
    }
    for u in &o.operands {
        fx.url(u, "http");
    }
}

const WGET: Spec = spec(
    "aABDeiIlOoPQRtTUwX",
    "output-document output-file append-output input-file directory-prefix execute tries timeout wait level user-agent header post-data post-file body-data body-file method user password http-user http-password load-cookies save-cookies accept reject domains exclude-domains base referer ca-certificate certificate private-key bind-address limit-rate quota config",
);

pub(super) fn wget(fx: &mut Fx, a: &[&str]) {
    let o = Opts::parse(a, WGET);
    for (name, value) in &o.opts {
        let Some(v) = *value else { continue };
        match *name {
            "O" | "output-document" | "o" | "output-file" | "a" | "append-output"
            | "save-cookies" => fx.write(v),
            "i" | "input-file" | "post-file" | "body-file" | "load-cookies" => fx.read(v),
            _ => {}
        }
    }
    for u in &o.operands {
        fx.url(u, "http");
    }
}

/// httpie and xh: `http [METHOD] URL [ITEM...]`; `:3000/x` is localhost.
pub(super) fn httpie(fx: &mut Fx, program: &str, a: &[&str]) {
    let o = Opts::parse(
        a,
        spec(
            "aAopsP",
            "auth auth-type output print style session session-read-only verify cert cert-key proxy timeout max-redirects pretty format-options boundary ssl ciphers history-print default-scheme",
        ),
    );
    for f in o.values(&["o", "output"]) {
        fx.write(f);
    }
    let scheme = if program.ends_with('s') {
        "https"
    } else {
        "http"
    };
    let mut operands = o.operands.iter();
    let Some(mut url) = operands.next() else {
        return;
    };
    let is_method =
        !url.is_empty() && url.len() <= 10 && url.bytes().all(|b| b.is_ascii_uppercase());
    if is_method {
        match operands.next() {
            Some(u) => url = u,
            None => return,
        }
    }
    if url.starts_with(':') {
        fx.0.push(Effect::Url(format!("{scheme}://localhost{url}")));
    } else {
        fx.url(url, scheme);
    }
}
