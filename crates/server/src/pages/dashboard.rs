//! The dashboard (总览): a period's counts, the units' ranking, overdue tasks and the latest
//! activity, for the office and the leaders (their portfolio).

use std::collections::HashMap;

use axum::extract::State;
use duban_app::access;
use duban_app::selection::Selection;
use duban_core::{AccountRole, Timeliness};
use duban_store::{Account, ReminderScope};

use super::{LedgerQuery, PageResult, render, see_other};
use crate::access::{Query, Signed, rule};
use crate::views::*;
use crate::{AppState, Viewer};

/// Overdue tasks listed on the dashboard; the count covers all of them.
const OVERDUE_SHOWN: usize = 100;

/// The first page after logging in: units go to their list, the public to the notices.
pub async fn home(
    State(state): State<AppState>,
    user: Signed<rule::Anyone>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    match user.account.role {
        AccountRole::Reporter | AccountRole::Head => return Ok(see_other("/my")),
        AccountRole::Public => return Ok(see_other("/notices")),
        _ => {}
    }
    render(&dashboard(&state, &user.viewer, &user.account, &q).await?)
}

async fn dashboard(
    state: &AppState,
    viewer: &Viewer,
    account: &Account,
    q: &LedgerQuery,
) -> Result<DashboardPage, duban_app::Error> {
    let mut selection = Selection::new(state, q.ledger.as_deref(), q.period.as_deref()).await?;
    // A leader reads what the office has published: without a period asked for, the latest
    // published one, not a period units are still reporting (all 未报送 until they do).
    if account.role == AccountRole::Leader
        && q.period.as_deref().is_none_or(str::is_empty)
        && let Some(summary) = &selection.ledger
    {
        let published = state
            .store
            .published_notices()
            .await?
            .into_iter()
            .filter(|n| n.ledger == summary.ledger.name)
            .map(|n| n.period)
            .max();
        if published.is_some() {
            selection.period = published;
        }
    }
    // The log names every unit's steps: a leader's dashboard does not show it.
    // People's names, for the activity and the lock.
    let names = duban_app::history::load_names(state).await?;
    let activity = if account.role == AccountRole::Office {
        state.store.audit_log(None, 12).await?
    } else {
        Vec::new()
    };
    let portfolio = access::portfolio(account)?;
    let mut page = DashboardPage {
        layout: Layout::new(viewer, "总览", "/"),
        portfolio: portfolio.clone(),
        ledgers: Choice::ledgers(&selection),
        periods: Choice::periods(&selection),
        ledger: selection.ledger_name(),
        period: String::new(),
        due: String::new(),
        counts: Vec::new(),
        total: 0,
        chart: "[]".to_owned(),
        units: Vec::new(),
        overdue: Vec::new(),
        overdue_total: 0,
        activity: duban_app::history::describe(&activity, &names),
        locked: None,
        rounds: Vec::new(),
        escalation: None,
        receipts: Vec::new(),
        rectifications: (0, 0),
        plans: Vec::new(),
    };
    // The office and leaders see how the plans' indicators stand (规划监测).
    if matches!(account.role, AccountRole::Office | AccountRole::Leader) {
        let last_year = chrono::Datelike::year(&duban_core::beijing::today()) - 1;
        for d in state.store.documents().await? {
            if d.document.kind != duban_core::DocumentKind::Plan || d.indicators == 0 {
                continue;
            }
            let key = d.document.id.0.to_string();
            let m = duban_app::plans::monitoring(state, &key, None).await?;
            let year = last_year.clamp(m.base_year + 1, m.target_year);
            let count = |code: &str| {
                m.indicators
                    .iter()
                    .filter(|i| {
                        i.judgement.get(&year.to_string()).map(String::as_str) == Some(code)
                    })
                    .count()
            };
            page.plans.push((
                d.document.id.0,
                m.plan.clone(),
                year,
                count("on_track"),
                count("behind"),
                count("missed"),
            ));
        }
    }
    if let Some(summary) = &selection.ledger {
        let findings =
            duban_app::inspections::list(state, account, Some(&summary.ledger.name)).await?;
        let open = findings.iter().filter(|(f, _)| !f.is_closed());
        page.rectifications = (
            open.clone()
                .filter(|(_, r)| *r == duban_core::assessment::Rectified::Overdue)
                .count(),
            open.count(),
        );
    }
    if account.role == AccountRole::Office {
        let mut missing = state.store.missing_receipts().await?;
        missing.sort_by_key(|m| std::cmp::Reverse(m.tasks + m.rounds + m.reminders));
        missing.truncate(15);
        page.receipts = missing;
    }
    // The ledger's target rounds, for the office: a round is followed like a reporting period.
    // A ledger without rounds (most) is not read task by task for nothing.
    if account.role == AccountRole::Office
        && let Some(summary) = &selection.ledger
        && !state
            .store
            .target_rounds(summary.ledger.id)
            .await?
            .is_empty()
    {
        let d = duban_app::targets::decomposition(state, &summary.ledger.name).await?;
        page.rounds = d
            .progress(duban_core::beijing::today())
            .into_iter()
            .map(|p| RoundSummary {
                link: format!(
                    "/targets?{}",
                    crate::http::query_string(&[("ledger", &summary.ledger.name)])
                ),
                period: p.period.label_zh(),
                due: p.due,
                total: p.total,
                accepted: p.accepted,
                waiting: p.waiting,
                missing: p.missing,
                overdue: p.overdue,
            })
            .collect();
    }
    let (Some(summary), Some(period)) = (&selection.ledger, selection.period) else {
        return Ok(page);
    };
    let leader = portfolio;
    let (due_text, due) = selection.due(state);
    // The end of the due day in Beijing, as the UTC instant reports are stamped with.
    let cutoff = due.map_or_else(|| "9999".to_owned(), |d| format!("{d}T16:00:00Z"));
    let counts = state
        .store
        .period_counts(&summary.ledger, period, leader.as_deref(), &cutoff)
        .await?;
    let count = |list: &[(String, i64)], code: &str| {
        list.iter()
            .find(|(c, _)| c == code)
            .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0))
    };
    let tally = |list: &[(String, i64)]| {
        let t = duban_notice::Tally {
            total: 0,
            done: count(list, "done"),
            partial: count(list, "partial"),
            not_done: count(list, "not_done"),
            unreported: count(list, "unreported"),
            pending: count(list, "pending"),
        };
        duban_notice::Tally {
            total: t.done + t.partial + t.not_done + t.unreported + t.pending,
            ..t
        }
    };
    let t = tally(&counts.overall);
    page.period = period.label_zh();
    page.due = due_text;
    page.total = t.total;
    page.counts = vec![
        StatusCount {
            code: "done",
            label: "完成",
            count: t.done,
        },
        StatusCount {
            code: "partial",
            label: "部分完成",
            count: t.partial,
        },
        StatusCount {
            code: "not_done",
            label: "未完成",
            count: t.not_done,
        },
        StatusCount {
            code: "unreported",
            label: "未报送",
            count: t.unreported,
        },
        StatusCount {
            code: "pending",
            label: "待评定",
            count: t.pending,
        },
    ];
    page.chart = serde_json::to_string(
        &page
            .counts
            .iter()
            .map(|c| serde_json::json!({"label": c.label, "count": c.count, "code": c.code}))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".to_owned());
    // Missing only once the deadline has passed: before, an unsubmitted report is still open.
    let past_due = due.is_some_and(|d| {
        duban_core::timeliness(d, None, duban_core::beijing::today()) == Timeliness::Missing
    });
    let timely: HashMap<&str, (usize, usize, usize)> = counts
        .units
        .iter()
        .map(|u| {
            let n = |v: i64| usize::try_from(v).unwrap_or(0);
            let missing = if past_due { n(u.unsubmitted) } else { 0 };
            (u.unit.as_str(), (n(u.on_time), n(u.late), missing))
        })
        .collect();
    let ranked = duban_notice::rank_units(
        counts
            .units
            .iter()
            .map(|u| (u.unit.clone(), tally(&u.statuses)))
            .collect(),
    );
    page.units = ranked
        .iter()
        .map(|u| {
            let (on_time, late, missing) = timely.get(u.name.as_str()).copied().unwrap_or_default();
            UnitRank {
                rank: u.rank,
                name: u.name.clone(),
                total: u.tally.total,
                done: u.tally.done,
                rate: u.tally.rate_text(),
                on_time,
                late,
                missing,
            }
        })
        .collect();
    if past_due {
        // The whole ledger's unsubmitted tasks are counted already (per unit, from the kept
        // counts): only the first few are read, and none when there are none.
        let known = leader
            .is_none()
            .then(|| counts.units.iter().map(|u| u.unsubmitted).sum::<i64>());
        let (total, tasks) = match known {
            Some(0) => (0, Vec::new()),
            Some(total) => (
                total,
                state
                    .store
                    .first_unsubmitted_tasks(&summary.ledger, period, None, OVERDUE_SHOWN as i64)
                    .await?,
            ),
            None => {
                state
                    .store
                    .unsubmitted_tasks(
                        &summary.ledger,
                        period,
                        leader.as_deref(),
                        OVERDUE_SHOWN as i64,
                    )
                    .await?
            }
        };
        let reminders = state
            .store
            .reminders(ReminderScope::Ledger(summary.ledger.id.0))
            .await?;
        page.overdue_total = usize::try_from(total).unwrap_or(0);
        // 三色督办: every missing report of the period is as late as the others.
        let level = due.and_then(|d| duban_app::reminders::escalation_since(state, d));
        page.escalation = level.map(|l| (l.code().to_owned(), l.label_zh().to_owned()));
        page.overdue = tasks
            .into_iter()
            .map(|task| OverdueRow {
                task_id: task.task_id,
                seq: task.seq,
                goal: task.goal,
                unit: task.unit,
                due: page.due.clone(),
                state: task
                    .state
                    .map_or("未报送".to_owned(), |s| s.label_zh().to_owned()),
                reminders: reminders
                    .iter()
                    .filter(|r| r.task_id == task.task_id && r.period == period)
                    .count(),
            })
            .collect();
    }
    page.locked = state
        .store
        .period_locks(summary.ledger.id.0)
        .await?
        .into_iter()
        .find(|l| l.period == period)
        .map(|l| duban_store::PeriodLock {
            locked_by: duban_app::history::person(&names, &l.locked_by),
            locked_at: super::beijing(&l.locked_at),
            ..l
        });
    Ok(page)
}
