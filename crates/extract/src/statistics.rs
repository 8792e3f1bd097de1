//! A statistics table of indicator values (统计数据表), as a statistics bureau sends it, in either
//! shape: long (指标 | 年度 | 数值 [| 说明]) or wide (指标 | 2021年 | 2022年 | …). Returns each
//! value with the row it came from; which indicator a name means is the caller's (the plan's).

/// One value read from the table.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticValue {
    pub indicator: String,
    pub year: i32,
    /// The cell as written (one number, or two for 男性/女性).
    pub value: String,
    pub note: String,
    /// Where it is: "第 5 行", "工作表“Sheet1”第 5 行".
    pub place: String,
}

/// A year written as a header or a cell: 2023, 2023年, 2023年度.
fn year_of(cell: &str) -> Option<i32> {
    let t = cell
        .trim()
        .trim_end_matches('度')
        .trim_end_matches('年')
        .trim();
    let year: i32 = t.parse().ok()?;
    (1990..=2100).contains(&year).then_some(year)
}

fn is_indicator_header(cell: &str) -> bool {
    let c: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    c.starts_with("指标") || c == "名称" || c == "项目"
}

/// Reads the values of a statistics table from its rows `(place, cells)`. The header is the
/// first row with an indicator column; an error names the file's place where it stops.
pub fn read(rows: &[(String, Vec<String>)]) -> Result<Vec<StatisticValue>, String> {
    let Some(header_at) = rows
        .iter()
        .position(|(_, cells)| cells.iter().any(|c| is_indicator_header(c)))
    else {
        return Err(
            "找不到表头：应有“指标”列，以及“年度”“数值”列或各年份列（如 2021年）".to_owned(),
        );
    };
    let header = &rows[header_at].1;
    let find = |words: &[&str]| {
        header.iter().position(|c| {
            let c: String = c.chars().filter(|c| !c.is_whitespace()).collect();
            words.iter().any(|w| c.contains(w))
        })
    };
    let name_col = header
        .iter()
        .position(|c| is_indicator_header(c))
        .unwrap_or(0);
    let year_cols: Vec<(usize, i32)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, c)| year_of(c).map(|y| (i, y)))
        .collect();
    let long = (
        find(&["年度", "年份"]),
        find(&["数值", "实际", "完成值", "值"]),
    );
    let note_col = find(&["说明", "备注", "来源"]);
    let mut values = Vec::new();
    for (place, cells) in &rows[header_at + 1..] {
        let cell = |i: usize| cells.get(i).map(|c| c.trim()).unwrap_or_default();
        let name = cell(name_col)
            .trim_start_matches(|c: char| {
                c == '（' || c == '(' || c == '）' || c == ')' || c.is_ascii_digit()
            })
            .trim()
            .to_owned();
        if name.is_empty() {
            continue;
        }
        let note = note_col.map(cell).unwrap_or_default().to_owned();
        match long {
            (Some(y), Some(v)) if year_cols.is_empty() => {
                let year = year_of(cell(y))
                    .ok_or_else(|| format!("{place}：年度“{}”不是年份", cell(y)))?;
                if cell(v).is_empty() {
                    continue;
                }
                values.push(StatisticValue {
                    indicator: name,
                    year,
                    value: cell(v).to_owned(),
                    note,
                    place: place.clone(),
                });
            }
            _ if !year_cols.is_empty() => {
                for (i, year) in &year_cols {
                    let v = cell(*i);
                    if v.is_empty() || v == "——" || v == "-" {
                        continue;
                    }
                    values.push(StatisticValue {
                        indicator: name.clone(),
                        year: *year,
                        value: v.to_owned(),
                        note: note.clone(),
                        place: place.clone(),
                    });
                }
            }
            _ => {
                return Err("表头没有“年度”和“数值”列，也没有年份列（如 2021年）".to_owned());
            }
        }
    }
    if values.is_empty() {
        return Err("表中没有数值".to_owned());
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: &[&[&str]]) -> Vec<(String, Vec<String>)> {
        table
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    format!("第 {} 行", i + 1),
                    r.iter().map(|c| (*c).to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn long_and_wide_tables_give_the_same_values() {
        let long = read(&rows(&[
            &["淄川区主要指标完成情况"],
            &["指标名称", "年度", "数值", "说明"],
            &["（2）常住人口城镇化率", "2022年", "69.5", "统计年鉴"],
            &["常住人口城镇化率", "2023", "70.5", ""],
            &["", "", "", ""],
        ]))
        .expect("long");
        let wide = read(&rows(&[
            &["指标", "2022年", "2023年"],
            &["常住人口城镇化率", "69.5", "70.5"],
            &["人均预期寿命", "——", "78.6,86.2"],
        ]))
        .expect("wide");
        assert_eq!(long.len(), 2);
        assert_eq!(long[0].indicator, "常住人口城镇化率");
        assert_eq!((long[0].year, long[0].value.as_str()), (2022, "69.5"));
        assert_eq!(long[0].note, "统计年鉴");
        assert_eq!(wide.len(), 3);
        assert_eq!(
            (wide[1].year, wide[1].value.as_str()),
            (long[1].year, long[1].value.as_str())
        );
        assert_eq!(wide[2].place, "第 3 行");
    }

    #[test]
    fn a_table_without_a_header_or_a_year_says_where() {
        assert!(
            read(&rows(&[&["a", "b"]]))
                .expect_err("no header")
                .contains("表头")
        );
        let err = read(&rows(&[
            &["指标", "年度", "数值"],
            &["森林覆盖率", "去年", "25"],
        ]))
        .expect_err("not a year");
        assert!(err.contains("第 2 行") && err.contains("去年"), "{err}");
    }
}
