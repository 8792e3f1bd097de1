//! The plan monitoring page (规划监测): every main indicator with a small chart of its path
//! against its actuals, drawn on the server as SVG (no script), and the office's form to record
//! a year's value.

use askama::Template;
use duban_app::plans::{MonitoredIndicator, Monitoring};

use super::*;

/// One indicator as shown.
#[derive(Debug, Clone)]
pub struct MonitoredRow {
    pub indicator: MonitoredIndicator,
    /// The chart (SVG markup, built from numbers only).
    pub chart: String,
    /// Per year: (year, expected, actual, judgement code, judgement words, note).
    pub years: Vec<(String, String, String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub layout: Layout,
    pub plan_id: i64,
    pub plan: String,
    pub base_year: i32,
    pub target_year: i32,
    pub rows: Vec<MonitoredRow>,
    pub is_office: bool,
    pub counts: Vec<(String, String, usize)>,
    pub year: i32,
    pub message: Option<String>,
}

fn numbers(value: &serde_json::Value) -> Vec<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64().into_iter().collect(),
        serde_json::Value::Array(items) => {
            items.iter().filter_map(serde_json::Value::as_f64).collect()
        }
        _ => Vec::new(),
    }
}

/// A 240×80 chart: the expected path (dashed, first series) and the actuals (dots coloured by
/// the year's judgement); the baseline as the first point when known.
pub fn chart(i: &MonitoredIndicator, base: i32, target: i32) -> String {
    let mut expected: Vec<(i32, f64)> = Vec::new();
    if let Some(b) = &i.baseline
        && let Some(v) = numbers(&b.value).first()
    {
        expected.push((b.year, *v));
    }
    for (year, value) in &i.expected {
        if let (Ok(y), Some(v)) = (year.parse::<i32>(), numbers(value).first()) {
            expected.push((y, *v));
        }
    }
    let actual: Vec<(i32, f64, String)> = i
        .actual
        .iter()
        .filter_map(|(year, value)| {
            let y = year.parse::<i32>().ok()?;
            let v = *numbers(value).first()?;
            Some((y, v, i.judgement.get(year).cloned().unwrap_or_default()))
        })
        .collect();
    let all: Vec<f64> = expected
        .iter()
        .map(|(_, v)| *v)
        .chain(actual.iter().map(|(_, v, _)| *v))
        .filter(|v| v.is_finite())
        .collect();
    if all.is_empty() {
        return String::new();
    }
    let (lo, hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let (lo, hi) = if (hi - lo).abs() < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        let pad = (hi - lo) * 0.15;
        (lo - pad, hi + pad)
    };
    let (w, h, left, right, top, bottom) = (240.0, 80.0, 8.0, 8.0, 8.0, 16.0);
    let x = |year: i32| {
        left + (w - left - right) * f64::from(year - base) / f64::from((target - base).max(1))
    };
    let y = |v: f64| top + (h - top - bottom) * (hi - v) / (hi - lo);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" class=\"path-chart\"><title>{}：序时路径与实际值</title>",
        // The one text from a document: escaped, since the chart is inserted as markup.
        i.name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    );
    for year in base..=target {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#666\">{}</text>",
            x(year),
            h - 3.0,
            year % 100
        ));
    }
    if expected.len() > 1 {
        let points: Vec<String> = expected
            .iter()
            .map(|(yr, v)| format!("{:.1},{:.1}", x(*yr), y(*v)))
            .collect();
        svg.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            points.join(" ")
        ));
    } else if let Some((yr, v)) = expected.first() {
        svg.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"none\" stroke=\"#1f6fb2\"/>",
            x(*yr),
            y(*v)
        ));
    }
    for (yr, v, judgement) in &actual {
        let colour = match judgement.as_str() {
            "on_track" => "#2e7d32",
            "behind" => "#e0a800",
            "missed" => "#c62828",
            _ => "#555",
        };
        svg.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{colour}\"/>",
            x(*yr),
            y(*v)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The page's rows and the counts of the chosen year's judgements.
pub fn plan_rows(m: &Monitoring, year: i32) -> (Vec<MonitoredRow>, Vec<(String, String, usize)>) {
    let words = |code: &str| match code {
        "on_track" => "达到序时进度",
        "behind" => "滞后",
        "missed" => "未达到",
        _ => "无数据",
    };
    let mut counts: Vec<(String, String, usize)> = ["on_track", "behind", "missed", "no_data"]
        .iter()
        .map(|c| ((*c).to_owned(), words(c).to_owned(), 0))
        .collect();
    let shown = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "——".to_owned(),
        Some(v) => numbers(v)
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" / "),
    };
    let rows = m
        .indicators
        .iter()
        .map(|i| {
            if let Some(code) = i.judgement.get(&year.to_string())
                && let Some(c) = counts.iter_mut().find(|c| &c.0 == code)
            {
                c.2 += 1;
            }
            MonitoredRow {
                chart: chart(i, m.base_year, m.target_year),
                years: i
                    .judgement
                    .iter()
                    .map(|(y, code)| {
                        (
                            y.clone(),
                            shown(i.expected.get(y)),
                            shown(i.actual.get(y)),
                            code.clone(),
                            words(code).to_owned(),
                            i.notes.get(y).cloned().unwrap_or_default(),
                        )
                    })
                    .collect(),
                indicator: i.clone(),
            }
        })
        .collect();
    (rows, counts)
}

/// A plan report in a page, with what the viewer may do with it now.
#[derive(Debug)]
pub struct PlanReportLine {
    pub report: duban_app::plan_reports::PlanReportView,
    /// The value as typed (78.6,86.3), for the form.
    pub value_text: String,
    pub actions: Vec<(String, String)>,
}

/// An indicator or a project a unit reports on, in a page.
#[derive(Debug)]
pub struct PlanItemView {
    pub plan_id: i64,
    pub plan: String,
    pub subject: String,
    pub name: String,
    pub detail: String,
    pub unit: String,
    pub reports: Vec<PlanReportLine>,
    /// The period a new report would most likely be for (last year, or last month).
    pub next_period: String,
}

#[derive(Template)]
#[template(path = "my_plan.html")]
pub struct MyPlanPage {
    pub layout: Layout,
    pub items: Vec<PlanItemView>,
    pub can_draft: bool,
    pub stages: Vec<(String, String)>,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_projects.html")]
pub struct PlanProjectsPage {
    pub layout: Layout,
    pub plan_id: i64,
    pub plan: String,
    pub is_office: bool,
    pub projects: Vec<duban_app::plan_reports::LibraryProject>,
    /// Reports waiting for the office (submitted), indicators' and projects'.
    pub waiting: Vec<PlanItemView>,
    /// Every reported item with its unit, for the office's view of who reports what.
    pub assigned: Vec<(String, String, String)>,
    pub indicators: Vec<String>,
    pub units: Vec<String>,
    pub stages: Vec<(String, String)>,
    pub quarter: String,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "indicator.html")]
pub struct IndicatorPage {
    pub layout: Layout,
    pub plan_id: i64,
    pub plan: String,
    pub row: MonitoredRow,
    /// The data-source unit (数据来源单位), once named.
    pub unit: Option<String>,
    /// Quarters: (period, expected, actual, judgement code, words).
    pub quarters: Vec<(String, String, String, String, String)>,
    pub reports: Vec<PlanReportLine>,
}
