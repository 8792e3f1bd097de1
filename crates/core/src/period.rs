//! Reporting periods (报告期): a year, a half-year, a quarter or a month.
//!
//! The text forms are the ones the ledger JSON uses: `2021`, `2021-H1`, `2020-Q3`, `2023-08`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::words::Cadence;

/// Years outside this range are almost certainly typing errors (2203 for 2023) and would also
/// overflow date arithmetic at the far ends, so parsing rejects them.
const YEARS: std::ops::RangeInclusive<i32> = 1949..=2999;

/// A reporting period. Its granularity decides `next` and `previous`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// 年度, e.g. `2021`.
    Year(i32),
    /// 半年 (上半年 = 1, 下半年 = 2), e.g. `2021-H1`.
    Half(i32, u8),
    /// 季度 (1..=4), e.g. `2020-Q3`.
    Quarter(i32, u8),
    /// 月份 (1..=12), e.g. `2023-08`.
    Month(i32, u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的期间 \"{input}\"：应为 2021、2021-H1、2020-Q3 或 2023-08 这样的写法（{reason}）")]
pub struct PeriodParseError {
    pub input: String,
    pub reason: &'static str,
}

impl Period {
    pub fn year(&self) -> i32 {
        match *self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    pub fn cadence(&self) -> Cadence {
        match self {
            Period::Year(_) => Cadence::Yearly,
            Period::Half(..) => Cadence::HalfYearly,
            Period::Quarter(..) => Cadence::Quarterly,
            Period::Month(..) => Cadence::Monthly,
        }
    }

    /// First and last month (1-based, inclusive) the period covers.
    fn months(&self) -> (u32, u32) {
        match *self {
            Period::Year(_) => (1, 12),
            Period::Half(_, h) => {
                let first = (u32::from(h) - 1) * 6 + 1;
                (first, first + 5)
            }
            Period::Quarter(_, q) => {
                let first = (u32::from(q) - 1) * 3 + 1;
                (first, first + 2)
            }
            Period::Month(_, m) => (u32::from(m), u32::from(m)),
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        let (first, _) = self.months();
        NaiveDate::from_ymd_opt(self.year(), first, 1).expect("period years are range-checked")
    }

    pub fn last_day(&self) -> NaiveDate {
        let (_, last) = self.months();
        let (y, m) = if last == 12 {
            (self.year() + 1, 1)
        } else {
            (self.year(), last + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .expect("period years are range-checked")
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// The period of the same granularity that follows this one.
    pub fn next(&self) -> Period {
        self.step(1)
    }

    /// The period of the same granularity before this one.
    pub fn previous(&self) -> Period {
        self.step(-1)
    }

    fn step(&self, by: i32) -> Period {
        // Count in units since year 0 so that wrapping over a year end is plain arithmetic.
        let (per_year, index) = match *self {
            Period::Year(_) => (1, 0),
            Period::Half(_, h) => (2, i32::from(h) - 1),
            Period::Quarter(_, q) => (4, i32::from(q) - 1),
            Period::Month(_, m) => (12, i32::from(m) - 1),
        };
        let absolute = self.year() * per_year + index + by;
        let year = absolute.div_euclid(per_year);
        let part = u8::try_from(absolute.rem_euclid(per_year) + 1).expect("at most 12");
        match self {
            Period::Year(_) => Period::Year(year),
            Period::Half(..) => Period::Half(year, part),
            Period::Quarter(..) => Period::Quarter(year, part),
            Period::Month(..) => Period::Month(year, part),
        }
    }

    /// The period of the given cadence that contains `date`.
    pub fn containing(date: NaiveDate, cadence: Cadence) -> Period {
        let y = date.year();
        let m = u8::try_from(date.month()).expect("month fits u8");
        match cadence {
            Cadence::Yearly => Period::Year(y),
            Cadence::HalfYearly => Period::Half(y, (m - 1) / 6 + 1),
            Cadence::Quarterly => Period::Quarter(y, (m - 1) / 3 + 1),
            Cadence::Monthly => Period::Month(y, m),
        }
    }

    /// The name offices use in titles and column headers: 2023年8月份, 2020年第三季度.
    pub fn label_zh(&self) -> String {
        const ORDINALS: [&str; 4] = ["一", "二", "三", "四"];
        match *self {
            Period::Year(y) => format!("{y}年"),
            Period::Half(y, 1) => format!("{y}年上半年"),
            Period::Half(y, _) => format!("{y}年下半年"),
            Period::Quarter(y, q) => format!("{y}年第{}季度", ORDINALS[usize::from(q) - 1]),
            Period::Month(y, m) => format!("{y}年{m}月份"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| PeriodParseError {
            input: s.to_owned(),
            reason,
        };
        let text = s.trim();
        let (year_text, rest) = match text.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (text, None),
        };
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("年份须为四位数字"));
        }
        let year: i32 = year_text.parse().map_err(|_| err("年份须为四位数字"))?;
        if !YEARS.contains(&year) {
            return Err(err("年份超出范围"));
        }
        let Some(rest) = rest else {
            return Ok(Period::Year(year));
        };
        let number = |digits: &str, max: u8, reason| -> Result<u8, PeriodParseError> {
            if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(err(reason));
            }
            match digits.parse::<u8>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(err(reason)),
            }
        };
        if let Some(h) = rest.strip_prefix(['H', 'h']) {
            return Ok(Period::Half(year, number(h, 2, "半年须为 H1 或 H2")?));
        }
        if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            return Ok(Period::Quarter(year, number(q, 4, "季度须为 Q1 至 Q4")?));
        }
        if rest.len() != 2 {
            return Err(err("月份须为两位数字 01 至 12"));
        }
        Ok(Period::Month(
            year,
            number(rest, 12, "月份须为两位数字 01 至 12")?,
        ))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

/// Periods are ordered by their first day, then by their last day, so the shorter period that
/// starts together with a longer one comes first: 2021-01 < 2021-Q1 < 2021-H1 < 2021 < 2021-02.
impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.first_day(), self.last_day()).cmp(&(other.first_day(), other.last_day()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The first four-digit year followed by 年 (2023年, after spaces are removed).
pub fn find_year(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).enumerate().find_map(|(i, w)| {
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        (before_ok && w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
            .then(|| w[..4].iter().collect::<String>().parse().ok())
            .flatten()
            .filter(|y| YEARS.contains(y))
    })
}

/// In the API a period is its text: 2023-09 (a month), 2023Q3 (a quarter), 2023H2 (a half-year),
/// 2023 (a year).
impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "期间：2023-09（月）、2023Q3（季度）、2023H2（半年）、2023（年）",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Period {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn parses_every_form_of_the_ledger_json() {
        assert_eq!(p("2021"), Period::Year(2021));
        assert_eq!(p("2021-H1"), Period::Half(2021, 1));
        assert_eq!(p("2020-Q3"), Period::Quarter(2020, 3));
        assert_eq!(p("2023-08"), Period::Month(2023, 8));
    }

    #[test]
    fn rejects_malformed_periods_with_the_input_in_the_message() {
        for bad in [
            "",
            "21",
            "2023-13",
            "2023-00",
            "2023-8",
            "2023-Q5",
            "2023-Q0",
            "2023-H3",
            "2023-",
            "2023-Q",
            "二〇二三",
            "2023/08",
            "0999",
            "2023-08-01",
        ] {
            let err = bad.parse::<Period>().expect_err(bad);
            assert!(err.to_string().contains(bad), "{err}");
        }
    }

    #[test]
    fn first_and_last_days() {
        assert_eq!(p("2020-Q3").first_day(), d("2020-07-01"));
        assert_eq!(p("2020-Q3").last_day(), d("2020-09-30"));
        assert_eq!(p("2024-02").last_day(), d("2024-02-29"));
        assert_eq!(p("2023-02").last_day(), d("2023-02-28"));
        assert_eq!(p("2021-H2").first_day(), d("2021-07-01"));
        assert_eq!(p("2021-H2").last_day(), d("2021-12-31"));
        assert_eq!(p("2021").last_day(), d("2021-12-31"));
    }

    #[test]
    fn next_and_previous_wrap_over_year_ends() {
        assert_eq!(p("2020-Q4").next(), p("2021-Q1"));
        assert_eq!(p("2021-Q1").previous(), p("2020-Q4"));
        assert_eq!(p("2023-12").next(), p("2024-01"));
        assert_eq!(p("2023-01").previous(), p("2022-12"));
        assert_eq!(p("2021-H2").next(), p("2022-H1"));
        assert_eq!(p("2021").next(), p("2022"));
    }

    #[test]
    fn orders_by_start_then_end() {
        let mut v = [
            p("2021"),
            p("2021-02"),
            p("2021-H1"),
            p("2020-Q4"),
            p("2021-01"),
            p("2021-Q1"),
        ];
        v.sort();
        let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "2020-Q4", "2021-01", "2021-Q1", "2021-H1", "2021", "2021-02"
            ]
        );
    }

    #[test]
    fn chinese_labels() {
        assert_eq!(p("2023-08").label_zh(), "2023年8月份");
        assert_eq!(p("2020-Q3").label_zh(), "2020年第三季度");
        assert_eq!(p("2021-H1").label_zh(), "2021年上半年");
    }

    #[test]
    fn serializes_as_its_text_form() {
        let json = serde_json::to_string(&p("2020-Q3")).expect("serialize");
        assert_eq!(json, "\"2020-Q3\"");
        let back: Period = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, p("2020-Q3"));
        assert!(serde_json::from_str::<Period>("\"2020-Q9\"").is_err());
    }

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            (1950..2990i32).prop_map(Period::Year),
            (1950..2990i32, 1..=2u8).prop_map(|(y, h)| Period::Half(y, h)),
            (1950..2990i32, 1..=4u8).prop_map(|(y, q)| Period::Quarter(y, q)),
            (1950..2990i32, 1..=12u8).prop_map(|(y, m)| Period::Month(y, m)),
        ]
    }

    proptest! {
        #[test]
        fn text_form_round_trips(period in any_period()) {
            prop_assert_eq!(period.to_string().parse::<Period>(), Ok(period));
        }

        #[test]
        fn next_is_adjacent_and_previous_undoes_it(period in any_period()) {
            let next = period.next();
            prop_assert_eq!(next.previous(), period);
            prop_assert_eq!(period.last_day().succ_opt(), Some(next.first_day()));
            prop_assert!(period < next);
        }

        #[test]
        fn containing_finds_the_period_of_each_of_its_days(period in any_period(), offset in 0u64..366) {
            let day = period.first_day() + chrono::Days::new(offset);
            if day <= period.last_day() {
                prop_assert_eq!(Period::containing(day, period.cadence()), period);
            }
        }
    }
}
