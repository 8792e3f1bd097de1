//! Linking a ledger to the document its tasks came from: each task's goal is found in the
//! passages of the report, and the link (passage, span, score) is stored.

use duban_extract::PassageIndex;
use duban_store::{TaskFilter, TaskLink};
use serde::Serialize;

use crate::{App, Error};

/// One task and the passage found for it (None: not found).
#[derive(Debug, Clone, Serialize)]
pub struct LinkRow {
    pub seq: u32,
    pub goal: String,
    pub passage: Option<String>,
    pub headings: Option<Vec<String>>,
    pub span: Option<[usize; 2]>,
    pub score: Option<f64>,
}

/// What linking did: the rows, and the document as people name it.
#[derive(Debug, Clone)]
pub struct Linked {
    pub rows: Vec<LinkRow>,
    pub document: String,
}

/// Finds every task of `ledger` in `document` (a title or an id) and stores the links, all or
/// none. Scores are kept to three decimals, as shown.
pub async fn link(app: &App, ledger: &str, document: &str) -> Result<Linked, Error> {
    let store = &app.store;
    let sheet = store.sheet(ledger, None, &TaskFilter::default()).await?;
    let (doc, read, ids) = store.document_read(document).await?;
    let texts: Vec<&str> = read.passages.iter().map(|p| p.text.as_str()).collect();
    let index = PassageIndex::new(&texts);
    let mut rows = Vec::with_capacity(sheet.tasks.len());
    let mut links = Vec::with_capacity(sheet.tasks.len());
    for task in &sheet.tasks {
        let found = index.link(&task.goal);
        let score = found.as_ref().map(|l| (l.score * 1000.0).round() / 1000.0);
        links.push((
            task.seq,
            found.as_ref().zip(score).map(|(l, score)| TaskLink {
                passage: ids[l.passage],
                span: (l.span.0 as u32, l.span.1 as u32),
                score,
            }),
        ));
        let passage = found.as_ref().map(|l| &read.passages[l.passage]);
        rows.push(LinkRow {
            seq: task.seq,
            goal: task.goal.clone(),
            passage: passage.map(|p| p.text.clone()),
            headings: passage.map(|p| p.headings.clone()),
            span: found.as_ref().map(|l| [l.span.0, l.span.1]),
            score,
        });
    }
    store.save_links(ledger, &links).await?;
    Ok(Linked {
        rows,
        document: duban_store::document_label(&doc),
    })
}
