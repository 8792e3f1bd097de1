//! One self-contained, printable HTML page: styles inline, no scripts, no outside files, the
//! header row repeated on every printed page (thead), A4 landscape.

use askama::Template;
use duban_core::{Escalation, Status};

use crate::{Column, Notice, StatTable};

struct Cell {
    text: String,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct Page<'a> {
    title: &'a str,
    date: String,
    summary: String,
    headers: Vec<&'a str>,
    rows: Vec<Vec<Cell>>,
    stats: Vec<StatTable>,
}

fn status_class(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Done) => "done",
        Some(Status::Partial) => "partial",
        Some(Status::NotDone) => "not-done",
        Some(Status::Unreported) => "unreported",
        None => "pending",
    }
}

pub fn write(notice: &Notice) -> Result<String, askama::Error> {
    let rows = notice
        .rows
        .iter()
        .map(|row| {
            let classes = notice.columns.iter().map(|c| match c {
                Column::Seq => "seq",
                Column::Progress => status_class(row.status),
                Column::Leaders | Column::Units | Column::Evidence => "names",
                Column::Escalation => match row.escalation {
                    Some(Escalation::Red) => "seq red",
                    Some(Escalation::Yellow) => "seq yellow",
                    None => "seq",
                },
                Column::Goal | Column::Target => "",
            });
            notice
                .row_cells(row)
                .into_iter()
                .zip(classes)
                .map(|(text, class)| Cell { text, class })
                .collect()
        })
        .collect();
    Page {
        title: &notice.title,
        date: notice.date_zh(),
        summary: notice.summary_zh(),
        headers: notice.headers(),
        rows,
        stats: notice.stat_tables(),
    }
    .render()
}
