//! The demo (`duban demo`, `duban serve --demo`): the real documents of `fixtures/` imported into
//! a fresh database, and one account per role, so a new user sees the whole cycle at once.
//!
//! - the 2021 work report, and a 2021 ledger written from it, linked to its passages;
//! - the 2020 decomposition with third- and fourth-quarter targets;
//! - the 2023 monthly notice (124 tasks with progress): August is published (and so locked),
//!   September is the open period where the demo units report.

use duban_core::{AccountRole, DocumentKind, Role};
use duban_extract::ReadOptions;
use duban_store::{Actor, TaskFilter};

use crate::accounts::{self, AccountRequest};
use crate::{App, Error, auth, documents, imports, notices};

const REPORT: &str = include_str!("../../../fixtures/work-report-2021-linzi.txt");
const LEDGER_2021: &str = include_str!("../../../fixtures/ledger-2021-from-report.json");
const PROGRESS_2023: &str = include_str!("../../../fixtures/progress-2023-08-linzi.txt");
const TARGETS_2020: &str = include_str!("../../../fixtures/targets-2020-q3q4-linzi.txt");

/// A demo account as printed for the user.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub login: String,
    pub password: String,
    pub role: AccountRole,
    pub detail: String,
}

/// What the demo set up; `accounts` is empty when the database already had accounts.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    pub imported: Vec<String>,
    pub accounts: Vec<DemoAccount>,
}

fn password(fixed: Option<&str>) -> Result<String, Error> {
    match fixed {
        Some(p) => Ok(p.to_owned()),
        // 12 URL-safe characters: easy to type, 72 bits.
        None => Ok(auth::new_token()?.chars().take(12).collect()),
    }
}

/// Imports the fixtures and creates the demo accounts, unless the database already has
/// accounts (then nothing is changed). `fixed_password` gives every account the same password
/// (for scripts); otherwise each gets a random one, shown once.
pub async fn seed(app: &App, fixed_password: Option<&str>) -> Result<DemoReport, Error> {
    let store = &app.store;
    if !store.accounts().await?.is_empty() {
        return Ok(DemoReport::default());
    }
    let actor = Actor {
        account: None,
        name: "演示数据".to_owned(),
    };
    let mut report = DemoReport::default();

    let read =
        duban_extract::read_document(REPORT, DocumentKind::Report, "work-report-2021-linzi.txt")
            .map_err(Error::internal)?;
    documents::save(app, &actor, &read, "fixtures/work-report-2021-linzi.txt").await?;
    report.imported.push(read.title.clone());

    let tables = [
        (LEDGER_2021, "ledger-2021-from-report.json"),
        (TARGETS_2020, "targets-2020-q3q4-linzi.txt"),
        (PROGRESS_2023, "progress-2023-08-linzi.txt"),
    ];
    let mut open_ledger = String::new();
    for (text, origin) in tables {
        let table = duban_import::read_table_text(text, origin, &ReadOptions::default(), false)
            .map_err(Error::internal)?;
        imports::save(
            app,
            &actor,
            &table.sheet,
            duban_store::SaveOptions::default(),
            &mut |_| {},
        )
        .await?;
        report.imported.push(format!(
            "{}（{} 项）",
            table.sheet.ledger,
            table.sheet.tasks.len()
        ));
        open_ledger = table.sheet.ledger.clone();
    }

    // The 2021 ledger's goals were written from the report: link each to its passage.
    let ledger_2021 = serde_json::from_str::<duban_core::LedgerSheet>(LEDGER_2021)
        .map_err(Error::internal)?
        .ledger;
    documents::link(app, &ledger_2021, &read.title).await?;

    // The demo unit is the one that leads the most tasks of the open ledger (the last table);
    // the demo leader is the one with most tasks there.
    let open = store
        .sheet(&open_ledger, None, &TaskFilter::default())
        .await?;
    let mut leads: Vec<(String, usize)> = Vec::new();
    let mut leaders: Vec<(String, usize)> = Vec::new();
    let bump = |list: &mut Vec<(String, usize)>, name: &str| match list
        .iter_mut()
        .find(|(n, _)| n == name)
    {
        Some((_, c)) => *c += 1,
        None => list.push((name.to_owned(), 1)),
    };
    for task in &open.tasks {
        for unit in task.units.iter().flatten().filter(|u| u.role == Role::Lead) {
            bump(&mut leads, &unit.name);
        }
        for leader in task.leaders.iter().flatten() {
            bump(&mut leaders, leader);
        }
    }
    leads.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    leaders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let unit = leads.first().map(|(n, _)| n.clone());
    let other_unit = leads.get(1).map(|(n, _)| n.clone());
    let leader = leaders.first().map(|(n, _)| n.clone());

    let account =
        |login: &str, name: &str, role, unit: &Option<String>, leader: &Option<String>| {
            AccountRequest {
                login: login.to_owned(),
                name: name.to_owned(),
                password: String::new(),
                role,
                unit: unit.clone(),
                leader: leader.clone(),
            }
        };
    let none = None;
    let plan = [
        account("ducha", "督查室 王督查", AccountRole::Office, &none, &none),
        account("lingdao", "分管领导", AccountRole::Leader, &none, &leader),
        account(
            "tianbao",
            "填报人 李填报",
            AccountRole::Reporter,
            &unit,
            &none,
        ),
        account("fuzeren", "负责人 张局长", AccountRole::Head, &unit, &none),
        account(
            "tianbao2",
            "填报人 赵填报",
            AccountRole::Reporter,
            &other_unit,
            &none,
        ),
        account("gongzhong", "公众", AccountRole::Public, &none, &none),
    ];
    let mut office = None;
    for mut request in plan {
        if request.role.needs_unit() && request.unit.is_none() {
            continue;
        }
        request.password = password(fixed_password)?;
        let shown = DemoAccount {
            login: request.login.clone(),
            password: request.password.clone(),
            role: request.role,
            detail: request
                .unit
                .clone()
                .or(request.leader.clone())
                .unwrap_or_default(),
        };
        let created = accounts::create(app, &actor, request).await?;
        if created.role == AccountRole::Office {
            office = Some(created);
        }
        report.accounts.push(shown);
    }
    // The finished period is published, as the office would have done: the public sees its
    // notice and the period is locked.
    if let (Some(office), Some(period)) = (office, open.period) {
        let request = notices::PublishRequest {
            ledger: open.ledger.clone(),
            period: period.to_string(),
            // Dated as the office would have: some days after the period ended.
            date: app.calendar.deadline(period, 5).ok().map(|d| d.to_string()),
            only_problems: false,
            with_evidence: false,
        };
        let published = notices::publish(app, &office, &request).await?;
        report.imported.push(format!("已发布：{}", published.title));
    }
    Ok(report)
}
