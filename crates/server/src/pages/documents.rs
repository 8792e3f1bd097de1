//! Documents (reports and plans): the list, uploading one in any format duban reads, and a
//! document's page with its passages (searchable), the tasks linked to each passage, the
//! indicators, projects and glossary.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use duban_app::{Error, documents};
use duban_core::AccountRole;
use serde::Deserialize;

use super::{PageResult, render, see_other};
use crate::access::{CsrfForm, Id, Query, Signed, Upload, rule};
use crate::views::{
    DocumentPage, DocumentRow, DocumentsPage, IndicatorRow, Layout, LedgerBuilderPage, PassageView,
};
use crate::{AppState, Viewer};

async fn list(
    state: &AppState,
    viewer: &Viewer,
    error: Option<String>,
) -> Result<DocumentsPage, Error> {
    let documents = state
        .store
        .documents()
        .await?
        .into_iter()
        .map(|d| DocumentRow {
            id: d.document.id.0,
            kind: d.document.kind.label_zh().to_owned(),
            title: d.document.title,
            date: d.document.date.map(|d| d.to_string()).unwrap_or_default(),
            number: d.number.unwrap_or_default(),
            passages: d.passages,
            indicators: d.indicators,
            projects: d.projects,
            glossary: d.glossary,
        })
        .collect();
    Ok(DocumentsPage {
        layout: Layout::new(viewer, "文件", "/documents"),
        documents,
        is_office: viewer.role() == AccountRole::Office,
        error,
    })
}

pub async fn page(State(state): State<AppState>, user: Signed<rule::Oversight>) -> PageResult {
    render(&list(&state, &user.viewer, None).await?)
}

pub async fn upload(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    upload: Upload,
) -> PageResult {
    let kind = documents::kind(upload.field("kind"))?;
    let name = upload.name.clone();
    let result = async {
        let text = documents::read_text(&name, upload.bytes).await?;
        let read = documents::read(&text, kind, &name)?;
        documents::save(&state, &user.account.actor(), &read, &name).await
    }
    .await;
    match result {
        Ok(saved) => Ok(see_other(&format!(
            "/documents/{}?done={}",
            saved.id.0,
            if saved.existing { "existing" } else { "new" }
        ))),
        // A file that cannot be read is said on the list, where the next one is chosen.
        Err(Error::BadRequest(message)) => {
            let page = list(&state, &user.viewer, Some(message)).await?;
            let html = page.render().map_err(crate::error::template)?;
            Ok((StatusCode::BAD_REQUEST, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct DocumentQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn document(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<DocumentQuery>,
) -> PageResult {
    let (doc, read, ids) = state.store.document_read(&id.to_string()).await?;
    let mut linked: HashMap<i64, Vec<duban_store::LinkedTask>> = HashMap::new();
    for task in state.store.linked_tasks(doc.id).await? {
        linked.entry(task.passage.0).or_default().push(task);
    }
    let query = q.q.unwrap_or_default().trim().to_owned();
    let mut last_heading = String::new();
    let mut passages = Vec::new();
    for (ord, p) in read.passages.iter().enumerate() {
        let heading = p.headings.join(" › ");
        if !query.is_empty() && !p.text.contains(&query) && !heading.contains(&query) {
            continue;
        }
        let shown = (heading != last_heading && !heading.is_empty()).then(|| heading.clone());
        last_heading = heading;
        passages.push(PassageView {
            ord: ord + 1,
            heading: shown,
            text: p.text.clone(),
            tasks: ids
                .get(ord)
                .and_then(|pid| linked.get(&pid.0))
                .cloned()
                .unwrap_or_default(),
        });
    }
    let value = |v: &Option<duban_core::IndicatorValue>| {
        v.as_ref()
            .map(|v| v.text.clone())
            .unwrap_or_else(|| "—".to_owned())
    };
    let meta = [
        Some(doc.kind.label_zh().to_owned()),
        read.number.clone(),
        read.date.map(|d| d.to_string()),
        read.speaker.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    render(&DocumentPage {
        layout: Layout::new(&user.viewer, doc.title.clone(), "/documents"),
        id,
        is_report: doc.kind == duban_core::DocumentKind::Report
            && user.account.role == AccountRole::Office,
        title: doc.title.clone(),
        meta,
        total: read.passages.len(),
        linked: linked.len(),
        passages,
        query,
        glossary: read.glossary.clone(),
        indicators: read
            .indicators
            .iter()
            .map(|i| IndicatorRow {
                category: i.category.clone(),
                name: i.name.clone(),
                uom: i.uom.clone(),
                baseline: value(&i.baseline),
                target: value(&i.target),
                growth: value(&i.growth),
                attribute: i.attribute.label_zh().to_owned(),
            })
            .collect(),
        projects: read.projects.clone(),
        message: match q.done.as_deref() {
            Some("new") => Some("已导入并读取完毕".to_owned()),
            Some("existing") => Some("这份文件此前已导入，内容相同，未重复保存".to_owned()),
            _ => None,
        },
    })
}

async fn builder(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    error: Option<String>,
) -> Result<LedgerBuilderPage, Error> {
    let documents::Proposals {
        document: doc,
        read,
        commitments: found,
        ..
    } = documents::proposals(state, &id.to_string()).await?;
    // What the pickers offer: every unit's name and aliases, and the leaders known.
    Ok(LedgerBuilderPage {
        unit_names: super::unit_names(state).await?,
        leader_names: state.store.leaders().await?,
        layout: Layout::new(viewer, "从报告生成台账", "/documents"),
        id,
        ledger: documents::ledger_name(&doc),
        title: doc.title,
        proposals: found
            .iter()
            .map(|c| {
                (
                    read.passages[c.passage].headings.join(" › "),
                    c.text.clone(),
                )
            })
            .collect(),
        error,
    })
}

pub async fn ledger_builder(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
) -> PageResult {
    render(&builder(&state, &user.viewer, id, None).await?)
}

/// The builder's form: `pick` (repeated) with `goal:<n>` for each, and the ledger's settings.
fn plan_from_form(fields: &[(String, String)]) -> Result<documents::LedgerPlan, Error> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let tasks = fields
        .iter()
        .filter(|(n, _)| n == "pick")
        .map(|(_, v)| {
            let commitment: usize = v
                .parse()
                .map_err(|_| Error::BadRequest("提交的表单不完整：请刷新页面后重试".to_owned()))?;
            Ok(documents::PickedTask {
                commitment,
                goal: value(&format!("goal:{commitment}")),
                lead: value(&format!("lead:{commitment}")),
                support: value(&format!("support:{commitment}")),
                leaders: value(&format!("leaders:{commitment}")),
                merge_with_previous: !value(&format!("merge:{commitment}")).is_empty(),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(documents::LedgerPlan {
        ledger: value("ledger"),
        cadence: value("cadence").parse()?,
        deadline_working_days: value("deadline_working_days")
            .parse()
            .map_err(|_| Error::BadRequest("报送截止的工作日数应为整数".to_owned()))?,
        tasks,
    })
}

pub async fn create_ledger(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let plan = plan_from_form(&form)?;
    match documents::create_ledger(&state, &user.account.actor(), &id.to_string(), &plan).await {
        Ok(summary) => Ok(see_other(&format!(
            "/ledger?{}",
            crate::http::query_string(&[("ledger", &summary.ledger)])
        ))),
        // Said above the form, which keeps what was chosen out of the report.
        Err(Error::BadRequest(m) | Error::Conflict(m)) => {
            let page = builder(&state, &user.viewer, id, Some(m)).await?;
            let html = page.render().map_err(crate::error::template)?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
