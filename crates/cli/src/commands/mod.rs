//! One file per subcommand: parse the arguments into domain values, call `duban-app` or the
//! store, print through `output` and `render`. This file dispatches and holds what they share.

mod account;
mod assess;
mod audit;
mod backup;
mod calendar;
pub mod documents;
mod extract;
mod import;
mod init;
mod inspect;
mod ledger;
mod notice;
mod notify;
mod plan;
pub mod serve;
mod tasks;
mod units;

use anyhow::Result;
use chrono::NaiveDate;
use duban_core::{Calendar, Period};
use duban_store::{DbTarget, Store};

use crate::{
    ChannelCommand, InspectCommand, NotifyCommand, PlanCommand, RectifyCommand, RemindCommand,
};
use crate::{Cli, Command, ExtractCommand, LedgerCommand, UserError};

pub async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Init => init::init(&cli).await,
        Command::Ledger(LedgerCommand::List { json }) => ledger::ledger_list(&cli, *json).await,
        Command::Ledger(LedgerCommand::Export { name, output }) => {
            ledger::ledger_export(&cli, name, output).await
        }
        Command::Tasks(args) => tasks::tasks(&cli, args).await,
        Command::Units(args) => units::units(&cli, args).await,
        Command::Calendar(command) => calendar::calendar(&cli, command),
        Command::Import(args) => import::import(&cli, args).await,
        Command::Documents { json } => documents::list(&cli, *json).await,
        Command::Link(args) => documents::link(&cli, args).await,
        Command::Notice(args) => notice::notice(&cli, args).await,
        Command::Serve(args) => serve::serve(&cli, args, args.demo).await,
        Command::Demo(args) => serve::serve(&cli, args, true).await,
        Command::Extract(ExtractCommand::Targets { text, json }) => {
            extract::extract_targets(text, *json)
        }
        Command::Assess(args) => assess::assess(&cli, args).await,
        Command::Audit(crate::AuditCommand::Verify) => audit::audit_verify(&cli).await,
        Command::Account(command) => account::account(&cli, command).await,
        Command::Notify(NotifyCommand::Channel(ChannelCommand::Add {
            unit,
            account,
            email,
            dingtalk,
            secret,
            wecom,
        })) => {
            let (kind, address) = match (email, dingtalk, wecom) {
                (Some(a), _, _) => ("email", a),
                (_, Some(a), _) => ("dingtalk", a),
                (_, _, Some(a)) => ("wecom", a),
                _ => {
                    return Err(
                        UserError("请给出 --email、--dingtalk 或 --wecom 之一".to_owned()).into(),
                    );
                }
            };
            let channel = duban_store::NewChannel {
                unit: unit.clone(),
                account: account.clone(),
                kind: kind.to_owned(),
                address: address.clone(),
                secret: secret.clone(),
            };
            notify::channel_add(&cli, &channel).await
        }
        Command::Notify(NotifyCommand::Channel(ChannelCommand::List { json })) => {
            notify::channel_list(&cli, *json).await
        }
        Command::Notify(NotifyCommand::Log { limit, json }) => {
            notify::log(&cli, *limit, *json).await
        }
        Command::Remind(RemindCommand::Run { at, json }) => {
            notify::remind_run(&cli, at.as_deref(), *json).await
        }
        Command::Plan(PlanCommand::Indicators { plan, year, json }) => {
            plan::indicators(&cli, plan, *year, *json).await
        }
        Command::Plan(PlanCommand::Actual {
            plan,
            indicator,
            year,
            value,
            note,
            assigned,
        }) => plan::actual(&cli, plan, indicator, *year, value, note, *assigned).await,
        Command::Plan(PlanCommand::Import { plan, file }) => plan::import(&cli, plan, file).await,
        Command::Plan(PlanCommand::Assign {
            plan,
            indicator,
            project,
            all_indicators,
            all_projects,
            unit,
        }) => {
            let (subject, items) = if *all_projects || !project.is_empty() {
                (duban_store::PlanSubject::Project, project)
            } else if *all_indicators || !indicator.is_empty() {
                (duban_store::PlanSubject::Indicator, indicator)
            } else {
                return Err(crate::UserError(
                    "请用 --indicator、--project、--all-indicators 或 --all-projects 指明报送的指标或项目"
                        .to_owned(),
                )
                .into());
            };
            plan::assign(&cli, plan, subject, items, unit).await
        }
        Command::Plan(PlanCommand::Project {
            plan,
            project,
            investment,
            stage,
        }) => plan::project(&cli, plan, project, *investment, stage.as_deref()).await,
        Command::Plan(PlanCommand::ProjectNotice {
            plan,
            quarter,
            output,
        }) => plan::project_notice(&cli, plan, quarter, output).await,
        Command::Projects { plan, json } => plan::projects(&cli, plan, *json).await,
        Command::Plan(PlanCommand::Evaluate { plan, year, output }) => {
            plan::evaluate(&cli, plan, *year, output).await
        }
        Command::Inspect(InspectCommand::Add(args)) => inspect::inspect_add(&cli, args).await,
        Command::Inspect(InspectCommand::Notice { inspection, output }) => {
            inspect::inspect_notice(&cli, *inspection, output).await
        }
        Command::Rectify(RectifyCommand::List { ledger, json }) => {
            inspect::rectify_list(&cli, ledger, *json).await
        }
        Command::Rectify(RectifyCommand::Close { id, reason }) => {
            inspect::rectify_close(&cli, *id, reason).await
        }
        Command::Score {
            ledger,
            year,
            scheme,
            output,
            json,
        } => {
            inspect::score(
                &cli,
                ledger,
                *year,
                scheme.as_deref(),
                output.as_deref(),
                *json,
            )
            .await
        }
        Command::Backup { file } => backup::backup(&cli, file).await,
        Command::Restore { file } => backup::restore(&cli, file).await,
    }
}

pub(crate) fn target(cli: &Cli) -> Result<DbTarget> {
    Ok(DbTarget::choose(cli.database_url.as_deref(), &cli.db)?)
}

pub(crate) async fn open(cli: &Cli) -> Result<Store> {
    Ok(Store::open(&target(cli)?).await?)
}

pub(crate) fn parse_period(text: &str) -> Result<Period> {
    Ok(text.parse::<Period>()?)
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        UserError(format!(
            "日期 \"{text}\" 无效：应为 YYYY-MM-DD，如 2020-10-12"
        ))
        .into()
    })
}

pub(crate) fn load_calendar(cli: &Cli) -> Result<Calendar> {
    let mut calendar = Calendar::builtin();
    if let Some(path) = &cli.holidays {
        let file = duban_office::read_text(path)?;
        calendar.extend(Calendar::from_table(
            &file.text,
            &path.display().to_string(),
        )?);
    }
    Ok(calendar)
}

/// The extension of a table file to write (xlsx or docx), which names its format.
pub(crate) fn table_extension(path: &std::path::Path) -> Result<&str> {
    path.extension().and_then(|e| e.to_str()).ok_or_else(|| {
        UserError(format!(
            "无法从文件名 {} 判断格式：请用 .xlsx 或 .docx 结尾",
            path.display()
        ))
        .into()
    })
}
