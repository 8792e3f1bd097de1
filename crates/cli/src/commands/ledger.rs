//! `duban ledger list`.

use anyhow::Result;
use duban_app::listings::LedgerListing;

use super::*;
use crate::Cli;
use crate::output::*;
use crate::render;

pub(super) async fn ledger_list(cli: &Cli, json: bool) -> Result<()> {
    let store = open(cli).await?;
    let ledgers = store.ledgers().await?;
    store.close().await;
    let rows: Vec<LedgerListing> = ledgers.iter().map(Into::into).collect();
    listing(
        json,
        &rows,
        "还没有台账：用 duban import 导入",
        || render::ledgers(&ledgers),
    )
}
