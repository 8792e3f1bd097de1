//! `duban import`: a table (or, through `documents`, a report or plan) into the ledger.

use anyhow::{Context, Result};
use duban_core::{Cadence, DeadlineRule};
use duban_store::SaveOptions;

use super::*;
use crate::output::*;
use crate::render;
use crate::{Cli, ImportArgs, UserError};

/// Tables with at least this many tasks get a progress bar while they are written.
const LONG_TABLE: usize = 500;

pub(super) async fn import(cli: &Cli, args: &ImportArgs) -> Result<()> {
    if let Some((kind, text)) = documents::document_to_import(args)? {
        return documents::import(cli, args, kind, &text).await;
    }
    let origin = args.file.display().to_string();
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let options = duban_extract::ReadOptions {
        ledger: args.ledger.clone(),
        period,
    };
    let duban_import::TableFile {
        mut sheet,
        warnings,
    } = duban_import::read_table(&args.file, &origin, &options)?;
    for warning in &warnings {
        eprintln!("duban: 警告：{origin} {warning}");
    }
    if args.strict && !warnings.is_empty() {
        return Err(UserError(format!(
            "{origin} 有 {} 条警告（--strict），未导入：{}",
            warnings.len(),
            warnings[0]
        ))
        .into());
    }
    if let Some(name) = &args.ledger {
        sheet.ledger = name.trim().to_owned();
    }
    if let Some(period) = period {
        if let Some(stated) = sheet.period.filter(|p| *p != period) {
            return Err(UserError(format!(
                "{origin} 写明的期间是 {stated}，与 --period {period} 不符"
            ))
            .into());
        }
        sheet.period = Some(period);
    }
    sheet
        .validate()
        .map_err(|e| UserError(format!("{origin}：{e}")))?;
    let options = SaveOptions {
        cadence: args
            .cadence
            .as_deref()
            .map(str::parse::<Cadence>)
            .transpose()?,
        deadline: args
            .deadline_days
            .map(|working_days| DeadlineRule { working_days }),
    };
    if args.dry_run {
        if args.json {
            return print_json(&sheet);
        }
        out!("{}（未写入数据库）", render::import_summary(&sheet, None));
        return Ok(());
    }
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    // A bar only where writing takes long enough to wonder; indicatif draws nothing when
    // stderr is not a terminal.
    let bar = indicatif::ProgressBar::new(sheet.tasks.len() as u64);
    if sheet.tasks.len() < LONG_TABLE {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let (report, _) = duban_app::imports::save(
        &app,
        &duban_store::Actor::system(),
        &sheet,
        options,
        &mut |done| bar.set_position(done as u64),
    )
    .await
    .with_context(|| format!("导入 {origin} 失败，数据库未作任何改动"))?;
    bar.finish_and_clear();
    app.store.close().await;
    if args.json {
        return print_json(&sheet);
    }
    out!("{}", render::import_summary(&sheet, Some(&report)));
    if !warnings.is_empty() {
        out!("警告 {} 条（见上方）", warnings.len());
    }
    Ok(())
}
