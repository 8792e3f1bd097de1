//! `duban account`: create (the password from standard input) and list accounts.

use anyhow::Result;
use duban_store::Store;

use super::*;
use crate::output::*;
use crate::{Cli, UserError};

pub(super) async fn account(cli: &Cli, command: &crate::AccountCommand) -> Result<()> {
    match command {
        crate::AccountCommand::Create {
            login,
            name,
            role,
            unit,
            leader,
        } => {
            let role: duban_core::AccountRole = role.trim().parse()?;
            let password = read_password()?;
            // A new database is created and brought to the current schema, so `duban account
            // create` is all a first run needs.
            let (store, _) = Store::init(&target(cli)?).await?;
            let app = duban_app::App::new(store, load_calendar(cli)?);
            let request = duban_app::accounts::AccountRequest {
                login: login.clone(),
                name: name.clone(),
                password,
                role,
                unit: unit.clone(),
                leader: leader.clone(),
            };
            let created = duban_app::accounts::create(&app, &duban_store::Actor::system(), request)
                .await
                .map_err(|e| UserError(e.to_string()))?;
            app.store.close().await;
            out!(
                "已创建账号 {}（{}，{}）",
                created.login,
                created.name,
                created.role.label_zh()
            );
            Ok(())
        }
        crate::AccountCommand::Disable { login, enable } => {
            let app = duban_app::App::new(open(cli).await?, super::load_calendar(cli)?);
            let account = duban_app::accounts::set_disabled(
                &app,
                &duban_store::Actor::system(),
                login,
                !*enable,
            )
            .await?;
            app.store.close().await;
            out!(
                "已{}账号 {}（{}）",
                if account.disabled { "停用" } else { "启用" },
                account.login,
                account.name
            );
            Ok(())
        }
        crate::AccountCommand::Reset { login } => {
            let password = read_password()?;
            let app = duban_app::App::new(open(cli).await?, super::load_calendar(cli)?);
            let account = duban_app::accounts::reset_password(
                &app,
                &duban_store::Actor::system(),
                login,
                &password,
            )
            .await?;
            app.store.close().await;
            out!(
                "已重设账号 {}（{}）的密码，其已登录的会话全部失效",
                account.login,
                account.name
            );
            Ok(())
        }
        crate::AccountCommand::List { json } => {
            let store = open(cli).await?;
            let accounts = store.accounts().await?;
            if *json {
                return print_json(&accounts);
            }
            if accounts.is_empty() {
                out!(
                    "还没有账号：用 duban account create 登录名 --name 姓名 --role office 创建第一个"
                );
                return Ok(());
            }
            for a in &accounts {
                let place = a
                    .unit
                    .as_ref()
                    .map(|u| u.name.clone())
                    .or(a.leader.as_ref().map(|l| l.name.clone()))
                    .unwrap_or_default();
                let state = if a.disabled { "\t已停用" } else { "" };
                out!(
                    "{}\t{}\t{}\t{place}{state}",
                    a.login,
                    a.name,
                    a.role.label_zh()
                );
            }
            Ok(())
        }
    }
}

/// A password from standard input: one line, with a prompt when a person is typing it.
pub(super) fn read_password() -> Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("密码（至少 10 位）：");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(UserError("没有读到密码：请从标准输入提供一行密码".to_owned()).into());
    }
    Ok(password)
}
