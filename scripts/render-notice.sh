#!/usr/bin/env bash
# Prints the notice of the 2023 monthly seed the way an office would: xlsx and docx converted to
# PDF by LibreOffice, then to PNG pages by pdftoppm, for a person to look at.
#   bash scripts/render-notice.sh [OUT_DIR]       (default: target/notice-render)
# Needs Debian's libreoffice-calc, libreoffice-writer, poppler-utils and a CJK font
# (fonts-noto-cjk); installs them when run as root and they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-target/notice-render}")
if ! command -v libreoffice >/dev/null || ! command -v pdftoppm >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            libreoffice-calc libreoffice-writer poppler-utils fonts-noto-cjk >/dev/null
    else
        echo "render-notice: needs libreoffice and pdftoppm (apt-get install libreoffice-calc libreoffice-writer poppler-utils fonts-noto-cjk)" >&2
        exit 2
    fi
fi
cargo build --release -q -p duban-cli
duban=$PWD/target/release/duban
rm -rf "$out" && mkdir -p "$out"
db="$out/render.db"
ledger="2023年《政府工作报告》重点工作"
"$duban" --db "$db" init >/dev/null
"$duban" --db "$db" import fixtures/progress-2023-08-linzi.txt >/dev/null 2>&1
for format in xlsx docx html md; do
    "$duban" --db "$db" notice --ledger "$ledger" --period 2023-08 --date 2023-09-05 -o "$out/notice.$format"
done
"$duban" --db "$db" notice --ledger "$ledger" --period 2023-08 --date 2023-09-05 --only-problems -o "$out/problems.docx"
cd "$out"
# A private profile, so a desktop LibreOffice of the same user is left alone.
for file in notice.xlsx notice.docx problems.docx; do
    libreoffice -env:UserInstallation=file://"$out"/lo-profile --headless --convert-to pdf "$file" >/dev/null 2>&1
    # notice.xlsx and notice.docx would both become notice.pdf.
    base=${file%.*}-${file##*.}
    mv "${file%.*}.pdf" "$base.pdf"
    pdftoppm -r 60 -png "$base.pdf" "$base"
    echo "$file: $(pdfinfo "$base.pdf" | awk '/^Pages/ {print $2}') pages → $out/$base-*.png"
done
