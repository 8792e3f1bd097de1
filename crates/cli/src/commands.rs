//! One function per command: parse the arguments into domain values, call the store, print.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use duban_app::listings::{LedgerListing, UnitListing};
use duban_core::{Cadence, Calendar, DeadlineRule, Period, Status};
use duban_store::{DbTarget, InitOutcome, SaveOptions, Store, TaskFilter};

use crate::{
    AssessArgs, CalendarCommand, Cli, Command, ExtractCommand, ImportArgs, LedgerCommand,
    NoticeArgs, TasksArgs, TasksCommand, UnitsArgs, UnitsCommand, UserError,
};
use crate::{documents, render};

/// Tables with at least this many tasks get a progress bar while they are written.
const LONG_TABLE: usize = 500;

pub async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Init => init(&cli).await,
        Command::Ledger(LedgerCommand::List { json }) => ledger_list(&cli, *json).await,
        Command::Tasks(args) => tasks(&cli, args).await,
        Command::Units(args) => units(&cli, args).await,
        Command::Calendar(command) => calendar(&cli, command),
        Command::Import(args) => import(&cli, args).await,
        Command::Documents { json } => documents::list(&cli, *json).await,
        Command::Link(args) => documents::link(&cli, args).await,
        Command::Notice(args) => notice(&cli, args).await,
        Command::Serve(args) => crate::serve::serve(&cli, args, args.demo).await,
        Command::Demo(args) => crate::serve::serve(&cli, args, true).await,
        Command::Extract(ExtractCommand::Targets { text, json }) => extract_targets(text, *json),
        Command::Assess(args) => assess(&cli, args).await,
        Command::Audit(crate::AuditCommand::Verify) => audit_verify(&cli).await,
        Command::Account(command) => account(&cli, command).await,
        Command::Backup { file } => backup(&cli, file).await,
        Command::Restore { file } => restore(&cli, file).await,
    }
}

async fn backup(cli: &Cli, file: &std::path::Path) -> Result<()> {
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
    println!(
        "已备份 {}：{rows} 行，{} KB → {}",
        store.target(),
        text.len() / 1024,
        file.display()
    );
    Ok(())
}

async fn restore(cli: &Cli, file: &std::path::Path) -> Result<()> {
    let origin = file.display().to_string();
    let text = duban_office::read_text(file)?.text;
    let backup: duban_store::Backup = serde_json::from_str(&text)
        .map_err(|e| UserError(format!("{origin} 不是 duban 的备份文件：{e}")))?;
    let (store, _) = Store::init(&target(cli)?).await?;
    let rows = store.restore(&backup).await?;
    let check = store.verify_audit().await?;
    println!(
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

async fn account(cli: &Cli, command: &crate::AccountCommand) -> Result<()> {
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
            println!(
                "已创建账号 {}（{}，{}）",
                created.login,
                created.name,
                created.role.label_zh()
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
                println!(
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
                println!("{}\t{}\t{}\t{place}", a.login, a.name, a.role.label_zh());
            }
            Ok(())
        }
    }
}

/// A password from standard input: one line, with a prompt when a person is typing it.
fn read_password() -> Result<String> {
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

async fn audit_verify(cli: &Cli) -> Result<()> {
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
    println!("审计日志完整：{} 条记录，哈希链一致{older}", check.entries);
    Ok(())
}

pub(crate) fn target(cli: &Cli) -> Result<DbTarget> {
    Ok(DbTarget::choose(cli.database_url.as_deref(), &cli.db)?)
}

pub(crate) async fn open(cli: &Cli) -> Result<Store> {
    Ok(Store::open(&target(cli)?).await?)
}

fn parse_period(text: &str) -> Result<Period> {
    Ok(text.parse::<Period>()?)
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        UserError(format!(
            "日期 \"{text}\" 无效：应为 YYYY-MM-DD，如 2020-10-12"
        ))
        .into()
    })
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

async fn init(cli: &Cli) -> Result<()> {
    let target = target(cli)?;
    let (store, outcome) = Store::init(&target).await?;
    match outcome {
        InitOutcome::Created => println!(
            "已创建 duban 数据库：{}（{}）",
            store.target(),
            store.backend()
        ),
        InitOutcome::AlreadyInitialized => {
            println!(
                "{} 已是 duban 数据库，结构已是最新（{}）",
                store.target(),
                store.backend()
            );
        }
    }
    store.close().await;
    Ok(())
}

async fn ledger_list(cli: &Cli, json: bool) -> Result<()> {
    let store = open(cli).await?;
    let ledgers = store.ledgers().await?;
    store.close().await;
    if json {
        let rows: Vec<LedgerListing> = ledgers.iter().map(Into::into).collect();
        return print_json(&rows);
    }
    if ledgers.is_empty() {
        println!("还没有台账：用 duban import 导入");
        return Ok(());
    }
    println!("{}", render::ledgers(&ledgers));
    Ok(())
}

async fn tasks(cli: &Cli, args: &TasksArgs) -> Result<()> {
    if let Some(TasksCommand::Propose { document, json }) = &args.command {
        return documents::propose(cli, document, *json).await;
    }
    let Some(ledger) = &args.ledger else {
        return Err(UserError(
            "请用 --ledger 给出台账名称（duban ledger list 列出现有台账）".to_owned(),
        )
        .into());
    };
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let status = args
        .status
        .as_deref()
        .map(str::parse::<Status>)
        .transpose()?;
    let filter = TaskFilter {
        unit: args.unit.clone(),
        leader: args.leader.clone(),
        status,
    };
    let store = open(cli).await?;
    let sheet = store.sheet(ledger, period, &filter).await?;
    store.close().await;
    if args.json {
        return print_json(&sheet);
    }
    println!("{}", render::sheet(&sheet));
    Ok(())
}

async fn units(cli: &Cli, args: &UnitsArgs) -> Result<()> {
    let store = open(cli).await?;
    let result = match &args.command {
        None => list_units(&store, args.json).await,
        Some(UnitsCommand::List { json }) => list_units(&store, *json || args.json).await,
        Some(UnitsCommand::Alias { name, alias }) => {
            let outcome = store.add_alias(name, alias).await?;
            let canonical = store.unit_name(name).await?;
            match outcome {
                duban_store::AliasOutcome::Added => {
                    println!("已记录：{alias} 是 {canonical} 的别名")
                }
                duban_store::AliasOutcome::Unchanged => {
                    println!("{alias} 已是 {canonical} 的别名，未作改动")
                }
                duban_store::AliasOutcome::Merged { tasks_moved } => println!(
                    "已把单位 {alias} 并入 {canonical}（转移 {tasks_moved} 项任务），并记录为别名"
                ),
            }
            Ok(())
        }
    };
    store.close().await;
    result
}

async fn list_units(store: &Store, json: bool) -> Result<()> {
    let units = store.units().await?;
    if json {
        let rows: Vec<UnitListing> = units.iter().map(Into::into).collect();
        return print_json(&rows);
    }
    if units.is_empty() {
        println!("还没有单位：导入台账时自动建立");
        return Ok(());
    }
    println!("{}", render::units(&units));
    Ok(())
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

fn calendar(cli: &Cli, command: &CalendarCommand) -> Result<()> {
    let calendar = load_calendar(cli)?;
    match command {
        CalendarCommand::Deadline { period, days } => {
            let period = parse_period(period)?;
            println!("{}", calendar.deadline(period, *days)?);
        }
        CalendarCommand::Workdays { from, to } => {
            let (from, to) = (parse_date(from)?, parse_date(to)?);
            println!("{}", calendar.working_days(from, to)?);
        }
    }
    Ok(())
}

async fn import(cli: &Cli, args: &ImportArgs) -> Result<()> {
    if let Some((kind, text)) = documents::document_to_import(args)? {
        return documents::import(cli, args, kind, &text).await;
    }
    let origin = args.file.display().to_string();
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let options = duban_extract::ReadOptions {
        ledger: args.ledger.clone(),
        period,
    };
    let duban_import::TableFile {
        mut sheet,
        warnings,
    } = duban_import::read_table(&args.file, &origin, &options)?;
    for warning in &warnings {
        eprintln!("duban: 警告：{origin} {warning}");
    }
    if args.strict && !warnings.is_empty() {
        return Err(UserError(format!(
            "{origin} 有 {} 条警告（--strict），未导入：{}",
            warnings.len(),
            warnings[0]
        ))
        .into());
    }
    if let Some(name) = &args.ledger {
        sheet.ledger = name.trim().to_owned();
    }
    if let Some(period) = period {
        if let Some(stated) = sheet.period.filter(|p| *p != period) {
            return Err(UserError(format!(
                "{origin} 写明的期间是 {stated}，与 --period {period} 不符"
            ))
            .into());
        }
        sheet.period = Some(period);
    }
    sheet
        .validate()
        .map_err(|e| UserError(format!("{origin}：{e}")))?;
    let options = SaveOptions {
        cadence: args
            .cadence
            .as_deref()
            .map(str::parse::<Cadence>)
            .transpose()?,
        deadline: args
            .deadline_days
            .map(|working_days| DeadlineRule { working_days }),
    };
    if args.dry_run {
        if args.json {
            return print_json(&sheet);
        }
        println!("{}（未写入数据库）", render::import_summary(&sheet, None));
        return Ok(());
    }
    let app = duban_app::App::new(open(cli).await?, load_calendar(cli)?);
    // A bar only where writing takes long enough to wonder; indicatif draws nothing when
    // stderr is not a terminal.
    let bar = indicatif::ProgressBar::new(sheet.tasks.len() as u64);
    if sheet.tasks.len() < LONG_TABLE {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let (report, _) = duban_app::imports::save(
        &app,
        &duban_store::Actor::system(),
        &sheet,
        options,
        &mut |done| bar.set_position(done as u64),
    )
    .await
    .with_context(|| format!("导入 {origin} 失败，数据库未作任何改动"))?;
    bar.finish_and_clear();
    app.store.close().await;
    if args.json {
        return print_json(&sheet);
    }
    println!("{}", render::import_summary(&sheet, Some(&report)));
    if !warnings.is_empty() {
        println!("警告 {} 条（见上方）", warnings.len());
    }
    Ok(())
}

async fn notice(cli: &Cli, args: &NoticeArgs) -> Result<()> {
    use duban_notice::{Format, Notice, NoticeOptions};

    let period = args.period.as_deref().map(parse_period).transpose()?;
    let format = match (&args.format, &args.output) {
        (Some(f), _) => f.parse::<Format>()?,
        (None, Some(path)) => {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            ext.parse::<Format>().map_err(|_| {
                UserError(format!(
                    "无法从文件名 {} 判断通报格式：请用 --format xlsx|docx|html|md",
                    path.display()
                ))
            })?
        }
        (None, None) => Format::Markdown,
    };
    let date = match &args.date {
        Some(text) => parse_date(text)?,
        None => duban_core::beijing::today(),
    };
    let store = open(cli).await?;
    let sheet = store
        .sheet(&args.ledger, period, &TaskFilter::default())
        .await?;
    store.close().await;
    let mut options = NoticeOptions::new(date);
    options.only_problems = args.only_problems;
    options.leader_header = args.leader_column.clone();
    let notice = Notice::build(&sheet, &options)?;
    let bytes = duban_notice::render(&notice, format)?;

    let path = match (&args.output, format) {
        (Some(path), _) => path.clone(),
        (None, Format::Markdown | Format::Html) => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
            return Ok(());
        }
        (None, _) => std::path::PathBuf::from(format!("{}.{}", notice.title, format.extension())),
    };
    write_whole(&path, &bytes)?;
    let t = &notice.statistics.overall;
    eprintln!(
        "已生成 {}：{} 行，完成 {} 项，部分完成 {} 项，未完成 {} 项，未报送 {} 项，完成率 {}",
        path.display(),
        notice.rows.len(),
        t.done,
        t.partial,
        t.not_done,
        t.unreported,
        t.rate_text()
    );
    Ok(())
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed, so an
/// interrupted run never leaves half a notice where the old one was.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let cannot = |e: std::io::Error| UserError(format!("无法写入 {}：{e}", path.display()));
    let mut builder = tempfile::Builder::new();
    // A temporary file is private (0600); a published notice is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut file = builder.tempfile_in(dir).map_err(cannot)?;
    file.write_all(bytes).map_err(cannot)?;
    file.persist(path).map_err(|e| cannot(e.error))?;
    Ok(())
}

fn extract_targets(text: &str, json: bool) -> Result<()> {
    let targets = duban_extract::targets::read_targets(text);
    if json {
        return print_json(&targets);
    }
    if targets.is_empty() {
        println!("未找到量化目标。");
        return Ok(());
    }
    println!("{}", render::targets(&targets));
    Ok(())
}

async fn assess(cli: &Cli, args: &AssessArgs) -> Result<()> {
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
        println!("{}", render::assessments(&assessments));
    }
    println!(
        "{}",
        render::agreement(&duban_extract::assess::Agreement::of(&assessments))
    );
    Ok(())
}
