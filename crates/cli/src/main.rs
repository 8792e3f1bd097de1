//! `duban`: the command line of the supervision ledger (督办台账).
//!
//! Parses arguments, opens the database, calls the store and prints results for people (Chinese
//! tables sized for a terminal) or programs (`--json`, the ledger JSON). Holds no rules of its
//! own: those live in `duban-core`.

mod commands;
mod output;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// duban (督办): key-task ledgers, progress and notices for a government supervision office.
#[derive(Debug, Parser)]
#[command(name = "duban", version, about, propagate_version = true)]
pub struct Cli {
    /// SQLite database file (the embedded default). DATABASE_URL, when set, is used instead.
    #[arg(long, global = true, default_value = "duban.db", value_name = "PATH")]
    db: PathBuf,

    /// PostgreSQL (postgres://…) or SQLite (sqlite:PATH) URL; overrides --db.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    database_url: Option<String>,

    /// Extra holiday table (same columns as crates/core/data/holidays-cn.csv); the years it names
    /// replace the built-in ones.
    #[arg(long, global = true, env = "DUBAN_HOLIDAYS", value_name = "FILE")]
    holidays: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the database (or bring an existing duban database to the current schema).
    Init,
    /// Ledgers (台账).
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// List a ledger's tasks (重点工作任务) for one period, with filters.
    Tasks(TasksArgs),
    /// Responsible units (责任单位) and their aliases.
    Units(UnitsArgs),
    /// Working-day calendar (工作日): deadlines and counts.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Import a ledger table (ledger JSON, PDF text, TSV, csv, xlsx) or a document: a work report
    /// (政府工作报告) or a five-year plan (规划纲要) as text.
    Import(ImportArgs),
    /// List the stored documents (reports and plans).
    Documents {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Find, for every task of a ledger, the passage of a report its goal was taken from, and
    /// store the links.
    Link(LinkArgs),
    /// Publish the notice table (通报表) of a ledger for one period: xlsx, docx, html or md.
    Notice(NoticeArgs),
    /// Read structure out of a text without storing anything.
    #[command(subcommand)]
    Extract(ExtractCommand),
    /// Compare each task's targets with the figures reported for a period and suggest a status,
    /// with the evidence, next to the status the office recorded.
    Assess(AssessArgs),
    /// Run the web server (pages and REST API) on the database.
    Serve(ServeArgs),
    /// Run the web server with demo data: the sample documents and one account per role.
    Demo(ServeArgs),
    /// Accounts (账号): create the first office account on a new database, list them.
    #[command(subcommand)]
    Account(AccountCommand),
    /// The audit log (操作日志).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Channels that reach people (e-mail, DingTalk and WeCom robots) and the delivery log.
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// Reminders (催报): send the day's digests to the units with tasks due or overdue.
    #[command(subcommand)]
    Remind(RemindCommand),
    /// Plan monitoring (规划监测): the main indicators' paths, actuals and judgements.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// The key projects a plan lists in its 专栏 boxes (重点项目库), by box and group.
    Projects {
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        #[arg(long)]
        json: bool,
    },
    /// Record an inspection's finding (督查发现的问题) for a task and unit; prints the finding's id.
    #[command(subcommand)]
    Inspect(InspectCommand),
    /// The units' rectification items (整改): list them, close one (销号).
    #[command(subcommand)]
    Rectify(RectifyCommand),
    /// The units' scores (考核) for a ledger's year by its scheme: every point with its reason.
    Score {
        #[arg(long, value_name = "NAME")]
        ledger: String,
        /// The ledger's year (checked against it).
        #[arg(long)]
        year: Option<i32>,
        /// A scheme (JSON) to score by instead of the ledger's own.
        #[arg(long, value_name = "FILE")]
        scheme: Option<std::path::PathBuf>,
        /// Write the year's assessment table (xlsx or docx) instead of printing.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
        /// Print JSON: per unit `unit`, `kind`, `total`, `rank` and `parts` ([{item, points, max, reason}]).
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the whole database to FILE (JSON), also while the server runs.
    Backup { file: std::path::PathBuf },
    /// Restore a backup into a new, empty database (SQLite or PostgreSQL, either way round).
    Restore { file: std::path::PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account. The password is read from standard input (one line; typed at a prompt
    /// on a terminal), never from the command line.
    Create {
        login: String,
        /// The person's name as others read it (姓名).
        #[arg(long)]
        name: String,
        /// office (督查室), leader (分管领导), reporter (单位填报人), head (单位负责人), public (公众),
        /// or the Chinese word.
        #[arg(long)]
        role: String,
        /// The unit of a reporter or a head.
        #[arg(long)]
        unit: Option<String>,
        /// The leader a leader account stands for.
        #[arg(long)]
        leader: Option<String>,
    },
    /// Disable an account (it cannot log in; its sessions end; its history stays), or enable it
    /// again with --enable.
    Disable {
        login: String,
        #[arg(long)]
        enable: bool,
    },
    /// Set a new password for an account (read from standard input); its sessions end, and a
    /// unit head's signing key follows the new password (earlier signatures still verify).
    Reset { login: String },
    /// List the accounts.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the log's hash chain: every entry against its own hash and its predecessor's; name
    /// the first entry changed, removed or inserted.
    Verify,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    bind: String,
    /// Import the sample documents and create one demo account per role (on a database without
    /// accounts), printing how to log in.
    #[arg(long)]
    demo: bool,
    /// Mark session cookies Secure (when served behind HTTPS).
    #[arg(long)]
    secure_cookies: bool,
    /// The address of a reverse proxy whose X-Forwarded-For is believed (repeatable); without
    /// it every user behind the proxy shares its address for the login limit.
    #[arg(long, value_name = "IP")]
    trusted_proxy: Vec<std::net::IpAddr>,
}

#[derive(Debug, Subcommand)]
enum ExtractCommand {
    /// The quantitative targets in a sentence: metric, kind, value, unit, bound.
    Targets {
        /// The sentence, e.g. "地区生产总值增长5.5%以上，新增市场主体1万户以上".
        text: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
struct AssessArgs {
    /// Ledger name.
    #[arg(long, value_name = "NAME")]
    ledger: String,
    /// Period. Default: the latest with data.
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// Print JSON: [{"seq", "recorded", "suggested", "evidence": [{"target", "reported", "met"}]}].
    #[arg(long)]
    json: bool,
    /// Print only the agreement table (recorded × suggested) and the share judged.
    #[arg(long)]
    summary: bool,
}

#[derive(Debug, Subcommand)]
enum NotifyCommand {
    /// Channels: add one, or list them.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// The latest deliveries, sent and failed.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ChannelCommand {
    /// Register a channel of a unit (its mailbox, its group's robot) or of one person (an
    /// account's e-mail).
    Add {
        /// The unit (a name or an alias).
        #[arg(long, value_name = "UNIT", conflicts_with = "account")]
        unit: Option<String>,
        /// The account (login) of the person.
        #[arg(long, value_name = "LOGIN")]
        account: Option<String>,
        /// An e-mail address.
        #[arg(long, value_name = "ADDR", group = "kind")]
        email: Option<String>,
        /// A DingTalk robot's webhook URL.
        #[arg(long, value_name = "URL", group = "kind")]
        dingtalk: Option<String>,
        /// The DingTalk robot's signing secret (加签).
        #[arg(long, value_name = "SECRET", requires = "dingtalk")]
        secret: Option<String>,
        /// A WeCom (企业微信) robot's webhook URL.
        #[arg(long, value_name = "URL", group = "kind")]
        wecom: Option<String>,
    },
    /// List the channels.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum PlanCommand {
    /// Each main indicator with its rule, baseline and target, and per year the value expected
    /// on its path, the actual and the judgement (on_track, behind, missed, no_data).
    Indicators {
        /// The plan's id or exact title (`duban documents` lists them).
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        /// Up to this year (default: every year of the plan).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Record an indicator's actual value for a year (two series: 78.6,86.3), or with
    /// --assigned the yearly value set for an indicator whose target is an assignment.
    Actual {
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        /// The indicator's name (or a part of it that names one).
        #[arg(long)]
        indicator: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        value: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        assigned: bool,
    },
    /// The evaluation of a plan's indicators for a year (中期评估): every indicator with its
    /// baseline, target, expected and actual values and judgement, binding ones first, as xlsx or
    /// docx.
    Evaluate {
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        #[arg(long)]
        year: i32,
        #[arg(short = 'o', long, value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// Import a statistics table (xlsx or csv; 指标 | 年度 | 数值, or 指标 | 2021年 | 2022年 …) as
    /// actual values: all of it or nothing.
    Import {
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        file: std::path::PathBuf,
    },
    /// Name the unit that reports indicators (数据来源单位) or projects (责任单位) of a plan; they
    /// then report through the browser (draft, the head's signed approval, the office's review).
    Assign {
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        /// An indicator (its name, or a part naming one); repeatable.
        #[arg(long, conflicts_with_all = ["project", "all_indicators", "all_projects"])]
        indicator: Vec<String>,
        /// A project (its name, or a part naming one); repeatable.
        #[arg(long, conflicts_with_all = ["all_indicators", "all_projects"])]
        project: Vec<String>,
        /// Every indicator of the plan.
        #[arg(long, conflicts_with = "all_projects")]
        all_indicators: bool,
        /// Every project of the plan.
        #[arg(long)]
        all_projects: bool,
        #[arg(long)]
        unit: String,
    },
    /// The office's facts of a project: its planned investment (万元) and its stage.
    Project {
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        /// The project's name (or a part naming one).
        #[arg(long)]
        project: String,
        /// 计划总投资, 万元.
        #[arg(long)]
        investment: Option<f64>,
        /// preparing (前期), building (在建), completed (竣工), operating (投运).
        #[arg(long)]
        stage: Option<String>,
    },
    /// The quarterly project notice (项目季通报) as xlsx or docx.
    ProjectNotice {
        #[arg(long, value_name = "ID|TITLE")]
        plan: String,
        /// 2023-Q2.
        #[arg(long)]
        quarter: String,
        #[arg(short = 'o', long, value_name = "FILE")]
        output: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum InspectCommand {
    /// Record an inspection with one finding (the same inspection may be entered again for more).
    Add(InspectArgs),
    /// Write an inspection's notice (督查通报: its findings and their rectification), xlsx or docx.
    Notice {
        /// The inspection's id (`duban rectify list --json` shows `inspection_id`).
        #[arg(long)]
        inspection: i64,
        #[arg(short = 'o', long, value_name = "FILE")]
        output: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
struct InspectArgs {
    #[arg(long, value_name = "NAME")]
    ledger: String,
    /// field_visit (实地暗访), joint (联合督查), television (电视通报), other (其他), or the Chinese word.
    #[arg(long)]
    kind: String,
    /// The inspection's day, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    /// The task's 序号.
    #[arg(long, value_name = "SEQ")]
    task: u32,
    /// The unit (one of the task's units).
    #[arg(long)]
    unit: String,
    /// What was found.
    #[arg(long, value_name = "TEXT")]
    finding: String,
    /// Working days to rectify (default 10).
    #[arg(long, value_name = "N")]
    days: Option<u32>,
    /// minor (一般, default), serious (较重), grave (严重).
    #[arg(long)]
    severity: Option<String>,
    /// The period whose verdict the finding lowers a step, e.g. 2023-09.
    #[arg(long, value_name = "PERIOD")]
    lowers: Option<String>,
    /// Who inspected (督查组).
    #[arg(long)]
    team: Option<String>,
}

#[derive(Debug, Subcommand)]
enum RectifyCommand {
    /// The findings of a ledger and where their rectification stands.
    List {
        #[arg(long, value_name = "NAME")]
        ledger: String,
        #[arg(long)]
        json: bool,
    },
    /// Close a finding (销号) after checking the work, with what it was checked against.
    Close {
        id: i64,
        #[arg(long, default_value = "督查室核实整改到位")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
enum RemindCommand {
    /// One pass: each unit with tasks due (N working days before the deadline, on the day) or
    /// overdue gets one digest per channel for the day; a second pass the same day sends nothing
    /// new, and retries what failed. Mail goes through DUBAN_SMTP_URL from DUBAN_MAIL_FROM.
    Run {
        /// As of this moment (RFC 3339, or a date YYYY-MM-DD meaning 09:00 Beijing time).
        /// Default: now.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Print JSON instead of a summary.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum LedgerCommand {
    /// List the ledgers with their task counts and periods.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write the whole ledger as one table (tasks, the milestone of every period, the latest
    /// progress and status, leaders, units with roles), readable back by `duban import`.
    Export {
        /// Ledger name.
        name: String,
        /// The file to write: .xlsx or .docx.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Debug, Args)]
struct LinkArgs {
    /// Ledger name.
    #[arg(long, value_name = "NAME")]
    ledger: String,
    /// The report: its id (see `duban documents`) or exact title.
    #[arg(long, value_name = "ID")]
    document: String,
    /// Print [{"seq", "passage", "span", "score"}]; unlinked tasks have null there.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum TasksCommand {
    /// Candidate tasks: the sentences of a report's year part that commit to an action or a
    /// figure, as a starting ledger (ledger JSON with --json) the office can edit and import.
    Propose {
        /// The report: its id (see `duban documents`) or exact title.
        #[arg(long, value_name = "ID")]
        document: String,
        /// Print the ledger JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct TasksArgs {
    #[command(subcommand)]
    command: Option<TasksCommand>,
    /// Ledger name, e.g. "2023年《政府工作报告》重点工作".
    #[arg(long, value_name = "NAME")]
    ledger: Option<String>,
    /// Only tasks of this unit (any role; aliases accepted).
    #[arg(long, value_name = "UNIT")]
    unit: Option<String>,
    /// Only tasks of this leader (分管领导).
    #[arg(long, value_name = "NAME")]
    leader: Option<String>,
    /// Only tasks with this status: done, partial, not_done, unreported (or 完成, 部分完成, 未完成, 未报送).
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Period: 2023-08, 2020-Q3, 2021-H1 or 2021. Default: the latest with data.
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// Print the ledger JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct UnitsArgs {
    #[command(subcommand)]
    command: Option<UnitsCommand>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum UnitsCommand {
    /// List units with their aliases (the default).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Record ALIAS as another name of unit NAME (e.g. 区市场监督管理局 区市场监管局). If ALIAS
    /// was stored as a unit of its own, it is merged into NAME.
    Alias {
        /// The unit's name (or an alias it already has).
        name: String,
        /// The other name.
        alias: String,
    },
}

#[derive(Debug, Subcommand)]
enum CalendarCommand {
    /// The N-th working day after the period ends, as YYYY-MM-DD.
    Deadline {
        #[arg(long, value_name = "PERIOD")]
        period: String,
        #[arg(long, value_name = "N")]
        days: u32,
    },
    /// Number of working days from one date to another, both included.
    Workdays {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
    },
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The file to import.
    file: PathBuf,
    /// Read the file as a document: report (政府工作报告) or plan (规划纲要). Without it, a text
    /// that looks like either is read as one, anything else as a table.
    #[arg(long = "as", value_name = "KIND")]
    as_kind: Option<String>,
    /// Store under this ledger name instead of the one in the file.
    #[arg(long, value_name = "NAME")]
    ledger: Option<String>,
    /// The period of the file's targets and progress, if it does not say.
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// How often the ledger reports: monthly, quarterly, half_yearly, yearly (default: from the period).
    #[arg(long, value_name = "CADENCE")]
    cadence: Option<String>,
    /// Reports are due this many working days after each period ends (default 3).
    #[arg(long, value_name = "N")]
    deadline_days: Option<u32>,
    /// Read and check the file, store nothing.
    #[arg(long)]
    dry_run: bool,
    /// Refuse the file if reading it raised any warning.
    #[arg(long)]
    strict: bool,
    /// Print the ledger JSON that was (or would be) stored.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct NoticeArgs {
    /// Ledger name, e.g. "2023年《政府工作报告》重点工作".
    #[arg(long, value_name = "NAME")]
    ledger: String,
    /// Period: 2023-08, 2020-Q3, 2021-H1 or 2021. Default: the latest with data.
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// xlsx, docx, html or md. Default: from the extension of -o, else md.
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// Write to this file. Without it, md and html go to standard output and xlsx/docx to a
    /// file named after the title in the current directory.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only the tasks not done or not reported (未完成及未报送), with the full statistics.
    #[arg(long)]
    only_problems: bool,
    /// List each task's evidence (佐证材料: files attached to the reports that reached the
    /// office) in a column.
    #[arg(long)]
    evidence: bool,
    /// The date printed under the title (YYYY-MM-DD). Default: today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Header of the leaders column.
    #[arg(long, value_name = "TEXT", default_value = "分管区领导")]
    leader_column: String,
}

/// A mistake in what the user asked for or pointed at: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// See Cargo.toml: memory returned after a burst of requests, where glibc's arenas kept it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server answers many people at once on every core, and checks passwords on the blocking
    // pool; a command does one thing and needs one thread.
    let serving = matches!(cli.command, Command::Serve(_) | Command::Demo(_));
    if serving {
        log_to_stderr();
    }
    let mut builder = if serving {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("duban: 错误：无法启动运行时：{e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<output::PipeClosed>() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("duban: 错误：{error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// The server's log: one line per request and what went wrong, to standard error. `DUBAN_LOG`
/// filters it (`info` by default; `duban_server=debug,sqlx=warn` …).
fn log_to_stderr() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DUBAN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
}

/// 2 for anything the user can fix (bad input, unknown names, wrong database), 1 otherwise.
fn exit_code(error: &anyhow::Error) -> u8 {
    let user = error.chain().any(|cause| {
        cause.is::<UserError>()
            || cause.is::<duban_core::PeriodParseError>()
            || cause.is::<duban_core::UnknownWord>()
            || cause.is::<duban_core::CalendarError>()
            || cause.is::<duban_extract::ExtractError>()
            || cause.is::<duban_office::OfficeError>()
            || cause.is::<duban_import::ImportError>()
            || matches!(
                cause.downcast_ref::<duban_notice::NoticeError>(),
                Some(
                    duban_notice::NoticeError::NoPeriod { .. }
                        | duban_notice::NoticeError::UnknownFormat(_)
                )
            )
            || cause
                .downcast_ref::<duban_app::Error>()
                .is_some_and(|e| !matches!(e, duban_app::Error::Internal(_)))
            || cause
                .downcast_ref::<duban_store::StoreError>()
                .is_some_and(duban_store::StoreError::is_user_error)
    });
    if user { 2 } else { 1 }
}
