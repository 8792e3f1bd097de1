//! Importing a table: read from the bytes of an upload with the CLI's readers, saved with its
//! audit entry.

use duban_core::LedgerSheet;
use duban_store::{Actor, SaveOptions, SaveReport};
use serde::Serialize;
use tracing::Instrument;

use crate::{App, Error};

/// What an import changed, as the audit log and the API record it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    pub ledger: String,
    pub period: Option<duban_core::Period>,
    pub tasks: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Saves an imported sheet and records who imported what; `on_task` hears how many tasks are
/// written (the CLI's progress bar).
pub async fn save(
    app: &App,
    actor: &Actor,
    sheet: &LedgerSheet,
    options: SaveOptions,
    on_task: &mut (dyn FnMut(usize) + Send),
) -> Result<(SaveReport, ImportSummary), Error> {
    let span = tracing::info_span!("import", ledger = %sheet.ledger, tasks = sheet.tasks.len());
    async {
        let report = app
            .store
            .save_sheet_observed(sheet, options, on_task)
            .await?;
        let summary = record(app, actor, sheet, sheet.tasks.len(), &report).await?;
        Ok((report, summary))
    }
    .instrument(span)
    .await
}

/// What the reader of a file read task by task sends the writer.
#[derive(Debug)]
pub enum Batch {
    Rows(Vec<duban_core::SheetTask>),
    /// The file was read to its end: only then is the import committed.
    End,
}

/// Saves a sheet read task by task (`head` without its tasks, then `batches` until `End`): a
/// ledger of any size is written with the memory of a batch. If the batches stop without `End`
/// (the reader failed), nothing is written; the reader's own error says why.
pub async fn save_streamed(
    app: &App,
    actor: &Actor,
    head: &LedgerSheet,
    batches: &mut tokio::sync::mpsc::Receiver<Batch>,
    options: SaveOptions,
    on_task: &mut (dyn FnMut(usize) + Send),
) -> Result<(SaveReport, ImportSummary), Error> {
    let span = tracing::info_span!("import", ledger = %head.ledger, streamed = true);
    async {
        let interrupted = || Error::BadRequest(format!("{}：读取中断，未导入", head.ledger));
        let (first, mut ended) = match batches.recv().await.ok_or_else(interrupted)? {
            Batch::Rows(rows) => (rows, false),
            Batch::End => (Vec::new(), true),
        };
        let mut writer = app.store.sheet_writer(head, &first, options).await?;
        writer.write(&first).await?;
        on_task(writer.written());
        while !ended {
            match batches.recv().await.ok_or_else(interrupted)? {
                Batch::Rows(rows) => {
                    writer.write(&rows).await?;
                    on_task(writer.written());
                }
                Batch::End => ended = true,
            }
        }
        let tasks = writer.written();
        let report = writer.finish().await?;
        let summary = record(app, actor, head, tasks, &report).await?;
        Ok((report, summary))
    }
    .instrument(span)
    .await
}

/// The audit entry of an import.
async fn record(
    app: &App,
    actor: &Actor,
    head: &LedgerSheet,
    tasks: usize,
    report: &SaveReport,
) -> Result<ImportSummary, Error> {
    let summary = ImportSummary {
        ledger: head.ledger.clone(),
        period: head.period,
        tasks,
        added: report.tasks_added,
        updated: report.tasks_updated,
        unchanged: report.tasks_unchanged,
    };
    let value = serde_json::to_value(&summary).map_err(Error::internal)?;
    app.store
        .record_system_action(actor, "import", &value)
        .await?;
    tracing::info!(added = summary.added, updated = summary.updated, "导入台账");
    Ok(summary)
}

/// Reads an uploaded table with the same reader as `duban import`, from the bytes (no file of
/// the server's is named in a message).
pub async fn read_table(name: &str, bytes: Vec<u8>) -> Result<duban_import::TableFile, Error> {
    let file = name.to_owned();
    read_off_the_request(name, move || {
        duban_import::read_table_bytes(&bytes, &file, &file, &duban_extract::ReadOptions::default())
            .map_err(|e| Error::BadRequest(e.to_string()))
    })
    .await
}

/// Runs a reader of an uploaded file on the blocking pool. The parsing libraries can panic on
/// odd files and a conversion through LibreOffice can take long: a panic becomes an error naming
/// the file, and the request gives up after a time limit.
pub(crate) async fn read_off_the_request<T: Send + 'static>(
    name: &str,
    read: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let file = name.to_owned();
    let task = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
            Err(Error::BadRequest(format!(
                "{file}：文件无法解析（读取时出错），请检查文件是否完整"
            )))
        })
    });
    let limit = duban_office::LEGACY_TIME_LIMIT + std::time::Duration::from_secs(30);
    match tokio::time::timeout(limit, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(Error::internal(e)),
        Err(_) => Err(Error::BadRequest(format!(
            "{name}：文件解析超时（{} 秒）",
            limit.as_secs()
        ))),
    }
}

/// How long a previewed import waits for the office to confirm it.
pub const PREVIEW_SECONDS: i64 = 3600;

/// Keeps a table read for the office's preview; returns the id the confirmation sends back.
pub async fn keep_preview(
    app: &App,
    account: &duban_store::Account,
    file: &str,
    sheet: &LedgerSheet,
) -> Result<String, Error> {
    let id = crate::auth::new_token()?;
    let now = crate::auth::now_seconds();
    let preview = duban_store::Preview {
        file: file.to_owned(),
        sheet: serde_json::to_string(sheet).map_err(Error::internal)?,
    };
    app.store
        .keep_preview(&id, account.id, &preview, now, now + PREVIEW_SECONDS)
        .await?;
    Ok(id)
}

/// Imports a previewed table: the sheet kept under `id` for this account, saved with its audit
/// entry; the preview is then forgotten.
pub async fn confirm_preview(
    app: &App,
    account: &duban_store::Account,
    id: &str,
    options: SaveOptions,
) -> Result<(LedgerSheet, SaveReport), Error> {
    let preview = app
        .store
        .preview(id, account.id, crate::auth::now_seconds())
        .await?
        .ok_or_else(|| {
            Error::NotFound("预览已过期或不存在：请重新上传文件（预览保留 1 小时）".to_owned())
        })?;
    let sheet = duban_extract::parse_ledger_json(&preview.sheet, &preview.file)
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let (report, _) = save(app, &account.actor(), &sheet, options, &mut |_| {}).await?;
    app.store.drop_preview(id).await?;
    Ok((sheet, report))
}
