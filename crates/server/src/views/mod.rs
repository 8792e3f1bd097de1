//! The pages' data, one askama template each (`templates/`). Templates escape everything they
//! print; nothing here builds HTML by hand.

use askama::Template;
use duban_app::selection::Selection;
use duban_core::AccountRole;
use duban_store::Account;

use crate::viewer::Viewer;

mod inspections;
mod ledger;
mod office;
mod plans;
mod targets;
mod tasks;

pub use inspections::*;
pub use ledger::*;
pub use office::*;
pub use plans::*;
pub use targets::*;
pub use tasks::*;

/// The frame around every page: title, who is logged in, the menu for their role.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub account: Option<Account>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

impl Layout {
    pub fn new(viewer: &Viewer, title: impl Into<String>, current: &str) -> Layout {
        use AccountRole::*;
        let items: &[(&'static str, &'static str)] = match viewer.role() {
            Office => &[
                ("/", "总览"),
                ("/ledger", "台账"),
                ("/review", "审核"),
                ("/targets", "目标分解"),
                ("/inspections", "督查"),
                ("/scores", "考核"),
                ("/notices", "通报"),
                ("/import", "导入"),
                ("/documents", "文件"),
                ("/accounts", "账号"),
                ("/units", "单位"),
                ("/notify", "提醒"),
                ("/me/messages", "消息"),
                ("/audit", "日志"),
                ("/help", "使用说明"),
            ],
            Leader => &[
                ("/", "总览"),
                ("/ledger", "台账"),
                ("/inspections", "督查"),
                ("/scores", "考核"),
                ("/documents", "文件"),
                ("/notices", "通报"),
                ("/me/messages", "消息"),
                ("/help", "使用说明"),
            ],
            Reporter | Head => &[
                ("/my", "我的任务"),
                ("/my/targets", "目标填报"),
                ("/my/rectifications", "整改"),
                ("/my/plan", "规划报送"),
                ("/me/messages", "消息"),
                ("/notices", "通报"),
                ("/help", "使用说明"),
            ],
            Public => &[("/notices", "通报"), ("/help", "使用说明")],
        };
        Layout {
            title: title.into(),
            account: viewer.account.clone(),
            csrf: viewer.csrf.clone(),
            nav: items
                .iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    active: *href == current,
                })
                .collect(),
        }
    }

    pub fn who(&self) -> String {
        match &self.account {
            Some(a) => {
                let unit = a
                    .unit
                    .as_ref()
                    .map(|u| format!(" · {}", u.name))
                    .unwrap_or_default();
                format!("{}（{}{}）", a.name, a.role.label_zh(), unit)
            }
            None => String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub message: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub next: String,
    pub login: String,
    pub error: Option<String>,
    /// No account exists yet: say how to make the first one.
    pub first_run: bool,
}

/// A choice in a filter or select: value, label, selected.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// The ledgers to choose from, the selection's marked.
    pub fn ledgers(selection: &Selection) -> Vec<Choice> {
        Choice::list(
            selection
                .summaries
                .iter()
                .map(|s| (s.ledger.name.clone(), s.ledger.name.clone())),
            &selection.ledger_name(),
        )
    }

    /// The periods to choose from, newest first, the selection's marked.
    pub fn periods(selection: &Selection) -> Vec<Choice> {
        let current = selection.period.map(|p| p.to_string()).unwrap_or_default();
        Choice::list(
            selection
                .periods()
                .into_iter()
                .map(|p| (p.to_string(), p.label_zh())),
            &current,
        )
    }

    /// The office's judgements (完成 / 部分完成 / 未完成), the suggested one selected.
    pub fn judgements(suggested: Option<duban_core::Status>) -> Vec<Choice> {
        use duban_core::Status;
        Choice::list(
            [Status::Done, Status::Partial, Status::NotDone]
                .iter()
                .map(|s| (s.code().to_owned(), s.label_zh().to_owned())),
            suggested.map_or("", |s| s.code()),
        )
    }

    pub fn list(values: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
        values
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == current,
                value,
                label,
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct StatusCount {
    pub code: &'static str,
    pub label: &'static str,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    /// A unit head: the signing key follows the password.
    pub head: bool,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "help.html")]
pub struct HelpPage {
    pub layout: Layout,
    /// The role's code (office, leader, reporter, head, public).
    pub role: &'static str,
    pub role_label: String,
}
