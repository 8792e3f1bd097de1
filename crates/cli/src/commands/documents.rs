//! Commands on documents: importing reports and plans, listing them, proposing tasks from a
//! report's year part, and linking a ledger's tasks to the passages they came from.

use anyhow::{Context, Result};
use duban_app::documents::LinkRow;
use duban_core::DocumentKind;
use duban_extract::{detect_document, read_document};

use super::open;
use crate::output::out;
use crate::output::{listing, print_json};
use crate::{Cli, ImportArgs, LinkArgs, UserError, render};

/// Spreadsheets and ledger JSON are always tables.
const TABLE_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "json"];

/// The document to import, read once: the kind from `--as`, or detected in a text file, with
/// the decoded text. `None` for a table.
pub fn document_to_import(args: &ImportArgs) -> Result<Option<(DocumentKind, String)>> {
    let forced = match &args.as_kind {
        Some(word) => {
            let kind = match word.trim() {
                "报告" | "工作报告" => DocumentKind::Report,
                "规划" => DocumentKind::Plan,
                other => other.parse::<DocumentKind>()?,
            };
            if kind == DocumentKind::Notice {
                return Err(UserError(format!(
                    "--as {word}：只能是 report（政府工作报告）或 plan（规划纲要）"
                ))
                .into());
            }
            Some(kind)
        }
        None => None,
    };
    let extension = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if forced.is_none() && TABLE_EXTENSIONS.contains(&extension.as_str()) {
        return Ok(None);
    }
    let bytes = duban_office::read_bytes(&args.file)?;
    let name = args.file.to_string_lossy();
    if forced.is_none() && duban_import::is_spreadsheet(&name, &bytes) {
        return Ok(None);
    }
    // Word, PDF and web pages give their text here; a text file is decoded as it is.
    let text = duban_import::read_document_text(&bytes, &name, &args.file.display().to_string())?;
    Ok(forced
        .or_else(|| detect_document(&text))
        .map(|kind| (kind, text)))
}

pub async fn import(cli: &Cli, args: &ImportArgs, kind: DocumentKind, text: &str) -> Result<()> {
    let origin = args.file.display().to_string();
    let read = read_document(text, kind, &origin)?;
    for warning in &read.warnings {
        eprintln!("duban: 警告：{origin} {warning}");
    }
    if args.strict && !read.warnings.is_empty() {
        return Err(UserError(format!(
            "{origin} 有 {} 条警告（--strict），未导入：{}",
            read.warnings.len(),
            read.warnings[0]
        ))
        .into());
    }
    if args.dry_run {
        if args.json {
            return print_json(&read);
        }
        out!("{}（未写入数据库）", render::document_summary(&read, None));
        return Ok(());
    }
    let app = duban_app::App::new(open(cli).await?, super::load_calendar(cli)?);
    let saved = duban_app::documents::save(&app, &duban_store::Actor::system(), &read, &origin)
        .await
        .with_context(|| format!("导入 {origin} 失败，数据库未作任何改动"))?;
    app.store.close().await;
    if args.json {
        return print_json(&read);
    }
    out!("{}", render::document_summary(&read, Some(saved)));
    Ok(())
}

pub async fn list(cli: &Cli, json: bool) -> Result<()> {
    let store = open(cli).await?;
    let documents = store.documents().await?;
    store.close().await;
    let rows: Vec<duban_app::listings::DocumentListing> =
        documents.iter().map(Into::into).collect();
    listing(
        json,
        &rows,
        "还没有导入文件：duban import 报告.txt --as report",
        || render::documents(&documents),
    )
}

pub async fn propose(cli: &Cli, document: &str, json: bool) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, super::load_calendar(cli)?);
    let duban_app::documents::Proposals {
        document: doc,
        read,
        commitments: found,
        ..
    } = duban_app::documents::proposals(&app, document).await?;
    app.store.close().await;
    let label = duban_store::document_label(&doc);
    let sheet = duban_app::documents::proposed_sheet(&doc, &read, &found);
    if json {
        return print_json(&sheet);
    }
    out!("{}", render::proposals(&sheet));
    out!(
        "{} 的“{}”部分共有 {} 句承诺：用 --json 得到台账 JSON，修改后以 duban import 导入",
        label,
        read.year_part().unwrap_or_default(),
        sheet.tasks.len()
    );
    Ok(())
}

pub async fn link(cli: &Cli, args: &LinkArgs) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, super::load_calendar(cli)?);
    let linked = duban_app::documents::link(&app, &args.ledger, &args.document)
        .await
        .map_err(|e| match e {
            duban_app::Error::Internal(_) => {
                anyhow::anyhow!("{e}").context("保存关联失败，数据库未作任何改动")
            }
            other => UserError(other.to_string()).into(),
        })?;
    app.store.close().await;
    let rows = linked.rows;
    if args.json {
        return print_json(&rows);
    }
    out!("{}", render::links(&rows));
    let unlinked: Vec<&LinkRow> = rows.iter().filter(|r| r.passage.is_none()).collect();
    out!(
        "台账“{}”{} 项任务，{} 项在 {} 中找到出处",
        args.ledger,
        rows.len(),
        rows.len() - unlinked.len(),
        linked.document
    );
    if !unlinked.is_empty() {
        out!("未能关联 {} 项：", unlinked.len());
        for row in unlinked {
            out!("  {}. {}", row.seq, row.goal);
        }
    }
    Ok(())
}
