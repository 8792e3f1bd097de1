//! Importing a table: read from the bytes of an upload with the CLI's readers, saved with its
//! audit entry.

use duban_core::LedgerSheet;
use duban_store::{Actor, SaveOptions, SaveReport};
use serde::Serialize;
use tracing::Instrument;

use crate::{App, Error};

/// What an import changed, as the audit log and the API record it.
#[derive(Debug, Clone, Serialize)]
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
        let summary = ImportSummary {
            ledger: sheet.ledger.clone(),
            period: sheet.period,
            tasks: sheet.tasks.len(),
            added: report.tasks_added,
            updated: report.tasks_updated,
            unchanged: report.tasks_unchanged,
        };
        let value = serde_json::to_value(&summary).map_err(Error::internal)?;
        app.store
            .record_system_action(actor, "import", &value)
            .await?;
        tracing::info!(added = summary.added, updated = summary.updated, "导入台账");
        Ok((report, summary))
    }
    .instrument(span)
    .await
}

/// Reads an uploaded table with the same reader as `duban import`, from the bytes (no file of
/// the server's is named in a message). The parsing libraries can panic on odd files and a
/// conversion through LibreOffice can take long: the read runs on the blocking pool, a panic
/// becomes an error naming the file, and the request gives up after a time limit.
pub async fn read_table(name: &str, bytes: Vec<u8>) -> Result<duban_import::TableFile, Error> {
    let name = name.to_owned();
    let task = tokio::task::spawn_blocking(move || {
        let result = std::panic::catch_unwind(|| {
            duban_import::read_table_bytes(
                &bytes,
                &name,
                &name,
                &duban_extract::ReadOptions::default(),
            )
        });
        match result {
            Ok(Ok(table)) => Ok(table),
            Ok(Err(e)) => Err(Error::BadRequest(e.to_string())),
            Err(_) => Err(Error::BadRequest(format!(
                "{name}：文件无法解析（读取时出错），请检查文件是否完整"
            ))),
        }
    });
    let limit = duban_office::LEGACY_TIME_LIMIT + std::time::Duration::from_secs(30);
    match tokio::time::timeout(limit, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(Error::internal(e)),
        Err(_) => Err(Error::BadRequest(format!(
            "文件解析超时（{} 秒）",
            limit.as_secs()
        ))),
    }
}
