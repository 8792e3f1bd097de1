//! The web pages. Each handler checks the role (`Viewer::require`), the CSRF token on forms,
//! gathers its data through `duban-store` and renders one template. A request without a
//! session is sent to the login page; a role without access gets 403.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use duban_core::{
    AccountRole, LedgerSheet, Period, ReportAction, ReportState, Role, SheetTask, Status,
    Timeliness, timeliness,
};
use duban_store::{
    Account, AuditEntry, LedgerSummary, NewAccount, ReminderScope, ReportChange, ReportRecord,
    TaskDetail, TaskFilter,
};
use serde::Deserialize;

use crate::access::{self, OFFICE, OVERSIGHT, REPORT_ACTORS, TASK_READERS, UNIT};
use crate::views::*;
use crate::{AppState, Error, Viewer, auth, to_login};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/ledger", get(ledger_page))
        .route("/tasks/{id}", get(task_page))
        .route("/tasks/{id}/report", post(report_action))
        .route("/tasks/{id}/remind", post(remind))
        .route("/my", get(my_page))
        .route("/review", get(review_page))
        .route("/notices", get(notices_page))
        .route("/notices/preview", get(notice_preview))
        .route("/notices/publish", post(publish_notice))
        .route("/notices/{id}/download", get(download_notice))
        .route("/periods/unlock", post(unlock_period))
        .route("/import", get(import_page))
        .route("/import/preview", post(import_preview))
        .route("/import/confirm", post(import_confirm))
        .route("/accounts", get(accounts_page).post(create_account))
        .route("/accounts/unblock", post(unblock_account))
        .route("/units", get(units_page))
        .route("/units/alias", post(add_alias))
        .route("/audit", get(audit_page))
}

type PageResult = Result<Response, Error>;

/// Turns a handler's result into the response: errors become a page in the user's frame, and
/// a request without a session goes to the login page.
fn finish(viewer: &Viewer, here: &str, result: PageResult) -> Response {
    match result {
        Ok(response) => response,
        Err(Error::Unauthenticated) => to_login(here),
        Err(e) => error_page(viewer, e),
    }
}

pub fn error_page(viewer: &Viewer, error: Error) -> Response {
    let status = error.status();
    let page = ErrorPage {
        layout: Layout::new(viewer, "出错了", ""),
        status: status.as_u16(),
        message: error.to_string(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, error.to_string()).into_response(),
    }
}

fn render(template: &impl Template) -> PageResult {
    Ok(Html(template.render()?).into_response())
}

fn see_other(target: &str) -> Response {
    Redirect::to(target).into_response()
}

pub(crate) fn parse_period(text: &str) -> Result<Period, Error> {
    text.trim()
        .parse()
        .map_err(|e: duban_core::PeriodParseError| Error::BadRequest(e.to_string()))
}

/// A status filter or judgement from a form or query: empty means none.
pub(crate) fn parse_status(text: Option<&str>) -> Result<Option<Status>, Error> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s
            .parse::<Status>()
            .map(Some)
            .map_err(|e| Error::BadRequest(e.to_string())),
        None => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Login

#[derive(Debug, Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

async fn login_page(viewer: Viewer, Query(q): Query<NextQuery>) -> Response {
    if viewer.account.is_some() {
        return see_other("/");
    }
    finish(
        &viewer,
        "/login",
        render(&LoginPage {
            layout: Layout::new(&viewer, "登录", "/login"),
            next: safe_next(q.next.as_deref()),
            login: String::new(),
            error: None,
        }),
    )
}

/// Only a path on this site: never an address elsewhere (open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// Checks a login and opens a session; returns the cookie to set and the CSRF token.
pub(crate) async fn open_session(
    state: &AppState,
    client: &str,
    login: &str,
    password: &str,
) -> Result<(Account, String, String), Error> {
    let now = auth::now_seconds();
    let login = login.trim();
    // The attempt is counted before the password is checked, in one step with the count, so
    // attempts sent at once cannot all slip under the limit.
    let attempts = state
        .store
        .reserve_login_attempt(login, client, now, now - auth::FAILURE_WINDOW_SECONDS)
        .await?;
    if attempts.from_client > auth::MAX_FAILURES
        || attempts.for_login > auth::MAX_FAILURES_PER_ACCOUNT
        || attempts.by_client > auth::MAX_FAILURES_PER_CLIENT
    {
        return Err(Error::TooManyRequests(
            "登录失败次数过多，请 15 分钟后再试".to_owned(),
        ));
    }
    let credentials = state.store.credentials(login).await?;
    let ok = match &credentials {
        Some(c) => auth::verify_password(password, &c.password_hash),
        None => {
            auth::dummy_verify(password);
            false
        }
    };
    let Some(credentials) = credentials.filter(|_| ok) else {
        // The attempt stays recorded as a failure.
        return Err(Error::Forbidden("登录名或密码不正确".to_owned()));
    };
    state
        .store
        .clear_login_failures(login, now - auth::FAILURE_WINDOW_SECONDS)
        .await?;
    let token = auth::new_token()?;
    let csrf = auth::new_token()?;
    state
        .store
        .create_session(
            &auth::token_hash(&token),
            &credentials.account,
            &csrf,
            now + auth::SESSION_SECONDS,
        )
        .await?;
    Ok((
        credentials.account,
        auth::session_cookie(&token, state.secure_cookies),
        csrf,
    ))
}

async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    match open_session(&state, &viewer.client, &form.login, &form.password).await {
        Ok((account, cookie, _)) => {
            let target = if next == "/" && account.role.needs_unit() {
                "/my".to_owned()
            } else {
                next
            };
            ([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response()
        }
        Err(e @ (Error::Forbidden(_) | Error::TooManyRequests(_))) => {
            let status = e.status();
            let page = LoginPage {
                layout: Layout::new(&viewer, "登录", "/login"),
                next,
                login: form.login.trim().to_owned(),
                error: Some(e.to_string().trim_start_matches("无权访问：").to_owned()),
            };
            match page.render() {
                Ok(html) => (status, Html(html)).into_response(),
                Err(e) => error_page(&viewer, e.into()),
            }
        }
        Err(e) => error_page(&viewer, e),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

async fn logout(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        viewer.require(AccountRole::ALL)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        if let Some(hash) = &viewer.token_hash {
            state.store.end_session(hash, auth::now_seconds()).await?;
        }
        Ok((
            [(header::SET_COOKIE, auth::clear_cookie())],
            Redirect::to("/login"),
        )
            .into_response())
    }
    .await;
    finish(&viewer, "/", result)
}

// ---------------------------------------------------------------------------------------------
// Choosing a ledger and a period

#[derive(Debug, Deserialize, Default)]
pub struct LedgerQuery {
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    leader: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    q: Option<String>,
    /// 1-based page of the ledger table.
    #[serde(default)]
    page: Option<usize>,
}

/// Rows per page of the ledger table: a district ledger has about a hundred tasks, a city's
/// thousands, and a phone cannot scroll through thousands.
const PAGE_SIZE: usize = 100;

/// Overdue tasks listed on the dashboard; the count covers all of them.
const OVERDUE_SHOWN: usize = 100;

/// The ledger and period a page shows: those asked for, else the newest ledger and its latest
/// period. None when there is no ledger yet.
pub(crate) struct Selection {
    pub summaries: Vec<LedgerSummary>,
    pub ledger: Option<LedgerSummary>,
    pub period: Option<Period>,
    /// The period after the latest with data, in the ledger's year: the one being reported.
    pub next: Option<Period>,
}

impl Selection {
    pub async fn new(
        state: &AppState,
        ledger: Option<&str>,
        period: Option<&str>,
    ) -> Result<Selection, Error> {
        Selection::choose(state, ledger, period, false).await
    }

    /// `open`: without a period asked for, take the period units report on now: the one after
    /// the latest with data, while it is in the ledger's year.
    pub async fn choose(
        state: &AppState,
        ledger: Option<&str>,
        period: Option<&str>,
        open: bool,
    ) -> Result<Selection, Error> {
        let summaries = state.store.ledgers().await?;
        let chosen = match ledger.filter(|l| !l.trim().is_empty()) {
            Some(name) => Some(
                summaries
                    .iter()
                    .find(|s| s.ledger.name == name.trim())
                    .cloned()
                    .ok_or_else(|| Error::NotFound(format!("台账 \"{name}\" 不存在")))?,
            ),
            None => summaries.first().cloned(),
        };
        let latest = chosen.as_ref().and_then(|s| s.periods.last().copied());
        let next = chosen.as_ref().zip(latest).and_then(|(s, p)| {
            let next = p.next();
            (next.year() == s.ledger.year).then_some(next)
        });
        let period = match period.filter(|p| !p.trim().is_empty()) {
            Some(p) => Some(parse_period(p)?),
            None if open => next.or(latest),
            None => latest,
        };
        Ok(Selection {
            summaries,
            ledger: chosen,
            period,
            next,
        })
    }

    fn ledger_name(&self) -> String {
        self.ledger
            .as_ref()
            .map(|l| l.ledger.name.clone())
            .unwrap_or_default()
    }

    fn ledger_choices(&self) -> Vec<Choice> {
        Choice::list(
            self.summaries
                .iter()
                .map(|s| (s.ledger.name.clone(), s.ledger.name.clone())),
            &self.ledger_name(),
        )
    }

    fn period_choices(&self) -> Vec<Choice> {
        let current = self.period.map(|p| p.to_string()).unwrap_or_default();
        let mut periods: Vec<Period> = self
            .ledger
            .as_ref()
            .map(|l| l.periods.clone())
            .unwrap_or_default();
        for p in [self.period, self.next].into_iter().flatten() {
            if !periods.contains(&p) {
                periods.push(p);
            }
        }
        periods.sort();
        periods.reverse();
        Choice::list(
            periods.into_iter().map(|p| (p.to_string(), p.label_zh())),
            &current,
        )
    }

    fn due(&self, state: &AppState) -> (String, Option<chrono::NaiveDate>) {
        match (&self.ledger, self.period) {
            (Some(l), Some(p)) => match l.ledger.deadline.due(&state.calendar, p) {
                Ok(day) => (day.to_string(), Some(day)),
                Err(e) => (format!("无法计算（{e}）"), None),
            },
            _ => (String::new(), None),
        }
    }
}

pub(crate) use duban_core::beijing::beijing;
use duban_core::beijing::{beijing_time, in_beijing};

/// The log's times for people.
fn readable(mut entries: Vec<AuditEntry>) -> Vec<AuditEntry> {
    for e in &mut entries {
        e.at = beijing(&e.at);
    }
    entries
}

fn today() -> chrono::NaiveDate {
    in_beijing(chrono::Utc::now()).date()
}

fn date_of(rfc3339: &str) -> Option<chrono::NaiveDate> {
    beijing_time(rfc3339).map(|t| t.date())
}

/// When a report reached the office (or None), judged against the due date.
fn report_timeliness(
    report: Option<&ReportRecord>,
    due: Option<chrono::NaiveDate>,
) -> Option<Timeliness> {
    let due = due?;
    let submitted = report
        .and_then(|r| r.submitted_at.as_deref())
        .and_then(date_of);
    Some(timeliness(due, submitted, today()))
}

/// Lead reports of a period by task id.
fn lead_reports(reports: Vec<ReportRecord>) -> HashMap<i64, ReportRecord> {
    reports
        .into_iter()
        .filter(|r| r.role == Role::Lead)
        .map(|r| (r.task_id, r))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Dashboard

async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let result = async {
        match viewer.role() {
            AccountRole::Reporter | AccountRole::Head => return Ok(see_other("/my")),
            AccountRole::Public if viewer.account.is_some() => return Ok(see_other("/notices")),
            _ => {}
        }
        let account = viewer.require(OVERSIGHT)?;
        render(&dashboard(&state, &viewer, account, &q).await?)
    }
    .await;
    finish(&viewer, "/", result)
}

async fn dashboard(
    state: &AppState,
    viewer: &Viewer,
    account: &Account,
    q: &LedgerQuery,
) -> Result<DashboardPage, Error> {
    let selection = Selection::new(state, q.ledger.as_deref(), q.period.as_deref()).await?;
    // The log names every unit's steps: a leader's dashboard does not show it.
    let activity = if account.role == AccountRole::Office {
        state.store.audit_log(None, 12).await?
    } else {
        Vec::new()
    };
    let mut page = DashboardPage {
        layout: Layout::new(viewer, "总览", "/"),
        ledgers: selection.ledger_choices(),
        periods: selection.period_choices(),
        ledger: selection.ledger_name(),
        period: String::new(),
        due: String::new(),
        counts: Vec::new(),
        total: 0,
        chart: "[]".to_owned(),
        units: Vec::new(),
        overdue: Vec::new(),
        overdue_total: 0,
        activity: readable(activity),
        locked: None,
    };
    let (Some(summary), Some(period)) = (&selection.ledger, selection.period) else {
        return Ok(page);
    };
    let leader = access::portfolio(account)?;
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
    let past_due =
        due.is_some_and(|d| duban_core::timeliness(d, None, today()) == Timeliness::Missing);
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
        let (total, tasks) = state
            .store
            .unsubmitted_tasks(
                &summary.ledger,
                period,
                leader.as_deref(),
                OVERDUE_SHOWN as i64,
            )
            .await?;
        let reminders = state
            .store
            .reminders(ReminderScope::Ledger(summary.ledger.id.0))
            .await?;
        page.overdue_total = usize::try_from(total).unwrap_or(0);
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
        .find(|l| l.period == period);
    Ok(page)
}

// ---------------------------------------------------------------------------------------------
// Ledger table

async fn ledger_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let result = async {
        let account = viewer.require(OVERSIGHT)?;
        let selection = Selection::new(&state, q.ledger.as_deref(), q.period.as_deref()).await?;
        let given = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let status = parse_status(q.status.as_deref())?;
        let scope = access::portfolio(account)?;
        let filter = TaskFilter {
            unit: given(&q.unit),
            // A leader's own portfolio already confines the rows.
            leader: if scope.is_some() {
                None
            } else {
                given(&q.leader)
            },
            status,
        };
        let query = q.q.clone().unwrap_or_default().trim().to_owned();
        let mut page = LedgerPage {
            layout: Layout::new(&viewer, "台账", "/ledger"),
            ledgers: selection.ledger_choices(),
            periods: selection.period_choices(),
            units: Vec::new(),
            leaders: Vec::new(),
            statuses: Choice::list(
                Status::ALL
                    .iter()
                    .map(|s| (s.code().to_owned(), s.label_zh().to_owned())),
                q.status.as_deref().unwrap_or(""),
            ),
            ledger: selection.ledger_name(),
            query: query.clone(),
            rows: Vec::new(),
            total: 0,
            matching: 0,
            page: 1,
            pages: 1,
            page_query: String::new(),
        };
        let Some(summary) = &selection.ledger else {
            return render(&page);
        };
        let (units, leaders) = state.store.ledger_names(&summary.ledger).await?;
        page.units = Choice::list(
            units.into_iter().map(|u| (u.clone(), u)),
            q.unit.as_deref().unwrap_or(""),
        );
        if scope.is_none() {
            page.leaders = Choice::list(
                leaders.into_iter().map(|l| (l.clone(), l)),
                q.leader.as_deref().unwrap_or(""),
            );
        }
        // The page asked for, clamped once the number of matching tasks is known.
        let wanted = q.page.unwrap_or(1).max(1);
        let read = |number: usize| {
            let offset = i64::try_from((number - 1) * PAGE_SIZE).unwrap_or(i64::MAX);
            state.store.task_page(
                &summary.ledger,
                selection.period,
                &filter,
                scope.as_deref(),
                &query,
                (offset, PAGE_SIZE as i64),
            )
        };
        let mut found = read(wanted).await?;
        let pages = usize::try_from(found.matching)
            .unwrap_or(0)
            .div_ceil(PAGE_SIZE)
            .max(1);
        if wanted > pages {
            found = read(pages).await?;
        }
        page.total = usize::try_from(found.total).unwrap_or(0);
        page.matching = usize::try_from(found.matching).unwrap_or(0);
        page.pages = pages;
        page.page = wanted.min(pages);
        let reports = match selection.period {
            Some(p) => lead_reports(state.store.period_reports(summary.ledger.id.0, p).await?),
            None => HashMap::new(),
        };
        page.rows = found
            .tasks
            .into_iter()
            .map(|(id, t)| ledger_row(id, t, reports.get(&id)))
            .collect();
        page.page_query = crate::query_string(&[
            ("ledger", page.ledger.as_str()),
            (
                "period",
                &selection.period.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("unit", q.unit.as_deref().unwrap_or("")),
            ("leader", q.leader.as_deref().unwrap_or("")),
            ("status", q.status.as_deref().unwrap_or("")),
            ("q", &query),
        ]);
        render(&page)
    }
    .await;
    finish(&viewer, "/ledger", result)
}

fn ledger_row(task_id: i64, t: SheetTask, report: Option<&ReportRecord>) -> LedgerRow {
    LedgerRow {
        task_id,
        seq: t.seq,
        goal: t.goal,
        target: t.target.unwrap_or_default(),
        progress: t.progress.unwrap_or_default(),
        status: t.status.map_or("待评定", |s| s.label_zh()).to_owned(),
        status_code: t.status.map_or("pending", |s| s.code()).to_owned(),
        leaders: t.leaders.unwrap_or_default().join("、"),
        units: t
            .units
            .unwrap_or_default()
            .iter()
            .map(|u| format!("{}（{}）", u.name, u.role.label_zh()))
            .collect::<Vec<_>>()
            .join("、"),
        report: report.map_or("—".to_owned(), |r| r.state.label_zh().to_owned()),
    }
}

// ---------------------------------------------------------------------------------------------
// Task page and the report form

#[derive(Debug, Deserialize, Default)]
pub struct TaskQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The task, if the account may see it (404 is not used to hide: a unit learns nothing from
/// the number of a task it cannot open).
pub(crate) async fn visible_task(
    state: &AppState,
    account: &Account,
    id: i64,
) -> Result<TaskDetail, Error> {
    let detail = state.store.task_detail(id).await?;
    if access::can_see_task(account, &detail) {
        Ok(detail)
    } else {
        Err(Error::Forbidden(
            "此任务不属于您的单位或分管范围".to_owned(),
        ))
    }
}

/// The period a task page is about: the one asked for, else the latest with a milestone or
/// progress, else the ledger's latest.
async fn task_period(
    state: &AppState,
    detail: &TaskDetail,
    asked: Option<&str>,
) -> Result<Option<Period>, Error> {
    if let Some(p) = asked.filter(|p| !p.trim().is_empty()) {
        return parse_period(p).map(Some);
    }
    let own = detail
        .milestones
        .iter()
        .map(|(p, _)| *p)
        .chain(detail.progress.iter().map(|(p, _, _)| *p))
        .max();
    Ok(match own {
        Some(p) => Some(p),
        None => state.store.latest_period(detail.ledger.id).await?,
    })
}

/// The history a role may read: the office sees the texts; others see who did what, since a
/// draft's text must not reach another unit through the log.
fn history_for(account: &Account, mut entries: Vec<AuditEntry>) -> Vec<AuditEntry> {
    if account.role != AccountRole::Office {
        for e in &mut entries {
            for value in [&mut e.before, &mut e.after].into_iter().flatten() {
                if let Some(map) = value.as_object_mut() {
                    map.retain(|k, _| k == "state" || k == "status");
                }
            }
        }
    }
    entries
}

fn signature_view(
    state_ledger: &str,
    r: &ReportRecord,
    keys: &HashMap<String, String>,
) -> Option<SignatureView> {
    let signature = r.signature.as_deref()?;
    let key = r.signer_key.clone().unwrap_or_default();
    let at = r.approved_at.clone().unwrap_or_default();
    let signer = r.approved_by.clone().unwrap_or_default();
    let message = duban_core::signed_text(
        state_ledger,
        r.seq,
        &r.period.to_string(),
        &r.unit.name,
        &r.body,
        &at,
    );
    // Valid only when the text verifies and the key is the one registered to the approver.
    let registered = keys.get(&signer).is_some_and(|k| *k == key);
    Some(SignatureView {
        valid: registered && auth::verify_signature(&key, signature, &message),
        signer,
        at: beijing(&at),
        key,
    })
}

/// A report as the API gives it: the record with `signature_valid` — whether its signature
/// verifies against the text and the approver's registered key (null when unsigned).
pub(crate) fn report_json(
    ledger: &str,
    r: &ReportRecord,
    keys: &HashMap<String, String>,
) -> Result<serde_json::Value, Error> {
    let mut value = serde_json::to_value(r).map_err(|e| Error::Internal(e.to_string()))?;
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "signature_valid".to_owned(),
            signature_view(ledger, r, keys).map(|s| s.valid).into(),
        );
    }
    Ok(value)
}

/// The public keys of the unit heads, by login.
pub(crate) async fn head_keys(state: &AppState) -> Result<HashMap<String, String>, Error> {
    Ok(state
        .store
        .accounts()
        .await?
        .into_iter()
        .filter_map(|a| Some((a.login, a.public_key?)))
        .collect())
}

struct Draft {
    body: Option<String>,
    conflict: Option<String>,
}

async fn task_page_data(
    state: &AppState,
    viewer: &Viewer,
    account: &Account,
    id: i64,
    asked: Option<&str>,
    draft: Draft,
    message: Option<String>,
) -> Result<TaskPage, Error> {
    let detail = visible_task(state, account, id).await?;
    let period = task_period(state, &detail, asked).await?;
    let all_reports = state.store.task_reports(id).await?;
    let reports = access::visible_reports(account, &detail, all_reports);
    let keys = head_keys(state).await?;
    let ledger = detail.ledger.name.clone();
    let locked = match period {
        Some(p) => state
            .store
            .period_locks(detail.ledger.id.0)
            .await?
            .into_iter()
            .any(|l| l.period == p),
        None => false,
    };

    // Rows of milestones and accepted progress across periods.
    let mut periods: Vec<Period> = detail
        .milestones
        .iter()
        .map(|(p, _)| *p)
        .chain(detail.progress.iter().map(|(p, _, _)| *p))
        .collect();
    periods.sort();
    periods.dedup();
    let period_rows = periods
        .iter()
        .map(|p| {
            let milestone = detail
                .milestones
                .iter()
                .find(|(q, _)| q == p)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            let progress = detail.progress.iter().find(|(q, _, _)| q == p);
            PeriodRow {
                period: p.label_zh(),
                milestone,
                progress: progress.map(|(_, b, _)| b.clone()).unwrap_or_default(),
                status: progress
                    .and_then(|(_, _, s)| *s)
                    .map_or(
                        if progress.is_some() {
                            "待评定"
                        } else {
                            "未报送"
                        },
                        |s| s.label_zh(),
                    )
                    .to_owned(),
            }
        })
        .collect();

    // The evidence of the assessment for the period: its milestone against the latest text.
    let (suggestion, evidence, evidence_period) = match period {
        Some(p) => {
            let text = detail
                .progress
                .iter()
                .find(|(q, _, _)| *q == p)
                .map(|(_, b, _)| b.clone())
                .or_else(|| {
                    reports
                        .iter()
                        .rev()
                        .find(|r| r.period == p && r.role == Role::Lead)
                        .map(|r| r.body.clone())
                });
            let task = SheetTask {
                target: detail
                    .milestones
                    .iter()
                    .find(|(q, _)| *q == p)
                    .map(|(_, t)| t.clone()),
                targets: None,
                status: detail
                    .progress
                    .iter()
                    .find(|(q, _, _)| *q == p)
                    .and_then(|(_, _, s)| *s),
                progress: text,
                ..SheetTask::new(detail.seq, detail.goal.clone())
            };
            let assessment = duban_extract::assess::assess_task(&task, p);
            let mut rows: Vec<EvidenceRow> = assessment
                .evidence
                .iter()
                .map(|e| EvidenceRow {
                    target: e.target.clone(),
                    reported: e.reported.clone().unwrap_or_else(|| "—".to_owned()),
                    verdict: match e.met {
                        Some(true) => "达到",
                        Some(false) => "未达到",
                        None => "无对应数据",
                    }
                    .to_owned(),
                })
                .collect();
            // Where the figures cannot judge, the phrases of the text the suggestion rests on.
            rows.extend(assessment.statements.iter().map(|s| EvidenceRow {
                target: format!("文字表述“{}”", s.phrase),
                reported: s.clause.clone(),
                verdict: s.says.label_zh().to_owned(),
            }));
            (
                assessment.suggested.label_zh().to_owned(),
                rows,
                p.label_zh(),
            )
        }
        None => ("—".to_owned(), Vec::new(), "—".to_owned()),
    };

    // The unit's form.
    let form = match (account.role, &account.unit, period) {
        (AccountRole::Reporter | AccountRole::Head, Some(unit), Some(p)) => {
            let own = reports
                .iter()
                .find(|r| r.period == p && r.unit.id == unit.id);
            let state_now = own.map(|r| r.state);
            let is_lead = detail.role_of(unit.id) == Some(Role::Lead);
            let parts = if is_lead {
                reports
                    .iter()
                    .filter(|r| r.period == p && r.unit.id != unit.id)
                    .map(|r| (r.unit.name.clone(), r.body.clone()))
                    .collect()
            } else {
                Vec::new()
            };
            let allowed = |action: ReportAction| {
                !locked
                    && duban_core::transition(state_now, action, account.role, Some("意见")).is_ok()
            };
            Some(ReportForm {
                period: p.to_string(),
                period_label: p.label_zh(),
                unit_id: unit.id.0,
                unit: unit.name.clone(),
                body: draft
                    .body
                    .clone()
                    .or(own.map(|r| r.body.clone()))
                    .unwrap_or_default(),
                version: own.map_or(0, |r| r.version),
                state: state_now.map_or("未填报", |s| s.label_zh()).to_owned(),
                comment: own.and_then(|r| r.comment.clone()),
                parts,
                can_save: allowed(ReportAction::Save),
                can_approve: allowed(ReportAction::Approve),
                can_submit: allowed(ReportAction::Submit),
                can_send_back: allowed(ReportAction::SendBack),
                conflict: draft
                    .conflict
                    .clone()
                    .or_else(|| locked.then(|| "本期通报已发布，报送已锁定".to_owned())),
            })
        }
        _ => None,
    };
    let review = match (account.role, period) {
        (AccountRole::Office, Some(p)) if !locked => reports
            .iter()
            .filter(|r| r.period == p && r.state == ReportState::Submitted)
            .min_by_key(|r| r.role != Role::Lead)
            .map(|r| ReviewForm {
                period: p.to_string(),
                unit_id: r.unit.id.0,
                unit: r.unit.name.clone(),
                version: r.version,
            }),
        _ => None,
    };
    let report_views = reports
        .iter()
        .map(|r| ReportView {
            period: r.period.label_zh(),
            unit: r.unit.name.clone(),
            role: r.role.label_zh().to_owned(),
            state: r.state.label_zh().to_owned(),
            state_code: r.state.code().to_owned(),
            body: r.body.clone(),
            comment: r.comment.clone(),
            updated: format!(
                "{} {}",
                r.updated_by.clone().unwrap_or_default(),
                beijing(&r.updated_at)
            ),
            signature: signature_view(&ledger, r, &keys),
        })
        .collect();
    let source = detail
        .source
        .as_ref()
        .map(|s| (s.headings.join(" › "), s.passage.clone()));
    Ok(TaskPage {
        layout: Layout::new(viewer, format!("任务 {}", detail.seq), ""),
        id,
        ledger_query: crate::urlencode(&ledger),
        ledger,
        seq: detail.seq,
        goal: detail.goal.clone(),
        leaders: detail.leaders.join("、"),
        units: detail
            .units
            .iter()
            .map(|(u, r)| (u.name.clone(), r.label_zh().to_owned()))
            .collect(),
        source,
        periods: period_rows,
        evidence_period,
        suggestion,
        evidence,
        reports: report_views,
        form,
        review,
        remind_period: (account.role == AccountRole::Office)
            .then(|| period.map(|p| p.to_string()))
            .flatten(),
        reminders: state
            .store
            .reminders(ReminderScope::Task(id))
            .await?
            .into_iter()
            .map(|r| duban_store::Reminder {
                at: beijing(&r.at),
                ..r
            })
            .collect(),
        history: readable(history_for(
            account,
            state.store.audit_log(Some(id), 50).await?,
        )),
        message,
    })
}

fn done_message(code: &str) -> Option<String> {
    let action: ReportAction = code.parse().ok()?;
    Some(match action {
        ReportAction::Save => "已保存草稿".to_owned(),
        ReportAction::Approve => "已审核并签名".to_owned(),
        ReportAction::SendBack => "已退回填报人".to_owned(),
        ReportAction::Submit => "已报送督查室".to_owned(),
        ReportAction::Accept => "已采纳".to_owned(),
        ReportAction::Return => "已退回".to_owned(),
    })
}

async fn task_page(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::Id(id): crate::Id,
    Query(q): Query<TaskQuery>,
) -> Response {
    let here = format!("/tasks/{id}");
    let result = async {
        let account = viewer.require(TASK_READERS)?;
        let message = match q.done.as_deref() {
            Some("remind") => Some("已催办".to_owned()),
            Some(code) => done_message(code),
            None => None,
        };
        let page = task_page_data(
            &state,
            &viewer,
            account,
            id,
            q.period.as_deref(),
            Draft {
                body: None,
                conflict: None,
            },
            message,
        )
        .await?;
        render(&page)
    }
    .await;
    finish(&viewer, &here, result)
}

#[derive(Debug, Deserialize)]
pub struct ReportFormData {
    #[serde(default)]
    csrf: Option<String>,
    action: String,
    period: String,
    unit: i64,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// What a report action asks, as the pages and the API both pass it.
#[derive(Debug, Clone)]
pub(crate) struct ReportRequest {
    pub action: ReportAction,
    pub period: Period,
    pub unit: Option<i64>,
    pub version: Option<i64>,
    pub body: Option<String>,
    pub comment: Option<String>,
    pub status: Option<Status>,
    pub password: Option<String>,
}

/// Performs one workflow step for the account: signs on approval, then hands it to the store.
pub(crate) async fn perform_report_action(
    state: &AppState,
    account: &Account,
    task: i64,
    request: ReportRequest,
) -> Result<ReportRecord, Error> {
    let detail = visible_task(state, account, task).await?;
    let unit = match account.role {
        AccountRole::Office => duban_core::UnitId(
            request
                .unit
                .ok_or_else(|| Error::BadRequest("须指定单位".to_owned()))?,
        ),
        _ => account
            .unit
            .as_ref()
            .map(|u| u.id)
            .ok_or_else(|| Error::Forbidden("账号没有所属单位".to_owned()))?,
    };
    if request.unit.is_some_and(|u| u != unit.0) {
        return Err(Error::Forbidden("只能处理本单位的报送".to_owned()));
    }
    let signature = if request.action == ReportAction::Approve {
        let password = request.password.as_deref().unwrap_or_default();
        let credentials = state
            .store
            .credentials(&account.login)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !auth::verify_password(password, &credentials.password_hash) {
            return Err(Error::Conflict(
                "审核签名须输入本人的登录密码：密码不正确".to_owned(),
            ));
        }
        let salt = credentials.key_salt.ok_or_else(|| {
            Error::Conflict("此账号没有签名密钥，请督查室为单位负责人重新建立账号".to_owned())
        })?;
        let current = state
            .store
            .report(task, request.period, unit)
            .await?
            .ok_or_else(|| Error::Conflict("还没有可审核的报送".to_owned()))?;
        if Some(current.version) != request.version {
            return Err(Error::Conflict(
                "此报送在您打开后已被修改：请核对最新内容后再审核".to_owned(),
            ));
        }
        let approved_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let message = duban_core::signed_text(
            &detail.ledger.name,
            detail.seq,
            &request.period.to_string(),
            &current.unit.name,
            &current.body,
            &approved_at,
        );
        let (signature, public_key) = auth::sign(password, &salt, &message)?;
        if account.public_key.as_deref() != Some(public_key.as_str()) {
            return Err(Error::Conflict("签名密钥与账号登记的公钥不一致".to_owned()));
        }
        Some(duban_store::Signature {
            signature,
            public_key,
            approved_at,
        })
    } else {
        None
    };
    let change = ReportChange {
        task,
        period: request.period,
        unit,
        action: request.action,
        body: request.body,
        seen_version: request.version,
        comment: request.comment.filter(|c| !c.trim().is_empty()),
        signature,
        status: request.status,
    };
    Ok(state.store.act_on_report(account, &change).await?)
}

async fn report_action(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::Id(id): crate::Id,
    Form(form): Form<ReportFormData>,
) -> Response {
    let here = format!("/tasks/{id}");
    let result = async {
        let account = viewer.require(REPORT_ACTORS)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let action: ReportAction = form
            .action
            .parse()
            .map_err(|e: duban_core::UnknownWord| Error::BadRequest(e.to_string()))?;
        let status = parse_status(form.status.as_deref())?;
        let request = ReportRequest {
            action,
            period: parse_period(&form.period)?,
            unit: Some(form.unit),
            version: (form.version > 0).then_some(form.version),
            body: form.body.clone(),
            comment: form.comment.clone(),
            status,
            password: form.password.clone(),
        };
        match perform_report_action(&state, account, id, request).await {
            Ok(_) => Ok(see_other(&format!(
                "/tasks/{id}?period={}&done={}",
                form.period,
                action.code()
            ))),
            // The text typed stays in the form with the reason, so nothing typed is lost.
            Err(Error::Conflict(message)) => {
                let page = task_page_data(
                    &state,
                    &viewer,
                    account,
                    id,
                    Some(&form.period),
                    Draft {
                        body: form.body.clone().filter(|_| action == ReportAction::Save),
                        conflict: Some(message),
                    },
                    None,
                )
                .await?;
                Ok((StatusCode::CONFLICT, Html(page.render()?)).into_response())
            }
            Err(e) => Err(e),
        }
    }
    .await;
    finish(&viewer, &here, result)
}

/// Records a reminder (催办) to the task's lead unit.
pub(crate) async fn remind_lead_unit(
    state: &AppState,
    account: &Account,
    task: i64,
    period: Period,
) -> Result<duban_store::Reminder, Error> {
    let detail = visible_task(state, account, task).await?;
    let lead = detail
        .units
        .iter()
        .find(|(_, r)| *r == Role::Lead)
        .map(|(u, _)| u.id);
    Ok(state.store.remind(account, task, period, lead).await?)
}

#[derive(Debug, Deserialize)]
pub struct RemindForm {
    #[serde(default)]
    csrf: Option<String>,
    period: String,
}

async fn remind(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::Id(id): crate::Id,
    Form(form): Form<RemindForm>,
) -> Response {
    let here = format!("/tasks/{id}");
    let result = async {
        let account = viewer.require(OFFICE)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let period = parse_period(&form.period)?;
        remind_lead_unit(&state, account, id, period).await?;
        Ok(see_other(&format!(
            "/tasks/{id}?period={period}&done=remind"
        )))
    }
    .await;
    finish(&viewer, &here, result)
}

// ---------------------------------------------------------------------------------------------
// My tasks

/// A unit's tasks for the period with the state of its own report.
pub(crate) async fn unit_rows(
    state: &AppState,
    account: &Account,
    selection: &Selection,
) -> Result<Vec<MyRow>, Error> {
    let unit = account
        .unit
        .as_ref()
        .ok_or_else(|| Error::Forbidden("账号没有所属单位".to_owned()))?;
    let (Some(summary), Some(period)) = (&selection.ledger, selection.period) else {
        return Ok(Vec::new());
    };
    let sheet: LedgerSheet = state
        .store
        .sheet(
            &summary.ledger.name,
            Some(period),
            &TaskFilter {
                unit: Some(unit.name.clone()),
                ..TaskFilter::default()
            },
        )
        .await?;
    let ids = state.store.task_ids(summary.ledger.id.0).await?;
    let reports: HashMap<i64, ReportRecord> = state
        .store
        .period_reports(summary.ledger.id.0, period)
        .await?
        .into_iter()
        .filter(|r| r.unit.id == unit.id)
        .map(|r| (r.task_id, r))
        .collect();
    let (_, due) = selection.due(state);
    Ok(sheet
        .tasks
        .into_iter()
        .filter_map(|t| {
            let id = *ids.get(&t.seq)?;
            let role = t
                .units
                .iter()
                .flatten()
                .find(|u| u.name == unit.name)
                .map(|u| u.role)?;
            let report = reports.get(&id);
            Some(MyRow {
                task_id: id,
                seq: t.seq,
                goal: t.goal,
                milestone: t.target.unwrap_or_default(),
                role: role.label_zh().to_owned(),
                state: report.map_or("未填报", |r| r.state.label_zh()).to_owned(),
                state_code: report.map_or("none", |r| r.state.code()).to_owned(),
                timeliness: report_timeliness(report, due)
                    .map_or("—", |t| t.label_zh())
                    .to_owned(),
            })
        })
        .collect())
}

async fn my_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let result = async {
        let account = viewer.require(UNIT)?;
        let selection =
            Selection::choose(&state, q.ledger.as_deref(), q.period.as_deref(), true).await?;
        let rows = unit_rows(&state, account, &selection).await?;
        render(&MyPage {
            layout: Layout::new(&viewer, "我的任务", "/my"),
            ledgers: selection.ledger_choices(),
            periods: selection.period_choices(),
            ledger: selection.ledger_name(),
            period: selection.period.map(|p| p.to_string()).unwrap_or_default(),
            due: selection.due(&state).0,
            rows,
        })
    }
    .await;
    finish(&viewer, "/my", result)
}

// ---------------------------------------------------------------------------------------------
// Review queue

async fn review_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let result = async {
        viewer.require(OFFICE)?;
        let keys = head_keys(&state).await?;
        let mut rows = Vec::new();
        for r in state.store.review_queue().await? {
            let detail = state.store.task_detail(r.task_id).await?;
            let signed = match signature_view(&detail.ledger.name, &r, &keys) {
                Some(s) if s.valid => format!("✔ {} 已签名", s.signer),
                Some(_) => "✘ 签名无效".to_owned(),
                None => "未签名".to_owned(),
            };
            rows.push(QueueRow {
                task_id: r.task_id,
                ledger: detail.ledger.name,
                seq: r.seq,
                period: r.period.to_string(),
                unit: r.unit.name.clone(),
                body: r.body.clone(),
                submitted_at: r.submitted_at.as_deref().map(beijing).unwrap_or_default(),
                signed,
            });
        }
        render(&ReviewPage {
            layout: Layout::new(&viewer, "审核", "/review"),
            rows,
        })
    }
    .await;
    finish(&viewer, "/review", result)
}

// ---------------------------------------------------------------------------------------------
// Notices

async fn notices_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let result = async {
        let is_office = viewer.role() == AccountRole::Office;
        let published = state.store.published_notices().await?;
        let (ledgers, periods, locks) = if is_office {
            let selection =
                Selection::new(&state, q.ledger.as_deref(), q.period.as_deref()).await?;
            let mut locks = Vec::new();
            for s in &selection.summaries {
                for lock in state.store.period_locks(s.ledger.id.0).await? {
                    locks.push((
                        s.ledger.name.clone(),
                        duban_store::PeriodLock {
                            locked_at: beijing(&lock.locked_at),
                            ..lock
                        },
                    ));
                }
            }
            (
                selection.ledger_choices(),
                selection.period_choices(),
                locks,
            )
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        render(&NoticesPage {
            layout: Layout::new(&viewer, "通报", "/notices"),
            published: published
                .into_iter()
                .map(|n| duban_store::PublishedNotice {
                    published_at: beijing(&n.published_at),
                    ..n
                })
                .collect(),
            ledgers,
            periods,
            locks,
            is_office,
        })
    }
    .await;
    finish(&viewer, "/notices", result)
}

pub(crate) async fn build_notice(
    state: &AppState,
    ledger: &str,
    period: &str,
) -> Result<(LedgerSheet, duban_notice::Notice), Error> {
    let period = parse_period(period)?;
    let sheet = state
        .store
        .sheet(ledger, Some(period), &TaskFilter::default())
        .await?;
    let notice = duban_notice::Notice::build(&sheet, &duban_notice::NoticeOptions::new(today()))
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    Ok((sheet, notice))
}

async fn notice_preview(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> Response {
    let result = async {
        viewer.require(OFFICE)?;
        let ledger = q.ledger.clone().unwrap_or_default();
        let period = q.period.clone().unwrap_or_default();
        let (_, notice) = build_notice(&state, &ledger, &period).await?;
        render(&NoticePreviewPage {
            layout: Layout::new(&viewer, notice.title.clone(), "/notices"),
            ledger,
            period,
            title: notice.title.clone(),
            summary: notice.summary_zh(),
            headers: notice.headers().into_iter().map(str::to_owned).collect(),
            rows: notice.rows.iter().map(|r| notice.row_cells(r)).collect(),
        })
    }
    .await;
    finish(&viewer, "/notices", result)
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    csrf: Option<String>,
    ledger: String,
    period: String,
}

async fn publish_notice(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<PublishForm>,
) -> Response {
    let result = async {
        let account = viewer.require(OFFICE)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let (sheet, notice) = build_notice(&state, &form.ledger, &form.period).await?;
        state
            .store
            .publish_notice(account, &sheet, &notice.title)
            .await?;
        Ok(see_other("/notices"))
    }
    .await;
    finish(&viewer, "/notices", result)
}

#[derive(Debug, Deserialize)]
pub struct FormatQuery {
    #[serde(default)]
    format: Option<String>,
}

/// A published notice as a file: open to everyone, the public included.
pub(crate) async fn notice_file(
    state: &AppState,
    id: i64,
    format: Option<&str>,
) -> Result<Response, Error> {
    let format: duban_notice::Format = format
        .unwrap_or("xlsx")
        .parse()
        .map_err(|e: duban_notice::NoticeError| Error::BadRequest(e.to_string()))?;
    let (published, sheet) = state.store.published_notice(id).await?;
    let date = date_of(&published.published_at).unwrap_or_else(today);
    let notice = duban_notice::Notice::build(&sheet, &duban_notice::NoticeOptions::new(date))
        .map_err(|e| Error::Internal(e.to_string()))?;
    let bytes =
        duban_notice::render(&notice, format).map_err(|e| Error::Internal(e.to_string()))?;
    let mime = match format {
        duban_notice::Format::Xlsx => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        duban_notice::Format::Docx => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        duban_notice::Format::Html => "text/html; charset=utf-8",
        duban_notice::Format::Markdown => "text/markdown; charset=utf-8",
    };
    let filename = format!("{}.{}", published.title, format.extension());
    let disposition = format!(
        "attachment; filename=\"notice-{id}.{}\"; filename*=UTF-8''{}",
        format.extension(),
        crate::urlencode(&filename)
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

async fn download_notice(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::Id(id): crate::Id,
    Query(q): Query<FormatQuery>,
) -> Response {
    let result = notice_file(&state, id, q.format.as_deref()).await;
    finish(&viewer, "/notices", result)
}

#[derive(Debug, Deserialize)]
pub struct UnlockForm {
    #[serde(default)]
    csrf: Option<String>,
    ledger: String,
    period: String,
    reason: String,
}

async fn unlock_period(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<UnlockForm>,
) -> Response {
    let result = async {
        let account = viewer.require(OFFICE)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let ledger = state.store.ledger(&form.ledger).await?;
        state
            .store
            .unlock_period(
                account,
                ledger.id.0,
                parse_period(&form.period)?,
                &form.reason,
            )
            .await?;
        Ok(see_other("/notices"))
    }
    .await;
    finish(&viewer, "/notices", result)
}

// ---------------------------------------------------------------------------------------------
// Import

fn import_page_empty(viewer: &Viewer, message: Option<String>) -> ImportPage {
    ImportPage {
        layout: Layout::new(viewer, "导入台账", "/import"),
        file: String::new(),
        ledger: String::new(),
        period: String::new(),
        rows: Vec::new(),
        total: 0,
        warnings: Vec::new(),
        sheet_json: String::new(),
        message,
        error: None,
    }
}

async fn import_page(viewer: Viewer) -> Response {
    let result = async {
        viewer.require(OFFICE)?;
        render(&import_page_empty(&viewer, None))
    }
    .await;
    finish(&viewer, "/import", result)
}

/// The CSRF field and the file of an upload form (pages and API alike).
pub(crate) async fn upload_fields(
    multipart: &mut Multipart,
) -> Result<(Option<String>, Option<(String, Vec<u8>)>), Error> {
    let too_big = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            Error::TooLarge("上传失败：文件不能超过 10 MB".to_owned())
        } else {
            Error::BadRequest("上传失败：表单内容不完整，请重新选择文件上传".to_owned())
        }
    };
    let (mut csrf, mut file) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(too_big)? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(too_big)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                file = Some((name, field.bytes().await.map_err(too_big)?.to_vec()));
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}

/// Saves an imported sheet and records who imported what.
pub(crate) async fn save_import(
    state: &AppState,
    account: &Account,
    sheet: &LedgerSheet,
) -> Result<(duban_store::SaveReport, serde_json::Value), Error> {
    let report = state
        .store
        .save_sheet(sheet, duban_store::SaveOptions::default())
        .await?;
    let summary = serde_json::json!({
        "ledger": sheet.ledger, "period": sheet.period, "tasks": sheet.tasks.len(),
        "added": report.tasks_added, "updated": report.tasks_updated, "unchanged": report.tasks_unchanged,
    });
    state
        .store
        .record_system_action(&account.actor(), "import", &summary)
        .await?;
    Ok((report, summary))
}

/// Reads an uploaded table with the same reader as `duban import`, from the bytes (no file of
/// the server's is named in a message). The parsing libraries can panic on odd files and a
/// conversion through LibreOffice can take long: the read runs on the blocking pool, a panic
/// becomes an error naming the file, and the request gives up after a time limit.
pub(crate) async fn read_upload(
    name: &str,
    bytes: Vec<u8>,
) -> Result<duban_import::TableFile, Error> {
    let name = name.to_owned();
    let task = tokio::task::spawn_blocking(move || {
        let result = std::panic::catch_unwind(|| {
            duban_import::read_table_bytes(
                &bytes,
                &name,
                &name,
                &duban_extract::ReadOptions::default(),
            )
        });
        match result {
            Ok(Ok(table)) => Ok(table),
            Ok(Err(e)) => Err(Error::BadRequest(e.to_string())),
            Err(_) => Err(Error::BadRequest(format!(
                "{name}：文件无法解析（读取时出错），请检查文件是否完整"
            ))),
        }
    });
    let limit = duban_office::LEGACY_TIME_LIMIT + std::time::Duration::from_secs(30);
    match tokio::time::timeout(limit, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(Error::Internal(e.to_string())),
        Err(_) => Err(Error::BadRequest(format!(
            "文件解析超时（{} 秒）",
            limit.as_secs()
        ))),
    }
}

async fn import_preview(
    State(_state): State<AppState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Response {
    let result = async {
        viewer.require(OFFICE)?;
        let (csrf, file) = upload_fields(&mut multipart).await?;
        viewer.check_csrf(csrf.as_deref())?;
        let (name, bytes) =
            file.ok_or_else(|| Error::BadRequest("请选择要上传的文件".to_owned()))?;
        let table = match read_upload(&name, bytes).await {
            Ok(t) => t,
            Err(Error::BadRequest(message)) => {
                let page = ImportPage {
                    error: Some(message),
                    ..import_page_empty(&viewer, None)
                };
                return Ok((StatusCode::BAD_REQUEST, Html(page.render()?)).into_response());
            }
            Err(e) => return Err(e),
        };
        let sheet = table.sheet;
        let sheet_json =
            serde_json::to_string(&sheet).map_err(|e| Error::Internal(e.to_string()))?;
        render(&ImportPage {
            layout: Layout::new(&viewer, "导入台账", "/import"),
            file: name,
            ledger: sheet.ledger.clone(),
            period: sheet
                .period
                .map(|p| p.label_zh())
                .unwrap_or_else(|| "未写明期间".to_owned()),
            total: sheet.tasks.len(),
            rows: sheet
                .tasks
                .iter()
                .take(50)
                .map(|t| PreviewRow {
                    seq: t.seq,
                    goal: t.goal.clone(),
                    target: t.target.clone().unwrap_or_default(),
                    status: t
                        .status
                        .map(|s| s.label_zh().to_owned())
                        .unwrap_or_default(),
                    units: t
                        .units
                        .iter()
                        .flatten()
                        .map(|u| u.name.clone())
                        .collect::<Vec<_>>()
                        .join("、"),
                })
                .collect(),
            warnings: table.warnings.iter().map(|w| w.to_string()).collect(),
            sheet_json,
            message: None,
            error: None,
        })
    }
    .await;
    finish(&viewer, "/import", result)
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: Option<String>,
    sheet: String,
}

async fn import_confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let result = async {
        let account = viewer.require(OFFICE)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let sheet = duban_extract::parse_ledger_json(&form.sheet, "上传的台账")
            .map_err(|e| Error::BadRequest(e.to_string()))?;
        let (report, _) = save_import(&state, account, &sheet).await?;
        let message = format!(
            "已导入“{}”：新增 {} 项，更新 {} 项，未变 {} 项",
            sheet.ledger, report.tasks_added, report.tasks_updated, report.tasks_unchanged
        );
        render(&import_page_empty(&viewer, Some(message)))
    }
    .await;
    finish(&viewer, "/import", result)
}

// ---------------------------------------------------------------------------------------------
// Accounts and the audit log

#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    csrf: Option<String>,
    login: String,
    name: String,
    password: String,
    role: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    leader: Option<String>,
}

/// An account to create, with its password in the clear (hashed before it is stored).
#[derive(Debug, Clone)]
pub struct AccountRequest {
    pub login: String,
    pub name: String,
    pub password: String,
    pub role: AccountRole,
    pub unit: Option<String>,
    pub leader: Option<String>,
}

/// Creates an account with a hashed password, and a signing key for a unit head.
pub async fn create_account_with_password(
    state: &AppState,
    actor: &duban_store::Actor,
    request: AccountRequest,
) -> Result<Account, Error> {
    if request.password.chars().count() < 10 {
        return Err(Error::BadRequest("密码至少 10 位".to_owned()));
    }
    let keys = match request.role {
        AccountRole::Head => Some(auth::new_key_material(&request.password)?),
        _ => None,
    };
    let new = NewAccount {
        login: request.login,
        name: request.name,
        role: request.role,
        unit: request.unit.filter(|u| !u.trim().is_empty()),
        leader: request.leader.filter(|l| !l.trim().is_empty()),
        password_hash: auth::hash_password(&request.password)?,
        public_key: keys.as_ref().map(|k| k.public_key.clone()),
        key_salt: keys.map(|k| k.salt),
    };
    Ok(state.store.create_account(&new, actor).await?)
}

async fn accounts_view(
    state: &AppState,
    viewer: &Viewer,
    message: Option<String>,
) -> Result<AccountsPage, Error> {
    let units = state.store.units().await?;
    let sheetless_leaders = state.store.leaders().await?;
    Ok(AccountsPage {
        layout: Layout::new(viewer, "账号", "/accounts"),
        accounts: state.store.accounts().await?,
        roles: Choice::list(
            AccountRole::ALL
                .iter()
                .map(|r| (r.code().to_owned(), r.label_zh().to_owned())),
            "",
        ),
        units: Choice::list(
            units
                .into_iter()
                .map(|u| (u.unit.name.clone(), u.unit.name)),
            "",
        ),
        leaders: Choice::list(sheetless_leaders.into_iter().map(|l| (l.clone(), l)), ""),
        message,
    })
}

async fn accounts_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let result = async {
        viewer.require(OFFICE)?;
        render(&accounts_view(&state, &viewer, None).await?)
    }
    .await;
    finish(&viewer, "/accounts", result)
}

async fn create_account(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<AccountForm>,
) -> Response {
    let result = async {
        let account = viewer.require(OFFICE)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let role: AccountRole = form
            .role
            .parse()
            .map_err(|e: duban_core::UnknownWord| Error::BadRequest(e.to_string()))?;
        let request = AccountRequest {
            login: form.login.clone(),
            name: form.name.clone(),
            password: form.password.clone(),
            role,
            unit: form.unit.clone(),
            leader: form.leader.clone(),
        };
        let message = match create_account_with_password(&state, &account.actor(), request).await {
            Ok(created) => format!("已创建账号 {}", created.login),
            Err(Error::BadRequest(m) | Error::Conflict(m) | Error::NotFound(m)) => m,
            Err(e) => return Err(e),
        };
        render(&accounts_view(&state, &viewer, Some(message)).await?)
    }
    .await;
    finish(&viewer, "/accounts", result)
}

#[derive(Debug, Deserialize)]
pub(crate) struct UnblockForm {
    pub(crate) login: String,
    #[serde(default)]
    csrf: Option<String>,
}

/// Lifts an account's login block (page and API alike); the message says what was done.
pub(crate) async fn lift_block(
    state: &AppState,
    account: &Account,
    login: &str,
) -> Result<String, Error> {
    let login = login.trim();
    if state.store.credentials(login).await?.is_none() {
        return Err(Error::NotFound(format!("账号 {login} 不存在")));
    }
    let count = state
        .store
        .lift_login_block(login, &account.actor())
        .await?;
    Ok(format!(
        "已解除账号 {login} 的登录限制（清除 {count} 次失败记录）"
    ))
}

async fn unblock_account(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<UnblockForm>,
) -> Response {
    let result = async {
        let account = viewer.require(OFFICE)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let message = match lift_block(&state, account, &form.login).await {
            Ok(m) | Err(Error::NotFound(m)) => m,
            Err(e) => return Err(e),
        };
        render(&accounts_view(&state, &viewer, Some(message)).await?)
    }
    .await;
    finish(&viewer, "/accounts", result)
}

async fn units_view(state: &AppState, viewer: &Viewer, message: Option<String>) -> PageResult {
    let units = state
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| UnitRow {
            name: u.unit.name,
            kind: u.unit.kind.label_zh().to_owned(),
            aliases: u.unit.aliases.join("、"),
            led: u.tasks_led,
            total: u.tasks_total,
        })
        .collect();
    render(&UnitsPage {
        layout: Layout::new(viewer, "责任单位", "/units"),
        units,
        message,
    })
}

async fn units_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let result = async {
        viewer.require(OFFICE)?;
        units_view(&state, &viewer, None).await
    }
    .await;
    finish(&viewer, "/units", result)
}

#[derive(Debug, Deserialize)]
pub struct AliasForm {
    #[serde(default)]
    csrf: Option<String>,
    name: String,
    alias: String,
}

/// What registering an alias did, in words.
pub(crate) fn alias_message(
    name: &str,
    alias: &str,
    outcome: &duban_store::AliasOutcome,
) -> String {
    match outcome {
        duban_store::AliasOutcome::Added => format!("已登记：“{alias}”即“{name}”"),
        duban_store::AliasOutcome::Unchanged => format!("“{alias}”早已登记为“{name}”的别名"),
        duban_store::AliasOutcome::Merged { tasks_moved } => {
            format!("已登记“{alias}”，原单独导入的 {tasks_moved} 项任务并入“{name}”")
        }
    }
}

async fn add_alias(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<AliasForm>,
) -> Response {
    let result = async {
        let account = viewer.require(OFFICE)?;
        viewer.check_csrf(form.csrf.as_deref())?;
        let message = match state
            .store
            .add_alias_as(&form.name, &form.alias, &account.actor())
            .await
        {
            Ok(outcome) => alias_message(&form.name, form.alias.trim(), &outcome),
            Err(e) => match Error::from(e) {
                Error::Conflict(m) | Error::NotFound(m) | Error::BadRequest(m) => m,
                other => return Err(other),
            },
        };
        units_view(&state, &viewer, Some(message)).await
    }
    .await;
    finish(&viewer, "/units", result)
}

async fn audit_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    let result = async {
        viewer.require(OFFICE)?;
        render(&AuditPage {
            layout: Layout::new(&viewer, "操作日志", "/audit"),
            entries: readable(state.store.audit_log(None, 500).await?),
        })
    }
    .await;
    finish(&viewer, "/audit", result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_shown_in_beijing_time() {
        assert_eq!(beijing("2026-11-25T14:47:30Z"), "2026-11-25 22:47");
        assert_eq!(beijing("2023-09-30T16:30:00Z"), "2023-10-01 00:30");
        assert_eq!(beijing("not a time"), "not a time");
    }

    #[test]
    fn only_paths_on_this_site_are_followed_after_login() {
        assert_eq!(
            safe_next(Some("/tasks/3?period=2023-09")),
            "/tasks/3?period=2023-09"
        );
        for bad in ["https://evil.example/", "//evil.example/", "/\\evil", ""] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
