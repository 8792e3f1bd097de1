//! `duban serve` and `duban demo`: the web server on the chosen database.

use anyhow::{Context, Result};
use duban_server::{AppState, demo};
use duban_store::Store;

use super::{load_calendar, target};
use crate::output::out;
use crate::{Cli, ServeArgs};

pub async fn serve(cli: &Cli, args: &ServeArgs, demo_mode: bool) -> Result<()> {
    let target = target(cli)?;
    // A new database is created; an existing one is brought to the current schema.
    let (store, _) = Store::init(&target).await?;
    let mut state = AppState::new(store.clone(), load_calendar(cli)?);
    state.secure_cookies = args.secure_cookies;
    state.trusted_proxies = args.trusted_proxy.clone();
    if demo_mode {
        let fixed = std::env::var("DUBAN_DEMO_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty());
        let report = demo::seed(&state, fixed.as_deref()).await?;
        if report.accounts.is_empty() {
            out!("数据库 {} 已有账号，演示数据未重复导入。", store.target());
        } else {
            out!("已导入演示数据：");
            for item in &report.imported {
                out!("  · {item}");
            }
            out!("演示账号（密码只显示这一次）：");
            for a in &report.accounts {
                out!(
                    "  {:<10} 密码 {:<14} {}{}",
                    a.login,
                    a.password,
                    a.role.label_zh(),
                    if a.detail.is_empty() {
                        String::new()
                    } else {
                        format!("（{}）", a.detail)
                    }
                );
            }
        }
    }
    if !demo_mode && store.accounts().await?.is_empty() {
        out!(
            "数据库中还没有账号：先运行 duban account create 登录名 --name 姓名 --role office 建立第一个督查室账号。"
        );
    }
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("无法监听 {}", args.bind))?;
    let address = listener.local_addr()?;
    out!(
        "duban 已启动：http://{address}/ （数据库 {}，{}）。按 Ctrl+C 停止。",
        store.target(),
        store.backend()
    );
    // Reminders go out from the server itself (DUBAN_REMIND=off leaves them to `duban remind
    // run` from cron); the demo never sends.
    let reminders =
        (!demo_mode && std::env::var("DUBAN_REMIND").as_deref() != Ok("off")).then(|| {
            let interval = std::env::var("DUBAN_REMIND_INTERVAL")
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(600u64)
                .max(60);
            tokio::spawn(duban_app::reminders::scheduler(
                (*state).clone(),
                duban_app::reminders::RemindSettings::from_env(),
                std::time::Duration::from_secs(interval),
            ))
        });
    duban_server::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    if let Some(task) = reminders {
        task.abort();
    }
    store.close().await;
    Ok(())
}
