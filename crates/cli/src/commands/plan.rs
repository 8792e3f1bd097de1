//! `duban plan`: the main indicators of a plan as monitored, and their yearly values.

use anyhow::Result;

use super::*;
use crate::output::*;

pub(super) async fn indicators(cli: &Cli, plan: &str, year: Option<i32>, json: bool) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let monitoring = duban_app::plans::monitoring(&app, plan, year).await;
    app.store.close().await;
    let monitoring = monitoring?;
    if json {
        return print_json(&monitoring.indicators);
    }
    out!(
        "{}（{}—{} 年）：主要指标 {} 项",
        monitoring.plan,
        monitoring.base_year,
        monitoring.target_year,
        monitoring.indicators.len()
    );
    for i in &monitoring.indicators {
        let shown = |v: &Option<duban_app::plans::YearValue>| {
            v.as_ref()
                .map(|v| format!("{} 年 {}", v.year, v.value))
                .unwrap_or_else(|| "——".to_owned())
        };
        out!(
            "（{}）{}（{}）{} · {} · 基期 {} · 目标 {}",
            i.no,
            i.name,
            i.uom,
            if i.attribute == "binding" {
                "约束性"
            } else {
                "预期性"
            },
            i.rule_zh,
            shown(&i.baseline),
            shown(&i.target)
        );
        for (year, judgement) in &i.judgement {
            if judgement == "no_data" && !i.expected.contains_key(year) {
                continue;
            }
            let word = match judgement.as_str() {
                "on_track" => "达到序时进度",
                "behind" => "滞后",
                "missed" => "未达到",
                _ => "无数据",
            };
            out!(
                "    {year}：序时 {} · 实际 {} · {word}{}",
                i.expected
                    .get(year)
                    .map_or("——".to_owned(), ToString::to_string),
                i.actual
                    .get(year)
                    .map_or("——".to_owned(), ToString::to_string),
                i.notes
                    .get(year)
                    .map(|n| format!("（{n}）"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

pub(super) async fn actual(
    cli: &Cli,
    plan: &str,
    indicator: &str,
    year: i32,
    value: &str,
    note: &str,
    assigned: bool,
) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let recorded = duban_app::plans::record(
        &app,
        &duban_store::Actor::system(),
        plan,
        indicator,
        year,
        value,
        note,
        assigned,
    )
    .await;
    app.store.close().await;
    recorded?;
    out!(
        "已记录 {indicator} {year} 年{}：{value}",
        if assigned { "下达值" } else { "实际值" }
    );
    Ok(())
}

pub(super) async fn import(cli: &Cli, plan: &str, file: &std::path::Path) -> Result<()> {
    let bytes = duban_office::read_bytes(file)?;
    let name = file.display().to_string();
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let imported =
        duban_app::plans::import_actuals(&app, &duban_store::Actor::system(), plan, &name, &bytes)
            .await;
    app.store.close().await;
    out!("已导入 {name}：{} 个指标年度数值", imported?);
    Ok(())
}

pub(super) async fn evaluate(
    cli: &Cli,
    plan: &str,
    year: i32,
    output: &std::path::Path,
) -> Result<()> {
    let extension = table_extension(output)?.to_owned();
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let file = duban_app::plans::evaluation_file(&app, plan, year, Some(&extension)).await;
    app.store.close().await;
    let file = file?;
    write_whole(output, &file.bytes)?;
    eprintln!("已生成 {}：{}", output.display(), file.filename);
    Ok(())
}

pub(super) async fn projects(cli: &Cli, plan: &str, json: bool) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let listed = duban_app::plan_reports::library(&app, plan).await;
    app.store.close().await;
    let projects = listed?;
    listing(
        json,
        &projects,
        "这份规划没有列出重点项目",
        || {
            let mut lines = Vec::new();
            let mut last: Option<(&str, Option<&str>)> = None;
            for p in &projects {
                let here = (p.box_name.as_str(), p.group.as_deref());
                if last != Some(here) {
                    lines.push(match p.group.as_deref() {
                        Some(group) => format!("{} · {group}", p.box_name),
                        None => p.box_name.clone(),
                    });
                    last = Some(here);
                }
                let mut facts = Vec::new();
                if let Some(unit) = &p.unit {
                    facts.push(unit.clone());
                }
                if let Some(stage) = &p.stage_zh {
                    facts.push(stage.clone());
                }
                if let Some(v) = p.planned_investment {
                    facts.push(format!("计划 {v} 万元"));
                }
                if let Some(v) = p.actual_investment {
                    facts.push(format!("完成 {v} 万元"));
                }
                if facts.is_empty() {
                    lines.push(format!("    {}", p.name));
                } else {
                    lines.push(format!("    {}（{}）", p.name, facts.join("，")));
                }
            }
            lines.join("\n")
        },
    )
}

pub(super) async fn assign(
    cli: &Cli,
    plan: &str,
    subject: duban_store::PlanSubject,
    items: &[String],
    unit: &str,
) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let assigned = duban_app::plan_reports::assign(
        &app,
        &duban_store::Actor::system(),
        plan,
        subject,
        items,
        unit,
    )
    .await;
    app.store.close().await;
    out!(
        "已指定 {unit} 为 {} 个{}的{}",
        assigned?,
        subject.label_zh(),
        subject.unit_role_zh()
    );
    Ok(())
}

pub(super) async fn project(
    cli: &Cli,
    plan: &str,
    project: &str,
    investment: Option<f64>,
    stage: Option<&str>,
) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let set = duban_app::plan_reports::set_project(
        &app,
        &duban_store::Actor::system(),
        plan,
        project,
        investment,
        stage,
    )
    .await;
    app.store.close().await;
    out!("已更新项目：{}", set?);
    Ok(())
}

pub(super) async fn project_notice(
    cli: &Cli,
    plan: &str,
    quarter: &str,
    output: &std::path::Path,
) -> Result<()> {
    let extension = table_extension(output)?.to_owned();
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let table = duban_app::plan_reports::project_notice(&app, plan, quarter).await;
    app.store.close().await;
    let file = duban_app::export::table_file(&table?, Some(&extension))?;
    write_whole(output, &file.bytes)?;
    eprintln!("已生成 {}：{}", output.display(), file.filename);
    Ok(())
}
