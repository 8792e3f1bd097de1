//! HTTP details the pages and the API share: the session cookie, the encodings of addresses and
//! file names, and downloads.

use cookie::{Cookie, SameSite};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub const SESSION_COOKIE: &str = "duban_session";

/// The session cookie: HttpOnly, SameSite=Strict, a working day and a night; `Secure` when the
/// server is told it runs behind HTTPS.
pub fn session(token: &str, secure: bool) -> String {
    Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(
            duban_app::auth::SESSION_SECONDS,
        ))
        .secure(secure)
        .build()
        .to_string()
}

/// The cookie that ends the session in the browser.
pub fn cleared() -> String {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// The session token from a Cookie header.
pub fn token(header: &str) -> Option<String> {
    Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// What stays as it is in a query value: RFC 3986 unreserved characters and `/`, so that a
/// `next=/tasks/3` stays readable.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// RFC 5987 attr-char: what may stand unencoded in `filename*=UTF-8''…`.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

pub fn query_value(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// `key=value&…` with the values encoded; empty values left out.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", query_value(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A Content-Disposition for a download: an ASCII name for old clients, the real (Chinese) name
/// for the others.
pub fn attachment(ascii_name: &str, name: &str) -> String {
    format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR_CHAR)
    )
}

/// A published notice as a download.
pub async fn notice_download(
    app: &duban_app::App,
    id: i64,
    format: Option<&str>,
) -> Result<axum::response::Response, crate::Failure> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let file = duban_app::notices::file(app, id, format).await?;
    let mut disposition = attachment(
        &format!("notice-{id}.{}", file.format.extension()),
        &file.filename,
    );
    // The web version opens in the browser, to read or print; the others are saved.
    if file.format == duban_notice::Format::Html {
        disposition = disposition.replacen("attachment", "inline", 1);
    }
    Ok((
        [
            (header::CONTENT_TYPE, file.mime().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file.bytes,
    )
        .into_response())
}

/// A printed table (decomposition table, ledger export) as a download.
pub fn table_download(
    file: duban_app::export::TableFile,
    ascii_stem: &str,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, file.format.mime().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment(
                    &format!("{ascii_stem}.{}", file.format.extension()),
                    &file.filename,
                ),
            ),
        ],
        file.bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_read_back_and_cleared() {
        let set = session("abc", false);
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        assert!(!set.contains("Secure"));
        assert!(session("abc", true).contains("Secure"));
        assert!(cleared().contains("Max-Age=0"));
        assert_eq!(token("a=1; duban_session=abc; b=2").as_deref(), Some("abc"));
        assert_eq!(token("duban_session="), None);
    }

    #[test]
    fn names_and_queries_are_encoded() {
        assert_eq!(query_value("/tasks/3?a=b"), "/tasks/3%3Fa%3Db");
        let d = attachment("notice-1.xlsx", "2023年/8月.xlsx");
        assert!(d.ends_with("2023%E5%B9%B4%2F8%E6%9C%88.xlsx"), "{d}");
    }
}
