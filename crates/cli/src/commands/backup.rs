//! `duban backup` and `duban restore`: the whole database as one JSON file.

use anyhow::Result;
use duban_store::Store;

use super::*;
use crate::output::*;
use crate::{Cli, UserError};

pub(super) async fn backup(cli: &Cli, file: &std::path::Path) -> Result<()> {
    let store = open(cli).await?;
    let backup = store.backup().await?;
    let rows: usize = backup
        .tables
        .values()
        .filter_map(|t| t["rows"].as_array().map(Vec::len))
        .sum();
    let text = serde_json::to_vec(&backup)?;
    // Written beside the target and renamed: an existing backup is replaced whole or not at all.
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| UserError(format!("无法在 {} 写入备份：{e}", dir.display())))?;
    std::io::Write::write_all(&mut temp, &text)?;
    temp.persist(file)
        .map_err(|e| UserError(format!("无法写入 {}：{e}", file.display())))?;
    out!(
        "已备份 {}：{rows} 行，{} KB → {}",
        store.target(),
        text.len() / 1024,
        file.display()
    );
    Ok(())
}

pub(super) async fn restore(cli: &Cli, file: &std::path::Path) -> Result<()> {
    let origin = file.display().to_string();
    let text = duban_office::read_text(file)?.text;
    let backup: duban_store::Backup = serde_json::from_str(&text)
        .map_err(|e| UserError(format!("{origin} 不是 duban 的备份文件：{e}")))?;
    let (store, _) = Store::init(&target(cli)?).await?;
    let rows = store.restore(&backup).await?;
    let check = store.verify_audit().await?;
    out!(
        "已恢复到 {}：{rows} 行（备份于 {}）；审计日志 {} 条，哈希链{}",
        store.target(),
        backup.created_at,
        check.entries,
        if check.broken.is_none() {
            "一致"
        } else {
            "不一致"
        }
    );
    Ok(())
}
