//! The whole ledger as one table (台账导出): tasks, the milestone of every period, the latest
//! progress with its status, leaders and units with their roles — laid out like the offices'
//! own tables, so that duban's import reads it back as the same ledger.

use duban_core::{Period, SheetTask};
use duban_notice::PrintTable;
use duban_notice::cells::{progress_cell, target_header, title, unit_lines};
use duban_store::TaskFilter;

use crate::{App, Error};

/// The ledger as a printable table: 序号 / 年度目标任务 / one 目标 column per period that has
/// milestones / 完成情况 (the latest period with progress, opened by its status) / 分管区领导 /
/// 责任单位 (the lead marked 牵头, data sources 提供数据).
pub async fn ledger_table(app: &App, name: &str) -> Result<PrintTable, Error> {
    let ledger = app.store.ledger(name).await?;
    let summary = app
        .store
        .ledgers()
        .await?
        .into_iter()
        .find(|s| s.ledger.id == ledger.id)
        .ok_or_else(|| Error::NotFound(format!("没有名为“{name}”的台账")))?;
    let latest = app.store.latest_period(ledger.id).await?;
    let all = TaskFilter::default();
    let base = app.store.sheet(&ledger.name, latest, &all).await?;
    // One sheet per period, for its milestones; only the periods that have any.
    let mut target_periods: Vec<(Period, Vec<SheetTask>)> = Vec::new();
    for period in &summary.periods {
        let sheet = app.store.sheet(&ledger.name, Some(*period), &all).await?;
        if sheet.tasks.iter().any(|t| t.target.is_some()) {
            target_periods.push((*period, sheet.tasks));
        }
    }
    let has_leaders = base.tasks.iter().any(|t| t.leaders.is_some());
    let mut headers = vec!["序号".to_owned(), "年度目标任务".to_owned()];
    headers.extend(target_periods.iter().map(|(p, _)| target_header(Some(*p))));
    if latest.is_some() {
        headers.push("完成情况".to_owned());
    }
    if has_leaders {
        headers.push("分管区领导".to_owned());
    }
    headers.push("责任单位".to_owned());
    let rows = base
        .tasks
        .iter()
        .map(|task| {
            let mut cells = vec![task.seq.to_string(), task.goal.clone()];
            for (_, tasks) in &target_periods {
                cells.push(
                    tasks
                        .iter()
                        .find(|t| t.seq == task.seq)
                        .and_then(|t| t.target.clone())
                        .unwrap_or_default(),
                );
            }
            if latest.is_some() {
                cells.push(progress_cell(task.status, task.progress.as_deref()));
            }
            if has_leaders {
                cells.push(task.leaders.clone().unwrap_or_default().join("\n"));
            }
            cells.push(unit_lines(task.units.as_deref().unwrap_or_default()).join("\n"));
            cells
        })
        .collect();
    let n = headers.len();
    let mut centered = vec![false; n];
    centered[0] = true;
    let mut fixed = vec![false; n];
    fixed[0] = true;
    fixed[n - 1] = true;
    if has_leaders {
        centered[n - 2] = true;
        fixed[n - 2] = true;
    }
    Ok(PrintTable {
        // The title names the ledger and the period of the progress column, as the offices'
        // tables do, so that the import finds both.
        title: match latest {
            Some(p) => title(&ledger.name, p, false).replace("通报表", "表"),
            None => format!("{}台账", ledger.name),
        },
        subtitle: Some(format!(
            "（{}导出，共 {} 项任务）",
            duban_notice::cells::date_zh(duban_core::beijing::today()),
            base.tasks.len()
        )),
        sheet: "台账".to_owned(),
        headers,
        rows,
        centered,
        fixed,
    })
}

/// A printed table as a file to download.
#[derive(Debug, Clone)]
pub struct TableFile {
    pub format: duban_notice::Format,
    pub bytes: Vec<u8>,
    /// The file's name as people see it: the table's title and the extension.
    pub filename: String,
}

/// Renders a table as xlsx (the default) or docx, as `format` names it.
pub fn table_file(table: &PrintTable, format: Option<&str>) -> Result<TableFile, Error> {
    let format = match format.map(str::trim).filter(|f| !f.is_empty()) {
        Some(text) => text
            .parse::<duban_notice::Format>()
            .map_err(|e| Error::BadRequest(e.to_string()))?,
        None => duban_notice::Format::Xlsx,
    };
    let bytes =
        duban_notice::render_table(table, format).map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok(TableFile {
        format,
        bytes,
        filename: format!("{}.{}", table.title, format.extension()),
    })
}
