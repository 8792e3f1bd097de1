//! `duban inspect`, `duban rectify`, `duban score`: inspections and their findings, the units'
//! rectification items, and the units' scores for a ledger's year.

use anyhow::Result;
use duban_store::{Actor, FindingFilter};

use super::*;
use crate::output::*;
use crate::{InspectArgs, UserError};

pub(super) async fn inspect_add(cli: &Cli, args: &InspectArgs) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let request = duban_app::inspections::InspectionRequest {
        ledger: args.ledger.clone(),
        kind: args.kind.clone(),
        date: args.date.clone(),
        team: args.team.clone().unwrap_or_default(),
        note: String::new(),
        findings: vec![duban_app::inspections::FindingRequest {
            seq: args.task,
            unit: args.unit.clone(),
            text: args.finding.clone(),
            severity: args.severity.clone(),
            days: args.days,
            lowers: args.lowers.clone(),
        }],
        inspection: None,
    };
    let recorded = duban_app::inspections::record(&app, &Actor::system(), &request).await;
    app.store.close().await;
    let (inspection, ids) = recorded?;
    let id = ids.first().copied().unwrap_or_default();
    out!("{id}");
    eprintln!(
        "已记录{}（{}）发现的问题 #{id}：{}，序号 {}",
        inspection.kind.label_zh(),
        inspection.day,
        args.unit,
        args.task
    );
    Ok(())
}

pub(super) async fn inspect_notice(cli: &Cli, id: i64, output: &std::path::Path) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let table = duban_app::inspections::notice_table(&app, id).await;
    app.store.close().await;
    let file = duban_app::export::table_file(&table?, Some(table_extension(output)?))?;
    write_whole(output, &file.bytes)?;
    eprintln!("已生成 {}：{}", output.display(), file.filename);
    Ok(())
}

pub(super) async fn rectify_list(cli: &Cli, ledger: &str, json: bool) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let listed = async {
        let id = app.store.ledger(ledger).await?.id.0;
        app.store
            .findings(&FindingFilter {
                ledger: Some(id),
                ..FindingFilter::default()
            })
            .await
    }
    .await;
    app.store.close().await;
    let today = duban_core::beijing::today();
    #[derive(serde::Serialize)]
    struct Row {
        #[serde(flatten)]
        finding: duban_store::Finding,
        rectified: duban_core::assessment::Rectified,
        rectified_zh: &'static str,
    }
    let rows: Vec<Row> = listed?
        .into_iter()
        .map(|finding| {
            let rectified = duban_app::inspections::rectified(&finding, today);
            Row {
                rectified,
                rectified_zh: rectified.label_zh(),
                finding,
            }
        })
        .collect();
    listing(
        json,
        &rows,
        "这本台账还没有督查发现的问题",
        || {
            rows.iter()
                .map(|r| {
                    let f = &r.finding;
                    format!(
                        "#{} {} 序号 {} {}【{}】{}（整改时限 {}，{}，{}）",
                        f.id,
                        f.day,
                        f.seq,
                        f.unit,
                        f.severity.label_zh(),
                        f.text,
                        f.due,
                        f.state_zh(),
                        r.rectified_zh
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    )
}

pub(super) async fn rectify_close(cli: &Cli, id: i64, reason: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(UserError("销号须写明依据（--reason）".to_owned()).into());
    }
    let store = open(cli).await?;
    let closed = store.close_finding(&Actor::system(), id, reason).await;
    store.close().await;
    let finding = closed?;
    out!(
        "问题 #{} 已销号（{}，序号 {}）",
        finding.id,
        finding.unit,
        finding.seq
    );
    Ok(())
}

pub(super) async fn score(
    cli: &Cli,
    ledger: &str,
    year: Option<i32>,
    scheme: Option<&std::path::Path>,
    output: Option<&std::path::Path>,
    json: bool,
) -> Result<()> {
    let scheme = match scheme {
        Some(path) => {
            let text = duban_office::read_text(path)?.text;
            Some(
                duban_core::assessment::Scheme::from_json(&text)
                    .map_err(|e| UserError(format!("{}：{e}", path.display())))?,
            )
        }
        None => None,
    };
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let scored = async {
        let ledger_year = app.store.ledger(ledger).await?.year;
        if let Some(year) = year
            && year != ledger_year
        {
            return Err(anyhow::Error::from(UserError(format!(
                "台账“{ledger}”是 {ledger_year} 年的，不是 {year} 年的"
            ))));
        }
        Ok(
            duban_app::assessment::scores(&app, ledger, scheme, duban_core::beijing::today())
                .await?,
        )
    }
    .await;
    app.store.close().await;
    let scores = scored?;
    if let Some(path) = output {
        let table = duban_app::assessment::table(&scores);
        let file = duban_app::export::table_file(&table, Some(table_extension(path)?))?;
        write_whole(path, &file.bytes)?;
        eprintln!("已生成 {}：{} 个单位", path.display(), scores.units.len());
        return Ok(());
    }
    if json {
        return print_json(&scores.units);
    }
    for unit in &scores.units {
        out!(
            "{} 第 {} 名 {} {:.2} 分",
            unit.kind.label_zh(),
            unit.rank,
            unit.unit,
            unit.total
        );
        for part in unit.parts.iter().filter(|p| p.points < p.max) {
            out!("    {}：{}（{:+.2}）", part.item, part.reason, part.points);
        }
    }
    Ok(())
}
