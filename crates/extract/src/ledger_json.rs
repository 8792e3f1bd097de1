//! The ledger JSON of DESIGN.md, read with errors that point at the line and column.

use duban_core::{LedgerSheet, Period, SheetTask};

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

/// What a ledger JSON read task by task hands its reader, in this order: the head once (the
/// sheet without its tasks), then each task.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a task is handed on by value, never kept in a list of parts
pub enum SheetPart {
    Head(LedgerSheet),
    Task(SheetTask),
}

/// Reads a ledger JSON from `reader` without holding its tasks: `part` receives the head, then
/// each task as it is parsed, so a file of a million tasks takes the memory of one. The head is
/// known once `ledger` and `period` (or `columns`, which follow the period where there is one)
/// came before `tasks`, as duban writes them; a file that puts them after its tasks is held
/// until its end. `part` stops the reading by returning an error (its text ends the message).
/// Rows are not validated here: the writer checks each as it comes.
pub fn stream_ledger_json<R: std::io::Read>(
    reader: R,
    origin: &str,
    part: &mut dyn FnMut(SheetPart) -> Result<(), String>,
) -> Result<(), ExtractError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let at = |e: serde_json::Error| ExtractError::At {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: describe(&e),
    };
    serde::de::DeserializeSeed::deserialize(SheetSeed { part }, &mut de).map_err(at)?;
    de.end().map_err(at)
}

struct SheetSeed<'a> {
    part: &'a mut dyn FnMut(SheetPart) -> Result<(), String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for SheetSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SheetSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a ledger JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut ledger: Option<String> = None;
        let mut period: Option<Period> = None;
        let mut columns: Option<Vec<String>> = None;
        let mut held: Option<Vec<SheetTask>> = None;
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "ledger" => ledger = Some(map.next_value()?),
                "period" if streamed => {
                    return Err(A::Error::custom(
                        "period 写在了 tasks 之后：请把 period 放在 tasks 之前",
                    ));
                }
                "period" => period = map.next_value()?,
                "columns" => columns = Some(map.next_value()?),
                "tasks" if ledger.is_some() && (period.is_some() || columns.is_some()) => {
                    let head = LedgerSheet {
                        ledger: ledger.clone().unwrap_or_default(),
                        period,
                        columns: columns.clone().unwrap_or_default(),
                        tasks: Vec::new(),
                    };
                    (self.part)(SheetPart::Head(head)).map_err(A::Error::custom)?;
                    streamed = true;
                    map.next_value_seed(TasksSeed {
                        part: &mut *self.part,
                    })?;
                }
                "tasks" => held = Some(map.next_value()?),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        if streamed {
            return Ok(());
        }
        let ledger = ledger.ok_or_else(|| A::Error::missing_field("ledger"))?;
        let tasks = held.ok_or_else(|| A::Error::missing_field("tasks"))?;
        let head = LedgerSheet {
            ledger,
            period,
            columns: columns.unwrap_or_default(),
            tasks: Vec::new(),
        };
        (self.part)(SheetPart::Head(head)).map_err(A::Error::custom)?;
        for task in tasks {
            (self.part)(SheetPart::Task(task)).map_err(A::Error::custom)?;
        }
        Ok(())
    }
}

struct TasksSeed<'a> {
    part: &'a mut dyn FnMut(SheetPart) -> Result<(), String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for TasksSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for TasksSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of tasks")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(task) = seq.next_element::<SheetTask>()? {
            (self.part)(SheetPart::Task(task)).map_err(serde::de::Error::custom)?;
        }
        Ok(())
    }
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

    fn streamed(text: &str) -> Result<Vec<SheetPart>, ExtractError> {
        let mut parts = Vec::new();
        stream_ledger_json(text.as_bytes(), "s.json", &mut |part| {
            parts.push(part);
            Ok(())
        })?;
        Ok(parts)
    }

    #[test]
    fn a_streamed_sheet_gives_its_head_then_each_task() {
        let text = r#"{"ledger": "2023年台账", "period": "2023-08", "columns": ["goal"],
            "tasks": [{"seq": 1, "goal": "甲"}, {"seq": 2, "goal": "乙"}], "note": 1}"#;
        let parts = streamed(text).expect("streamed");
        let whole = parse_ledger_json(text, "s.json").expect("parsed");
        let mut expected = vec![SheetPart::Head(LedgerSheet {
            tasks: Vec::new(),
            ..whole.clone()
        })];
        expected.extend(whole.tasks.into_iter().map(SheetPart::Task));
        assert_eq!(parts, expected);
    }

    #[test]
    fn a_head_written_after_the_tasks_is_waited_for() {
        let text =
            r#"{"tasks": [{"seq": 1, "goal": "甲"}], "period": "2023-08", "ledger": "台账"}"#;
        let parts = streamed(text).expect("streamed");
        assert!(
            matches!(&parts[0], SheetPart::Head(h) if h.ledger == "台账" && h.period.is_some())
        );
        assert!(matches!(&parts[1], SheetPart::Task(t) if t.goal == "甲"));
        assert_eq!(parts.len(), 2);
    }

    #[test]
    fn streaming_errors_name_the_place_and_a_late_period_is_refused() {
        let text = "{\"ledger\": \"x\", \"columns\": [],\n\"tasks\": [{\"seq\": 1, \"goal\": \"g\"},\n{\"seq\": \"二\"}]}";
        let message = streamed(text).expect_err("bad seq").to_string();
        assert!(message.starts_with("s.json 第 3 行"), "{message}");

        let text = r#"{"ledger": "x", "columns": [], "tasks": [], "period": "2023-08"}"#;
        let message = streamed(text).expect_err("late period").to_string();
        assert!(message.contains("period 放在 tasks 之前"), "{message}");

        let mut seen = 0;
        let message = stream_ledger_json(
            r#"{"ledger": "x", "columns": [], "tasks": [{"seq": 1, "goal": "g"}]}"#.as_bytes(),
            "s.json",
            &mut |_| {
                seen += 1;
                if seen == 2 {
                    Err("写入已停止".to_owned())
                } else {
                    Ok(())
                }
            },
        )
        .expect_err("stopped")
        .to_string();
        assert!(message.contains("写入已停止"), "{message}");
    }
}
