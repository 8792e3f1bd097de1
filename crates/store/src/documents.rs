//! Reports and plans: the document with its passages, glossary, indicators and projects, and the
//! links from tasks to the passages their goals came from.

use std::collections::HashMap;

use chrono::NaiveDate;
use duban_core::{
    Document, DocumentId, DocumentRead, GlossaryEntry, Indicator, IndicatorValue, Passage,
    PassageId, PassageRead, Project, Section, TaskSource, terms_in,
};
use sqlx::{Any, Transaction};

use crate::{Result, Store, StoreError, corrupt, now_rfc3339};

/// A stored document with how much it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSummary {
    pub document: Document,
    pub number: Option<String>,
    pub passages: i64,
    pub glossary: i64,
    pub indicators: i64,
    pub projects: i64,
}

/// What `save_document` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedDocument {
    pub id: DocumentId,
    /// The same text was already stored: nothing was written.
    pub existing: bool,
}

/// A task linked to a passage of a document (its goal was found there).
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct LinkedTask {
    pub passage: PassageId,
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub ledger: String,
}

/// Where one task's goal was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskLink {
    pub passage: PassageId,
    /// Character offsets in the passage text.
    pub span: (u32, u32),
    pub score: f64,
}

type DocumentRow = (i64, String, String, Option<String>, String);

fn document_from_row((id, kind, title, date, source): DocumentRow) -> Result<Document> {
    Ok(Document {
        id: DocumentId(id),
        kind: kind.parse().map_err(corrupt("文件类型"))?,
        title,
        date: date
            .map(|d| d.parse::<NaiveDate>())
            .transpose()
            .map_err(|e| StoreError::Corrupt {
                what: "文件日期",
                message: e.to_string(),
            })?,
        source,
    })
}

/// How a document is named to people: its title and, when known, its date.
pub fn document_label(document: &Document) -> String {
    label(
        &document.title,
        document.date.map(|d| d.to_string()).as_deref(),
    )
}

fn label(title: &str, date: Option<&str>) -> String {
    match date {
        Some(date) => format!("{title}（{date}）"),
        None => title.to_owned(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    what: &'static str,
    text: &str,
) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what,
        message: e.to_string(),
    })
}

impl Store {
    /// Stores a document with everything read from it, in one transaction. The same text
    /// imported again is recognised and left as it is, so links to its passages survive.
    pub async fn save_document(&self, read: &DocumentRead, source: &str) -> Result<SavedDocument> {
        let mut tx = self.begin_write().await?;
        let same: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM documents WHERE kind = $1 AND title = $2 AND body = $3")
                .bind(read.kind.code())
                .bind(&read.title)
                .bind(&read.body)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((id,)) = same {
            return Ok(SavedDocument {
                id: DocumentId(id),
                existing: true,
            });
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO documents (kind, title, date, source, body, imported_at, number, speaker) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(read.kind.code())
        .bind(&read.title)
        .bind(read.date.map(|d| d.to_string()))
        .bind(source)
        .bind(&read.body)
        .bind(now_rfc3339())
        .bind(read.number.as_deref())
        .bind(read.speaker.as_deref())
        .fetch_one(&mut *tx)
        .await?;
        insert_contents(&mut tx, id, read).await?;
        tx.commit().await?;
        Ok(SavedDocument {
            id: DocumentId(id),
            existing: false,
        })
    }

    /// Stored documents, newest date first.
    pub async fn documents(&self) -> Result<Vec<DocumentSummary>> {
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            i64,
            i64,
            i64,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT d.id, d.kind, d.title, d.date, d.source, d.number, \
                    (SELECT COUNT(*) FROM passages p WHERE p.document_id = d.id), \
                    (SELECT COUNT(*) FROM glossary_terms g WHERE g.document_id = d.id), \
                    (SELECT COUNT(*) FROM indicators i WHERE i.document_id = d.id), \
                    (SELECT COUNT(*) FROM projects j WHERE j.document_id = d.id) \
                 FROM documents d ORDER BY d.date DESC, d.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(
                    id,
                    kind,
                    title,
                    date,
                    source,
                    number,
                    passages,
                    glossary,
                    indicators,
                    projects,
                )| {
                    Ok(DocumentSummary {
                        document: document_from_row((id, kind, title, date, source))?,
                        number,
                        passages,
                        glossary,
                        indicators,
                        projects,
                    })
                },
            )
            .collect()
    }

    /// A document by its id or its exact title; the error lists the documents there are.
    pub async fn document(&self, key: &str) -> Result<Document> {
        let key = key.trim();
        let by_id = key.parse::<i64>().ok();
        let rows: Vec<DocumentRow> = sqlx::query_as(
            "SELECT id, kind, title, date, source FROM documents WHERE id = $1 OR title = $2 \
             ORDER BY id DESC",
        )
        .bind(by_id.unwrap_or(-1))
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        if let Some(row) = rows.into_iter().next() {
            return document_from_row(row);
        }
        let all = self.documents().await?;
        let hint = if all.is_empty() {
            "（数据库中还没有文件：先用 duban import 报告.txt --as report 导入）".to_owned()
        } else {
            let shown: Vec<String> = all
                .iter()
                .take(8)
                .map(|d| format!("{} {}", d.document.id, document_label(&d.document)))
                .collect();
            format!("（现有文件：{}）", shown.join("；"))
        };
        Err(StoreError::NotFound {
            what: "文件",
            name: key.to_owned(),
            hint,
        })
    }

    /// Everything stored of a document, in the shape it was read in (sections rebuilt from the
    /// passages' heading paths), with its id and passage ids in order.
    pub async fn document_read(
        &self,
        key: &str,
    ) -> Result<(Document, DocumentRead, Vec<PassageId>)> {
        let document = self.document(key).await?;
        let (body, number, speaker): (String, Option<String>, Option<String>) =
            sqlx::query_as("SELECT body, number, speaker FROM documents WHERE id = $1")
                .bind(document.id.0)
                .fetch_one(&self.pool)
                .await?;
        let passages = self.passages(document.id).await?;
        let ids = passages.iter().map(|p| p.id).collect();
        let passages: Vec<PassageRead> = passages
            .into_iter()
            .map(|p| PassageRead {
                headings: p.headings,
                span: p.span,
                text: p.text,
                lead: p.lead,
            })
            .collect();
        let read = DocumentRead {
            kind: document.kind,
            title: document.title.clone(),
            number,
            date: document.date,
            speaker,
            sections: Section::outline(&passages),
            glossary: self.glossary(document.id).await?,
            indicators: self.indicators(document.id).await?,
            projects: self.projects(document.id).await?,
            warnings: Vec::new(),
            body,
            passages,
        };
        Ok((document, read, ids))
    }

    /// The tasks of every ledger linked to the passages of a document, by passage then ledger
    /// and number.
    pub async fn linked_tasks(&self, document: DocumentId) -> Result<Vec<LinkedTask>> {
        let rows: Vec<(i64, i64, i64, String, String)> = sqlx::query_as(
            "SELECT t.passage_id, t.id, t.seq, t.goal, l.name FROM tasks t \
             JOIN ledgers l ON l.id = t.ledger_id JOIN passages p ON p.id = t.passage_id \
             WHERE p.document_id = $1 ORDER BY p.ord, l.name, t.seq",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(passage, task_id, seq, goal, ledger)| LinkedTask {
                passage: PassageId(passage),
                task_id,
                seq: u32::try_from(seq).unwrap_or(0),
                goal,
                ledger,
            })
            .collect())
    }

    /// The passages of a document in order.
    pub async fn passages(&self, document: DocumentId) -> Result<Vec<Passage>> {
        type Row = (i64, i64, String, i64, i64, String, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, ord, headings, span_start, span_end, body, lead FROM passages \
             WHERE document_id = $1 ORDER BY ord",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, ord, headings, start, end, text, lead)| {
                Ok(Passage {
                    id: PassageId(id),
                    document,
                    ord: ord as u32,
                    headings: from_json("段落标题", &headings)?,
                    span: (start as u32, end as u32),
                    text,
                    lead,
                })
            })
            .collect()
    }

    /// The document's glossary (词语解释) in order.
    pub async fn glossary(&self, document: DocumentId) -> Result<Vec<GlossaryEntry>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT term, explanation FROM glossary_terms WHERE document_id = $1 ORDER BY ord",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(term, explanation)| GlossaryEntry { term, explanation })
            .collect())
    }

    /// The plan's main indicators in table order.
    pub async fn indicators(&self, document: DocumentId) -> Result<Vec<Indicator>> {
        type Row = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT category, name, uom, baseline, target, growth, attribute FROM indicators \
             WHERE document_id = $1 ORDER BY ord",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        let value = |text: Option<String>| -> Result<Option<IndicatorValue>> {
            text.map(|t| from_json("指标值", &t)).transpose()
        };
        rows.into_iter()
            .map(
                |(category, name, uom, baseline, target, growth, attribute)| {
                    Ok(Indicator {
                        category,
                        name,
                        uom,
                        baseline: value(baseline)?,
                        target: value(target)?,
                        growth: value(growth)?,
                        attribute: attribute.parse().map_err(corrupt("指标属性"))?,
                    })
                },
            )
            .collect()
    }

    /// The plan's 专栏 projects in order.
    pub async fn projects(&self, document: DocumentId) -> Result<Vec<Project>> {
        let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
            "SELECT box_name, group_name, name FROM projects WHERE document_id = $1 ORDER BY ord",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(box_name, group, name)| Project {
                box_name,
                group,
                name,
            })
            .collect())
    }

    /// Records where each task of a ledger came from, in one transaction. A task given `None`
    /// loses its link (it was not found in the document this time).
    pub async fn save_links(&self, ledger: &str, links: &[(u32, Option<TaskLink>)]) -> Result<()> {
        let ledger = self.ledger(ledger).await?;
        let mut tx = self.begin_write().await?;
        for (seq, link) in links {
            sqlx::query(
                "UPDATE tasks SET passage_id = $1, source_start = $2, source_end = $3, \
                 source_score = $4 WHERE ledger_id = $5 AND seq = $6",
            )
            .bind(link.map(|l| l.passage.0))
            .bind(link.map(|l| i64::from(l.span.0)))
            .bind(link.map(|l| i64::from(l.span.1)))
            .bind(link.map(|l| l.score))
            .bind(ledger.id.0)
            .bind(i64::from(*seq))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The sources of a ledger's linked tasks, by task id, with the glossary terms each goal uses.
    pub(crate) async fn sources(&self, ledger: i64) -> Result<HashMap<i64, TaskSource>> {
        type Row = (
            i64,
            String,
            i64,
            String,
            Option<String>,
            String,
            String,
            i64,
            i64,
            f64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT t.id, t.goal, d.id, d.title, d.date, p.headings, p.body, \
                    t.source_start, t.source_end, t.source_score \
             FROM tasks t JOIN passages p ON p.id = t.passage_id \
             JOIN documents d ON d.id = p.document_id \
             WHERE t.ledger_id = $1 AND t.source_start IS NOT NULL",
        )
        .bind(ledger)
        .fetch_all(&self.pool)
        .await?;
        let mut glossaries: HashMap<i64, Vec<GlossaryEntry>> = HashMap::new();
        let mut out = HashMap::new();
        for (task, goal, doc, title, date, headings, passage, start, end, score) in rows {
            if let std::collections::hash_map::Entry::Vacant(entry) = glossaries.entry(doc) {
                entry.insert(self.glossary(DocumentId(doc)).await?);
            }
            let glossary = &glossaries[&doc];
            let document = label(&title, date.as_deref());
            out.insert(
                task,
                TaskSource {
                    document_id: doc,
                    document,
                    headings: from_json("段落标题", &headings)?,
                    passage,
                    span: [start as u32, end as u32],
                    score,
                    terms: terms_in(&goal, glossary).into_iter().cloned().collect(),
                },
            );
        }
        Ok(out)
    }
}

async fn insert_contents(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    read: &DocumentRead,
) -> Result<()> {
    for (ord, p) in read.passages.iter().enumerate() {
        sqlx::query(
            "INSERT INTO passages (document_id, ord, headings, span_start, span_end, body, lead) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(ord as i64)
        .bind(json(&p.headings))
        .bind(i64::from(p.span.0))
        .bind(i64::from(p.span.1))
        .bind(&p.text)
        .bind(p.lead.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    for (ord, g) in read.glossary.iter().enumerate() {
        sqlx::query(
            "INSERT INTO glossary_terms (document_id, ord, term, explanation) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(ord as i64)
        .bind(&g.term)
        .bind(&g.explanation)
        .execute(&mut **tx)
        .await?;
    }
    for (ord, i) in read.indicators.iter().enumerate() {
        sqlx::query(
            "INSERT INTO indicators (document_id, ord, category, name, uom, baseline, target, growth, \
             attribute) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(ord as i64)
        .bind(&i.category)
        .bind(&i.name)
        .bind(&i.uom)
        .bind(i.baseline.as_ref().map(json))
        .bind(i.target.as_ref().map(json))
        .bind(i.growth.as_ref().map(json))
        .bind(i.attribute.code())
        .execute(&mut **tx)
        .await?;
    }
    for (ord, p) in read.projects.iter().enumerate() {
        sqlx::query(
            "INSERT INTO projects (document_id, ord, box_name, group_name, name) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(ord as i64)
        .bind(&p.box_name)
        .bind(p.group.as_deref())
        .bind(&p.name)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
