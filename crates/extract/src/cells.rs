//! What a cell of a supervision table means: the status word that opens a progress text, the
//! persons in a leaders cell, the units and their roles in a units cell.
//!
//! The rules follow how offices write these cells, not one district's table: a status word is
//! followed by punctuation; personal names are padded to three characters (高  晋); unit names
//! end in one of the words administrations use for themselves (局, 委员会, 中心, 街道 …).

use duban_core::{Role, SheetUnit, Status, normalize_name};

/// Status words, longest first so that 部分完成 and 未完成 are not read as 完成.
const STATUS_WORDS: &[(&str, Status)] = &[
    ("部分完成", Status::Partial),
    ("基本完成", Status::Partial),
    ("未完成", Status::NotDone),
    ("未报送", Status::Unreported),
    ("已完成", Status::Done),
    ("完成", Status::Done),
];

/// Punctuation that may follow the status word.
const AFTER_STATUS: &[char] = &[
    '。', '，', ',', '.', '；', ';', '：', ':', '！', ' ', '\u{3000}', '\n',
];

/// Splits "部分完成。一般公共预算收入…" into the status and the rest. The word must stand alone
/// (followed by punctuation or nothing): "完成投资20亿元" is a text, not a verdict.
pub fn split_status(text: &str) -> (Option<Status>, String) {
    let trimmed = text.trim();
    for (word, status) in STATUS_WORDS {
        if let Some(rest) = trimmed.strip_prefix(word)
            && (rest.is_empty() || rest.starts_with(AFTER_STATUS))
        {
            let rest = rest.trim_start_matches(AFTER_STATUS).trim();
            return (Some(*status), rest.to_owned());
        }
    }
    (None, trimmed.to_owned())
}

/// Separators between names in a cell.
const NAME_SEPARATORS: &[char] = &['、', '，', ',', '；', ';', '/', '／', '\n'];

/// The persons in a leaders cell (分管领导). Whitespace between single characters is padding
/// inside one name (高  晋); whitespace between names of their own separates them (郭克华 贾继元);
/// other spacing was typed for alignment across names run together (王 强李 华), which the
/// surnames split (王强, 李华).
pub fn split_leaders(cell: &str) -> Vec<String> {
    let mut names = Vec::new();
    for piece in cell.split(NAME_SEPARATORS) {
        let tokens: Vec<&str> = piece.split_whitespace().collect();
        if tokens.is_empty() {
            continue;
        }
        if tokens.iter().all(|t| t.chars().count() == 1) {
            names.push(tokens.concat());
            continue;
        }
        let whole_names = tokens.iter().all(|t| {
            (2..=4).contains(&t.chars().count())
                && crate::names::split_run(t, &[]).is_some_and(|names| names.len() == 1)
        });
        if !whole_names {
            let mut breaks = Vec::new();
            let mut at = 0;
            for t in &tokens {
                at += t.chars().count();
                breaks.push(at);
            }
            if let Some(split) = crate::names::split_run(&tokens.concat(), &breaks) {
                names.extend(split);
                continue;
            }
        }
        names.extend(tokens.iter().map(|t| (*t).to_owned()));
    }
    names
}

/// Endings of unit names. A line of a wrapped cell that ends in none of them continues on the
/// next line (临淄规划管理 / 办公室).
pub(crate) const UNIT_ENDINGS: &[&str] = &[
    "局",
    "委",
    "委员会",
    "管委会",
    "办",
    "办公室",
    "室",
    "中心",
    "院",
    "部",
    "处",
    "所",
    "站",
    "队",
    "社",
    "行",
    "会",
    "团",
    "厅",
    "公司",
    "集团",
    "镇",
    "街道",
    "乡",
    "分局",
    "支队",
    "大队",
    "中队",
    "法院",
    "检察院",
    "政府",
    "医院",
    "学校",
    "园区",
    "开发区",
    "示范区",
    "工业区",
    "新区",
    "馆",
    "台",
    "监狱",
    "区",
    "办事处",
    "委会",
    "联",
    "协会",
    "供电",
    "分公司",
    "单位",
    // Task forces and headquarters set up for one job.
    "专班",
    "工作组",
    "小组",
    "指挥部",
    "镇街",
    "各镇",
    "各部门",
];

const LEAD_MARKERS: &[&str] = &["（牵头）", "(牵头)", "（牵头)", "(牵头）", "牵头"];
const DATA_MARKERS: &[&str] = &["提供数据", "（提供数据）", "(提供数据)"];
const SUPPORT_MARKERS: &[&str] = &["（配合）", "(配合)", "配合"];

/// How sure the reader is of a units cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitsCell {
    pub units: Vec<SheetUnit>,
    /// Lines that were joined because the first did not end like a unit name.
    pub joined: Vec<String>,
}

/// The units of a units cell (责任单位) with their roles: （牵头） marks the lead, otherwise the
/// first unit leads; "区统计局提供数据" makes 区统计局 a data source; the others support.
pub fn split_units(cell: &str) -> UnitsCell {
    let mut joined = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut pending = String::new();
    // A bracket wrapped onto the next line (区委宣传部（牵头 / ）) is closed before splitting.
    let mut pieces: Vec<String> = Vec::new();
    for piece in cell.split(['、', '，', ',', '；', ';', '\n', ' ', '\u{3000}', '\t']) {
        match pieces.last_mut() {
            Some(last) if last.matches(['（', '(']).count() > last.matches(['）', ')']).count() =>
            {
                last.push_str(piece.trim());
            }
            _ => pieces.push(piece.to_owned()),
        }
    }
    for piece in &pieces {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        // A bare role marker, or a bare ending (管委会 after 临淄经济开发区, also with its
        // marker: 会（牵头）), on its own line belongs to the unit before it.
        if (is_marker(piece) || UNIT_ENDINGS.contains(&strip_role(piece).0.as_str()))
            && pending.is_empty()
            && let Some(last) = names.last_mut()
        {
            last.push_str(piece);
            continue;
        }
        if !pending.is_empty() {
            joined.push(format!("{pending}|{piece}"));
        }
        pending.push_str(piece);
        if ends_like_unit(&pending) {
            names.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        names.push(pending);
    }

    let mut units: Vec<SheetUnit> = Vec::new();
    let mut marked_lead = false;
    for raw in names {
        let (name, role) = strip_role(&raw);
        let name = normalize_name(&name);
        if name.is_empty() {
            continue;
        }
        marked_lead |= role == Some(Role::Lead);
        if units.iter().any(|u| u.name == name) {
            continue;
        }
        units.push(SheetUnit {
            name,
            role: role.unwrap_or(Role::Support),
        });
    }
    if !marked_lead && let Some(first) = units.iter_mut().find(|u| u.role == Role::Support) {
        first.role = Role::Lead;
    }
    UnitsCell { units, joined }
}

/// The rest of a role marker wrapped onto its own line (牵头）after 区投资促进中心（).
pub(crate) fn is_marker_tail(piece: &str) -> bool {
    !piece.is_empty()
        && LEAD_MARKERS
            .iter()
            .chain(DATA_MARKERS)
            .chain(SUPPORT_MARKERS)
            .any(|m| m.ends_with(piece))
}

fn is_marker(piece: &str) -> bool {
    LEAD_MARKERS
        .iter()
        .chain(DATA_MARKERS)
        .chain(SUPPORT_MARKERS)
        .any(|m| piece == *m)
}

pub(crate) fn ends_like_unit(text: &str) -> bool {
    let (name, role) = strip_role(text);
    role.is_some() || UNIT_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// Removes a role marker from the end of a name.
fn strip_role(text: &str) -> (String, Option<Role>) {
    let text = text.trim();
    for (markers, role) in [
        (DATA_MARKERS, Role::DataSource),
        (LEAD_MARKERS, Role::Lead),
        (SUPPORT_MARKERS, Role::Support),
    ] {
        for marker in markers {
            if let Some(name) = text.strip_suffix(marker)
                && !name.is_empty()
            {
                return (name.trim().to_owned(), Some(role));
            }
        }
    }
    (text.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str, role: Role) -> SheetUnit {
        SheetUnit {
            name: name.into(),
            role,
        }
    }

    #[test]
    fn status_words_open_the_progress_text() {
        assert_eq!(
            split_status("部分完成。一般公共预算收入同比增长6.29%"),
            (
                Some(Status::Partial),
                "一般公共预算收入同比增长6.29%".to_owned()
            )
        );
        assert_eq!(
            split_status("未完成。1-7月份"),
            (Some(Status::NotDone), "1-7月份".to_owned())
        );
        assert_eq!(
            split_status(" 完成。截至8月底"),
            (Some(Status::Done), "截至8月底".to_owned())
        );
        assert_eq!(
            split_status("部分完成。 1.因睿霖"),
            (Some(Status::Partial), "1.因睿霖".to_owned())
        );
        assert_eq!(split_status("完成"), (Some(Status::Done), String::new()));
        assert_eq!(
            split_status("完成投资20亿元"),
            (None, "完成投资20亿元".to_owned())
        );
        assert_eq!(split_status("正在推进"), (None, "正在推进".to_owned()));
    }

    #[test]
    fn leaders_split_into_persons() {
        assert_eq!(
            split_leaders("郭克华\n贾继元\n房美男\n于海南"),
            ["郭克华", "贾继元", "房美男", "于海南"]
        );
        assert_eq!(split_leaders("郭克华\n高  晋"), ["郭克华", "高晋"]);
        assert_eq!(split_leaders("郭克华 贾继元"), ["郭克华", "贾继元"]);
        assert_eq!(split_leaders("郭克华、高 晋"), ["郭克华", "高晋"]);
        // Spaced for alignment, two persons run together; a compound surname stays whole.
        assert_eq!(split_leaders("王 强李 华"), ["王强", "李华"]);
        assert_eq!(split_leaders("欧阳 明 李 华"), ["欧阳明", "李华"]);
        assert!(split_leaders("  \n").is_empty());
    }

    #[test]
    fn units_with_lead_marker_support_and_data_source() {
        let cell = split_units(
            "区发改局\n（牵头）\n区财政局\n区商务局\n临淄生态环境\n分局\n区统计局提供\n数据",
        );
        assert_eq!(
            cell.units,
            [
                unit("区发改局", Role::Lead),
                unit("区财政局", Role::Support),
                unit("区商务局", Role::Support),
                unit("临淄生态环境分局", Role::Support),
                unit("区统计局", Role::DataSource),
            ]
        );
        assert_eq!(cell.joined.len(), 2, "{:?}", cell.joined);
    }

    #[test]
    fn wrapped_unit_names_are_joined() {
        let cell = split_units(
            "区发改局\n(牵头）\n临淄经济开发\n区管委会\n区自然资源局\n临淄规划管理\n办公室\n区投资促进\n中心\n区大数据中心",
        );
        let names: Vec<&str> = cell.units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "区发改局",
                "临淄经济开发区管委会",
                "区自然资源局",
                "临淄规划管理办公室",
                "区投资促进中心",
                "区大数据中心"
            ]
        );
        assert_eq!(cell.units[0].role, Role::Lead);
        let cell = split_units("临淄经济开发区\n管委会\n区发改局");
        let names: Vec<&str> = cell.units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["临淄经济开发区管委会", "区发改局"]);
    }

    #[test]
    fn the_first_unit_leads_when_none_is_marked() {
        let cell = split_units("区财政局、区农业农村局");
        assert_eq!(
            cell.units,
            [
                unit("区财政局", Role::Lead),
                unit("区农业农村局", Role::Support)
            ]
        );
        let cell = split_units("区统计局提供数据、区发改局");
        assert_eq!(
            cell.units,
            [
                unit("区统计局", Role::DataSource),
                unit("区发改局", Role::Lead)
            ]
        );
    }
}
