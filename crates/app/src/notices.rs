//! Notices (通报): built from a ledger's period, published (which locks the period), and rendered
//! as files. A published notice is rebuilt from the ledger as it was frozen, dated the day it was
//! published.

use chrono::NaiveDate;
use duban_core::LedgerSheet;
use duban_notice::{Format, Notice, NoticeMarks, NoticeOptions};
use duban_store::{Account, PublishedNotice, TaskFilter};
use tracing::Instrument;

use crate::{App, Error, parse_period};

/// What publishing asks: the ledger and period, the date printed under the title (today when
/// not given) and whether only the problems are listed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct PublishRequest {
    pub ledger: String,
    pub period: String,
    /// 印发日期, YYYY-MM-DD; today (Beijing) when empty.
    #[serde(default)]
    pub date: Option<String>,
    /// Only the tasks not done or not reported (the shorter notice).
    #[serde(default)]
    pub only_problems: bool,
    /// List each task's evidence (佐证材料: the files attached to the reports that reached the
    /// office) in a column of its own.
    #[serde(default)]
    pub with_evidence: bool,
}

impl PublishRequest {
    /// The date asked for, or today.
    pub fn date(&self) -> Result<NaiveDate, Error> {
        match self
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                Error::BadRequest(format!(
                    "印发日期“{text}”无效：应为 YYYY-MM-DD，如 2023-10-12"
                ))
            }),
            None => Ok(duban_core::beijing::today()),
        }
    }
}

/// The notice of a ledger for a period, as it would be published with these settings.
pub async fn build(app: &App, request: &PublishRequest) -> Result<(LedgerSheet, Notice), Error> {
    let period = parse_period(&request.period)?;
    let sheet = app
        .store
        .sheet(&request.ledger, Some(period), &TaskFilter::default())
        .await?;
    let mut options = NoticeOptions::new(request.date()?);
    options.only_problems = request.only_problems;
    options.marks = marks(
        app,
        &request.ledger,
        period,
        options.date,
        request.with_evidence,
    )
    .await?;
    let notice = Notice::build(&sheet, &options).map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok((sheet, notice))
}

/// What the notice prints beside the sheet as of its date: 三色督办 of each task whose lead unit
/// has not reported (from the period's deadline, or the later one granted to that unit), and the
/// evidence when asked.
pub async fn marks(
    app: &App,
    ledger: &str,
    period: duban_core::Period,
    date: NaiveDate,
    with_evidence: bool,
) -> Result<NoticeMarks, Error> {
    let ledger = app.store.ledger(ledger).await?;
    let mut marks = NoticeMarks::default();
    if let Ok(due) = ledger.deadline.due(&app.calendar, period) {
        let extended = app.store.granted_deadlines(ledger.id.0, period).await?;
        let rule = crate::reminders::escalation_rule();
        let (_, tasks) = app
            .store
            .unsubmitted_tasks(&ledger, period, None, i64::MAX)
            .await?;
        for task in tasks {
            let due = extended
                .get(&(task.task_id, duban_core::UnitId(task.unit_id)))
                .copied()
                .unwrap_or(due);
            let Some(after) = due.succ_opt().filter(|after| *after <= date) else {
                continue;
            };
            let days = app.calendar.working_days_or_weekdays(after, date);
            if let Some(level) = rule.level(days) {
                marks.escalation.insert(task.seq, level);
            }
        }
    }
    // Findings whose rectification was due before the notice's date and was not closed by then.
    for finding in app
        .store
        .findings(&duban_store::FindingFilter {
            ledger: Some(ledger.id.0),
            ..Default::default()
        })
        .await?
    {
        let closed_by_then = finding
            .closed_at
            .as_deref()
            .and_then(duban_core::beijing::beijing_time)
            .is_some_and(|t| t.date() <= date);
        let due = NaiveDate::parse_from_str(&finding.due, "%Y-%m-%d").ok();
        if !closed_by_then && due.is_some_and(|d| d < date) {
            marks
                .overdue_rectifications
                .push(duban_notice::OverdueRectification {
                    seq: finding.seq,
                    unit: finding.unit.clone(),
                    found: format!(
                        "{} {}：{}",
                        finding.day,
                        finding.kind.label_zh(),
                        finding.text
                    ),
                    due: finding.due.clone(),
                });
        }
    }
    marks.overdue_rectifications.sort_by_key(|r| r.seq);
    if with_evidence {
        let mut evidence: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
        for (seq, unit, name) in app.store.period_evidence(ledger.id.0, period).await? {
            let Ok(seq) = u32::try_from(seq) else {
                continue;
            };
            evidence
                .entry(seq)
                .or_default()
                .push(format!("{unit}：{name}"));
        }
        marks.evidence = Some(evidence);
    }
    Ok(marks)
}

/// Publishes the notice of a ledger's period and locks the period.
pub async fn publish(
    app: &App,
    account: &Account,
    request: &PublishRequest,
) -> Result<PublishedNotice, Error> {
    let span = tracing::info_span!(
        "publish_notice",
        ledger = %request.ledger,
        period = %request.period
    );
    async {
        let (sheet, notice) = build(app, request).await?;
        let settings = duban_store::NoticeSettings {
            title: notice.title.clone(),
            date: request.date()?.to_string(),
            only_problems: request.only_problems,
            summary: notice.summary_zh(),
            marks: Some(serde_json::to_string(&notice_marks(&notice)).map_err(Error::internal)?),
        };
        let published = app.store.publish_notice(account, &sheet, &settings).await?;
        tracing::info!(id = published.id, tasks = sheet.tasks.len(), "通报已发布");
        Ok(published)
    }
    .instrument(span)
    .await
}

/// Unlocks a published period (to correct it), with the reason in the audit log.
pub async fn unlock(
    app: &App,
    account: &Account,
    ledger: &str,
    period: &str,
    reason: &str,
) -> Result<(), Error> {
    let ledger = app.store.ledger(ledger).await?;
    app.store
        .unlock_period(account, ledger.id.0, parse_period(period)?, reason)
        .await?;
    Ok(())
}

/// A published notice as a file.
#[derive(Debug, Clone)]
pub struct NoticeFile {
    pub bytes: Vec<u8>,
    pub format: Format,
    /// The notice's title with the format's extension: the name people save it under.
    pub filename: String,
}

impl NoticeFile {
    pub fn mime(&self) -> &'static str {
        self.format.mime()
    }
}

/// Renders a published notice (open to everyone, the public included); xlsx unless asked.
pub async fn file(app: &App, id: i64, format: Option<&str>) -> Result<NoticeFile, Error> {
    let format: Format = format
        .unwrap_or("xlsx")
        .parse()
        .map_err(|e: duban_notice::NoticeError| Error::BadRequest(e.to_string()))?;
    let span = tracing::info_span!("notice_file", id, format = %format.extension());
    async {
        let (published, sheet) = app.store.published_notice(id).await?;
        // The date chosen when it was published; older notices, the day they were published.
        let date = published
            .date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .or_else(|| {
                duban_core::beijing::beijing_time(&published.published_at).map(|t| t.date())
            })
            .unwrap_or_else(duban_core::beijing::today);
        let mut options = NoticeOptions::new(date);
        options.only_problems = published.only_problems;
        // Fixed when it was published; notices published before marks existed have none.
        if let Some(text) = app.store.notice_marks(id).await? {
            options.marks = serde_json::from_str(&text).map_err(Error::internal)?;
        }
        let notice = Notice::build(&sheet, &options).map_err(Error::internal)?;
        let bytes = duban_notice::render(&notice, format).map_err(Error::internal)?;
        Ok(NoticeFile {
            bytes,
            format,
            filename: format!("{}.{}", published.title, format.extension()),
        })
    }
    .instrument(span)
    .await
}

/// The marks a built notice carries, to keep with it when it is published.
fn notice_marks(notice: &Notice) -> NoticeMarks {
    NoticeMarks {
        escalation: notice
            .rows
            .iter()
            .filter_map(|r| r.escalation.map(|e| (r.seq, e)))
            .collect(),
        evidence: notice
            .columns
            .contains(&duban_notice::Column::Evidence)
            .then(|| {
                notice
                    .rows
                    .iter()
                    .filter(|r| !r.evidence.is_empty())
                    .map(|r| (r.seq, r.evidence.clone()))
                    .collect()
            }),
        overdue_rectifications: notice.overdue_rectifications.clone(),
    }
}
