//! `duban init`: create the database or bring it to the current schema.

use anyhow::Result;
use duban_store::{InitOutcome, Store};

use super::*;
use crate::Cli;
use crate::output::*;

pub(super) async fn init(cli: &Cli) -> Result<()> {
    let target = target(cli)?;
    let (store, outcome) = Store::init(&target).await?;
    match outcome {
        InitOutcome::Created => out!(
            "已创建 duban 数据库：{}（{}）",
            store.target(),
            store.backend()
        ),
        InitOutcome::AlreadyInitialized => {
            out!(
                "{} 已是 duban 数据库，结构已是最新（{}）",
                store.target(),
                store.backend()
            );
        }
    }
    store.close().await;
    Ok(())
}
