//! China's working-day calendar (工作日): weekends, public holidays (法定节假日) and the
//! adjusted working days (调休上班) of the State Council's yearly notices.
//!
//! The rules live in a data table (`data/holidays-cn.csv`, compiled in) rather than in code, so a
//! new year is added by editing data. A table read at run time can add or replace whole years.
//! Dates in a year the table does not cover are an error, never a guess: a deadline computed
//! from weekends alone would be wrong around every holiday.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::period::Period;

const BUILTIN_TABLE: &str = include_str!("../data/holidays-cn.csv");
const BUILTIN_ORIGIN: &str = "data/holidays-cn.csv";
/// No deadline rule in practice goes beyond a few weeks; the cap keeps a typo from looping long.
const MAX_DEADLINE_DAYS: u32 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 放假
    Off,
    /// 调休上班: a Saturday or Sunday that is a working day.
    Work,
}

/// Why a date is not an ordinary weekday or weekend day, and where that was announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRule {
    /// The year whose notice announced the rule (元旦 2023 began on 2022-12-31).
    pub year: i32,
    pub kind: DayKind,
    pub name: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("节假日表 {origin} 第 {line} 行：{message}")]
    Table {
        origin: String,
        line: usize,
        message: String,
    },
    #[error(
        "节假日表没有 {year} 年的安排：请把国务院办公厅当年的节假日安排加入节假日表（--holidays 文件）"
    )]
    NotCovered { year: i32 },
    #[error("工作日数 {0} 超出范围（1 至 {MAX_DEADLINE_DAYS}）")]
    DaysOutOfRange(u32),
    #[error("起始日期 {from} 晚于结束日期 {to}")]
    Reversed { from: NaiveDate, to: NaiveDate },
}

/// The working-day calendar. Cheap to query; built once from one or more tables.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    rules: BTreeMap<NaiveDate, DayRule>,
    /// Years whose notices the calendar holds: only dates in these years can be judged.
    years: BTreeSet<i32>,
}

impl Calendar {
    /// The table shipped with duban (2020 onwards).
    pub fn builtin() -> Calendar {
        Calendar::from_table(BUILTIN_TABLE, BUILTIN_ORIGIN)
            .expect("the built-in holiday table is checked by the tests")
    }

    /// Reads a table in the shape of `data/holidays-cn.csv`. `origin` names it in errors.
    pub fn from_table(text: &str, origin: &str) -> Result<Calendar, CalendarError> {
        let mut calendar = Calendar::default();
        let mut header_seen = false;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let err = |message: String| CalendarError::Table {
                origin: origin.to_owned(),
                line,
                message,
            };
            let row = raw.trim().trim_start_matches('\u{feff}');
            if row.is_empty() || row.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = row.split(',').map(str::trim).collect();
            if !header_seen {
                if fields != ["year", "start", "end", "kind", "name", "source"] {
                    return Err(err(format!(
                        "表头应为 year,start,end,kind,name,source，实为 \"{row}\""
                    )));
                }
                header_seen = true;
                continue;
            }
            let [year, start, end, kind, name, source] = fields[..] else {
                return Err(err(format!(
                    "应有 6 列，实有 {} 列：\"{row}\"",
                    fields.len()
                )));
            };
            let year: i32 = year
                .parse()
                .map_err(|_| err(format!("年份 \"{year}\" 不是数字")))?;
            let date = |text: &str| {
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| err(format!("日期 \"{text}\" 应为 YYYY-MM-DD")))
            };
            let (start, end) = (date(start)?, date(end)?);
            if end < start {
                return Err(err(format!("结束日期 {end} 早于开始日期 {start}")));
            }
            // A notice may reach a few days into its neighbour years (元旦 2023 began 2022-12-31).
            if (start.year() - year).abs() > 1 || (end.year() - year).abs() > 1 {
                return Err(err(format!("日期 {start}…{end} 不属于 {year} 年的安排")));
            }
            let kind = match kind {
                "off" => DayKind::Off,
                "work" => DayKind::Work,
                other => return Err(err(format!("类型 \"{other}\" 应为 off 或 work"))),
            };
            for day in start.iter_days().take_while(|d| *d <= end) {
                if kind == DayKind::Work && !is_weekend(day) {
                    return Err(err(format!("调休上班日 {day} 不是周末")));
                }
                let rule = DayRule {
                    year,
                    kind,
                    name: name.to_owned(),
                    source: source.to_owned(),
                };
                if calendar.rules.insert(day, rule).is_some() {
                    return Err(err(format!("日期 {day} 重复出现")));
                }
            }
            calendar.years.insert(year);
        }
        if !header_seen {
            return Err(CalendarError::Table {
                origin: origin.to_owned(),
                line: 1,
                message: "表为空".to_owned(),
            });
        }
        Ok(calendar)
    }

    /// Adds the years of `other`, replacing those this calendar already has (a correction or a
    /// newly announced year wins over the shipped table).
    pub fn extend(&mut self, other: Calendar) {
        self.rules
            .retain(|_, rule| !other.years.contains(&rule.year));
        self.rules.extend(other.rules);
        self.years.extend(other.years);
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// The announced rule for a date, if any.
    pub fn rule(&self, day: NaiveDate) -> Option<&DayRule> {
        self.rules.get(&day)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> Result<bool, CalendarError> {
        if !self.years.contains(&day.year()) {
            return Err(CalendarError::NotCovered { year: day.year() });
        }
        Ok(match self.rules.get(&day).map(|r| r.kind) {
            Some(DayKind::Off) => false,
            Some(DayKind::Work) => true,
            None => !is_weekend(day),
        })
    }

    /// The `n`-th working day after `day` (not counting `day` itself).
    pub fn add_working_days(&self, day: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        if n == 0 || n > MAX_DEADLINE_DAYS {
            return Err(CalendarError::DaysOutOfRange(n));
        }
        let mut left = n;
        let mut current = day;
        loop {
            current = current.succ_opt().ok_or(CalendarError::NotCovered {
                year: day.year() + 1,
            })?;
            if self.is_working_day(current)? {
                left -= 1;
                if left == 0 {
                    return Ok(current);
                }
            }
        }
    }

    /// Reporting deadline: the `n`-th working day after the period's last day
    /// (e.g. 季度结束后 3 个工作日内).
    pub fn deadline(&self, period: Period, n: u32) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(period.last_day(), n)
    }

    /// Working days from `from` to `to`, both included.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        if to < from {
            return Err(CalendarError::Reversed { from, to });
        }
        let mut count = 0;
        for day in from.iter_days().take_while(|d| *d <= to) {
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Like `is_working_day`, but a year the calendar does not cover counts Monday to Friday.
    /// For estimates only — how late a report is, a round's due day — which must not stop at the
    /// turn of a year whose holidays are not announced yet; a reporting deadline stays exact.
    pub fn is_working_day_or_weekday(&self, day: NaiveDate) -> bool {
        self.is_working_day(day).unwrap_or(!is_weekend(day))
    }

    /// Working days from `from` to `to`, both included, uncovered years counted by weekdays
    /// (see `is_working_day_or_weekday`); 0 when `to` is before `from`.
    pub fn working_days_or_weekdays(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let days = from.iter_days().take_while(|d| *d <= to);
        let count = days.filter(|d| self.is_working_day_or_weekday(*d)).count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// The `n`-th working day after `day`, uncovered years counted by weekdays.
    pub fn add_working_days_or_weekdays(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n.clamp(1, MAX_DEADLINE_DAYS);
        let mut current = day;
        while let Some(next) = current.succ_opt() {
            current = next;
            if self.is_working_day_or_weekday(current) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        current
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_run_on_past_the_years_the_calendar_covers() {
        let calendar = Calendar::builtin();
        let last = calendar.years().max().expect("a year");
        let new_year = NaiveDate::from_ymd_opt(last + 1, 1, 4).expect("date");
        assert!(calendar.is_working_day(new_year).is_err());
        // A Monday to Friday week of the next year counts five days.
        let monday =
            new_year - chrono::Duration::days(i64::from(new_year.weekday().num_days_from_monday()));
        let friday = monday + chrono::Duration::days(4);
        assert_eq!(
            calendar.working_days_or_weekdays(monday, friday + chrono::Duration::days(2)),
            5
        );
        assert_eq!(
            calendar.add_working_days_or_weekdays(friday, 1),
            monday + chrono::Duration::days(7)
        );
        // Inside covered years they agree with the exact ones.
        let d = NaiveDate::from_ymd_opt(2023, 9, 28).expect("date");
        assert_eq!(
            calendar.add_working_days_or_weekdays(d, 5),
            calendar.add_working_days(d, 5).expect("covered")
        );
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn p(s: &str) -> Period {
        s.parse().expect("test period")
    }

    #[test]
    fn builtin_table_loads_and_covers_2020_to_2026() {
        let calendar = Calendar::builtin();
        let years: Vec<i32> = calendar.years().collect();
        assert_eq!(years, (2020..=2026).collect::<Vec<_>>());
    }

    #[test]
    fn three_working_days_after_the_third_quarter_of_2020() {
        // 10-01…10-08 off (国庆节、中秋节), Saturday 10-10 a working day.
        let calendar = Calendar::builtin();
        assert_eq!(calendar.deadline(p("2020-Q3"), 3), Ok(d("2020-10-12")));
    }

    #[test]
    fn three_working_days_after_the_fourth_quarter_of_2020() {
        let calendar = Calendar::builtin();
        assert_eq!(calendar.deadline(p("2020-Q4"), 3), Ok(d("2021-01-06")));
    }

    #[test]
    fn deadlines_across_spring_festival_and_national_day() {
        let calendar = Calendar::builtin();
        // 2023-01 ends on a Tuesday; 01-21…01-27 were off but that lies before; 02-01 is Wednesday.
        assert_eq!(calendar.deadline(p("2023-01"), 1), Ok(d("2023-02-01")));
        // 2023-09 ends in the 09-29…10-06 holiday; Saturday 10-07 and Sunday 10-08 were working days.
        assert_eq!(calendar.deadline(p("2023-09"), 2), Ok(d("2023-10-08")));
        // 2026: Spring Festival 02-15…02-23, Saturday 02-14 worked.
        assert_eq!(
            calendar.add_working_days(d("2026-02-13"), 1),
            Ok(d("2026-02-14"))
        );
        assert_eq!(
            calendar.add_working_days(d("2026-02-14"), 1),
            Ok(d("2026-02-24"))
        );
    }

    #[test]
    fn counts_working_days_inclusive() {
        let calendar = Calendar::builtin();
        // October 2020: 22 weekdays, 6 of them holidays (10-01,02,05,06,07,08), plus Saturday 10-10.
        assert_eq!(
            calendar.working_days(d("2020-10-01"), d("2020-10-31")),
            Ok(17)
        );
        assert_eq!(
            calendar.working_days(d("2024-03-04"), d("2024-03-04")),
            Ok(1)
        );
        assert_eq!(
            calendar.working_days(d("2024-03-09"), d("2024-03-10")),
            Ok(0)
        );
        assert!(matches!(
            calendar.working_days(d("2024-03-10"), d("2024-03-09")),
            Err(CalendarError::Reversed { .. })
        ));
    }

    #[test]
    fn whole_years_have_plausible_working_day_counts() {
        // Every year has 365 or 366 days, 104 to 106 weekend days and 11 to 13 public holidays on
        // weekdays, offset by the 调休 weekend days: 247 to 251 working days.
        let calendar = Calendar::builtin();
        for year in calendar.years().collect::<Vec<_>>() {
            let n = calendar
                .working_days(d(&format!("{year}-01-01")), d(&format!("{year}-12-31")))
                .expect("covered");
            assert!((246..=251).contains(&n), "{year}: {n} working days");
        }
    }

    #[test]
    fn refuses_to_guess_outside_the_table() {
        let calendar = Calendar::builtin();
        assert_eq!(
            calendar.is_working_day(d("2019-06-03")),
            Err(CalendarError::NotCovered { year: 2019 })
        );
        assert_eq!(
            calendar.deadline(p("2026-Q4"), 3),
            Err(CalendarError::NotCovered { year: 2027 })
        );
        assert!(calendar.deadline(p("2026-Q4"), 0).is_err());
    }

    #[test]
    fn a_table_given_at_run_time_adds_a_year() {
        let mut calendar = Calendar::builtin();
        let extra = "year,start,end,kind,name,source\n\
                     2027,2027-01-01,2027-01-03,off,元旦,test\n\
                     2027,2027-01-09,2027-01-09,work,元旦,test\n";
        calendar.extend(Calendar::from_table(extra, "extra.csv").expect("valid"));
        assert_eq!(calendar.deadline(p("2026-Q4"), 3), Ok(d("2027-01-06")));
        assert_eq!(calendar.is_working_day(d("2027-01-09")), Ok(true));
        assert_eq!(
            calendar.rule(d("2027-01-02")).map(|r| r.name.as_str()),
            Some("元旦")
        );
    }

    #[test]
    fn a_table_given_at_run_time_replaces_a_year() {
        let mut calendar = Calendar::builtin();
        let correction =
            "year,start,end,kind,name,source\n2024,2024-03-01,2024-03-01,off,测试,test\n";
        calendar.extend(Calendar::from_table(correction, "fix.csv").expect("valid"));
        assert_eq!(calendar.is_working_day(d("2024-03-01")), Ok(false));
        assert_eq!(
            calendar.is_working_day(d("2024-10-02")),
            Ok(true),
            "old 2024 rules are gone"
        );
        assert_eq!(
            calendar.is_working_day(d("2025-10-02")),
            Ok(false),
            "other years kept"
        );
    }

    #[test]
    fn bad_tables_name_the_line() {
        let cases = [
            (
                "year,start,end,kind,name,source\n2024,2024-13-01,2024-13-01,off,x,y\n",
                2,
                "YYYY-MM-DD",
            ),
            (
                "year,start,end,kind,name,source\n2024,2024-03-04,2024-03-04,work,x,y\n",
                2,
                "不是周末",
            ),
            (
                "year,start,end,kind,name,source\n2024,2024-03-04,2024-03-04,holiday,x,y\n",
                2,
                "off 或 work",
            ),
            (
                "year,start,end,kind,name,source\n\n2024,2024-03-04,2024-03-04,off,x\n",
                3,
                "6 列",
            ),
            ("date,kind\n", 1, "表头"),
            (
                "year,start,end,kind,name,source\n2024,2024-03-04,2024-03-05,off,x,y\n2024,2024-03-05,2024-03-05,off,x,y\n",
                3,
                "重复",
            ),
        ];
        for (text, line, needle) in cases {
            let err = Calendar::from_table(text, "bad.csv").expect_err(text);
            let message = err.to_string();
            assert!(message.contains("bad.csv"), "{message}");
            assert!(message.contains(&format!("第 {line} 行")), "{message}");
            assert!(message.contains(needle), "{message}");
        }
    }
}
