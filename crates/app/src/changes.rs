//! Changes to a ledger's tasks during the year (调整): the office adds a task, withdraws one,
//! merges one into another or reassigns its units, always with a reason. The pages and the API
//! send the same request.

use duban_core::AccountRole;
use duban_store::{Account, TaskChange};

use crate::{App, Error, names_typed, units_typed};

/// What the office asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// 新增: a task at the end of the ledger.
    Add,
    /// 撤销: the task no longer counts.
    Withdraw,
    /// 合并: the task becomes part of the task numbered `into_seq`.
    Merge,
    /// 改派: new units (and leaders when given).
    Reassign,
}

/// One change, as the forms and `POST /api/ledgers/{name}/changes` send it.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ChangeRequest {
    pub action: ChangeAction,
    /// The task changed (its id); not for `add`.
    #[serde(default)]
    pub task: Option<i64>,
    /// For `merge`: the 序号 of the task it joins.
    #[serde(default)]
    pub into_seq: Option<u32>,
    /// For `add`: the task's text.
    #[serde(default)]
    pub goal: String,
    /// For `add` and `reassign`: the lead unit (a name or an alias).
    #[serde(default)]
    pub lead: String,
    /// Support units, separated by 、，, or spaces.
    #[serde(default)]
    pub support: String,
    /// Leaders in charge, separated the same way; empty keeps them on `reassign`.
    #[serde(default)]
    pub leaders: String,
    /// Why (调整理由): required, it goes to the history and the audit log.
    pub reason: String,
}

/// Makes the change; returns the id of the task to show (the new one, the one kept).
pub async fn change(
    app: &App,
    account: &Account,
    ledger: &str,
    request: &ChangeRequest,
) -> Result<i64, Error> {
    if account.role != AccountRole::Office {
        return Err(Error::Forbidden("只有督查室可以调整任务".to_owned()));
    }
    let ledger = app.store.ledger(ledger).await?;
    let task = || {
        request
            .task
            .ok_or_else(|| Error::BadRequest("请指明要调整的任务".to_owned()))
    };
    let change = match request.action {
        ChangeAction::Add => {
            let units = units_typed(&request.lead, &request.support);
            if units.is_empty() {
                return Err(Error::BadRequest("新增任务须填写牵头单位".to_owned()));
            }
            TaskChange::Add {
                goal: request.goal.clone(),
                units,
                leaders: names_typed(&request.leaders),
            }
        }
        ChangeAction::Withdraw => TaskChange::Withdraw { task: task()? },
        ChangeAction::Merge => {
            let seq = request
                .into_seq
                .ok_or_else(|| Error::BadRequest("请填写要并入的任务序号".to_owned()))?;
            let into = *app
                .store
                .task_ids(ledger.id.0)
                .await?
                .get(&seq)
                .ok_or_else(|| Error::NotFound(format!("本台账没有序号为 {seq} 的任务")))?;
            TaskChange::Merge {
                task: task()?,
                into,
            }
        }
        ChangeAction::Reassign => {
            let units = units_typed(&request.lead, &request.support);
            if units.is_empty() {
                return Err(Error::BadRequest("改派须填写牵头单位".to_owned()));
            }
            let leaders = names_typed(&request.leaders);
            TaskChange::Reassign {
                task: task()?,
                units,
                leaders: (!leaders.is_empty()).then_some(leaders),
            }
        }
    };
    Ok(app
        .store
        .change_task(&account.actor(), ledger.id, &change, &request.reason)
        .await?)
}
