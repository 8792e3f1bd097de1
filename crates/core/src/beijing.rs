//! Beijing time (UTC+8, no daylight saving): deadlines are counted in it and people read times in
//! it, while the database stores UTC. The conversions are pure; `today` and `now_utc` are the one
//! place the clock is read, for the CLI, the server and the store alike.

use chrono::{DateTime, NaiveDateTime, Utc};

/// A UTC instant as a wall-clock time in Beijing.
pub fn in_beijing(t: DateTime<Utc>) -> NaiveDateTime {
    (t + chrono::Duration::hours(8)).naive_utc()
}

/// A stored RFC 3339 time in Beijing time.
pub fn beijing_time(rfc3339: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| in_beijing(t.with_timezone(&Utc)))
}

/// A stored UTC time as a reader in China reads it: 2026-11-25 22:47; the text unchanged when it
/// is no RFC 3339 time.
pub fn beijing(rfc3339: &str) -> String {
    beijing_time(rfc3339).map_or_else(
        || rfc3339.to_owned(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// Today's date in Beijing: the day deadlines, notices and timeliness are judged on.
pub fn today() -> chrono::NaiveDate {
    in_beijing(Utc::now()).date()
}

/// Now, as the database stores times: UTC, RFC 3339, whole seconds.
pub fn now_utc() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_as_read_in_beijing() {
        assert_eq!(beijing("2026-12-01T13:52:50Z"), "2026-12-01 21:52");
        assert_eq!(beijing("2026-12-01T17:00:00Z"), "2026-12-02 01:00");
        assert_eq!(beijing("不是时间"), "不是时间");
    }
}
