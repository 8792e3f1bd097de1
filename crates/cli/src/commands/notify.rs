//! `duban notify channel add|list`, `duban notify log`, `duban remind run`.

use anyhow::Result;
use duban_store::{Actor, NewChannel};

use super::*;
use crate::output::*;
use crate::{Cli, render};

pub(super) async fn channel_add(cli: &Cli, channel: &NewChannel) -> Result<()> {
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let request = duban_app::reminders::ChannelRequest {
        unit: channel.unit.clone(),
        account: channel.account.clone(),
        kind: channel.kind.clone(),
        address: channel.address.clone(),
        secret: channel.secret.clone(),
    };
    let added = duban_app::reminders::add_channel(&app, &Actor::system(), &request).await;
    app.store.close().await;
    let added = added?;
    out!(
        "已登记渠道 {}：{} {} → {}",
        added.id,
        added.kind,
        added.address,
        added
            .account
            .clone()
            .or(added.unit.clone())
            .unwrap_or_default()
    );
    Ok(())
}

pub(super) async fn channel_list(cli: &Cli, json: bool) -> Result<()> {
    let store = open(cli).await?;
    let channels = store.channels().await;
    store.close().await;
    let channels = channels?;
    listing(
        json,
        &channels,
        "还没有渠道：用 duban notify channel add 登记单位的邮箱或群机器人",
        || render::channels(&channels),
    )
}

pub(super) async fn log(cli: &Cli, limit: i64, json: bool) -> Result<()> {
    let store = open(cli).await?;
    let deliveries = store.deliveries(limit).await;
    store.close().await;
    let deliveries = deliveries?;
    listing(json, &deliveries, "还没有发送记录", || {
        render::deliveries(&deliveries)
    })
}

/// A moment as given: RFC 3339, or a day meaning 09:00 in Beijing (01:00 UTC).
fn moment(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at.with_timezone(&chrono::Utc));
    }
    let day = parse_date(text)?;
    Ok(day.and_hms_opt(1, 0, 0).expect("01:00 exists").and_utc())
}

pub(super) async fn remind_run(cli: &Cli, at: Option<&str>, json: bool) -> Result<()> {
    let at = match at {
        Some(text) => moment(text)?,
        None => chrono::Utc::now(),
    };
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    let settings = duban_app::reminders::RemindSettings::from_env();
    let report = duban_app::reminders::run_pass(&app, at, &settings).await;
    app.store.close().await;
    let report = report?;
    if json {
        return print_json(&report);
    }
    out!(
        "{}：{} 个单位有待报送的任务；发送 {} 条，失败 {} 条，今日已发送过 {} 条",
        report.day,
        report.units,
        report.sent,
        report.failed,
        report.already
    );
    for d in report.deliveries.iter().filter(|d| d.outcome == "failed") {
        out!(
            "失败：{} {} {}：{}",
            d.unit,
            d.kind,
            d.address,
            d.error.clone().unwrap_or_default()
        );
    }
    if !report.unreachable.is_empty() {
        out!(
            "没有登记渠道、无法提醒的单位 {} 个：{}",
            report.unreachable.len(),
            report.unreachable.join("、")
        );
    }
    Ok(())
}
