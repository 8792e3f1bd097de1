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
    let listed = async {
        let plan = duban_app::plans::find_plan(&app, plan).await?;
        Ok::<_, duban_app::Error>(app.store.projects(plan.id).await?)
    }
    .await;
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
                lines.push(format!("    {}", p.name));
            }
            lines.join("\n")
        },
    )
}
