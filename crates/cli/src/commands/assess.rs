//! `duban assess`: each task's targets against the figures reported, with a suggested status.

use anyhow::Result;
use duban_store::TaskFilter;

use super::*;
use crate::output::*;
use crate::render;
use crate::{AssessArgs, Cli, UserError};

pub(super) async fn assess(cli: &Cli, args: &AssessArgs) -> Result<()> {
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let store = open(cli).await?;
    let sheet = store
        .sheet(&args.ledger, period, &TaskFilter::default())
        .await?;
    store.close().await;
    let Some(period) = sheet.period else {
        return Err(UserError(format!(
            "台账 \"{}\" 还没有任何期间的数据，无法评估",
            sheet.ledger
        ))
        .into());
    };
    let assessments: Vec<duban_extract::assess::Assessment> = sheet
        .tasks
        .iter()
        .map(|t| duban_extract::assess::assess_task(t, period))
        .collect();
    if args.json {
        return print_json(&assessments);
    }
    if !args.summary {
        out!("{}", render::assessments(&assessments));
    }
    out!(
        "{}",
        render::agreement(&duban_extract::assess::Agreement::of(&assessments))
    );
    Ok(())
}
