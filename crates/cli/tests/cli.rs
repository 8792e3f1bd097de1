//! The `duban` binary as a user runs it, on SQLite and on PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use duban_core::{LedgerSheet, Status};
use duban_store::DbTarget;
use duban_testing::{TestDb, on_both_backends};

const LEDGER: &str = "2023年《政府工作报告》重点工作";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

/// `duban` pointed at the test database: `--db` for SQLite, `DATABASE_URL` for PostgreSQL.
fn duban_command(db: &TestDb, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_duban"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("DUBAN_HOLIDAYS");
    match db.target() {
        DbTarget::Sqlite(path) => {
            command.arg("--db").arg(path);
        }
        DbTarget::Postgres(url) => {
            command.env("DATABASE_URL", url);
        }
    }
    command.args(args);
    command
}

/// Runs `duban` against the test database.
fn duban(db: &TestDb, args: &[&str]) -> Output {
    duban_command(db, args).output().expect("run duban")
}

/// Runs `duban` with no database settings at all, in `dir`.
fn duban_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duban"))
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("DUBAN_HOLIDAYS")
        .args(args)
        .output()
        .expect("run duban")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "duban failed ({:?}): {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

/// Asserts exit code 2 and a single error line containing every needle; returns the line.
fn fails_with(output: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr)
        .trim_end()
        .to_owned();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line, got: {stderr}");
    assert!(stderr.starts_with("duban: 错误："), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
    }
    stderr
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).expect("JSON output")
}

on_both_backends!(
    the_first_office_account_is_made_from_the_command_line,
    word_pdf_and_web_files_import_like_their_text_and_unreadable_ones_change_nothing,
    a_report_and_a_plan_are_imported_listed_proposed_and_linked,
    text_that_is_not_a_document_is_refused_and_nothing_is_stored,
    spreadsheets_and_csv_import_and_bad_files_change_nothing,
    the_2023_notice_as_pdf_text_imports_124_tasks_and_reimports_in_place,
    a_tab_separated_table_with_html_cells_imports_in_any_encoding,
    a_clerk_imports_a_ledger_and_lists_its_tasks,
    bad_input_gets_one_line_and_exit_code_2,
    a_notice_is_published_in_every_format_and_its_xlsx_imports_back,
    assessment_of_the_2023_table_agrees_with_the_office_where_it_commits,
    an_exported_ledger_imports_back_as_the_same_ledger,
    an_overdue_period_sends_one_digest_per_channel_a_day,
    a_robot_behind_a_private_ca_is_reached_with_duban_ca_file,
    findings_lower_scores_that_sum_from_their_parts_and_a_weight_changes_the_ranking,
    plan_indicators_are_judged_against_their_paths,
    a_large_ledger_json_is_written_in_batches_and_a_bad_row_changes_nothing,
);

async fn a_clerk_imports_a_ledger_and_lists_its_tasks(db: &TestDb) {
    let excerpt = fixture("ledger-2023-08-excerpt.json");
    let excerpt = excerpt.to_str().expect("utf-8 path");
    assert!(stdout(&duban(db, &["init"])).contains("已创建"));
    assert!(stdout(&duban(db, &["init"])).contains("已是 duban 数据库"));

    let summary = stdout(&duban(db, &["import", excerpt]));
    assert!(summary.contains("4 项任务"), "{summary}");
    assert!(summary.contains("新增 4 项"), "{summary}");

    // The stored ledger comes back as the ledger JSON it was imported from.
    let original: LedgerSheet =
        serde_json::from_str(&std::fs::read_to_string(excerpt).expect("fixture")).expect("fixture");
    let printed: LedgerSheet = serde_json::from_value(json(&duban(
        db,
        &["tasks", "--ledger", LEDGER, "--period", "2023-08", "--json"],
    )))
    .expect("ledger JSON");
    assert_eq!(printed.ledger, original.ledger);
    assert_eq!(printed.period, original.period);
    assert_eq!(printed.columns, original.columns);
    let seqs: Vec<u32> = printed.tasks.iter().map(|t| t.seq).collect();
    assert_eq!(seqs, [1, 2, 7, 63]);
    for (got, want) in printed.tasks.iter().zip(&original.tasks) {
        assert_eq!(
            (&got.goal, &got.target, &got.progress),
            (&want.goal, &want.target, &want.progress)
        );
        assert_eq!((got.status, &got.units), (want.status, &want.units));
    }

    let ledgers = json(&duban(db, &["ledger", "list", "--json"]));
    assert_eq!(ledgers[0]["name"], LEDGER);
    assert_eq!(ledgers[0]["tasks"], 4);
    assert_eq!(ledgers[0]["cadence"], "monthly");
    assert_eq!(ledgers[0]["periods"], serde_json::json!(["2023-08"]));
    assert!(stdout(&duban(db, &["ledger", "list"])).contains(LEDGER));

    // Filters, each alone and combined; Chinese status words work as well as codes.
    let seqs_of = |args: &[&str]| -> Vec<u64> {
        let mut all = vec!["tasks", "--ledger", LEDGER, "--json"];
        all.extend_from_slice(args);
        json(&duban(db, &all))["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .map(|t| t["seq"].as_u64().expect("seq"))
            .collect()
    };
    assert_eq!(seqs_of(&["--unit", "区财政局"]), [1, 63]);
    assert_eq!(seqs_of(&["--leader", "高晋"]), [2]);
    assert_eq!(seqs_of(&["--status", "未完成"]), [7, 63]);
    assert_eq!(
        seqs_of(&["--status", "not_done", "--unit", "区发改局"]),
        [7]
    );
    assert_eq!(
        seqs_of(&["--period", "2023-09", "--status", "unreported"]),
        [1, 2, 7, 63]
    );

    // Aliases: the short name finds the unit's tasks.
    let said = stdout(&duban(
        db,
        &["units", "alias", "区发改局", "区发展和改革局"],
    ));
    assert!(
        said.contains("区发展和改革局") && said.contains("别名"),
        "{said}"
    );
    assert_eq!(seqs_of(&["--unit", "区发展和改革局"]), [1, 2, 7]);
    // The alias was logged, and the log's hash chain holds.
    let verified = stdout(&duban(db, &["audit", "verify"]));
    assert!(
        verified.contains("审计日志完整") && verified.contains("哈希链一致"),
        "{verified}"
    );
    // A backup restores into a new SQLite file (from PostgreSQL too) with the same tasks; not
    // into a database that holds data.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("备份.json");
    let file = file.to_str().expect("path");
    let said = stdout(&duban(db, &["backup", file]));
    assert!(said.contains("已备份"), "{said}");
    let copy = dir.path().join("copy.db");
    let copy = copy.to_str().expect("path");
    let said = stdout(&duban_in(dir.path(), &["--db", copy, "restore", file]));
    assert!(
        said.contains("已恢复") && said.contains("哈希链一致"),
        "{said}"
    );
    assert_eq!(
        json(&duban_in(
            dir.path(),
            &["--db", copy, "tasks", "--ledger", LEDGER, "--json"]
        )),
        json(&duban(db, &["tasks", "--ledger", LEDGER, "--json"]))
    );
    fails_with(
        &duban_in(dir.path(), &["--db", copy, "restore", file]),
        &["不是空的"],
    );
    let units = json(&duban(db, &["units", "--json"]));
    let ndrc = units
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["name"] == "区发改局")
        .expect("区发改局");
    assert_eq!(ndrc["aliases"], serde_json::json!(["区发展和改革局"]));
    assert_eq!(ndrc["tasks_led"], 3);
    let table = stdout(&duban(db, &["units"]));
    assert!(table.contains("区发展和改革局"), "{table}");

    // The terminal table opens the progress cell with the status word and marks the lead.
    let table = stdout(&duban(
        db,
        &["tasks", "--ledger", LEDGER, "--status", "partial"],
    ));
    assert!(table.contains("部分完成。"), "{table}");
    assert!(table.contains("区发改局（牵头）"), "{table}");
    assert!(table.contains("区统计局（提供数据）"), "{table}");
    assert!(
        !table.contains("聚焦4条化工"),
        "task 2 is done, not partial: {table}"
    );

    // A dry run under another name reads and checks, and stores nothing.
    let dry = duban(
        db,
        &[
            "import",
            excerpt,
            "--ledger",
            "2023年试导入",
            "--dry-run",
            "--json",
        ],
    );
    let dry = json(&dry);
    assert_eq!(dry["ledger"], "2023年试导入");
    assert_eq!(dry["tasks"].as_array().map(Vec::len), Some(4));
    assert_eq!(dry["tasks"][0]["status"], Status::Partial.code());
    let ledgers = json(&duban(db, &["ledger", "list", "--json"]));
    assert_eq!(
        ledgers.as_array().map(Vec::len),
        Some(1),
        "dry run stored nothing"
    );

    // Importing the same file again changes nothing.
    let again = stdout(&duban(db, &["import", excerpt]));
    assert!(again.contains("新增 0 项，更新 0 项，未变 4 项"), "{again}");
}

async fn bad_input_gets_one_line_and_exit_code_2(db: &TestDb) {
    // Before init.
    let missing = duban(db, &["ledger", "list"]);
    match db.target() {
        DbTarget::Sqlite(path) => {
            fails_with(&missing, &["不存在", "duban init"]);
            assert!(!path.exists(), "listing does not create the database");
        }
        DbTarget::Postgres(_) => {
            fails_with(&missing, &["还没有初始化", "duban init"]);
        }
    }
    stdout(&duban(db, &["init"]));
    let excerpt = fixture("ledger-2023-08-excerpt.json");
    let excerpt = excerpt.to_str().expect("utf-8 path");
    stdout(&duban(db, &["import", excerpt]));

    fails_with(
        &duban(db, &["tasks", "--ledger", "2099年重点工作"]),
        &["2099年重点工作", "不存在", LEDGER],
    );
    fails_with(
        &duban(db, &["tasks", "--ledger", LEDGER, "--period", "2023-13"]),
        &["2023-13", "期间"],
    );
    fails_with(
        &duban(db, &["tasks", "--ledger", LEDGER, "--status", "finished"]),
        &["finished", "not_done"],
    );
    fails_with(
        &duban(db, &["tasks", "--ledger", LEDGER, "--unit", "区不存在局"]),
        &["区不存在局"],
    );
    fails_with(
        &duban(db, &["units", "alias", "区不存在局", "简称"]),
        &["区不存在局"],
    );

    // A broken file is refused with its name and place; the database keeps what it had.
    let dir = tempfile::tempdir().expect("dir");
    let broken = dir.path().join("broken.json");
    let text = std::fs::read_to_string(excerpt).expect("fixture").replacen(
        "\"status\": \"partial\"",
        "\"status\": \"half\"",
        1,
    );
    std::fs::write(&broken, text).expect("write");
    fails_with(
        &duban(db, &["import", broken.to_str().expect("path")]),
        &["broken.json", "行", "half"],
    );
    let duplicate = dir.path().join("dup.json");
    let text = std::fs::read_to_string(excerpt)
        .expect("fixture")
        .replace("\"seq\": 63", "\"seq\": 7")
        .replace("一般公共预算收入同比增长6.29%", "已改");
    std::fs::write(&duplicate, text).expect("write");
    fails_with(
        &duban(db, &["import", duplicate.to_str().expect("path")]),
        &["dup.json", "序号 7 重复"],
    );
    let sheet = json(&duban(db, &["tasks", "--ledger", LEDGER, "--json"]));
    assert!(
        sheet["tasks"][0]["progress"]
            .as_str()
            .expect("progress")
            .contains("6.29%")
    );

    let not_text = dir.path().join("table.xls");
    std::fs::write(&not_text, [0xd0, 0xcf, 0x11, 0xe0, 0xff, 0xff]).expect("write");
    fails_with(
        &duban(db, &["import", not_text.to_str().expect("path")]),
        &["table.xls"],
    );
}

#[test]
fn a_file_that_is_not_a_duban_database_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("notes.db"), "这不是数据库".repeat(100)).expect("write");
    for args in [
        ["--db", "notes.db", "init"].as_slice(),
        &["--db", "notes.db", "ledger", "list"],
    ] {
        fails_with(
            &duban_in(dir.path(), args),
            &["notes.db", "不是 duban 数据库"],
        );
    }
}

#[test]
fn an_unreachable_postgres_server_is_named_without_its_password() {
    let output = Command::new(env!("CARGO_BIN_EXE_duban"))
        .env(
            "DATABASE_URL",
            "postgres://duban:topsecret@127.0.0.1:1/duban",
        )
        .args(["ledger", "list"])
        .output()
        .expect("run duban");
    let line = fails_with(&output, &["无法连接数据库", "127.0.0.1:1"]);
    assert!(!line.contains("topsecret"), "{line}");
}

#[test]
fn init_creates_duban_db_in_the_current_directory_by_default() {
    let dir = tempfile::tempdir().expect("dir");
    stdout(&duban_in(dir.path(), &["init"]));
    assert!(dir.path().join("duban.db").exists());
}

#[test]
fn calendar_deadlines_follow_the_state_council_notices() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| stdout(&duban_in(dir.path(), args)).trim().to_owned();
    assert_eq!(
        run(&["calendar", "deadline", "--period", "2020-Q3", "--days", "3"]),
        "2020-10-12"
    );
    assert_eq!(
        run(&["calendar", "deadline", "--period", "2020-Q4", "--days", "3"]),
        "2021-01-06"
    );
    assert_eq!(
        run(&["calendar", "deadline", "--period", "2023-09", "--days", "1"]),
        "2023-10-07"
    );
    assert_eq!(
        run(&[
            "calendar",
            "workdays",
            "--from",
            "2020-10-01",
            "--to",
            "2020-10-31"
        ]),
        "17"
    );
    assert_eq!(
        run(&[
            "calendar",
            "workdays",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31"
        ]),
        "251"
    );

    fails_with(
        &duban_in(
            dir.path(),
            &["calendar", "deadline", "--period", "2020-Q5", "--days", "3"],
        ),
        &["2020-Q5"],
    );
    fails_with(
        &duban_in(
            dir.path(),
            &[
                "calendar",
                "workdays",
                "--from",
                "2020-02-30",
                "--to",
                "2020-03-01",
            ],
        ),
        &["2020-02-30", "YYYY-MM-DD"],
    );
    fails_with(
        &duban_in(
            dir.path(),
            &["calendar", "deadline", "--period", "2026-Q4", "--days", "3"],
        ),
        &["2027"],
    );

    // A year is added with a data file, no code change.
    let table = dir.path().join("2027.csv");
    std::fs::write(
        &table,
        "year,start,end,kind,name,source\n2027,2027-01-01,2027-01-03,off,元旦,测试用表\n",
    )
    .expect("write");
    let holidays = table.to_str().expect("path");
    assert_eq!(
        run(&[
            "--holidays",
            holidays,
            "calendar",
            "deadline",
            "--period",
            "2026-Q4",
            "--days",
            "3"
        ]),
        "2027-01-06"
    );
    std::fs::write(
        &table,
        "year,start,end,kind,name,source\n2027,2027-01-04,2027-01-04,work,元旦,x\n",
    )
    .expect("write");
    fails_with(
        &duban_in(
            dir.path(),
            &[
                "--holidays",
                holidays,
                "calendar",
                "workdays",
                "--from",
                "2027-01-01",
                "--to",
                "2027-01-05",
            ],
        ),
        &["2027.csv", "第 2 行", "不是周末"],
    );
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().expect("dir");
    for args in [
        &["--help"][..],
        &["init", "--help"],
        &["ledger", "list", "--help"],
        &["tasks", "--help"],
        &["units", "--help"],
        &["units", "alias", "--help"],
        &["calendar", "deadline", "--help"],
        &["calendar", "workdays", "--help"],
        &["import", "--help"],
        &["notice", "--help"],
        &["extract", "targets", "--help"],
        &["assess", "--help"],
    ] {
        let text = stdout(&duban_in(dir.path(), args));
        assert!(text.contains("Usage: duban"), "{args:?}: {text}");
    }
}

async fn a_tab_separated_table_with_html_cells_imports_in_any_encoding(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let targets = fixture("targets-2020-q3q4-linzi.txt");
    let targets = targets.to_str().expect("utf-8 path");

    // --strict refuses the file because of the jump from 15 to 20, and stores nothing.
    fails_with_warnings(
        &duban(db, &["import", targets, "--strict"]),
        "序号 20 不接续上一行的 15",
    );
    assert_eq!(
        json(&duban(db, &["ledger", "list", "--json"])),
        serde_json::json!([])
    );

    let output = duban(db, &["import", targets]);
    let summary = stdout(&output);
    assert!(summary.contains("16 项任务"), "{summary}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("序号 20 不接续上一行的 15"));
    let ledgers = json(&duban(db, &["ledger", "list", "--json"]));
    assert_eq!(ledgers[0]["name"], "2020年区政府二十大重点工作");
    assert_eq!(ledgers[0]["cadence"], "quarterly");
    assert_eq!(
        ledgers[0]["periods"],
        serde_json::json!(["2020-Q3", "2020-Q4"])
    );
    let q3 = json(&duban(
        db,
        &[
            "tasks",
            "--ledger",
            "2020年区政府二十大重点工作",
            "--period",
            "2020-Q3",
            "--json",
        ],
    ));
    assert_eq!(q3["tasks"].as_array().map(Vec::len), Some(16));
    assert!(
        q3["tasks"][12]["target"]
            .as_str()
            .expect("target")
            .contains("m²")
    );

    // The same table saved as GB18030 (as Chinese Windows saves text) imports the same tasks.
    let dir = tempfile::tempdir().expect("dir");
    let gbk = dir.path().join("分解表-gbk.txt");
    let text = std::fs::read_to_string(targets).expect("fixture");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    std::fs::write(&gbk, &bytes).expect("write");
    let dry = json(&duban(
        db,
        &[
            "import",
            gbk.to_str().expect("path"),
            "--dry-run",
            "--json",
            "--ledger",
            "2020年区政府二十大重点工作",
        ],
    ));
    let stored = json(&duban(
        db,
        &[
            "tasks",
            "--ledger",
            "2020年区政府二十大重点工作",
            "--period",
            "2020-Q4",
            "--json",
        ],
    ));
    let goals = |v: &serde_json::Value| -> Vec<String> {
        v["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .map(|t| t["goal"].as_str().expect("goal").to_owned())
            .collect()
    };
    assert_eq!(goals(&dry), goals(&stored));
    assert_eq!(
        dry["tasks"][0]["targets"]["2020-Q4"],
        stored["tasks"][0]["target"]
    );
}

/// Exit code 2, warnings echoed, and the refusal as the last line.
fn fails_with_warnings(output: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let last = stderr.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("duban: 错误：") && last.contains("--strict") && last.contains(needle),
        "{stderr}"
    );
}

async fn the_2023_notice_as_pdf_text_imports_124_tasks_and_reimports_in_place(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let notice = fixture("progress-2023-08-linzi.txt");
    let notice = notice.to_str().expect("utf-8 path");
    let summary = stdout(&duban(db, &["import", notice]));
    assert!(summary.contains("124 项任务"), "{summary}");
    assert!(
        summary.contains("完成 105、部分完成 12、未完成 7"),
        "{summary}"
    );
    assert!(summary.contains("新增 124 项"), "{summary}");

    let sheet = json(&duban(db, &["tasks", "--ledger", LEDGER, "--json"]));
    assert_eq!(sheet["period"], "2023-08");
    assert_eq!(sheet["tasks"].as_array().map(Vec::len), Some(124));
    let not_done = json(&duban(
        db,
        &[
            "tasks", "--ledger", LEDGER, "--status", "not_done", "--json",
        ],
    ));
    let seqs: Vec<u64> = not_done["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| t["seq"].as_u64().expect("seq"))
        .collect();
    assert!(
        seqs.contains(&7) && seqs.contains(&63) && seqs.contains(&68),
        "{seqs:?}"
    );

    let again = stdout(&duban(db, &["import", notice]));
    assert!(
        again.contains("新增 0 项，更新 0 项，未变 124 项"),
        "{again}"
    );
    let ledgers = json(&duban(db, &["ledger", "list", "--json"]));
    assert_eq!(ledgers[0]["tasks"], 124);
}

async fn spreadsheets_and_csv_import_and_bad_files_change_nothing(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let dir = tempfile::tempdir().expect("dir");

    // An xlsx as an office would make it: merged title, header, cells with line breaks.
    let xlsx = dir.path().join("2024一季度.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    sheet
        .merge_range(0, 0, 0, 5, "2024年重点工作第一季度完成情况通报表", &plain)
        .expect("title");
    for (col, header) in [
        "序号",
        "年度目标任务",
        "第一季度目标",
        "完成情况",
        "分管领导",
        "责任单位",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16, *header).expect("header");
    }
    let rows: [(f64, &str, &str, &str, &str, &str); 2] = [
        (
            1.0,
            "新增城镇就业5000人以上",
            "新增就业1200人",
            "完成。新增就业1350人。",
            "崔  赟",
            "区人社局\n（牵头）\n区财政局",
        ),
        (
            2.0,
            "新改建城市道路\n12条",
            "开工4条",
            "部分完成。开工3条。",
            "高晋",
            "区住建局、区交通运输局",
        ),
    ];
    for (i, (seq, goal, target, progress, leader, units)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_number(r, 0, *seq).expect("seq");
        for (c, text) in [goal, target, progress, leader, units].iter().enumerate() {
            sheet.write_string(r, c as u16 + 1, **text).expect("cell");
        }
    }
    book.save(&xlsx).expect("save xlsx");
    let summary = stdout(&duban(db, &["import", xlsx.to_str().expect("path")]));
    assert!(
        summary.contains("2 项任务") && summary.contains("完成 1、部分完成 1"),
        "{summary}"
    );
    let stored = json(&duban(
        db,
        &["tasks", "--ledger", "2024年重点工作", "--json"],
    ));
    assert_eq!(stored["period"], "2024-Q1");
    assert_eq!(stored["tasks"][0]["leaders"], serde_json::json!(["崔赟"]));
    assert_eq!(
        stored["tasks"][0]["units"][0],
        serde_json::json!({"name": "区人社局", "role": "lead"})
    );
    assert_eq!(stored["tasks"][1]["units"][1]["name"], "区交通运输局");
    assert_eq!(stored["tasks"][1]["target"], "开工4条");

    // The same ledger's second quarter as csv, saved by Excel in GBK: same tasks, a new period.
    let csv = dir.path().join("二季度.csv");
    let text = "2024年重点工作第二季度完成情况通报表,,,\n序号,年度目标任务,完成情况,责任单位\n1,新增城镇就业5000人以上,完成。新增就业2600人。,区人社局\n2,\"新改建城市道路\n12条\",未完成。开工3条。,区住建局\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(&csv, &bytes).expect("write csv");
    let summary = stdout(&duban(db, &["import", csv.to_str().expect("path")]));
    assert!(summary.contains("未变 2 项"), "{summary}");
    let ledgers = json(&duban(db, &["ledger", "list", "--json"]));
    assert_eq!(
        ledgers[0]["periods"],
        serde_json::json!(["2024-Q1", "2024-Q2"])
    );
    assert_eq!(ledgers[0]["tasks"], 2);

    // Bad files: each one line naming the file, exit 2, and the database as it was.
    let before = json(&duban(
        db,
        &[
            "tasks",
            "--ledger",
            "2024年重点工作",
            "--period",
            "2024-Q1",
            "--json",
        ],
    ));
    let empty = dir.path().join("空.txt");
    std::fs::write(&empty, "").expect("write");
    fails_with(
        &duban(db, &["import", empty.to_str().expect("path")]),
        &["空.txt", "空文件"],
    );
    let binary = dir.path().join("scan.bin");
    std::fs::write(&binary, [0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xfe, 0x81]).expect("write");
    fails_with(
        &duban(db, &["import", binary.to_str().expect("path")]),
        &["scan.bin"],
    );
    let prose = dir.path().join("通知.txt");
    std::fs::write(
        &prose,
        "关于做好2024年重点工作督查的通知\n各单位：请按时报送。\n",
    )
    .expect("write");
    fails_with(
        &duban(db, &["import", prose.to_str().expect("path")]),
        &["通知.txt", "表头"],
    );
    let no_header = dir.path().join("无表头.csv");
    std::fs::write(&no_header, "a,b,c\n1,2,3\n").expect("write");
    fails_with(
        &duban(db, &["import", no_header.to_str().expect("path")]),
        &["无表头.csv", "年度目标任务"],
    );
    let bytes = std::fs::read(&xlsx).expect("read");
    let truncated = dir.path().join("截断.xlsx");
    std::fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).expect("write");
    fails_with(
        &duban(db, &["import", truncated.to_str().expect("path")]),
        &["截断.xlsx", "xlsx"],
    );
    let after = json(&duban(
        db,
        &[
            "tasks",
            "--ledger",
            "2024年重点工作",
            "--period",
            "2024-Q1",
            "--json",
        ],
    ));
    assert_eq!(before, after);
}

async fn a_notice_is_published_in_every_format_and_its_xlsx_imports_back(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let seed = fixture("progress-2023-08-linzi.txt");
    stdout(&duban(db, &["import", seed.to_str().expect("path")]));
    let dir = tempfile::tempdir().expect("dir");
    let path = |name: &str| dir.path().join(name).to_str().expect("path").to_owned();

    // The next month, with only the four tasks of the excerpt reported: the rest are 未报送.
    let mut september: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("ledger-2023-08-excerpt.json")).expect("excerpt"),
    )
    .expect("json");
    september["period"] = "2023-09".into();
    std::fs::write(path("september.json"), september.to_string()).expect("write");
    stdout(&duban(db, &["import", &path("september.json")]));
    let md = stdout(&duban(
        db,
        &[
            "notice",
            "--ledger",
            LEDGER,
            "--period",
            "2023-09",
            "--date",
            "2023-10-09",
        ],
    ));
    assert!(
        md.starts_with(&format!("# {LEDGER}9月份完成情况通报表")),
        "{md}"
    );
    assert!(
        md.contains("| 序号 | 年度目标任务 | 9月份目标任务 | 完成情况 | 分管区领导 | 责任单位 |")
    );
    let (table, _statistics) = md.split_once("## 统计").expect("statistics section");
    let unreported = table.lines().filter(|l| l.contains("| 未报送 |")).count();
    assert_eq!(unreported, 120, "every task without a report reads 未报送");
    assert!(md.contains("未报送120项"), "the summary counts them");

    // The shorter notice lists only the not-done and unreported tasks.
    let short = stdout(&duban(
        db,
        &[
            "notice",
            "--ledger",
            LEDGER,
            "--period",
            "2023-09",
            "--only-problems",
            "--format",
            "html",
        ],
    ));
    assert!(short.contains("9月份未完成及未报送任务通报表"));
    let not_done = september["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["status"] == "not_done")
        .count();
    assert!(not_done > 0);
    assert_eq!(
        short.matches("<tr><td class=\"seq\">").count(),
        120 + not_done,
        "the unreported and the not done"
    );

    // xlsx and docx files; the summary goes to stderr.
    for format in ["xlsx", "docx", "html", "md"] {
        let file = path(&format!("notice.{format}"));
        let out = duban(
            db,
            &[
                "notice", "--ledger", LEDGER, "--period", "2023-08", "-o", &file,
            ],
        );
        stdout(&out);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("124 行") && said.contains("完成率 84.7%"),
            "{said}"
        );
        let bytes = std::fs::read(&file).expect("written");
        match format {
            "xlsx" | "docx" => assert_eq!(&bytes[..2], b"PK", "{format} is a zip package"),
            _ => assert!(
                String::from_utf8(bytes)
                    .expect("utf-8")
                    .contains("完成情况通报表")
            ),
        }
    }

    // The xlsx imports back as the same table (under another name, to compare the two).
    stdout(&duban(
        db,
        &["import", &path("notice.xlsx"), "--ledger", "回读"],
    ));
    let original = json(&duban(
        db,
        &["tasks", "--ledger", LEDGER, "--period", "2023-08", "--json"],
    ));
    let back = json(&duban(db, &["tasks", "--ledger", "回读", "--json"]));
    assert_eq!(back["period"], "2023-08");
    let tasks = |v: &serde_json::Value| v["tasks"].as_array().expect("tasks").clone();
    let (original, back) = (tasks(&original), tasks(&back));
    assert_eq!(original.len(), back.len());
    for (a, b) in original.iter().zip(&back) {
        for field in ["seq", "goal", "target", "status", "progress", "leaders"] {
            assert_eq!(a[field], b[field], "seq {}: {field}", a["seq"]);
        }
        let lead = |v: &serde_json::Value| -> Vec<(String, String)> {
            let mut units: Vec<(String, String)> = v["units"]
                .as_array()
                .expect("units")
                .iter()
                .map(|u| (u["name"].to_string(), u["role"].to_string()))
                .collect();
            units.sort();
            units
        };
        assert_eq!(lead(a), lead(b), "seq {}: units", a["seq"]);
    }

    // Mistakes: one line, exit code 2, and a file already at -o left as it was.
    std::fs::write(path("old.xlsx"), b"old").expect("write");
    fails_with(
        &duban(
            db,
            &["notice", "--ledger", "没有的台账", "-o", &path("old.xlsx")],
        ),
        &["没有的台账"],
    );
    assert_eq!(std::fs::read(path("old.xlsx")).expect("read"), b"old");
    fails_with(
        &duban(db, &["notice", "--ledger", LEDGER, "--format", "pdf"]),
        &["未知的通报格式", "pdf"],
    );
    fails_with(
        &duban(
            db,
            &["notice", "--ledger", LEDGER, "-o", &path("notice.pdf")],
        ),
        &["notice.pdf", "--format"],
    );
    fails_with(
        &duban(
            db,
            &[
                "notice",
                "--ledger",
                LEDGER,
                "-o",
                &path("missing/dir/n.xlsx"),
            ],
        ),
        &["无法写入", "n.xlsx"],
    );
    std::fs::write(
        path("plan.json"),
        r#"{"ledger": "2024年重点工作", "tasks": [{"seq": 1, "goal": "新增绿化造林5000亩。"}]}"#,
    )
    .expect("write");
    stdout(&duban(db, &["import", &path("plan.json")]));
    fails_with(
        &duban(db, &["notice", "--ledger", "2024年重点工作"]),
        &["没有指定期间"],
    );
}

#[test]
fn targets_are_read_from_a_sentence_as_json() {
    let dir = tempfile::tempdir().expect("dir");
    let targets = json(&duban_in(
        dir.path(),
        &[
            "extract",
            "targets",
            "--json",
            "力争新增市场主体3.9万户，完成投资70.02亿元以上，空气质量良好率达到64%左右",
        ],
    ));
    let brief: Vec<(String, String, f64, String, String, bool)> = targets
        .as_array()
        .expect("array")
        .iter()
        .map(|t| {
            (
                t["metric"].as_str().expect("metric").to_owned(),
                t["kind"].as_str().expect("kind").to_owned(),
                t["value"].as_f64().expect("value"),
                t["uom"].as_str().expect("uom").to_owned(),
                t["bound"].as_str().expect("bound").to_owned(),
                t["aspirational"].as_bool().expect("aspirational"),
            )
        })
        .collect();
    let expect = |m: &str, k: &str, v: f64, u: &str, b: &str| {
        (
            m.to_owned(),
            k.to_owned(),
            v,
            u.to_owned(),
            b.to_owned(),
            true,
        )
    };
    assert_eq!(
        brief,
        [
            expect("市场主体", "increase", 39000.0, "户", "exact"),
            expect("投资", "level", 7_002_000_000.0, "元", "at_least"),
            expect("空气质量良好率", "rate", 64.0, "%", "about"),
        ]
    );
}

async fn assessment_of_the_2023_table_agrees_with_the_office_where_it_commits(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let seed = fixture("progress-2023-08-linzi.txt");
    stdout(&duban(db, &["import", seed.to_str().expect("path")]));
    let rows = json(&duban(db, &["assess", "--ledger", LEDGER, "--json"]));
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 124);
    let mut committed = 0;
    let mut agreed = 0;
    for row in rows {
        let suggested = row["suggested"].as_str().expect("suggested");
        assert!(["done", "partial", "not_done", "unknown"].contains(&suggested));
        if suggested != "unknown" {
            committed += 1;
            if row["recorded"] == suggested {
                agreed += 1;
            } else {
                assert_eq!(row["review"], true, "a disagreement is flagged: {row}");
            }
        }
    }
    // Figures where they answer the milestone, the text's own statements where they do not:
    // a verdict on at least half the tasks, agreeing with the office on at least 85% of them.
    assert!(
        committed * 2 >= rows.len(),
        "it commits on half the tasks: {committed}"
    );
    assert!(
        agreed * 100 >= committed * 85,
        "agreement where it commits: {agreed}/{committed}"
    );
    // A verdict from words shows the phrases it rests on.
    let from_words = rows
        .iter()
        .find(|r| r["statements"].as_array().is_some_and(|s| !s.is_empty()))
        .expect("a verdict from statements");
    for s in from_words["statements"].as_array().expect("statements") {
        let (phrase, clause) = (
            s["phrase"].as_str().expect("phrase"),
            s["clause"].as_str().expect("clause"),
        );
        assert!(clause.contains(phrase), "{s}");
    }
    // Task 1: revenue growth met, investment growth missed → 部分完成, as the office said.
    let first = &rows[0];
    assert_eq!(first["seq"], 1);
    assert_eq!(first["suggested"], "partial");
    let met: Vec<&serde_json::Value> = first["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|e| &e["met"])
        .collect();
    assert_eq!(met, [&serde_json::json!(true), &serde_json::json!(false)]);
    let summary = stdout(&duban(db, &["assess", "--ledger", LEDGER, "--summary"]));
    assert!(
        summary.contains("记录＼建议") && summary.contains("可判断"),
        "{summary}"
    );
}

async fn a_report_and_a_plan_are_imported_listed_proposed_and_linked(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let report = fixture("work-report-2021-linzi.txt");
    let plan = fixture("plan-2021-2025-zichuan.txt");
    let (report, plan) = (report.to_str().expect("path"), plan.to_str().expect("path"));

    // A dry run prints what was found and stores nothing.
    let found = json(&duban(db, &["import", report, "--dry-run", "--json"]));
    assert_eq!(found["kind"], "report");
    assert_eq!(found["date"], "2021-01-13");
    assert_eq!(found["glossary"].as_array().expect("glossary").len(), 26);
    assert_eq!(found["indicators"].as_array().expect("indicators").len(), 0);
    let sections = found["sections"].as_array().expect("sections");
    assert!(
        sections
            .iter()
            .any(|s| s["heading"] == "2021年目标任务和工作重点" && s["level"] == 1)
    );
    assert!(sections.iter().all(|s| s["passages"].as_u64().is_some()));
    let found = json(&duban(
        db,
        &["import", plan, "--as", "plan", "--dry-run", "--json"],
    ));
    let indicators = found["indicators"].as_array().expect("indicators");
    assert_eq!(indicators.len(), 21);
    let binding = indicators
        .iter()
        .filter(|i| i["attribute"] == "binding")
        .count();
    assert_eq!(binding, 8);
    let forest = &indicators[18];
    assert_eq!(forest["name"], "森林覆盖率");
    assert_eq!(forest["target"]["text"], "保持并稳定在25以上");
    assert_eq!(forest["target"]["numbers"][0], 25.0);
    assert_eq!(
        found["projects"][0]["box"],
        "专栏 1 “十四五”期间制造业重点建设项目"
    );
    assert_eq!(
        json(&duban(db, &["documents", "--json"])),
        serde_json::json!([])
    );

    // Detected without --as; the same text again changes nothing.
    let out = stdout(&duban(db, &["import", report]));
    assert!(out.contains("词语解释 26 条"), "{out}");
    let out = stdout(&duban(db, &["import", plan]));
    assert!(
        out.contains("主要指标 21 项（预期性 13、约束性 8）"),
        "{out}"
    );
    let again = stdout(&duban(db, &["import", plan]));
    assert!(again.contains("已导入过"), "{again}");
    let documents = json(&duban(db, &["documents", "--json"]));
    let documents = documents.as_array().expect("documents");
    assert_eq!(documents.len(), 2);
    let report_doc = documents
        .iter()
        .find(|d| d["kind"] == "report")
        .expect("report");
    assert_eq!(report_doc["glossary"], 26);
    let report_id = report_doc["id"].to_string();

    // Linking a ledger written from the report's sentences.
    let ledger = fixture("ledger-2021-from-report.json");
    stdout(&duban(db, &["import", ledger.to_str().expect("path")]));
    let name = "2021年《政府工作报告》重点工作（测试）";
    let links = json(&duban(
        db,
        &["link", "--ledger", name, "--document", &report_id, "--json"],
    ));
    let links = links.as_array().expect("links");
    assert_eq!(links.len(), 25);
    let linked = links.iter().filter(|l| !l["passage"].is_null()).count();
    assert_eq!(linked, 23, "two goals are not in the report");
    let first = &links[0];
    let passage = first["passage"].as_str().expect("passage");
    let span: Vec<usize> = first["span"]
        .as_array()
        .expect("span")
        .iter()
        .map(|v| v.as_u64().expect("n") as usize)
        .collect();
    let quoted: String = passage
        .chars()
        .skip(span[0])
        .take(span[1] - span[0])
        .collect();
    assert_eq!(quoted, "实施旗舰、雏鹰企业培育工程，新增“小升规”企业30家");
    assert!(first["score"].as_f64().expect("score") > 0.99);
    let text = stdout(&duban(
        db,
        &["link", "--ledger", name, "--document", &report_id],
    ));
    assert!(
        text.contains("未能关联 2 项") && text.contains("做好第七次全国人口普查"),
        "{text}"
    );

    // tasks --json carries each linked task's source, with the glossary terms it uses.
    let sheet = json(&duban(db, &["tasks", "--ledger", name, "--json"]));
    let tasks = sheet["tasks"].as_array().expect("tasks");
    let ten = &tasks[9];
    assert_eq!(ten["source"]["document"], "政府工作报告（2021-01-13）");
    assert!(
        ten["source"]["passage"]
            .as_str()
            .expect("passage")
            .starts_with("努力扩大有效投资。")
    );
    assert_eq!(ten["source"]["terms"][0]["term"], "两个100%");
    assert!(
        tasks[23].get("source").is_none(),
        "an unlinked task has no source"
    );

    // Candidate tasks from the year part make a ledger that links back to itself.
    let proposed = duban(
        db,
        &["tasks", "propose", "--document", &report_id, "--json"],
    );
    let sheet: serde_json::Value = json(&proposed);
    assert_eq!(sheet["ledger"], "2021年《政府工作报告》重点工作");
    let count = sheet["tasks"].as_array().expect("tasks").len();
    assert!(count >= 100, "{count} candidates");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("proposed.json");
    std::fs::write(&file, stdout(&proposed)).expect("write");
    stdout(&duban(db, &["import", file.to_str().expect("path")]));
    let links = json(&duban(
        db,
        &[
            "link",
            "--ledger",
            "2021年《政府工作报告》重点工作",
            "--document",
            "政府工作报告",
            "--json",
        ],
    ));
    let links = links.as_array().expect("links");
    assert_eq!(links.len(), count);
    assert!(
        links
            .iter()
            .all(|l| l["score"].as_f64().is_some_and(|s| s > 0.99)),
        "all link back"
    );
    let out = duban(db, &["tasks", "propose", "--document", "999"]);
    fails_with(
        &out,
        &["文件", "999", "不存在", "政府工作报告（2021-01-13）"],
    );
}

async fn text_that_is_not_a_document_is_refused_and_nothing_is_stored(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let table = fixture("progress-2023-08-linzi.txt");
    let table = table.to_str().expect("path");
    let out = duban(db, &["import", table, "--as", "report"]);
    fails_with(&out, &["progress-2023-08-linzi.txt", "不是政府工作报告"]);
    let out = duban(db, &["import", table, "--as", "plan"]);
    fails_with(&out, &["progress-2023-08-linzi.txt", "不是规划纲要"]);
    let out = duban(db, &["import", table, "--as", "notice"]);
    fails_with(&out, &["--as", "report", "plan"]);
    assert_eq!(
        json(&duban(db, &["documents", "--json"])),
        serde_json::json!([])
    );
    // Without --as the same file is still a table.
    stdout(&duban(db, &["import", table]));
    assert_eq!(
        json(&duban(db, &["documents", "--json"])),
        serde_json::json!([])
    );
    let out = duban(db, &["link", "--ledger", LEDGER, "--document", "1"]);
    fails_with(&out, &["文件", "不存在", "还没有文件"]);
}

/// The strings of a JSON value without whitespace (PDF keeps no faithful record of spaces).
fn without_spaces(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(s.chars().filter(|c| !c.is_whitespace()).collect()),
        Value::Array(items) => Value::Array(items.iter().map(without_spaces).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), without_spaces(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

async fn word_pdf_and_web_files_import_like_their_text_and_unreadable_ones_change_nothing(
    db: &TestDb,
) {
    stdout(&duban(db, &["init"]));
    let path = |name: &str| fixture(name).to_str().expect("utf-8 path").to_owned();
    // The PDF first, into an empty database: it holds the same tasks as the text, spaces aside.
    let summary = stdout(&duban(db, &["import", &path("files/progress-2023-08.pdf")]));
    assert!(
        summary.contains("124 项任务") && summary.contains("新增 124 项"),
        "{summary}"
    );
    let text = json(&duban(
        db,
        &[
            "import",
            &path("progress-2023-08-linzi.txt"),
            "--dry-run",
            "--json",
        ],
    ));
    let stored = json(&duban(db, &["tasks", "--ledger", LEDGER, "--json"]));
    assert_eq!(
        without_spaces(&stored["tasks"]),
        without_spaces(&text["tasks"])
    );
    // The text, then the Word table and the web page: the same cells, so nothing changes.
    stdout(&duban(db, &["import", &path("progress-2023-08-linzi.txt")]));
    for name in ["files/progress-2023-08.docx", "files/progress-2023-08.html"] {
        let again = stdout(&duban(db, &["import", &path(name)]));
        assert!(
            again.contains("新增 0 项，更新 0 项，未变 124 项"),
            "{name}: {again}"
        );
    }
    let before = json(&duban(db, &["tasks", "--ledger", LEDGER, "--json"]));

    // Unreadable files: one line, exit 2, nothing stored or changed.
    let dir = tempfile::tempdir().expect("dir");
    let docx = std::fs::read(fixture("files/progress-2023-08.docx")).expect("docx");
    let cut = dir.path().join("截断.docx");
    std::fs::write(&cut, &docx[..docx.len() / 2]).expect("write");
    let cut = cut.to_str().expect("path");
    fails_with(
        &duban(db, &["import", cut]),
        &["截断.docx", "Word", ".docx"],
    );
    fails_with(
        &duban(db, &["import", &path("files/scanned.pdf")]),
        &["scanned.pdf", "扫描件", "OCR"],
    );
    fails_with(
        &duban(db, &["import", &path("files/locked.pdf"), "--as", "report"]),
        &["locked.pdf", "密码"],
    );
    assert_eq!(
        json(&duban(db, &["tasks", "--ledger", LEDGER, "--json"])),
        before
    );
    assert_eq!(
        json(&duban(db, &["documents", "--json"])),
        serde_json::json!([])
    );

    // A report as PDF, detected without --as, and a plan as Word.
    let out = stdout(&duban(db, &["import", &path("files/report-2021.pdf")]));
    assert!(out.contains("词语解释 26 条"), "{out}");
    let out = stdout(&duban(
        db,
        &["import", &path("files/plan-2021-2025.docx"), "--as", "plan"],
    ));
    assert!(
        out.contains("主要指标 21 项（预期性 13、约束性 8）"),
        "{out}"
    );
    let documents = json(&duban(db, &["documents", "--json"]));
    assert_eq!(documents.as_array().map(Vec::len), Some(2));
}

/// Runs `duban` with `input` on its standard input.
fn duban_with_input(db: &TestDb, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = duban_command(db, args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run duban");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// A new database and `duban account create` are all a first run needs; the password comes on
/// standard input, never on the command line.
async fn the_first_office_account_is_made_from_the_command_line(db: &TestDb) {
    let none = stdout(&duban(db, &["init"]));
    assert!(none.contains("duban"), "{none}");
    let listed = stdout(&duban(db, &["account", "list"]));
    assert!(listed.contains("duban account create"), "{listed}");
    let made = stdout(&duban_with_input(
        db,
        &[
            "account",
            "create",
            "ducha",
            "--name",
            "王督查",
            "--role",
            "督查室",
        ],
        "a-long-password-1\n",
    ));
    assert!(
        made.contains("已创建账号 ducha") && made.contains("督查室"),
        "{made}"
    );
    let accounts = json(&duban(db, &["account", "list", "--json"]));
    assert_eq!(accounts[0]["login"], "ducha");
    assert_eq!(accounts[0]["role"], "office");
    // The creation is logged, on the log's chain.
    let verified = stdout(&duban(db, &["audit", "verify"]));
    assert!(
        verified.contains("1 条记录") && verified.contains("哈希链一致"),
        "{verified}"
    );
    // Refusals: a short password, no password, an unknown role, the same login again.
    fails_with(
        &duban_with_input(
            db,
            &[
                "account", "create", "x1", "--name", "甲", "--role", "office",
            ],
            "short\n",
        ),
        &["10 位"],
    );
    fails_with(
        &duban_with_input(
            db,
            &[
                "account", "create", "x2", "--name", "乙", "--role", "office",
            ],
            "",
        ),
        &["密码"],
    );
    fails_with(
        &duban_with_input(
            db,
            &["account", "create", "x3", "--name", "丙", "--role", "king"],
            "a-long-password-1\n",
        ),
        &["king"],
    );
    fails_with(
        &duban_with_input(
            db,
            &[
                "account",
                "create",
                "ducha",
                "--name",
                "王督查",
                "--role",
                "office",
            ],
            "a-long-password-1\n",
        ),
        &["ducha"],
    );
    // The office disables an account and enables it again; a new password comes on standard
    // input; an unknown login is refused with exit code 2.
    // The last office account cannot be disabled: nobody could enable the others again.
    fails_with(&duban(db, &["account", "disable", "ducha"]), &["最后一个"]);
    stdout(&duban_with_input(
        db,
        &[
            "account",
            "create",
            "ducha2",
            "--name",
            "李督查",
            "--role",
            "office",
        ],
        "a-long-password-2\n",
    ));
    let off = stdout(&duban(db, &["account", "disable", "ducha"]));
    assert!(off.contains("已停用账号 ducha"), "{off}");
    let listed = stdout(&duban(db, &["account", "list"]));
    assert!(listed.contains("已停用"), "{listed}");
    assert_eq!(
        json(&duban(db, &["account", "list", "--json"]))[0]["disabled"],
        true
    );
    let on = stdout(&duban(db, &["account", "disable", "ducha", "--enable"]));
    assert!(on.contains("已启用账号 ducha"), "{on}");
    let reset = stdout(&duban_with_input(
        db,
        &["account", "reset", "ducha"],
        "another-password-2\n",
    ));
    assert!(reset.contains("已重设账号 ducha"), "{reset}");
    let missing = duban(db, &["account", "disable", "nobody"]);
    assert_eq!(missing.status.code(), Some(2));
    fails_with(&missing, &["nobody"]);
    let log = stdout(&duban(db, &["audit", "verify"]));
    assert!(log.contains("哈希链一致"), "{log}");
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("dir");
    // `duban import … --dry-run --json | head -c 16`: far more JSON than a pipe holds.
    let mut child = Command::new(env!("CARGO_BIN_EXE_duban"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(["import", "--dry-run", "--json"])
        .arg(fixture("progress-2023-08-linzi.txt"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run duban");
    let mut head = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut head)
        .expect("the start of the JSON");
    assert_eq!(head[0], b'{');
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
}

/// The tasks of a period as `tasks --json` prints them, units in name order (the export prints
/// the lead first, as offices do, whatever order the source had).
fn tasks_of(output: &Output) -> serde_json::Value {
    let mut value = json(output);
    for task in value["tasks"].as_array_mut().expect("tasks").iter_mut() {
        if let Some(units) = task["units"].as_array_mut() {
            units.sort_by_key(|u| u["name"].as_str().unwrap_or_default().to_owned());
        }
    }
    value
}

async fn an_exported_ledger_imports_back_as_the_same_ledger(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let progress = fixture("progress-2023-08-linzi.txt");
    let targets = fixture("targets-2020-q3q4-linzi.txt");
    stdout(&duban(db, &["import", progress.to_str().expect("path")]));
    stdout(&duban(db, &["import", targets.to_str().expect("path")]));
    let division = fixture("layouts/division-lines.txt");
    stdout(&duban(db, &["import", division.to_str().expect("path")]));
    let dir = tempfile::tempdir().expect("dir");
    let cases = [
        (LEDGER, vec!["2023-08"]),
        ("2020年区政府二十大重点工作", vec!["2020-Q3", "2020-Q4"]),
        // A division plan has no period: its tasks, units and leaders.
        ("2021年区政府工作报告重点任务", vec![""]),
    ];
    for (ledger, periods) in cases {
        for format in ["xlsx", "docx"] {
            let stem = format!("{ledger}{}", periods[0]);
            let file = dir.path().join(format!("{stem}.{format}"));
            let file = file.to_str().expect("path");
            let said = stdout(&duban(db, &["ledger", "export", ledger, "-o", file]));
            assert!(said.contains("已导出"), "{said}");
            // LibreOffice opens the Word file and prints it with the tasks in it.
            if format == "docx" && duban_office::libreoffice_available() {
                let docx = std::fs::read(file).expect("the export");
                let pdf = duban_office::convert_with_libreoffice(&docx, "docx", "pdf", file)
                    .expect("LibreOffice converts the export");
                let pages = duban_office::read_pdf(&pdf, file).expect("read the pdf");
                let text: String = pages
                    .iter()
                    .flat_map(|p| p.spans.iter().map(|s| s.text.as_str()))
                    .collect();
                assert!(text.contains("序号") && text.contains("责任单位"), "{text}");
            }
            let copy = dir.path().join(format!("{stem}-{format}.db"));
            let copy = copy.to_str().expect("path");
            stdout(&duban_in(dir.path(), &["--db", copy, "init"]));
            stdout(&duban_in(dir.path(), &["--db", copy, "import", file]));
            for period in &periods {
                let mut args = vec!["tasks", "--ledger", ledger, "--json"];
                if !period.is_empty() {
                    args.extend(["--period", period]);
                }
                let original = tasks_of(&duban(db, &args));
                let mut with_db = vec!["--db", copy];
                with_db.extend(args.iter().copied());
                let read_back = tasks_of(&duban_in(dir.path(), &with_db));
                assert_eq!(original, read_back, "{ledger} {period} via {format}");
            }
        }
    }
    fails_with(
        &duban(db, &["ledger", "export", "没有这个台账", "-o", "x.xlsx"]),
        &["没有这个台账"],
    );
}

/// A ledger JSON of `n` tasks of the 2023-08 period, built the way a city's export is: statuses
/// in turn, two leaders, a lead unit and two supporting ones out of seven.
fn big_ledger(name: &str, n: u32) -> serde_json::Value {
    let units = [
        "区发改局",
        "区财政局",
        "区住建局",
        "区商务局",
        "区农业农村局",
        "区教育局",
        "区卫健局",
    ];
    let statuses = ["done", "partial", "not_done", "unreported"];
    let tasks: Vec<serde_json::Value> = (1..=n)
        .map(|seq| {
            let i = seq as usize;
            let status = statuses[i % 4];
            let mut task = serde_json::json!({
                "seq": seq,
                "goal": format!("第{seq}项：推进重点项目建设，完成投资{}亿元。", i % 97 + 3),
                "target": format!("8月底完成年度计划的{}%。", i % 50 + 40),
                "status": status,
                "leaders": [format!("领导{}", i % 5), format!("领导{}", (i + 1) % 5)],
                "units": [
                    {"name": units[i % 7], "role": "lead"},
                    {"name": units[(i + 1) % 7], "role": "support"},
                    {"name": units[(i + 2) % 7], "role": "support"},
                ],
            });
            if status != "unreported" {
                task["progress"] = format!("截至8月底完成投资{}亿元。", i % 89 + 1).into();
            }
            task
        })
        .collect();
    serde_json::json!({"ledger": name, "period": "2023-08", "columns": ["goal", "target", "progress", "leaders", "units"], "tasks": tasks})
}

/// A large ledger JSON is read and written task by task, in batches (the store writes a
/// thousand rows at a time): everything arrives as the file says, a re-import matches across
/// batches, and a bad row or a broken file in the last batch leaves nothing written.
async fn a_large_ledger_json_is_written_in_batches_and_a_bad_row_changes_nothing(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let dir = tempfile::tempdir().expect("dir");
    let name = "2023年全市重点工作台账";
    let sheet = big_ledger(name, 2600);
    let file = dir.path().join("city.json");
    std::fs::write(&file, sheet.to_string()).expect("write");
    let path = file.to_str().expect("path");
    let said = stdout(&duban(db, &["import", path]));
    assert!(
        said.contains("2600 项任务") && said.contains("新增 2600 项"),
        "{said}"
    );
    assert!(
        said.contains("完成 650、部分完成 650、未完成 650、未报送 650"),
        "{said}"
    );
    let stored = tasks_of(&duban(
        db,
        &["tasks", "--ledger", name, "--period", "2023-08", "--json"],
    ));
    let stored = stored["tasks"].as_array().expect("tasks");
    assert_eq!(stored.len(), 2600);
    for seq in [1usize, 1000, 1001, 2000, 2001, 2600] {
        let (want, got) = (&sheet["tasks"][seq - 1], &stored[seq - 1]);
        for field in ["seq", "goal", "target", "status", "progress", "leaders"] {
            assert_eq!(want[field], got[field], "task {seq}: {field}");
        }
        let mut units: Vec<_> = want["units"].as_array().expect("units").clone();
        units.sort_by_key(|u| u["name"].as_str().unwrap_or_default().to_owned());
        assert_eq!(
            serde_json::Value::from(units),
            got["units"],
            "task {seq}: units"
        );
    }

    // The next table numbers the second thousand differently and rewords one goal of the third.
    let mut next = sheet.clone();
    for task in next["tasks"].as_array_mut().expect("tasks")[1000..2000].iter_mut() {
        let seq = task["seq"].as_u64().expect("seq");
        task["seq"] = (seq + 10_000).into();
    }
    next["tasks"][2500]["goal"] = "第2501项：改写后的目标。".into();
    next["tasks"][2500]["status"] = "done".into();
    next["tasks"][2500]["progress"] = "已完成。".into();
    std::fs::write(&file, next.to_string()).expect("write");
    let said = stdout(&duban(db, &["import", path]));
    assert!(
        said.contains("新增 0 项，更新 1 项，未变 2599 项"),
        "{said}"
    );
    assert!(said.contains("按年度目标任务匹配到已有任务"), "{said}");
    let stored = tasks_of(&duban(
        db,
        &["tasks", "--ledger", name, "--period", "2023-08", "--json"],
    ));
    let stored = stored["tasks"].as_array().expect("tasks");
    assert_eq!(stored.len(), 2600, "renumbered rows kept their tasks");
    assert_eq!(stored[1500]["seq"], 1501, "a matched task keeps its number");
    assert_eq!(stored[2500]["goal"], "第2501项：改写后的目标。");
    assert_eq!(stored[2500]["status"], "done");

    // A duplicate number in the third batch of a new ledger: refused, the ledger not created.
    let mut bad = big_ledger("2023年另一台账", 2600);
    bad["tasks"][2499]["seq"] = 7.into();
    let bad_file = dir.path().join("bad.json");
    std::fs::write(&bad_file, bad.to_string()).expect("write");
    let bad_path = bad_file.to_str().expect("path");
    fails_with(
        &duban(db, &["import", bad_path]),
        &["bad.json", "第 2500 条任务", "序号 7 重复"],
    );
    let ledgers = stdout(&duban(db, &["ledger", "list"]));
    assert!(!ledgers.contains("另一台账"), "{ledgers}");

    // A file cut off in its last batch: the line is named and the stored ledger is as it was.
    let mut broken = sheet.clone();
    broken["tasks"][0]["status"] = "not_done".into();
    let broken_text = broken.to_string();
    let cut = broken_text.len() * 9 / 10;
    std::fs::write(
        &file,
        &broken_text[..(0..=cut)
            .rev()
            .find(|i| broken_text.is_char_boundary(*i))
            .unwrap_or(0)],
    )
    .expect("write");
    fails_with(
        &duban(db, &["import", path]),
        &["city.json", "第 1 行", "JSON 不完整"],
    );
    let stored = tasks_of(&duban(
        db,
        &["tasks", "--ledger", name, "--period", "2023-08", "--json"],
    ));
    assert_eq!(
        stored["tasks"][0]["status"], "partial",
        "the first batch was not kept"
    );
}

/// What the test's SMTP server received: (recipients, the message as sent).
type Mailbox = std::sync::Arc<std::sync::Mutex<Vec<(Vec<String>, String)>>>;

/// A real (small) SMTP server on 127.0.0.1, speaking the protocol lettre speaks without TLS: it
/// keeps every message. Returns its port.
fn smtp_server(mailbox: Mailbox) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind smtp");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mailbox = mailbox.clone();
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                let _ = writer.write_all(b"220 localhost ESMTP test\r\n");
                let mut recipients = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let command = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") {
                        b"250-localhost\r\n250 8BITMIME\r\n"
                    } else if command.starts_with("RCPT TO:") {
                        recipients.push(
                            line.trim_end()[8..]
                                .trim_matches(['<', '>', ' '])
                                .to_owned(),
                        );
                        b"250 OK\r\n"
                    } else if command == "DATA" {
                        let _ = writer.write_all(b"354 go on\r\n");
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        mailbox
                            .lock()
                            .expect("mailbox")
                            .push((std::mem::take(&mut recipients), data));
                        b"250 queued\r\n"
                    } else if command == "QUIT" {
                        let _ = writer.write_all(b"221 bye\r\n");
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = writer.write_all(reply);
                }
            });
        }
    });
    port
}

/// What the test's webhook receiver got: (path with query, body).
type Posts = std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>;

/// A real HTTP receiver on 127.0.0.1 answering like the robots ({"errcode":0}). Returns its port.
fn webhook_receiver(posts: Posts) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind http");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            answer_robot_call(stream, &posts);
        }
    });
    port
}

/// The same receiver over HTTPS with a certificate for 127.0.0.1 signed by a private CA made for
/// the test (openssl): returns its port and the CA's PEM file, which clients must be told to trust.
fn https_webhook_receiver(posts: Posts, dir: &std::path::Path) -> (u16, std::path::PathBuf) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl (Debian package openssl) makes the test's certificates");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=duban test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ];
    ca.extend(ec);
    openssl(&ca);
    let mut leaf = vec![
        "req",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
    ];
    leaf.extend(ec);
    openssl(&leaf);
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("ext");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "leaf.pem",
    ]);
    use rustls::pki_types::pem::PemObject;
    let chain = rustls::pki_types::CertificateDer::pem_file_iter(dir.join("leaf.pem"))
        .expect("leaf.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("certificate");
    let key = rustls::pki_types::PrivateKeyDer::from_pem_file(dir.join("leaf.key")).expect("key");
    let config = std::sync::Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server config"),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind https");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let connection = rustls::ServerConnection::new(config.clone()).expect("tls");
            answer_robot_call(rustls::StreamOwned::new(connection, stream), &posts);
        }
    });
    (port, dir.join("ca.pem"))
}

/// Reads one robot call (request line, headers, body), keeps it and answers {"errcode":0}; a
/// client that gives up (a certificate it does not trust) leaves nothing.
fn answer_robot_call(stream: impl std::io::Read + std::io::Write, posts: &Posts) {
    use std::io::{BufRead, BufReader, Read};
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    let _ = reader.read_line(&mut request_line);
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    if path.is_empty() {
        return;
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    posts
        .lock()
        .expect("posts")
        .push((path, String::from_utf8_lossy(&body).into_owned()));
    let answer = r#"{"errcode":0,"errmsg":"ok"}"#;
    let mut writer = reader.into_inner();
    let _ = write!(
        writer,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = writer.flush();
}

/// A mail's text: its body decoded when it came base64-encoded.
fn mail_text(data: &str) -> String {
    use base64::Engine;
    let (headers, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
    if headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .expect("base64 body"),
        )
        .expect("utf-8 body")
    } else {
        body.to_owned()
    }
}

/// Checks a DingTalk call's `timestamp` and `sign` against the secret, as DingTalk does.
fn dingtalk_signed(path: &str, secret: &str) -> bool {
    use base64::Engine;
    use hmac::Mac;
    let query = path.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let value = |key: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
            .unwrap_or_default()
            .to_owned()
    };
    let sign = value("sign")
        .replace("%2B", "+")
        .replace("%2F", "/")
        .replace("%3D", "=");
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(sign) else {
        return false;
    };
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{}\n{secret}", value("timestamp")).as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

async fn an_overdue_period_sends_one_digest_per_channel_a_day(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let seed = fixture("progress-2023-08-linzi.txt");
    stdout(&duban(db, &["import", seed.to_str().expect("path")]));
    // September: nothing reported yet. The report was due on 2023-10-09 (three working days after
    // the month, with the National Day holiday): on 2023-10-11 it is two working days overdue
    // (yellow), on 2023-10-20 nine (red).
    let tasks = json(&duban(
        db,
        &["tasks", "--ledger", LEDGER, "--period", "2023-09", "--json"],
    ));
    let led_by = |unit: &str| {
        tasks["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .filter(|t| {
                t["units"]
                    .as_array()
                    .is_some_and(|us| us.iter().any(|u| u["name"] == unit && u["role"] == "lead"))
            })
            .count()
    };
    let (fgj, czj) = (led_by("区发改局"), led_by("区财政局"));
    assert!(fgj > 1 && czj > 0, "{fgj} {czj}");

    let mailbox = Mailbox::default();
    let smtp = smtp_server(mailbox.clone());
    let posts = Posts::default();
    let http = webhook_receiver(posts.clone());
    let created = duban_with_input(
        db,
        &[
            "account",
            "create",
            "fgj",
            "--name",
            "张填报",
            "--role",
            "reporter",
            "--unit",
            "区发改局",
        ],
        "a-long-password-1\n",
    );
    stdout(&created);
    // The unit's head, and the leader in charge of one of its tasks.
    stdout(&duban_with_input(
        db,
        &[
            "account",
            "create",
            "fgjfzr",
            "--name",
            "李局长",
            "--role",
            "head",
            "--unit",
            "区发改局",
        ],
        "a-long-password-2\n",
    ));
    let leader = tasks["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| {
            t["units"].as_array().is_some_and(|us| {
                us.iter()
                    .any(|u| u["name"] == "区发改局" && u["role"] == "lead")
            }) && t["leaders"].as_array().is_some_and(|l| !l.is_empty())
        })
        .map(|t| t["leaders"][0].as_str().expect("leader").to_owned())
        .expect("a task of 区发改局 with a leader");
    stdout(&duban_with_input(
        db,
        &[
            "account", "create", "lingdao", "--name", &leader, "--role", "leader", "--leader",
            &leader,
        ],
        "a-long-password-3\n",
    ));
    // The office: its daily summary (督办日报) by e-mail and in its 消息.
    stdout(&duban_with_input(
        db,
        &[
            "account",
            "create",
            "duchashi",
            "--name",
            "王督查",
            "--role",
            "office",
        ],
        "a-long-password-4\n",
    ));
    let robot = |name: &str| format!("http://127.0.0.1:{http}/robot/send?access_token={name}");
    for args in [
        vec!["--account", "duchashi", "--email", "office@example.gov.cn"],
        vec!["--unit", "区发改局", "--email", "fgj@example.gov.cn"],
        vec!["--account", "fgj", "--email", "zhang@example.gov.cn"],
        vec!["--account", "fgjfzr", "--email", "li@example.gov.cn"],
        vec!["--account", "lingdao", "--email", "leader@example.gov.cn"],
        vec![
            "--unit",
            "区发改局",
            "--dingtalk",
            &robot("fgj"),
            "--secret",
            "SECfgj",
        ],
        vec![
            "--unit",
            "区财政局",
            "--dingtalk",
            &robot("czj"),
            "--secret",
            "SECczj",
        ],
        vec!["--unit", "区财政局", "--wecom", &robot("wecom")],
        // A robot nobody answers: it fails, and the others are sent all the same.
        vec![
            "--unit",
            "区财政局",
            "--dingtalk",
            "http://127.0.0.1:9/robot/send",
            "--secret",
            "x",
        ],
    ] {
        let mut all = vec!["notify", "channel", "add"];
        all.extend(args.iter().copied());
        assert!(stdout(&duban(db, &all)).contains("已登记渠道"));
    }
    fails_with(
        &duban(
            db,
            &[
                "notify",
                "channel",
                "add",
                "--unit",
                "没有这个单位",
                "--email",
                "a@b.cn",
            ],
        ),
        &["没有这个单位"],
    );
    let run = |at: &str| {
        let mut command = duban_command(db, &["remind", "run", "--at", at, "--json"]);
        command
            .env("DUBAN_SMTP_URL", format!("smtp://127.0.0.1:{smtp}"))
            .env("DUBAN_MAIL_FROM", "督办系统 <duban@example.gov.cn>")
            .env("DUBAN_BASE_URL", "https://duban.example.gov.cn");
        json(&command.output().expect("run duban"))
    };
    let first = run("2023-10-11");
    assert_eq!(first["sent"], 6, "{first}");
    assert_eq!(first["failed"], 1, "{first}");

    // One e-mail to the unit's mailbox and one to its reporter (not yet its head: nothing is red),
    // with the counts and the link; the office's summary says who is late and what failed.
    let mut mails = mailbox.lock().expect("mailbox").clone();
    let office_mail = mails
        .iter()
        .position(|(r, _)| r == &["office@example.gov.cn"])
        .map(|i| mail_text(&mails.remove(i).1))
        .expect("the office's summary");
    assert!(
        office_mail.contains("逾期未报送")
            && office_mail.contains(&format!(
                "{} 项逾期未报送",
                tasks["tasks"].as_array().map_or(0, Vec::len)
            ))
            && office_mail.contains("发送失败")
            && office_mail.contains("127.0.0.1:9"),
        "{office_mail}"
    );
    let mut recipients: Vec<String> = mails.iter().flat_map(|(r, _)| r.clone()).collect();
    recipients.sort();
    assert_eq!(recipients, ["fgj@example.gov.cn", "zhang@example.gov.cn"]);
    for (_, data) in &mails {
        let text = mail_text(data);
        assert!(
            text.contains(&format!("{LEDGER} 2023年9月份：{fgj} 项尚未报送")),
            "{text}"
        );
        assert!(
            text.contains("已逾期") && text.contains("https://duban.example.gov.cn/my"),
            "{text}"
        );
    }
    // One signed DingTalk message per unit, and the WeCom one.
    let received = posts.lock().expect("posts").clone();
    assert_eq!(received.len(), 3, "{received:?}");
    for (unit, token, secret, count) in [
        ("区发改局", "fgj", "SECfgj", fgj),
        ("区财政局", "czj", "SECczj", czj),
    ] {
        let (path, body) = received
            .iter()
            .find(|(p, _)| p.contains(&format!("access_token={token}&")))
            .unwrap_or_else(|| panic!("{token}: {received:?}"));
        assert!(dingtalk_signed(path, secret), "{path}");
        let message: serde_json::Value = serde_json::from_str(body).expect("json");
        let content = message["text"]["content"].as_str().expect("text");
        assert!(
            content.contains(&format!("{unit}有 {count} 项任务逾期未报送")),
            "{content}"
        );
    }
    assert!(
        received
            .iter()
            .any(|(p, _)| p.contains("access_token=wecom"))
    );

    // The same day again: nothing new; the failed robot is tried again.
    let second = run("2023-10-11T07:00:00Z");
    assert_eq!(second["sent"], 0, "{second}");
    assert_eq!(second["already"], 6, "{second}");
    assert_eq!(second["failed"], 1, "{second}");
    assert_eq!(mailbox.lock().expect("mailbox").len(), 3);
    assert_eq!(posts.lock().expect("posts").len(), 3);
    let log = json(&duban(db, &["notify", "log", "--json"]));
    let log = log.as_array().expect("log");
    assert_eq!(log.len(), 7);
    let failed: Vec<_> = log.iter().filter(|d| d["state"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["attempts"], 2);
    // Nine working days late the items are red: the head and the leader in charge hear of them.
    let red = run("2023-10-20");
    assert_eq!(
        red["sent"], 8,
        "unit, reporter, head, leader, office, two robots, WeCom: {red}"
    );
    let mails = mailbox.lock().expect("mailbox").clone();
    let new: Vec<&(Vec<String>, String)> = mails[3..].iter().collect();
    let to = |addr: &str| {
        new.iter()
            .find(|(r, _)| r.iter().any(|x| x == addr))
            .map(|(_, d)| mail_text(d))
            .unwrap_or_else(|| panic!("no mail to {addr}"))
    };
    assert!(to("li@example.gov.cn").contains("【红色督办】"));
    let to_leader = to("leader@example.gov.cn");
    assert!(
        to_leader.contains(&format!("{leader}：")) && to_leader.contains("区发改局"),
        "{to_leader}"
    );
    assert!(to("office@example.gov.cn").contains("【红色督办】区发改局"));
    // Everyone's 消息 in the application has the day's message, whatever the channels did.
    let store = duban_store::Store::open(&db.target()).await.expect("store");
    let leader_id = store.leader_ids().await.expect("leaders")[&leader];
    for (recipient, words) in [
        (duban_store::Recipient::Leader(leader_id), "【红色督办】"),
        (duban_store::Recipient::Office, "【督办日报】"),
    ] {
        let messages = store.messages(&recipient, 10).await.expect("messages");
        assert!(
            messages
                .first()
                .is_some_and(|(day, subject, _)| day == "2023-10-20" && subject.contains(words)),
            "{recipient:?}: {messages:?}"
        );
    }
    store.close().await;
    // Before the deadline's reminder day nothing is due: no message at all.
    let early = run("2023-09-20");
    assert_eq!(early["units"], 0, "{early}");
}

/// A robot inside the office's network behind its own CA: refused (the certificate is not
/// trusted) until DUBAN_CA_FILE names the CA, then signed and delivered over HTTPS.
async fn a_robot_behind_a_private_ca_is_reached_with_duban_ca_file(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let seed = fixture("progress-2023-08-linzi.txt");
    stdout(&duban(db, &["import", seed.to_str().expect("path")]));
    let dir = tempfile::tempdir().expect("dir");
    let posts = Posts::default();
    let (port, ca) = https_webhook_receiver(posts.clone(), dir.path());
    let url = format!("https://127.0.0.1:{port}/robot/send?access_token=inside");
    stdout(&duban(
        db,
        &[
            "notify",
            "channel",
            "add",
            "--unit",
            "区发改局",
            "--dingtalk",
            &url,
            "--secret",
            "SECin",
        ],
    ));
    let run = |ca: Option<&std::path::Path>| {
        let mut command = duban_command(db, &["remind", "run", "--at", "2023-10-11", "--json"]);
        if let Some(ca) = ca {
            command.env("DUBAN_CA_FILE", ca);
        }
        json(&command.output().expect("run duban"))
    };
    let untrusted = run(None);
    assert_eq!(untrusted["failed"], 1, "{untrusted}");
    let error = untrusted["deliveries"][0]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("调用机器人失败"), "{untrusted}");
    assert!(posts.lock().expect("posts").is_empty());
    // A file that holds no certificate is said so, and nothing is sent.
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate").expect("junk");
    let junk_run = run(Some(&junk));
    assert!(
        junk_run["deliveries"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("DUBAN_CA_FILE") && e.contains("没有 PEM 格式的证书")),
        "{junk_run}"
    );
    let trusted = run(Some(&ca));
    assert_eq!(trusted["sent"], 1, "{trusted}");
    let received = posts.lock().expect("posts").clone();
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(dingtalk_signed(&received[0].0, "SECin"), "{received:?}");
    assert!(received[0].1.contains("区发改局有"), "{received:?}");
}

/// What LibreOffice prints of a file duban wrote (xlsx or docx), as text; None (and said) where
/// LibreOffice is not installed, except in CI, which requires it.
fn printed_by_libreoffice(bytes: &[u8], extension: &str, origin: &str) -> Option<String> {
    if !duban_office::libreoffice_available() {
        assert!(
            std::env::var_os("DUBAN_REQUIRE_SOFFICE").is_none(),
            "DUBAN_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        println!("SKIPPED (LibreOffice): {origin} not opened");
        return None;
    }
    let pdf = duban_office::convert_with_libreoffice(bytes, extension, "pdf", origin)
        .unwrap_or_else(|e| panic!("LibreOffice opens {origin}: {e}"));
    Some(pdf_text(&pdf, origin))
}

fn pdf_text(pdf: &[u8], origin: &str) -> String {
    let pages = duban_office::read_pdf(pdf, origin).expect("read the pdf");
    pages
        .iter()
        .flat_map(|p| p.spans.iter().map(|s| s.text.as_str()))
        .collect()
}

/// The images of a PDF as LibreOffice writes them: each an XObject whose dictionary (never
/// compressed: LibreOffice writes no object streams) says /Subtype/Image.
fn pdf_images(pdf: &[u8]) -> usize {
    pdf.windows(b"/Subtype/Image".len())
        .filter(|w| *w == b"/Subtype/Image")
        .count()
}

/// The 2023 table with recorded findings: two departments that each lead one task, both done in
/// August. A finding lowers one's August verdict; the other has a serious finding left overdue.
/// Scores add up from their parts; by the default scheme the lowered verdict costs more, by a
/// scheme that weighs only findings and rectification the overdue one does.
async fn findings_lower_scores_that_sum_from_their_parts_and_a_weight_changes_the_ranking(
    db: &TestDb,
) {
    stdout(&duban(db, &["init"]));
    let seed = fixture("progress-2023-08-linzi.txt");
    stdout(&duban(db, &["import", seed.to_str().expect("path")]));
    let tasks = json(&duban(
        db,
        &["tasks", "--ledger", LEDGER, "--period", "2023-08", "--json"],
    ));
    let tasks = tasks["tasks"].as_array().expect("tasks").clone();
    let lead = |t: &serde_json::Value| {
        t["units"].as_array().and_then(|us| {
            us.iter()
                .find(|u| u["role"] == "lead")
                .and_then(|u| u["name"].as_str().map(str::to_owned))
        })
    };
    let mut led: std::collections::BTreeMap<String, Vec<&serde_json::Value>> = Default::default();
    for t in &tasks {
        if let Some(unit) = lead(t) {
            led.entry(unit).or_default().push(t);
        }
    }
    let units = json(&duban(db, &["units", "--json"]));
    let department = |name: &str| {
        units
            .as_array()
            .expect("units")
            .iter()
            .any(|u| u["name"] == name && u["kind"] == "department")
    };
    // Two departments with one task each, done in August.
    let pair: Vec<(String, u64)> = led
        .iter()
        .filter(|(unit, ts)| {
            ts.len() == 1 && ts[0]["status"] == "done" && department(unit) && unit.ends_with('局')
        })
        .take(2)
        .map(|(unit, ts)| (unit.clone(), ts[0]["seq"].as_u64().expect("seq")))
        .collect();
    assert_eq!(pair.len(), 2, "{led:?}");
    let ((a, a_seq), (b, b_seq)) = (pair[0].clone(), pair[1].clone());
    let (a_seq, b_seq) = (a_seq.to_string(), b_seq.to_string());

    let inspect = |args: &[&str]| {
        let mut all = vec!["inspect", "add", "--ledger", LEDGER];
        all.extend(args);
        duban(db, &all)
    };
    let lowered = stdout(&inspect(&[
        "--kind",
        "实地暗访",
        "--date",
        "2023-09-20",
        "--task",
        &a_seq,
        "--unit",
        &a,
        "--finding",
        "现场未见实际进展，8月份报送的完成情况不实",
        "--lowers",
        "2023-08",
        "--team",
        "第一督查组",
    ]));
    let lowered: i64 = lowered.trim().parse().expect("the finding's id");
    let overdue = stdout(&inspect(&[
        "--kind",
        "joint",
        "--date",
        "2023-09-21",
        "--task",
        &b_seq,
        "--unit",
        &b,
        "--finding",
        "台账资料缺失",
        "--severity",
        "serious",
        "--days",
        "5",
    ]));
    let overdue: i64 = overdue.trim().parse().expect("the finding's id");
    // A's finding is checked and closed (after its deadline: late); B's is left open.
    assert!(stdout(&duban(db, &["rectify", "close", &lowered.to_string()])).contains("已销号"));
    fails_with(
        &duban(db, &["rectify", "close", &lowered.to_string()]),
        &["已销号"],
    );
    let listed = json(&duban(
        db,
        &["rectify", "list", "--ledger", LEDGER, "--json"],
    ));
    let listed = listed.as_array().expect("findings");
    assert_eq!(listed.len(), 2);
    let state = |id: i64| {
        listed
            .iter()
            .find(|f| f["id"] == id)
            .map(|f| f["rectified"].as_str().unwrap_or_default().to_owned())
            .expect("listed")
    };
    assert_eq!(state(lowered), "late");
    assert_eq!(state(overdue), "overdue");
    let b_due = listed
        .iter()
        .find(|f| f["id"] == overdue)
        .and_then(|f| f["due"].as_str())
        .expect("due");
    assert_eq!(b_due, "2023-09-28", "five working days after 2023-09-21");
    // A notice dated after B's deadline lists B's finding as not rectified in time; A's was not
    // yet due then.
    let notice = stdout(&duban(
        db,
        &[
            "notice",
            "--ledger",
            LEDGER,
            "--period",
            "2023-08",
            "--date",
            "2023-10-10",
        ],
    ));
    let section = notice
        .split("督查发现问题逾期未整改")
        .nth(1)
        .unwrap_or_else(|| panic!("no overdue section: {notice}"));
    assert!(
        section.contains("台账资料缺失") && section.contains(&b),
        "{section}"
    );
    assert!(!section.contains("8月份报送的完成情况不实"), "{section}");

    let scores = |scheme: Option<&std::path::Path>| {
        let mut args = vec!["score", "--ledger", LEDGER, "--year", "2023", "--json"];
        if let Some(path) = scheme {
            args.extend(["--scheme", path.to_str().expect("path")]);
        }
        json(&duban(db, &args))
    };
    let by_default = scores(None);
    for unit in by_default.as_array().expect("scores") {
        let parts: f64 = unit["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .map(|p| p["points"].as_f64().expect("points"))
            .sum();
        let total = unit["total"].as_f64().expect("total");
        assert!((parts - total).abs() < 0.005, "{unit}");
    }
    let total = |scores: &serde_json::Value, unit: &str| {
        scores
            .as_array()
            .expect("scores")
            .iter()
            .find(|s| s["unit"] == unit)
            .and_then(|s| s["total"].as_f64())
            .unwrap_or_else(|| panic!("{unit} scored"))
    };
    let reasons = |scores: &serde_json::Value, unit: &str| -> String {
        scores
            .as_array()
            .expect("scores")
            .iter()
            .find(|s| s["unit"] == unit)
            .map(|s| s["parts"].to_string())
            .unwrap_or_default()
    };
    assert!(total(&by_default, &a) < total(&by_default, &b));
    assert!(
        reasons(&by_default, &a).contains(&format!("督查发现问题 #{lowered} 降一档")),
        "{}",
        reasons(&by_default, &a)
    );
    assert!(reasons(&by_default, &b).contains("逾期未整改"));
    // An equal department with nothing found outscores both.
    let clean = led
        .iter()
        .find(|(unit, ts)| {
            ts.len() == 1
                && ts[0]["status"] == "done"
                && department(unit)
                && **unit != a
                && **unit != b
        })
        .map(|(unit, _)| unit.clone())
        .expect("a third department");
    assert!(total(&by_default, &clean) > total(&by_default, &b));

    let dir = tempfile::tempdir().expect("dir");
    let scheme = dir.path().join("scheme.json");
    std::fs::write(
        &scheme,
        r#"{"completion": 0, "annual": 0, "timeliness": 10, "findings": 40, "rectification": 40, "rating": 10}"#,
    )
    .expect("scheme");
    let by_findings = scores(Some(&scheme));
    assert!(
        total(&by_findings, &a) > total(&by_findings, &b),
        "{} {}",
        total(&by_findings, &a),
        total(&by_findings, &b)
    );
    // A misspelt weight is refused, not silently the default.
    let typo = dir.path().join("typo.json");
    std::fs::write(&typo, r#"{"completon": 40}"#).expect("typo");
    fails_with(
        &duban(
            db,
            &[
                "score",
                "--ledger",
                LEDGER,
                "--scheme",
                typo.to_str().expect("path"),
            ],
        ),
        &["typo.json", "考核方案"],
    );
    fails_with(
        &duban(db, &["score", "--ledger", LEDGER, "--year", "2022"]),
        &["2023 年"],
    );
    fails_with(
        &inspect(&[
            "--kind",
            "实地暗访",
            "--date",
            "2023-09-20",
            "--task",
            &a_seq,
            "--unit",
            &b,
            "--finding",
            "x",
        ]),
        &["不是", "责任单位"],
    );
    fails_with(
        &inspect(&[
            "--kind",
            "飞检",
            "--date",
            "2023-09-20",
            "--task",
            &a_seq,
            "--unit",
            &a,
            "--finding",
            "x",
        ]),
        &["飞检"],
    );

    // The year's table and the inspection notice open in LibreOffice.
    for format in ["xlsx", "docx"] {
        let file = dir.path().join(format!("考核.{format}"));
        stdout(&duban(
            db,
            &[
                "score",
                "--ledger",
                LEDGER,
                "-o",
                file.to_str().expect("path"),
            ],
        ));
        let bytes = std::fs::read(&file).expect("table");
        if let Some(text) = printed_by_libreoffice(&bytes, format, &file.display().to_string()) {
            assert!(text.contains("考核结果") && text.contains(&a), "{text}");
        }
        let inspection = listed
            .iter()
            .find(|f| f["id"] == overdue)
            .and_then(|f| f["inspection_id"].as_i64())
            .expect("inspection")
            .to_string();
        let notice = dir.path().join(format!("督查通报.{format}"));
        stdout(&duban(
            db,
            &[
                "inspect",
                "notice",
                "--inspection",
                &inspection,
                "-o",
                notice.to_str().expect("path"),
            ],
        ));
        let bytes = std::fs::read(&notice).expect("notice");
        if let Some(text) = printed_by_libreoffice(&bytes, format, &notice.display().to_string()) {
            assert!(
                text.contains("台账资料缺失") && text.contains("逾期未整改"),
                "{text}"
            );
        }
    }
}

/// The seed plan's indicators with actuals for 2021–2023: the judgements a plan office gives,
/// from the path each indicator's cells state.
async fn plan_indicators_are_judged_against_their_paths(db: &TestDb) {
    stdout(&duban(db, &["init"]));
    let plan = fixture("plan-2021-2025-zichuan.txt");
    stdout(&duban(db, &["import", plan.to_str().expect("path")]));
    let actual = |indicator: &str, year: &str, value: &str| {
        stdout(&duban(
            db,
            &[
                "plan",
                "actual",
                "--plan",
                "1",
                "--indicator",
                indicator,
                "--year",
                year,
                "--value",
                value,
            ],
        ))
    };
    for (indicator, year, value) in [
        ("常住人口城镇化率", "2021", "68.0"),
        ("常住人口城镇化率", "2022", "69.5"),
        ("常住人口城镇化率", "2023", "70.5"),
        ("地区生产总值增长速度", "2021", "8.1"),
        ("地区生产总值增长速度", "2022", "4.2"),
        ("地区生产总值增长速度", "2023", "7.3"),
        ("城镇登记失业率", "2023", "3.1"),
        ("森林覆盖率", "2023", "24.8"),
        ("人均预期寿命", "2023", "78.6,86.2"),
        ("单位GDP能耗下降", "2023", "3.0"),
    ] {
        assert!(actual(indicator, year, value).contains("已记录"));
    }
    stdout(&duban(
        db,
        &[
            "plan",
            "actual",
            "--plan",
            "1",
            "--indicator",
            "单位GDP能耗下降",
            "--year",
            "2023",
            "--value",
            "3.5",
            "--assigned",
        ],
    ));
    let list = json(&duban(
        db,
        &[
            "plan",
            "indicators",
            "--plan",
            "1",
            "--year",
            "2023",
            "--json",
        ],
    ));
    let list = list.as_array().expect("indicators");
    assert_eq!(list.len(), 21);
    let of = |name: &str| {
        list.iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let urban = of("常住人口城镇化率");
    assert_eq!(urban["rule"], "linear");
    assert_eq!(
        urban["baseline"],
        serde_json::json!({"year": 2020, "value": 65.6})
    );
    assert_eq!(
        urban["target"],
        serde_json::json!({"year": 2025, "value": 75.0})
    );
    assert_eq!(urban["expected"]["2023"], 71.24);
    assert_eq!(urban["actual"]["2023"], 70.5);
    assert_eq!(
        urban["judgement"],
        serde_json::json!({"2021": "on_track", "2022": "on_track", "2023": "behind"})
    );
    assert!(
        urban["notes"]["2023"]
            .as_str()
            .is_some_and(|n| n.contains("0.74个百分点") && n.contains("2.25")),
        "{urban}"
    );
    let gdp = of("地区生产总值增长速度");
    assert_eq!(gdp["rule"], "rate");
    assert_eq!(
        gdp["judgement"],
        serde_json::json!({"2021": "on_track", "2022": "behind", "2023": "on_track"})
    );
    assert_eq!(of("城镇登记失业率")["judgement"]["2023"], "on_track");
    assert_eq!(
        of("森林覆盖率")["judgement"]["2023"],
        "missed",
        "binding floor"
    );
    assert_eq!(
        of("人均预期寿命")["expected"]["2023"],
        serde_json::json!([78.51, 86.11])
    );
    assert_eq!(of("人均预期寿命")["judgement"]["2023"], "on_track");
    let energy = of("单位GDP能耗下降");
    assert_eq!(energy["rule"], "assigned");
    assert_eq!(
        energy["judgement"]["2023"], "missed",
        "3.0 of the 3.5 assigned"
    );
    assert_eq!(of("每千人拥有执业医师数")["judgement"]["2023"], "no_data");
    // Bad input: one clear line, exit 2, nothing stored.
    fails_with(
        &duban(
            db,
            &[
                "plan",
                "actual",
                "--plan",
                "1",
                "--indicator",
                "人均预期寿命",
                "--year",
                "2023",
                "--value",
                "78.6",
            ],
        ),
        &["2 个数值"],
    );
    fails_with(
        &duban(
            db,
            &[
                "plan",
                "actual",
                "--plan",
                "1",
                "--indicator",
                "地区生产总值",
                "--year",
                "2023",
                "--value",
                "7",
            ],
        ),
        &["多项指标"],
    );
    fails_with(
        &duban(
            db,
            &[
                "plan",
                "actual",
                "--plan",
                "1",
                "--indicator",
                "森林覆盖率",
                "--year",
                "2031",
                "--value",
                "25",
            ],
        ),
        &["不在规划期"],
    );
    fails_with(
        &duban(db, &["plan", "indicators", "--plan", "没有这个规划"]),
        &["没有这个规划"],
    );

    // A statistics bureau's table, wide (years as columns) in Excel and long in csv.
    let dir = tempfile::tempdir().expect("dir");
    let xlsx = dir.path().join("统计数据.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [
        ["淄川区“十四五”主要指标完成情况", "", ""],
        ["指标名称", "2021年", "2022年"],
        ["（11）每千人拥有执业医师数", "3.70", "3.71"],
        ["地表水好于三类水体比例", "55", "60"],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    book.save(&xlsx).expect("save");
    let said = stdout(&duban(
        db,
        &[
            "plan",
            "import",
            "--plan",
            "1",
            xlsx.to_str().expect("path"),
        ],
    ));
    assert!(said.contains("4 个"), "{said}");
    let csv = dir.path().join("统计.csv");
    std::fs::write(
        &csv,
        "指标,年度,数值,说明\n每千人拥有执业医师数,2023,3.74,卫健局\n",
    )
    .expect("csv");
    stdout(&duban(
        db,
        &["plan", "import", "--plan", "1", csv.to_str().expect("path")],
    ));
    let list = json(&duban(
        db,
        &[
            "plan",
            "indicators",
            "--plan",
            "1",
            "--year",
            "2023",
            "--json",
        ],
    ));
    let doctors = list
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["name"] == "每千人拥有执业医师数")
        .cloned()
        .expect("doctors");
    assert_eq!(
        doctors["judgement"],
        serde_json::json!({"2021": "on_track", "2022": "behind", "2023": "on_track"})
    );
    // A row naming no indicator of the plan stops the whole file: nothing of it is kept.
    let bad = dir.path().join("错.csv");
    std::fs::write(
        &bad,
        "指标,年度,数值\n每千人拥有执业医师数,2024,3.75\n没有的指标,2024,1\n",
    )
    .expect("csv");
    fails_with(
        &duban(
            db,
            &["plan", "import", "--plan", "1", bad.to_str().expect("path")],
        ),
        &["错.csv", "第 3 行", "没有的指标"],
    );
    let after = json(&duban(db, &["plan", "indicators", "--plan", "1", "--json"]));
    let doctors = after
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["name"] == "每千人拥有执业医师数")
        .cloned()
        .expect("doctors");
    assert!(doctors["actual"].get("2024").is_none(), "{doctors}");

    // The 2023 evaluation: every indicator, binding ones first, opened by LibreOffice.
    for format in ["xlsx", "docx"] {
        let file = dir.path().join(format!("评估.{format}"));
        stdout(&duban(
            db,
            &[
                "plan",
                "evaluate",
                "--plan",
                "1",
                "--year",
                "2023",
                "-o",
                file.to_str().expect("path"),
            ],
        ));
        if format == "xlsx" {
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook(&file).expect("the evaluation opens");
            let sheet = book
                .worksheet_range("主要指标评估")
                .expect("the evaluation's sheet");
            let rows: Vec<Vec<String>> = sheet
                .rows()
                .map(|r| r.iter().map(ToString::to_string).collect())
                .collect();
            let body: Vec<&Vec<String>> = rows
                .iter()
                .filter(|r| r.first().is_some_and(|c| c.parse::<u32>().is_ok()))
                .collect();
            assert_eq!(body.len(), 21, "{rows:?}");
            let binding = body.iter().take_while(|r| r[2] == "约束性").count();
            assert_eq!(binding, 8, "the binding ones first: {rows:?}");
            let urban = body
                .iter()
                .find(|r| r[1].starts_with("常住人口城镇化率"))
                .expect("urban");
            assert_eq!(
                (urban[6].as_str(), urban[7].as_str(), urban[8].as_str()),
                ("71.24", "70.5", "滞后")
            );
        }
        let bytes = std::fs::read(&file).expect("evaluation");
        let origin = file.display().to_string();
        if format == "docx" && duban_office::libreoffice_available() {
            // The report in Word: the indicator table, the tasks by chapter, and a chart per
            // indicator with its caption, as LibreOffice prints it.
            let pdf = duban_office::convert_with_libreoffice(&bytes, format, "pdf", &origin)
                .expect("LibreOffice opens the evaluation");
            // A chart per indicator in the docx, each with its caption; LibreOffice keeps
            // identical pictures (the charts of indicators with no path and no data) once in the
            // PDF, and reads the two columns of captions interleaved.
            let mut archive =
                zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("the docx is a zip");
            let charts = (0..archive.len())
                .filter(|i| {
                    archive
                        .by_index(*i)
                        .is_ok_and(|f| f.name().is_ok_and(|n| n.starts_with("word/media/chart")))
                })
                .count();
            assert_eq!(charts, 21);
            let mut document = String::new();
            std::io::Read::read_to_string(
                &mut archive.by_name("word/document.xml").expect("document"),
                &mut document,
            )
            .expect("xml");
            assert_eq!(document.matches("<wp:inline").count(), 21);
            for n in 1..=21 {
                assert!(document.contains(&format!(">图{n} ")), "caption {n}");
            }
            let images = pdf_images(&pdf);
            assert!((10..=21).contains(&images), "{images} pictures in the PDF");
            let text: String = pdf_text(&pdf, &origin).split_whitespace().collect();
            for expected in [
                "主要指标2023年评估",
                "森林覆盖率",
                "按章节",
                "主要指标走势图",
                "2023年序时预期71.24",
                "图21",
            ] {
                assert!(text.contains(expected), "{expected}: {text}");
            }
        } else if let Some(text) = printed_by_libreoffice(&bytes, format, &origin) {
            assert!(
                text.contains("主要指标2023年评估") && text.contains("森林覆盖率"),
                "{text}"
            );
        }
    }
    fails_with(
        &duban(
            db,
            &[
                "plan", "evaluate", "--plan", "1", "--year", "2030", "-o", "x.xlsx",
            ],
        ),
        &["2030"],
    );

    // The project library as the plan lists it.
    let projects = json(&duban(db, &["projects", "--plan", "1", "--json"]));
    let projects = projects.as_array().expect("projects");
    assert_eq!(projects.len(), 171);
    assert!(
        projects
            .iter()
            .all(|p| p["box"].as_str().is_some_and(|b| b.starts_with("专栏"))
                && p["name"].as_str().is_some_and(|n| !n.is_empty())),
        "{projects:?}"
    );
    let printed = stdout(&duban(db, &["projects", "--plan", "1"]));
    assert!(printed.lines().any(|l| l.starts_with("专栏")), "{printed}");

    // The office names the units that report (a bureau no ledger named yet is added) and sets
    // a project's plan; the library and the quarterly notice show them.
    let project = projects[0]["name"].as_str().expect("name").to_owned();
    let said = stdout(&duban(
        db,
        &[
            "plan",
            "assign",
            "--plan",
            "1",
            "--all-indicators",
            "--unit",
            "区统计局",
        ],
    ));
    assert!(said.contains("21 个指标的数据来源单位"), "{said}");
    let said = stdout(&duban(
        db,
        &[
            "plan",
            "assign",
            "--plan",
            "1",
            "--project",
            &project,
            "--unit",
            "区发改局",
        ],
    ));
    assert!(said.contains("1 个项目的责任单位"), "{said}");
    stdout(&duban(
        db,
        &[
            "plan",
            "project",
            "--plan",
            "1",
            "--project",
            &project,
            "--investment",
            "80000",
            "--stage",
            "在建",
        ],
    ));
    fails_with(
        &duban(
            db,
            &[
                "plan",
                "project",
                "--plan",
                "1",
                "--project",
                &project,
                "--stage",
                "开工",
            ],
        ),
        &["开工", "前期"],
    );
    let library = json(&duban(db, &["projects", "--plan", "1", "--json"]));
    let first = &library[0];
    assert_eq!(
        (
            &first["unit"],
            &first["stage"],
            &first["planned_investment"]
        ),
        (
            &serde_json::json!("区发改局"),
            &serde_json::json!("building"),
            &serde_json::json!(80000.0)
        ),
        "{first}"
    );
    let notice = dir.path().join("季通报.docx");
    stdout(&duban(
        db,
        &[
            "plan",
            "project-notice",
            "--plan",
            "1",
            "--quarter",
            "2023-Q2",
            "-o",
            notice.to_str().expect("path"),
        ],
    ));
    let bytes = std::fs::read(&notice).expect("notice");
    if let Some(text) = printed_by_libreoffice(&bytes, "docx", "季通报.docx") {
        let text: String = text.split_whitespace().collect();
        assert!(
            // The long title wraps, and the PDF's text of a wrapped cell comes in pieces.
            text.contains("推进情况通报")
                && text.contains("在建")
                && text.contains("80000")
                && text.contains("计划总投资（万元）")
                && text.contains("0/3"),
            "{text}"
        );
    }
    fails_with(
        &duban(
            db,
            &[
                "plan",
                "project-notice",
                "--plan",
                "1",
                "--quarter",
                "2023-05",
                "-o",
                "x.xlsx",
            ],
        ),
        &["季度"],
    );

    // Tasks of a ledger linked to the plan's passages are counted by chapter in the report.
    let ledger = dir.path().join("规划任务.json");
    std::fs::write(
        &ledger,
        serde_json::json!({
            "ledger": "2023年规划重点任务",
            "period": "2023-08",
            "columns": ["goal", "progress", "units"],
            "tasks": [
                {"seq": 1, "goal": "深入开展道路交通、化工等重点行业领域专项整治，全面排查消除安全隐患",
                 "status": "done", "progress": "已完成", "units": [{"name": "区应急局", "role": "lead"}]},
                {"seq": 2, "goal": "大力培育高端建陶品牌，占领建陶高端市场，发展做大陶瓷总部经济",
                 "status": "partial", "progress": "推进中", "units": [{"name": "区工信局", "role": "lead"}]}
            ]
        })
        .to_string(),
    )
    .expect("ledger");
    stdout(&duban(db, &["import", ledger.to_str().expect("path")]));
    let links = json(&duban(
        db,
        &[
            "link",
            "--ledger",
            "2023年规划重点任务",
            "--document",
            "1",
            "--json",
        ],
    ));
    let linked = links
        .as_array()
        .expect("links")
        .iter()
        .filter(|l| !l["passage"].is_null())
        .count();
    assert_eq!(linked, 2, "{links}");
    let report = dir.path().join("评估含任务.xlsx");
    stdout(&duban(
        db,
        &[
            "plan",
            "evaluate",
            "--plan",
            "1",
            "--year",
            "2023",
            "-o",
            report.to_str().expect("path"),
        ],
    ));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&report).expect("report");
    let chapters: Vec<Vec<String>> = book
        .worksheet_range("任务按章节")
        .expect("the chapters' sheet")
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    let total = chapters
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "合计"))
        .expect("a total row");
    assert_eq!(&total[1..5], ["2", "1", "1", "0"], "{chapters:?}");
    assert!(
        book.sheet_names().iter().any(|n| n == "项目季通报")
            && book.sheet_names().iter().any(|n| n == "主要指标走势图"),
        "{:?}",
        book.sheet_names()
    );
}
