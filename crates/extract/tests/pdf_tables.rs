//! Text pasted out of a PDF table: the 2023 monthly notice with 124 tasks.

use duban_core::{LedgerSheet, Period, Role, SheetTask, Status};
use duban_extract::{ReadOptions, TableRead, looks_like_pdf_table, read_pdf_text, sheet_from_grid};

const NOTICE_2023_08: &str = include_str!("../../../fixtures/progress-2023-08-linzi.txt");
/// Tasks 1, 2, 7 and 63 of the notice, transcribed by hand into the ledger JSON.
const EXCERPT: &str = include_str!("../../../fixtures/ledger-2023-08-excerpt.json");

fn read() -> TableRead {
    assert!(looks_like_pdf_table(NOTICE_2023_08));
    let grid = read_pdf_text(NOTICE_2023_08, "progress-2023-08-linzi.txt").expect("table found");
    sheet_from_grid(&grid, "progress-2023-08-linzi.txt", &ReadOptions::default()).expect("sheet")
}

fn task(sheet: &LedgerSheet, seq: u32) -> &SheetTask {
    sheet
        .tasks
        .iter()
        .find(|t| t.seq == seq)
        .unwrap_or_else(|| panic!("task {seq}"))
}

fn units(task: &SheetTask) -> Vec<(&str, Role)> {
    task.units
        .iter()
        .flatten()
        .map(|u| (u.name.as_str(), u.role))
        .collect()
}

#[test]
fn the_notice_gives_124_tasks_in_order_with_ledger_and_period_from_the_title() {
    let sheet = read().sheet;
    assert_eq!(sheet.ledger, "2023年《政府工作报告》重点工作");
    assert_eq!(sheet.period, Some(Period::Month(2023, 8)));
    assert_eq!(
        sheet.columns,
        ["goal", "target", "progress", "leaders", "units"]
    );
    let seqs: Vec<u32> = sheet.tasks.iter().map(|t| t.seq).collect();
    assert_eq!(seqs, (1..=124).collect::<Vec<_>>());
    for t in &sheet.tasks {
        assert!(
            !t.goal.is_empty() && t.target.is_some() && t.progress.is_some(),
            "task {}",
            t.seq
        );
        assert!(
            !t.leaders.as_ref().expect("leaders").is_empty(),
            "task {} has leaders",
            t.seq
        );
        assert!(
            !t.units.as_ref().expect("units").is_empty(),
            "task {} has units",
            t.seq
        );
    }
}

#[test]
fn statuses_match_the_status_words_printed_in_the_file() {
    // Count the status words that open a progress cell in the raw text: at the start of a line,
    // or after a space where a line holds several cells.
    let mut printed = [0usize; 3];
    for line in NOTICE_2023_08.lines() {
        let line: String = if line.split(' ').filter(|w| w.chars().count() == 1).count() >= 6 {
            line.split_whitespace().collect()
        } else {
            line.to_owned()
        };
        for cell in line.split(' ').map(str::trim) {
            if cell.starts_with("部分完成。") {
                printed[1] += 1;
            } else if cell.starts_with("未完成。") {
                printed[2] += 1;
            } else if cell.starts_with("完成。") {
                printed[0] += 1;
            }
        }
    }
    let sheet = read().sheet;
    let count = |s: Status| sheet.tasks.iter().filter(|t| t.status == Some(s)).count();
    assert_eq!(
        [
            count(Status::Done),
            count(Status::Partial),
            count(Status::NotDone)
        ],
        printed
    );
    assert_eq!(printed.iter().sum::<usize>(), 124);
}

#[test]
fn the_hand_transcribed_rows_match() {
    let sheet = read().sheet;
    let excerpt: LedgerSheet = serde_json::from_str(EXCERPT).expect("fixture");
    for want in &excerpt.tasks {
        let got = task(&sheet, want.seq);
        assert_eq!(got.goal, want.goal, "goal of {}", want.seq);
        assert_eq!(got.target, want.target, "target of {}", want.seq);
        assert_eq!(got.status, want.status, "status of {}", want.seq);
        assert_eq!(got.progress, want.progress, "progress of {}", want.seq);
        assert_eq!(got.units, want.units, "units of {}", want.seq);
        let leaders: Vec<String> = want
            .leaders
            .iter()
            .flatten()
            .map(|l| duban_core::normalize_name(l))
            .collect();
        assert_eq!(
            got.leaders.as_ref(),
            Some(&leaders),
            "leaders of {}",
            want.seq
        );
    }
}

/// Sequence number, leaders, units with roles.
type PrintedRow = (
    u32,
    &'static [&'static str],
    &'static [(&'static str, Role)],
);

#[test]
fn leaders_and_units_as_printed() {
    use Role::{DataSource, Lead, Support};
    let sheet = read().sheet;
    let cases: &[PrintedRow] = &[
        (
            3,
            &["郭克华", "贾继元", "高晋", "于海南"],
            &[
                ("区发改局", Lead),
                ("临淄经济开发区管委会", Support),
                ("区自然资源局", Support),
                ("临淄规划管理办公室", Support),
                ("区投资促进中心", Support),
                ("区大数据中心", Support),
            ],
        ),
        (5, &["郭克华", "房美男"], &[("区工信局", Lead)]),
        (
            9,
            &["郭克华", "于海南"],
            &[
                ("区发改局", Lead),
                ("区商务局", Support),
                ("金岭回族镇政府", Support),
                ("人民银行临淄支行", Support),
            ],
        ),
        (
            11,
            &["贾继元", "房美男"],
            &[("区行政审批服务局", Lead), ("区市场监管局", Support)],
        ),
        (
            12,
            &["郭克华", "贾继元", "房美男", "高晋", "于海南"],
            &[
                ("区统计局", Lead),
                ("区发改局", Support),
                ("区工信局", Support),
                ("区商务局", Support),
                ("区住建局", Support),
                ("区文旅局", Support),
                ("区科技局", Support),
                ("区交通运输局", Support),
            ],
        ),
        (14, &["郭克华"], &[("区发改局", Lead)]),
        (
            20,
            &["于海南"],
            &[("淄博省级农业高新技术产业示范区管委会", Lead)],
        ),
        (
            27,
            &["郭克华", "贾继元", "房美男", "崔赟"],
            &[
                ("区发改局", Lead),
                ("区工信局", Support),
                ("区科技局", Support),
                ("区人社局", Support),
            ],
        ),
        (33, &["于海南"], &[("区商务局", Lead)]),
        (41, &["高晋"], &[("临淄规划管理办公室", Lead)]),
        (45, &["高晋"], &[("区住建局", Lead)]),
        (49, &["高晋"], &[("区综合行政执法局", Lead)]),
        (
            57,
            &["于海南"],
            &[
                ("淄博省级农业高新技术产业示范区管委会", Lead),
                ("皇城镇政府", Support),
            ],
        ),
        (82, &["高晋"], &[("区文物局", Lead)]),
        (
            88,
            &["崔赟", "高晋"],
            &[("区文旅局", Lead), ("区教体局", Support)],
        ),
        (95, &["高晋"], &[("区节办", Lead)]),
        (99, &["崔赟"], &[("区人社局", Lead)]),
        (
            117,
            &["郭克华", "崔赟"],
            &[
                ("区教体局", Lead),
                ("区财政局", Support),
                ("金山镇政府", Support),
                ("闻韶街道办事处", Support),
                ("齐陵街道办事处", Support),
            ],
        ),
        (118, &["贾继元"], &[("区市场监管局", Lead)]),
        (121, &["郭克华", "房美男"], &[("区应急管理局", Lead)]),
        (124, &["孙胜利"], &[("临淄公安分局", Lead)]),
    ];
    for (seq, leaders, want_units) in cases {
        let t = task(&sheet, *seq);
        assert_eq!(
            t.leaders.as_deref().unwrap_or_default(),
            *leaders,
            "leaders of {seq}"
        );
        assert_eq!(units(t), *want_units, "units of {seq}");
    }
    assert!(units(task(&sheet, 1)).contains(&("区统计局", DataSource)));
}

#[test]
fn cells_joined_on_one_line_and_cells_broken_by_pages_are_separated_right() {
    let sheet = read().sheet;
    // "68 建成投用北部能源供应中心。 力争项目建成投运。": goal and target on the row number's line.
    let t = task(&sheet, 68);
    assert_eq!(t.goal, "建成投用北部能源供应中心。");
    assert_eq!(t.target.as_deref(), Some("力争项目建成投运。"));
    assert_eq!(t.status, Some(Status::NotDone));
    // Target, progress, leader and the start of a wrapped unit on one line.
    let t = task(&sheet, 49);
    assert_eq!(t.target.as_deref(), Some("完成项目总投资的60%。"));
    assert_eq!(t.progress.as_deref(), Some("完成项目总投资的74.8%。"));
    assert!(
        t.goal.ends_with("新改建26处街头游园、社区公园、村镇公园。"),
        "{}",
        t.goal
    );
    // Task 95 opens the page after the footer "第 19 页，共 26 页" and a repeated header.
    let t = task(&sheet, 95);
    assert_eq!(t.goal, "高质量办好第二十届齐文化节。");
    assert_eq!(t.target.as_deref(), Some("专题调度活动筹备和宣传工作。"));
    assert!(
        t.progress
            .as_deref()
            .is_some_and(|p| p.starts_with("召开齐文化节活动调度会"))
    );
    // A stray blank line inside a goal does not end it.
    let t = task(&sheet, 94);
    assert!(
        t.goal.ends_with("组织“戏曲进校园”“戏曲进乡村”1000场。"),
        "{}",
        t.goal
    );
    assert!(
        t.target
            .as_deref()
            .is_some_and(|p| p.starts_with("制定文艺进校园活动方案"))
    );
    // Letter-spaced progress text (完 成 。 截 至 …) is closed up.
    assert!(
        sheet
            .tasks
            .iter()
            .all(|t| !t.progress.as_deref().unwrap_or_default().contains("截 至"))
    );
    // No page furniture leaks into any cell.
    for t in &sheet.tasks {
        for text in [Some(&t.goal), t.target.as_ref(), t.progress.as_ref()]
            .into_iter()
            .flatten()
        {
            assert!(
                !text.contains("第 19 页") && !text.contains("分管区领导"),
                "task {}: {text}",
                t.seq
            );
        }
    }
}
