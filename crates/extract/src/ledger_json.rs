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

/// serde_json's message in Chinese, without its own " at line X column Y" suffix (the error
/// names the place itself). The parts the file wrote (a field's name, a value) are kept as they
/// are; messages of other kinds keep their words after a Chinese lead.
fn describe(error: &serde_json::Error) -> String {
    serde_message_zh(&error.to_string())
}

/// A serde message (JSON, form or query) in Chinese: 缺少字段“period”, “x”不是可用的值（应为 …）.
/// The parts the input wrote (a field's name, a value) are kept as they are; messages of other
/// kinds keep their words after a Chinese lead.
pub fn serde_message_zh(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    };
    let quoted = |text: &str| -> Option<String> {
        let start = text.find('`')? + 1;
        let end = start + text[start..].find('`')?;
        Some(text[start..end].to_owned())
    };
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("缺少字段“{}”", quoted(rest).unwrap_or_default());
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!("未知的字段“{}”", quoted(rest).unwrap_or_default());
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let allowed = rest
            .split_once("expected ")
            .map(|(_, e)| e.replace("one of ", "").replace('`', ""))
            .unwrap_or_default();
        return format!(
            "“{}”不是可用的值（应为 {allowed}）",
            quoted(rest).unwrap_or_default()
        );
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let expected = message
            .split_once("expected ")
            .map(|(_, e)| e.to_owned())
            .unwrap_or_default();
        return format!("值的类型不对（应为 {expected}）：{message}");
    }
    if message.starts_with("EOF while parsing") {
        return "文件在这里意外结束：JSON 不完整".to_owned();
    }
    if message.starts_with("expected") || message.starts_with("key must be") {
        return format!("不是合法的 JSON（{message}）");
    }
    if message.starts_with("recursion limit exceeded") {
        return "JSON 嵌套过深".to_owned();
    }
    if message.starts_with("cannot parse integer") || message.starts_with("invalid digit") {
        return format!("应为整数（{message}）");
    }
    if message.starts_with("provided string was not `true` or `false`") {
        return "应为 true 或 false".to_owned();
    }
    format!("内容有误（{message}）")
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
        assert!(message.contains("JSON 不完整"), "{message}");

        let message = parse_ledger_json("{\"tasks\": []}", "m.json")
            .expect_err("no ledger")
            .to_string();
        assert!(message.contains("缺少字段“ledger”"), "{message}");
        assert!(!message.contains("missing"), "{message}");
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
