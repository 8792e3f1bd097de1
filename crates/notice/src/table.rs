//! A printed table other than the notice — the decomposition table (目标分解表) and the ledger
//! export (台账导出) — laid out like the notice: a title, a line under it, a bordered table whose
//! header repeats on every page, A4 landscape.

/// A table as printed: every cell already in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintTable {
    pub title: String,
    /// The line under the title (a date, a note); None for none.
    pub subtitle: Option<String>,
    /// The worksheet's name in the xlsx.
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns printed centred (序号, names).
    pub centered: Vec<bool>,
    /// Columns the widths of which follow their content only (short ones: 序号, units).
    pub fixed: Vec<bool>,
}

impl PrintTable {
    /// Column widths in Excel's units: as wide as the widest cell, long texts within bounds.
    pub fn widths(&self) -> Vec<f64> {
        let plain = crate::layout::plain_widths(&self.headers, &self.rows, 44.0);
        plain
            .into_iter()
            .enumerate()
            .map(|(i, w)| {
                if self.fixed.get(i).copied().unwrap_or(false) {
                    w.min(30.0)
                } else {
                    w.max(16.0)
                }
            })
            .collect()
    }
}

/// A printed report of several tables and figures (the plan evaluation: indicators, tasks by
/// chapter, projects, then a chart per indicator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintReport {
    /// The document's title (the first table's title is printed as it is).
    pub title: String,
    pub tables: Vec<PrintTable>,
    /// The heading over the figures, and the worksheet's name for them in the xlsx.
    pub figures_title: String,
    pub figures: Vec<crate::Figure>,
}

/// The report as the bytes of a file: xlsx (a sheet per table, the figures on their own sheet)
/// or docx.
pub fn render_report(
    report: &PrintReport,
    format: crate::Format,
) -> Result<Vec<u8>, crate::NoticeError> {
    match format {
        crate::Format::Xlsx => crate::xlsx::write_report(report),
        crate::Format::Docx => crate::docx::write_report(report),
        other => Err(crate::NoticeError::UnknownFormat(format!(
            "{other}（此报告只提供 xlsx、docx）"
        ))),
    }
}

/// The table as the bytes of a file: xlsx or docx (the formats offices print and pass on).
pub fn render_table(
    table: &PrintTable,
    format: crate::Format,
) -> Result<Vec<u8>, crate::NoticeError> {
    match format {
        crate::Format::Xlsx => crate::xlsx::write_table(table),
        crate::Format::Docx => crate::docx::write_table(table),
        other => Err(crate::NoticeError::UnknownFormat(format!(
            "{other}（此表只提供 xlsx、docx）"
        ))),
    }
}
