//! Plan monitoring (规划监测): each main indicator of a plan with its path from the baseline year
//! to the target year, the actual values entered year by year, and the judgement of each year
//! (达到序时进度 / 滞后 / 未达到 / 无数据).

use std::collections::BTreeMap;

use duban_core::monitor::{IndicatorPath, Judgement, PathRule, cumulative, plan_years};
use duban_core::{Document, DocumentKind, Indicator};
use duban_store::Actor;
use serde::Serialize;
use serde_json::Value;

use crate::{App, Error};

/// A year and the value of that year (a number, or one per series).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearValue {
    pub year: i32,
    #[schema(value_type = Object)]
    pub value: Value,
}

/// An indicator as monitored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonitoredIndicator {
    /// Position in the plan's table, from 1.
    pub no: usize,
    pub category: String,
    pub name: String,
    pub uom: String,
    /// expected (预期性) or binding (约束性).
    pub attribute: String,
    /// How the expected value moves (linear, compound, rate, ceiling, floor, cumulative,
    /// assigned, target_only, watched) and in words.
    pub rule: String,
    pub rule_zh: String,
    /// Series' labels (男性, 女性) when there are two.
    pub series: Vec<String>,
    pub baseline: Option<YearValue>,
    pub target: Option<YearValue>,
    /// Expected on the path, by year.
    #[schema(value_type = Object)]
    pub expected: BTreeMap<String, Value>,
    /// Actual values entered, by year (for a cumulative indicator, each year's own value).
    #[schema(value_type = Object)]
    pub actual: BTreeMap<String, Value>,
    /// on_track, behind, missed or no_data, by year.
    pub judgement: BTreeMap<String, String>,
    /// How far behind the path and what the remaining years need, by year, in words.
    pub notes: BTreeMap<String, String>,
    /// Within a year (序时进度 by months elapsed), from quarterly values: by quarter (2023-Q2).
    pub quarters: Vec<QuarterJudgement>,
}

/// A quarter's value of an indicator judged against the months elapsed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuarterJudgement {
    /// 2023-Q2.
    pub period: String,
    #[schema(value_type = Object)]
    pub expected: Value,
    #[schema(value_type = Object)]
    pub actual: Value,
    /// on_track, behind or missed.
    pub judgement: String,
}

/// A plan's indicators as monitored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Monitoring {
    pub plan: String,
    pub base_year: i32,
    pub target_year: i32,
    pub indicators: Vec<MonitoredIndicator>,
}

/// The plan a key names (its id or exact title), which must be a plan.
pub async fn find_plan(app: &App, key: &str) -> Result<Document, Error> {
    let document = app.store.document(key).await?;
    if document.kind != DocumentKind::Plan {
        return Err(Error::BadRequest(format!(
            "“{}”是{}，不是规划纲要",
            document.title,
            document.kind.label_zh()
        )));
    }
    Ok(document)
}

/// The years a plan runs over (from its date; a plan without one is taken as issued this year).
pub fn years_of(plan: &Document) -> (i32, i32) {
    let issued = plan
        .date
        .map(|d| chrono::Datelike::year(&d))
        .unwrap_or_else(|| chrono::Datelike::year(&duban_core::beijing::today()));
    plan_years(issued)
}

fn value_of(numbers: &[f64]) -> Value {
    match numbers {
        [] => Value::Null,
        [one] => serde_json::json!(one),
        many => serde_json::json!(many),
    }
}

fn option_value(numbers: &[Option<f64>]) -> Option<Value> {
    if numbers.iter().all(Option::is_none) {
        return None;
    }
    let known: Vec<f64> = numbers.iter().map(|n| n.unwrap_or(f64::NAN)).collect();
    Some(value_of(&known))
}

/// The indicator a name picks: exactly, else the one whose name contains it.
pub fn pick<'a>(indicators: &'a [Indicator], name: &str) -> Result<(usize, &'a Indicator), Error> {
    let name = name.trim();
    if let Some(found) = indicators.iter().enumerate().find(|(_, i)| i.name == name) {
        return Ok(found);
    }
    let matches: Vec<(usize, &Indicator)> = indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| i.name.contains(name))
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::NotFound(format!(
            "规划中没有指标“{name}”（共 {} 项：{}）",
            indicators.len(),
            indicators
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        ))),
        many => Err(Error::BadRequest(format!(
            "“{name}”对应多项指标：{}；请写全称",
            many.iter()
                .map(|(_, i)| i.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        ))),
    }
}

/// A plan's indicators with their paths, actuals and judgements for every year of the plan up
/// to `until` (all years when None).
pub async fn monitoring(app: &App, key: &str, until: Option<i32>) -> Result<Monitoring, Error> {
    let plan = find_plan(app, key).await?;
    let (base_year, target_year) = years_of(&plan);
    let indicators = app.store.indicators(plan.id).await?;
    let values = app.store.indicator_values(plan.id).await?;
    let last = until.unwrap_or(target_year).min(target_year);
    let mut out = Vec::new();
    for (ord, indicator) in indicators.iter().enumerate() {
        let path = IndicatorPath::of(indicator, base_year, target_year);
        let of_kind = |kind: &str| -> BTreeMap<i32, Vec<f64>> {
            values
                .iter()
                .filter(|v| v.ord == ord as i64 && v.kind == kind)
                .map(|v| (v.year, v.numbers.clone()))
                .collect()
        };
        let (actuals, assigned) = (of_kind("actual"), of_kind("assigned"));
        // A cumulative indicator is judged on the sum of its years so far.
        let sums = cumulative(
            &actuals
                .iter()
                .filter_map(|(y, v)| v.first().map(|n| (*y, *n)))
                .collect(),
        );
        let mut expected = BTreeMap::new();
        let mut actual = BTreeMap::new();
        let mut judgement = BTreeMap::new();
        let mut notes = BTreeMap::new();
        for year in (base_year + 1)..=last {
            let given = assigned.get(&year).and_then(|v| v.first().copied());
            let numbers = match (path.rule, actuals.get(&year)) {
                (PathRule::Cumulative, Some(_)) => {
                    sums.get(&year).map(|s| vec![*s]).unwrap_or_default()
                }
                (_, Some(v)) => v.clone(),
                (_, None) => Vec::new(),
            };
            let verdict = path.judge(year, &numbers, given);
            if let Some(e) = option_value(&verdict.expected) {
                expected.insert(year.to_string(), e);
            }
            if let Some(v) = actuals.get(&year) {
                actual.insert(year.to_string(), value_of(v));
            }
            judgement.insert(year.to_string(), verdict.judgement.code().to_owned());
            if matches!(verdict.judgement, Judgement::Behind | Judgement::Missed) {
                let gap = verdict
                    .gap
                    .iter()
                    .map(|g| format!("{g}"))
                    .collect::<Vec<_>>()
                    .join("、");
                // A share's difference is in percentage points (个百分点), not per cent.
                let unit = if indicator.uom == "%" {
                    "个百分点"
                } else {
                    indicator.uom.as_str()
                };
                let mut note = format!("比序时进度差 {gap}{unit}");
                let needed: Vec<String> = verdict
                    .needed
                    .iter()
                    .flatten()
                    .map(|n| match path.rule {
                        PathRule::Compound => format!("今后每年需增长 {n}%"),
                        _ => format!("今后每年需提高 {n}{unit}"),
                    })
                    .collect();
                if !needed.is_empty() {
                    note.push_str(&format!("；{}", needed.join("、")));
                }
                notes.insert(year.to_string(), note);
            }
        }
        let mut quarters = Vec::new();
        for q in 1..=3u32 {
            for (year, numbers) in of_kind(&format!("q{q}")) {
                if year > last {
                    continue;
                }
                // A running total adds the earlier years to the year so far.
                let judged: Vec<f64> = match path.rule {
                    PathRule::Cumulative => {
                        let before: f64 =
                            actuals.range(..year).filter_map(|(_, v)| v.first()).sum();
                        numbers.iter().map(|n| n + before).collect()
                    }
                    _ => numbers.clone(),
                };
                let given = assigned.get(&year).and_then(|v| v.first().copied());
                let verdict = path.judge_within(year, q * 3, &judged, given);
                quarters.push(QuarterJudgement {
                    period: format!("{year}-Q{q}"),
                    expected: option_value(&verdict.expected).unwrap_or(Value::Null),
                    actual: value_of(&numbers),
                    judgement: verdict.judgement.code().to_owned(),
                });
            }
        }
        quarters.sort_by(|a, b| a.period.cmp(&b.period));
        let series_values = |pick: fn(&duban_core::monitor::Series) -> Option<f64>| {
            path.series.iter().map(pick).collect::<Vec<_>>()
        };
        out.push(MonitoredIndicator {
            no: ord + 1,
            category: indicator.category.clone(),
            name: indicator.name.clone(),
            uom: indicator.uom.clone(),
            attribute: indicator.attribute.code().to_owned(),
            rule: path.rule.code().to_owned(),
            rule_zh: path.rule.label_zh().to_owned(),
            series: if path.series.len() > 1 {
                path.series.iter().map(|s| s.label.clone()).collect()
            } else {
                Vec::new()
            },
            baseline: option_value(&series_values(|s| s.baseline)).map(|value| YearValue {
                year: base_year,
                value,
            }),
            target: option_value(&series_values(|s| s.target))
                .or_else(|| {
                    path.value
                        .filter(|_| path.rule != PathRule::Assigned)
                        .map(|v| serde_json::json!(v))
                })
                .map(|value| YearValue {
                    year: target_year,
                    value,
                }),
            expected,
            actual,
            judgement,
            notes,
            quarters,
        });
    }
    Ok(Monitoring {
        plan: plan.title.clone(),
        base_year,
        target_year,
        indicators: out,
    })
}

/// Checks one value against the plan: the indicator it names, a year of the plan, the right
/// count of numbers for its series; `assigned` only for an indicator whose target is one.
pub(crate) fn checked(
    indicators: &[Indicator],
    (base_year, target_year): (i32, i32),
    indicator: &str,
    year: i32,
    value: &str,
    assigned: bool,
) -> Result<(usize, Vec<f64>), Error> {
    if !(base_year..=target_year).contains(&year) {
        return Err(Error::BadRequest(format!(
            "{year} 年不在规划期（{base_year}—{target_year} 年）内"
        )));
    }
    let (ord, found) = pick(indicators, indicator)?;
    let path = IndicatorPath::of(found, base_year, target_year);
    let numbers: Vec<f64> = value
        .split([',', '，', '/', ' ', '、'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.trim().trim_end_matches('%').parse::<f64>().map_err(|_| {
                Error::BadRequest(format!("“{value}”不是数值（两项的写作 78.6,86.3）"))
            })
        })
        .collect::<Result<_, _>>()?;
    let wanted = if assigned { 1 } else { path.series.len() };
    if numbers.len() != wanted {
        let labels = if wanted > 1 {
            format!(
                "（{}）",
                path.series
                    .iter()
                    .map(|s| s.label.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            )
        } else {
            String::new()
        };
        return Err(Error::BadRequest(format!(
            "指标“{}”每年应有 {wanted} 个数值{labels}，收到 {} 个",
            found.name,
            numbers.len()
        )));
    }
    if assigned && path.rule != PathRule::Assigned {
        return Err(Error::BadRequest(format!(
            "指标“{}”按“{}”计算序时进度，不需要设定年度下达值",
            found.name,
            path.rule.label_zh()
        )));
    }
    Ok((ord, numbers))
}

/// Keeps a year's actual value of an indicator (`assigned`: the yearly value the office sets
/// for an indicator whose target is an assignment). Two series take two numbers.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    app: &App,
    actor: &Actor,
    key: &str,
    indicator: &str,
    year: i32,
    value: &str,
    note: &str,
    assigned: bool,
) -> Result<(), Error> {
    let plan = find_plan(app, key).await?;
    let indicators = app.store.indicators(plan.id).await?;
    let (ord, numbers) = checked(
        &indicators,
        years_of(&plan),
        indicator,
        year,
        value,
        assigned,
    )?;
    app.store
        .set_indicator_values(
            actor,
            plan.id,
            &[duban_store::NewIndicatorValue {
                ord: ord as i64,
                year,
                kind: if assigned { "assigned" } else { "actual" }.to_owned(),
                numbers,
                note: note.to_owned(),
            }],
        )
        .await?;
    Ok(())
}

/// Imports a statistics table (统计数据表: xlsx or csv; long — 指标 | 年度 | 数值 — or wide —
/// 指标 | 2021年 | 2022年 …) as actual values: every value checked first, then all kept in one
/// transaction, or none with the file and the row that stopped it. Returns how many were kept.
pub async fn import_actuals(
    app: &App,
    actor: &Actor,
    key: &str,
    file: &str,
    bytes: &[u8],
) -> Result<usize, Error> {
    let plan = find_plan(app, key).await?;
    let rows = match duban_office::sniff(file, bytes) {
        duban_office::Format::Csv => duban_office::read_csv(bytes, file),
        duban_office::Format::Spreadsheet => duban_office::read_spreadsheet(bytes, file),
        _ => {
            return Err(Error::BadRequest(format!(
                "{file}：统计数据表应为 Excel（xlsx、xls、et）或 csv 文件"
            )));
        }
    }
    .map_err(|e| Error::BadRequest(e.to_string()))?;
    let rows: Vec<(String, Vec<String>)> = rows.into_iter().map(|r| (r.place, r.cells)).collect();
    let values = duban_extract::statistics::read(&rows)
        .map_err(|e| Error::BadRequest(format!("{file}：{e}")))?;
    let indicators = app.store.indicators(plan.id).await?;
    let years = years_of(&plan);
    let mut entries = Vec::with_capacity(values.len());
    for v in &values {
        let (ord, numbers) = checked(&indicators, years, &v.indicator, v.year, &v.value, false)
            .map_err(|e| Error::BadRequest(format!("{file} {}：{}", v.place, e.message())))?;
        entries.push(duban_store::NewIndicatorValue {
            ord: ord as i64,
            year: v.year,
            kind: "actual".to_owned(),
            numbers,
            note: if v.note.is_empty() {
                format!("导入自 {file}")
            } else {
                v.note.clone()
            },
        });
    }
    app.store
        .set_indicator_values(actor, plan.id, &entries)
        .await?;
    Ok(entries.len())
}

/// The indicator table of the evaluation (评估报告): every indicator with its baseline, target,
/// the value expected on its path in `year`, the actual and the judgement — binding ones first —
/// to print as xlsx or docx (`export::table_file`).
pub fn evaluation_table(m: &Monitoring, year: i32) -> duban_notice::PrintTable {
    let shown = shown_value;
    let key = year.to_string();
    let mut indicators: Vec<&MonitoredIndicator> = m.indicators.iter().collect();
    indicators.sort_by_key(|i| (i.attribute != "binding", i.no));
    let word = judgement_word;
    let rows = indicators
        .iter()
        .map(|i| {
            let name = if i.uom.is_empty() {
                i.name.clone()
            } else {
                format!("{}（{}）", i.name, i.uom)
            };
            vec![
                i.no.to_string(),
                name,
                if i.attribute == "binding" {
                    "约束性"
                } else {
                    "预期性"
                }
                .to_owned(),
                i.rule_zh.clone(),
                shown(i.baseline.as_ref().map(|b| &b.value)),
                shown(i.target.as_ref().map(|t| &t.value)),
                shown(i.expected.get(&key)),
                shown(i.actual.get(&key)),
                word(i.judgement.get(&key)).to_owned(),
                i.notes.get(&key).cloned().unwrap_or_default(),
            ]
        })
        .collect();
    let count = |code: &str| {
        m.indicators
            .iter()
            .filter(|i| i.judgement.get(&key).map(String::as_str) == Some(code))
            .count()
    };
    duban_notice::PrintTable {
        title: format!("{}主要指标{}年评估", m.plan, year),
        subtitle: Some(format!(
            "规划期 {}—{} 年；{} 年达到序时进度 {} 项、滞后 {} 项、约束性未达到 {} 项、无数据 {} 项；约束性指标列前",
            m.base_year,
            m.target_year,
            year,
            count("on_track"),
            count("behind"),
            count("missed"),
            count("no_data")
        )),
        sheet: "主要指标评估".to_owned(),
        headers: [
            "序号".to_owned(),
            "指标".to_owned(),
            "属性".to_owned(),
            "序时路径".to_owned(),
            format!("{}年基期", m.base_year),
            format!("{}年目标", m.target_year),
            format!("{year}年序时预期"),
            format!("{year}年实际"),
            "评价".to_owned(),
            "说明".to_owned(),
        ]
        .to_vec(),
        rows,
        centered: vec![true, false, true, true, true, true, true, true, true, false],
        fixed: vec![true, false, true, true, true, true, true, true, true, false],
    }
}

/// Checks that `year` is one the plan can be evaluated for (after its base year, up to its
/// target year).
fn evaluation_year(m: &Monitoring, year: i32) -> Result<(), Error> {
    if m.base_year < year && year <= m.target_year {
        Ok(())
    } else {
        Err(Error::BadRequest(format!(
            "{year} 年不在规划期（{}—{} 年）的评估年度内",
            m.base_year + 1,
            m.target_year
        )))
    }
}

/// The chapter a passage is under: the first heading that names a 章, else the first heading.
fn chapter_of(headings: &[String]) -> String {
    headings
        .iter()
        .find(|h| {
            let h = h.trim_start();
            h.starts_with('第')
                && h.split_whitespace()
                    .next()
                    .is_some_and(|w| w.ends_with('章'))
        })
        .or_else(|| headings.first())
        .cloned()
        .unwrap_or_else(|| "（未分章节）".to_owned())
}

/// Tasks of the ledgers linked to the plan's passages (`duban link`), counted by the plan's
/// chapter with their verdicts at each ledger's latest period: ledgers of the evaluation year
/// and before.
async fn chapter_table(
    app: &App,
    plan: &Document,
    m: &Monitoring,
    year: i32,
) -> Result<duban_notice::PrintTable, Error> {
    use duban_core::Status;
    let links = app.store.plan_task_links(plan.id).await?;
    let mut ledgers: Vec<String> = Vec::new();
    // chapter → [tasks, done, partial, not done, not reported or waiting]
    let mut counts: Vec<(String, [usize; 5])> = Vec::new();
    let mut statuses: std::collections::HashMap<(String, u32), Option<Status>> =
        std::collections::HashMap::new();
    for link in links.iter().filter(|l| l.year <= year) {
        if !ledgers.contains(&link.ledger) {
            let sheet = app
                .store
                .sheet(&link.ledger, None, &duban_store::TaskFilter::default())
                .await?;
            for task in sheet.tasks {
                statuses.insert((link.ledger.clone(), task.seq), task.status);
            }
            ledgers.push(link.ledger.clone());
        }
        let chapter = chapter_of(&link.headings);
        let slot = match counts.iter().position(|(c, _)| *c == chapter) {
            Some(i) => i,
            None => {
                counts.push((chapter, [0; 5]));
                counts.len() - 1
            }
        };
        let column = match statuses
            .get(&(link.ledger.clone(), link.seq))
            .copied()
            .flatten()
        {
            Some(Status::Done) => 1,
            Some(Status::Partial) => 2,
            Some(Status::NotDone) => 3,
            _ => 4,
        };
        counts[slot].1[0] += 1;
        counts[slot].1[column] += 1;
    }
    let rate = |c: &[usize; 5]| {
        if c[0] == 0 {
            "——".to_owned()
        } else {
            format!("{:.1}%", c[1] as f64 * 100.0 / c[0] as f64)
        }
    };
    let mut total = [0usize; 5];
    let mut rows: Vec<Vec<String>> = counts
        .iter()
        .map(|(chapter, c)| {
            for (t, n) in total.iter_mut().zip(c) {
                *t += n;
            }
            let mut row = vec![chapter.clone()];
            row.extend(c.iter().map(usize::to_string));
            row.push(rate(c));
            row
        })
        .collect();
    if !rows.is_empty() {
        let mut row = vec!["合计".to_owned()];
        row.extend(total.iter().map(usize::to_string));
        row.push(rate(&total));
        rows.push(row);
    }
    Ok(duban_notice::PrintTable {
        title: format!("{}重点任务推进情况（按章节）", m.plan),
        subtitle: Some(if ledgers.is_empty() {
            "尚无台账任务关联到本规划的章节（用“关联文件”把台账任务关联到规划）".to_owned()
        } else {
            format!(
                "统计台账：{}；各任务取其台账最近一期的评定",
                ledgers.join("、")
            )
        }),
        sheet: "任务按章节".to_owned(),
        headers: [
            "章节",
            "关联任务",
            "完成",
            "部分完成",
            "未完成",
            "未报送或待评定",
            "完成率",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        centered: vec![false, true, true, true, true, true, true],
        fixed: vec![false, true, true, true, true, true, true],
    })
}

/// The n-th number of a value (a number, or one per series).
fn nth(value: &Value, n: usize) -> Option<f64> {
    match value {
        Value::Array(items) => items.get(n).and_then(Value::as_f64),
        other if n == 0 => other.as_f64(),
        _ => None,
    }
}

/// A judgement's code in words (无数据 for none).
pub fn judgement_word(code: Option<&String>) -> &'static str {
    code.and_then(|c| c.parse::<Judgement>().ok())
        .unwrap_or(Judgement::NoData)
        .label_zh()
}

/// A value as printed: numbers of two series joined by " / ", none as ——.
fn shown_value(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "——".to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" / "),
        Some(v) => v.to_string(),
    }
}

/// A chart of an indicator's path against its actuals up to `year`, with its caption.
fn figure(
    full: &MonitoredIndicator,
    m: &Monitoring,
    year: i32,
) -> Result<duban_notice::Figure, Error> {
    use duban_notice::{ChartLine, LineChart, LineKind};
    let series = full.series.len().max(1);
    let bound = matches!(full.rule.as_str(), "ceiling" | "floor");
    // Only a level's path starts from the baseline; a yearly rate's 2020 value is a fact of
    // that year, drawn with the actuals, not the first step of the path.
    let from_baseline = matches!(full.rule.as_str(), "linear" | "compound");
    let mut lines = Vec::new();
    for s in 0..series {
        let mut expected: Vec<(i32, f64)> = full
            .baseline
            .as_ref()
            .filter(|_| from_baseline)
            .and_then(|b| nth(&b.value, s).map(|v| (b.year, v)))
            .into_iter()
            .collect();
        expected.extend(
            full.expected
                .iter()
                .filter_map(|(y, v)| Some((y.parse().ok()?, nth(v, s)?))),
        );
        lines.push(ChartLine {
            kind: if bound {
                LineKind::Limit
            } else {
                LineKind::Expected
            },
            points: expected,
        });
        let mut actual: Vec<(i32, f64)> = full
            .baseline
            .as_ref()
            .filter(|_| full.rule != "cumulative")
            .and_then(|b| nth(&b.value, s).map(|v| (b.year, v)))
            .into_iter()
            .collect();
        let mut running = 0.0;
        for (y, v) in &full.actual {
            let (Ok(y), Some(v)) = (y.parse::<i32>(), nth(v, s)) else {
                continue;
            };
            if y > year {
                continue;
            }
            // A cumulative indicator is drawn, like its path, as the running sum.
            running += v;
            actual.push((
                y,
                if full.rule == "cumulative" {
                    running
                } else {
                    v
                },
            ));
        }
        lines.push(ChartLine {
            kind: LineKind::Actual,
            points: actual,
        });
    }
    let chart = LineChart {
        from: m.base_year,
        to: m.target_year,
        lines,
    };
    let (width, height) = (560, 260);
    let png = chart
        .png(width, height)
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let key = year.to_string();
    let name = if full.uom.is_empty() {
        full.name.clone()
    } else {
        format!("{}（{}）", full.name, full.uom)
    };
    let actuals: Vec<String> = full
        .actual
        .iter()
        .filter(|(y, _)| y.parse::<i32>().is_ok_and(|y| y <= year))
        .map(|(y, v)| format!("{y} 年 {}", shown_value(Some(v))))
        .collect();
    let word = judgement_word(full.judgement.get(&key));
    let mut caption = format!(
        "图{} {name}，{}，{}：",
        full.no,
        if full.attribute == "binding" {
            "约束性"
        } else {
            "预期性"
        },
        full.rule_zh
    );
    if let Some(b) = &full.baseline {
        caption.push_str(&format!(
            "{} 年基期 {}；",
            b.year,
            shown_value(Some(&b.value))
        ));
    }
    if let Some(t) = &full.target {
        caption.push_str(&format!(
            "{} 年目标 {}；",
            t.year,
            shown_value(Some(&t.value))
        ));
    }
    caption.push_str(&format!(
        "{year} 年序时预期 {}；实际 {}；{year} 年{word}",
        shown_value(full.expected.get(&key)),
        if actuals.is_empty() {
            "暂无".to_owned()
        } else {
            actuals.join("、")
        }
    ));
    if let Some(note) = full.notes.get(&key) {
        caption.push_str(&format!("（{note}）"));
    }
    caption.push_str(if bound {
        "。红色虚线为约束性界限，蓝色为实际值"
    } else {
        "。灰色虚线为序时路径，蓝色为实际值"
    });
    if full.series.len() > 1 {
        caption.push_str(&format!("（{} 各一条）", full.series.join("、")));
    }
    Ok(duban_notice::Figure {
        caption,
        png,
        width,
        height,
    })
}

/// The evaluation report of a plan for a year (中期评估): the indicator table, the tasks linked
/// to the plan counted by chapter, the project library's progress, and a chart of each
/// indicator's path against its actuals.
pub async fn evaluation_report(
    app: &App,
    key: &str,
    year: i32,
) -> Result<duban_notice::PrintReport, Error> {
    let plan = find_plan(app, key).await?;
    let id = plan.id.0.to_string();
    let until = monitoring(app, &id, Some(year)).await?;
    evaluation_year(&until, year)?;
    // The whole path for the charts; the table stops at the evaluation year.
    let full = monitoring(app, &id, None).await?;
    let mut tables = vec![evaluation_table(&until, year)];
    tables.push(chapter_table(app, &plan, &until, year).await?);
    if !app.store.project_library(plan.id).await?.is_empty() {
        let quarter = crate::plan_reports::evaluation_quarter(year, duban_core::beijing::today());
        tables.push(crate::plan_reports::project_notice(app, &id, &quarter).await?);
    }
    let mut figures = Vec::with_capacity(full.indicators.len());
    for indicator in &full.indicators {
        figures.push(figure(indicator, &full, year)?);
    }
    Ok(duban_notice::PrintReport {
        title: format!("{}{}年评估报告", until.plan, year),
        tables,
        figures_title: "主要指标走势图".to_owned(),
        figures,
    })
}

/// The evaluation report as a file: xlsx (the default) or docx.
pub async fn evaluation_file(
    app: &App,
    key: &str,
    year: i32,
    format: Option<&str>,
) -> Result<crate::export::TableFile, Error> {
    let report = evaluation_report(app, key, year).await?;
    let format = crate::export::format_of(format)?;
    let bytes = duban_notice::render_report(&report, format)
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok(crate::export::TableFile {
        format,
        filename: format!("{}.{}", report.title, format.extension()),
        bytes,
    })
}
