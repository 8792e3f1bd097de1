//! Markdown, for quick reading in a terminal or a repository: pipe tables, line breaks inside
//! cells as <br>.

use std::fmt::Write;

use crate::Notice;

/// A cell made safe for a pipe table: `|` escaped, line breaks kept as <br>.
fn cell(text: &str) -> String {
    text.trim()
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "\n")
        .replace('\n', "<br>")
}

fn table(out: &mut String, headers: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(headers.iter().map(|h| cell(h)).collect()));
    out.push_str(&line(headers.iter().map(|_| "---".to_owned()).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| cell(c)).collect()));
    }
}

pub fn write(notice: &Notice) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# {}\n", notice.title);
    let _ = writeln!(out, "{}\n", notice.date_zh());
    let _ = writeln!(out, "{}\n", notice.summary_zh());
    table(
        &mut out,
        &notice.headers(),
        notice.rows.iter().map(|row| notice.row_cells(row)),
    );
    let _ = writeln!(out, "\n## 统计\n");
    for stat in notice.stat_tables() {
        let _ = writeln!(out, "### {}\n", stat.title);
        if stat.rows.is_empty() {
            out.push_str("无。\n\n");
            continue;
        }
        let headers: Vec<&str> = stat.headers.iter().map(String::as_str).collect();
        table(&mut out, &headers, stat.rows.into_iter());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_keep_pipes_and_line_breaks() {
        assert_eq!(
            cell("区发改局（牵头）\n区财政局"),
            "区发改局（牵头）<br>区财政局"
        );
        assert_eq!(cell("甲|乙"), "甲\\|乙");
    }
}
