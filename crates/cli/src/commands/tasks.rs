//! `duban tasks`: a ledger's tasks for a period, with filters (and `tasks propose`).

use anyhow::Result;
use duban_core::Status;
use duban_store::TaskFilter;

use super::*;
use crate::output::*;
use crate::render;
use crate::{Cli, TasksArgs, TasksCommand, UserError};

pub(super) async fn tasks(cli: &Cli, args: &TasksArgs) -> Result<()> {
    if let Some(TasksCommand::Propose { document, json }) = &args.command {
        return documents::propose(cli, document, *json).await;
    }
    let Some(ledger) = &args.ledger else {
        return Err(UserError(
            "请用 --ledger 给出台账名称（duban ledger list 列出现有台账）".to_owned(),
        )
        .into());
    };
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let status = args
        .status
        .as_deref()
        .map(str::parse::<Status>)
        .transpose()?;
    let filter = TaskFilter {
        unit: args.unit.clone(),
        leader: args.leader.clone(),
        status,
    };
    let store = open(cli).await?;
    let sheet = store.sheet(ledger, period, &filter).await?;
    store.close().await;
    if args.json {
        return print_json(&sheet);
    }
    out!("{}", render::sheet(&sheet));
    Ok(())
}
