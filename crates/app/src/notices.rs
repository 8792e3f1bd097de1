//! Notices (通报): built from a ledger's period, published (which locks the period), and rendered
//! as files. A published notice is rebuilt from the ledger as it was frozen, dated the day it was
//! published.

use duban_core::LedgerSheet;
use duban_notice::{Format, Notice, NoticeOptions};
use duban_store::{Account, PublishedNotice, TaskFilter};
use tracing::Instrument;

use crate::{App, Error, parse_period};

/// The notice of a ledger for a period, as it would be published today.
pub async fn build(app: &App, ledger: &str, period: &str) -> Result<(LedgerSheet, Notice), Error> {
    let period = parse_period(period)?;
    let sheet = app
        .store
        .sheet(ledger, Some(period), &TaskFilter::default())
        .await?;
    let notice = Notice::build(&sheet, &NoticeOptions::new(duban_core::beijing::today()))
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok((sheet, notice))
}

/// Publishes the notice of a ledger's period and locks the period.
pub async fn publish(
    app: &App,
    account: &Account,
    ledger: &str,
    period: &str,
) -> Result<PublishedNotice, Error> {
    let span = tracing::info_span!("publish_notice", ledger, period);
    async {
        let (sheet, notice) = build(app, ledger, period).await?;
        let published = app
            .store
            .publish_notice(account, &sheet, &notice.title)
            .await?;
        tracing::info!(id = published.id, tasks = sheet.tasks.len(), "通报已发布");
        Ok(published)
    }
    .instrument(span)
    .await
}

/// Unlocks a published period (to correct it), with the reason in the audit log.
pub async fn unlock(
    app: &App,
    account: &Account,
    ledger: &str,
    period: &str,
    reason: &str,
) -> Result<(), Error> {
    let ledger = app.store.ledger(ledger).await?;
    app.store
        .unlock_period(account, ledger.id.0, parse_period(period)?, reason)
        .await?;
    Ok(())
}

/// A published notice as a file.
#[derive(Debug, Clone)]
pub struct NoticeFile {
    pub bytes: Vec<u8>,
    pub format: Format,
    /// The notice's title with the format's extension: the name people save it under.
    pub filename: String,
}

impl NoticeFile {
    pub fn mime(&self) -> &'static str {
        match self.format {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
        }
    }
}

/// Renders a published notice (open to everyone, the public included); xlsx unless asked.
pub async fn file(app: &App, id: i64, format: Option<&str>) -> Result<NoticeFile, Error> {
    let format: Format = format
        .unwrap_or("xlsx")
        .parse()
        .map_err(|e: duban_notice::NoticeError| Error::BadRequest(e.to_string()))?;
    let span = tracing::info_span!("notice_file", id, format = %format.extension());
    async {
        let (published, sheet) = app.store.published_notice(id).await?;
        let date = duban_core::beijing::beijing_time(&published.published_at)
            .map_or_else(duban_core::beijing::today, |t| t.date());
        let notice = Notice::build(&sheet, &NoticeOptions::new(date)).map_err(Error::internal)?;
        let bytes = duban_notice::render(&notice, format).map_err(Error::internal)?;
        Ok(NoticeFile {
            bytes,
            format,
            filename: format!("{}.{}", published.title, format.extension()),
        })
    }
    .instrument(span)
    .await
}
