//! The notice as a Word document (WordprocessingML), ready for Word and WPS: title, date, the
//! table with its header row repeated on every page, then the statistics; A4 landscape with
//! page numbers.
//!
//! Written directly with the zip and quick-xml crates the workspace already has for reading
//! office files, rather than through docx-rs, which would bring a second zip and quick-xml into
//! the build. The document uses only a few well-known elements (paragraphs, runs, tables).

use std::io::{Cursor, Write};

use quick_xml::escape::escape;
use zip::CompressionMethod;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::layout::{column_widths, plain_widths};
use crate::{Column, Notice, NoticeError, PrintReport, PrintTable, StatTable};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PIC_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
/// A4 landscape in twentieths of a point, and the margins (1.8 cm).
const PAGE_W: u32 = 16838;
const PAGE_H: u32 = 11906;
const MARGIN: u32 = 1020;
const BODY_FONT: &str = "宋体";
const HEAD_FONT: &str = "黑体";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{BODY_FONT}" w:cs="Times New Roman"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#
    )
}

fn footer() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W_NS}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">第 </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> 页，共 </w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> 页</w:t></w:r></w:p></w:ftr>"#
    )
}

fn core_properties(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>duban</dc:creator></cp:coreProperties>"#,
        escape(title)
    )
}

/// How a run of text looks.
#[derive(Clone, Copy)]
struct Style {
    font: Option<&'static str>,
    /// Half-points.
    size: Option<u32>,
    bold: bool,
}

const PLAIN: Style = Style {
    font: None,
    size: None,
    bold: false,
};

fn run(out: &mut String, text: &str, style: Style) {
    out.push_str("<w:r>");
    if style.font.is_some() || style.size.is_some() || style.bold {
        out.push_str("<w:rPr>");
        if let Some(font) = style.font {
            out.push_str(&format!(r#"<w:rFonts w:eastAsia="{font}"/>"#));
        }
        if style.bold {
            out.push_str("<w:b/>");
        }
        if let Some(size) = style.size {
            out.push_str(&format!(
                r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#
            ));
        }
        out.push_str("</w:rPr>");
    }
    out.push_str(&format!(
        r#"<w:t xml:space="preserve">{}</w:t></w:r>"#,
        escape(text)
    ));
}

/// A paragraph; `jc` is left, center or both; `indent` indents the first line by two characters.
fn paragraph(out: &mut String, text: &str, jc: &str, style: Style, after: u32, indent: bool) {
    out.push_str(&format!(
        r#"<w:p><w:pPr><w:spacing w:after="{after}"/>{}<w:jc w:val="{jc}"/></w:pPr>"#,
        if indent {
            r#"<w:ind w:firstLineChars="200"/>"#
        } else {
            ""
        }
    ));
    if !text.is_empty() {
        run(out, text, style);
    }
    out.push_str("</w:p>");
}

/// A table cell: one paragraph per line of its text.
fn cell(out: &mut String, text: &str, width: u32, jc: &str, header: bool) {
    out.push_str(&format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{}<w:vAlign w:val="center"/></w:tcPr>"#,
        if header {
            r#"<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>"#
        } else {
            ""
        }
    ));
    let style = if header {
        Style {
            font: Some(HEAD_FONT),
            size: None,
            bold: false,
        }
    } else {
        PLAIN
    };
    let mut lines = text.lines().peekable();
    if lines.peek().is_none() {
        paragraph(out, "", jc, style, 0, false);
    }
    for line in lines {
        paragraph(out, line, jc, style, 0, false);
    }
    out.push_str("</w:tc>");
}

/// Twips a column of `width` digit widths needs at 10.5 pt (a CJK character is 210 twips and
/// 2.1 digit widths), with the cell's side margins.
fn natural_twips(width: f64) -> f64 {
    width * 100.0 + 2.0 * 80.0 + 40.0
}

/// Column widths in twips. Columns marked `fixed` (numbers, names) get what their text needs;
/// the others share what is left of the page in proportion to their text, so long texts wrap
/// and names do not.
fn column_twips(widths: &[f64], fixed: &[bool]) -> Vec<u32> {
    let usable = f64::from(PAGE_W - 2 * MARGIN);
    let sum = |want_fixed: bool, f: &dyn Fn(f64) -> f64| -> f64 {
        widths
            .iter()
            .zip(fixed)
            .filter(|(_, is_fixed)| **is_fixed == want_fixed)
            .map(|(w, _)| f(*w))
            .sum()
    };
    let fixed_total = sum(true, &natural_twips);
    let flexible = sum(false, &|w| w);
    let natural_total = fixed_total + sum(false, &natural_twips);
    if natural_total <= usable || flexible == 0.0 || fixed_total > usable * 0.6 {
        // Everything fits as it is (a small table), or the names would crowd out the texts:
        // scale all columns alike.
        let scale = (usable / natural_total).min(1.0);
        return widths
            .iter()
            .map(|w| (natural_twips(*w) * scale) as u32)
            .collect();
    }
    let rest = usable - fixed_total;
    widths
        .iter()
        .zip(fixed)
        .map(|(w, is_fixed)| {
            if *is_fixed {
                natural_twips(*w) as u32
            } else {
                (w / flexible * rest) as u32
            }
        })
        .collect()
}

/// A bordered table whose first row repeats on every page. `widths` are in digit widths (see
/// layout); `fixed` marks columns of names and numbers; `centered` the centred ones.
fn table(
    out: &mut String,
    headers: &[&str],
    rows: &[Vec<String>],
    widths: &[f64],
    fixed: &[bool],
    centered: &[bool],
) {
    let twips = column_twips(widths, fixed);
    out.push_str(&format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>"#,
        twips.iter().sum::<u32>()
    ));
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!(
            r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
        ));
    }
    out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#);
    for w in &twips {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    out.push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"#);
    for (h, w) in headers.iter().zip(&twips) {
        cell(out, h, *w, "center", true);
    }
    out.push_str("</w:tr>");
    for row in rows {
        out.push_str("<w:tr>");
        for (i, (text, w)) in row.iter().zip(&twips).enumerate() {
            let jc = if centered.get(i).copied().unwrap_or(false) {
                "center"
            } else {
                "left"
            };
            cell(out, text, *w, jc, false);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

fn stat_table(out: &mut String, t: &StatTable) {
    paragraph(
        out,
        &t.title,
        "left",
        Style {
            font: Some(HEAD_FONT),
            size: Some(24),
            bold: false,
        },
        120,
        false,
    );
    if t.rows.is_empty() {
        paragraph(out, "无。", "left", PLAIN, 240, false);
        return;
    }
    let headers: Vec<&str> = t.headers.iter().map(String::as_str).collect();
    let widths = plain_widths(&t.headers, &t.rows, 40.0);
    let centered: Vec<bool> = widths.iter().map(|w| *w < 20.0).collect();
    table(out, &headers, &t.rows, &widths, &centered, &centered);
    paragraph(out, "", "left", PLAIN, 240, false);
}

fn document(notice: &Notice) -> String {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>"#
    );
    let title_style = Style {
        font: Some(HEAD_FONT),
        size: Some(36),
        bold: false,
    };
    paragraph(&mut out, &notice.title, "center", title_style, 120, false);
    paragraph(
        &mut out,
        &format!("（{}）", notice.date_zh()),
        "center",
        PLAIN,
        120,
        false,
    );
    paragraph(&mut out, &notice.summary_zh(), "both", PLAIN, 120, true);

    let rows: Vec<Vec<String>> = notice.rows.iter().map(|r| notice.row_cells(r)).collect();
    let centered: Vec<bool> = notice
        .columns
        .iter()
        .map(|c| matches!(c, Column::Seq | Column::Leaders | Column::Escalation))
        .collect();
    let fixed: Vec<bool> = notice
        .columns
        .iter()
        .map(|c| {
            matches!(
                c,
                Column::Seq | Column::Leaders | Column::Units | Column::Escalation
            )
        })
        .collect();
    let widths = column_widths(notice);
    table(
        &mut out,
        &notice.headers(),
        &rows,
        &widths,
        &fixed,
        &centered,
    );

    // The statistics start on a page of their own.
    out.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
    paragraph(&mut out, "统计", "center", title_style, 120, false);
    for t in notice.stat_tables() {
        stat_table(&mut out, &t);
    }
    out.push_str(&format!(
        r#"<w:sectPr><w:footerReference w:type="default" r:id="rId2"/><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}" w:orient="landscape"/><w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    ));
    out
}

pub fn write(notice: &Notice) -> Result<Vec<u8>, NoticeError> {
    package(&notice.title, document(notice), &[])
}

/// A printed table other than the notice (see `PrintTable`): title, subtitle, the table.
pub fn write_table(t: &PrintTable) -> Result<Vec<u8>, NoticeError> {
    let mut out = document_start();
    print_table(&mut out, t);
    out.push_str(&section_end());
    package(&t.title, out, &[])
}

/// A printed report (see `PrintReport`): each table as `write_table` prints it, a table a page,
/// then the figures two abreast, each over its caption.
pub fn write_report(report: &PrintReport) -> Result<Vec<u8>, NoticeError> {
    let mut out = document_start();
    for (i, t) in report.tables.iter().enumerate() {
        if i > 0 {
            out.push_str(PAGE_BREAK);
        }
        print_table(&mut out, t);
    }
    let mut media = Vec::with_capacity(report.figures.len());
    if !report.figures.is_empty() {
        out.push_str(PAGE_BREAK);
        paragraph(&mut out, &report.figures_title, "center", TITLE, 120, false);
        // Half the text width (less a little air) for each of two columns.
        let column = (PAGE_W - 2 * MARGIN) / 2;
        out.push_str(&format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="{column}"/><w:gridCol w:w="{column}"/></w:tblGrid>"#,
            column * 2
        ));
        for pair in report.figures.chunks(2) {
            out.push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
            for slot in 0..2 {
                out.push_str(&format!(
                    r#"<w:tc><w:tcPr><w:tcW w:w="{column}" w:type="dxa"/></w:tcPr>"#
                ));
                match pair.get(slot) {
                    Some(figure) => {
                        let n = media.len() + 1;
                        media.push((format!("media/chart{n}.png"), figure.png.clone()));
                        // Twentieths of a point to EMU (635 per twip), less the cell margins.
                        let width = u64::from(column.saturating_sub(240)) * 635;
                        let height =
                            width * u64::from(figure.height) / u64::from(figure.width.max(1));
                        out.push_str(&format!(
                            r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}</w:p>"#,
                            inline_picture(n, width, height)
                        ));
                        paragraph(&mut out, &figure.caption, "left", SMALL, 200, false);
                    }
                    None => out.push_str("<w:p/>"),
                }
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
    }
    out.push_str(&section_end());
    package(&report.title, out, &media)
}

const PAGE_BREAK: &str = r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#;

const TITLE: Style = Style {
    font: Some(HEAD_FONT),
    size: Some(36),
    bold: false,
};

const SMALL: Style = Style {
    font: None,
    size: Some(18),
    bold: false,
};

fn document_start() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:pic="{PIC_NS}"><w:body>"#
    )
}

fn section_end() -> String {
    format!(
        r#"<w:sectPr><w:footerReference w:type="default" r:id="rId2"/><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}" w:orient="landscape"/><w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

fn print_table(out: &mut String, t: &PrintTable) {
    paragraph(out, &t.title, "center", TITLE, 120, false);
    if let Some(subtitle) = &t.subtitle {
        paragraph(out, subtitle, "center", PLAIN, 120, false);
    }
    let headers: Vec<&str> = t.headers.iter().map(String::as_str).collect();
    table(out, &headers, &t.rows, &t.widths(), &t.fixed, &t.centered);
}

/// A picture in the text: the n-th image part, `width` × `height` in EMU.
fn inline_picture(n: usize, width: u64, height: u64) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{width}" cy="{height}"/><wp:docPr id="{n}" name="图{n}"/><a:graphic><a:graphicData uri="{PIC_NS}"><pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="chart{n}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
    )
}

/// The docx package around a document part.
/// `media`: image parts (word/media/…png), referred to as rIdImg1, rIdImg2, … in order.
fn package(
    title: &str,
    document: String,
    media: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, NoticeError> {
    let mut rels = DOCUMENT_RELS.replace("</Relationships>", "");
    for (i, (name, _)) in media.iter().enumerate() {
        rels.push_str(&format!(
            r#"<Relationship Id="rIdImg{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{name}"/>"#,
            i + 1
        ));
    }
    rels.push_str("</Relationships>");
    let parts: [(&str, String); 7] = [
        (
            "[Content_Types].xml",
            CONTENT_TYPES.replace(
                r#"<Default Extension="xml""#,
                r#"<Default Extension="png" ContentType="image/png"/><Default Extension="xml""#,
            ),
        ),
        ("_rels/.rels", PACKAGE_RELS.to_owned()),
        ("docProps/core.xml", core_properties(title)),
        ("word/_rels/document.xml.rels", rels),
        ("word/styles.xml", styles()),
        ("word/footer1.xml", footer()),
        ("word/document.xml", document),
    ];
    let zip_error = |e: zip::result::ZipError| NoticeError::Docx(e.to_string());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(body.as_bytes())
            .map_err(|e| NoticeError::Docx(e.to_string()))?;
    }
    for (name, bytes) in media {
        // PNG is compressed already.
        zip.start_file(
            format!("word/{name}"),
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored),
        )
        .map_err(zip_error)?;
        zip.write_all(bytes)
            .map_err(|e| NoticeError::Docx(e.to_string()))?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}
