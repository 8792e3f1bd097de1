//! `duban ledger list`, `duban ledger export`.

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

pub(super) async fn ledger_export(cli: &Cli, name: &str, output: &std::path::Path) -> Result<()> {
    let format = match output.extension().and_then(|e| e.to_str()) {
        Some(ext) => ext.parse::<duban_notice::Format>()?,
        None => duban_notice::Format::Xlsx,
    };
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let table = duban_app::export::ledger_table(&app, name).await;
    app.store.close().await;
    let table = table?;
    write_whole(output, &duban_notice::render_table(&table, format)?)?;
    out!("已导出 {} 项任务到 {}", table.rows.len(), output.display());
    Ok(())
}
