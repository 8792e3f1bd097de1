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
    // The columns the ledger has data for, in the offices' order; each with how its cell reads
    // and whether it is short (centred, as wide as its content).
    type Cell<'a> = Box<dyn Fn(&SheetTask) -> String + 'a>;
    let mut columns: Vec<(String, Cell, bool)> =
        vec![("序号".to_owned(), Box::new(|t| t.seq.to_string()), true)];
    if base.tasks.iter().any(|t| t.section.is_some()) {
        columns.push((
            "所属部分".to_owned(),
            Box::new(|t| t.section.clone().unwrap_or_default()),
            false,
        ));
    }
    columns.push((
        "年度目标任务".to_owned(),
        Box::new(|t| t.goal.clone()),
        false,
    ));
    for (period, tasks) in &target_periods {
        columns.push((
            target_header(Some(*period)),
            Box::new(move |t| {
                tasks
                    .iter()
                    .find(|x| x.seq == t.seq)
                    .and_then(|x| x.target.clone())
                    .unwrap_or_default()
            }),
            false,
        ));
    }
    if latest.is_some() {
        columns.push((
            "完成情况".to_owned(),
            Box::new(|t| progress_cell(t.status, t.progress.as_deref())),
            false,
        ));
    }
    if base.tasks.iter().any(|t| t.deadline.is_some()) {
        columns.push((
            "完成时限".to_owned(),
            Box::new(|t| t.deadline.clone().unwrap_or_default()),
            true,
        ));
    }
    if base.tasks.iter().any(|t| t.leaders.is_some()) {
        columns.push((
            "分管区领导".to_owned(),
            Box::new(|t| t.leaders.clone().unwrap_or_default().join("\n")),
            true,
        ));
    }
    columns.push((
        "责任单位".to_owned(),
        Box::new(|t| unit_lines(t.units.as_deref().unwrap_or_default()).join("\n")),
        true,
    ));
    let rows = base
        .tasks
        .iter()
        .map(|task| columns.iter().map(|(_, cell, _)| cell(task)).collect())
        .collect();
    let headers = columns.iter().map(|(h, _, _)| h.clone()).collect();
    let short: Vec<bool> = columns.iter().map(|(_, _, short)| *short).collect();
    let centered: Vec<bool> = columns
        .iter()
        .map(|(h, _, short)| *short && h != "责任单位")
        .collect();
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
        fixed: short,
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

/// The format a printed table is asked in: xlsx when none is named.
pub fn format_of(format: Option<&str>) -> Result<duban_notice::Format, Error> {
    match format.map(str::trim).filter(|f| !f.is_empty()) {
        Some(text) => text
            .parse::<duban_notice::Format>()
            .map_err(|e| Error::BadRequest(e.to_string())),
        None => Ok(duban_notice::Format::Xlsx),
    }
}

/// Renders a table as xlsx (the default) or docx, as `format` names it.
pub fn table_file(table: &PrintTable, format: Option<&str>) -> Result<TableFile, Error> {
    let format = format_of(format)?;
    let bytes =
        duban_notice::render_table(table, format).map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok(TableFile {
        format,
        bytes,
        filename: format!("{}.{}", table.title, format.extension()),
    })
}
