//! Tables as text extracted from a PDF: a title, a header of column names on one line, then the
//! rows, each cell wrapped at its column's width and the cells of a row laid out one block after
//! another (sometimes two on one line, joined by spaces), with page footers and repeated headers
//! in between.
//!
//! The reader uses the layout's own signals rather than rules for one file: row numbers increase
//! by one; a line far wider than the table's usual line holds two cells; a progress cell opens
//! with a status word; leaders are short personal names that recur through the table; units end
//! like unit names. Columns are taken in the header's order.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use crate::ExtractError;
use crate::cells::{ends_like_unit, split_status};
use crate::columns::{ColumnKind, classify};
use crate::grid::{Grid, GridRow};

/// Whether the text looks like a PDF table: a line with several column names separated by spaces.
pub fn looks_like_pdf_table(text: &str) -> bool {
    find_header(&text.lines().collect::<Vec<_>>()).is_some()
}

/// Reads the table into a grid whose first column is the row number (序号).
pub fn read_pdf_text(text: &str, origin: &str) -> Result<Grid, ExtractError> {
    let lines: Vec<&str> = text.lines().collect();
    let (header_index, header_cells) =
        find_header(&lines).ok_or_else(|| ExtractError::NoHeader {
            origin: origin.to_owned(),
            found: lines
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
                .map(|l| l.chars().take(40).collect())
                .unwrap_or_default(),
        })?;
    let header_text = normalize_spaces(lines[header_index]);
    let title = lines[..header_index]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !is_seq_header_fragment(l))
        .map(str::to_owned);

    // The body without page furniture; blank lines are kept, they separate cells.
    // A page break can fall inside a cell: the blank lines around the furniture are not cell
    // boundaries, so they go with it.
    let mut body: Vec<(usize, String)> = Vec::new();
    let mut after_furniture = false;
    for (index, raw) in lines.iter().enumerate().skip(header_index + 1) {
        let trimmed = raw.trim();
        let furniture = normalize_spaces(raw) == header_text
            || title.as_deref().is_some_and(|t| trimmed == t)
            || is_page_footer(trimmed)
            || (is_seq_header_fragment(trimmed)
                && near_repeated_header(&lines, index, &header_text));
        if furniture {
            while body.last().is_some_and(|(_, l)| l.trim().is_empty()) {
                body.pop();
            }
            after_furniture = true;
            continue;
        }
        if after_furniture && trimmed.is_empty() {
            continue;
        }
        after_furniture = false;
        body.push((index + 1, dejustify(raw.trim_end())));
    }

    let wide = wide_line_threshold(&body);
    let names = recurring_names(&body);
    // The row number is read by the rows themselves; a 序号 printed in the header line is not
    // a column of cells.
    let header_cells: Vec<String> = header_cells
        .into_iter()
        .filter(|h| classify(h) != ColumnKind::Seq)
        .collect();
    let columns: Vec<ColumnKind> = header_cells.iter().map(|h| classify(h)).collect();
    let rows = split_rows(&body);
    let mut grid_rows = Vec::with_capacity(rows.len());
    for row in rows {
        let pieces = pieces(&row.lines, wide, &names);
        let cells = assign(&pieces, &columns, &names);
        let mut all = vec![row.seq.to_string()];
        all.extend(cells);
        grid_rows.push(GridRow {
            place: format!("第 {} 行", row.first_line),
            cells: all,
        });
    }
    let mut header = vec!["序号".to_owned()];
    header.extend(header_cells);
    Ok(Grid {
        title,
        header,
        header_place: format!("第 {} 行", header_index + 1),
        rows: grid_rows,
    })
}

/// The header: the first line whose space-separated words include the goal column and at least
/// two other recognized columns.
fn find_header(lines: &[&str]) -> Option<(usize, Vec<String>)> {
    lines.iter().enumerate().find_map(|(i, line)| {
        // Tab-separated headers belong to the TSV reader.
        if line.contains('\t') {
            return None;
        }
        let cells: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        let kinds: Vec<ColumnKind> = cells.iter().map(|c| classify(c)).collect();
        let known = kinds.iter().filter(|k| **k != ColumnKind::Other).count();
        (kinds.contains(&ColumnKind::Goal) && known >= 3 && known == cells.len())
            .then_some((i, cells))
    })
}

fn normalize_spaces(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 序号 printed over two lines above the header (序 / 号).
fn is_seq_header_fragment(line: &str) -> bool {
    matches!(line, "序" | "号" | "序号")
}

fn near_repeated_header(lines: &[&str], index: usize, header: &str) -> bool {
    lines[index..lines.len().min(index + 4)]
        .iter()
        .any(|l| normalize_spaces(l) == header)
}

/// 第 19 页，共 26 页 / - 19 - / 19/26
pub(crate) fn is_page_footer(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    (compact.starts_with('第') && compact.contains('页') && compact.len() <= 40)
        || (compact.starts_with(['-', '—'])
            && compact.ends_with(['-', '—'])
            && compact.chars().any(|c| c.is_ascii_digit())
            && compact.chars().count() <= 8)
}

/// Undoes letter-spacing of justified lines (完 成 。 截 至 8 月 底): when most of a line's words
/// are single characters, the spaces are layout, not text.
fn dejustify(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
    let single = words.iter().filter(|w| w.chars().count() == 1).count();
    if words.len() >= 6 && single * 10 >= words.len() * 7 {
        words.concat()
    } else {
        line.to_owned()
    }
}

/// Lines wider than this hold more than one cell: well beyond what nearly every line reaches.
fn wide_line_threshold(body: &[(usize, String)]) -> usize {
    let mut widths: Vec<usize> = body
        .iter()
        .map(|(_, l)| l.trim().width())
        .filter(|w| *w > 0)
        .collect();
    widths.sort_unstable();
    let p95 = widths.get(widths.len() * 95 / 100).copied().unwrap_or(30);
    p95 * 7 / 5
}

/// Personal-name-shaped lines that occur more than once: the table's leaders. A line continued
/// by a bare unit ending (临淄公安 / 分局) is a wrapped unit and does not count.
fn recurring_names(body: &[(usize, String)]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let texts: Vec<&str> = body
        .iter()
        .map(|(_, l)| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    for (i, line) in texts.iter().enumerate() {
        if texts.get(i + 1).is_some_and(|next| is_bare_ending(next)) {
            continue;
        }
        if let Some((name, _)) = split_name_and_rest(line, &HashMap::new()) {
            *counts.entry(name).or_default() += 1;
        }
    }
    counts.retain(|_, n| *n >= 2);
    counts
}

/// A personal name: two to four Chinese characters (padding spaces allowed), no punctuation, not
/// ending like a unit.
fn name_shaped(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let n = compact.chars().count();
    let han = compact
        .chars()
        .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '·');
    (han && (2..=4).contains(&n) && !ends_like_unit(&compact)).then_some(compact)
}

/// Splits "高  晋 区节办" or "郭克华 区发改局" into the leading personal name and what follows
/// it on the line. The rest must look like a unit, unless the name is one of the table's
/// recurring leaders in `known` (then the rest may be a wrapped unit's first line).
fn split_name_and_rest(
    line: &str,
    known: &HashMap<String, usize>,
) -> Option<(String, Option<String>)> {
    if let Some(name) = name_shaped(line) {
        return Some((name, None));
    }
    // A padded two-character name (高  晋) or an unpadded one, then a space, then the rest.
    let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
    for take in [2, 1] {
        if words.len() > take && (take == 2) == (words[0].chars().count() == 1) {
            let rest = words[take..].join(" ");
            if let Some(name) = name_shaped(&words[..take].concat())
                && (known.contains_key(&name)
                    || ends_like_unit(rest.trim_end_matches([')', '）']).trim()))
            {
                return Some((name, Some(rest)));
            }
        }
    }
    None
}

struct Row {
    seq: u32,
    first_line: usize,
    lines: Vec<(usize, String)>,
}

/// Splits the body at row numbers: a number alone on a line, or opening a line, that is one
/// more than the previous row's. A number that does not continue the sequence is cell text.
fn split_rows(body: &[(usize, String)]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for (line_no, line) in body {
        let expected = rows.last().map_or(1, |r| r.seq + 1);
        let trimmed = line.trim_start();
        let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
        let rest = &trimmed[digits.len()..];
        let starts_row = !digits.is_empty()
            && digits.parse::<u32>().ok() == Some(expected)
            && (rest.trim().is_empty() || rest.starts_with([' ', '\u{3000}']))
            && rows
                .last()
                .is_none_or(|r| r.lines.iter().any(|(_, l)| !l.trim().is_empty()));
        if starts_row {
            let mut lines = Vec::new();
            if !rest.trim().is_empty() {
                lines.push((*line_no, rest.trim().to_owned()));
            }
            rows.push(Row {
                seq: expected,
                first_line: *line_no,
                lines,
            });
        } else if let Some(row) = rows.last_mut() {
            row.lines.push((*line_no, line.clone()));
        }
    }
    rows
}

/// A run of text that belongs to one cell, as it came off one line.
#[derive(Debug)]
struct Piece {
    text: String,
    /// The next piece is on the same line: a cell boundary for certain.
    joined_to_next: bool,
    /// A blank line follows.
    blank_after: bool,
    /// The line ended well before the column width (a paragraph's last line).
    short: bool,
}

fn pieces(lines: &[(usize, String)], wide: usize, names: &HashMap<String, usize>) -> Vec<Piece> {
    let full = wide * 5 / 7;
    let mut out: Vec<Piece> = Vec::new();
    for (_, line) in lines {
        let text = line.trim();
        if text.is_empty() {
            if let Some(last) = out.last_mut() {
                last.blank_after = true;
            }
            continue;
        }
        let mut segments: Vec<String> = Vec::new();
        if text.width() > wide {
            segments.extend(split_wide_line(text));
        } else {
            match split_name_and_rest(text, names) {
                Some((name, Some(rest))) => {
                    segments.push(name);
                    segments.push(rest);
                }
                _ => segments.push(text.to_owned()),
            }
        }
        let count = segments.len();
        for (i, segment) in segments.into_iter().enumerate() {
            out.push(Piece {
                short: segment.width() + 6 < full,
                text: segment,
                joined_to_next: i + 1 < count,
                blank_after: false,
            });
        }
    }
    out
}

/// A line holding several cells: split at the spaces, keeping padded names (高  晋) together.
fn split_wide_line(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].chars().count() == 1
            && let Some(next) = words.get(i + 1)
            && next.chars().count() == 1
            && name_shaped(&format!("{}{}", words[i], next)).is_some()
        {
            out.push(format!("{}{}", words[i], next));
            i += 2;
            continue;
        }
        out.push(words[i].to_owned());
        i += 1;
    }
    out
}

/// Distributes a row's pieces over the header's columns, in order.
fn assign(pieces: &[Piece], columns: &[ColumnKind], names: &HashMap<String, usize>) -> Vec<String> {
    // Piece indices per column.
    let mut cells: Vec<Vec<usize>> = vec![Vec::new(); columns.len()];
    let position = |kind: fn(&ColumnKind) -> bool| columns.iter().position(kind);
    let progress_at = position(|k| *k == ColumnKind::Progress);
    let leaders_at = position(|k| *k == ColumnKind::Leaders);
    let units_at = position(|k| matches!(k, ColumnKind::Units(_)));
    let is_person = |i: usize| -> bool {
        let Some(name) = name_shaped(&pieces[i].text) else {
            return false;
        };
        // 临淄公安 / 分局 is a wrapped unit, not a person.
        if pieces.get(i + 1).is_some_and(|n| is_bare_ending(&n.text)) {
            return false;
        }
        names.contains_key(&name)
            || pieces[i].text.contains(' ')
            || pieces
                .get(i + 1)
                .is_none_or(|n| name_shaped(&n.text).is_some() || ends_like_unit(&n.text))
    };

    let one_unit = |text: &str| -> bool {
        is_bare_ending(text)
            || crate::cells::is_marker_tail(text)
            || text.starts_with(['（', '('])
            || (ends_like_unit(text) && !ends_sentence(text) && text.chars().count() <= 26)
    };
    // A unit's name, or the first line of one wrapped over the next lines (临淄经济开发区管 /
    // 委会).
    let is_unit = |i: usize| -> bool {
        let mut joined = String::new();
        for piece in pieces.iter().skip(i).take(4) {
            let text = piece.text.trim();
            if text.contains(['，', '。', '；', '%']) {
                return false;
            }
            joined.push_str(text);
            if joined.chars().count() > 30 {
                return false;
            }
            if one_unit(&joined) {
                return true;
            }
        }
        false
    };
    // Sentences, not names: punctuation or figures inside, or longer than any unit's name.
    let is_prose = |i: usize| -> bool {
        let text = pieces[i].text.trim();
        text.contains(['，', '。', '；', '：', ',', ';', '%', '、'])
            || text.chars().any(|c| c.is_ascii_digit())
            || text.chars().count() > 20
    };
    let prose = |k: &ColumnKind| {
        matches!(
            k,
            ColumnKind::Goal
                | ColumnKind::Target(_)
                | ColumnKind::Progress
                | ColumnKind::Deadline
                | ColumnKind::Section
                | ColumnKind::Other
        )
    };
    let after = |current: usize, kind: &dyn Fn(&ColumnKind) -> bool| {
        (current + 1..columns.len()).find(|c| kind(&columns[*c]))
    };

    let mut current = 0;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            let previous = &pieces[i - 1];
            let status_start = split_status(&piece.text).0.is_some();
            let before_progress = progress_at.is_none_or(|p| current + 1 < p);
            let before_leaders = leaders_at.is_none_or(|l| current + 1 < l);
            // A blank line after a full line that stops mid-sentence is a stray gap in the
            // extraction, not the end of the cell.
            let complete = previous.short || ends_sentence(&previous.text);
            let paragraph_ended = previous.joined_to_next
                || (previous.blank_after && complete)
                || (previous.short && ends_sentence(&previous.text));
            let in_names = matches!(columns[current], ColumnKind::Units(_) | ColumnKind::Leaders);
            current = if let Some(p) = progress_at.filter(|p| current < *p && status_start) {
                p
            } else if let Some(l) = leaders_at.filter(|l| {
                current < *l && progress_at.is_none_or(|p| current >= p) && is_person(i)
            }) {
                l
            } else if in_names
                && (is_prose(i) || (units_at == Some(current) && !is_unit(i) && !is_person(i)))
            {
                // Prose after a column of names: the next column of text (units before progress).
                after(current, &prose).unwrap_or(current)
            } else if leaders_at == Some(current) && !is_person(i) {
                units_at.filter(|u| *u > current).unwrap_or(current)
            } else if !in_names
                && paragraph_ended
                && is_unit(i)
                && !cells[current].is_empty()
                && let Some(u) = units_at
                    .filter(|u| *u > current && (current + 1..*u).all(|c| !prose(&columns[c])))
            {
                // Unit names right after a paragraph, where the units column comes next.
                u
            } else if paragraph_ended
                && before_progress
                && before_leaders
                && current + 1 < columns.len()
                && prose(&columns[current + 1])
                && !cells[current].is_empty()
            {
                current + 1
            } else {
                current
            };
        }
        cells[current].push(i);
    }

    // A progress text without a status word ends up in the target column. When that column holds
    // more than one paragraph, the last one is the progress.
    if let Some(p) = progress_at
        && p > 0
        && cells[p].is_empty()
        && matches!(columns[p - 1], ColumnKind::Target(_))
    {
        let target = &cells[p - 1];
        if let Some(cut) = target[..target.len().saturating_sub(1)]
            .iter()
            .rposition(|i| pieces[*i].blank_after)
        {
            let progress = target[cut + 1..].to_vec();
            cells[p - 1].truncate(cut + 1);
            cells[p] = progress;
        }
    }
    cells
        .iter()
        .zip(columns)
        .map(|(indices, kind)| {
            let texts = indices.iter().map(|i| pieces[*i].text.as_str());
            match kind {
                ColumnKind::Leaders | ColumnKind::Units(_) => texts.collect::<Vec<_>>().join("\n"),
                _ => texts.collect(),
            }
        })
        .collect()
}

fn is_bare_ending(text: &str) -> bool {
    crate::cells::UNIT_ENDINGS.contains(&text.trim())
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['。', '；', ';', '！'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_spaced_lines_are_closed_up() {
        assert_eq!(
            dejustify("完 成 。 截 至 8 月 底 ， 我 区 共 有"),
            "完成。截至8月底，我区共有"
        );
        assert_eq!(
            dejustify("部分完成。 1.因睿霖化工项目调"),
            "部分完成。 1.因睿霖化工项目调"
        );
    }

    #[test]
    fn names_and_units_on_one_line() {
        let split = |line| split_name_and_rest(line, &HashMap::new());
        assert_eq!(
            split("高  晋 区节办"),
            Some(("高晋".to_owned(), Some("区节办".to_owned())))
        );
        assert_eq!(
            split("郭克华 区发改局 "),
            Some(("郭克华".to_owned(), Some("区发改局".to_owned())))
        );
        assert_eq!(split("高  晋"), Some(("高晋".to_owned(), None)));
        assert_eq!(split("区发改局"), None);
    }

    #[test]
    fn page_furniture() {
        assert!(is_page_footer("第 19 页，共 26 页"));
        assert!(is_page_footer("- 3 -"));
        assert!(!is_page_footer("第二十届齐文化节"));
    }
}
