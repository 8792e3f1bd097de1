//! `duban notice`: the notice table of a period as xlsx, docx, html or Markdown.

use anyhow::Result;
use duban_store::TaskFilter;

use super::*;
use crate::output::*;
use crate::{Cli, NoticeArgs, UserError};

pub(super) async fn notice(cli: &Cli, args: &NoticeArgs) -> Result<()> {
    use duban_notice::{Format, Notice, NoticeOptions};

    let period = args.period.as_deref().map(parse_period).transpose()?;
    let format = match (&args.format, &args.output) {
        (Some(f), _) => f.parse::<Format>()?,
        (None, Some(path)) => {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            ext.parse::<Format>().map_err(|_| {
                UserError(format!(
                    "无法从文件名 {} 判断通报格式：请用 --format xlsx|docx|html|md",
                    path.display()
                ))
            })?
        }
        (None, None) => Format::Markdown,
    };
    let date = match &args.date {
        Some(text) => parse_date(text)?,
        None => duban_core::beijing::today(),
    };
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let sheet = app
        .store
        .sheet(&args.ledger, period, &TaskFilter::default())
        .await?;
    let mut options = NoticeOptions::new(date);
    options.only_problems = args.only_problems;
    options.leader_header = args.leader_column.clone();
    if let Some(period) = sheet.period {
        options.marks =
            duban_app::notices::marks(&app, &args.ledger, period, date, args.evidence).await?;
    }
    app.store.close().await;
    let notice = Notice::build(&sheet, &options)?;
    let bytes = duban_notice::render(&notice, format)?;

    let path = match (&args.output, format) {
        (Some(path), _) => path.clone(),
        (None, Format::Markdown | Format::Html) => {
            return crate::output::bytes(&bytes);
        }
        (None, _) => std::path::PathBuf::from(format!("{}.{}", notice.title, format.extension())),
    };
    write_whole(&path, &bytes)?;
    let t = &notice.statistics.overall;
    eprintln!(
        "已生成 {}：{} 行，完成 {} 项，部分完成 {} 项，未完成 {} 项，未报送 {} 项，完成率 {}",
        path.display(),
        notice.rows.len(),
        t.done,
        t.partial,
        t.not_done,
        t.unreported,
        t.rate_text()
    );
    Ok(())
}
