//! Reminders that reach people (催报): one pass, as of a moment, finds for each ledger the period
//! being reported and each unit's tasks it leads without a submitted report, and sends each
//! channel of the unit (its mailbox and group robots, its people's e-mail) one digest for the day —
//! N working days before the deadline, on the day, and every working day after it while something
//! is missing. A digest already sent that day is not sent again; a failed one is tried again on the
//! next pass (up to `MAX_ATTEMPTS`); one failed channel never stops the others.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use duban_core::{Escalation, EscalationRule, Period};
use duban_store::Channel;
use serde::Serialize;

use crate::{App, Error};

/// Attempts at one digest before it is left as failed.
pub const MAX_ATTEMPTS: i64 = 3;

/// What a pass needs besides the database.
#[derive(Debug, Clone)]
pub struct RemindSettings {
    /// Working days before the deadline of the first reminder.
    pub days_before: u32,
    /// Where e-mail goes out; None: e-mail channels fail with the reason.
    pub mail: Option<duban_notify::MailSettings>,
    /// The address people open duban at, for the link in the message (DUBAN_BASE_URL).
    pub base_url: Option<String>,
    /// When a missing report turns yellow and red (DUBAN_YELLOW_DAYS, DUBAN_RED_DAYS).
    pub escalation: EscalationRule,
}

impl RemindSettings {
    /// From the environment: DUBAN_SMTP_URL, DUBAN_MAIL_FROM, DUBAN_BASE_URL,
    /// DUBAN_REMIND_DAYS_BEFORE (2 by default).
    pub fn from_env() -> RemindSettings {
        RemindSettings {
            days_before: std::env::var("DUBAN_REMIND_DAYS_BEFORE")
                .ok()
                .and_then(|d| d.trim().parse().ok())
                .unwrap_or(2),
            mail: duban_notify::MailSettings::from_env(),
            base_url: std::env::var("DUBAN_BASE_URL")
                .ok()
                .map(|u| u.trim().trim_end_matches('/').to_owned())
                .filter(|u| !u.is_empty()),
            escalation: escalation_rule(),
        }
    }
}

/// The escalation rule from DUBAN_YELLOW_DAYS and DUBAN_RED_DAYS (working days overdue), else
/// the default (1 and 5).
pub fn escalation_rule() -> EscalationRule {
    let days = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|d| d.trim().parse::<u32>().ok())
    };
    let default = EscalationRule::default();
    EscalationRule {
        yellow_days: days("DUBAN_YELLOW_DAYS").unwrap_or(default.yellow_days),
        red_days: days("DUBAN_RED_DAYS").unwrap_or(default.red_days),
    }
}

/// How far a report missing since `due` is escalated today (三色督办), by the rule from the
/// environment.
pub fn escalation_since(app: &App, due: NaiveDate) -> Option<Escalation> {
    let today = duban_core::beijing::today();
    let days = app
        .calendar
        .working_days_or_weekdays(due.succ_opt()?, today);
    escalation_rule().level(days)
}

/// One task a unit still owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owed {
    pub ledger: String,
    pub period: Period,
    pub due: NaiveDate,
    /// Working days past the deadline (0 on the day or before it).
    pub overdue_days: u32,
    /// 黄色 or 红色督办 by the working days overdue (progress only).
    pub level: Option<Escalation>,
    /// A progress report, or a target in a target round (目标分解).
    pub kind: duban_core::ReportKind,
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
}

/// What one pass did for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sent {
    pub channel: i64,
    pub kind: String,
    pub address: String,
    pub unit: String,
    /// Tasks in the digest.
    pub tasks: usize,
    /// sent, failed, or already (sent earlier that day).
    pub outcome: String,
    pub error: Option<String>,
}

/// The pass as a whole.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassReport {
    pub day: String,
    /// Units with something due that day.
    pub units: usize,
    pub sent: usize,
    pub failed: usize,
    pub already: usize,
    /// Units with something due but no channel to reach them.
    pub unreachable: Vec<String>,
    pub deliveries: Vec<Sent>,
}

/// Whether `day` is a day to remind about a period due on `due`: `before` working days ahead,
/// the day itself, or any day after it. Returns the working days overdue.
fn reminding_day(app: &App, day: NaiveDate, due: NaiveDate, before: u32) -> Option<u32> {
    if day > due {
        let after = due.succ_opt()?;
        return Some(app.calendar.working_days_or_weekdays(after, day).max(1));
    }
    if day == due {
        return Some(0);
    }
    let ahead = app.calendar.working_days_or_weekdays(day.succ_opt()?, due);
    (before > 0 && ahead == before).then_some(0)
}

/// Each unit's owed tasks as of `day`: for every ledger, the latest period that has ended (the
/// one being reported), unless its notice is published.
async fn owed_by_unit(
    app: &App,
    day: NaiveDate,
    before: u32,
    rule: EscalationRule,
) -> Result<BTreeMap<(String, i64), Vec<Owed>>, Error> {
    let mut owed: BTreeMap<(String, i64), Vec<Owed>> = BTreeMap::new();
    for summary in app.store.ledgers().await? {
        let ledger = &summary.ledger;
        let Some(period) = crate::targets::ledger_periods(ledger)
            .into_iter()
            .filter(|p| p.last_day() < day)
            .max()
        else {
            continue;
        };
        let locks = app.store.period_locks(ledger.id.0).await?;
        if locks.iter().any(|l| l.period == period) {
            continue;
        }
        let Ok(due) = ledger.deadline.due(&app.calendar, period) else {
            continue;
        };
        let Some(overdue_days) = reminding_day(app, day, due, before) else {
            continue;
        };
        let (_, tasks) = app
            .store
            .unsubmitted_tasks(ledger, period, None, i64::MAX)
            .await?;
        let extended = app.store.granted_deadlines(ledger.id.0, period).await?;
        for task in tasks {
            // A unit granted a later deadline (延期) is reminded by that one.
            let (due, overdue_days) =
                match extended.get(&(task.task_id, duban_core::UnitId(task.unit_id))) {
                    Some(later) => match reminding_day(app, day, *later, before) {
                        Some(days) => (*later, days),
                        None => continue,
                    },
                    None => (due, overdue_days),
                };
            owed.entry((task.unit.clone(), task.unit_id))
                .or_default()
                .push(Owed {
                    ledger: ledger.name.clone(),
                    period,
                    due,
                    overdue_days,
                    level: rule.level(overdue_days),
                    kind: duban_core::ReportKind::Progress,
                    task_id: task.task_id,
                    seq: task.seq,
                    goal: task.goal,
                });
        }
    }
    owed_targets(app, day, before, &mut owed).await?;
    Ok(owed)
}

/// The targets each unit still owes in the open target rounds, reminded like reports: before the
/// round's deadline, on it and after it.
async fn owed_targets(
    app: &App,
    day: NaiveDate,
    before: u32,
    owed: &mut BTreeMap<(String, i64), Vec<Owed>>,
) -> Result<(), Error> {
    let units: std::collections::HashMap<String, i64> = app
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| (u.unit.name, u.unit.id.0))
        .collect();
    for summary in app.store.ledgers().await? {
        let ledger = &summary.ledger;
        let rounds = app.store.target_rounds(ledger.id).await?;
        if rounds.is_empty() {
            continue;
        }
        let ids = app.store.task_ids(ledger.id.0).await?;
        let done: std::collections::HashSet<(i64, Period, i64)> = app
            .store
            .ledger_targets(ledger.id)
            .await?
            .into_iter()
            .filter(|t| {
                matches!(
                    t.state,
                    duban_core::ReportState::Submitted | duban_core::ReportState::Accepted
                )
            })
            .map(|t| (t.task_id, t.period, t.unit.id.0))
            .collect();
        for round in rounds {
            let Ok(due) = round.due.parse::<NaiveDate>() else {
                continue;
            };
            let Some(overdue_days) = reminding_day(app, day, due, before) else {
                continue;
            };
            let sheet = app
                .store
                .sheet(
                    &ledger.name,
                    Some(round.period),
                    &duban_store::TaskFilter::default(),
                )
                .await?;
            for task in &sheet.tasks {
                let Some(&task_id) = ids.get(&task.seq) else {
                    continue;
                };
                for unit in task.units.iter().flatten() {
                    let Some(&unit_id) = units.get(&unit.name) else {
                        continue;
                    };
                    if done.contains(&(task_id, round.period, unit_id)) {
                        continue;
                    }
                    owed.entry((unit.name.clone(), unit_id))
                        .or_default()
                        .push(Owed {
                            ledger: ledger.name.clone(),
                            period: round.period,
                            due,
                            overdue_days,
                            level: None,
                            kind: duban_core::ReportKind::Target,
                            task_id,
                            seq: task.seq,
                            goal: task.goal.clone(),
                        });
                }
            }
        }
    }
    Ok(())
}

/// The digest of a unit's owed tasks: a subject and a text that says what is due, by when, and
/// where to report it.
pub fn digest(unit: &str, owed: &[Owed], base_url: Option<&str>) -> (String, String) {
    let overdue = owed.iter().filter(|o| o.overdue_days > 0).count();
    let red = owed
        .iter()
        .filter(|o| o.level == Some(Escalation::Red))
        .count();
    let mut subject = if overdue > 0 {
        format!("【督办提醒】{unit}有 {} 项任务逾期未报送", owed.len())
    } else {
        format!("【督办提醒】{unit}有 {} 项任务待报送", owed.len())
    };
    if red > 0 {
        subject.push_str(&format!("（红色督办 {red} 项）"));
    }
    let mut text = format!("{unit}：\n");
    let mut groups: BTreeMap<(String, Period, bool, NaiveDate, u32), Vec<&Owed>> = BTreeMap::new();
    for o in owed {
        let target = o.kind == duban_core::ReportKind::Target;
        groups
            .entry((o.ledger.clone(), o.period, target, o.due, o.overdue_days))
            .or_default()
            .push(o);
    }
    for ((ledger, period, target, due, overdue_days), tasks) in &groups {
        let when = if *overdue_days > 0 {
            format!("报送截止 {due}，已逾期 {overdue_days} 个工作日")
        } else {
            format!("报送截止 {due}")
        };
        let what = if *target { "阶段目标" } else { "" };
        text.push_str(&format!(
            "{ledger} {}{what}：{} 项尚未报送（{when}）\n",
            period.label_zh(),
            tasks.len()
        ));
        for o in tasks.iter().take(20) {
            let goal: String = o.goal.chars().take(40).collect();
            let more = if o.goal.chars().count() > 40 {
                "…"
            } else {
                ""
            };
            let mark = o
                .level
                .map(|l| format!("【{}】", l.label_zh()))
                .unwrap_or_default();
            text.push_str(&format!("  序号 {}{mark}：{goal}{more}\n", o.seq));
        }
        if tasks.len() > 20 {
            text.push_str(&format!("  另有 {} 项\n", tasks.len() - 20));
        }
    }
    match base_url {
        Some(base) => text.push_str(&format!(
            "请登录 {base}/my 填报，经单位负责人审核签名后报送。"
        )),
        None => text.push_str("请登录督办系统“我的任务”填报，经单位负责人审核签名后报送。"),
    }
    (subject, text)
}

/// Sends one digest over one channel (blocking I/O, off the async threads).
async fn deliver(
    channel: &Channel,
    settings: &RemindSettings,
    subject: &str,
    text: &str,
    at: DateTime<Utc>,
) -> Result<(), String> {
    let channel = channel.clone();
    let mail = settings.mail.clone();
    let (subject, text) = (subject.to_owned(), text.to_owned());
    let stamp = at.timestamp_millis();
    let outcome = tokio::task::spawn_blocking(move || match channel.kind.as_str() {
        "email" => match &mail {
            Some(mail) => duban_notify::send_email(mail, &channel.address, &subject, &text),
            None => Err(duban_notify::NotifyError::NoSmtp),
        },
        "dingtalk" => duban_notify::send_dingtalk(
            &channel.address,
            channel.secret.as_deref(),
            &format!("{subject}\n{text}"),
            stamp,
        ),
        "wecom" => duban_notify::send_wecom(&channel.address, &format!("{subject}\n{text}")),
        other => Err(duban_notify::NotifyError::WebhookUrl(format!(
            "未知的渠道类型 {other}"
        ))),
    })
    .await
    .map_err(|e| format!("发送中断：{e}"))?;
    outcome.map_err(|e| e.to_string())
}

/// Sends `subject`/`text` over `channel` unless it already went out that day (or failed too
/// often), and records the attempt.
#[allow(clippy::too_many_arguments)]
async fn send_once(
    app: &App,
    settings: &RemindSettings,
    channel: &Channel,
    day: &str,
    (subject, text): (&str, &str),
    at: DateTime<Utc>,
    (unit, tasks): (&str, usize),
    report: &mut PassReport,
) -> Result<(), Error> {
    let sent = |outcome: &str, error: Option<String>| Sent {
        channel: channel.id,
        kind: channel.kind.clone(),
        address: channel.address.clone(),
        unit: unit.to_owned(),
        tasks,
        outcome: outcome.to_owned(),
        error,
    };
    let line = match app.store.delivery_state(channel.id, day).await? {
        Some((state, _)) if state == "sent" => {
            report.already += 1;
            sent("already", None)
        }
        Some((_, attempts)) if attempts >= MAX_ATTEMPTS => {
            report.failed += 1;
            sent(
                "failed",
                Some(format!("已尝试 {attempts} 次，今日不再重试")),
            )
        }
        _ => {
            let error = deliver(channel, settings, subject, text, at).await.err();
            app.store
                .record_delivery(channel.id, day, subject, text, error.as_deref())
                .await?;
            if error.is_some() {
                tracing::warn!(channel = channel.id, kind = %channel.kind, error = ?error, "reminder not delivered");
                report.failed += 1;
                sent("failed", error)
            } else {
                report.sent += 1;
                sent("sent", None)
            }
        }
    };
    report.deliveries.push(line);
    Ok(())
}

/// One pass as of `at`: each unit's digest to its channels (its head's only when something is
/// red), and each leader in charge of red items a digest of them.
pub async fn run_pass(
    app: &App,
    at: DateTime<Utc>,
    settings: &RemindSettings,
) -> Result<PassReport, Error> {
    let day = (at + chrono::Duration::hours(8)).date_naive();
    let owed = owed_by_unit(app, day, settings.days_before, settings.escalation).await?;
    let mut report = PassReport {
        day: day.to_string(),
        units: owed.len(),
        ..PassReport::default()
    };
    let day_text = day.to_string();
    // Red items by the leader in charge of their task.
    let mut by_leader: BTreeMap<String, Vec<(String, Owed)>> = BTreeMap::new();
    for ((unit, unit_id), tasks) in &owed {
        let red = tasks.iter().any(|o| o.level == Some(Escalation::Red));
        for o in tasks.iter().filter(|o| o.level == Some(Escalation::Red)) {
            for leader in app.store.task_detail(o.task_id).await?.leaders {
                by_leader
                    .entry(leader)
                    .or_default()
                    .push((unit.clone(), o.clone()));
            }
        }
        // The in-app list always has the day's digest, whatever channels reach the unit.
        let (subject, text) = digest(unit, tasks, settings.base_url.as_deref());
        app.store
            .put_message(
                &duban_store::Recipient::Unit(duban_core::UnitId(*unit_id)),
                &day_text,
                &subject,
                &text,
            )
            .await?;
        let channels: Vec<Channel> = app
            .store
            .unit_channels(duban_core::UnitId(*unit_id))
            .await?
            .into_iter()
            // The unit's head is reached when something is red (三色督办).
            .filter(|c| red || c.role.as_deref() != Some("head"))
            .collect();
        if channels.is_empty() {
            report.unreachable.push(unit.clone());
            continue;
        }
        for channel in &channels {
            send_once(
                app,
                settings,
                channel,
                &day_text,
                (&subject, &text),
                at,
                (unit, tasks.len()),
                &mut report,
            )
            .await?;
        }
    }
    let leader_ids = app.store.leader_ids().await?;
    for (leader, items) in &by_leader {
        let (subject, text) = leader_digest(leader, items, settings.base_url.as_deref());
        // The leader's own 消息 has it whether or not a channel reaches them.
        if let Some(id) = leader_ids.get(leader) {
            app.store
                .put_message(
                    &duban_store::Recipient::Leader(*id),
                    &day_text,
                    &subject,
                    &text,
                )
                .await?;
        }
        let channels = app
            .store
            .leader_channels(std::slice::from_ref(leader))
            .await?;
        for channel in &channels {
            send_once(
                app,
                settings,
                channel,
                &day_text,
                (&subject, &text),
                at,
                (leader, items.len()),
                &mut report,
            )
            .await?;
        }
    }
    office_summary(app, settings, &owed, &day_text, at, &mut report).await?;
    Ok(report)
}

/// The office's own message of the day (督办日报): who is late, what is red, which extensions
/// wait for an answer, which channels failed — to its 消息 and its people's e-mail; nothing when
/// there is nothing to say.
async fn office_summary(
    app: &App,
    settings: &RemindSettings,
    owed: &BTreeMap<(String, i64), Vec<Owed>>,
    day: &str,
    at: DateTime<Utc>,
    report: &mut PassReport,
) -> Result<(), Error> {
    let pending = app.store.pending_extensions().await?.len();
    let (subject, text) = office_digest(owed, pending, report, settings.base_url.as_deref());
    if subject.is_empty() {
        return Ok(());
    }
    app.store
        .put_message(&duban_store::Recipient::Office, day, &subject, &text)
        .await?;
    for channel in app.store.office_channels().await? {
        let late = owed
            .values()
            .flatten()
            .filter(|o| o.overdue_days > 0)
            .count();
        send_once(
            app,
            settings,
            &channel,
            day,
            (&subject, &text),
            at,
            ("督查室", late),
            report,
        )
        .await?;
    }
    Ok(())
}

/// The office's summary as a subject and text; an empty subject when nothing is late, waiting
/// or failed.
pub fn office_digest(
    owed: &BTreeMap<(String, i64), Vec<Owed>>,
    pending_extensions: usize,
    pass: &PassReport,
    base_url: Option<&str>,
) -> (String, String) {
    let late: Vec<(&str, &Owed)> = owed
        .iter()
        .flat_map(|((unit, _), tasks)| tasks.iter().map(move |o| (unit.as_str(), o)))
        .filter(|(_, o)| o.overdue_days > 0)
        .collect();
    let units = late
        .iter()
        .map(|(u, _)| *u)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let count = |level| late.iter().filter(|(_, o)| o.level == Some(level)).count();
    let (red, yellow) = (count(Escalation::Red), count(Escalation::Yellow));
    if late.is_empty() && pending_extensions == 0 && pass.failed == 0 {
        return (String::new(), String::new());
    }
    let mut parts = Vec::new();
    if !late.is_empty() {
        parts.push(format!("{units} 个单位 {} 项逾期未报送", late.len()));
    }
    if red > 0 {
        parts.push(format!("红色督办 {red} 项"));
    }
    if pending_extensions > 0 {
        parts.push(format!("延期申请待批复 {pending_extensions} 项"));
    }
    if pass.failed > 0 {
        parts.push(format!("提醒发送失败 {} 次", pass.failed));
    }
    let subject = format!("【督办日报】{}", parts.join("，"));
    let mut text = format!("督查室：\n截至今日，{}。\n", parts.join("，"));
    if !late.is_empty() {
        text.push_str(&format!("黄色督办 {yellow} 项，红色督办 {red} 项。\n"));
    }
    // Red items by unit, every unit on one line: the office rings them first.
    let mut red_by_unit: BTreeMap<(&str, &str, Period), Vec<String>> = BTreeMap::new();
    for (unit, o) in late
        .iter()
        .filter(|(_, o)| o.level == Some(Escalation::Red))
    {
        red_by_unit
            .entry((unit, o.ledger.as_str(), o.period))
            .or_default()
            .push(o.seq.to_string());
    }
    for ((unit, ledger, period), seqs) in &red_by_unit {
        text.push_str(&format!(
            "  【红色督办】{unit}：{ledger} {} {} 项（序号 {}）\n",
            period.label_zh(),
            seqs.len(),
            seqs.join("、")
        ));
    }
    for failure in pass.deliveries.iter().filter(|d| d.outcome == "failed") {
        text.push_str(&format!(
            "  发送失败：{}（{} {}）{}\n",
            failure.unit,
            failure.kind,
            failure.address,
            failure.error.as_deref().unwrap_or_default()
        ));
    }
    if let Some(base) = base_url {
        text.push_str(&format!("详见 {base}/notify 与 {base}/extensions"));
    }
    (subject, text)
}

/// The digest of the red items in a leader's portfolio.
pub fn leader_digest(
    leader: &str,
    items: &[(String, Owed)],
    base_url: Option<&str>,
) -> (String, String) {
    let subject = format!(
        "【红色督办】{leader}分管的 {} 项任务逾期未报送",
        items.len()
    );
    let mut text = format!("{leader}：\n您分管的下列任务已逾期较久仍未报送，请督促：\n");
    for (unit, o) in items {
        let goal: String = o.goal.chars().take(40).collect();
        text.push_str(&format!(
            "  {} {} 序号 {}（{unit}，截止 {}，已逾期 {} 个工作日）：{goal}\n",
            o.ledger,
            o.period.label_zh(),
            o.seq,
            o.due,
            o.overdue_days
        ));
    }
    if let Some(base) = base_url {
        text.push_str(&format!("详见 {base}/"));
    }
    (subject, text)
}

/// The reminders inside the server: every `interval`, during office hours in Beijing (09:00 to
/// 18:00), one pass — by whichever server process holds the lease, so that several processes on
/// one database send each digest once. A failed pass is logged and tried again next time.
pub async fn scheduler(app: App, settings: RemindSettings, interval: std::time::Duration) {
    let holder = format!(
        "{}-{}",
        std::process::id(),
        crate::auth::new_token().unwrap_or_default()
    );
    let lease = i64::try_from(interval.as_secs()).unwrap_or(600).max(60) * 2;
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        let now = Utc::now();
        let hour = chrono::Timelike::hour(&(now + chrono::Duration::hours(8)));
        if !(9..18).contains(&hour) {
            continue;
        }
        match app
            .store
            .take_lease("remind", &holder, now.timestamp(), lease)
            .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "reminder lease not taken");
                continue;
            }
        }
        match run_pass(&app, now, &settings).await {
            Ok(report) => tracing::info!(
                units = report.units,
                sent = report.sent,
                failed = report.failed,
                "reminder pass"
            ),
            Err(e) => tracing::warn!(error = %e, "reminder pass failed"),
        }
    }
}

/// A channel as the office asks for it (the page, the API and the CLI): for a unit or for one
/// person, e-mail or a robot.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ChannelRequest {
    /// The unit (a name or an alias), for its mailbox or group robot.
    #[serde(default)]
    pub unit: Option<String>,
    /// The person's login, for their own e-mail.
    #[serde(default)]
    pub account: Option<String>,
    /// email, dingtalk or wecom.
    pub kind: String,
    /// The e-mail address or the robot's webhook URL.
    pub address: String,
    /// The DingTalk robot's signing secret (加签).
    #[serde(default)]
    pub secret: Option<String>,
}

/// Registers a channel after checking what it can be checked for here.
pub async fn add_channel(
    app: &App,
    actor: &duban_store::Actor,
    request: &ChannelRequest,
) -> Result<Channel, Error> {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (unit, account) = (given(&request.unit), given(&request.account));
    if unit.is_some() == account.is_some() {
        return Err(Error::BadRequest(
            "渠道须属于一个单位或一个账号（二选一）".to_owned(),
        ));
    }
    let address = request.address.trim();
    match request.kind.as_str() {
        "email" if address.contains('@') && !address.contains(char::is_whitespace) => {}
        "email" => return Err(Error::BadRequest(format!("邮件地址无效：{address}"))),
        "dingtalk" | "wecom"
            if address.starts_with("https://") || address.starts_with("http://") => {}
        "dingtalk" | "wecom" => {
            return Err(Error::BadRequest(format!(
                "机器人地址应以 https:// 开头：{address}"
            )));
        }
        other => {
            return Err(Error::BadRequest(format!(
                "未知的渠道类型“{other}”：可用 email、dingtalk、wecom"
            )));
        }
    }
    if account.is_some() && request.kind != "email" {
        return Err(Error::BadRequest(
            "个人只能登记邮件地址；群机器人请登记在单位下".to_owned(),
        ));
    }
    Ok(app
        .store
        .add_channel(
            actor,
            &duban_store::NewChannel {
                unit,
                account,
                kind: request.kind.clone(),
                address: address.to_owned(),
                secret: given(&request.secret),
            },
        )
        .await?)
}
