//! Chinese personal names in a leaders cell whose spaces were typed for alignment, not to
//! separate people: 王 强李 华 is 王强 and 李华, 欧阳 明 is one person. A table of surnames (the
//! common single ones of 百家姓 and the compound ones) tells where one name can start.

/// Compound surnames: two characters, never split.
const COMPOUND: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "百里", "呼延", "万俟", "澹台",
    "公冶", "宗政", "濮阳", "太史", "仲孙", "钟离", "闻人", "赫连", "拓跋", "单于", "第五",
];

/// Single-character surnames, the several hundred in common use.
const SINGLE: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";

/// Whether a name can start with this text's first one or two characters; returns the
/// surname's length in characters.
fn surname_at(chars: &[char]) -> Option<usize> {
    let two: String = chars.iter().take(2).collect();
    if chars.len() >= 2 && COMPOUND.contains(&two.as_str()) {
        return Some(2);
    }
    chars.first().filter(|c| SINGLE.contains(**c)).map(|_| 1)
}

/// Splits a run of Han characters into personal names (surname + one or two given characters;
/// a compound surname + one or two), when there is exactly one way to do so; `None` otherwise.
/// `breaks` are the character positions where the writer put a space: a split that agrees with
/// them is preferred when the characters alone allow several.
pub fn split_run(text: &str, breaks: &[usize]) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() || chars.len() > 40 {
        return None;
    }
    // ways[i]: the segmentations of chars[i..], as the lengths of their names (at most a few).
    let n = chars.len();
    let mut ways: Vec<Vec<Vec<usize>>> = vec![Vec::new(); n + 1];
    ways[n].push(Vec::new());
    for i in (0..n).rev() {
        let Some(surname) = surname_at(&chars[i..]) else {
            continue;
        };
        let mut found = Vec::new();
        for given in 1..=2 {
            let len = surname + given;
            if i + len > n {
                continue;
            }
            for rest in &ways[i + len] {
                let mut way = vec![len];
                way.extend(rest);
                found.push(way);
            }
        }
        found.truncate(16);
        ways[i] = found;
    }
    let candidates = &ways[0];
    let chosen = match candidates.len() {
        0 => return None,
        1 => &candidates[0],
        _ => {
            // Several readings: the one that explains the writer's spaces (each between two
            // names, or the padding inside a two-character name: 高 晋), then the one with most
            // names of three characters (the commonest length).
            let score = |way: &Vec<usize>| {
                let mut at = 0;
                let mut starts = Vec::new();
                let mut paddings = Vec::new();
                for len in way {
                    starts.push(at);
                    if *len == 2 {
                        paddings.push(at + 1);
                    }
                    at += len;
                }
                let on_breaks = breaks
                    .iter()
                    .filter(|b| starts.contains(b) || paddings.contains(b))
                    .count();
                let threes = way.iter().filter(|l| **l == 3).count();
                (on_breaks, threes)
            };
            let best = candidates.iter().map(score).max().unwrap_or_default();
            let top: Vec<&Vec<usize>> = candidates.iter().filter(|w| score(w) == best).collect();
            if top.len() != 1 {
                return None;
            }
            top[0]
        }
    };
    let mut names = Vec::new();
    let mut at = 0;
    for len in chosen {
        names.push(chars[at..at + len].iter().collect());
        at += len;
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_run_together_split_at_surnames() {
        assert_eq!(
            split_run("王强李华", &[1, 3]),
            Some(vec!["王强".into(), "李华".into()])
        );
        assert_eq!(
            split_run("郭克华贾继元", &[]),
            Some(vec!["郭克华".into(), "贾继元".into()])
        );
        assert_eq!(split_run("欧阳明", &[2]), Some(vec!["欧阳明".into()]));
        assert_eq!(
            split_run("欧阳明司马光", &[]),
            Some(vec!["欧阳明".into(), "司马光".into()])
        );
        // Not names: a unit.
        assert_eq!(split_run("区发改局", &[]), None);
    }
}
