//! Who may see what. Each route admits the roles of one of the sets below (the server's access
//! extractors carry them in their types); what a role then sees of a task and its reports is
//! decided here, once, for the pages, the API and the CLI alike.

use duban_core::{AccountRole, ReportState, Role};
use duban_store::{Account, ReportRecord, TaskDetail};

use crate::Error;

use AccountRole::{Head, Leader, Office, Reporter};

/// 督查室 only: users, imports, review, reminders, notices, locks, the audit log.
pub const OFFICE: &[AccountRole] = &[Office];
/// The dashboard and the ledger table: the office and the leaders (their portfolio).
pub const OVERSIGHT: &[AccountRole] = &[Office, Leader];
/// A unit's own work list.
pub const UNIT: &[AccountRole] = &[Reporter, Head];
/// A task page: anyone with a part in it.
pub const TASK_READERS: &[AccountRole] = &[Office, Leader, Reporter, Head];
/// Acting on a report: each action then checks its own role in the workflow.
pub const REPORT_ACTORS: &[AccountRole] = &[Office, Reporter, Head];

/// True when the account may open the task: the office always, a leader when the task is in
/// their portfolio (分管), a unit when it is one of the task's units.
pub fn can_see_task(account: &Account, task: &TaskDetail) -> bool {
    match account.role {
        Office => true,
        Leader => account
            .leader
            .as_ref()
            .is_some_and(|l| task.leaders.iter().any(|name| name == &l.name)),
        Reporter | Head => account
            .unit
            .as_ref()
            .is_some_and(|u| task.role_of(u.id).is_some()),
        AccountRole::Public => false,
    }
}

/// The reports of a task the account may read. A unit sees its own in every state; the lead
/// unit also sees what its support units (配合) have submitted, to write the task's progress;
/// leaders see what reached the office. Drafts never leave their unit (and the office).
pub fn visible_reports(
    account: &Account,
    task: &TaskDetail,
    reports: Vec<ReportRecord>,
) -> Vec<ReportRecord> {
    let reached_office =
        |r: &ReportRecord| matches!(r.state, ReportState::Submitted | ReportState::Accepted);
    match account.role {
        Office => reports,
        Leader => reports.into_iter().filter(reached_office).collect(),
        Reporter | Head => {
            let Some(unit) = account.unit.as_ref() else {
                return Vec::new();
            };
            let is_lead = task.role_of(unit.id) == Some(Role::Lead);
            reports
                .into_iter()
                .filter(|r| r.unit.id == unit.id || (is_lead && reached_office(r)))
                .collect()
        }
        AccountRole::Public => Vec::new(),
    }
}

/// The leader a leader account is confined to in lists (None for the office).
pub fn portfolio(account: &Account) -> Result<Option<String>, Error> {
    if account.role != Leader {
        return Ok(None);
    }
    match &account.leader {
        Some(l) => Ok(Some(l.name.clone())),
        // Not tied to a leader: no tasks, rather than all of them.
        None => Err(Error::Forbidden(
            "此分管领导账号尚未关联台账中的领导姓名，请联系督查室".to_owned(),
        )),
    }
}

/// The task, if the account may see it (404 is not used to hide: a unit learns nothing from
/// the number of a task it cannot open).
pub async fn visible_task(
    store: &duban_store::Store,
    account: &Account,
    id: i64,
) -> Result<TaskDetail, Error> {
    let detail = store.task_detail(id).await?;
    if can_see_task(account, &detail) {
        Ok(detail)
    } else {
        Err(Error::Forbidden(
            "此任务不属于您的单位或分管范围".to_owned(),
        ))
    }
}
