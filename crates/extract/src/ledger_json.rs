//! The ledger JSON of DESIGN.md, read with errors that point at the line and column.

use duban_core::LedgerSheet;

use crate::ExtractError;

/// Parses and validates a ledger JSON text. `origin` (usually the file name) opens every error.
pub fn parse_ledger_json(text: &str, origin: &str) -> Result<LedgerSheet, ExtractError> {
    let sheet: LedgerSheet = serde_json::from_str(text).map_err(|e| ExtractError::At {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: describe(&e),
    })?;
    sheet.validate().map_err(|source| ExtractError::Sheet {
        origin: origin.to_owned(),
        source,
    })?;
    Ok(sheet)
}

/// serde_json's message without its own " at line X column Y" suffix, which the error repeats.
fn describe(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_valid_sheet() {
        let text = r#"{"ledger": "2023年重点工作", "period": "2023-08",
                       "tasks": [{"seq": 1, "goal": "地区生产总值增长5.5%以上", "status": "partial"}]}"#;
        let sheet = parse_ledger_json(text, "a.json").expect("valid");
        assert_eq!(sheet.tasks[0].status, Some(duban_core::Status::Partial));
    }

    #[test]
    fn syntax_and_value_errors_point_at_the_place() {
        let text = "{\"ledger\": \"2023年重点工作\",\n \"period\": \"2023-13\",\n \"tasks\": []}";
        let err = parse_ledger_json(text, "bad.json").expect_err("bad period");
        let message = err.to_string();
        assert!(message.starts_with("bad.json 第 2 行"), "{message}");
        assert!(message.contains("2023-13"), "{message}");

        let text = "{\"ledger\": \"x\", \"tasks\": [{\"seq\": 1, \"goal\": \"g\", \"status\": \"finished\"}]}";
        let message = parse_ledger_json(text, "s.json")
            .expect_err("bad status")
            .to_string();
        assert!(
            message.contains("finished") && message.contains("第 1 行"),
            "{message}"
        );

        let message = parse_ledger_json("{\"ledger\": ", "t.json")
            .expect_err("truncated")
            .to_string();
        assert!(message.starts_with("t.json 第 1 行"), "{message}");
    }

    #[test]
    fn rule_errors_name_the_row() {
        let text =
            r#"{"ledger": "x", "tasks": [{"seq": 1, "goal": "g"}, {"seq": 1, "goal": "h"}]}"#;
        let message = parse_ledger_json(text, "d.json")
            .expect_err("dup")
            .to_string();
        assert_eq!(message, "d.json：第 2 条任务：序号 1 重复");
    }
}
