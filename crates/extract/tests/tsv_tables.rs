//! Tab-separated tables with HTML cells, read from the real 2020 task decomposition.

use duban_core::Period;
use duban_extract::{ReadOptions, read_tsv, sheet_from_grid};

const TARGETS_2020: &str = include_str!("../../../fixtures/targets-2020-q3q4-linzi.txt");

#[test]
fn the_2020_decomposition_gives_its_sixteen_tasks_with_both_quarterly_targets() {
    let grid = read_tsv(TARGETS_2020, "targets-2020-q3q4-linzi.txt").expect("table found");
    let read = sheet_from_grid(
        &grid,
        "targets-2020-q3q4-linzi.txt",
        &ReadOptions::default(),
    )
    .expect("sheet");
    let sheet = read.sheet;
    assert_eq!(sheet.ledger, "2020年区政府二十大重点工作");
    assert_eq!(
        sheet.period, None,
        "two period columns: the targets map carries the periods"
    );
    assert_eq!(sheet.columns, ["goal", "targets"]);
    let seqs: Vec<u32> = sheet.tasks.iter().map(|t| t.seq).collect();
    assert_eq!(seqs, (1..=15).chain([20]).collect::<Vec<_>>());

    let (q3, q4) = (Period::Quarter(2020, 3), Period::Quarter(2020, 4));
    for task in &sheet.tasks {
        let targets = task.targets.as_ref().expect("targets map");
        assert!(
            targets.contains_key(&q3) && targets.contains_key(&q4),
            "task {}: {targets:?}",
            task.seq
        );
        for text in targets.values().chain([&task.goal]) {
            assert!(
                !text.contains('<') && !text.contains('>'),
                "task {}: HTML left in {text}",
                task.seq
            );
        }
    }
    let task = |seq: u32| sheet.tasks.iter().find(|t| t.seq == seq).expect("task");
    assert!(
        task(7).goal.ends_with("新增绿化造林5000亩。"),
        "{}",
        task(7).goal
    );
    assert!(
        task(10).targets.as_ref().expect("targets")[&q3]
            .starts_with("230 个行政村集体经济收入达到 10 万元以上")
    );
    assert!(task(13).targets.as_ref().expect("targets")[&q3].contains("32 万 m²硬化情况"));
    assert!(
        task(4).goal.starts_with("推进落实“六个一”平台招引机制"),
        "<p> removed: {}",
        task(4).goal
    );
    assert!(
        task(11).targets.as_ref().expect("targets")[&q3].starts_with("杨坡路北延："),
        "<b> removed"
    );

    // The jump from 15 to 20 is reported, not silently accepted.
    assert!(
        read.warnings
            .iter()
            .any(|w| w.message.contains("序号 20 不接续上一行的 15")),
        "{:?}",
        read.warnings
    );
}

#[test]
fn a_text_without_a_table_names_the_file_and_what_was_expected() {
    let err = read_tsv("临淄区人民政府\n关于做好工作的通知\n", "notice.txt").expect_err("no table");
    let message = err.to_string();
    assert!(message.starts_with("notice.txt"), "{message}");
    assert!(message.contains("年度目标任务"), "{message}");
}

#[test]
fn a_q4_table_with_units_before_progress_and_no_leader_column() {
    let text = "2024年重点工作第四季度完成情况通报表\n\
                序号\t工作任务\t第四季度目标\t牵头单位\t配合单位\t进展情况\n\
                1\t<p>新增城镇就业5000人以上</p>\t新增就业1200人\t区人社局\t区财政局、区统计局\t完成。新增就业1350人。\n\
                2\t完成气代煤改造1.6万户\t完成改造0.4万户\t区住建局\t\t部分完成。已完成0.3万户。\n\
                3\t压减燃煤28万吨以上\t压减7万吨\t区发改局\t\t正在推进\n";
    let grid = read_tsv(text, "q4.tsv").expect("table");
    let read = sheet_from_grid(&grid, "q4.tsv", &ReadOptions::default()).expect("sheet");
    let sheet = read.sheet;
    assert_eq!(sheet.ledger, "2024年重点工作");
    assert_eq!(sheet.period, Some(Period::Quarter(2024, 4)));
    assert_eq!(sheet.columns, ["goal", "target", "progress", "units"]);
    assert_eq!(sheet.tasks[0].target.as_deref(), Some("新增就业1200人"));
    assert_eq!(sheet.tasks[0].status, Some(duban_core::Status::Done));
    assert_eq!(sheet.tasks[0].progress.as_deref(), Some("新增就业1350人。"));
    let units = sheet.tasks[0].units.as_ref().expect("units");
    let roles: Vec<(&str, duban_core::Role)> =
        units.iter().map(|u| (u.name.as_str(), u.role)).collect();
    assert_eq!(
        roles,
        [
            ("区人社局", duban_core::Role::Lead),
            ("区财政局", duban_core::Role::Support),
            ("区统计局", duban_core::Role::Support)
        ]
    );
    assert!(
        sheet.tasks[0].leaders.is_none(),
        "no leader column: the field is absent"
    );
    assert_eq!(sheet.tasks[2].status, None);
    assert!(
        read.warnings
            .iter()
            .any(|w| w.place == "第 5 行" && w.message.contains("待评定")),
        "{:?}",
        read.warnings
    );
}
