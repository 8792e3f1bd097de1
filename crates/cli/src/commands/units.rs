//! `duban units`: the responsible units, and registering an alias.

use anyhow::Result;
use duban_app::listings::UnitListing;
use duban_store::Store;

use super::*;
use crate::output::*;
use crate::render;
use crate::{Cli, UnitsArgs, UnitsCommand};

pub(super) async fn units(cli: &Cli, args: &UnitsArgs) -> Result<()> {
    let store = open(cli).await?;
    let result = match &args.command {
        None => list_units(&store, args.json).await,
        Some(UnitsCommand::List { json }) => list_units(&store, *json || args.json).await,
        Some(UnitsCommand::Alias { name, alias }) => {
            let outcome = store.add_alias(name, alias).await?;
            let canonical = store.unit_name(name).await?;
            match outcome {
                duban_store::AliasOutcome::Added => {
                    out!("已记录：{alias} 是 {canonical} 的别名")
                }
                duban_store::AliasOutcome::Unchanged => {
                    out!("{alias} 已是 {canonical} 的别名，未作改动")
                }
                duban_store::AliasOutcome::Merged { tasks_moved } => out!(
                    "已把单位 {alias} 并入 {canonical}（转移 {tasks_moved} 项任务），并记录为别名"
                ),
            }
            Ok(())
        }
    };
    store.close().await;
    result
}

pub(super) async fn list_units(store: &Store, json: bool) -> Result<()> {
    let units = store.units().await?;
    let rows: Vec<UnitListing> = units.iter().map(Into::into).collect();
    listing(
        json,
        &rows,
        "还没有单位：导入台账时自动建立",
        || render::units(&units),
    )
}
