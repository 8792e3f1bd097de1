//! Documents (reports, plans) imported and read, and linking a ledger to the document its tasks
//! came from: each task's goal is found in the passages of the report, and the link (passage,
//! span, score) is stored.

use duban_core::{DocumentKind, DocumentRead};
use duban_extract::PassageIndex;
use duban_store::{Actor, SavedDocument, TaskFilter, TaskLink};
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

/// The text of an uploaded document (Word, PDF, web page, text), read off the request threads.
pub async fn read_text(name: &str, bytes: Vec<u8>) -> Result<String, Error> {
    let file = name.to_owned();
    crate::imports::read_off_the_request(name, move || {
        duban_import::read_document_text(&bytes, &file, &file)
            .map_err(|e| Error::BadRequest(e.to_string()))
    })
    .await
}

/// The kind a person names (report, plan, 报告, 规划, 政府工作报告 …); empty for "tell from the
/// text".
pub fn kind(word: Option<&str>) -> Result<Option<DocumentKind>, Error> {
    match word.map(str::trim).filter(|w| !w.is_empty()) {
        Some("报告" | "工作报告") => Ok(Some(DocumentKind::Report)),
        Some("规划") => Ok(Some(DocumentKind::Plan)),
        Some(w) => Ok(Some(w.parse()?)),
        None => Ok(None),
    }
}

/// Reads a report or plan from its text: the kind given, else told from the text.
pub fn read(text: &str, kind: Option<DocumentKind>, origin: &str) -> Result<DocumentRead, Error> {
    let kind = kind
        .or_else(|| duban_extract::detect_document(text))
        .ok_or_else(|| {
            Error::BadRequest(format!(
                "{origin}：看不出是政府工作报告还是规划纲要，请选择文件类型后再上传"
            ))
        })?;
    if kind == DocumentKind::Notice {
        return Err(Error::BadRequest(format!(
            "{origin}：只能导入政府工作报告或规划纲要；通报表、分工方案请在“导入台账”中上传"
        )));
    }
    duban_extract::read_document(text, kind, origin).map_err(|e| Error::BadRequest(e.to_string()))
}

/// Stores a document with everything read from it, and an audit entry; the same text again is
/// recognised and left as it is (links to its passages survive).
pub async fn save(
    app: &App,
    actor: &Actor,
    read: &DocumentRead,
    origin: &str,
) -> Result<SavedDocument, Error> {
    let saved = app.store.save_document(read, origin).await?;
    if !saved.existing {
        let what = serde_json::json!({
            "title": read.title, "kind": read.kind, "passages": read.passages.len(),
            "indicators": read.indicators.len(), "projects": read.projects.len(),
        });
        app.store
            .record_system_action(actor, "import_document", &what)
            .await?;
    }
    tracing::info!(title = %read.title, existing = saved.existing, "导入文件");
    Ok(saved)
}
