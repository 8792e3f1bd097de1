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
fn checked(
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
    let shown = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "——".to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" / "),
        Some(v) => v.to_string(),
    };
    let key = year.to_string();
    let mut indicators: Vec<&MonitoredIndicator> = m.indicators.iter().collect();
    indicators.sort_by_key(|i| (i.attribute != "binding", i.no));
    let word = |code: Option<&String>| match code.map(String::as_str) {
        Some("on_track") => "达到序时进度",
        Some("behind") => "滞后",
        Some("missed") => "未达到",
        _ => "无数据",
    };
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
