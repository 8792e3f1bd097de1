#!/usr/bin/env python3
"""Writes the seeds in the layouts other offices use, with what duban must read from each.

    python3 scripts/make-layouts.py [--duban target/debug/duban] [--out fixtures/layouts]

For every layout NAME it writes the input file (NAME.tsv, NAME.csv, NAME.txt, NAME.html) and
NAME.expect.json: the ledger JSON (ledger, period, tasks) that reading the file must give.
crates/import/tests/layouts.rs reads each file and compares. The content comes from duban's
reading of the seed texts (`duban import … --dry-run --json`, `duban tasks propose`), so the
expected values are the seeds' own cells moved into another layout; the readers under test never
see this script, and nothing here is tuned to what they do.

Layouts:
- reordered.tsv        the monthly table with its columns in another order (units first)
- split-units.csv      牵头单位 and 配合单位 in separate columns, 责任领导 for leaders, 完成时限
- lead-and-units.tsv   牵头责任单位 beside 责任单位 (the others), leaders spaced for alignment
                       and run together (王 强李 华), no status words
- units-before-progress.txt
                       text pasted from a PDF: columns goal, target, units, progress, no
                       leaders, no status words; cells wrapped at their widths, page breaks
- division-lines.txt   a division plan: numbered items under section headings, responsibilities
                       on the lines after each item (牵头单位 / 责任单位 / 责任领导 / 完成时限)
- division-brackets.txt
                       the same plan with responsibilities in a closing bracket, items wrapped
- web-flattened.txt    a table copied from a web page: one cell per line, each ending in " |"
- portal.html          a page of a government portal: th header, units before leaders, leaders
                       of neighbouring tasks merged with rowspan, no target column
- indicators-unnumbered.txt
                       a plan whose main indicator table has no （1） row numbers, categories
                       numbered 一、二、 and each row on one line (NAME.expect.json: the indicators)
- indicators-cell-per-line.txt
                       the indicator table one cell per line, as a web table copies out
"""

import argparse
import csv
import html
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATUS = {"done": "完成", "partial": "部分完成", "not_done": "未完成", "unreported": "未报送"}
MONTHLY_TITLE = "2023年《政府工作报告》重点工作8月份完成情况通报表"
LEDGER = "2023年《政府工作报告》重点工作"


def run_json(duban, *args, db=None):
    cmd = [duban] + (["--db", db] if db else []) + list(args)
    out = subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "DATABASE_URL": ""})
    return json.loads(out.stdout)


def unit_text(unit):
    return unit["name"] + {"lead": "（牵头）", "data_source": "（提供数据）"}.get(unit["role"], "")


def progress_cell(task, with_status=True):
    text = task.get("progress", "")
    if with_status and task.get("status"):
        return STATUS[task["status"]] + ("。" + text if text else "")
    return text


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def expect(path, ledger, period, tasks):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"ledger": ledger, "period": period, "tasks": tasks}, f, ensure_ascii=False, indent=1)
        f.write("\n")


def expect_indicators(path, indicators):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"indicators": indicators}, f, ensure_ascii=False, indent=1)
        f.write("\n")


def strip(task, *keys):
    return {k: v for k, v in task.items() if k not in keys}


def reordered(sheet, out):
    rows = [[MONTHLY_TITLE], ["责任单位", "序号", "分管区领导", "完成情况", "8月份目标任务", "年度目标任务"]]
    for t in sheet["tasks"]:
        rows.append(["、".join(unit_text(u) for u in t["units"]), str(t["seq"]), "、".join(t["leaders"]),
                     progress_cell(t), t.get("target", ""), t["goal"]])
    write(os.path.join(out, "reordered.tsv"), "\n".join("\t".join(r) for r in rows) + "\n")
    expect(os.path.join(out, "reordered.expect.json"), LEDGER, sheet["period"], sheet["tasks"])


def split_units(sheet, out):
    path = os.path.join(out, "split-units.csv")
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["2023年《政府工作报告》重点工作8月份完成情况统计表"])
        w.writerow(["序号", "重点任务", "牵头单位", "配合单位", "责任领导", "完成时限", "8月份目标", "进展情况"])
        for t in sheet["tasks"]:
            lead = [u["name"] for u in t["units"] if u["role"] == "lead"]
            rest = [unit_text(u) for u in t["units"] if u["role"] != "lead"]
            w.writerow([t["seq"], t["goal"], "\n".join(lead), "\n".join(rest), "\n".join(t["leaders"]),
                        deadline(t), t.get("target", ""), progress_cell(t)])
    # The lead units' column comes first, so they do.
    tasks = [{**t, "units": sorted(t["units"], key=lambda u: u["role"] != "lead"), "deadline": deadline(t)}
             for t in sheet["tasks"]]
    expect(os.path.join(out, "split-units.expect.json"), LEDGER, sheet["period"], tasks)


def deadline(task):
    return "2023年9月底" if task["seq"] % 4 == 0 else "2023年12月底前"


def spaced(names):
    """Names padded to three characters for alignment and run together: 王 强李 华."""
    return "".join(n[0] + " " + n[1] if len(n) == 2 else n for n in names)


def lead_and_units(sheet, out):
    rows = [["2023年重点工作8月份推进情况表"], ["序号", "工作任务", "牵头责任单位", "责任单位", "分管领导", "进展情况"]]
    tasks = []
    for t in sheet["tasks"]:
        lead = [u for u in t["units"] if u["role"] == "lead"]
        rest = [u for u in t["units"] if u["role"] == "support"]
        rows.append([str(t["seq"]), t["goal"], "、".join(u["name"] for u in lead), "、".join(u["name"] for u in rest),
                     spaced(t["leaders"]), progress_cell(t, with_status=False)])
        expected = strip(t, "status", "target", "units")
        expected["units"] = lead + rest
        if not t.get("progress"):
            expected.pop("progress", None)
        tasks.append(expected)
    write(os.path.join(out, "lead-and-units.tsv"), "\n".join("\t".join(r) for r in rows) + "\n")
    expect(os.path.join(out, "lead-and-units.expect.json"), "2023年重点工作", "2023-08", tasks)


def wrap(text, width):
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def units_before_progress(sheet, out):
    """Text as copied from a PDF: each cell wrapped at its column's width, cells one after another
    with a blank line between, the row number on its own line, a footer and the header again at
    every page break."""
    header = "序号 工作任务 8月份目标 责任单位 完成情况"
    lines = ["2023年重点工作8月份推进情况表", header, ""]
    page, on_page = 1, 0
    tasks = []
    for t in sheet["tasks"]:
        block = [str(t["seq"]), ""]
        for cell, width in [(t["goal"], 16), (t.get("target", ""), 15)]:
            if cell:
                block += wrap(cell, width) + [""]
        for u in t["units"]:
            block += wrap(u["name"] + ("（牵头）" if u["role"] == "lead" else "提供数据" if u["role"] == "data_source" else ""), 8)
        block.append("")
        if t.get("progress"):
            block += wrap(t["progress"], 16) + [""]
        if on_page + len(block) > 70:
            lines += ["", f"第 {page} 页，共 40 页", "", header, ""]
            page, on_page = page + 1, 0
        lines += block
        on_page += len(block)
        expected = strip(t, "status", "leaders")
        # A space that falls at a wrap is lost in a PDF copy, as it is here.
        for key, width in [("goal", 16), ("target", 15), ("progress", 16)]:
            if expected.get(key):
                expected[key] = "".join(line.strip() for line in wrap(expected[key], width))
        tasks.append(expected)
    write(os.path.join(out, "units-before-progress.txt"), "\n".join(lines) + "\n")
    expect(os.path.join(out, "units-before-progress.expect.json"), "2023年重点工作", "2023-08", tasks)


def division_tasks(duban, sheet):
    """Goals and their sections from the 2021 report's proposed tasks; units and leaders lent by
    the 2023 table's tasks in turn; every third task a deadline."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "d.db")
        subprocess.run([duban, "--db", db, "init"], check=True, capture_output=True)
        subprocess.run([duban, "--db", db, "import", os.path.join(ROOT, "fixtures", "work-report-2021-linzi.txt")],
                       check=True, capture_output=True)
        proposed = run_json(duban, "tasks", "propose", "--document", "1", "--json", db=db)
    items = []
    for i, p in enumerate(proposed["tasks"][:60]):
        headings = p["source"]["headings"][1:]
        lender = sheet["tasks"][i % len(sheet["tasks"])]
        item = {"goal": p["goal"].rstrip("。；"), "headings": headings, "leaders": lender["leaders"],
                "lead": [u["name"] for u in lender["units"] if u["role"] == "lead"],
                "support": [u["name"] for u in lender["units"] if u["role"] != "lead"]}
        if i % 3 == 0:
            item["deadline"] = "2021年12月底"
        items.append(item)
    return items


def expected_division(items, brackets):
    tasks = []
    for seq, it in enumerate(items, 1):
        t = {"seq": seq, "goal": it["goal"] if brackets else it["goal"] + "。"}
        t["leaders"] = it["leaders"]
        t["units"] = [{"name": n, "role": "lead"} for n in it["lead"]] + [{"name": n, "role": "support"} for n in it["support"]]
        if it["headings"]:
            t["section"] = " / ".join(it["headings"])
        if "deadline" in it and not brackets:
            t["deadline"] = it["deadline"]
        tasks.append(t)
    return tasks


def numbered_items(items):
    """Each item with the headings to write before it (those not already above it) and its
    number, which starts again under every new heading."""
    current, n = None, 0
    for it in items:
        heads = []
        if it["headings"] != current:
            heads = [h for h in it["headings"] if current is None or h not in current]
            current, n = it["headings"], 0
        n += 1
        yield heads, n, it


def division_lines(items, out):
    lines = ["2021年区政府工作报告重点任务分工方案", "", "为抓好《政府工作报告》确定的各项任务落实，制定本方案。", ""]
    for heads, n, it in numbered_items(items):
        lines += heads
        lines.append(f"{n}．{it['goal']}。")
        lines.append("牵头单位：" + "、".join(it["lead"]))
        if it["support"]:
            lines.append("责任单位：" + "、".join(it["support"]))
        lines.append("责任领导：" + "、".join(it["leaders"]))
        if "deadline" in it:
            lines.append("完成时限：" + it["deadline"])
        lines.append("")
    write(os.path.join(out, "division-lines.txt"), "\n".join(lines) + "\n")
    expect(os.path.join(out, "division-lines.expect.json"), "2021年区政府工作报告重点任务", None, expected_division(items, False))


def division_brackets(items, out):
    lines = ["临淄区2021年重点工作责任分工方案", ""]
    for heads, n, it in numbered_items(items):
        lines += heads
        duties = [f"责任领导：{'、'.join(it['leaders'])}", f"牵头单位：{'、'.join(it['lead'])}"]
        if it["support"]:
            duties.append(f"责任单位：{'、'.join(it['support'])}")
        text = f"{n}.{it['goal']}（{'；'.join(duties)}）。"
        # Long items wrap, as they do when copied out of a PDF.
        lines += wrap(text, 48) if n % 2 == 0 else [text]
    write(os.path.join(out, "division-brackets.txt"), "\n".join(lines) + "\n")
    expect(os.path.join(out, "division-brackets.expect.json"), "临淄区2021年重点工作", None, expected_division(items, True))


def web_flattened(sheet, out):
    cells = ["序号", "年度目标任务", "8月份目标任务", "完成情况", "分管区领导", "责任单位"]
    lines = [MONTHLY_TITLE, "发布时间：2023-09-05"] + [c + " |" for c in cells]
    for t in sheet["tasks"]:
        row = [str(t["seq"]), t["goal"], t.get("target", ""), progress_cell(t), "、".join(t["leaders"]),
               "、".join(unit_text(u) for u in t["units"])]
        lines += [c + " |" for c in row]
    write(os.path.join(out, "web-flattened.txt"), "\n".join(lines) + "\n")
    expect(os.path.join(out, "web-flattened.expect.json"), LEDGER, sheet["period"], sheet["tasks"])


def portal(sheet, out):
    tasks = sheet["tasks"]
    rows = []
    i = 0
    while i < len(tasks):
        j = i
        while j + 1 < len(tasks) and tasks[j + 1]["leaders"] == tasks[i]["leaders"]:
            j += 1
        for k in range(i, j + 1):
            t = tasks[k]
            leader = f'<td rowspan="{j - i + 1}">{"<br>".join(map(html.escape, t["leaders"]))}</td>' if k == i else ""
            rows.append(f"<tr><td>{t['seq']}</td><td>{html.escape(t['goal'])}</td>"
                        f"<td>{'<br/>'.join(html.escape(unit_text(u)) for u in t['units'])}</td>{leader}"
                        f"<td><p>{html.escape(progress_cell(t))}</p></td></tr>")
        i = j + 1
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>督查通报</title>"
            "<style>td{border:1px solid}</style></head><body><div class=\"crumb\">首页 &gt; 政务公开</div>"
            f"<h2>2023年《政府工作报告》重点工作8月份完成情况通报表</h2><table><thead><tr><th>序号</th><th>年度目标任务</th>"
            "<th>责任单位</th><th>分管区领导</th><th>完成情况</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table><script>var x=1;</script></body></html>")
    write(os.path.join(out, "portal.html"), page)
    expected = [strip(t, "target") for t in tasks]
    expect(os.path.join(out, "portal.expect.json"), LEDGER, sheet["period"], expected)


PLAN_OPENING = """某某区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要

第一章 发展基础

“十三五”时期，全区经济社会发展取得显著成就。综合实力稳步提升，动能转换加快推进。

城乡面貌持续改善，民生福祉不断增进。生态环境明显好转，社会治理水平不断提高。

第二章 总体要求

坚持稳中求进工作总基调，立足新发展阶段，贯彻新发展理念，构建新发展格局。

到2025年，经济实力、科技实力、综合竞争力明显增强。主要指标如下。

"""


def indicator_cells(ind):
    value = lambda v: "——" if v is None else v["text"]
    return [value(ind["baseline"]), value(ind["target"]), value(ind["growth"]), ATTRIBUTE[ind["attribute"]]]


ATTRIBUTE = {"expected": "预期性", "binding": "约束性"}
NUMERALS = "一二三四五六七八九十"


def indicators_unnumbered(plan, out):
    """The indicator table without （1） row numbers, categories numbered 一、二、, a row a line."""
    lines = ["表1 “十四五”时期经济社会发展主要指标", "指标名称（单位） 2020年 2025年 年均增长 属性"]
    category, n = None, 0
    for ind in plan["indicators"]:
        if ind["category"] != category:
            category = ind["category"]
            lines.append(f"{NUMERALS[n]}、{category}")
            n += 1
        name = ind["name"] + (f"（{ind['uom']}）" if ind["uom"] else "")
        lines.append(" ".join([name] + indicator_cells(ind)))
    write(os.path.join(out, "indicators-unnumbered.txt"), PLAN_OPENING + "\n".join(lines) + "\n\n第三章 创新驱动\n\n坚持创新在现代化建设全局中的核心地位。\n")
    expect_indicators(os.path.join(out, "indicators-unnumbered.expect.json"), plan["indicators"])


def indicators_cell_per_line(plan, out):
    """The indicator table as a web page's table copies out: one cell per line, the category a
    line of its own."""
    lines = ["“十四五”时期主要指标", "指标", "2020年", "2025年", "年均增速", "属性"]
    category = None
    for i, ind in enumerate(plan["indicators"], 1):
        if ind["category"] != category:
            category = ind["category"]
            lines.append(category)
        lines.append(f"（{i}）" + ind["name"] + (f"（{ind['uom']}）" if ind["uom"] else ""))
        lines += indicator_cells(ind)
    write(os.path.join(out, "indicators-cell-per-line.txt"), PLAN_OPENING + "\n".join(lines) + "\n\n第三章 创新驱动\n\n坚持创新在现代化建设全局中的核心地位。\n")
    expect_indicators(os.path.join(out, "indicators-cell-per-line.expect.json"), plan["indicators"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duban", default=os.path.join(ROOT, "target", "debug", "duban"))
    parser.add_argument("--out", default=os.path.join(ROOT, "fixtures", "layouts"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    sheet = run_json(args.duban, "import", os.path.join(ROOT, "fixtures", "progress-2023-08-linzi.txt"), "--dry-run", "--json")
    reordered(sheet, args.out)
    split_units(sheet, args.out)
    lead_and_units(sheet, args.out)
    units_before_progress(sheet, args.out)
    items = division_tasks(args.duban, sheet)
    division_lines(items, args.out)
    division_brackets(items, args.out)
    web_flattened(sheet, args.out)
    portal(sheet, args.out)
    plan = run_json(args.duban, "import", os.path.join(ROOT, "fixtures", "plan-2021-2025-zichuan.txt"), "--as", "plan", "--dry-run", "--json")
    indicators_unnumbered(plan, args.out)
    indicators_cell_per_line(plan, args.out)
    for name in sorted(os.listdir(args.out)):
        print(f"{os.path.getsize(os.path.join(args.out, name)):>9}  {name}")


if __name__ == "__main__":
    main()
