//! Targets in task text and figures in progress text: 地区生产总值增长5.5%以上 → (地区生产总值,
//! growth, 5.5 %, at least); 一般公共预算收入同比增长6.29% → (一般公共预算收入, growth, 6.29 %).
//!
//! A sentence is split into clauses at commas and semicolons; each quantity with a unit is read
//! with the verb before it (增长, 下降, 新增, 累计, 达到 …), which gives its kind, and the words
//! before the verb (or between verb and number, or after the number), which give its metric.
//! A clause that names no metric (…3000亿元、增长10%以上) takes the one before it.

use duban_core::{Bound, Target, TargetKind};

use crate::numbers::{Quantity, quantities};

/// Verbs and the kind they give, longest first.
const VERBS: &[(&str, TargetKind)] = &[
    ("同比增长", TargetKind::Growth),
    ("同比增速", TargetKind::Growth),
    ("同比下降", TargetKind::Decrease),
    ("同比减少", TargetKind::Decrease),
    ("增速", TargetKind::Growth),
    ("增幅", TargetKind::Growth),
    ("增长", TargetKind::Growth),
    ("提高", TargetKind::Growth),
    ("提升", TargetKind::Growth),
    ("增加", TargetKind::Growth),
    ("降幅", TargetKind::Decrease),
    ("下降", TargetKind::Decrease),
    ("降低", TargetKind::Decrease),
    ("压减", TargetKind::Decrease),
    ("压降", TargetKind::Decrease),
    ("削减", TargetKind::Decrease),
    ("减少", TargetKind::Decrease),
    ("累计", TargetKind::Cumulative),
    ("新增", TargetKind::Increase),
    ("新建", TargetKind::Increase),
    ("新培育", TargetKind::Increase),
    ("新引进", TargetKind::Increase),
    ("新开工", TargetKind::Increase),
    ("新改建", TargetKind::Increase),
    ("新设立", TargetKind::Increase),
    ("引进", TargetKind::Increase),
    ("培育", TargetKind::Increase),
    ("建成", TargetKind::Increase),
    ("建设", TargetKind::Increase),
    ("改造", TargetKind::Increase),
    ("实施", TargetKind::Increase),
    ("招引", TargetKind::Increase),
    ("签约", TargetKind::Increase),
    ("盘活", TargetKind::Increase),
    ("发放", TargetKind::Increase),
    ("争取", TargetKind::Increase),
    ("完成", TargetKind::Level),
    ("达到", TargetKind::Level),
    ("突破", TargetKind::Level),
    ("超过", TargetKind::Level),
    ("保持在", TargetKind::Level),
    ("稳定在", TargetKind::Level),
    ("控制在", TargetKind::Level),
    ("保持", TargetKind::Level),
    ("达", TargetKind::Level),
];

const AT_LEAST_AFTER: &[&str] = &["及以上", "以上"];
const AT_MOST_AFTER: &[&str] = &["以内", "以下", "之内"];
const AT_LEAST_BEFORE: &[&str] = &["不低于", "不少于", "至少", "超过", "突破", "超", "逾"];
const AT_MOST_BEFORE: &[&str] = &["不超过", "不高于", "控制在", "低于", "少于"];
const ASPIRATION: &[&str] = &["力争", "争取", "努力", "力求"];

/// Words that open a metric phrase without being part of it.
const LEADING_NOISE: &[&str] = &[
    "力争",
    "争取",
    "确保",
    "努力",
    "力求",
    "全年",
    "年内",
    "全区",
    "我区",
    "全市",
    "实现",
    "其中",
    "推动",
    "预计",
    "当月",
    "本年度",
    "今年",
    "上半年",
    "目前",
    "已",
    "共",
    "并",
    "和",
    "及",
    "、",
    "：",
    ":",
    "（",
    "(",
];
/// Words that close a metric phrase without being part of it.
const TRAILING_NOISE: &[&str] = &[
    "同比",
    "实际完成",
    "完成",
    "实际",
    "累计",
    "总计",
    "的",
    "均",
    "共",
    "已",
    "、",
    "：",
    ":",
];

/// The targets (or reported figures) in a text.
pub fn read_targets(text: &str) -> Vec<Target> {
    let mut out = Vec::new();
    for sentence in text.split(['。', '；', ';', '！', '\n']) {
        let mut aspirational = false;
        let mut last_metric = String::new();
        for clause in sentence.split(['，', ',']) {
            let mut from = 0;
            for q in quantities(clause) {
                if q.uom.is_empty() {
                    from = q.span.end;
                    continue;
                }
                let lead = &clause[from.min(q.span.start)..q.span.start];
                if ASPIRATION.iter().any(|w| lead.contains(w)) {
                    aspirational = true;
                }
                let after_end = bound_after_end(clause, &q);
                if let Some(mut target) = read_one(clause, lead, &q, after_end) {
                    if target.metric.is_empty() {
                        target.metric = last_metric.clone();
                    } else {
                        last_metric = target.metric.clone();
                    }
                    target.aspirational = aspirational;
                    out.push(target);
                }
                from = after_end;
            }
        }
    }
    out
}

/// The end of the words after a quantity that belong to it (以上, 左右 …).
fn bound_after_end(clause: &str, q: &Quantity) -> usize {
    let rest = &clause[q.span.end..];
    for word in AT_LEAST_AFTER.iter().chain(AT_MOST_AFTER).chain(&["左右"]) {
        if rest.starts_with(word) {
            return q.span.end + word.len();
        }
    }
    q.span.end
}

fn read_one(clause: &str, lead: &str, q: &Quantity, after_end: usize) -> Option<Target> {
    let verb = VERBS
        .iter()
        .filter_map(|(word, kind)| {
            // 完成 in 完成率 names a rate, it is not a verb.
            lead.match_indices(*word)
                .filter(|(at, _)| !lead[at + word.len()..].starts_with('率'))
                .map(|(at, _)| (at, *word, *kind))
                .last()
        })
        // The verb nearest the number; among verbs at one place, the longest.
        .max_by_key(|(at, word, _)| (at + word.len(), word.len()));
    let percent = q.uom == "%" || q.uom == "个百分点";
    if verb.is_none() && !percent {
        return None;
    }
    let (before, between) = match verb {
        Some((at, word, _)) => (&lead[..at], &lead[at + word.len()..]),
        None => (lead, ""),
    };
    let mut metric = clean_metric(before);
    if metric.is_empty() {
        metric = clean_metric(between);
    }
    if metric.is_empty() && verb.is_some() {
        // 新建200处5G基站: the thing counted follows the number.
        let after = &clause[after_end..];
        let end = after.find(['、', '（', '(']).unwrap_or(after.len());
        metric = clean_metric(&after[..end]);
    }
    let mut kind = verb.map_or(TargetKind::Level, |(_, _, k)| k);
    // 累计引进, 累计完成: a running total, whatever the verb after it.
    if lead.contains("累计") && matches!(kind, TargetKind::Increase | TargetKind::Level) {
        kind = TargetKind::Cumulative;
    }
    // Growth words with a count (增加10亿元) add, they do not grow by a rate.
    if matches!(kind, TargetKind::Growth) && !percent {
        kind = TargetKind::Increase;
    }
    if percent
        && metric.ends_with('率')
        && matches!(kind, TargetKind::Level | TargetKind::Cumulative)
    {
        kind = TargetKind::Rate;
    }
    let tail = &clause[q.span.end..];
    let bound = if q.about || tail.starts_with("左右") {
        Bound::About
    } else if q.more_than
        || AT_LEAST_AFTER.iter().any(|w| tail.starts_with(w))
        || AT_LEAST_BEFORE.iter().any(|w| lead.ends_with(w))
        || verb.is_some_and(|(_, w, _)| w == "突破" || w == "超过")
    {
        Bound::AtLeast
    } else if AT_MOST_AFTER.iter().any(|w| tail.starts_with(w))
        || AT_MOST_BEFORE
            .iter()
            .any(|w| lead.ends_with(w) || lead.contains(w))
    {
        Bound::AtMost
    } else {
        Bound::Exact
    };
    Some(Target {
        metric,
        kind,
        value: q.value,
        upper: q.upper,
        uom: q.uom.clone(),
        bound,
        aspirational: false,
        text: clause[..after_end].trim().to_owned(),
    })
}

/// A metric phrase without the words around it: dates (截至8月底, 1-7月份), aspiration and
/// scope words (力争, 全区), and trailing 同比 / 实际完成.
pub fn clean_metric(text: &str) -> String {
    let mut s = text
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || "，,。；;".contains(c))
        .to_owned();
    loop {
        let before = s.clone();
        if let Some(rest) = s.strip_prefix("截至").or_else(|| s.strip_prefix("截止")) {
            let end = rest.find(['底', '末', '，']).map_or(0, |i| {
                i + rest[i..].chars().next().map_or(0, char::len_utf8)
            });
            s = rest[end..].to_owned();
        }
        // A leading period: 1-7月份, 8月份, 1-8月.
        if s.chars().next().is_some_and(|c| c.is_ascii_digit())
            && let Some(m) = s.find('月')
            && m <= 6
        {
            let mut rest = &s[m + '月'.len_utf8()..];
            for tail in ["份", "底", "末"] {
                rest = rest.strip_prefix(tail).unwrap_or(rest);
            }
            s = rest.to_owned();
        }
        for word in LEADING_NOISE {
            if let Some(rest) = s.strip_prefix(word) {
                s = rest.to_owned();
            }
        }
        for word in TRAILING_NOISE {
            if let Some(rest) = s.strip_suffix(word) {
                s = rest.to_owned();
            }
        }
        s = s.trim().to_owned();
        if s == before {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief(text: &str) -> Vec<(String, TargetKind, f64, String, Bound, bool)> {
        read_targets(text)
            .into_iter()
            .map(|t| (t.metric, t.kind, t.value, t.uom, t.bound, t.aspirational))
            .collect()
    }

    fn t(
        metric: &str,
        kind: TargetKind,
        value: f64,
        uom: &str,
        bound: Bound,
        asp: bool,
    ) -> (String, TargetKind, f64, String, Bound, bool) {
        (metric.to_owned(), kind, value, uom.to_owned(), bound, asp)
    }

    use Bound::*;
    use TargetKind::*;

    #[test]
    fn a_goal_with_several_targets() {
        assert_eq!(
            brief(
                "地区生产总值增长5.5%以上，一般公共预算收入增长6%以上，居民人均可支配收入增长5.5%左右，全面完成上级下达的节能减排约束性指标。"
            ),
            [
                t("地区生产总值", Growth, 5.5, "%", AtLeast, false),
                t("一般公共预算收入", Growth, 6.0, "%", AtLeast, false),
                t("居民人均可支配收入", Growth, 5.5, "%", About, false),
            ]
        );
    }

    #[test]
    fn kinds_bounds_and_aspiration() {
        assert_eq!(
            brief("新增绿化造林5000亩"),
            [t("绿化造林", Increase, 5000.0, "亩", Exact, false)]
        );
        assert_eq!(
            brief("力争项目年度投资完成率达到60%以上。"),
            [t("项目年度投资完成率", Rate, 60.0, "%", AtLeast, true)]
        );
        assert_eq!(
            brief("压减燃煤28万吨以上"),
            [t("燃煤", Decrease, 280_000.0, "吨", AtLeast, false)]
        );
        assert_eq!(
            brief("力争规上工业总产值突破3000亿元、增长10%以上。"),
            [
                t("规上工业总产值", Level, 3.0e11, "元", AtLeast, true),
                t("规上工业总产值", Growth, 10.0, "%", AtLeast, true),
            ]
        );
        assert_eq!(
            brief("新建200处5G基站"),
            [t("5G基站", Increase, 200.0, "处", Exact, false)]
        );
        assert_eq!(
            brief("新增市场主体1万户以上。"),
            [t("市场主体", Increase, 10000.0, "户", AtLeast, false)]
        );
        assert_eq!(
            brief("PM2.5浓度控制在40微克以内"),
            Vec::<(String, TargetKind, f64, String, Bound, bool)>::new(),
            "an unknown unit is not guessed"
        );
        assert_eq!(
            brief("累计引进大学生2700人。"),
            [t("大学生", Cumulative, 2700.0, "人", Exact, false)]
        );
    }

    #[test]
    fn reported_figures() {
        assert_eq!(
            brief("一般公共预算收入同比增长6.29%；固定资产投资同比下降8.7%。"),
            [
                t("一般公共预算收入", Growth, 6.29, "%", Exact, false),
                t("固定资产投资", Decrease, 8.7, "%", Exact, false),
            ]
        );
        assert_eq!(
            brief(
                "1-7月份规上服务业营业收入实际完成同比增速1.2%；预计1-8月份完成同比增速1.9%左右。"
            ),
            [
                t("规上服务业营业收入", Growth, 1.2, "%", Exact, false),
                t("", Growth, 1.9, "%", About, false),
            ]
        );
        assert_eq!(
            brief("截至8月底，新增市场主体6803户。"),
            [t("市场主体", Increase, 6803.0, "户", Exact, false)]
        );
        assert_eq!(
            brief("本年度省级重点项目总投资86.8亿元，已完成61.6亿元，投资完成率70.97%。"),
            [
                // 总投资86.8亿元 has no verb: a count without one is not read as a figure.
                t("", Level, 6.16e9, "元", Exact, false),
                t("投资完成率", Rate, 70.97, "%", Exact, false),
            ]
        );
    }
}
