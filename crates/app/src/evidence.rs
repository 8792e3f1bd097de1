//! Evidence (证明材料) attached to reports: the scanned signed and sealed paper, photos, PDFs,
//! Word files. Only files whose content is one of those are taken; each is seen only by those
//! who may see the report it belongs to.

use duban_core::{AccountRole, ReportKind};
use duban_store::{Account, Attachment, NewAttachment};

use crate::access::{visible_reports, visible_task};
use crate::{App, Error, parse_period};

/// The largest file taken as evidence.
pub const EVIDENCE_LIMIT: usize = 10 * 1024 * 1024;

/// Attaches a file to the account's unit's report (`kind`) on a task for a period.
pub async fn attach(
    app: &App,
    account: &Account,
    task: i64,
    kind: ReportKind,
    period: &str,
    name: &str,
    bytes: &[u8],
) -> Result<Attachment, Error> {
    visible_task(&app.store, account, task).await?;
    let period = parse_period(period)?;
    let (name, mime) = checked(name, bytes)?;
    Ok(app
        .store
        .attach(
            account,
            &NewAttachment {
                kind,
                task,
                period,
                name: &name,
                mime,
                bytes,
            },
        )
        .await?)
}

/// The files on a task the account may see: its own unit's, and the others' once the report
/// they belong to may be seen (the office always; a leader and the lead unit once submitted).
pub async fn visible(app: &App, account: &Account, task: i64) -> Result<Vec<Attachment>, Error> {
    let detail = visible_task(&app.store, account, task).await?;
    let all = app.store.task_attachments(task).await?;
    if account.role == AccountRole::Office {
        return Ok(all);
    }
    let mut seen = Vec::new();
    for kind in [ReportKind::Progress, ReportKind::Target] {
        let reports = match kind {
            ReportKind::Progress => app.store.task_reports(task).await?,
            ReportKind::Target => app.store.task_targets(task).await?,
        };
        for r in visible_reports(account, &detail, reports) {
            seen.push((kind, r.period, r.unit.id.0));
        }
    }
    let mine = account.unit.as_ref().map(|u| u.id.0);
    Ok(all
        .into_iter()
        .filter(|a| Some(a.unit_id) == mine || seen.contains(&(a.kind, a.period, a.unit_id)))
        .collect())
}

/// One file and its bytes, if the account may see it.
pub async fn fetch(app: &App, account: &Account, id: i64) -> Result<(Attachment, Vec<u8>), Error> {
    let attachment = app.store.attachment(id).await?;
    let allowed = visible(app, account, attachment.task_id)
        .await?
        .iter()
        .any(|a| a.id == id);
    if !allowed {
        return Err(Error::Forbidden(
            "此证明材料属于其他单位尚未报送的内容".to_owned(),
        ));
    }
    let bytes = app.store.attachment_bytes(&attachment.hash).await?;
    Ok((attachment, bytes))
}

/// A file accepted as evidence: not empty, at most 10 MB, of a type told from its content (PDF,
/// images, Word, Excel, OFD); its name, or one made from its type. Returns the name and the MIME
/// type.
pub fn checked(name: &str, bytes: &[u8]) -> Result<(String, &'static str), Error> {
    if bytes.is_empty() {
        return Err(Error::BadRequest(format!("“{name}”是空文件")));
    }
    if bytes.len() > EVIDENCE_LIMIT {
        return Err(Error::TooLarge(format!(
            "“{name}”超过 10 MB：请压缩图片或拆分文件后再上传"
        )));
    }
    let Some(kind_of_file) = duban_office::evidence_type(bytes) else {
        return Err(Error::BadRequest(format!(
            "“{name}”不是可接受的证明材料：只接受 PDF、JPG/PNG 图片、Word、Excel、OFD 文件（按文件内容判断，不看扩展名）"
        )));
    };
    let name = name.trim();
    let name = if name.is_empty() {
        format!("证明材料.{}", kind_of_file.extension)
    } else {
        name.to_owned()
    };
    Ok((name, kind_of_file.mime))
}
