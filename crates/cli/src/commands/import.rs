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
    if !args.dry_run && !args.json && streams(&args.file)? {
        return import_streamed(cli, args, period).await;
    }
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
    name_and_period(&mut sheet, args, period, &origin)?;
    sheet
        .validate()
        .map_err(|e| UserError(format!("{origin}：{e}")))?;
    let options = save_options(args)?;
    if args.dry_run {
        if args.json {
            return print_json(&sheet);
        }
        out!(
            "{}（未写入数据库）",
            render::import_summary(&sheet, &render::ImportTally::of(&sheet), None)
        );
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
    out!(
        "{}",
        render::import_summary(&sheet, &render::ImportTally::of(&sheet), Some(&report))
    );
    if !warnings.is_empty() {
        out!("警告 {} 条（见上方）", warnings.len());
    }
    Ok(())
}

/// `--ledger` names the sheet; `--period` gives it a period, which must agree with the one the
/// file states.
fn name_and_period(
    sheet: &mut duban_core::LedgerSheet,
    args: &ImportArgs,
    period: Option<duban_core::Period>,
    origin: &str,
) -> Result<()> {
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
    Ok(())
}

fn save_options(args: &ImportArgs) -> Result<SaveOptions> {
    Ok(SaveOptions {
        cadence: args
            .cadence
            .as_deref()
            .map(str::parse::<Cadence>)
            .transpose()?,
        deadline: args
            .deadline_days
            .map(|working_days| DeadlineRule { working_days }),
    })
}

/// Whether a file is a ledger JSON to read task by task: named .json, opening with `{`, and
/// UTF-8 as far as its first 64 KiB show (a JSON in GB18030, which the text reader decodes, is
/// read whole instead).
fn streams(path: &std::path::Path) -> Result<bool> {
    let named_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !named_json {
        return Ok(false);
    }
    let Ok(file) = std::fs::File::open(path) else {
        // The reader says what is wrong with the file, in its words.
        return Ok(false);
    };
    let mut start = Vec::with_capacity(64 * 1024);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, 64 * 1024), &mut start)?;
    let text = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&start);
    let utf8 = match std::str::from_utf8(text) {
        Ok(_) => true,
        // A character cut by the 64 KiB limit is not an error.
        Err(e) => e.error_len().is_none(),
    };
    Ok(utf8 && text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'))
}

/// `duban import` of a ledger JSON read and written task by task: the file is parsed on a
/// blocking thread and handed over in batches, so memory holds a batch however large the file.
async fn import_streamed(
    cli: &Cli,
    args: &ImportArgs,
    period: Option<duban_core::Period>,
) -> Result<()> {
    use duban_app::imports::Batch;
    use duban_extract::SheetPart;

    let origin = args.file.display().to_string();
    let file = std::fs::File::open(&args.file)
        .map_err(|e| UserError(format!("{origin}：无法打开（{e}）")))?;
    let (heads, mut head_rx) = tokio::sync::mpsc::channel::<duban_core::LedgerSheet>(1);
    let (batches, mut batch_rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let reader_origin = origin.clone();
    // Set when the reader stops because the writer did: the writer's error is then the one to
    // report.
    let writer_stopped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped_flag = writer_stopped.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut tally = render::ImportTally::default();
        let mut rows = Vec::with_capacity(duban_store::BATCH);
        let stopped = || {
            stopped_flag.store(true, std::sync::atomic::Ordering::Relaxed);
            "写入已停止".to_owned()
        };
        let mut bom = std::io::BufReader::with_capacity(1 << 20, file);
        skip_bom(&mut bom)?;
        duban_extract::stream_ledger_json(bom, &reader_origin, &mut |part| match part {
            SheetPart::Head(head) => heads.blocking_send(head).map_err(|_| stopped()),
            SheetPart::Task(task) => {
                tally.add(&task);
                rows.push(task);
                if rows.len() == duban_store::BATCH {
                    let full = std::mem::replace(&mut rows, Vec::with_capacity(duban_store::BATCH));
                    batches
                        .blocking_send(Batch::Rows(full))
                        .map_err(|_| stopped())?;
                }
                Ok(())
            }
        })?;
        if !rows.is_empty() {
            // The writer may have stopped on an error of its own, which it reports.
            let _ = batches.blocking_send(Batch::Rows(rows));
        }
        let _ = batches.blocking_send(Batch::End);
        anyhow::Ok(tally)
    });
    let Some(mut head) = head_rx.recv().await else {
        // The file ended or failed before its head: the reader's error says which.
        reader.await??;
        return Err(UserError(format!("{origin}：没有台账内容")).into());
    };
    name_and_period(&mut head, args, period, &origin)?;
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let bar = indicatif::ProgressBar::new_spinner();
    let saved = duban_app::imports::save_streamed(
        &app,
        &duban_store::Actor::system(),
        &head,
        &mut batch_rx,
        save_options(args)?,
        &mut |done| bar.set_position(done as u64),
    )
    .await;
    // A failed file is reported as the reader saw it (line and column), before what the writer
    // made of the interruption.
    drop(batch_rx);
    let read = reader.await?;
    let failed = |e: anyhow::Error| e.context(format!("导入 {origin} 失败，数据库未作任何改动"));
    let (report, tally) = match (saved, read) {
        (Ok((report, _)), Ok(tally)) => (report, tally),
        (Err(e), _) if writer_stopped.load(std::sync::atomic::Ordering::Relaxed) => {
            return Err(failed(e.into()));
        }
        (_, Err(e)) => return Err(failed(e)),
        (Err(e), Ok(_)) => return Err(failed(e.into())),
    };
    bar.finish_and_clear();
    app.store.close().await;
    out!("{}", render::import_summary(&head, &tally, Some(&report)));
    Ok(())
}

/// Skips a UTF-8 byte order mark at the start of a file.
fn skip_bom(reader: &mut impl std::io::BufRead) -> std::io::Result<()> {
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(())
}
