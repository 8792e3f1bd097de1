//! The closed sets of words of the domain (完成状态, 责任分工, 单位类型, 文件类型, 报送频次), each with
//! an English code for the ledger JSON and the database and a Chinese label for people, and the
//! `coded_enum!` macro the other modules use for theirs. The bottom of the crate: it uses nothing
//! else of it (words ← period ← calendar ← model).

/// A closed set of words with an English code (ledger JSON, database) and a Chinese label.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal / $zh:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The code used in the ledger JSON and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// The word a Chinese reader sees.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),* }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label_zh())
            }
        }

        /// Accepts the code or the Chinese label.
        impl ::std::str::FromStr for $name {
            type Err = $crate::words::UnknownWord;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let text = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == text || v.label_zh() == text)
                    .ok_or_else(|| $crate::words::UnknownWord {
                        what: $what,
                        input: s.to_owned(),
                        expected: $name::ALL
                            .iter()
                            .map(|v| format!("{}（{}）", v.code(), v.label_zh()))
                            .collect::<Vec<_>>()
                            .join("、"),
                    })
            }
        }
    };
}

pub(crate) use coded_enum;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的{what} \"{input}\"：应为 {expected}")]
pub struct UnknownWord {
    pub what: &'static str,
    pub input: String,
    pub expected: String,
}

coded_enum!(
    /// Where a task stands for a period (完成情况).
    Status, "完成状态" {
        Done = "done" / "完成",
        Partial = "partial" / "部分完成",
        NotDone = "not_done" / "未完成",
        /// Nothing came in for the period (未报送).
        Unreported = "unreported" / "未报送",
    }
);

coded_enum!(
    /// What a unit does for a task (责任分工).
    Role, "责任分工" {
        Lead = "lead" / "牵头",
        Support = "support" / "配合",
        DataSource = "data_source" / "提供数据",
    }
);

coded_enum!(
    /// The kind of a responsible unit (单位类型).
    UnitKind, "单位类型" {
        /// 区直部门
        Department = "department" / "部门",
        /// 镇、街道
        Town = "town" / "镇街",
        /// 开发区、园区
        Zone = "zone" / "园区",
        /// 国有企业等
        Company = "company" / "企业",
    }
);

coded_enum!(
    /// What kind of text a document is.
    DocumentKind, "文件类型" {
        /// 政府工作报告
        Report = "report" / "政府工作报告",
        /// 规划纲要
        Plan = "plan" / "规划纲要",
        /// 通知、通报
        Notice = "notice" / "通知通报",
    }
);

coded_enum!(
    /// How often a ledger asks for progress (报送频次).
    Cadence, "报送频次" {
        Monthly = "monthly" / "按月",
        Quarterly = "quarterly" / "按季度",
        HalfYearly = "half_yearly" / "按半年",
        Yearly = "yearly" / "按年",
    }
);
