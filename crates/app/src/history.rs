//! The audit log as people read it: who (by name), when (Beijing time), what, in one Chinese
//! sentence, and the fields that changed (before → after). Never raw JSON, an English action
//! name or a base64 signature.

use std::collections::HashMap;

use duban_core::{Period, ReportAction, ReportState, Status};
use duban_store::AuditEntry;
use serde_json::Value;

/// One log entry for people.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LogLine {
    pub id: i64,
    /// 2026-12-01 21:52 (Beijing time).
    pub at: String,
    /// 王督查（ducha）, or 系统.
    pub who: String,
    /// 保存草稿 · 区发改局 2023年9月份报送
    pub what: String,
    /// Field, before, after.
    pub changes: Vec<Change>,
    pub task_id: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// People's names by login, to name the actor.
pub type Names = HashMap<String, String>;

pub fn names(accounts: &[duban_store::Account]) -> Names {
    accounts
        .iter()
        .map(|a| (a.login.clone(), a.name.clone()))
        .collect()
}

/// The names of every account, by login.
pub async fn load_names(app: &crate::App) -> Result<Names, crate::Error> {
    Ok(names(&app.store.accounts().await?))
}

/// A login as people read it: 张局长（fuzeren）; the text unchanged when it names no account
/// (系统, 演示数据).
pub fn person(names: &Names, login: &str) -> String {
    match names.get(login) {
        Some(name) if name != login => format!("{name}（{login}）"),
        _ => login.to_owned(),
    }
}

/// Describes the entries for people.
pub fn describe(entries: &[AuditEntry], names: &Names) -> Vec<LogLine> {
    entries.iter().map(|e| line(e, names)).collect()
}

fn text(value: Option<&Value>, key: &str) -> String {
    match value.and_then(|v| v.get(key)) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn period_label(code: &str) -> String {
    code.parse::<Period>()
        .map_or_else(|_| code.to_owned(), |p| p.label_zh())
}

fn state_label(code: &str) -> String {
    code.parse::<ReportState>()
        .map_or_else(|_| code.to_owned(), |s| s.label_zh().to_owned())
}

fn status_label(code: &str) -> String {
    code.parse::<Status>()
        .map_or_else(|_| code.to_owned(), |s| s.label_zh().to_owned())
}

fn line(e: &AuditEntry, names: &Names) -> LogLine {
    let (before, after) = (e.before.as_ref(), e.after.as_ref());
    let who = person(names, &e.actor);
    let account = || {
        let (login, name) = (text(after, "login"), text(after, "name"));
        if name.is_empty() {
            login
        } else {
            format!("{login}（{name}）")
        }
    };
    let mut changes = Vec::new();
    let what = match e.action.as_str() {
        "login" => "登录".to_owned(),
        "create_account" => {
            let role = text(after, "role")
                .parse::<duban_core::AccountRole>()
                .map_or_else(|_| String::new(), |r| format!("，{}", r.label_zh()));
            let unit = text(after, "unit");
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!("，{unit}")
            };
            format!("新建账号 {}{role}{unit}", account())
        }
        "change_password" => "修改了自己的密码".to_owned(),
        "reset_password" => format!("重设账号 {} 的密码", account()),
        "disable_account" => format!("停用账号 {}", account()),
        "enable_account" => format!("启用账号 {}", account()),
        "unblock_login" => format!(
            "解除账号 {} 的登录限制（清除 {} 次失败记录）",
            text(after, "login"),
            text(after, "attempts")
        ),
        "import" => {
            let period = text(after, "period");
            let period = if period.is_empty() {
                String::new()
            } else {
                format!("（{}）", period_label(&period))
            };
            format!(
                "导入台账“{}”{period}：共 {} 项，新增 {}，更新 {}，未变 {}",
                text(after, "ledger"),
                text(after, "tasks"),
                text(after, "added"),
                text(after, "updated"),
                text(after, "unchanged")
            )
        }
        "import_document" => {
            let kind = text(after, "kind")
                .parse::<duban_core::DocumentKind>()
                .map_or_else(|_| String::new(), |k| k.label_zh().to_owned());
            format!(
                "导入{kind}《{}》：{} 段，指标 {} 项，项目 {} 个",
                text(after, "title"),
                text(after, "passages"),
                text(after, "indicators"),
                text(after, "projects")
            )
        }
        "remind" => {
            let unit = text(after, "unit");
            format!(
                "催办{} {} 的报送",
                if unit.is_empty() {
                    String::new()
                } else {
                    format!(" {unit}")
                },
                period_label(&text(after, "period"))
            )
        }
        "publish" => format!(
            "发布通报“{}”（{} 项任务），{} 的报送随之锁定",
            text(after, "title"),
            text(after, "tasks"),
            period_label(&text(after, "period"))
        ),
        "unlock" => format!(
            "解锁 {} 的报送以便更正，理由：{}",
            period_label(&text(after, "period")),
            text(after, "reason")
        ),
        "add_alias" => {
            let moved = text(after, "merged_tasks");
            let merged = if moved.is_empty() || moved == "0" {
                String::new()
            } else {
                format!("，并入 {moved} 项任务")
            };
            format!("登记单位别名“{}”{merged}", text(after, "alias"))
        }
        "add_task" => format!(
            "新增任务（序号 {}）：{}。理由：{}",
            text(after, "seq"),
            text(after, "goal"),
            text(after, "reason")
        ),
        "withdraw_task" => format!(
            "撤销任务（序号 {}），此后不再报送和统计。理由：{}",
            text(after, "seq"),
            text(after, "reason")
        ),
        "merge_task" => {
            let merged = after.and_then(|a| a.get("merged"));
            format!(
                "将序号 {} 的任务并入本任务。理由：{}",
                text(merged, "seq"),
                text(after, "reason")
            )
        }
        "merged_away" => format!(
            "本任务并入序号 {} 的任务，此后不再单独报送和统计。理由：{}",
            text(after, "into_seq"),
            text(after, "reason")
        ),
        "reassign_task" => {
            let units = |v: Option<&Value>| {
                v.and_then(|v| v.get("units"))
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .map(|u| {
                                let name = u["name"].as_str().unwrap_or_default();
                                match u["role"].as_str() {
                                    Some("lead") => format!("{name}（牵头）"),
                                    _ => name.to_owned(),
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("、")
                    })
                    .unwrap_or_default()
            };
            changes.push(Change {
                field: "责任单位".to_owned(),
                before: units(before),
                after: units(after),
            });
            format!("改派责任单位。理由：{}", text(after, "reason"))
        }
        "attach" => format!(
            "上传 {} 的证明材料《{}》（{} 字节）",
            period_label(&text(after, "period")),
            text(after, "name"),
            text(after, "size")
        ),
        "request_extension" => format!(
            "申请将 {} 的报送截止延至 {}，理由：{}",
            period_label(&text(after, "period")),
            text(after, "asked_due"),
            text(after, "reason")
        ),
        "grant_extension" => format!(
            "批准 {} {} 的报送截止延至 {}{}",
            text(after, "unit"),
            period_label(&text(after, "period")),
            text(after, "due"),
            match text(after, "comment") {
                c if c.is_empty() => String::new(),
                c => format!("，意见：{c}"),
            }
        ),
        "refuse_extension" => format!(
            "不批准 {} {} 的延期申请，意见：{}",
            text(after, "unit"),
            period_label(&text(after, "period")),
            text(after, "comment")
        ),
        "open_round" => format!(
            "开启 {} 的目标分解，报送截止 {}",
            period_label(&text(after, "period")),
            text(after, "due")
        ),
        "set_milestone" => {
            let period = e
                .entity
                .rsplit(':')
                .next()
                .map(period_label)
                .unwrap_or_default();
            changes.push(Change {
                field: "阶段目标".to_owned(),
                before: match text(before, "target") {
                    b if b.is_empty() => "—".to_owned(),
                    b => b,
                },
                after: text(after, "target"),
            });
            format!("采纳的目标成为 {period}阶段目标")
        }
        code => match code.parse::<ReportAction>() {
            Ok(action) => {
                // report:TASK:PERIOD:UNIT, or target:TASK:PERIOD:UNIT for a target round
                let is_target = e.entity.starts_with("target:");
                let mut parts = e.entity.splitn(4, ':').skip(2);
                let period = parts.next().map(period_label).unwrap_or_default();
                let unit = parts.next().unwrap_or_default();
                for (key, field, label) in [
                    ("state", "状态", state_label as fn(&str) -> String),
                    ("status", "评定", status_label),
                ] {
                    let (b, a) = (text(before, key), text(after, key));
                    if a != b && !a.is_empty() {
                        changes.push(Change {
                            field: field.to_owned(),
                            before: if b.is_empty() {
                                "—".to_owned()
                            } else {
                                label(&b)
                            },
                            after: label(&a),
                        });
                    }
                }
                let (b, a) = (text(before, "body"), text(after, "body"));
                if a != b && !a.is_empty() {
                    changes.push(Change {
                        field: if is_target {
                            "阶段目标"
                        } else {
                            "完成情况"
                        }
                        .to_owned(),
                        before: if b.is_empty() { "—".to_owned() } else { b },
                        after: a,
                    });
                }
                let comment = text(after, "comment");
                if !comment.is_empty() && comment != text(before, "comment") {
                    changes.push(Change {
                        field: "意见".to_owned(),
                        before: String::new(),
                        after: comment,
                    });
                }
                let signed =
                    if action == ReportAction::Approve && !text(after, "signature").is_empty() {
                        "（已电子签名）"
                    } else {
                        ""
                    };
                let what = if is_target { "阶段目标" } else { "报送" };
                format!("{} · {unit} {period}{what}{signed}", action_words(action))
            }
            Err(_) => format!("其他操作（{code}）"),
        },
    };
    LogLine {
        id: e.id,
        at: duban_core::beijing::beijing(&e.at),
        who,
        what,
        changes,
        task_id: e.task_id,
    }
}

fn action_words(action: ReportAction) -> &'static str {
    match action {
        ReportAction::Save => "保存草稿",
        ReportAction::Approve => "审核并签名",
        ReportAction::SendBack => "退回填报人修改",
        ReportAction::Submit => "报送督查室",
        ReportAction::Accept => "采纳",
        ReportAction::Return => "退回单位",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn entry(
        action: &str,
        entity: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: "2026-12-01T13:52:50Z".to_owned(),
            actor: "fuzeren".to_owned(),
            action: action.to_owned(),
            entity: entity.to_owned(),
            task_id: Some(3),
            before,
            after,
        }
    }

    #[test]
    fn a_report_step_reads_as_a_sentence_with_its_changes() {
        let names: Names = [("fuzeren".to_owned(), "张局长".to_owned())].into();
        let e = entry(
            "approve",
            "report:3:2023-09:区发改局",
            Some(json!({"state": "draft", "body": "九月完成投资1.2亿元", "signature": null})),
            Some(
                json!({"state": "approved", "body": "九月完成投资1.2亿元", "signature": "c2lnbmF0dXJl", "signer_key": "a2V5"}),
            ),
        );
        let line = &describe(&[e], &names)[0];
        assert_eq!(line.at, "2026-12-01 21:52");
        assert_eq!(line.who, "张局长（fuzeren）");
        assert_eq!(
            line.what,
            "审核并签名 · 区发改局 2023年9月份报送（已电子签名）"
        );
        assert_eq!(line.changes.len(), 1, "{:?}", line.changes);
        assert_eq!(
            (
                line.changes[0].field.as_str(),
                line.changes[0].before.as_str(),
                line.changes[0].after.as_str()
            ),
            ("状态", "草稿", "负责人已审核")
        );
        let shown = format!("{line:?}");
        for raw in ["c2lnbmF0dXJl", "a2V5", "approved", "signer_key"] {
            assert!(!shown.contains(raw), "{raw} in {shown}");
        }
    }

    #[test]
    fn every_action_the_store_writes_has_words() {
        let names = Names::new();
        for (action, after) in [
            ("login", json!(null)),
            (
                "create_account",
                json!({"login": "x", "name": "甲", "role": "office"}),
            ),
            ("change_password", json!({"login": "x", "name": "甲"})),
            ("reset_password", json!({"login": "x", "name": "甲"})),
            ("disable_account", json!({"login": "x", "name": "甲"})),
            ("enable_account", json!({"login": "x", "name": "甲"})),
            ("unblock_login", json!({"login": "x", "attempts": 5})),
            (
                "import",
                json!({"ledger": "台账", "period": "2023-08", "tasks": 3, "added": 3, "updated": 0, "unchanged": 0}),
            ),
            ("remind", json!({"period": "2023-09", "unit": "区发改局"})),
            (
                "import_document",
                json!({"title": "政府工作报告", "kind": "report", "passages": 80, "indicators": 0, "projects": 0}),
            ),
            (
                "publish",
                json!({"ledger": "台账", "period": "2023-08", "title": "通报", "tasks": 124}),
            ),
            ("unlock", json!({"period": "2023-08", "reason": "更正"})),
            (
                "add_alias",
                json!({"alias": "区发展和改革局", "merged_tasks": 2}),
            ),
            ("accept", json!({"state": "accepted", "status": "done"})),
        ] {
            let line = line(
                &entry(action, "report:3:2023-09:区发改局", None, Some(after)),
                &names,
            );
            assert!(
                !line.what.is_empty() && !line.what.contains("其他操作"),
                "{action}: {}",
                line.what
            );
            assert!(!line.what.is_ascii(), "{action}: {}", line.what);
            assert!(
                !line.what.contains('{') && !line.what.contains("null"),
                "{action}: {}",
                line.what
            );
        }
    }

    #[test]
    fn target_steps_and_milestones_read_as_sentences() {
        let names = Names::new();
        let saved = entry(
            "save",
            "target:3:2023-11:区发改局",
            None,
            Some(json!({"state": "draft", "body": "11月底前完成主体工程"})),
        );
        let milestone = entry(
            "set_milestone",
            "milestone:3:2023-11",
            Some(json!({"target": "完成前期手续"})),
            Some(json!({"target": "11月底前完成主体工程"})),
        );
        let opened = entry(
            "open_round",
            "round:1:2023-11",
            None,
            Some(json!({"period": "2023-11", "due": "2026-12-04"})),
        );
        let lines = describe(&[saved, milestone, opened], &names);
        assert_eq!(lines[0].what, "保存草稿 · 区发改局 2023年11月份阶段目标");
        assert_eq!(lines[0].changes[1].field, "阶段目标");
        assert_eq!(lines[1].what, "采纳的目标成为 2023年11月份阶段目标");
        assert_eq!(lines[1].changes[0].before, "完成前期手续");
        assert_eq!(
            lines[2].what,
            "开启 2023年11月份 的目标分解，报送截止 2026-12-04"
        );
    }
}
