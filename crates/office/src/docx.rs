//! Word .docx files (and what WPS saves as .docx) as a flow of paragraphs and tables.
//!
//! Read with zip + quick-xml. What Word shows but the text does not hold is put back: automatic
//! numbers (一、, （一）, 1．) come from numbering.xml through the paragraph's or its style's
//! `w:numPr`; cells merged across (`w:gridSpan`) and down (`w:vMerge`) are laid out on the table's
//! grid. Deleted revisions and field codes are left out.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::flow::{Block, Flow};
use crate::{OfficeError, guarded};

/// The largest part of a docx read (document.xml of a 1,000-page report is about 20 MB).
const MAX_PART_BYTES: u64 = 96 * 1024 * 1024;
/// Nested tables deeper than this are refused (Word itself stops far earlier).
const MAX_TABLE_DEPTH: usize = 16;

/// Reads a .docx file's paragraphs and tables in order.
pub fn read_docx(bytes: &[u8], origin: &str) -> Result<Flow, OfficeError> {
    guarded(origin, "Word ", || read(bytes, origin))
}

fn read(bytes: &[u8], origin: &str) -> Result<Flow, OfficeError> {
    let not_docx = || {
        OfficeError::unreadable(
            origin,
            "不是完整的 Word 文档（.docx）：文件可能已损坏或只传了一部分，请在 Word/WPS 中打开并另存为 .docx 后再导入",
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_docx())?;
    let document = part(&mut archive, "word/document.xml", origin)?.ok_or_else(not_docx)?;
    let numbering = part(&mut archive, "word/numbering.xml", origin)?
        .map(|xml| Numbering::parse(&xml))
        .unwrap_or_default();
    let styles = part(&mut archive, "word/styles.xml", origin)?
        .map(|xml| style_numbers(&xml))
        .unwrap_or_default();
    Body::new(numbering, styles)
        .read(&document)
        .map_err(|e| OfficeError::unreadable(origin, format!("Word 文档内容无法解析（{e}）")))
}

/// One part of the archive as text, refusing one whose declared or actual size is over the limit.
fn part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    origin: &str,
) -> Result<Option<String>, OfficeError> {
    let mut file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => {
            return Err(OfficeError::unreadable(
                origin,
                format!("Word 文档中的 {name} 已损坏，请在 Word/WPS 中重新保存后再导入"),
            ));
        }
    };
    let too_large = || OfficeError::TooLarge {
        origin: origin.to_owned(),
        what: "Word 文档解压后的正文",
        limit: format!("{} MB", MAX_PART_BYTES / 1024 / 1024),
    };
    if file.size() > MAX_PART_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // The declared size can lie: read at most one byte past the limit.
    (&mut file)
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| {
            OfficeError::unreadable(origin, format!("Word 文档中的 {name} 无法解压，文件已损坏"))
        })?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(too_large());
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

fn val(e: &BytesStart) -> Option<String> {
    attr(e, "val")
}

/// The text a general reference stands for (&amp; &#12290; …).
fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

// ------------------------------------------------------------------ numbering

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// numbering.xml: each list instance (numId) points at an abstract definition of nine levels.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, start overrides per level)
    instances: HashMap<String, (String, HashMap<usize, u32>)>,
}

impl Numbering {
    fn parse(xml: &str) -> Self {
        let mut numbering = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut levels: Vec<Level> = Vec::new();
        let mut level: Option<usize> = None;
        let mut num: Option<(String, String, HashMap<usize, u32>)> = None;
        let mut override_level: Option<usize> = None;
        while let Ok(event) = reader.read_event() {
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "abstractNum" => {
                        abstract_id = attr(&e, "abstractNumId");
                        levels = vec![Level::default(); 9];
                    }
                    "lvl" if abstract_id.is_some() => {
                        level = attr(&e, "ilvl")
                            .and_then(|l| l.parse().ok())
                            .filter(|l| *l < 9);
                        if let Some(l) = level {
                            levels[l].start = 1;
                        }
                    }
                    "start" => {
                        let value = val(&e).and_then(|v| v.parse().ok()).unwrap_or(1);
                        if let Some(l) = level {
                            levels[l].start = value;
                        }
                    }
                    "numFmt" => {
                        if let (Some(l), Some(v)) = (level, val(&e)) {
                            levels[l].format = v;
                        }
                    }
                    "lvlText" => {
                        if let (Some(l), Some(v)) = (level, val(&e)) {
                            levels[l].text = v;
                        }
                    }
                    "num" => {
                        num = attr(&e, "numId").map(|id| (id, String::new(), HashMap::new()));
                    }
                    "abstractNumId" => {
                        if let (Some(n), Some(v)) = (num.as_mut(), val(&e)) {
                            n.1 = v;
                        }
                    }
                    "lvlOverride" => {
                        override_level = attr(&e, "ilvl").and_then(|l| l.parse().ok());
                    }
                    "startOverride" => {
                        if let (Some(n), Some(l), Some(v)) = (
                            num.as_mut(),
                            override_level,
                            val(&e).and_then(|v| v.parse().ok()),
                        ) {
                            n.2.insert(l, v);
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "abstractNum" => {
                        if let Some(id) = abstract_id.take() {
                            numbering.abstracts.insert(id, std::mem::take(&mut levels));
                        }
                    }
                    "lvl" => level = None,
                    "num" => {
                        if let Some((id, abstract_id, overrides)) = num.take() {
                            numbering.instances.insert(id, (abstract_id, overrides));
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        numbering
    }
}

/// The list counters of a document as it is read, and the labels they give.
#[derive(Debug, Default)]
struct Counters {
    /// Per abstract list: the current value of each level. Word counts lists that share an
    /// abstract definition together, unless a numId restarts it with an override.
    values: HashMap<String, [u32; 9]>,
    started: HashMap<String, bool>,
}

impl Counters {
    fn label(&mut self, numbering: &Numbering, num_id: &str, level: usize) -> Option<String> {
        let (abstract_id, overrides) = numbering.instances.get(num_id)?;
        let levels = numbering.abstracts.get(abstract_id)?;
        let definition = levels.get(level)?;
        if definition.format == "none" && definition.text.is_empty() {
            return None;
        }
        let key = if overrides.is_empty() {
            abstract_id.clone()
        } else {
            format!("{abstract_id}/{num_id}")
        };
        let values = self.values.entry(key.clone()).or_insert([0; 9]);
        let started = self
            .started
            .entry(format!("{key}/{level}"))
            .or_insert(false);
        if *started {
            values[level] += 1;
        } else {
            values[level] = overrides
                .get(&level)
                .copied()
                .unwrap_or(definition.start.max(1));
            *started = true;
        }
        for (deeper, value) in values.iter_mut().enumerate().skip(level + 1) {
            *value = 0;
            self.started.insert(format!("{key}/{deeper}"), false);
        }
        let values = *values;
        let mut label = definition.text.clone();
        for (l, def) in levels.iter().enumerate().take(level + 1) {
            let placeholder = format!("%{}", l + 1);
            if label.contains(&placeholder) {
                let value = if values[l] == 0 {
                    def.start.max(1)
                } else {
                    values[l]
                };
                let format = if def.format.is_empty() {
                    "decimal"
                } else {
                    &def.format
                };
                label = label.replace(&placeholder, &format_number(value, format));
            }
        }
        Some(label)
    }
}

/// A list number in one of Word's formats (the ones Chinese documents use, and the common rest).
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting" => chinese(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| {
                "〇一二三四五六七八九"
                    .chars()
                    .nth(c as usize - '0' as usize)
                    .unwrap_or(c)
            })
            .collect(),
        "chineseLegalSimplified" => chinese(n)
            .chars()
            .map(|c| match c {
                '一' => '壹',
                '二' => '贰',
                '三' => '叁',
                '四' => '肆',
                '五' => '伍',
                '六' => '陆',
                '七' => '柒',
                '八' => '捌',
                '九' => '玖',
                '十' => '拾',
                other => other,
            })
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or(n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "lowerLetter" | "upperLetter" => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let letter = char::from(base + ((n.max(1) - 1) % 26) as u8);
            letter
                .to_string()
                .repeat(((n.max(1) - 1) / 26 + 1) as usize)
        }
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

fn chinese(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n - 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, symbol) in TABLE {
        while n >= value {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

/// Paragraph styles that carry a list (Heading 1 numbered 一、): styleId → (numId, level),
/// following `basedOn` to the style that sets it.
fn style_numbers(xml: &str) -> HashMap<String, (String, usize)> {
    // styleId → (numId, level, basedOn) as the style itself sets them.
    type Own = (Option<String>, Option<usize>, Option<String>);
    let mut own: HashMap<String, Own> = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => {
                    current = attr(&e, "styleId");
                    if let Some(id) = &current {
                        own.entry(id.clone()).or_default();
                    }
                }
                "basedOn" => {
                    if let (Some(id), Some(v)) = (&current, val(&e)) {
                        own.entry(id.clone()).or_default().2 = Some(v);
                    }
                }
                "numId" => {
                    if let (Some(id), Some(v)) = (&current, val(&e)) {
                        own.entry(id.clone()).or_default().0 = Some(v);
                    }
                }
                "ilvl" => {
                    if let (Some(id), Some(v)) = (&current, val(&e).and_then(|v| v.parse().ok())) {
                        own.entry(id.clone()).or_default().1 = Some(v);
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "style" => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    let mut resolved = HashMap::new();
    for id in own.keys() {
        let mut at = id.clone();
        // A chain of basedOn is short; the bound guards against a cycle.
        for _ in 0..10 {
            let Some((num, level, based_on)) = own.get(&at) else {
                break;
            };
            if let Some(num) = num {
                resolved.insert(id.clone(), (num.clone(), level.unwrap_or(0)));
                break;
            }
            match based_on {
                Some(next) => at = next.clone(),
                None => break,
            }
        }
    }
    resolved
}

// ------------------------------------------------------------------ body

/// A cell being read: its text and where it sits on the grid.
#[derive(Debug, Default)]
struct CellRead {
    paragraphs: Vec<String>,
    span: usize,
    /// None: not merged; Some(true): starts a merge down; Some(false): continues one.
    vmerge: Option<bool>,
}

#[derive(Debug, Default)]
struct TableRead {
    rows: Vec<Vec<String>>,
    row: Vec<CellRead>,
    /// Grid columns skipped before the first cell of the row (w:gridBefore).
    before: usize,
    cell: Option<CellRead>,
}

impl TableRead {
    /// Lays a finished row out on the grid: spans leave empty cells, merged-down cells repeat
    /// the text of the cell above them.
    fn finish_row(&mut self) {
        let mut cells: Vec<String> = vec![String::new(); self.before];
        for cell in std::mem::take(&mut self.row) {
            let column = cells.len();
            let text = if cell.vmerge == Some(false) {
                self.rows
                    .last()
                    .and_then(|above| above.get(column))
                    .cloned()
                    .unwrap_or_default()
            } else {
                cell.paragraphs
                    .iter()
                    .map(|p| p.trim())
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            cells.push(text);
            for _ in 1..cell.span.max(1) {
                cells.push(String::new());
            }
        }
        self.before = 0;
        self.rows.push(cells);
    }
}

struct Body {
    numbering: Numbering,
    styles: HashMap<String, (String, usize)>,
    counters: Counters,
    flow: Flow,
    tables: Vec<TableRead>,
    paragraph: Option<Paragraph>,
    in_deleted: usize,
    in_field_code: bool,
    in_text: bool,
}

#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    level: Option<usize>,
    in_properties: bool,
}

impl Body {
    fn new(numbering: Numbering, styles: HashMap<String, (String, usize)>) -> Self {
        Body {
            numbering,
            styles,
            counters: Counters::default(),
            flow: Flow::default(),
            tables: Vec::new(),
            paragraph: None,
            in_deleted: 0,
            in_field_code: false,
            in_text: false,
        }
    }

    fn read(mut self, xml: &str) -> Result<Flow, String> {
        let mut reader = Reader::from_str(xml);
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("第 {} 字节：{e}", reader.buffer_position()))?;
            match event {
                Event::Start(e) => self.start(&e, false)?,
                Event::Empty(e) => self.start(&e, true)?,
                Event::End(e) => self.end(e.local_name().as_ref()),
                Event::Text(t) if self.in_text => self.push_text(&t.xml10_content()),
                Event::GeneralRef(r) => {
                    if self.in_text
                        && let Some(c) = reference(&r.xml10_content())
                    {
                        self.push_text(&c.to_string());
                    }
                }
                Event::CData(t) if self.in_text => self.push_text(&t.xml10_content()),
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(self.flow)
    }

    fn push_text(&mut self, text: &str) {
        if self.in_deleted > 0 || self.in_field_code {
            return;
        }
        if let Some(p) = self.paragraph.as_mut() {
            p.text.push_str(text);
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<(), String> {
        match e.local_name().as_ref() {
            "p" => {
                self.paragraph = Some(Paragraph::default());
                if empty {
                    self.end("p");
                }
            }
            "pPr" if !empty => {
                if let Some(p) = self.paragraph.as_mut() {
                    p.in_properties = true;
                }
            }
            "pStyle" => {
                if let Some(p) = self.paragraph.as_mut().filter(|p| p.in_properties) {
                    p.style = val(e);
                }
            }
            "numId" => {
                if let Some(p) = self.paragraph.as_mut().filter(|p| p.in_properties) {
                    p.num_id = val(e);
                }
            }
            "ilvl" => {
                if let Some(p) = self.paragraph.as_mut().filter(|p| p.in_properties) {
                    p.level = val(e).and_then(|v| v.parse().ok());
                }
            }
            "t" if !empty => self.in_text = true,
            "tab" if self.paragraph.as_ref().is_some_and(|p| !p.in_properties) => {
                self.push_text(" ")
            }
            "br" | "cr" => self.push_text("\n"),
            "del" | "moveFrom" if !empty => self.in_deleted += 1,
            "instrText" if !empty => self.in_field_code = true,
            "tbl" if !empty => {
                if self.tables.len() >= MAX_TABLE_DEPTH {
                    return Err(format!("表格嵌套超过 {MAX_TABLE_DEPTH} 层"));
                }
                // A table inside a cell: the cell's paragraph so far stays in the cell.
                self.tables.push(TableRead::default());
            }
            "gridBefore" => {
                if let Some(t) = self.tables.last_mut() {
                    t.before = val(e).and_then(|v| v.parse().ok()).unwrap_or(0).min(64);
                }
            }
            "tc" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(CellRead {
                        span: 1,
                        ..CellRead::default()
                    });
                }
            }
            "gridSpan" => {
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    cell.span = val(e)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                }
            }
            "vMerge" => {
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    cell.vmerge = Some(val(e).as_deref() == Some("restart"));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) {
        match name {
            "pPr" => {
                if let Some(p) = self.paragraph.as_mut() {
                    p.in_properties = false;
                }
            }
            "t" => self.in_text = false,
            "del" | "moveFrom" => self.in_deleted = self.in_deleted.saturating_sub(1),
            "instrText" => self.in_field_code = false,
            "p" => {
                if let Some(p) = self.paragraph.take() {
                    let text = self.paragraph_text(p);
                    if self.tables.is_empty() {
                        self.flow.blocks.push(Block::Paragraph(text));
                    } else if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut())
                    {
                        cell.paragraphs.push(text);
                    }
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(cell) = t.cell.take()
                {
                    t.row.push(cell);
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.finish_row();
                }
            }
            "tbl" => {
                if let Some(done) = self.tables.pop() {
                    match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        // A nested table's rows become lines of the outer cell.
                        Some(cell) => cell
                            .paragraphs
                            .extend(done.rows.iter().map(|row| row.join(" ").trim().to_owned())),
                        None => self.flow.blocks.push(Block::Table(done.rows)),
                    }
                }
            }
            _ => {}
        }
    }

    /// The paragraph's text with its list number in front, as Word shows it.
    fn paragraph_text(&mut self, p: Paragraph) -> String {
        let from_style = p.style.as_ref().and_then(|s| self.styles.get(s)).cloned();
        let num_id = p
            .num_id
            .or_else(|| from_style.as_ref().map(|(n, _)| n.clone()));
        let level = p
            .level
            .or_else(|| from_style.as_ref().map(|(_, l)| *l))
            .unwrap_or(0)
            .min(8);
        let label = num_id
            .filter(|id| id != "0")
            .and_then(|id| self.counters.label(&self.numbering, &id, level))
            .unwrap_or_default();
        let text = p.text;
        let needs_space = label
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if needs_space {
            format!("{label} {text}")
        } else {
            format!("{label}{text}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_chinese_and_other_formats() {
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(10, "chineseCounting"), "十");
        assert_eq!(format_number(12, "chineseCountingThousand"), "十二");
        assert_eq!(format_number(20, "chineseCounting"), "二十");
        assert_eq!(format_number(21, "chineseCounting"), "二十一");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(7, "decimal"), "7");
        assert_eq!(format_number(2, "chineseLegalSimplified"), "贰");
    }

    #[test]
    fn garbage_and_truncated_files_are_one_clear_error() {
        let err = read_docx(b"not a zip", "任务.docx").expect_err("garbage");
        assert!(err.to_string().starts_with("任务.docx："), "{err}");
        assert!(err.to_string().contains(".docx"), "{err}");
    }
}
