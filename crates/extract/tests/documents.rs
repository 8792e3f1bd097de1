//! Reading the real work report and plan in `fixtures/`.

use chrono::NaiveDate;
use duban_core::{Attribute, Bound, DocumentKind, DocumentRead};
use duban_extract::{ExtractError, detect_document, read_document};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn report() -> DocumentRead {
    let file = "work-report-2021-linzi.txt";
    read_document(&fixture(file), DocumentKind::Report, file).expect("report reads")
}

fn plan() -> DocumentRead {
    let file = "plan-2021-2025-zichuan.txt";
    read_document(&fixture(file), DocumentKind::Plan, file).expect("plan reads")
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every passage's span covers the lines its text came from.
fn spans_match(read: &DocumentRead) {
    let body: Vec<char> = read.body.chars().collect();
    for p in &read.passages {
        let (start, end) = (p.span.0 as usize, p.span.1 as usize);
        let original = compact(&body[start..end].iter().collect::<String>());
        let text = compact(&p.text);
        let head: String = text.chars().take(8).collect();
        let tail: String = text
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert!(
            original.starts_with(&head),
            "{head} at {:?}: {original}",
            p.span
        );
        assert!(
            original.ends_with(&tail),
            "{tail} at {:?}: {original}",
            p.span
        );
    }
}

#[test]
fn report_front_matter_parts_and_sections() {
    let r = report();
    assert_eq!(r.kind, DocumentKind::Report);
    assert_eq!(r.title, "政府工作报告");
    assert_eq!(r.date, NaiveDate::from_ymd_opt(2021, 1, 13));
    assert_eq!(r.speaker.as_deref(), Some("代理区长 宋磊"));
    let parts: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        parts,
        [
            "“十三五”时期工作回顾",
            "“十四五”时期总体思路和目标任务",
            "2021年目标任务和工作重点",
            "全面加强政府自身建设",
            "《政府工作报告》词语解释"
        ]
    );
    let sections: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.level == 2)
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(sections.len(), 10);
    assert!(sections[0].starts_with("一、着力聚焦“创新驱动”"));
    assert!(sections[9].starts_with("十、着力聚焦“厚植民生”"));
    assert_eq!(r.year_part(), Some("2021年目标任务和工作重点"));
    // The year's part counts its own opening paragraph and all of its sections' passages.
    let year = r
        .sections
        .iter()
        .find(|s| s.heading == "2021年目标任务和工作重点")
        .expect("present");
    let under: usize = r
        .sections
        .iter()
        .filter(|s| s.level == 2)
        .map(|s| s.passages)
        .sum();
    assert!(year.passages > under, "{} vs {under}", year.passages);
    spans_match(&r);
}

#[test]
fn report_paragraphs_keep_their_lead_sentences_and_joined_lines() {
    let r = report();
    let first = r
        .passages
        .iter()
        .find(|p| p.headings.last().is_some_and(|h| h.starts_with("一、")))
        .expect("a passage under 一、");
    assert_eq!(first.headings[0], "2021年目标任务和工作重点");
    assert_eq!(first.lead.as_deref(), Some("加快科创平台建设"));
    // A paragraph broken over a page ("面对突" / "如其来的") is one passage.
    assert!(
        r.passages
            .iter()
            .any(|p| p.text.contains("面对突如其来的新冠肺炎疫情冲击"))
    );
    // Layout spaces around digits are gone.
    assert!(
        r.passages
            .iter()
            .any(|p| p.text.contains("刚刚过去的2020年"))
    );
    let leads = r.passages.iter().filter(|p| p.lead.is_some()).count();
    assert!(leads >= 30, "{leads} lead sentences");
}

#[test]
fn report_glossary_has_26_terms() {
    let r = report();
    assert_eq!(r.glossary.len(), 26);
    assert_eq!(r.glossary[0].term, "传统产业“五个优化”");
    assert!(r.glossary[0].explanation.starts_with("优化提升技术工艺"));
    // The first entry was broken over two lines in the PDF text.
    assert!(r.glossary[0].explanation.ends_with("优化提升经济效益。"));
    let two = r
        .glossary
        .iter()
        .find(|e| e.term == "两个100%")
        .expect("两个100%");
    assert_eq!(two.explanation, "年度重点项目开工率100%、投资完成率100%。");
    assert_eq!(r.glossary[25].term, "双随机、一公开");
    assert!(r.indicators.is_empty() && r.projects.is_empty());
}

#[test]
fn plan_front_matter_chapters_and_sections() {
    let p = plan();
    assert_eq!(
        p.title,
        "淄川区国民经济和社会发展第十四个五年规划和2035年远景目标纲要"
    );
    assert_eq!(p.number.as_deref(), Some("川政发〔2021〕2号"));
    assert_eq!(p.date, NaiveDate::from_ymd_opt(2021, 6, 17));
    let top: Vec<&str> = p
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(top.len(), 15, "{top:?}");
    assert_eq!(top[0], "前言");
    assert_eq!(top[1], "第一章 砥砺奋进前行 夯实全面现代化新起点");
    assert_eq!(top[14], "第十四章 加强规划实施保障");
    assert!(
        p.sections
            .iter()
            .any(|s| s.level == 2 && s.heading == "第一节 发展成就")
    );
    assert!(
        p.sections
            .iter()
            .any(|s| s.level == 3 && s.heading == "一、综合经济实力稳步提升")
    );
    assert!(p.sections.iter().all(|s| s.passages > 0), "empty section");
    let para = p
        .passages
        .iter()
        .find(|p| p.text.starts_with("1．大力淘汰落后动能。"))
        .expect("present");
    assert_eq!(para.lead.as_deref(), Some("大力淘汰落后动能"));
    assert_eq!(
        para.headings,
        [
            "第三章 加快动能转换 构建优势特色产业体系",
            "第一节 打造全国新型工业制造强区",
            "一、持续推动产业优化升级"
        ]
    );
    spans_match(&p);
}

#[test]
fn plan_indicator_table_has_21_rows_13_expected_8_binding() {
    let p = plan();
    assert_eq!(p.indicators.len(), 21, "{:?}", p.warnings);
    let expected = p
        .indicators
        .iter()
        .filter(|i| i.attribute == Attribute::Expected)
        .count();
    assert_eq!((expected, 21 - expected), (13, 8));
    let categories: Vec<&str> = p.indicators.iter().fold(Vec::new(), |mut seen, i| {
        if seen.last() != Some(&i.category.as_str()) {
            seen.push(&i.category);
        }
        seen
    });
    assert_eq!(
        categories,
        ["经济发展", "创新驱动", "民生福祉", "绿色生态", "安全保障"]
    );

    let row = |n: usize| &p.indicators[n - 1];
    let text = |v: &Option<duban_core::IndicatorValue>| v.as_ref().map(|v| v.text.clone());
    let gdp = row(1);
    assert_eq!(
        (gdp.name.as_str(), gdp.uom.as_str()),
        ("地区生产总值增长速度", "%")
    );
    assert_eq!(
        (text(&gdp.baseline), text(&gdp.target)),
        (Some("2.1".into()), None)
    );
    let growth = gdp.growth.as_ref().expect("present");
    assert_eq!(
        (growth.numbers.as_slice(), growth.bound),
        (&[7.0][..], Some(Bound::About))
    );

    let rd = row(5);
    assert_eq!(rd.name, "全社会研发（R&D）经费投入占GDP比重");
    assert_eq!(
        (text(&rd.baseline), text(&rd.target)),
        (Some("3.0".into()), Some("3.1".into()))
    );

    let income = row(8);
    assert_eq!(text(&income.growth).as_deref(), Some("与GDP增长同步"));
    assert!(income.growth.as_ref().expect("present").numbers.is_empty());

    let unemployment = row(9);
    assert_eq!(
        unemployment.target.as_ref().expect("present").bound,
        Some(Bound::AtMost)
    );

    let life = row(14);
    assert_eq!(
        (life.name.as_str(), life.uom.as_str()),
        ("人均预期寿命", "岁")
    );
    assert_eq!(
        text(&life.baseline).as_deref(),
        Some("男性78.42，女性85.99")
    );
    assert_eq!(
        life.target.as_ref().expect("present").numbers,
        [78.57, 86.19]
    );

    let energy = row(15);
    assert_eq!(
        (energy.name.as_str(), energy.attribute),
        ("单位GDP能耗下降", Attribute::Binding)
    );
    assert_eq!(text(&energy.target).as_deref(), Some("完成市下达任务"));

    let forest = row(19);
    let target = forest.target.as_ref().expect("present");
    assert_eq!(target.text, "保持并稳定在25以上");
    assert_eq!(
        (target.numbers.as_slice(), target.bound),
        (&[25.0][..], Some(Bound::AtLeast))
    );

    let power = row(21);
    assert_eq!(
        (power.name.as_str(), power.uom.as_str()),
        ("能源综合生产能力", "万吨标煤")
    );
    assert_eq!(
        (power.category.as_str(), power.baseline.is_none()),
        ("安全保障", true)
    );
}

#[test]
fn plan_boxes_list_their_projects_under_their_section() {
    let p = plan();
    let boxes: Vec<&str> = p.projects.iter().fold(Vec::new(), |mut seen, pr| {
        if seen.last() != Some(&pr.box_name.as_str()) {
            seen.push(&pr.box_name);
        }
        seen
    });
    assert_eq!(boxes.len(), 12, "{boxes:?}");
    assert_eq!(boxes[0], "专栏 1 “十四五”期间制造业重点建设项目");
    let first = &p.projects[0];
    assert_eq!(first.group.as_deref(), Some("汽车及零部件产业集群"));
    assert_eq!(first.name, "吉利高端商用车改造提升及汽车产业园项目");
    // Names keep their brackets and are not split inside them; wrapped lines are joined.
    assert!(
        p.projects
            .iter()
            .any(|pr| pr.name == "中国移动（淄博）鲁中数据中心项目")
    );
    assert!(
        p.projects
            .iter()
            .any(|pr| pr.name == "山东泰展威玛电机有限公司年产100万套伺服电机项目")
    );
    // The box sits under its section in the heading tree.
    let passage = p
        .passages
        .iter()
        .find(|pa| pa.text.contains("吉利高端商用车"))
        .expect("present");
    assert_eq!(passage.headings[1], "第一节 打造全国新型工业制造强区");
    assert_eq!(passage.headings.last().map(String::as_str), Some(boxes[0]));
}

#[test]
fn detection_and_refusal_of_other_texts() {
    assert_eq!(
        detect_document(&fixture("work-report-2021-linzi.txt")),
        Some(DocumentKind::Report)
    );
    assert_eq!(
        detect_document(&fixture("plan-2021-2025-zichuan.txt")),
        Some(DocumentKind::Plan)
    );
    let table = fixture("progress-2023-08-linzi.txt");
    assert_eq!(detect_document(&table), None);
    for kind in [DocumentKind::Report, DocumentKind::Plan] {
        let err =
            read_document(&table, kind, "progress.txt").expect_err("a table is not a document");
        assert!(matches!(err, ExtractError::NotA { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.starts_with("progress.txt：不是"), "{message}");
    }
    // The plan forced as a report is refused too: it has chapters, not a report's parts.
    let plan_as_report = read_document(
        &fixture("plan-2021-2025-zichuan.txt"),
        DocumentKind::Report,
        "p.txt",
    );
    assert!(plan_as_report.is_err(), "a plan is not a report");
}

/// Every main indicator of the seed plan gets the rule a plan office reads from its cells.
#[test]
fn each_plan_indicator_has_the_path_rule_its_cells_state() {
    use PathRule::*;
    use duban_core::monitor::{IndicatorPath, PathRule, plan_years};
    let p = plan();
    let (base, target) = plan_years(2021);
    assert_eq!((base, target), (2020, 2025));
    let expected = [
        ("地区生产总值增长速度", Rate),
        ("常住人口城镇化率", Linear),
        ("全员劳动生产率增速", Rate),
        ("“四新”经济占GDP比重", Linear),
        ("全社会研发（R&D）经费投入占GDP比重", Linear),
        ("万人高价值发明专利拥有量", TargetOnly),
        ("数字经济核心产业增加值占地区生产总值比重", Linear),
        ("居民人均可支配收入增长速度", Assigned),
        ("城镇登记失业率", Ceiling),
        ("劳动年龄人口平均受教育年限", Watched),
        ("每千人拥有执业医师数", Linear),
        ("基本养老保险参保率", Linear),
        ("每千人人口拥有3岁以下婴幼儿托位数", Linear),
        ("人均预期寿命", Linear),
        ("单位GDP能耗下降", Assigned),
        ("单位GDP二氧化碳排放量下降", Assigned),
        ("空气质量优良天数比例", Watched),
        ("地表水好于三类水体比例", Linear),
        ("森林覆盖率", Floor),
        ("粮食综合生产能力", Floor),
        ("能源综合生产能力", Assigned),
    ];
    assert_eq!(p.indicators.len(), expected.len());
    for (indicator, (name, rule)) in p.indicators.iter().zip(expected) {
        let path = IndicatorPath::of(indicator, base, target);
        assert_eq!(
            (indicator.name.as_str(), path.rule),
            (name, rule),
            "{indicator:?}"
        );
    }
    let path = |n: usize| IndicatorPath::of(&p.indicators[n - 1], base, target);
    assert_eq!(path(2).expected(2023, None), [Some(71.24)]);
    assert_eq!(path(1).expected(2023, None), [Some(7.0)]);
    assert_eq!(path(14).series.len(), 2);
    assert!(path(9).lower_is_better && !path(2).lower_is_better);
    assert!(path(20).binding && path(20).value == Some(5.0));
}
