//! `duban audit verify`: the audit log's hash chain.

use anyhow::Result;

use super::*;
use crate::output::*;
use crate::{Cli, UserError};

pub(super) async fn audit_verify(cli: &Cli) -> Result<()> {
    let store = open(cli).await?;
    let check = store.verify_audit().await?;
    if let Some((id, why)) = check.broken {
        return Err(UserError(format!("审计日志第 {id} 号记录：{why}")).into());
    }
    let older = if check.unchained > 0 {
        format!("（其中 {} 条早于哈希链，未能校验）", check.unchained)
    } else {
        String::new()
    };
    out!("审计日志完整：{} 条记录，哈希链一致{older}", check.entries);
    Ok(())
}
