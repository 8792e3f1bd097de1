//! Work reports (政府工作报告) and five-year plans (规划纲要) as text pasted out of their PDFs:
//! front matter (title, 文号, date, speaker), the heading tree, paragraphs with their lead
//! sentences, and what each kind states besides prose — the glossary (词语解释), the main
//! indicator table (主要指标) and the key projects of the 专栏 boxes.
//!
//! PDF text breaks lines where the page did, often with a blank line between them, and puts page
//! footers (— 31 —) in the middle of sentences. A line therefore continues the paragraph before
//! it unless that paragraph ended a sentence, and footers are dropped. Every passage keeps the
//! character span of the lines it came from, so a reader can be shown the original.
//!
//! Nothing here knows a particular district's document: headings are found by their numbering
//! (第一章, 第一节, 一、, （一）) or by being a short line that stands alone between sentences.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use duban_core::{
    Attribute, Bound, DocumentKind, DocumentRead, GlossaryEntry, Indicator, IndicatorValue,
    PassageRead, Project, Section,
};
use unicode_width::UnicodeWidthStr;

use crate::ExtractError;
use crate::pdf_text::is_page_footer;

/// How a heading is numbered, from the outermost down. `Part` is an unnumbered heading
/// (“十三五”时期工作回顾, 前言); `Box` a 专栏.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Part,
    Pian,
    Zhang,
    Jie,
    Cn,
    ParenCn,
    Box,
}

const NUMBERED: [Kind; 5] = [Kind::Pian, Kind::Zhang, Kind::Jie, Kind::Cn, Kind::ParenCn];

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    /// Character offsets of the trimmed text in the body.
    start: usize,
    end: usize,
}

#[derive(Debug)]
enum Item {
    Heading(Kind, String),
    Paragraph(PassageRead),
}

/// Guesses whether a text is a work report or a plan from its opening and its headings.
pub fn detect_document(text: &str) -> Option<DocumentKind> {
    let opening: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let chapters = text
        .lines()
        .filter(|l| matches!(numbered(l), Some((Kind::Zhang, _))))
        .count();
    if opening.contains("政府工作报告") && text.contains("各位代表") {
        Some(DocumentKind::Report)
    } else if (opening.contains("规划") || opening.contains("纲要")) && chapters >= 2 {
        Some(DocumentKind::Plan)
    } else {
        None
    }
}

/// Reads a report or a plan. Refuses a text that does not have the kind's shape, naming why.
pub fn read_document(
    text: &str,
    kind: DocumentKind,
    origin: &str,
) -> Result<DocumentRead, ExtractError> {
    let body = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = lines_of(&body);
    let front_end = front_matter_end(&lines);
    let front = &lines[..front_end];
    let has_book_headings = lines.iter().any(|l| {
        matches!(
            numbered(l.text),
            Some((Kind::Pian | Kind::Zhang | Kind::Jie, _))
        )
    });

    let mut read = DocumentRead {
        kind,
        title: title_of(front),
        number: front.iter().find_map(|l| document_number(l.text)),
        date: front.iter().find_map(|l| find_date(l.text)),
        speaker: front.iter().find_map(|l| speaker(l.text)),
        sections: Vec::new(),
        glossary: Vec::new(),
        indicators: Vec::new(),
        projects: Vec::new(),
        warnings: Vec::new(),
        body: String::new(),
        passages: Vec::new(),
    };

    let items = items_of(&lines[front_end..], has_book_headings, &mut read);
    if read.date.is_none() {
        // A plan's cover letter is dated under its signature, after the body of the letter.
        read.date = lines[front_end..]
            .iter()
            .take(40)
            .find(|l| is_date_line(l.text))
            .and_then(|l| find_date(l.text));
    }
    place(items, &mut read);
    check_shape(&read, &body, origin)?;
    read.body = body;
    Ok(read)
}

fn check_shape(read: &DocumentRead, body: &str, origin: &str) -> Result<(), ExtractError> {
    let paragraphs = read
        .passages
        .iter()
        .filter(|p| p.text.contains('。'))
        .count();
    let reason = match read.kind {
        DocumentKind::Report => {
            let numbered_sections = read
                .sections
                .iter()
                .filter(|s| matches!(numbered(&s.heading), Some((Kind::Cn, _))))
                .count();
            if !read.title.ends_with("报告") && !body.contains("各位代表") {
                Some(format!(
                    "标题“{}”不是“……工作报告”，正文也没有“各位代表”的称呼",
                    read.title
                ))
            } else if numbered_sections < 2 {
                Some(format!(
                    "只找到 {numbered_sections} 个“一、……”这样编号的部分，报告的工作安排应分为几部分"
                ))
            } else if paragraphs < 5 {
                Some(format!("只有 {paragraphs} 段成句的正文"))
            } else {
                None
            }
        }
        DocumentKind::Plan => {
            let chapters = read
                .sections
                .iter()
                .filter(|s| matches!(numbered(&s.heading), Some((Kind::Pian | Kind::Zhang, _))))
                .count();
            if chapters < 2 && read.indicators.is_empty() {
                Some("没有“第一章……”这样的章，也没有主要指标表".to_owned())
            } else if paragraphs < 5 {
                Some(format!("只有 {paragraphs} 段成句的正文"))
            } else {
                None
            }
        }
        DocumentKind::Notice => None,
    };
    match reason {
        Some(reason) => Err(ExtractError::NotA {
            origin: origin.to_owned(),
            kind: read.kind.label_zh(),
            reason,
        }),
        None => Ok(()),
    }
}

fn lines_of(body: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for raw in body.split('\n') {
        let length = raw.chars().count();
        let text = raw.trim();
        if !text.is_empty() && !is_page_footer(text) {
            let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
            let start = offset + lead;
            lines.push(Line {
                text,
                start,
                end: start + text.chars().count(),
            });
        }
        offset += length + 1;
    }
    lines
}

/// The title block ends at the salutation (各位代表：), at the first sentence, or at the first
/// numbered heading, whichever comes first; a text without one has no title block.
fn front_matter_end(lines: &[Line]) -> usize {
    for (i, line) in lines.iter().enumerate().take(40) {
        if line.text.ends_with(['：', ':']) {
            return i + 1;
        }
        if line.text.contains('。') || numbered(line.text).is_some() {
            return i;
        }
    }
    0
}

fn title_of(front: &[Line]) -> String {
    let joined: String = front
        .iter()
        .flat_map(|l| l.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    // 关于印发《…》的通知: the issued document is the title, not the notice.
    if let Some(start) = joined.find("关于印发") {
        let rest = &joined[start + "关于印发".len()..];
        let end = rest
            .rfind("的通知")
            .or_else(|| rest.rfind("通知"))
            .unwrap_or(rest.len());
        let title = rest[..end].trim_matches(['《', '》']);
        if !title.is_empty() {
            return title.to_owned();
        }
    }
    front
        .iter()
        .map(|l| heading_text(l.text))
        .find(|t| {
            document_number(t).is_none()
                && find_date(t).is_none()
                && speaker(t).is_none()
                && !t.starts_with('—')
                && !t.ends_with(['：', ':', '，'])
        })
        .unwrap_or_default()
}

/// 川政发〔2021〕2 号 → 川政发〔2021〕2号
fn document_number(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let open = compact.find(['〔', '[', '［'])?;
    let open_len = compact[open..].chars().next()?.len_utf8();
    let close = compact[open..].find(['〕', ']', '］'])? + open;
    let close_len = compact[close..].chars().next()?.len_utf8();
    // A bracket closed before it opened ([ … ] of other text) is no 文号.
    let year = compact.get(open + open_len..close)?;
    let after = &compact[close + close_len..];
    let digits = after.trim_end_matches('号');
    (compact.ends_with('号')
        && year.chars().count() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && compact.chars().count() <= 30)
        .then_some(compact)
}

const SPEAKER_TITLES: &[&str] = &[
    "区长", "市长", "县长", "州长", "省长", "旗长", "主席", "主任",
];

/// 代理区长 宋磊: a short line that ends in a name after an office, perhaps after the
/// organisation (某某市某某区人民政府代区长 某某). The speaker is the office and the name.
fn speaker(text: &str) -> Option<String> {
    let compact: String = text.split_whitespace().collect();
    if compact.contains(['，', '。', '：', ',', ':', '；']) {
        return None;
    }
    let (title_at, title) = SPEAKER_TITLES
        .iter()
        .filter_map(|t| compact.rfind(t).map(|i| (i, *t)))
        .max_by_key(|(i, t)| i + t.len())?;
    let name = &compact[title_at + title.len()..];
    if !(2..=4).contains(&name.chars().count()) {
        return None;
    }
    // 代理区长, 代区长, 常务副市长: the modifiers belong to the office.
    let before = &compact[..title_at];
    let modifier = ["常务副", "代理", "代", "副"]
        .iter()
        .find(|m| before.ends_with(**m))
        .map_or(0, |m| m.len());
    let organisation = &before[..before.len() - modifier];
    let organisation_ok = organisation.is_empty()
        || (organisation.chars().count() <= 30
            && [
                "政府",
                "委员会",
                "人大常委会",
                "政协",
                "市",
                "区",
                "县",
                "省",
                "州",
                "旗",
                "盟",
            ]
            .iter()
            .any(|end| organisation.ends_with(end)));
    organisation_ok.then(|| format!("{}{title} {name}", &before[before.len() - modifier..]))
}

/// A digit written as an Arabic or a Chinese digit (二〇二一).
fn chinese_digit(c: char) -> Option<u32> {
    c.to_digit(10)
        .or_else(|| crate::numbers::chinese_digit(c).map(|d| d as u32))
}

/// Reads a number written in digits, in Chinese digits (二〇二一) or as a Chinese numeral up
/// to 31 (十三, 二十一).
fn date_number(text: &str) -> Option<u32> {
    if text.contains('十') {
        let (tens, ones) = text.split_once('十')?;
        let tens = if tens.is_empty() {
            1
        } else {
            chinese_digit(tens.chars().next()?)?
        };
        let ones = if ones.is_empty() {
            0
        } else {
            chinese_digit(ones.chars().next()?)?
        };
        return Some(tens * 10 + ones);
    }
    text.chars()
        .try_fold(0, |n, c| Some(n * 10 + chinese_digit(c)?))
}

/// The first full date in a text: 2021年1月13日, 2021 年 6 月 17 日, 二〇二一年一月十三日.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let chars: Vec<char> = compact.chars().collect();
    let is_numeral = |c: char| chinese_digit(c).is_some() || c == '十';
    for (i, &c) in chars.iter().enumerate() {
        if c != '年' || i < 4 {
            continue;
        }
        let year: String = chars[i - 4..i].iter().collect();
        let Some(year) = date_number(&year).filter(|y| (1949..=2100).contains(y)) else {
            continue;
        };
        let month_end = (i + 1..chars.len().min(i + 4)).find(|&j| chars[j] == '月')?;
        let month: String = chars[i + 1..month_end].iter().collect();
        let day_end =
            (month_end + 1..chars.len().min(month_end + 5)).find(|&j| chars[j] == '日')?;
        let day: String = chars[month_end + 1..day_end].iter().collect();
        if !month.chars().all(is_numeral) || !day.chars().all(is_numeral) {
            continue;
        }
        if let (Some(m), Some(d)) = (date_number(&month), date_number(&day))
            && let Some(date) = NaiveDate::from_ymd_opt(year as i32, m, d)
        {
            return Some(date);
        }
    }
    None
}

fn is_date_line(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.ends_with('日') && compact.chars().count() <= 12 && find_date(&compact).is_some()
}

/// The numbering of a heading line and its text, or None for a line that is not one. A
/// numbered line with a full stop is a paragraph with a lead sentence, not a heading.
fn numbered(line: &str) -> Option<(Kind, String)> {
    let text = heading_text(line);
    let chars: Vec<char> = text.chars().collect();
    let is_numeral = |c: &char| {
        chinese_digit(*c).is_some_and(|d| d > 0 || *c == '〇') || *c == '十' || *c == '百'
    };
    let short = chars.len() <= 42 && !text.contains('。');
    if text.starts_with("专栏") {
        let rest = text.strip_prefix("专栏").unwrap_or_default().trim_start();
        let digits = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || is_numeral(c))
            .count();
        return (digits > 0 && short).then_some((Kind::Box, text));
    }
    if chars.first() == Some(&'第') {
        let n = chars[1..]
            .iter()
            .take_while(|c| is_numeral(c) || c.is_ascii_digit())
            .count();
        let kind = match chars.get(1 + n) {
            Some('篇') => Kind::Pian,
            Some('章') => Kind::Zhang,
            Some('节') => Kind::Jie,
            _ => return None,
        };
        return (n > 0 && short).then_some((kind, text));
    }
    let n = chars.iter().take_while(|c| is_numeral(c)).count();
    if n > 0 && chars.get(n) == Some(&'、') {
        return (short && chars.len() > n + 1).then_some((Kind::Cn, text));
    }
    if matches!(chars.first(), Some('（' | '(')) {
        let n = chars[1..].iter().take_while(|c| is_numeral(c)).count();
        if n > 0 && matches!(chars.get(1 + n), Some('）' | ')')) {
            return (short && chars.len() > n + 2).then_some((Kind::ParenCn, text));
        }
    }
    None
}

/// A heading as a reader writes it: spaces between groups kept as one, letter-spacing (前   言)
/// closed up.
fn heading_text(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() > 1 && words.iter().all(|w| w.chars().count() == 1) {
        words.concat()
    } else {
        words.join(" ")
    }
}

/// A short line that stands alone between sentences: “十三五”时期工作回顾, 前言, 词语解释.
fn unnumbered_heading(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let count = compact.chars().count();
    (2..=30).contains(&count)
        && !compact.contains([
            '。', '，', '；', '：', '！', '？', '、', ',', ';', ':', '[', ']', '(', ')', '#', '/',
            '—',
        ])
        && !compact.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !is_date_line(text)
}

fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['”', '’', '）', ')', '」', '》']);
    trimmed.ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':', '…'])
}

/// Joins wrapped lines: CJK text has no spaces at a line break, Latin words do.
fn join_lines(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        if let (Some(a), Some(b)) = (out.chars().last(), line.text.chars().next())
            && a.is_ascii_alphanumeric()
            && b.is_ascii_alphanumeric()
        {
            out.push(' ');
        }
        out.push_str(line.text);
    }
    close_cjk_spaces(&out)
}

/// Removes the layout spaces PDF text puts around digits and Latin words inside Chinese text
/// (2020 年 → 2020年, 占 GDP 比重 → 占GDP比重) and keeps one space between Latin words.
pub fn close_cjk_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            if let (Some(b), Some(a)) = (before, after)
                && b.is_ascii()
                && a.is_ascii()
            {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Strips a list marker (1．, （一）, 一、, ——) from the start of a paragraph.
fn strip_marker(text: &str) -> &str {
    let text = text.trim_start_matches('—');
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let digits = chars.iter().take_while(|(_, c)| c.is_ascii_digit()).count();
    if digits > 0
        && let Some((i, c)) = chars.get(digits)
        && matches!(c, '．' | '.' | '、')
    {
        return &text[i + c.len_utf8()..];
    }
    let numeral = chars
        .iter()
        .take_while(|(_, c)| chinese_digit(*c).is_some() || *c == '十')
        .count();
    if numeral > 0
        && let Some((i, '、')) = chars.get(numeral)
    {
        return &text[i + '、'.len_utf8()..];
    }
    if let Some(('（' | '(', _)) = chars.first().map(|(_, c)| (*c, ())) {
        let n = chars[1..]
            .iter()
            .take_while(|(_, c)| chinese_digit(*c).is_some() || *c == '十')
            .count();
        if n > 0
            && let Some((i, c @ ('）' | ')'))) = chars.get(1 + n)
        {
            return &text[i + c.len_utf8()..];
        }
    }
    text
}

/// The bold-style lead sentence a paragraph opens with (加快科创平台建设。): short, one clause.
fn lead_of(text: &str) -> Option<String> {
    let text = strip_marker(text);
    let end = text.find('。')?;
    let lead = &text[..end];
    let count = lead.chars().count();
    ((2..=25).contains(&count)
        && !lead.contains(['，', '；', '：', ','])
        && end + '。'.len_utf8() < text.len())
    .then(|| lead.to_owned())
}

fn paragraph(lines: &[Line]) -> PassageRead {
    let text = join_lines(lines);
    PassageRead {
        headings: Vec::new(),
        span: (lines[0].start as u32, lines[lines.len() - 1].end as u32),
        lead: lead_of(&text),
        text,
    }
}

/// Cuts the body into headings and paragraphs; reads the indicator table and the boxes on the
/// way, since their lines must not be taken for headings.
fn items_of(lines: &[Line], has_book_headings: bool, read: &mut DocumentRead) -> Vec<Item> {
    let mut items = Vec::new();
    let mut open: Vec<Line> = Vec::new();
    // The open paragraph ended a sentence (or is a signature line): the next line starts anew.
    let mut ended = true;
    let mut i = 0;
    let flush = |open: &mut Vec<Line>, items: &mut Vec<Item>| {
        if !open.is_empty() {
            items.push(Item::Paragraph(paragraph(open)));
            open.clear();
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let heading = numbered(line.text);
        if let Some((Kind::Box, name)) = &heading {
            flush(&mut open, &mut items);
            items.push(Item::Heading(Kind::Box, name.clone()));
            let end = box_end(lines, i + 1, has_book_headings);
            let paragraphs = box_paragraphs(&lines[i + 1..end]);
            read.projects.extend(projects_of(name, &paragraphs));
            items.extend(paragraphs.into_iter().map(Item::Paragraph));
            i = end;
            ended = true;
            continue;
        }
        if ended && is_table_title(lines, i) {
            flush(&mut open, &mut items);
            let (indicators, end, warnings) = indicator_table(lines, i);
            read.indicators.extend(indicators);
            read.warnings.extend(warnings);
            let mut table = paragraph(&lines[i..end]);
            table.text = lines[i..end]
                .iter()
                .map(|l| close_cjk_spaces(l.text))
                .collect::<Vec<_>>()
                .join("\n");
            table.lead = None;
            items.push(Item::Paragraph(table));
            i = end;
            continue;
        }
        if let Some((kind, text)) = heading {
            flush(&mut open, &mut items);
            items.push(Item::Heading(kind, text));
            ended = true;
            i += 1;
            continue;
        }
        if !ended && !open.is_empty() {
            open.push(line);
            ended = ends_sentence(line.text);
            i += 1;
            continue;
        }
        flush(&mut open, &mut items);
        let next = lines.get(i + 1);
        let signature = next.is_some_and(|n| is_date_line(n.text)) || is_date_line(line.text);
        // A hard-wrapped paragraph's first line is as wide as the line after it; a heading
        // stands out narrower.
        let narrower = next.is_none_or(|n| line.text.width() * 4 < n.text.width() * 3);
        if !signature
            && narrower
            && unnumbered_heading(line.text)
            && !next.is_some_and(|n| n.text.starts_with(['，', '、', '。', '；']))
        {
            items.push(Item::Heading(Kind::Part, heading_text(line.text)));
            ended = true;
        } else {
            open.push(line);
            ended = signature || ends_sentence(line.text);
        }
        i += 1;
    }
    flush(&mut open, &mut items);
    items
}

/// A box runs until the next chapter, section or box (or, in a text without chapters and
/// sections, the next 一、): its own 一、二、 are groups of projects.
fn box_end(lines: &[Line], from: usize, has_book_headings: bool) -> usize {
    (from..lines.len())
        .find(|&j| match numbered(lines[j].text) {
            Some((Kind::Pian | Kind::Zhang | Kind::Jie | Kind::Box, _)) => true,
            Some((Kind::Cn, _)) => !has_book_headings,
            _ => false,
        })
        .unwrap_or(lines.len())
}

fn box_paragraphs(lines: &[Line]) -> Vec<PassageRead> {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for (j, line) in lines.iter().enumerate() {
        let last = j + 1 == lines.len();
        let next_is_group = lines
            .get(j + 1)
            .is_some_and(|n| numbered(n.text).is_some() || starts_item(n.text));
        if last || ends_sentence(line.text) || numbered(line.text).is_some() || next_is_group {
            paragraphs.push(paragraph(&lines[start..=j]));
            start = j + 1;
        }
    }
    paragraphs
}

/// 1．汽车及零部件产业集群：… — an item of a box's list; a wrapped line opening with a
/// decimal (2.5米纸板生产线) is not one.
fn starts_item(text: &str) -> bool {
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && matches!(text.chars().nth(digits), Some('．' | '.' | '、'))
        && !text
            .chars()
            .nth(digits + 1)
            .is_some_and(|c| c.is_ascii_digit())
}

/// The projects of a box: its list items split at 、 and clause breaks, grouped under the
/// box's 一、 headings or an item's lead (汽车及零部件产业集群：…).
fn projects_of(box_name: &str, paragraphs: &[PassageRead]) -> Vec<Project> {
    let mut projects = Vec::new();
    let mut group: Option<String> = None;
    for p in paragraphs {
        if let Some((Kind::Cn | Kind::ParenCn, text)) = numbered(&p.text) {
            group = Some(strip_marker(&text).to_owned());
            continue;
        }
        let text = strip_marker(&p.text);
        let (item_group, rest) = match text.find(['：', ':']) {
            Some(i) if text[..i].chars().count() <= 30 => {
                let c = text[i..].chars().next().unwrap_or('：');
                (Some(text[..i].to_owned()), &text[i + c.len_utf8()..])
            }
            _ => match lead_of(text) {
                Some(lead) => {
                    let rest = &text[lead.len() + '。'.len_utf8()..];
                    (Some(lead), rest)
                }
                None => (None, text),
            },
        };
        let group = item_group.or_else(|| group.clone());
        for name in split_outside_brackets(rest, &['、', '，', '；', '。', ',', ';']) {
            let name = name
                .trim()
                .trim_start_matches("实施")
                .trim_start_matches("建设")
                .trim();
            if name.chars().count() >= 2 {
                projects.push(Project {
                    box_name: box_name.to_owned(),
                    group: group.clone(),
                    name: name.to_owned(),
                });
            }
        }
    }
    projects
}

fn split_outside_brackets<'t>(text: &'t str, separators: &[char]) -> Vec<&'t str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '《' | '“' => depth += 1,
            '）' | ')' | '》' | '”' => depth -= 1,
            _ if depth <= 0 && separators.contains(&c) => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

const ATTRIBUTES: [(&str, Attribute); 2] = [
    ("预期性", Attribute::Expected),
    ("约束性", Attribute::Binding),
];

/// 淄川区“十四五”时期经济和社会发展主要指标: a short line naming indicators, followed by a first
/// numbered row and, further on, an attribute word.
fn is_table_title(lines: &[Line], i: usize) -> bool {
    let compact: String = lines[i]
        .text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    compact.contains("指标")
        && compact.chars().count() <= 40
        && !compact.contains(['。', '，'])
        && lines[i + 1..lines.len().min(i + 20)]
            .iter()
            .any(|l| row_number(l.text) == Some(1) || unnumbered_row(l.text))
        && lines[i + 1..lines.len().min(i + 60)]
            .iter()
            .any(|l| ATTRIBUTES.iter().any(|(w, _)| l.text.contains(w)))
}

/// A row of a table whose rows carry no （1）: an indicator's name with its unit in brackets
/// (地区生产总值（亿元）), perhaps followed by its cells on the same line.
fn unnumbered_row(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    let named = first.ends_with(['）', ')'])
        && unit_bracket(first).is_some_and(|(open, _)| open > 0)
        || (ATTRIBUTES.iter().any(|(w, _)| text.contains(w))
            && first.chars().count() >= 2
            && !first.chars().all(|c| c.is_ascii_digit() || c == '.'));
    !text.contains('。') && numbered(text).is_none() && !first.contains("指标") && named
}

/// A category line between rows: short words, perhaps numbered (一、经济发展); the number goes.
fn category_line(text: &str) -> Option<String> {
    let words = close_cjk_spaces(text);
    let words = match numbered(&words) {
        Some((Kind::Cn | Kind::ParenCn, _)) => strip_marker(&words).to_owned(),
        Some(_) => return None,
        None => words,
    };
    (!words.is_empty()
        && words.chars().count() <= 12
        && !words
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_ascii_punctuation() || "。，；：（）".contains(c)))
    .then_some(words)
}

/// （1） / (1) at the start of a row.
fn row_number(text: &str) -> Option<u32> {
    let rest = text.strip_prefix(['（', '('])?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after = rest[digits.len()..].chars().next()?;
    matches!(after, '）' | ')')
        .then(|| digits.parse().ok())
        .flatten()
}

/// Reads the rows of the indicator table starting at its title. Returns the indicators, the
/// index of the first line after the table, and doubts.
fn indicator_table(lines: &[Line], title: usize) -> (Vec<Indicator>, usize, Vec<String>) {
    let mut indicators = Vec::new();
    let mut warnings = Vec::new();
    let mut category = String::new();
    let mut row: Option<(u32, String)> = None;
    let mut i = title + 1;
    while i < lines.len() {
        let text = lines[i].text;
        i += 1;
        let (n, buffer) = match row.take() {
            Some((n, mut buffer)) => {
                buffer.push('\n');
                buffer.push_str(text);
                (n, buffer)
            }
            None => {
                if let Some(n) = row_number(text) {
                    (n, text.to_owned())
                } else if unnumbered_row(text) {
                    // Rows without （1）: numbered in the order they come.
                    (indicators.len() as u32 + 1, text.to_owned())
                } else if let Some(words) = category_line(text) {
                    // Short words between rows (and the last before the first row) name the
                    // category (一、经济发展 without its number); the header's words come before
                    // them and are overwritten.
                    category = words;
                    continue;
                } else if numbered(text).is_some()
                    || text.contains('。')
                    || text.chars().count() > 20
                {
                    i -= 1;
                    break;
                } else {
                    continue;
                }
            }
        };
        match ATTRIBUTES.iter().find(|(w, _)| buffer.contains(w)) {
            Some((_, attribute)) => match indicator_row(&buffer, &category, *attribute) {
                Ok(indicator) => indicators.push(indicator),
                Err(message) => warnings.push(format!("主要指标（{n}）：{message}")),
            },
            None => row = Some((n, buffer)),
        }
    }
    (indicators, i, warnings)
}

/// One row: （1）地区生产总值增长速度（%） 2.1 —— 7 左右 预期性, possibly over several lines.
/// The row's first line is already in `text` when the attribute is on the same line.
fn indicator_row(text: &str, category: &str, attribute: Attribute) -> Result<Indicator, String> {
    let word = ATTRIBUTES
        .iter()
        .find(|(_, a)| *a == attribute)
        .map(|(w, _)| *w)
        .unwrap_or("");
    let text = &text[..text.find(word).unwrap_or(text.len())];
    let rest = text.trim_start_matches(['（', '(']);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.trim_start_matches(['）', ')']);
    let first_line_end = rest.find('\n').unwrap_or(rest.len());
    let first = &rest[..first_line_end];
    // The unit is in the last bracket of the name that a space or the line's end follows:
    // 全社会研发（R&D）经费投入占 GDP 比重（%）.
    let (name, uom, values_from) = match unit_bracket(first) {
        Some((open, close)) => {
            let uom = first[open..close]
                .trim_start_matches(['（', '('])
                .to_owned();
            let close_len = first[close..].chars().next().map_or(0, char::len_utf8);
            (close_cjk_spaces(&first[..open]), uom, close + close_len)
        }
        None => {
            let end = first
                .char_indices()
                .find(|(i, c)| {
                    c.is_whitespace()
                        && first[*i..]
                            .trim_start()
                            .starts_with(|d: char| d.is_ascii_digit() || d == '—')
                })
                .map_or(first.len(), |(i, _)| i);
            (close_cjk_spaces(&first[..end]), String::new(), end)
        }
    };
    if name.is_empty() {
        return Err("找不到指标名称".to_owned());
    }
    let cells = value_cells(&rest[values_from..]);
    if cells.len() != 3 {
        return Err(format!(
            "“{name}”读到 {} 个数值列（{}），应为 3 个（基期、目标、年均增速或累计）",
            cells.len(),
            cells
                .iter()
                .map(|c| c.as_deref().unwrap_or("——"))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    let mut values = cells
        .into_iter()
        .map(|c| c.map(|text| indicator_value(&text)));
    Ok(Indicator {
        category: category.to_owned(),
        name,
        uom,
        baseline: values.next().flatten(),
        target: values.next().flatten(),
        growth: values.next().flatten(),
        attribute,
    })
}

fn unit_bracket(line: &str) -> Option<(usize, usize)> {
    let mut found = None;
    let mut open = None;
    for (i, c) in line.char_indices() {
        match c {
            '（' | '(' => open = Some(i),
            '）' | ')' => {
                if let Some(o) = open.take() {
                    let after = line[i + c.len_utf8()..].chars().next();
                    if after.is_none_or(char::is_whitespace) {
                        found = Some((o, i));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

const QUALIFIERS: [&str; 4] = ["左右", "以内", "以上", "以下"];

/// Splits what follows the name into cells. —— is an empty cell; a number (with 左右, 以内 …)
/// is a cell; words run on, across line breaks, until they have stated their number
/// (保持并稳 / 定在 25 / 以上 is one cell, 男性 / 78.42，女 / 性 85.99 another).
fn value_cells(text: &str) -> Vec<Option<String>> {
    let mut cells: Vec<Option<String>> = Vec::new();
    let mut open: Option<String> = None;
    let is_number = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '%' | '-'))
    };
    for token in text.split_whitespace() {
        if token.chars().all(|c| matches!(c, '—' | '-' | '–' | '/')) {
            if let Some(cell) = open.take() {
                cells.push(Some(cell));
            }
            cells.push(None);
        } else if QUALIFIERS.contains(&token) {
            match (&mut open, cells.last_mut()) {
                (Some(cell), _) => {
                    cell.push_str(token);
                    cells.push(open.take());
                }
                (None, Some(Some(last))) => last.push_str(token),
                _ => cells.push(Some(token.to_owned())),
            }
        } else if is_number(token) {
            match open.take() {
                Some(mut cell) => {
                    cell.push_str(token);
                    cells.push(Some(cell));
                }
                None => cells.push(Some(token.to_owned())),
            }
        } else {
            let cell = open.get_or_insert_with(String::new);
            cell.push_str(token);
            let states_number = cell.chars().any(|c| c.is_ascii_digit());
            let ends_number = token.ends_with(|c: char| c.is_ascii_digit())
                || QUALIFIERS.iter().any(|q| token.ends_with(q));
            if states_number && ends_number {
                cells.push(open.take());
            }
        }
    }
    if let Some(cell) = open {
        cells.push(Some(cell));
    }
    cells
}

fn indicator_value(text: &str) -> IndicatorValue {
    let mut numbers = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            if let Ok(n) = current.trim_end_matches('.').parse::<f64>() {
                numbers.push(n);
            }
            current.clear();
        }
    }
    let bound = if text.contains("左右") || text.starts_with(['约', '近']) {
        Some(Bound::About)
    } else if text.contains("以内") || text.contains("以下") || text.contains("不超过") {
        Some(Bound::AtMost)
    } else if text.contains("以上") || text.contains("不低于") {
        Some(Bound::AtLeast)
    } else {
        None
    };
    IndicatorValue {
        text: text.to_owned(),
        numbers,
        bound,
    }
}

/// Gives every heading its level and every paragraph its heading path; counts passages per
/// section; reads the glossary.
fn place(items: Vec<Item>, read: &mut DocumentRead) {
    let present: BTreeSet<Kind> = items
        .iter()
        .filter_map(|item| match item {
            Item::Heading(kind, _) => Some(*kind),
            Item::Paragraph(_) => None,
        })
        .collect();
    // Chapters are the top of a book-like plan and its 前言 stands beside them; in a report the
    // unnumbered parts stand above the numbered sections.
    let book = present.contains(&Kind::Pian) || present.contains(&Kind::Zhang);
    let level_of = |kind: Kind, stack: &[(usize, String, usize)]| -> usize {
        match kind {
            Kind::Part => 1,
            Kind::Box => stack.last().map_or(1, |(level, _, _)| level + 1),
            _ => {
                let above = NUMBERED
                    .iter()
                    .filter(|k| **k < kind && present.contains(k))
                    .count();
                let parts = usize::from(!book && present.contains(&Kind::Part));
                1 + above + parts
            }
        }
    };
    // (level, heading, index into sections)
    let mut stack: Vec<(usize, String, usize)> = Vec::new();
    let mut in_glossary = false;
    for item in items {
        match item {
            Item::Heading(kind, text) => {
                let level = level_of(kind, &stack);
                while stack.last().is_some_and(|(l, _, _)| *l >= level) {
                    stack.pop();
                }
                if level == 1 {
                    in_glossary = text.ends_with("解释") || text.contains("名词解释");
                }
                read.sections.push(Section {
                    heading: text.clone(),
                    level,
                    passages: 0,
                });
                stack.push((level, text, read.sections.len() - 1));
            }
            Item::Paragraph(mut passage) => {
                passage.headings = stack.iter().map(|(_, h, _)| h.clone()).collect();
                for (_, _, section) in &stack {
                    read.sections[*section].passages += 1;
                }
                if in_glossary && let Some(entry) = glossary_entry(&passage.text) {
                    read.glossary.push(entry);
                }
                read.passages.push(passage);
            }
        }
    }
}

/// 18. 两个100%：年度重点项目开工率100%、投资完成率100%。
fn glossary_entry(text: &str) -> Option<GlossaryEntry> {
    let text = strip_marker(text).trim();
    let colon = text.find(['：', ':'])?;
    let term = text[..colon].trim();
    let explanation = text[colon..].trim_start_matches(['：', ':']).trim();
    ((1..=30).contains(&term.chars().count()) && !explanation.is_empty()).then(|| GlossaryEntry {
        term: term.to_owned(),
        explanation: explanation.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_digits_spaced_and_in_chinese() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(find_date("——2021年1月13日在临淄区第十八届"), d(2021, 1, 13));
        assert_eq!(find_date("2021 年 6 月 17 日"), d(2021, 6, 17));
        assert_eq!(find_date("二〇二一年一月十三日"), d(2021, 1, 13));
        assert_eq!(find_date("二〇二三年十二月三十一日"), d(2023, 12, 31));
        assert_eq!(find_date("2021年目标任务和工作重点"), None);
        assert_eq!(find_date("2021年2月30日"), None);
    }

    #[test]
    fn document_numbers_and_speakers() {
        assert_eq!(
            document_number("川政发〔2021〕2 号").as_deref(),
            Some("川政发〔2021〕2号")
        );
        assert_eq!(document_number("2021 年 6 月 17 日"), None);
        assert_eq!(speaker("代理区长 宋磊").as_deref(), Some("代理区长 宋磊"));
        // Brackets of one byte, or closed at once, are read without slicing inside a character.
        assert_eq!(
            document_number("川政发[2021]2号").as_deref(),
            Some("川政发[2021]2号")
        );
        assert_eq!(document_number("[]号"), None);
        assert_eq!(document_number("[〕2号"), None);
        assert_eq!(speaker("区长  张三丰").as_deref(), Some("区长 张三丰"));
        assert_eq!(
            speaker("某某市某某区人民政府代区长 某某").as_deref(),
            Some("代区长 某某")
        );
        assert_eq!(
            speaker("山东省淄博市临淄区人民政府常务副区长  王 强").as_deref(),
            Some("常务副区长 王强")
        );
        assert_eq!(speaker("在区政府常务会议上听取区长意见"), None);
        assert_eq!(speaker("各位代表："), None);
        assert_eq!(speaker("人民代表大会第五次会议上"), None);
    }

    #[test]
    fn headings_by_numbering() {
        assert_eq!(
            numbered(" 第三章  加快动能转换  构建优势特色产业体系").map(|(k, _)| k),
            Some(Kind::Zhang)
        );
        assert_eq!(
            numbered("第一节  发展成就"),
            Some((Kind::Jie, "第一节 发展成就".to_owned()))
        );
        assert_eq!(
            numbered("一、着力聚焦“创新驱动”，建设科创发展新高地").map(|(k, _)| k),
            Some(Kind::Cn)
        );
        assert_eq!(
            numbered("专栏 1  “十四五”期间制造业重点建设项目").map(|(k, _)| k),
            Some(Kind::Box)
        );
        // A numbered paragraph is not a heading; neither is prose that starts with 第.
        assert_eq!(
            numbered("（一）淄川经济开发区。按照打造“汽车之城、生物药谷、"),
            None
        );
        assert_eq!(numbered("第二个百年目标进军的第一个五年"), None);
        assert!(unnumbered_heading("“十三五”时期工作回顾"));
        assert!(unnumbered_heading("前   言"));
        assert!(!unnumbered_heading("各位代表："));
        assert!(!unnumbered_heading("2021 年 6 月 17 日"));
        assert!(!unnumbered_heading("[一图读懂政府工作报告](#)"));
    }

    #[test]
    fn layout_spaces_are_closed_and_leads_found() {
        assert_eq!(
            close_cjk_spaces("刚刚过去的 2020 年，占 GDP 比重"),
            "刚刚过去的2020年，占GDP比重"
        );
        assert_eq!(
            close_cjk_spaces("R&D 经费  Hello world"),
            "R&D经费Hello world"
        );
        assert_eq!(
            lead_of("加快科创平台建设。完善科技创新扶持机制。").as_deref(),
            Some("加快科创平台建设")
        );
        assert_eq!(
            lead_of("1．大力淘汰落后动能。严格落实环保").as_deref(),
            Some("大力淘汰落后动能")
        );
        assert_eq!(
            lead_of("——疫情防控在群策群力中取得重大成果。坚持").as_deref(),
            Some("疫情防控在群策群力中取得重大成果")
        );
        assert_eq!(lead_of("利民之事，丝发必兴。今年区政府"), None);
    }

    #[test]
    fn indicator_cells_that_are_words_stay_whole() {
        let cells = |t| {
            value_cells(t)
                .into_iter()
                .map(|c| c.unwrap_or_else(|| "——".into()))
                .collect::<Vec<_>>()
        };
        assert_eq!(cells(" 2 左右 4.5 2.6 左右"), ["2左右", "4.5", "2.6左右"]);
        assert_eq!(
            cells(" 3.6 ——\n与 GDP 增\n长同步\n"),
            ["3.6", "——", "与GDP增长同步"]
        );
        assert_eq!(
            cells(" 24.41\n保持并稳\n定在 25\n以上\n——"),
            ["24.41", "保持并稳定在25以上", "——"]
        );
        assert_eq!(
            cells("\n男性\n78.42，女\n性 85.99\n男性\n78.57，女\n性 86.19\n——"),
            ["男性78.42，女性85.99", "男性78.57，女性86.19", "——"]
        );
        assert_eq!(
            cells(" 19\n完成市下\n达任务\n——"),
            ["19", "完成市下达任务", "——"]
        );
        let v = indicator_value("保持并稳定在25以上");
        assert_eq!((v.numbers, v.bound), (vec![25.0], Some(Bound::AtLeast)));
        let v = indicator_value("男性78.57，女性86.19");
        assert_eq!(v.numbers, vec![78.57, 86.19]);
    }
}
