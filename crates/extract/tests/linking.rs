//! Linking a ledger written from the 2021 report back to the report's passages.

use duban_core::DocumentKind;
use duban_extract::{PassageIndex, commitments, parse_ledger_json, read_document};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_goal_written_from_the_report_finds_its_sentence() {
    let report = read_document(
        &fixture("work-report-2021-linzi.txt"),
        DocumentKind::Report,
        "report",
    )
    .expect("report");
    let ledger =
        parse_ledger_json(&fixture("ledger-2021-from-report.json"), "ledger").expect("ledger");
    let expect: serde_json::Value =
        serde_json::from_str(&fixture("ledger-2021-from-report.expect.json"))
            .expect("expectations");
    let texts: Vec<&str> = report.passages.iter().map(|p| p.text.as_str()).collect();
    let index = PassageIndex::new(&texts);
    let year = report.year_part().expect("year part");
    for task in &ledger.tasks {
        let wanted = &expect["expect"][task.seq.to_string()];
        let link = index.link(&task.goal);
        match (wanted.as_str(), link) {
            (None, None) => {}
            (None, Some(link)) => panic!(
                "{}: linked to {:?} but is not in the report",
                task.seq, link
            ),
            (Some(want), None) => panic!("{} ({want}) not linked", task.seq),
            (Some(want), Some(link)) => {
                let passage = &report.passages[link.passage];
                let span: String = passage
                    .text
                    .chars()
                    .skip(link.span.0)
                    .take(link.span.1 - link.span.0)
                    .collect();
                assert!(
                    compact(&span).contains(want),
                    "{}: span {span:?} lacks {want}",
                    task.seq
                );
                assert_eq!(passage.headings[0], year, "{}", task.seq);
                // A span is clauses of the passage, never the whole paragraph for a one-clause goal.
                assert!(
                    span.chars().count() <= task.goal.chars().count() * 3,
                    "{}: {span}",
                    task.seq
                );
                assert!(link.score >= 0.6, "{}: score {}", task.seq, link.score);
            }
        }
    }
}

#[test]
fn verbatim_goals_score_near_one_and_edits_less() {
    let report = read_document(
        &fixture("work-report-2021-linzi.txt"),
        DocumentKind::Report,
        "report",
    )
    .expect("report");
    let texts: Vec<&str> = report.passages.iter().map(|p| p.text.as_str()).collect();
    let index = PassageIndex::new(&texts);
    let verbatim = index
        .link("新认定单项冠军、瞪羚、独角兽企业5家以上")
        .expect("verbatim");
    let edited = index
        .link("全年新认定单项冠军和独角兽企业5家以上")
        .expect("edited");
    assert!(verbatim.score > 0.99, "{}", verbatim.score);
    assert!(
        edited.score < verbatim.score && edited.score > 0.6,
        "{}",
        edited.score
    );
    assert_eq!(verbatim.passage, edited.passage);
}

#[test]
fn commitments_of_the_year_part_link_back_to_themselves() {
    let report = read_document(
        &fixture("work-report-2021-linzi.txt"),
        DocumentKind::Report,
        "report",
    )
    .expect("report");
    let found = commitments(&report);
    assert!(found.len() >= 100, "{} commitments", found.len());
    let year = report.year_part().expect("year part");
    assert!(
        found
            .iter()
            .all(|c| report.passages[c.passage].headings[0] == year)
    );
    // Lead sentences name themes, not commitments.
    assert!(!found.iter().any(|c| c.text == "加快科创平台建设"));
    assert!(
        found
            .iter()
            .any(|c| c.text == "实施旗舰、雏鹰企业培育工程，新增“小升规”企业30家")
    );
    let two = found
        .iter()
        .find(|c| c.text.contains("两个100%"))
        .expect("两个100%");
    assert_eq!(
        two.terms
            .iter()
            .map(|t| t.term.as_str())
            .collect::<Vec<_>>(),
        ["两个100%"]
    );
    let texts: Vec<&str> = report.passages.iter().map(|p| p.text.as_str()).collect();
    let index = PassageIndex::new(&texts);
    for c in &found {
        let link = index.link(&c.text).expect("a commitment links");
        assert_eq!((link.passage, link.span), (c.passage, c.span), "{}", c.text);
    }
}
