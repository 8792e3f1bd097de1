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

/// What a report proposes: the document read back, its stored passage ids (in order) and its
/// commitments (what the government says it will do this year), each a candidate task.
#[derive(Debug, Clone)]
pub struct Proposals {
    pub document: duban_core::Document,
    pub read: DocumentRead,
    pub passage_ids: Vec<duban_core::PassageId>,
    pub commitments: Vec<duban_extract::Commitment>,
}

/// A report's commitments, each a candidate task.
pub async fn proposals(app: &App, document: &str) -> Result<Proposals, Error> {
    let (doc, read, passage_ids) = app.store.document_read(document).await?;
    if doc.kind != DocumentKind::Report {
        return Err(Error::BadRequest(format!(
            "“{}”是{}：候选任务只从政府工作报告的年度工作部分提取",
            doc.title,
            doc.kind.label_zh()
        )));
    }
    let commitments = duban_extract::commitments(&read);
    Ok(Proposals {
        document: doc,
        read,
        passage_ids,
        commitments,
    })
}

/// The proposals as a ledger JSON sheet (`duban tasks propose --json`): one task per commitment,
/// in order, each with its source passage.
pub fn proposed_sheet(
    doc: &duban_core::Document,
    read: &DocumentRead,
    found: &[duban_extract::Commitment],
) -> duban_core::LedgerSheet {
    let label = duban_store::document_label(doc);
    duban_core::LedgerSheet {
        ledger: ledger_name(doc),
        period: None,
        columns: vec!["goal".to_owned()],
        tasks: found
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let passage = &read.passages[c.passage];
                let mut task = duban_core::SheetTask::new(
                    u32::try_from(i + 1).unwrap_or(u32::MAX),
                    c.text.clone(),
                );
                task.source = Some(duban_core::TaskSource {
                    document_id: doc.id.0,
                    document: label.clone(),
                    headings: passage.headings.clone(),
                    passage: passage.text.clone(),
                    span: [c.span.0 as u32, c.span.1 as u32],
                    score: 1.0,
                    terms: c.terms.clone(),
                });
                task
            })
            .collect(),
    }
}

/// The ledger name a report's year suggests: 2021年《政府工作报告》重点工作.
pub fn ledger_name(doc: &duban_core::Document) -> String {
    match doc.date.map(|d| chrono::Datelike::year(&d)) {
        Some(year) => format!("{year}年《政府工作报告》重点工作"),
        None => "《政府工作报告》重点工作".to_owned(),
    }
}

/// One task of a new ledger: the commitment it comes from and the goal as the office wrote it.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct PickedTask {
    /// The commitment's place in the list of proposals (0-based).
    pub commitment: usize,
    /// The goal (年度目标任务), edited or as proposed; empty keeps the proposal's text.
    #[serde(default)]
    pub goal: String,
    /// The lead unit (牵头单位), by its name or an alias; empty: assigned later.
    #[serde(default)]
    pub lead: String,
    /// The support units (配合单位), separated by 、，, or spaces.
    #[serde(default)]
    pub support: String,
    /// The leaders in charge (分管领导), separated the same way.
    #[serde(default)]
    pub leaders: String,
    /// Joins the task picked before it (合并): its text is added to that task's goal, its units
    /// and leaders to that task's; the task keeps the first one's passage.
    #[serde(default)]
    pub merge_with_previous: bool,
}

/// What the office decides when it builds a ledger from a report.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct LedgerPlan {
    /// The ledger's name; it must say the year (2021年…).
    pub ledger: String,
    /// monthly (按月), quarterly (按季度), half_yearly or yearly.
    pub cadence: duban_core::Cadence,
    /// Reports are due this many working days after a period ends.
    pub deadline_working_days: u32,
    pub tasks: Vec<PickedTask>,
}

/// Creates a ledger from a report's commitments the office picked: one task each, in order,
/// linked to its passage. A ledger of that name already existing is refused (never doubled).
pub async fn create_ledger(
    app: &App,
    actor: &Actor,
    document: &str,
    plan: &LedgerPlan,
) -> Result<crate::imports::ImportSummary, Error> {
    let name = plan.ledger.trim();
    if name.is_empty() {
        return Err(Error::BadRequest("请填写台账名称".to_owned()));
    }
    if app.store.ledger(name).await.is_ok() {
        return Err(Error::Conflict(format!(
            "台账“{name}”已存在，未重复建立：如需调整任务，请在台账中修改或重新导入"
        )));
    }
    if plan.tasks.is_empty() {
        return Err(Error::BadRequest("请至少选择一项任务".to_owned()));
    }
    let Proposals {
        document: doc,
        read,
        passage_ids: ids,
        commitments: found,
    } = proposals(app, document).await?;
    let proposed = proposed_sheet(&doc, &read, &found);
    let mut tasks = Vec::with_capacity(plan.tasks.len());
    let mut links = Vec::with_capacity(plan.tasks.len());
    for pick in &plan.tasks {
        let (Some(c), Some(proposal)) = (
            found.get(pick.commitment),
            proposed.tasks.get(pick.commitment),
        ) else {
            return Err(Error::BadRequest(format!(
                "第 {} 项候选任务不存在：请刷新页面后重选",
                pick.commitment + 1
            )));
        };
        let goal = match pick.goal.trim() {
            "" => proposal.goal.clone(),
            edited => edited.to_owned(),
        };
        let units = crate::units_typed(&pick.lead, &pick.support);
        let leaders = crate::names_typed(&pick.leaders);
        if pick.merge_with_previous
            && let Some(previous) = tasks.last_mut()
        {
            merge_into(previous, &goal, units, leaders);
            continue;
        }
        let seq = u32::try_from(tasks.len() + 1).unwrap_or(u32::MAX);
        let mut task = proposal.clone();
        task.seq = seq;
        task.goal = goal;
        if !units.is_empty() {
            task.units = Some(units);
        }
        if !leaders.is_empty() {
            task.leaders = Some(leaders);
        }
        tasks.push(task);
        links.push((
            seq,
            Some(TaskLink {
                passage: ids[c.passage],
                span: (c.span.0 as u32, c.span.1 as u32),
                score: 1.0,
            }),
        ));
    }
    let sheet = duban_core::LedgerSheet {
        ledger: name.to_owned(),
        period: None,
        columns: vec!["goal".to_owned()],
        tasks,
    };
    sheet
        .validate()
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let options = duban_store::SaveOptions {
        cadence: Some(plan.cadence),
        deadline: Some(duban_core::DeadlineRule {
            working_days: plan.deadline_working_days,
        }),
    };
    let (_, summary) = crate::imports::save(app, actor, &sheet, options, &mut |_| {}).await?;
    app.store.save_links(name, &links).await?;
    Ok(summary)
}

/// Adds a merged commitment to the task before it: its text after the goal, its units (as
/// support where new) and leaders after theirs.
fn merge_into(
    task: &mut duban_core::SheetTask,
    goal: &str,
    units: Vec<duban_core::SheetUnit>,
    leaders: Vec<String>,
) {
    let joined = task.goal.trim_end_matches(['。', '；']).to_owned();
    task.goal = format!("{joined}；{goal}");
    let list = task.units.get_or_insert_with(Vec::new);
    for unit in units {
        if !list.iter().any(|u| u.name == unit.name) {
            let role = if list.iter().any(|u| u.role == duban_core::Role::Lead) {
                duban_core::Role::Support
            } else {
                unit.role
            };
            list.push(duban_core::SheetUnit {
                name: unit.name,
                role,
            });
        }
    }
    if list.is_empty() {
        task.units = None;
    }
    let names = task.leaders.get_or_insert_with(Vec::new);
    for leader in leaders {
        if !names.contains(&leader) {
            names.push(leader);
        }
    }
    if names.is_empty() {
        task.leaders = None;
    }
}

/// A ledger as the office builds it from the ledger JSON — proposals it edited, a division plan
/// or a table read — with the settings a new ledger needs (`POST /api/ledgers`).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NewLedger {
    #[serde(flatten)]
    pub sheet: duban_core::LedgerSheet,
    /// The year; needed when the name does not say it (it is then put in front: 2024年…).
    #[serde(default)]
    pub year: Option<i32>,
    /// monthly (按月), quarterly (按季度), half_yearly or yearly.
    pub cadence: duban_core::Cadence,
    /// Reports are due this many working days after a period ends.
    pub deadline_days: u32,
}

/// Creates a ledger from the ledger JSON: tasks with their leaders, units and roles (names go
/// through the aliases like any import), each task with a `source` linked to that passage of its
/// document. A ledger of that name already existing is refused, never doubled.
pub async fn create_from_sheet(
    app: &App,
    actor: &Actor,
    new: &NewLedger,
) -> Result<crate::imports::ImportSummary, Error> {
    let mut sheet = new.sheet.clone();
    sheet.ledger = sheet.ledger.trim().to_owned();
    match (new.year, sheet.year()) {
        (Some(year), None) if sheet.period.is_none() => {
            sheet.ledger = format!("{year}年{}", sheet.ledger);
        }
        (Some(year), Some(named)) if year != named => {
            return Err(Error::BadRequest(format!(
                "year 为 {year}，而台账名称或期间是 {named} 年：请改成一致"
            )));
        }
        (None, None) => {
            return Err(Error::BadRequest(
                "台账名称须写明年度（如“2024年重点工作”），或给出 year".to_owned(),
            ));
        }
        _ => {}
    }
    if sheet.tasks.is_empty() {
        return Err(Error::BadRequest("台账至少要有一项任务".to_owned()));
    }
    sheet
        .validate()
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    if app.store.ledger(&sheet.ledger).await.is_ok() {
        return Err(Error::Conflict(format!(
            "台账“{}”已存在，未重复建立：如需调整任务，请在台账中修改或重新导入",
            sheet.ledger
        )));
    }
    // The passage of each task's source, looked up in its document by its text.
    let mut documents: std::collections::HashMap<i64, (DocumentRead, Vec<duban_core::PassageId>)> =
        std::collections::HashMap::new();
    let mut links = Vec::new();
    for task in &sheet.tasks {
        let Some(source) = &task.source else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = documents.entry(source.document_id)
        {
            let (_, read, ids) = app
                .store
                .document_read(&source.document_id.to_string())
                .await?;
            slot.insert((read, ids));
        }
        let (read, ids) = &documents[&source.document_id];
        let at = read
            .passages
            .iter()
            .position(|p| p.text == source.passage)
            .ok_or_else(|| {
                Error::BadRequest(format!(
                    "序号 {} 的来源段落不在文件 {} 中：请用该文件的候选任务（proposals）中的 source",
                    task.seq, source.document_id
                ))
            })?;
        links.push((
            task.seq,
            Some(TaskLink {
                passage: ids[at],
                span: (source.span[0], source.span[1]),
                score: source.score,
            }),
        ));
    }
    let options = duban_store::SaveOptions {
        cadence: Some(new.cadence),
        deadline: Some(duban_core::DeadlineRule {
            working_days: new.deadline_days,
        }),
    };
    let (_, summary) = crate::imports::save(app, actor, &sheet, options, &mut |_| {}).await?;
    if !links.is_empty() {
        app.store.save_links(&sheet.ledger, &links).await?;
    }
    Ok(summary)
}
