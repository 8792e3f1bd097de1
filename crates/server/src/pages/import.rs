//! Importing a table in the browser: upload, preview, confirm.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use duban_app::{Error, imports};
use serde::Deserialize;

use super::{PageResult, render};
use crate::access::{CsrfForm, Signed, Upload, rule};
use crate::views::{ImportPage, Layout, PreviewRow};
use crate::{AppState, Viewer};

fn empty(viewer: &Viewer, message: Option<String>) -> ImportPage {
    ImportPage {
        layout: Layout::new(viewer, "导入台账", "/import"),
        file: String::new(),
        ledger: String::new(),
        period: String::new(),
        rows: Vec::new(),
        total: 0,
        warnings: Vec::new(),
        preview: String::new(),
        message,
        error: None,
        new_ledger: false,
        cadence: String::new(),
    }
}

pub async fn page(user: Signed<rule::Office>) -> PageResult {
    render(&empty(&user.viewer, None))
}

pub async fn preview(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    upload: Upload,
) -> PageResult {
    let viewer = &upload.viewer;
    let name = upload.name.clone();
    let table = match imports::read_table(&upload.name, upload.bytes).await {
        Ok(t) => t,
        // A file that cannot be read is said on the import page, where the next file is chosen.
        Err(Error::BadRequest(message)) => {
            let page = ImportPage {
                error: Some(message),
                ..empty(viewer, None)
            };
            let html = page.render().map_err(crate::error::template)?;
            return Ok((StatusCode::BAD_REQUEST, Html(html)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let sheet = table.sheet;
    let preview = imports::keep_preview(&state, &user.account, &name, &sheet).await?;
    let new_ledger = state.store.ledger(&sheet.ledger).await.is_err();
    let cadence = sheet
        .period
        .or_else(|| {
            sheet
                .tasks
                .iter()
                .filter_map(|t| t.targets.as_ref())
                .flat_map(|m| m.keys())
                .next()
                .copied()
        })
        .map_or(duban_core::Cadence::Quarterly, |p| p.cadence());
    render(&ImportPage {
        new_ledger,
        cadence: cadence.code().to_owned(),
        layout: Layout::new(viewer, "导入台账", "/import"),
        file: name,
        ledger: sheet.ledger.clone(),
        period: sheet
            .period
            .map(|p| p.label_zh())
            .unwrap_or_else(|| "未写明期间".to_owned()),
        total: sheet.tasks.len(),
        rows: sheet
            .tasks
            .iter()
            .take(50)
            .map(|t| PreviewRow {
                seq: t.seq,
                goal: t.goal.clone(),
                target: t.target.clone().unwrap_or_default(),
                status: t
                    .status
                    .map(|s| s.label_zh().to_owned())
                    .unwrap_or_default(),
                units: t
                    .units
                    .iter()
                    .flatten()
                    .map(|u| u.name.clone())
                    .collect::<Vec<_>>()
                    .join("、"),
            })
            .collect(),
        warnings: table.warnings.iter().map(|w| w.to_string()).collect(),
        preview,
        message: None,
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    /// The id the preview was kept under.
    preview: String,
    /// For a new ledger: how often units report, and in how many working days.
    #[serde(default)]
    cadence: Option<String>,
    #[serde(default)]
    deadline_days: Option<String>,
}

pub async fn confirm(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> PageResult {
    let options = duban_store::SaveOptions {
        cadence: match form.cadence.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => Some(c.parse().map_err(Error::from)?),
            _ => None,
        },
        deadline: match form.deadline_days.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => Some(duban_core::DeadlineRule {
                working_days: d
                    .parse()
                    .map_err(|_| Error::BadRequest("报送截止的工作日数应为整数".to_owned()))?,
            }),
            _ => None,
        },
    };
    let (sheet, report) =
        imports::confirm_preview(&state, &user.account, &form.preview, options).await?;
    let message = format!(
        "已导入“{}”：新增 {} 项，更新 {} 项，未变 {} 项",
        sheet.ledger, report.tasks_added, report.tasks_updated, report.tasks_unchanged
    );
    render(&empty(&user.viewer, Some(message)))
}
