#!/usr/bin/env python3
"""Writes the seed tables and documents as the files offices really exchange, for the tests.

    python3 scripts/make-test-files.py [--duban target/debug/duban] [--out fixtures/files]

Every file is made from a seed's text the way another office would have typed it, so the tests
can check that reading the file gives what reading the text gives:

- progress-2023-08.docx   the 124-task monthly table: title and date paragraphs, the header row
                          repeated on every page, 序号 by automatic numbering (numbering.xml), leaders
                          and units one paragraph each, equal leaders of neighbouring tasks merged
                          down (vMerge), A4 landscape; .pdf (LibreOffice) and .doc
- progress-2023-08-unruled.pdf  the same table without borders: no grid lines to follow
- progress-2023-08.html   the same table as a page saved from a government site (th cells, entities)
- targets-2020.docx       the quarterly table under a two-row header (阶段目标 spanning 第三季度 /
                          第四季度 by gridSpan, the other headers merged down by vMerge); .pdf, and
                          .xls with the targets before the goal
- report-2021.docx        the work report as paragraphs, its numbered headings (一、 （一） 1．) and
                          glossary by automatic numbering; .pdf
- plan-2021-2025.docx     the plan's lines as paragraphs and its main indicators as a Word table; .pdf
- scanned.pdf             a page of the table as a picture only (no text layer)
- locked.pdf              the quarterly table behind an open password

Only the Python standard library and LibreOffice (`soffice`) are needed. The structure of the
seeds comes from duban's own reading of the text (`duban import … --dry-run --json`), so nothing
here knows a seed's rows; the readers under test never see this script.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT = "WenQuanYi Micro Hei"

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run_json(duban, *args):
    out = subprocess.run([duban, *args], check=True, capture_output=True, env={**os.environ, "DATABASE_URL": ""})
    return json.loads(out.stdout)


# ---------------------------------------------------------------- docx writing


def run(text, bold=False, size=None):
    props = f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}"/>'
    if bold:
        props += "<w:b/>"
    if size:
        props += f'<w:sz w:val="{size}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(text="", num=None, bold=False, size=None, center=False, indent=False):
    """A paragraph; `num` = (numId, level) puts it in an automatic list; `indent` indents its
    first line by two characters, as body text of official documents is."""
    props = ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if center:
        props += '<w:jc w:val="center"/>'
    if indent:
        props += '<w:ind w:firstLineChars="200" w:firstLine="420"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{run(text, bold, size) if text else ''}</w:p>"


def cell(paragraphs, width, span=1, vmerge=None):
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    body = "".join(paragraphs) or "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def row(cells, header=False):
    props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def table(widths, rows, ruled=True):
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{side} w:val="{"single" if ruled else "nil"}" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


def numbering(levels_by_id):
    """levels_by_id: {numId: [(numFmt, lvlText), …]} — one abstractNum per list."""
    abstract, nums = [], []
    for num_id, levels in levels_by_id.items():
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        abstract.append(f'<w:abstractNum w:abstractNumId="{num_id}">{lvls}</w:abstractNum>')
        nums.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>')
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {W_NS}>{"".join(abstract)}{"".join(nums)}</w:numbering>'


def write_docx(path, body, numbering_xml=None, landscape=False):
    size = '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' if landscape else '<w:pgSz w:w="11906" w:h="16838"/>'
    margins = '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
    # Every page carries its number in the footer, as official documents do: — 3 —.
    footer_ref = '<w:footerReference w:type="default" r:id="rId3" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>{body}'
        f"<w:sectPr>{footer_ref}{size}{margins}</w:sectPr></w:body></w:document>"
    )
    footer = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W_NS}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
        + run("— ")
        + '<w:fldSimple w:instr="PAGE">' + run("1") + "</w:fldSimple>"
        + run(" —")
        + "</w:p></w:ftr>"
    )
    rels = [
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>',
    ]
    overrides = [
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>',
        '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>',
    ]
    if numbering_xml:
        rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>')
        overrides.append('<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>')
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}"/><w:sz w:val="21"/><w:lang w:eastAsia="zh-CN"/>'
        "</w:rPr></w:rPrDefault></w:docDefaults></w:styles>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels) + "</Relationships>",
        )
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", styles)
        z.writestr("word/footer1.xml", footer)
        if numbering_xml:
            z.writestr("word/numbering.xml", numbering_xml)


# ---------------------------------------------------------------- tables


def units_lines(task):
    lines = []
    for unit in task.get("units", []):
        mark = {"lead": "（牵头）", "data_source": "提供数据"}.get(unit["role"], "")
        lines.append(unit["name"] + mark)
    return lines


STATUS = {"done": "完成", "partial": "部分完成", "not_done": "未完成", "unreported": "未报送"}


def progress_text(task):
    text = task.get("progress", "")
    status = task.get("status")
    if status:
        return STATUS[status] + "。" + text if text else STATUS[status]
    return text


def monthly_docx(sheet, title, path, ruled=True):
    """Layout A: one header row, automatic 序号, one paragraph per leader and unit. Without
    rules (`ruled=False`) the table has no borders, so a PDF of it has no grid to follow, and
    no merged cells (which could not be seen)."""
    widths = [700, 3800, 3000, 3800, 1200, 2000] if ruled else [700, 3600, 2800, 3600, 1600, 2200]
    month = int(sheet["period"].split("-")[1])
    header = ["序号", "年度目标任务", f"{month}月份目标任务", "完成情况", "分管区领导", "责任单位"]
    rows = [row([cell([para(h, bold=True, center=True)], w) for h, w in zip(header, widths)], header=True)]
    previous = None
    for task in sheet["tasks"]:
        leaders = task.get("leaders", [])
        # Neighbouring tasks with the same leaders share one cell merged down (vMerge).
        if ruled and leaders and leaders == previous:
            leader_cell = cell([], widths[4], vmerge="continue")
        else:
            leader_cell = cell([para(n) for n in leaders], widths[4], vmerge="restart")
        previous = leaders
        rows.append(
            row(
                [
                    cell([para(num=(1, 0))], widths[0]),
                    cell([para(task["goal"])], widths[1]),
                    cell([para(task.get("target", ""))], widths[2]),
                    cell([para(progress_text(task))], widths[3]),
                    leader_cell,
                    cell([para(u) for u in units_lines(task)], widths[5]),
                ]
            )
        )
    body = para(title, bold=True, size=32, center=True) + para("（区政府督查室 2023年9月5日）", center=True) + table(widths, rows, ruled)
    write_docx(path, body, numbering({1: [("decimal", "%1")]}), landscape=True)


def quarterly_docx(sheet, title, path):
    """Layout B: two header rows merged across and down, leaders merged down over equal runs."""
    periods = sorted({p for t in sheet["tasks"] for p in t.get("targets", {})})
    names = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
    units = any(t.get("units") for t in sheet["tasks"])
    widths = [700, 4600] + [4200] * len(periods) + ([2400] if units else [])
    top = [
        cell([para("序号", bold=True)], widths[0], vmerge="restart"),
        cell([para("年度工作任务", bold=True)], widths[1], vmerge="restart"),
        cell([para("阶段目标", bold=True, center=True)], sum(widths[2 : 2 + len(periods)]), span=len(periods)),
    ]
    second = [cell([], widths[0], vmerge="continue"), cell([], widths[1], vmerge="continue")]
    second += [cell([para(names[int(p[-1])] + "目标", bold=True)], widths[2 + i]) for i, p in enumerate(periods)]
    if units:
        top.append(cell([para("责任单位", bold=True)], widths[-1], vmerge="restart"))
        second.append(cell([], widths[-1], vmerge="continue"))
    rows = [row(top, header=True), row(second, header=True)]
    for task in sheet["tasks"]:
        cells = [cell([para(str(task["seq"]))], widths[0]), cell([para(task["goal"])], widths[1])]
        cells += [cell([para(task.get("targets", {}).get(p, ""))], widths[2 + i]) for i, p in enumerate(periods)]
        if units:
            cells.append(cell([para("、".join(units_lines(task)))], widths[-1]))
        rows.append(row(cells))
    body = para("附件") + para(title, bold=True, size=32, center=True) + table(widths, rows)
    write_docx(path, body, landscape=True)


def monthly_html(sheet, title, path):
    """The monthly table as a page saved from a site: th header, entities, a colspan note row."""
    month = int(sheet["period"].split("-")[1])
    out = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + escape(title) + "</title></head><body>",
        '<div class="nav">首页 &gt; 政务公开 &gt; 督查通报</div>',
        "<h1>" + escape(title) + "</h1>",
        "<p>发布时间：2023-09-05&nbsp;&nbsp;来源：区政府督查室</p>",
        '<table border="1"><thead><tr><th>序号</th><th>年度目标任务</th>'
        f"<th>{month}月份目标任务</th><th>完成情况</th><th>分管区领导</th><th>责任单位</th></tr></thead><tbody>",
    ]
    for task in sheet["tasks"]:
        out.append(
            f"<tr><td>{task['seq']}</td><td>{escape(task['goal'])}</td><td>{escape(task.get('target', ''))}</td>"
            f"<td>{escape(progress_text(task))}</td><td>{'<br>'.join(map(escape, task.get('leaders', [])))}</td>"
            f"<td>{'<br/>'.join(map(escape, units_lines(task)))}</td></tr>"
        )
    out.append("</tbody></table><p>（此件公开发布）</p></body></html>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def quarterly_csv(sheet, path):
    import csv

    periods = sorted({p for t in sheet["tasks"] for p in t.get("targets", {})})
    names = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["2020年区政府二十大重点工作任务目标分解表"])
        # Another column order: the targets before the goal.
        writer.writerow(["序号"] + [names[int(p[-1])] + "目标" for p in periods] + ["年度工作任务"])
        for task in sheet["tasks"]:
            writer.writerow([task["seq"]] + [task.get("targets", {}).get(p, "") for p in periods] + [task["goal"]])


# ---------------------------------------------------------------- documents

CN_HEAD = re.compile(r"^([一二三四五六七八九十]+)、")
CN_SUB = re.compile(r"^（([一二三四五六七八九十]+)）")
DIGIT_ITEM = re.compile(r"^(\d+)[．.、]")


def report_docx(text, path):
    """Paragraphs; 一、 （一） and 1． lines become automatic lists (their numbers leave the text)."""
    body = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if CN_HEAD.match(line) and len(line) < 40:
            body.append(para(CN_HEAD.sub("", line), num=(1, 0), bold=True))
        elif CN_SUB.match(line) and len(line) < 40:
            body.append(para(CN_SUB.sub("", line), num=(1, 1)))
        elif DIGIT_ITEM.match(line):
            body.append(para(DIGIT_ITEM.sub("", line), num=(2, 0)))
        else:
            body.append(para(line, indent=True))
    levels = {1: [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")], 2: [("decimal", "%1．")]}
    write_docx(path, "".join(body), numbering(levels))


HEADING = re.compile(r"^(第[一二三四五六七八九十百]+[篇章节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|专栏|前\s*言)")


def paragraphs(lines):
    """The seed's hard-wrapped lines joined back into the paragraphs a Word file holds: a line
    runs on unless it ends a sentence, is short, or a heading comes next."""
    out, current = [], ""
    for line in lines:
        if not line:
            continue
        if current and (HEADING.match(line) or HEADING.match(current) or current.endswith(("。", "：", "；")) or len(current) < 20):
            out.append(current)
            current = ""
        current += line
    if current:
        out.append(current)
    return out


def plan_docx(text, indicators, path):
    """The plan's paragraphs; its indicator table as a Word table in the same place."""
    # The seed was copied out of a PDF: its page footers (— 31 —) are not paragraphs.
    lines = ["" if re.fullmatch(r"[—-]\s*\d+\s*[—-]", l.strip()) else l.strip() for l in text.split("\n")]
    first = next(i for i, l in enumerate(lines) if l.startswith("（1）"))
    # The table runs from its header (the line before the first category) to the last row.
    header_at = max(i for i in range(first) if "指" in lines[i] and "名" in lines[i])
    last_name = indicators[-1]["name"]
    end = next(i for i in range(first, len(lines)) if last_name[:4] in lines[i].replace(" ", ""))
    while end < len(lines) and not lines[end].endswith(("预期性", "约束性")):
        end += 1
    widths = [4200, 1300, 1300, 1500, 1000]
    rows = [row([cell([para(h, bold=True)], w) for h, w in zip(["指标名称（单位）", "2020年", "2025年", "年均增速/[累计]", "指标属性"], widths)], header=True)]
    category = None
    for n, ind in enumerate(indicators, 1):
        if ind["category"] != category:
            category = ind["category"]
            rows.append(row([cell([para(category, bold=True)], sum(widths), span=5)]))
        value = lambda v: "——" if v is None else v["text"]
        name = f"（{n}）{ind['name']}" + (f"（{ind['uom']}）" if ind.get("uom") else "")
        cells = [name, value(ind["baseline"]), value(ind["target"]), value(ind["growth"]), ind["attribute_label"]]
        rows.append(row([cell([para(c)], w) for c, w in zip(cells, widths)]))
    body = [para(p, indent=not HEADING.match(p)) for p in paragraphs(lines[:header_at])]
    body.append(table(widths, rows))
    body += [para(p, indent=not HEADING.match(p)) for p in paragraphs(lines[end + 1 :])]
    write_docx(path, "".join(body))


def image_pdf(jpeg_path, path):
    """A one-page PDF holding only a JPEG picture, as a scanner writes it (no text layer)."""
    with open(jpeg_path, "rb") as f:
        jpeg = f.read()
    # The picture's size from its SOF0/SOF2 marker.
    i = 2
    while i < len(jpeg):
        marker, length = jpeg[i + 1], int.from_bytes(jpeg[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC2):
            height, width = int.from_bytes(jpeg[i + 5 : i + 7], "big"), int.from_bytes(jpeg[i + 7 : i + 9], "big")
            break
        i += 2 + length
    content = f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>\nstream\n".encode() + jpeg + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    with open(path, "wb") as f:
        f.write(out)


# ---------------------------------------------------------------- LibreOffice


def soffice(src, fmt, outdir, infilter=None):
    with tempfile.TemporaryDirectory() as profile:
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", fmt, "--outdir", outdir, src]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duban", default=os.path.join(ROOT, "target", "debug", "duban"))
    parser.add_argument("--out", default=os.path.join(ROOT, "fixtures", "files"))
    parser.add_argument(
        "--bench",
        action="store_true",
        help="write the large files of bench/files.sh instead: a table of 30+ PDF pages and a plan of 200+",
    )
    args = parser.parse_args()
    if not shutil.which("soffice"):
        sys.exit("make-test-files: LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    os.makedirs(args.out, exist_ok=True)
    fx = lambda name: os.path.join(ROOT, "fixtures", name)
    out = lambda name: os.path.join(args.out, name)

    if args.bench:
        return bench_files(args, fx, out)
    monthly = run_json(args.duban, "import", fx("progress-2023-08-linzi.txt"), "--dry-run", "--json")
    quarterly = run_json(args.duban, "import", fx("targets-2020-q3q4-linzi.txt"), "--dry-run", "--json")
    monthly_sheet, quarterly_sheet = monthly, quarterly
    monthly_docx(monthly_sheet, "2023年《政府工作报告》重点工作8月份完成情况通报表", out("progress-2023-08.docx"))
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "progress-2023-08-unruled.docx")
        monthly_docx(monthly_sheet, "2023年《政府工作报告》重点工作8月份完成情况通报表", plain, ruled=False)
        soffice(plain, "pdf", args.out)
    monthly_html(monthly_sheet, "2023年《政府工作报告》重点工作8月份完成情况通报表", out("progress-2023-08.html"))
    quarterly_docx(quarterly_sheet, "2020年区政府二十大重点工作任务目标分解表", out("targets-2020.docx"))

    with open(fx("work-report-2021-linzi.txt"), encoding="utf-8") as f:
        report_docx(f.read(), out("report-2021.docx"))
    plan = run_json(args.duban, "import", fx("plan-2021-2025-zichuan.txt"), "--as", "plan", "--dry-run", "--json")
    for ind in plan["indicators"]:
        ind["attribute_label"] = {"expected": "预期性", "binding": "约束性"}.get(ind["attribute"], ind["attribute"])
    with open(fx("plan-2021-2025-zichuan.txt"), encoding="utf-8") as f:
        plan_docx(f.read(), plan["indicators"], out("plan-2021-2025.docx"))

    for name in ["progress-2023-08.docx", "targets-2020.docx", "report-2021.docx", "plan-2021-2025.docx"]:
        soffice(out(name), "pdf", args.out)
    # LibreOffice 7.4 drops tables when it writes .doc straight from a docx; through .odt it keeps them.
    with tempfile.TemporaryDirectory() as tmp:
        soffice(out("progress-2023-08.docx"), "odt", tmp)
        soffice(os.path.join(tmp, "progress-2023-08.odt"), "doc", args.out)

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "targets-2020.csv")
        quarterly_csv(quarterly_sheet, csv_path)
        soffice(csv_path, "xls", args.out, infilter="CSV:44,34,76,1")
        # A scanned page: the first page of the table as a picture, put back into a PDF.
        subprocess.run(["pdftoppm", "-r", "60", "-jpeg", "-f", "1", "-l", "1", out("targets-2020.pdf"), os.path.join(tmp, "page")], check=True)
        page = next(os.path.join(tmp, n) for n in os.listdir(tmp) if n.endswith(".jpg"))
        image_pdf(page, out("scanned.pdf"))
    locked = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"duban"}}'
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(out("targets-2020.docx"), os.path.join(tmp, "locked.docx"))
        soffice(os.path.join(tmp, "locked.docx"), locked, args.out)
    for name in sorted(os.listdir(args.out)):
        print(f"{os.path.getsize(out(name)):>9}  {name}")


def bench_files(args, fx, out):
    """The monthly table three times over (372 tasks) and the plan five times over, as docx and
    PDF: sizes a city's ledger and a plan with its appendices reach."""
    monthly = run_json(args.duban, "import", fx("progress-2023-08-linzi.txt"), "--dry-run", "--json")
    tasks = []
    for copy in range(3):
        for task in monthly["tasks"]:
            tasks.append({**task, "seq": len(tasks) + 1})
    monthly["tasks"] = tasks
    monthly_docx(monthly, "2023年《政府工作报告》重点工作8月份完成情况通报表", out("table-large.docx"))
    plan = run_json(args.duban, "import", fx("plan-2021-2025-zichuan.txt"), "--as", "plan", "--dry-run", "--json")
    for ind in plan["indicators"]:
        ind["attribute_label"] = {"expected": "预期性", "binding": "约束性"}.get(ind["attribute"], ind["attribute"])
    with open(fx("plan-2021-2025-zichuan.txt"), encoding="utf-8") as f:
        text = f.read()
    # The body after the cover letter, repeated: chapters as long again as a plan's appendices.
    start = text.index("第一章")
    plan_docx(text + ("\n" + text[start:]) * 6, plan["indicators"], out("plan-large.docx"))
    for name in ["table-large.docx", "plan-large.docx"]:
        soffice(out(name), "pdf", args.out)
    for name in sorted(os.listdir(args.out)):
        print(f"{os.path.getsize(out(name)):>9}  {name}")


if __name__ == "__main__":
    main()
