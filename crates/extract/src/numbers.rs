//! Numbers as Chinese government documents write them: 5.5%, 1,100个, 3.9万户, 70.02亿元,
//! 一百二十人, 两个, 0.5个百分点, 5-10%, 3至5家, 约350人, 3000余户.
//!
//! Only quantities are returned. Years (2021年, 2021-2025年), months and days (8月底, 1-11月),
//! codes (G308, 5G, MMA), ordinals (第十七届) and list markers (1.、（2）、一是) are not.
//! Values are exact: 万 and 亿 shift the decimal point of the written digits, so 70.02亿 is
//! 7002000000 and not a product of floating-point numbers.

use std::ops::Range;

/// A quantity found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value with 万 and 亿 applied; for a range, its lower end.
    pub value: f64,
    /// The upper end of a range (5-10%, 3至5家).
    pub upper: Option<f64>,
    /// The unit of measure without 万 or 亿: "%", "个百分点", "户", "元", "" when none.
    pub uom: String,
    /// 约, 近, 左右 before or after: the figure is approximate.
    pub about: bool,
    /// 余, 多 (3000余户): more than the figure.
    pub more_than: bool,
    /// Byte range of the quantity in the text, unit included.
    pub span: Range<usize>,
}

/// Units of measure, longest first so that 平方米 wins over 米 and 人次 over 人.
const UNITS: &[&str] = &[
    "个百分点",
    "平方公里",
    "万平方米",
    "平方米",
    "立方米",
    "千瓦时",
    "标准箱",
    "公里",
    "千米",
    "千瓦",
    "兆瓦",
    "公顷",
    "千克",
    "公斤",
    "美元",
    "人次",
    "小时",
    "m²",
    "km",
    "kW",
    "%",
    "％",
    "‰",
    "元",
    "吨",
    "亩",
    "户",
    "人",
    "家",
    "个",
    "项",
    "处",
    "套",
    "辆",
    "台",
    "所",
    "条",
    "座",
    "次",
    "篇",
    "场",
    "件",
    "名",
    "张",
    "宗",
    "批",
    "株",
    "棵",
    "头",
    "只",
    "间",
    "栋",
    "床",
    "册",
    "份",
    "起",
    "天",
    "倍",
    "岁",
    "米",
    "口",
    "片",
    "支",
    "部",
    "种",
    "轮",
    "期",
    "届",
];

/// Words after a number that make it a date or time, not a quantity.
const DATE_WORDS: &[char] = &['月', '日', '号', '时', '点'];

const RANGE_MARKS: &[char] = &['-', '－', '~', '～', '—', '–', '至', '到'];

pub(crate) fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        // ○ stands for 〇 in many typed dates (二○二一年).
        '零' | '〇' | '○' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1_000,
        _ => return None,
    })
}

fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_unit(c).is_some() || c == '万' || c == '亿'
}

/// Full-width digits and points read as ASCII.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// A number as written: the digits with the decimal point where it was, before 万/亿.
#[derive(Debug, Clone)]
struct Written {
    /// Digits and at most one '.', e.g. "70.02".
    digits: String,
    /// 10^shift from 万 (4), 亿 (8), 万亿 (12).
    shift: u32,
}

impl Written {
    /// The value, exact: the decimal point is moved, then the text parsed once.
    fn value(&self) -> f64 {
        let (int, frac) = self.digits.split_once('.').unwrap_or((&self.digits, ""));
        let shift = self.shift as usize;
        let mut all = String::with_capacity(int.len() + frac.len() + shift);
        all.push_str(int);
        let moved: String = frac.chars().take(shift).collect();
        all.push_str(&moved);
        for _ in moved.len()..shift {
            all.push('0');
        }
        let rest = &frac[moved.len()..];
        if !rest.is_empty() {
            all.push('.');
            all.push_str(rest);
        }
        all.parse().unwrap_or(0.0)
    }
}

/// Characters of the text with their byte offsets.
struct Chars<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl<'a> Chars<'a> {
    fn new(text: &'a str) -> Chars<'a> {
        Chars {
            text,
            chars: text.char_indices().collect(),
        }
    }

    fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|(_, c)| *c)
    }

    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |(b, _)| *b)
    }

    fn rest(&self, i: usize) -> &'a str {
        &self.text[self.byte(i)..]
    }

    fn before(&self, i: usize) -> &'a str {
        &self.text[..self.byte(i)]
    }
}

/// Reads Arabic digits (with thousands separators and a decimal point) from `i`; returns the
/// digits and the index after them.
fn read_arabic(c: &Chars, mut i: usize) -> Option<(String, usize)> {
    let mut digits = String::new();
    while let Some(ch) = c.get(i) {
        if let Some(d) = ascii_digit(ch) {
            digits.push(d);
            i += 1;
        } else if (ch == ',' || ch == '，') && !digits.is_empty() && !digits.contains('.') {
            // A thousands separator only when exactly three digits follow.
            let next: Vec<char> = (1..=4).filter_map(|k| c.get(i + k)).collect();
            let three = next.len() >= 3 && next[..3].iter().all(|d| ascii_digit(*d).is_some());
            let fourth_is_digit = next.get(3).is_some_and(|d| ascii_digit(*d).is_some());
            if ch == ',' && three && !fourth_is_digit {
                i += 1;
            } else {
                break;
            }
        } else if (ch == '.' || ch == '．')
            && !digits.is_empty()
            && !digits.contains('.')
            && c.get(i + 1).and_then(ascii_digit).is_some()
        {
            digits.push('.');
            i += 1;
        } else {
            break;
        }
    }
    (!digits.is_empty()).then_some((digits, i))
}

/// Reads a Chinese numeral (一百二十, 十五, 两, 三千五百) from `i`, stopping before 万/亿.
fn read_chinese(c: &Chars, mut i: usize) -> Option<(String, usize)> {
    let start = i;
    let mut section = 0u64;
    let mut digit: Option<u64> = None;
    while let Some(ch) = c.get(i) {
        if let Some(d) = chinese_digit(ch) {
            if digit.is_some_and(|prev| prev != 0) {
                // 二三 is not a number; 零 only holds a place (一百零五).
                break;
            }
            digit = Some(d);
        } else if let Some(u) = chinese_unit(ch) {
            section += digit.unwrap_or(1) * u;
            digit = None;
        } else {
            break;
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    section += digit.unwrap_or(0);
    Some((section.to_string(), i))
}

/// 万亿, 亿, 万 after a number: the power of ten, and the index after.
fn read_multiplier(c: &Chars, i: usize) -> (u32, usize) {
    let rest = c.rest(i);
    if rest.starts_with("万亿") {
        (12, i + 2)
    } else if rest.starts_with('亿') {
        (8, i + 1)
    } else if rest.starts_with('万') {
        (4, i + 1)
    } else {
        (0, i)
    }
}

/// A whole number from `i` (Arabic or Chinese, with 万/亿, and 一万二千 style tails).
fn read_number(c: &Chars, i: usize) -> Option<(Written, bool, usize)> {
    let chinese = c
        .get(i)
        .is_some_and(|ch| chinese_digit(ch).is_some() || chinese_unit(ch).is_some());
    let (digits, mut j) = if chinese {
        read_chinese(c, i)?
    } else {
        read_arabic(c, i)?
    };
    let (shift, after) = read_multiplier(c, j);
    let mut written = Written { digits, shift };
    j = after;
    // 一万二千: a Chinese tail after 万 adds to it.
    if chinese
        && shift > 0
        && let Some((tail, k)) = read_chinese(c, j)
        && let Ok(tail) = tail.parse::<u64>()
        && tail > 0
    {
        let head: u64 = written.digits.parse().unwrap_or(0);
        written = Written {
            digits: (head * 10u64.pow(shift) + tail).to_string(),
            shift: 0,
        };
        j = k;
    }
    Some((written, chinese, j))
}

fn unit_at(rest: &str) -> Option<&'static str> {
    UNITS.iter().copied().find(|u| rest.starts_with(u))
}

fn is_ascii_word(ch: Option<char>) -> bool {
    ch.is_some_and(|c| c.is_ascii_alphabetic())
}

/// Every quantity in the text, in order.
pub fn quantities(text: &str) -> Vec<Quantity> {
    let c = Chars::new(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < c.chars.len() {
        let ch = c.chars[i].1;
        // 零 only holds a place inside a numeral (零部件 is not a number).
        let starts =
            ascii_digit(ch).is_some() || chinese_digit(ch).is_some_and(|d| d > 0) || ch == '十';
        let continues = i > 0
            && c.get(i - 1).is_some_and(|p| {
                ascii_digit(p).is_some()
                    || p == '.'
                    || (is_chinese_numeral(p) && ascii_digit(ch).is_none())
            });
        if !starts || continues {
            i += 1;
            continue;
        }
        match read_quantity(&c, i) {
            Some((q, next)) => {
                found.push(q);
                i = next;
            }
            None => {
                // Skip the rest of this number so its tail is not read as another.
                let mut j = i + 1;
                while c.get(j).is_some_and(|ch| {
                    ascii_digit(ch).is_some() || is_chinese_numeral(ch) || ch == '.'
                }) {
                    j += 1;
                }
                i = j;
            }
        }
    }
    found
}

/// Reads the quantity starting at character `i`, or None when the number there is a year, a
/// date, a code, an ordinal or a list marker.
fn read_quantity(c: &Chars, i: usize) -> Option<(Quantity, usize)> {
    let before = c.before(i);
    let prev = before.chars().next_back();
    // Ordinals and codes.
    if prev == Some('第') || is_ascii_word(prev) {
        return None;
    }
    let (first, chinese, mut j) = read_number(c, i)?;
    // A code such as 5G or 4A级: letters right after the digits (but m² and km are units).
    let rest = c.rest(j);
    if is_ascii_word(c.get(j)) && unit_at(rest).is_none() {
        return None;
    }
    // Years: four digits before 年 (2021年, 2021-2025年, 2021年度).
    let is_year_digits = |w: &Written| {
        w.shift == 0
            && w.digits.len() == 4
            && !w.digits.contains('.')
            && (1900..=2100).contains(&w.digits.parse::<u32>().unwrap_or(0))
    };
    if is_year_digits(&first)
        && (rest.starts_with('年') || c.get(j).is_some_and(|ch| RANGE_MARKS.contains(&ch)))
    {
        return None;
    }
    // Dates: 8月底, 10日, 1-11月.
    if first.shift == 0 && c.get(j).is_some_and(|ch| DATE_WORDS.contains(&ch)) {
        return None;
    }
    // List markers: 1.、（2）、一是、二、 at the start of a line or after punctuation.
    let opens_clause = prev.is_none_or(|p| "\n 　。；;：:，,（(、".contains(p));
    let next = c.get(j);
    if opens_clause
        && first.shift == 0
        && (matches!(next, Some('.' | '．' | '、' | '）' | ')')) || (chinese && next == Some('是')))
    {
        return None;
    }

    let mut upper = None;
    // A range: 5-10%, 3至5家, 1-11月 (a date range: refused below by its unit).
    if let Some(mark) = c.get(j)
        && RANGE_MARKS.contains(&mark)
        && let Some((second, _, k)) = read_number(c, j + 1)
    {
        if second.shift == 0 && c.get(k).is_some_and(|ch| DATE_WORDS.contains(&ch)) {
            return None;
        }
        let mut second = second;
        if second.shift == 0 && first.shift > 0 {
            second.shift = first.shift;
        }
        upper = Some(second.value());
        j = k;
    }
    let mut written = first;
    // 1万余户, 3000余户, 100多家.
    let mut more_than = false;
    if matches!(c.get(j), Some('余' | '多')) {
        more_than = true;
        j += 1;
        let (shift, k) = read_multiplier(c, j);
        if shift > 0 && written.shift == 0 {
            written.shift = shift;
            j = k;
        }
    }
    let rest = c.rest(j);
    let uom = unit_at(rest).unwrap_or("");
    if chinese && uom.is_empty() {
        // 一体化, 统一, 进一步: a Chinese numeral is a quantity only with a unit.
        return None;
    }
    j += uom.chars().count();
    if matches!(c.get(j), Some('余' | '多')) && !uom.is_empty() && !uom.contains('%') {
        more_than = true;
        j += 1;
    }
    let uom = match uom {
        "％" => "%",
        other => other,
    };
    let about = before.ends_with('约') || before.ends_with('近') || c.rest(j).starts_with("左右");
    Some((
        Quantity {
            value: written.value(),
            upper,
            uom: uom.to_owned(),
            about,
            more_than,
            span: c.byte(i)..c.byte(j),
        },
        j,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> Vec<(f64, String)> {
        quantities(text)
            .into_iter()
            .map(|q| (q.value, q.uom))
            .collect()
    }

    fn one(text: &str) -> Quantity {
        let mut all = quantities(text);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn arabic_numbers_with_units_and_multipliers() {
        assert_eq!(read("地区生产总值增长5.5%以上"), [(5.5, "%".to_owned())]);
        assert_eq!(read("新增市场主体6803户"), [(6803.0, "户".to_owned())]);
        assert_eq!(read("惠及3.9万户"), [(39000.0, "户".to_owned())]);
        assert_eq!(
            read("完成投资70.02亿元"),
            [(7_002_000_000.0, "元".to_owned())]
        );
        assert_eq!(
            read("规上工业总产值突破3000亿元"),
            [(300_000_000_000.0, "元".to_owned())]
        );
        assert_eq!(read("建设高标准农田8,000亩"), [(8000.0, "亩".to_owned())]);
        assert_eq!(
            read("引进外资8000万美元"),
            [(80_000_000.0, "美元".to_owned())]
        );
        assert_eq!(read("压减燃煤28万吨以上"), [(280_000.0, "吨".to_owned())]);
        assert_eq!(read("提高0.5个百分点"), [(0.5, "个百分点".to_owned())]);
        assert_eq!(read("GDP达到1.2万亿元"), [(1.2e12, "元".to_owned())]);
        assert_eq!(
            read("新建标准厂房15万平方米"),
            [(150_000.0, "平方米".to_owned())]
        );
        assert_eq!(read("增长６％"), [(6.0, "%".to_owned())]);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(read("新增三家"), [(3.0, "家".to_owned())]);
        assert_eq!(read("培育十五个"), [(15.0, "个".to_owned())]);
        assert_eq!(read("一百二十人"), [(120.0, "人".to_owned())]);
        assert_eq!(
            read("两个100%"),
            [(2.0, "个".to_owned()), (100.0, "%".to_owned())]
        );
        assert_eq!(read("三千五百亩"), [(3500.0, "亩".to_owned())]);
        assert_eq!(read("一百零五项"), [(105.0, "项".to_owned())]);
        assert_eq!(read("一万二千人"), [(12000.0, "人".to_owned())]);
        assert!(read("推进一体化，进一步统一").is_empty());
        assert!(read("高端零部件生产基地").is_empty());
    }

    #[test]
    fn ranges_and_approximations() {
        let q = one("每年增长5-10%");
        assert_eq!((q.value, q.upper, q.uom.as_str()), (5.0, Some(10.0), "%"));
        let q = one("新增3至5家");
        assert_eq!((q.value, q.upper, q.uom.as_str()), (3.0, Some(5.0), "家"));
        let q = one("服务约350人");
        assert!(q.about && q.value == 350.0);
        let q = one("居民收入增长5.5%左右");
        assert!(q.about);
        let q = one("改造3000余户");
        assert!(q.more_than && q.value == 3000.0 && q.uom == "户");
        let q = one("新增就业1万余人");
        assert!(q.more_than && q.value == 10000.0 && q.uom == "人");
        let q = one("1100个以上");
        assert_eq!((q.value, q.uom.as_str()), (1100.0, "个"));
    }

    #[test]
    fn years_dates_codes_ordinals_and_markers_are_not_quantities() {
        assert!(read("2021年").is_empty());
        assert!(read("2021-2025年规划").is_empty());
        assert!(read("截至8月底").is_empty());
        assert!(read("1-11月份").is_empty());
        assert!(read("9月15日前").is_empty());
        assert!(read("加快G308改造").is_empty());
        assert!(read("新建5G基站").is_empty());
        assert!(read("举办第十七届齐文化节").is_empty());
        assert!(read("1.成片开发方案批复。2.督促项目进度").is_empty());
        assert!(read("一是加强监管，二是优化服务").is_empty());
        assert!(read("（2）完善机制").is_empty());
        assert_eq!(
            read("1-7月份规上服务业营业收入实际完成同比增速1.2%"),
            [(1.2, "%".to_owned())]
        );
        assert_eq!(read("新建200处5G基站"), [(200.0, "处".to_owned())]);
        assert_eq!(
            read("截至8月底，新增市场主体6803户"),
            [(6803.0, "户".to_owned())]
        );
    }

    /// Formats `units` (a whole number of hundredths) as offices write it.
    fn formats(hundredths: u64) -> Vec<(String, f64)> {
        let value = hundredths as f64 / 100.0;
        let plain = if hundredths.is_multiple_of(100) {
            format!("{}", hundredths / 100)
        } else {
            format!("{value}")
        };
        let mut out = vec![(plain.clone(), value)];
        // Thousands separators on the integer part.
        let int = (hundredths / 100).to_string();
        if int.len() > 3 {
            let mut grouped = String::new();
            for (k, d) in int.chars().enumerate() {
                if k > 0 && (int.len() - k).is_multiple_of(3) {
                    grouped.push(',');
                }
                grouped.push(d);
            }
            let frac = plain
                .split_once('.')
                .map(|(_, f)| format!(".{f}"))
                .unwrap_or_default();
            out.push((format!("{grouped}{frac}"), value));
        }
        // The same hundredths read as 万 (×10^4) and 亿 (×10^8).
        out.push((format!("{plain}万"), hundredths as f64 * 100.0));
        out.push((format!("{plain}亿"), hundredths as f64 * 1_000_000.0));
        out
    }

    proptest! {
        #[test]
        fn formatted_numbers_read_back(hundredths in 1u64..100_000_000, unit in prop::sample::select(vec!["户", "元", "亩", "%", "个"])) {
            for (written, value) in formats(hundredths) {
                let text = format!("力争新增{written}{unit}以上。");
                let found = quantities(&text);
                prop_assert_eq!(found.len(), 1, "{}: {:?}", text, found);
                prop_assert_eq!(found[0].value, value, "{}", text);
                prop_assert_eq!(found[0].uom.as_str(), unit);
            }
        }

        #[test]
        fn years_and_codes_never_read_as_quantities(year in 1950u32..2100, code in 1u32..999, letters in "[A-Z]{1,3}") {
            let text = format!("{year}年，{letters}{code}公路，{code}{letters}项目");
            prop_assert!(quantities(&text).is_empty(), "{}: {:?}", text, quantities(&text));
        }
    }
}
