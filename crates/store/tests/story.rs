//! One story per behaviour, each run on SQLite (a temporary file) and on PostgreSQL (a fresh
//! database on the server `DATABASE_URL` points at); see `duban-testing`.

use duban_core::{LedgerSheet, Period, Role, Status};
use duban_store::{
    AliasOutcome, DbTarget, InitOutcome, SaveOptions, Store, StoreError, TaskFilter,
};
use duban_testing::{TestDb, on_both_backends};
use sqlx::{Connection, Executor, PgConnection};

const EXCERPT: &str = include_str!("../../../fixtures/ledger-2023-08-excerpt.json");
const LEDGER: &str = "2023年《政府工作报告》重点工作";

fn excerpt() -> LedgerSheet {
    serde_json::from_str(EXCERPT).expect("the fixture is valid ledger JSON")
}

fn period(text: &str) -> Period {
    text.parse().expect("test period")
}

on_both_backends!(
    init_creates_then_recognizes_the_database,
    a_saved_sheet_reads_back_as_it_was_written,
    filters_find_tasks_by_unit_alias_leader_and_status,
    reimporting_updates_in_place_and_other_periods_add_up,
    an_invalid_sheet_stores_nothing,
    aliases_resolve_and_merge_units,
    a_database_with_other_tables_is_refused,
    rows_of_one_table_with_the_same_goal_stay_separate_tasks,
);

async fn init_creates_then_recognizes_the_database(db: &TestDb) {
    let target = db.target();
    let (store, outcome) = Store::init(&target).await.expect("init");
    assert_eq!(outcome, InitOutcome::Created);
    store.close().await;
    let (store, outcome) = Store::init(&target).await.expect("init again");
    assert_eq!(outcome, InitOutcome::AlreadyInitialized);
    store.close().await;
    let store = Store::open(&target).await.expect("open");
    assert!(store.ledgers().await.expect("ledgers").is_empty());
    store.close().await;
    if let DbTarget::Sqlite(path) = &target {
        // WAL is a property of the file: a fresh connection sees it.
        let url = format!("sqlite://{}", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&mut conn)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
    }
}

async fn a_saved_sheet_reads_back_as_it_was_written(db: &TestDb) {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let sheet = excerpt();
    let report = store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect("save");
    assert!(report.ledger_created);
    assert_eq!(report.tasks_added, 4);
    // 区发改局, 区财政局, 区商务局, 临淄生态环境分局, 区统计局, 齐鲁化工区管委会, 区自然资源局, 区农业农村局
    assert_eq!(report.units_created.len(), 8, "{:?}", report.units_created);

    let back = store
        .sheet(LEDGER, Some(period("2023-08")), &TaskFilter::default())
        .await
        .expect("read back");
    assert_eq!(back.columns, sheet.columns);
    assert_eq!(back.tasks.len(), sheet.tasks.len());
    for (got, want) in back.tasks.iter().zip(&sheet.tasks) {
        assert_eq!(got.seq, want.seq);
        assert_eq!(got.goal, want.goal);
        assert_eq!(got.target, want.target);
        assert_eq!(got.status, want.status);
        assert_eq!(got.progress, want.progress);
        assert_eq!(got.units, want.units);
    }
    // Leaders come back without the table's padding (高  晋 → 高晋).
    assert_eq!(
        back.tasks[1].leaders,
        Some(vec!["郭克华".to_owned(), "高晋".to_owned()])
    );

    let ledgers = store.ledgers().await.expect("ledgers");
    assert_eq!(ledgers.len(), 1);
    assert_eq!(ledgers[0].ledger.year, 2023);
    assert_eq!(ledgers[0].ledger.cadence, duban_core::Cadence::Monthly);
    assert_eq!(ledgers[0].ledger.deadline.working_days, 3);
    assert_eq!(ledgers[0].tasks, 4);
    assert_eq!(ledgers[0].periods, vec![period("2023-08")]);

    // Without a period the latest one with data is shown.
    let latest = store
        .sheet(LEDGER, None, &TaskFilter::default())
        .await
        .expect("latest");
    assert_eq!(latest.period, Some(period("2023-08")));

    let units = store.units().await.expect("units");
    let lead = units
        .iter()
        .find(|u| u.unit.name == "区发改局")
        .expect("区发改局");
    assert_eq!((lead.tasks_led, lead.tasks_total), (3, 3));
    let stats = units
        .iter()
        .find(|u| u.unit.name == "区统计局")
        .expect("区统计局");
    assert_eq!((stats.tasks_led, stats.tasks_total), (0, 1));
    store.close().await;
}

async fn filters_find_tasks_by_unit_alias_leader_and_status(db: &TestDb) {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    store
        .save_sheet(&excerpt(), SaveOptions::default())
        .await
        .expect("save");
    let aug = Some(period("2023-08"));
    let seqs = |sheet: LedgerSheet| sheet.tasks.iter().map(|t| t.seq).collect::<Vec<_>>();

    let by_unit = TaskFilter {
        unit: Some("区财政局".into()),
        ..TaskFilter::default()
    };
    assert_eq!(
        seqs(store.sheet(LEDGER, aug, &by_unit).await.expect("unit")),
        [1, 63]
    );

    store
        .add_alias("区发展和改革局", "区发改局")
        .await
        .expect_err("no such unit");
    store
        .add_alias("区发改局", "区发展和改革局")
        .await
        .expect("alias");
    let by_alias = TaskFilter {
        unit: Some("区发展和改革局".into()),
        ..TaskFilter::default()
    };
    assert_eq!(
        seqs(store.sheet(LEDGER, aug, &by_alias).await.expect("alias")),
        [1, 2, 7]
    );

    let by_leader = TaskFilter {
        leader: Some("高 晋".into()),
        ..TaskFilter::default()
    };
    assert_eq!(
        seqs(store.sheet(LEDGER, aug, &by_leader).await.expect("leader")),
        [2]
    );

    let not_done = TaskFilter {
        status: Some(Status::NotDone),
        ..TaskFilter::default()
    };
    assert_eq!(
        seqs(store.sheet(LEDGER, aug, &not_done).await.expect("status")),
        [7, 63]
    );

    let both = TaskFilter {
        unit: Some("区发改局".into()),
        status: Some(Status::NotDone),
        ..TaskFilter::default()
    };
    assert_eq!(
        seqs(store.sheet(LEDGER, aug, &both).await.expect("both")),
        [7]
    );

    let unknown = TaskFilter {
        unit: Some("区不存在局".into()),
        ..TaskFilter::default()
    };
    let err = store
        .sheet(LEDGER, aug, &unknown)
        .await
        .expect_err("unknown unit");
    assert!(err.to_string().contains("区不存在局"), "{err}");

    let err = store
        .sheet(
            "2024年《政府工作报告》重点工作",
            aug,
            &TaskFilter::default(),
        )
        .await
        .expect_err("unknown ledger");
    assert!(matches!(err, StoreError::NotFound { .. }));
    assert!(
        err.to_string().contains(LEDGER),
        "the error lists existing ledgers: {err}"
    );
    store.close().await;
}

async fn reimporting_updates_in_place_and_other_periods_add_up(db: &TestDb) {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let august = excerpt();
    store
        .save_sheet(&august, SaveOptions::default())
        .await
        .expect("first");
    let again = store
        .save_sheet(&august, SaveOptions::default())
        .await
        .expect("again");
    assert_eq!(
        (
            again.tasks_added,
            again.tasks_updated,
            again.tasks_unchanged
        ),
        (0, 0, 4)
    );
    assert!(!again.ledger_created);
    assert!(again.units_created.is_empty());

    // September: two tasks reported, one of them with a corrected goal and a new lead unit.
    let mut september = august.clone();
    september.period = Some(period("2023-09"));
    september.tasks.truncate(2);
    september.tasks[0].status = Some(Status::Done);
    september.tasks[0].progress = Some("一般公共预算收入同比增长7.1%。".into());
    september.tasks[1].goal.push_str("（修订）");
    september.tasks[1].units = Some(vec![duban_core::SheetUnit {
        name: "齐鲁化工区管委会".into(),
        role: Role::Lead,
    }]);
    let report = store
        .save_sheet(&september, SaveOptions::default())
        .await
        .expect("september");
    assert_eq!(
        (
            report.tasks_added,
            report.tasks_updated,
            report.tasks_unchanged
        ),
        (0, 1, 1)
    );

    let sep = store
        .sheet(LEDGER, Some(period("2023-09")), &TaskFilter::default())
        .await
        .expect("sep");
    assert_eq!(
        sep.tasks.len(),
        4,
        "the ledger still has four tasks, not six"
    );
    let statuses: Vec<Option<Status>> = sep.tasks.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        [
            Some(Status::Done),
            Some(Status::Done),
            Some(Status::Unreported),
            Some(Status::Unreported)
        ]
    );
    assert!(sep.tasks[1].goal.ends_with("（修订）"));
    assert_eq!(sep.tasks[1].units.as_ref().map(Vec::len), Some(1));

    // August is untouched by September's import.
    let aug = store
        .sheet(LEDGER, Some(period("2023-08")), &TaskFilter::default())
        .await
        .expect("aug");
    assert_eq!(aug.tasks[0].status, Some(Status::Partial));
    assert_eq!(aug.tasks[0].progress, august.tasks[0].progress);

    let ledgers = store.ledgers().await.expect("ledgers");
    assert_eq!(
        ledgers[0].periods,
        vec![period("2023-08"), period("2023-09")]
    );
    assert_eq!(ledgers[0].tasks, 4);

    // Quarterly targets from a table with two period columns.
    let targets: LedgerSheet = serde_json::from_str(
        r#"{"ledger": "2020年二十大重点工作", "columns": ["goal", "targets"],
            "tasks": [{"seq": 1, "goal": "工业经济提质增效",
                       "targets": {"2020-Q3": "规上工业增加值增长3%", "2020-Q4": "规上工业增加值增长5%"}}]}"#,
    )
    .expect("valid");
    store
        .save_sheet(
            &targets,
            SaveOptions {
                cadence: Some(duban_core::Cadence::Quarterly),
                ..SaveOptions::default()
            },
        )
        .await
        .expect("targets");
    let q4 = store
        .sheet(
            "2020年二十大重点工作",
            Some(period("2020-Q4")),
            &TaskFilter::default(),
        )
        .await
        .expect("q4");
    assert_eq!(q4.tasks[0].target.as_deref(), Some("规上工业增加值增长5%"));
    let latest = store
        .sheet("2020年二十大重点工作", None, &TaskFilter::default())
        .await
        .expect("latest");
    assert_eq!(latest.period, Some(period("2020-Q4")));
    store.close().await;
}

async fn an_invalid_sheet_stores_nothing(db: &TestDb) {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let mut sheet = excerpt();
    sheet.tasks[3].seq = 1;
    let err = store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect_err("duplicate seq");
    assert!(err.to_string().contains("第 4 条任务"), "{err}");
    assert!(store.ledgers().await.expect("ledgers").is_empty());
    assert!(store.units().await.expect("units").is_empty());

    let nameless: LedgerSheet =
        serde_json::from_str(r#"{"ledger": "重点工作", "tasks": [{"seq": 1, "goal": "g"}]}"#)
            .expect("valid json");
    let err = store
        .save_sheet(&nameless, SaveOptions::default())
        .await
        .expect_err("no year");
    assert!(err.to_string().contains("年度"), "{err}");
    assert!(store.ledgers().await.expect("ledgers").is_empty());
    store.close().await;
}

async fn aliases_resolve_and_merge_units(db: &TestDb) {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let sheet: LedgerSheet = serde_json::from_str(
        r#"{"ledger": "2023年《政府工作报告》重点工作", "period": "2023-08",
            "tasks": [
              {"seq": 1, "goal": "食品安全", "units": [{"name": "区市场监督管理局", "role": "lead"}]},
              {"seq": 2, "goal": "特种设备", "units": [{"name": "区市场监管局", "role": "lead"}]},
              {"seq": 3, "goal": "联合执法", "units": [{"name": "区市场监督管理局", "role": "lead"},
                                                  {"name": "区市场监管局", "role": "support"}]}]}"#,
    )
    .expect("valid");
    store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect("save");
    assert_eq!(store.units().await.expect("units").len(), 2);

    let outcome = store
        .add_alias("区市场监督管理局", "区市场监管局")
        .await
        .expect("merge");
    assert_eq!(outcome, AliasOutcome::Merged { tasks_moved: 1 });
    let units = store.units().await.expect("units");
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].unit.aliases, ["区市场监管局"]);
    assert_eq!((units[0].tasks_led, units[0].tasks_total), (3, 3));
    assert_eq!(
        store
            .add_alias("区市场监督管理局", "区市场监管局")
            .await
            .expect("again"),
        AliasOutcome::Unchanged
    );

    // A later import that uses the short name lands on the same unit.
    let mut again = sheet.clone();
    again.tasks.truncate(2);
    let report = store
        .save_sheet(&again, SaveOptions::default())
        .await
        .expect("reimport");
    assert!(report.units_created.is_empty());
    let back = store
        .sheet(LEDGER, None, &TaskFilter::default())
        .await
        .expect("sheet");
    let names: Vec<&str> = back
        .tasks
        .iter()
        .flat_map(|t| t.units.iter().flatten().map(|u| u.name.as_str()))
        .collect();
    assert_eq!(
        names,
        ["区市场监督管理局", "区市场监督管理局", "区市场监督管理局"]
    );

    store.save_sheet(
        &serde_json::from_str(
            r#"{"ledger": "2023年其他工作", "tasks": [{"seq": 1, "goal": "g", "units": [{"name": "区财政局", "role": "lead"}]}]}"#,
        )
        .expect("valid"),
        SaveOptions::default(),
    )
    .await
    .expect("other ledger");
    let err = store
        .add_alias("区财政局", "区市场监管局")
        .await
        .expect_err("taken");
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("区市场监督管理局"), "{err}");
    store.close().await;
}

async fn a_database_with_other_tables_is_refused(db: &TestDb) {
    let target = db.target();
    // Make the database exist with a table of some other application.
    match &target {
        DbTarget::Sqlite(path) => {
            let url = format!("sqlite://{}?mode=rwc", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
            conn.execute("CREATE TABLE invoices (id INTEGER)")
                .await
                .expect("table");
            conn.close().await.expect("close");
        }
        DbTarget::Postgres(url) => {
            let err = Store::open(&target).await.expect_err("empty database");
            assert!(matches!(err, StoreError::NotInitialized { .. }), "{err}");
            let mut conn = PgConnection::connect(url).await.expect("pg");
            conn.execute("CREATE TABLE invoices (id BIGINT)")
                .await
                .expect("table");
            conn.close().await.expect("close");
        }
    }
    for result in [
        Store::init(&target).await.map(|_| ()),
        Store::open(&target).await.map(|_| ()),
    ] {
        let err = result.expect_err("foreign database");
        assert!(matches!(err, StoreError::NotDuban { .. }), "{err}");
        assert!(err.to_string().contains("invoices"), "{err}");
    }
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.db");
    std::fs::write(
        &path,
        "2023年重点工作：这是一个文本文件，不是数据库。".repeat(200),
    )
    .expect("write");
    let before = std::fs::read(&path).expect("read");
    let err = Store::open(&DbTarget::Sqlite(path.clone()))
        .await
        .expect_err("text file");
    assert!(matches!(err, StoreError::NotDuban { .. }), "{err}");
    assert!(err.to_string().contains("notes.db"), "{err}");
    let err = Store::init(&DbTarget::Sqlite(path.clone()))
        .await
        .expect_err("text file");
    assert!(matches!(err, StoreError::NotDuban { .. }), "{err}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the file is left as it was"
    );
}

#[tokio::test]
async fn a_missing_file_is_not_created_by_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("absent.db");
    let err = Store::open(&DbTarget::Sqlite(path.clone()))
        .await
        .expect_err("missing");
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    assert!(!path.exists());
}

#[tokio::test]
async fn an_unreachable_postgres_server_fails_fast_with_its_address() {
    let target = DbTarget::Postgres("postgres://duban:secret@127.0.0.1:1/duban".into());
    let err = Store::open(&target)
        .await
        .expect_err("nothing listens on port 1");
    assert!(matches!(err, StoreError::Connect { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("127.0.0.1:1"), "{message}");
    assert!(!message.contains("secret"), "{message}");
}

/// Matching by goal joins a row to a task of an earlier table; it never folds two rows of the
/// same table into one task (two districts' rows may both read 完成上级下达任务).
async fn rows_of_one_table_with_the_same_goal_stay_separate_tasks(db: &TestDb) {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let mut sheet = excerpt();
    let mut twin = sheet.tasks[0].clone();
    twin.seq = 200;
    twin.status = Some(Status::Done);
    sheet.tasks.push(twin);
    let first = store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect("save");
    assert_eq!(first.tasks_added, 5);
    assert!(first.matched_by_goal.is_empty());
    let back = store
        .sheet(&sheet.ledger, None, &TaskFilter::default())
        .await
        .expect("read");
    assert_eq!(back.tasks.len(), 5);
    assert_eq!(back.tasks[0].status, Some(Status::Partial));
    assert_eq!(back.tasks[4].status, Some(Status::Done));

    // Saved again, each row finds its own task.
    let again = store
        .save_sheet(&sheet, SaveOptions::default())
        .await
        .expect("again");
    assert_eq!((again.tasks_added, again.tasks_unchanged), (0, 5));
}
