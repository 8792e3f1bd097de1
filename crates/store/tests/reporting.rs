//! The reporting cycle in the database: accounts, sessions, the workflow with its conflicts and
//! locks, reminders, publishing, and the audit log that refuses changes. On both backends.

use duban_core::SheetUnit;
use duban_core::{AccountRole, LedgerSheet, Period, ReportAction, ReportState, Status};
use duban_store::{
    Account, Actor, DbTarget, NewAccount, ReceiptKind, ReminderScope, ReportChange, SaveOptions,
    Signature, Store, StoreError, TaskChange,
};
use duban_testing::{TestDb, on_both_backends};
use sqlx::{Connection, Executor, PgConnection};

const EXCERPT: &str = include_str!("../../../fixtures/ledger-2023-08-excerpt.json");

fn excerpt() -> LedgerSheet {
    serde_json::from_str(EXCERPT).expect("the fixture is valid ledger JSON")
}

fn period(text: &str) -> Period {
    text.parse().expect("test period")
}

on_both_backends!(
    one_process_at_a_time_holds_the_reminder_lease,
    a_report_goes_from_draft_to_accepted_with_a_return,
    a_stale_save_is_a_conflict_and_keeps_the_stored_text,
    a_published_period_is_locked_until_the_office_unlocks_it,
    sessions_and_login_failures_live_in_the_database,
    the_audit_log_cannot_be_changed_or_emptied,
    the_period_counts_agree_with_the_full_sheet,
    a_page_of_tasks_agrees_with_the_full_sheet_under_every_filter,
    units_saving_at_the_same_time_are_all_stored,
    reports_are_taken_only_for_the_ledgers_own_periods,
    a_backup_restores_into_an_empty_database_identical_and_verified,
    the_kept_counts_follow_every_change_to_a_ledger,
    a_large_import_keeps_the_same_counts,
);

struct World {
    store: Store,
    office: Account,
    reporter: Account,
    head: Account,
    other: Account,
    task: i64,
}

async fn account(store: &Store, login: &str, role: AccountRole, unit: Option<&str>) -> Account {
    store
        .create_account(
            &NewAccount {
                login: login.to_owned(),
                name: login.to_owned(),
                role,
                unit: unit.map(str::to_owned),
                leader: None,
                password_hash: "not-a-real-hash".to_owned(),
                public_key: None,
                key_salt: None,
            },
            &Actor::system(),
        )
        .await
        .expect("create account")
}

async fn world(db: &TestDb) -> World {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let sheet = excerpt();
    store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect("save");
    let office = account(&store, "ducha", AccountRole::Office, None).await;
    // The unit is given by its alias-free name as the table writes it.
    let reporter = account(&store, "fgj-tb", AccountRole::Reporter, Some("区发改局")).await;
    let head = account(&store, "fgj-fzr", AccountRole::Head, Some("区发改局")).await;
    let other = account(&store, "czj-tb", AccountRole::Reporter, Some("区财政局")).await;
    let ledger = store.ledger(&sheet.ledger).await.expect("ledger");
    let task = store.task_ids(ledger.id.0).await.expect("ids")[&7];
    World {
        store,
        office,
        reporter,
        head,
        other,
        task,
    }
}

fn change(w: &World, action: ReportAction, seen: Option<i64>) -> ReportChange {
    ReportChange {
        task: w.task,
        period: period("2023-09"),
        unit: w.reporter.unit.as_ref().expect("unit").id,
        action,
        body: None,
        seen_version: seen,
        comment: None,
        signature: None,
        status: None,
    }
}

fn signature() -> Option<Signature> {
    Some(Signature {
        signature: "c2ln".to_owned(),
        public_key: "a2V5".to_owned(),
        approved_at: "2023-10-08T09:00:00Z".to_owned(),
    })
}

async fn a_report_goes_from_draft_to_accepted_with_a_return(db: &TestDb) {
    let w = world(db).await;
    let s = &w.store;
    let mut save = change(&w, ReportAction::Save, None);
    save.body = Some("9月份完成项目前期手续。".to_owned());
    let r = s.act_on_report(&w.reporter, &save).await.expect("save");
    assert_eq!((r.state, r.version), (ReportState::Draft, 1));
    assert_eq!(r.updated_by.as_deref(), Some("fgj-tb"));

    // Approval without a signature is refused; the head signs.
    let err = s
        .act_on_report(&w.head, &change(&w, ReportAction::Approve, Some(1)))
        .await
        .expect_err("unsigned");
    assert!(err.to_string().contains("签名"), "{err}");
    let mut approve = change(&w, ReportAction::Approve, Some(1));
    approve.signature = signature();
    let r = s.act_on_report(&w.head, &approve).await.expect("approve");
    assert_eq!(r.state, ReportState::Approved);
    assert_eq!(r.approved_by.as_deref(), Some("fgj-fzr"));
    assert_eq!(r.signature.as_deref(), Some("c2ln"));

    // The reporter cannot submit, the head can.
    let err = s
        .act_on_report(&w.reporter, &change(&w, ReportAction::Submit, Some(2)))
        .await
        .expect_err("reporter submits");
    assert!(matches!(err, StoreError::Workflow(_)), "{err}");
    let r = s
        .act_on_report(&w.head, &change(&w, ReportAction::Submit, Some(2)))
        .await
        .expect("submit");
    assert_eq!(r.state, ReportState::Submitted);
    assert!(r.submitted_at.is_some());
    assert_eq!(s.review_queue().await.expect("queue").len(), 1);

    // Another unit's account cannot touch it.
    let err = s
        .act_on_report(&w.other, &change(&w, ReportAction::Save, Some(3)))
        .await
        .expect_err("other unit");
    assert!(matches!(err, StoreError::Forbidden(_)), "{err}");

    // Returned with a comment, saved again (signature dropped), resubmitted, accepted.
    let mut ret = change(&w, ReportAction::Return, Some(3));
    ret.comment = Some("请补充投资完成额".to_owned());
    let r = s.act_on_report(&w.office, &ret).await.expect("return");
    assert_eq!(r.state, ReportState::Returned);
    assert_eq!(r.comment.as_deref(), Some("请补充投资完成额"));
    assert!(r.signature.is_none());
    let mut save = change(&w, ReportAction::Save, Some(4));
    save.body = Some("9月份完成项目前期手续，完成投资1.2亿元。".to_owned());
    s.act_on_report(&w.reporter, &save).await.expect("save 2");
    let mut approve = change(&w, ReportAction::Approve, Some(5));
    approve.signature = signature();
    s.act_on_report(&w.head, &approve).await.expect("approve 2");
    s.act_on_report(&w.head, &change(&w, ReportAction::Submit, Some(6)))
        .await
        .expect("submit 2");
    let accept = change(&w, ReportAction::Accept, Some(7));
    let err = s
        .act_on_report(&w.office, &accept)
        .await
        .expect_err("no status");
    assert!(err.to_string().contains("完成状态"), "{err}");
    let mut accept = change(&w, ReportAction::Accept, Some(7));
    accept.status = Some(Status::Partial);
    let r = s.act_on_report(&w.office, &accept).await.expect("accept");
    assert_eq!(r.state, ReportState::Accepted);

    // The accepted text is the period's progress, as notices read it.
    let detail = s.task_detail(w.task).await.expect("detail");
    let (p, body, status) = detail.progress.last().expect("progress").clone();
    assert_eq!(p, period("2023-09"));
    assert!(body.contains("1.2亿元"));
    assert_eq!(status, Some(Status::Partial));

    // Every step is in the log, newest first, with before and after.
    let log = s.audit_log(Some(w.task), 50).await.expect("log");
    let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "save", "approve", "submit", "return", "save", "approve", "submit", "accept"
        ]
    );
    let last = &log[0];
    assert_eq!(last.actor, "ducha");
    assert_eq!(last.before.as_ref().expect("before")["state"], "submitted");
    assert_eq!(last.after.as_ref().expect("after")["status"], "partial");
    w.store.close().await;
}

async fn a_stale_save_is_a_conflict_and_keeps_the_stored_text(db: &TestDb) {
    let w = world(db).await;
    let s = &w.store;
    let mut first = change(&w, ReportAction::Save, None);
    first.body = Some("甲的内容".to_owned());
    s.act_on_report(&w.reporter, &first).await.expect("first");
    // A second reporter of the unit opened the empty form before the first save.
    let second_reporter = account(s, "fgj-tb2", AccountRole::Reporter, Some("区发改局")).await;
    let mut second = change(&w, ReportAction::Save, None);
    second.body = Some("乙的内容".to_owned());
    let err = s
        .act_on_report(&second_reporter, &second)
        .await
        .expect_err("conflict");
    let message = err.to_string();
    assert!(matches!(err, StoreError::Conflict(_)), "{message}");
    assert!(
        message.contains("fgj-tb") && message.contains("没有保存"),
        "{message}"
    );
    let stored = s
        .report(
            w.task,
            period("2023-09"),
            w.reporter.unit.as_ref().expect("unit").id,
        )
        .await
        .expect("read")
        .expect("report");
    assert_eq!((stored.body.as_str(), stored.version), ("甲的内容", 1));
    // Having seen version 1, the second save goes through.
    second.seen_version = Some(1);
    let r = s
        .act_on_report(&second_reporter, &second)
        .await
        .expect("second");
    assert_eq!((r.body.as_str(), r.version), ("乙的内容", 2));
    w.store.close().await;
}

async fn a_published_period_is_locked_until_the_office_unlocks_it(db: &TestDb) {
    let w = world(db).await;
    let s = &w.store;
    let mut sheet = s
        .sheet(
            &excerpt().ledger,
            Some(period("2023-08")),
            &Default::default(),
        )
        .await
        .expect("sheet");
    sheet.period = Some(period("2023-09"));
    let notice = s
        .publish_notice(
            &w.office,
            &sheet,
            &duban_store::NoticeSettings {
                title: "2023年9月通报".to_owned(),
                date: "2023-10-12".to_owned(),
                only_problems: true,
                summary: "共 3 项".to_owned(),
                marks: None,
            },
        )
        .await
        .expect("publish");
    let ledger = s.ledger(&sheet.ledger).await.expect("ledger").id.0;
    assert_eq!(s.period_locks(ledger).await.expect("locks").len(), 1);
    let (published, stored) = s.published_notice(notice.id).await.expect("notice");
    assert_eq!(published.title, "2023年9月通报");
    assert_eq!(published.date.as_deref(), Some("2023-10-12"));
    assert!(published.only_problems);
    assert_eq!(published.summary.as_deref(), Some("共 3 项"));
    assert_eq!(stored, sheet);

    let mut save = change(&w, ReportAction::Save, None);
    save.body = Some("补报".to_owned());
    let err = s
        .act_on_report(&w.reporter, &save)
        .await
        .expect_err("locked");
    assert!(err.to_string().contains("已锁定"), "{err}");

    let err = s
        .unlock_period(&w.office, ledger, period("2023-09"), " ")
        .await
        .expect_err("no reason");
    assert!(err.to_string().contains("原因"), "{err}");
    s.unlock_period(&w.office, ledger, period("2023-09"), "区发改局申请更正")
        .await
        .expect("unlock");
    s.act_on_report(&w.reporter, &save)
        .await
        .expect("save after unlock");

    s.remind(
        &w.office,
        w.task,
        period("2023-09"),
        w.reporter.unit.as_ref().map(|u| u.id),
    )
    .await
    .expect("remind");
    let reminders = s
        .reminders(ReminderScope::Ledger(ledger))
        .await
        .expect("reminders");
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].unit.as_deref(), Some("区发改局"));
    let log = s.audit_log(None, 20).await.expect("log");
    let unlock = log
        .iter()
        .find(|e| e.action == "unlock")
        .expect("unlock logged");
    assert_eq!(
        unlock.after.as_ref().expect("after")["reason"],
        "区发改局申请更正"
    );
    assert!(log.iter().any(|e| e.action == "publish"));
    assert!(log.iter().any(|e| e.action == "remind"));
    w.store.close().await;
}

async fn sessions_and_login_failures_live_in_the_database(db: &TestDb) {
    let w = world(db).await;
    let s = &w.store;
    s.create_session("hash-1", &w.reporter, "csrf-1", 2_000)
        .await
        .expect("session");
    let (account, csrf) = s
        .session("hash-1", 1_000)
        .await
        .expect("read")
        .expect("live");
    assert_eq!(
        (account.login.as_str(), csrf.as_str()),
        ("fgj-tb", "csrf-1")
    );
    assert_eq!(account.unit.expect("unit").name, "区发改局");
    // A second store on the same database (another server process) sees the same session.
    let again = Store::open(&db.target()).await.expect("open");
    assert!(
        again
            .session("hash-1", 1_000)
            .await
            .expect("read")
            .is_some()
    );
    assert!(
        s.session("hash-1", 2_000).await.expect("read").is_none(),
        "expired"
    );
    s.end_session("hash-1", 0).await.expect("end");
    assert!(
        again
            .session("hash-1", 1_000)
            .await
            .expect("read")
            .is_none()
    );

    for (at, counted) in [(100, 1), (200, 2), (300, 3)] {
        let attempts = s
            .reserve_login_attempt("fgj-tb", "10.0.0.1", at, 0)
            .await
            .expect("attempt");
        assert_eq!(attempts.from_client, counted);
    }

    assert_eq!(
        s.login_failures("fgj-tb", "10.0.0.9", 150)
            .await
            .expect("count"),
        2
    );
    assert_eq!(
        again
            .login_failures("x", "10.0.0.1", 0)
            .await
            .expect("count"),
        3
    );
    s.clear_login_failures("fgj-tb", 0).await.expect("clear");
    assert_eq!(
        s.login_failures("fgj-tb", "10.0.0.1", 0)
            .await
            .expect("count"),
        0
    );
    // Attempts are counted for the name from the client, for the name, and for the client.
    for (login, at) in [("fgj-tb", 400), ("fgj-tb", 410), ("czj-tb", 420)] {
        s.reserve_login_attempt(login, "10.0.0.1", at, 0)
            .await
            .expect("attempt");
    }
    let other = s
        .reserve_login_attempt("czj-tb", "10.0.0.2", 430, 0)
        .await
        .expect("attempt");
    assert_eq!(
        (other.from_client, other.for_login, other.by_client),
        (1, 2, 1)
    );
    again.close().await;
    w.store.close().await;
}

async fn the_audit_log_cannot_be_changed_or_emptied(db: &TestDb) {
    let w = world(db).await;
    let count = w.store.audit_log(None, 1000).await.expect("log").len();
    assert!(count >= 4, "account creations are logged");
    w.store.close().await;
    let statements = ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"];
    match db.target() {
        DbTarget::Sqlite(path) => {
            let url = format!("sqlite://{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
            for sql in statements {
                let err = conn.execute(sql).await.expect_err(sql);
                assert!(err.to_string().contains("append-only"), "{err}");
            }
            conn.close().await.expect("close");
        }
        DbTarget::Postgres(url) => {
            let mut conn = PgConnection::connect(&url).await.expect("pg");
            for sql in statements.into_iter().chain(["TRUNCATE audit_log"]) {
                let err = conn.execute(sql).await.expect_err(sql);
                assert!(err.to_string().contains("append-only"), "{err}");
            }
            conn.close().await.expect("close");
        }
    }
    let store = Store::open(&db.target()).await.expect("open");
    assert_eq!(store.audit_log(None, 1000).await.expect("log").len(), count);
    let check = store.verify_audit().await.expect("verify");
    assert_eq!(
        (check.entries, check.unchained, check.broken),
        (count, 0, None)
    );
    store.close().await;

    // Whoever can drop the triggers can change an entry, but not unnoticed.
    let (changed_id, change_sql): (i64, String) = (
        2,
        "UPDATE audit_log SET after = '{\"login\":\"someone-else\"}' WHERE id = 2".to_owned(),
    );
    match db.target() {
        DbTarget::Sqlite(path) => {
            let url = format!("sqlite://{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
            conn.execute("DROP TRIGGER audit_log_no_update")
                .await
                .expect("drop trigger");
            conn.execute(change_sql.as_str()).await.expect("change");
            conn.close().await.expect("close");
        }
        DbTarget::Postgres(url) => {
            let mut conn = PgConnection::connect(&url).await.expect("pg");
            conn.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
                .await
                .expect("disable triggers");
            conn.execute(change_sql.as_str()).await.expect("change");
            conn.close().await.expect("close");
        }
    }
    let store = Store::open(&db.target()).await.expect("open");
    let check = store.verify_audit().await.expect("verify");
    let (id, why) = check.broken.expect("the change is found");
    assert_eq!(id, changed_id);
    assert!(why.contains("改动"), "{why}");
    store.close().await;
}

async fn the_period_counts_agree_with_the_full_sheet(db: &TestDb) {
    let w = world(db).await;
    let sheet = excerpt();
    let ledger = w.store.ledger(&sheet.ledger).await.expect("ledger");
    let code = |s: Option<Status>| s.map_or("pending", Status::code).to_owned();
    for (p, leader) in [
        ("2023-08", None),
        ("2023-09", None),
        ("2023-08", Some("于海南")),
    ] {
        let filter = duban_store::TaskFilter {
            leader: leader.map(str::to_owned),
            ..Default::default()
        };
        let full = w
            .store
            .sheet(&sheet.ledger, Some(period(p)), &filter)
            .await
            .expect("full");
        let counts = w
            .store
            .period_counts(&ledger, period(p), leader, "2023-10-09T16:00:00Z")
            .await
            .expect("counts");
        let mut expected: Vec<(String, i64)> = Vec::new();
        for t in &full.tasks {
            match expected.iter_mut().find(|(c, _)| *c == code(t.status)) {
                Some((_, n)) => *n += 1,
                None => expected.push((code(t.status), 1)),
            }
        }
        expected.sort();
        assert_eq!(counts.overall, expected, "{p} {leader:?}");
        for unit in &counts.units {
            let theirs: Vec<_> = full
                .tasks
                .iter()
                .filter(|t| {
                    t.units
                        .iter()
                        .flatten()
                        .any(|u| u.name == unit.unit && u.role == duban_core::Role::Lead)
                })
                .collect();
            let total: i64 = unit.statuses.iter().map(|(_, n)| n).sum();
            assert_eq!(total as usize, theirs.len());
            // Imported texts count as on time; nothing else came in.
            let with_text = theirs
                .iter()
                .filter(|t| t.status != Some(Status::Unreported))
                .count();
            assert_eq!(
                (unit.on_time as usize, unit.late, unit.unsubmitted as usize),
                (with_text, 0, theirs.len() - with_text)
            );
        }
    }
    // A report submitted for September moves its task from unsubmitted to on time or late,
    // as the cutoff says.
    let mut save = change(&w, ReportAction::Save, None);
    save.body = Some("9月份完成。".to_owned());
    w.store
        .act_on_report(&w.reporter, &save)
        .await
        .expect("save");
    let (before, _) = w
        .store
        .unsubmitted_tasks(&ledger, period("2023-09"), None, 10)
        .await
        .expect("list");
    let mut approve = change(&w, ReportAction::Approve, Some(1));
    approve.signature = signature();
    w.store
        .act_on_report(&w.head, &approve)
        .await
        .expect("approve");
    w.store
        .act_on_report(&w.head, &change(&w, ReportAction::Submit, Some(2)))
        .await
        .expect("submit");
    let (after, listed) = w
        .store
        .unsubmitted_tasks(&ledger, period("2023-09"), None, 10)
        .await
        .expect("list");
    assert_eq!(after, before - 1);
    assert!(listed.iter().all(|t| t.task_id != w.task));
    let fgj = |c: duban_store::PeriodCounts| {
        c.units
            .into_iter()
            .find(|u| u.unit == "区发改局")
            .expect("unit")
    };
    let cut_early = fgj(w
        .store
        .period_counts(&ledger, period("2023-09"), None, "2000-01-01T00:00:00Z")
        .await
        .expect("c"));
    let cut_late = fgj(w
        .store
        .period_counts(&ledger, period("2023-09"), None, "9999")
        .await
        .expect("c"));
    assert_eq!((cut_early.on_time, cut_early.late), (0, 1));
    assert_eq!((cut_late.on_time, cut_late.late), (1, 0));
    w.store.close().await;
}

async fn a_page_of_tasks_agrees_with_the_full_sheet_under_every_filter(db: &TestDb) {
    let w = world(db).await;
    let sheet = excerpt();
    let ledger = w.store.ledger(&sheet.ledger).await.expect("ledger");
    let august = Some(period("2023-08"));
    let filters: Vec<(duban_store::TaskFilter, &str)> = vec![
        (Default::default(), ""),
        (
            duban_store::TaskFilter {
                unit: Some("区财政局".into()),
                ..Default::default()
            },
            "",
        ),
        (
            duban_store::TaskFilter {
                leader: Some("高  晋".into()),
                ..Default::default()
            },
            "",
        ),
        (
            duban_store::TaskFilter {
                status: Some(Status::NotDone),
                ..Default::default()
            },
            "",
        ),
        (
            duban_store::TaskFilter {
                unit: Some("区财政局".into()),
                status: Some(Status::Done),
                ..Default::default()
            },
            "",
        ),
        (Default::default(), "增长"),
        (Default::default(), "100%"),
    ];
    for (filter, query) in &filters {
        let full = w
            .store
            .sheet(&sheet.ledger, august, filter)
            .await
            .expect("full");
        let expected: Vec<_> = full
            .tasks
            .iter()
            .filter(|t| {
                query.is_empty()
                    || [Some(&t.goal), t.target.as_ref(), t.progress.as_ref()]
                        .into_iter()
                        .flatten()
                        .any(|x| x.contains(query))
            })
            .collect();
        // Two rows a page: every page together gives the same rows, in order.
        let mut got = Vec::new();
        for page in 0..3 {
            let found = w
                .store
                .task_page(&ledger, august, filter, None, query, (page * 2, 2))
                .await
                .expect("page");
            assert_eq!(found.total, 4);
            assert_eq!(
                found.matching as usize,
                expected.len(),
                "{filter:?} {query}"
            );
            got.extend(found.tasks.into_iter().map(|(_, t)| t));
        }
        assert_eq!(got.len(), expected.len(), "{filter:?} {query}");
        for (a, b) in got.iter().zip(&expected) {
            assert_eq!(a.seq, b.seq);
            assert_eq!(
                (&a.goal, &a.target, &a.progress, a.status),
                (&b.goal, &b.target, &b.progress, b.status)
            );
            assert_eq!((&a.leaders, &a.units), (&b.leaders, &b.units));
        }
    }
    // A leader's scope limits the total too; a period without data is all 未报送.
    let scoped = w
        .store
        .task_page(
            &ledger,
            august,
            &Default::default(),
            Some("于海南"),
            "",
            (0, 10),
        )
        .await
        .expect("scoped");
    assert_eq!(scoped.total, 2);
    let september = w
        .store
        .task_page(
            &ledger,
            Some(period("2023-09")),
            &duban_store::TaskFilter {
                status: Some(Status::Unreported),
                ..Default::default()
            },
            None,
            "",
            (0, 10),
        )
        .await
        .expect("september");
    assert_eq!(september.matching, 4);
    w.store.close().await;
}

/// Four clients of two units save their own reports at the same moment, over and over: on
/// SQLite as on PostgreSQL every save is stored, none is refused with "database is locked".
async fn units_saving_at_the_same_time_are_all_stored(db: &TestDb) {
    let w = world(db).await;
    let ledger = w.store.ledger(&excerpt().ledger).await.expect("ledger");
    let ids = w.store.task_ids(ledger.id.0).await.expect("ids");
    let finance = account(&w.store, "czj-tb2", AccountRole::Reporter, Some("区财政局")).await;
    let planning = account(&w.store, "fgj-tb2", AccountRole::Reporter, Some("区发改局")).await;
    // (reporter, task): each client its own reports, so no save meets another's version.
    let clients = [
        (w.reporter.clone(), ids[&1]),
        (planning, ids[&2]),
        (w.other.clone(), ids[&1]),
        (finance, ids[&63]),
    ];
    let mut handles = Vec::new();
    for (client, (account, task)) in clients.into_iter().enumerate() {
        let store = w.store.clone();
        handles.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for month in 1..=12u8 {
                let period = Period::Month(2023, month);
                for round in 0..3 {
                    let change = ReportChange {
                        task,
                        period,
                        unit: account.unit.as_ref().expect("unit").id,
                        action: ReportAction::Save,
                        body: Some(format!("客户端{client}：{month}月第{round}稿")),
                        seen_version: (round > 0).then_some(round),
                        comment: None,
                        signature: None,
                        status: None,
                    };
                    if let Err(e) = store.act_on_report(&account, &change).await {
                        failures.push(format!("{month}月第{round}稿：{e}"));
                    }
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for handle in handles {
        failures.extend(handle.await.expect("client"));
    }
    assert!(
        failures.is_empty(),
        "{} saves refused: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );

    // Eight first saves of one report at the same moment: one is stored, the others are edit
    // conflicts — never a database error.
    let mut handles = Vec::new();
    for n in 0..8 {
        let store = w.store.clone();
        let account = w.reporter.clone();
        let mut first = change(&w, ReportAction::Save, None);
        first.period = Period::Month(2023, 11);
        first.body = Some(format!("第{n}份初稿"));
        handles.push(tokio::spawn(async move {
            store.act_on_report(&account, &first).await
        }));
    }
    let mut stored = 0;
    for handle in handles {
        match handle.await.expect("client") {
            Ok(_) => stored += 1,
            Err(duban_store::StoreError::Conflict(_)) => {}
            Err(other) => panic!("a first save failed otherwise: {other}"),
        }
    }
    assert_eq!(stored, 1);
}

/// A 2023 monthly ledger takes reports for the months of 2023 that have begun, and no others.
async fn reports_are_taken_only_for_the_ledgers_own_periods(db: &TestDb) {
    let w = world(db).await;
    for wrong in ["2099-12", "2019-01", "2023-Q3", "2023"] {
        let mut save = change(&w, ReportAction::Save, None);
        save.period = period(wrong);
        save.body = Some("报送内容".to_owned());
        let err = w
            .store
            .act_on_report(&w.reporter, &save)
            .await
            .expect_err(wrong);
        assert!(err.to_string().contains("不能报送"), "{wrong}: {err}");
        assert!(
            w.store
                .task_reports(w.task)
                .await
                .expect("reports")
                .is_empty(),
            "{wrong}: nothing stored"
        );
    }
    let mut save = change(&w, ReportAction::Save, None);
    save.body = Some("报送内容".to_owned());
    w.store
        .act_on_report(&w.reporter, &save)
        .await
        .expect("2023-09 is the ledger's");
}

/// A backup taken while the database is in use restores into a new, empty database of the same
/// kind: the same ledger, reports, accounts and log, whose hash chain verifies; restoring into a
/// database that is not empty is refused and changes nothing.
async fn a_backup_restores_into_an_empty_database_identical_and_verified(db: &TestDb) {
    let w = world(db).await;
    let mut save = change(&w, ReportAction::Save, None);
    save.body = Some("9月份完成项目前期手续。".to_owned());
    w.store
        .act_on_report(&w.reporter, &save)
        .await
        .expect("save");
    let backup = w.store.backup().await.expect("backup");
    // Through the file format and back.
    let text = serde_json::to_string(&backup).expect("json");
    let backup: duban_store::Backup = serde_json::from_str(&text).expect("read back");

    let other = match db {
        TestDb::Sqlite(_) => TestDb::sqlite(),
        TestDb::Postgres { .. } => TestDb::postgres().await.expect("a second database"),
    };
    let (restored, _) = Store::init(&other.target()).await.expect("init");
    let rows = restored.restore(&backup).await.expect("restore");
    assert!(rows > 10, "{rows} rows");
    let ledger = excerpt().ledger;
    for period in [None, Some(period("2023-08"))] {
        assert_eq!(
            restored
                .sheet(&ledger, period, &Default::default())
                .await
                .expect("sheet"),
            w.store
                .sheet(&ledger, period, &Default::default())
                .await
                .expect("sheet")
        );
    }
    assert_eq!(
        restored.task_reports(w.task).await.expect("reports"),
        w.store.task_reports(w.task).await.expect("reports")
    );
    assert_eq!(
        restored.accounts().await.expect("accounts"),
        w.store.accounts().await.expect("accounts")
    );
    assert_eq!(
        restored.audit_log(None, 1000).await.expect("log"),
        w.store.audit_log(None, 1000).await.expect("log")
    );
    let check = restored.verify_audit().await.expect("verify");
    assert_eq!(check.broken, None);
    // New rows get new ids after the restored ones.
    let mut next = change(&w, ReportAction::Save, None);
    next.period = period("2023-10");
    next.body = Some("10月份".to_owned());
    restored
        .act_on_report(&w.reporter, &next)
        .await
        .expect("a new report after the restore");
    // Not into a database that holds data.
    let err = restored.restore(&backup).await.expect_err("not empty");
    assert!(err.to_string().contains("不是空的"), "{err}");
    restored.close().await;
    other.finish().await;
}

async fn one_process_at_a_time_holds_the_reminder_lease(db: &TestDb) {
    let (s, _) = Store::init(&db.target()).await.expect("init");
    assert!(s.take_lease("remind", "a", 1000, 600).await.expect("a"));
    // Another process waits while the lease runs; the holder renews it.
    assert!(!s.take_lease("remind", "b", 1200, 600).await.expect("b"));
    assert!(
        s.take_lease("remind", "a", 1500, 600)
            .await
            .expect("a renews")
    );
    assert!(
        !s.take_lease("remind", "b", 2000, 600)
            .await
            .expect("b still waits")
    );
    // Once it has run out, another takes it.
    assert!(
        s.take_lease("remind", "b", 2200, 600)
            .await
            .expect("b takes over")
    );
    assert!(
        !s.take_lease("remind", "a", 2300, 600)
            .await
            .expect("a waits")
    );
    s.close().await;
}

/// The counts kept as a ledger changes (`tallies`) against a recount of the whole sheet.
async fn assert_tallies_recount(store: &Store, name: &str, periods: &[&str], step: &str) {
    let ledger = store.ledger(name).await.expect("ledger");
    for p in periods {
        let full = store
            .sheet(name, Some(period(p)), &duban_store::TaskFilter::default())
            .await
            .expect("full");
        let mut expected: Vec<(String, i64)> = Vec::new();
        for t in &full.tasks {
            let code = t.status.map_or("pending", Status::code).to_owned();
            match expected.iter_mut().find(|(c, _)| *c == code) {
                Some((_, n)) => *n += 1,
                None => expected.push((code, 1)),
            }
        }
        expected.sort();
        let (live, classes) = store
            .tallies(&ledger, Some(period(p)))
            .await
            .expect("tallies");
        assert_eq!(live as usize, full.tasks.len(), "{step}: live tasks");
        assert_eq!(classes, expected, "{step}: {p}");
        // Per lead unit, from the kept counts, against the units the sheet names as leading.
        let counts = store
            .period_counts(&ledger, period(p), None, "9999")
            .await
            .expect("counts");
        let mut leads: std::collections::BTreeMap<String, Vec<(String, i64)>> = Default::default();
        for t in &full.tasks {
            for u in t
                .units
                .iter()
                .flatten()
                .filter(|u| u.role == duban_core::Role::Lead)
            {
                let list = leads.entry(u.name.clone()).or_default();
                let code = t.status.map_or("pending", Status::code).to_owned();
                match list.iter_mut().find(|(c, _)| *c == code) {
                    Some((_, n)) => *n += 1,
                    None => list.push((code, 1)),
                }
            }
        }
        let got: std::collections::BTreeMap<String, Vec<(String, i64)>> = counts
            .units
            .iter()
            .map(|u| (u.unit.clone(), u.statuses.clone()))
            .collect();
        for list in leads.values_mut() {
            list.sort();
        }
        assert_eq!(got, leads, "{step}: {p} per lead unit");
        for u in &counts.units {
            let total: i64 = u.statuses.iter().map(|(_, n)| n).sum();
            assert_eq!(
                u.on_time + u.late + u.unsubmitted,
                total,
                "{step}: {}",
                u.unit
            );
        }
    }
    // The ledger page's choices: the units and leaders its live tasks name.
    let full = store
        .sheet(name, None, &duban_store::TaskFilter::default())
        .await
        .expect("full");
    let named = |pick: &dyn Fn(&duban_core::SheetTask) -> Vec<String>| {
        let mut names: Vec<String> = full.tasks.iter().flat_map(pick).collect();
        names.sort();
        names.dedup();
        names
    };
    let units = named(&|t| t.units.iter().flatten().map(|u| u.name.clone()).collect());
    let leaders = named(&|t| t.leaders.iter().flatten().cloned().collect());
    let (mut got_units, mut got_leaders) = store.ledger_names(&ledger).await.expect("names");
    got_units.sort();
    got_leaders.sort();
    assert_eq!(
        (got_units, got_leaders),
        (units, leaders),
        "{step}: choices"
    );
    // Receipts (签收): per unit, the live tasks naming it (any role) it has not acknowledged,
    // in every ledger.
    let mut sheets = Vec::new();
    for summary in store.ledgers().await.expect("ledgers") {
        let full = store
            .sheet(
                &summary.ledger.name,
                None,
                &duban_store::TaskFilter::default(),
            )
            .await
            .expect("full");
        let ids = store.task_ids(summary.ledger.id.0).await.expect("ids");
        sheets.push((full, ids));
    }
    let mut expected: std::collections::BTreeMap<String, i64> = Default::default();
    for unit in store.units().await.expect("units") {
        let acknowledged = store
            .acknowledged(unit.unit.id, ReceiptKind::Task)
            .await
            .expect("acknowledged");
        let waiting: usize = sheets
            .iter()
            .map(|(full, ids)| {
                full.tasks
                    .iter()
                    .filter(|t| t.units.iter().flatten().any(|u| u.name == unit.unit.name))
                    .filter(|t| !acknowledged.contains(&ids[&t.seq]))
                    .count()
            })
            .sum();
        if waiting > 0 {
            expected.insert(unit.unit.name.clone(), waiting as i64);
        }
    }
    let got: std::collections::BTreeMap<String, i64> = store
        .missing_receipts()
        .await
        .expect("missing receipts")
        .into_iter()
        .filter(|m| m.tasks > 0)
        .map(|m| (m.unit, m.tasks))
        .collect();
    assert_eq!(got, expected, "{step}: receipts not given");
}

async fn the_kept_counts_follow_every_change_to_a_ledger(db: &TestDb) {
    let w = world(db).await;
    let sheet = excerpt();
    let name = sheet.ledger.clone();
    let periods = ["2023-08", "2023-09"];
    assert_tallies_recount(&w.store, &name, &periods, "imported").await;
    // Two units acknowledge what they were given, one task left out by each.
    let ledger = w.store.ledger(&name).await.expect("ledger");
    let ids = w.store.task_ids(ledger.id.0).await.expect("ids");
    for account in [&w.reporter, &w.other] {
        let unit = &account.unit.as_ref().expect("unit").name;
        let given: Vec<i64> = sheet
            .tasks
            .iter()
            .filter(|t| t.units.iter().flatten().any(|u| &u.name == unit))
            .map(|t| ids[&t.seq])
            .skip(1)
            .collect();
        assert!(!given.is_empty(), "{unit} has tasks to acknowledge");
        w.store
            .acknowledge(account, ReceiptKind::Task, &given)
            .await
            .expect("acknowledge");
    }
    assert_tallies_recount(&w.store, &name, &periods, "acknowledged").await;

    // The next table judges differently, takes one text back (未报送) and leaves one unjudged.
    let mut next = sheet.clone();
    next.tasks[0].status = Some(Status::NotDone);
    next.tasks[1].status = Some(Status::Unreported);
    next.tasks[1].progress = None;
    next.tasks[2].status = None;
    w.store
        .save_sheet(&next, SaveOptions::default())
        .await
        .expect("re-import");
    assert_tallies_recount(&w.store, &name, &periods, "re-imported").await;

    // A report accepted for September writes its progress.
    let mut save = change(&w, ReportAction::Save, None);
    save.body = Some("9月份完成。".to_owned());
    w.store
        .act_on_report(&w.reporter, &save)
        .await
        .expect("save");
    let mut approve = change(&w, ReportAction::Approve, Some(1));
    approve.signature = signature();
    w.store
        .act_on_report(&w.head, &approve)
        .await
        .expect("approve");
    w.store
        .act_on_report(&w.head, &change(&w, ReportAction::Submit, Some(2)))
        .await
        .expect("submit");
    let mut accept = change(&w, ReportAction::Accept, Some(3));
    accept.status = Some(Status::Done);
    w.store
        .act_on_report(&w.office, &accept)
        .await
        .expect("accept");
    assert_tallies_recount(&w.store, &name, &periods, "accepted").await;

    // Withdrawn, merged and added tasks.
    let ledger = w.store.ledger(&name).await.expect("ledger");
    let ids = w.store.task_ids(ledger.id.0).await.expect("ids");
    let office = w.office.actor();
    for (change, step) in [
        (
            TaskChange::Withdraw {
                task: ids[&sheet.tasks[0].seq],
            },
            "withdrawn",
        ),
        (
            TaskChange::Merge {
                task: ids[&sheet.tasks[1].seq],
                into: ids[&sheet.tasks[3].seq],
            },
            "merged",
        ),
        (
            TaskChange::Add {
                goal: "新增任务：建设口袋公园3处。".to_owned(),
                units: vec![SheetUnit {
                    name: "区住建局".to_owned(),
                    role: duban_core::Role::Lead,
                }],
                leaders: vec![],
            },
            "added",
        ),
        (
            TaskChange::Reassign {
                task: ids[&sheet.tasks[3].seq],
                units: vec![
                    SheetUnit {
                        name: "区财政局".to_owned(),
                        role: duban_core::Role::Lead,
                    },
                    SheetUnit {
                        name: "区发改局".to_owned(),
                        role: duban_core::Role::Support,
                    },
                ],
                leaders: None,
            },
            "reassigned",
        ),
    ] {
        w.store
            .change_task(&office, ledger.id, &change, "年中调整")
            .await
            .expect(step);
        assert_tallies_recount(&w.store, &name, &periods, step).await;
    }
    // A unit merged into one that has acknowledged its own tasks: its assignments move over,
    // not acknowledged by the unit they now belong to.
    let third = sheet
        .tasks
        .iter()
        .flat_map(|t| t.units.iter().flatten())
        .map(|u| u.name.clone())
        .find(|n| n != "区发改局" && n != "区财政局")
        .expect("a third unit");
    w.store
        .add_alias("区发改局", &third)
        .await
        .expect("merge units");
    assert_tallies_recount(&w.store, &name, &periods, "units merged").await;
    w.store.close().await;
}

/// An import of thousands of tasks (PostgreSQL leaves its counts to one recount at the end,
/// SQLite keeps them row by row) and a re-import that changes a few: the kept counts equal a
/// recount of the full sheet either way.
async fn a_large_import_keeps_the_same_counts(db: &TestDb) {
    let w = world(db).await;
    let template = excerpt();
    let units = ["区发改局", "区财政局", "区住建局", "区教育局", "区卫健局"];
    let statuses = [
        Some(Status::Done),
        Some(Status::Partial),
        Some(Status::NotDone),
        Some(Status::Unreported),
        None,
    ];
    let mut sheet = LedgerSheet {
        ledger: "大台账（计数）".to_owned(),
        tasks: Vec::new(),
        ..template.clone()
    };
    for i in 0..2_600_usize {
        let mut task = template.tasks[0].clone();
        task.seq = u32::try_from(i + 1).expect("seq");
        task.goal = format!("第{}项任务：完成投资{}亿元。", i + 1, i % 97);
        task.status = statuses[i % statuses.len()];
        task.progress = (task.status != Some(Status::Unreported)).then(|| format!("进展{i}"));
        task.units = Some(vec![
            SheetUnit {
                name: units[i % units.len()].to_owned(),
                role: duban_core::Role::Lead,
            },
            SheetUnit {
                name: units[(i + 2) % units.len()].to_owned(),
                role: duban_core::Role::Support,
            },
        ]);
        sheet.tasks.push(task);
    }
    let period = sheet.period.expect("the excerpt has a period").to_string();
    w.store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect("large import");
    assert_tallies_recount(&w.store, &sheet.ledger, &[&period], "large import").await;
    // Again, with the last thousand judged otherwise and their lead units swapped.
    for task in sheet.tasks.iter_mut().skip(1_600) {
        task.status = Some(Status::Done);
        task.progress = Some("已完成。".to_owned());
        if let Some(list) = task.units.as_mut() {
            list.reverse();
            list[0].role = duban_core::Role::Lead;
            list[1].role = duban_core::Role::Support;
        }
    }
    w.store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect("re-import");
    assert_tallies_recount(&w.store, &sheet.ledger, &[&period], "large re-import").await;
    w.store.close().await;
}
