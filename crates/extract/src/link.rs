//! Where a task came from: the passage of the report (and the span inside it) that a task's goal
//! was taken from, and the commitments of a report's year part as candidate tasks.
//!
//! Goals are report sentences copied verbatim, lightly edited (a word dropped, 全年 added, two
//! clauses swapped) or merged from two sentences of one paragraph. Comparing character pairs
//! (bigrams) is robust to all three and needs no word segmentation: a window of consecutive
//! sentences is scored by how much of the goal it covers (recall, weighted more) and how much of
//! it the goal uses (precision), and the best window is then tightened to the clauses that carry
//! the matching text.

use std::collections::HashMap;

use duban_core::{GlossaryEntry, terms_in};
use serde::Serialize;

use crate::numbers::quantities;
use duban_core::DocumentRead;

/// A goal found in a passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// Index of the passage in the slice given to [`PassageIndex::new`].
    pub passage: usize,
    /// Character offsets into the passage text, end exclusive.
    pub span: (usize, usize),
    /// 0–1: how well the span and the goal agree (F2 of shared character pairs).
    pub score: f64,
}

/// Below this score a goal is reported as not linked rather than linked to a guess.
pub const MIN_SCORE: f64 = 0.5;

/// How many consecutive sentences a goal may be drawn from.
const MAX_WINDOW: usize = 4;

type Bigram = (char, char);

#[derive(Debug)]
struct Sentence {
    /// Character range in the passage text.
    range: (usize, usize),
    /// The sentence's bigrams with the character position each starts at.
    bigrams: Vec<(Bigram, usize)>,
}

#[derive(Debug)]
struct IndexedPassage {
    chars: Vec<char>,
    sentences: Vec<Sentence>,
}

/// The passages of one document, indexed by character pairs.
#[derive(Debug)]
pub struct PassageIndex {
    passages: Vec<IndexedPassage>,
    /// bigram → (passage, sentence) pairs that contain it.
    postings: HashMap<Bigram, Vec<(u32, u32)>>,
}

/// Characters that carry meaning: letters, digits and CJK. Punctuation, quotes and spaces do
/// not, so “两个100%” matches 两个 100%.
fn significant(c: char) -> bool {
    c.is_alphanumeric() || c == '%'
}

fn sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

fn clause_end(c: char) -> bool {
    sentence_end(c) || matches!(c, '，' | ',' | '：' | ':')
}

/// Bigrams of the significant characters, each with the position of its first character.
fn bigrams(chars: &[char], range: (usize, usize)) -> Vec<(Bigram, usize)> {
    let kept: Vec<(usize, char)> = (range.0..range.1)
        .filter(|&i| significant(chars[i]))
        .map(|i| (i, normalize(chars[i])))
        .collect();
    kept.windows(2)
        .map(|w| ((w[0].1, w[1].1), w[0].0))
        .collect()
}

/// Full-width digits and letters compare equal to ASCII ones.
fn normalize(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

fn sentences(chars: &[char]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        let last = i + 1 == chars.len();
        if sentence_end(c) || last {
            let range = (start, i + 1);
            let bigrams = bigrams(chars, range);
            if !bigrams.is_empty() {
                out.push(Sentence { range, bigrams });
            }
            start = i + 1;
        }
    }
    out
}

impl PassageIndex {
    pub fn new<S: AsRef<str>>(texts: &[S]) -> Self {
        let mut postings: HashMap<Bigram, Vec<(u32, u32)>> = HashMap::new();
        let passages: Vec<IndexedPassage> = texts
            .iter()
            .map(|t| {
                let chars: Vec<char> = t.as_ref().chars().collect();
                let sentences = sentences(&chars);
                IndexedPassage { chars, sentences }
            })
            .collect();
        for (p, passage) in passages.iter().enumerate() {
            for (s, sentence) in passage.sentences.iter().enumerate() {
                for (bigram, _) in &sentence.bigrams {
                    let list = postings.entry(*bigram).or_default();
                    if list.last() != Some(&(p as u32, s as u32)) {
                        list.push((p as u32, s as u32));
                    }
                }
            }
        }
        PassageIndex { passages, postings }
    }

    /// The passage and span a goal was most likely taken from, if any scores at least
    /// [`MIN_SCORE`].
    pub fn link(&self, goal: &str) -> Option<Link> {
        let goal_chars: Vec<char> = goal.chars().collect();
        let mut ids: HashMap<Bigram, usize> = HashMap::new();
        for (bigram, _) in bigrams(&goal_chars, (0, goal_chars.len())) {
            let next = ids.len();
            ids.entry(bigram).or_insert(next);
        }
        if ids.is_empty() {
            return None;
        }
        // Per sentence, the goal bigrams it holds.
        let mut hits: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
        for (bigram, id) in &ids {
            for key in self.postings.get(bigram).into_iter().flatten() {
                hits.entry(*key).or_default().push(*id);
            }
        }
        let mut by_passage: HashMap<u32, Vec<u32>> = HashMap::new();
        for (p, s) in hits.keys() {
            by_passage.entry(*p).or_default().push(*s);
        }
        let mut best: Option<(f64, usize, (usize, usize))> = None;
        let mut passages: Vec<u32> = by_passage.keys().copied().collect();
        passages.sort_unstable();
        for p in passages {
            let passage = &self.passages[p as usize];
            for first in 0..passage.sentences.len() {
                if !hits.contains_key(&(p, first as u32)) {
                    continue;
                }
                let mut covered = vec![false; ids.len()];
                let (mut held, mut length) = (0usize, 0usize);
                for last in first..passage.sentences.len().min(first + MAX_WINDOW) {
                    let sentence_hits = hits.get(&(p, last as u32));
                    for &id in sentence_hits.into_iter().flatten() {
                        covered[id] = true;
                    }
                    held += sentence_hits.map_or(0, Vec::len);
                    length += passage.sentences[last].bigrams.len();
                    // Only windows that end on a sentence holding part of the goal.
                    if sentence_hits.is_none() {
                        continue;
                    }
                    let recall = covered.iter().filter(|c| **c).count() as f64 / ids.len() as f64;
                    let precision = held as f64 / length as f64;
                    let score = f2(precision, recall);
                    if best.is_none_or(|(b, _, _)| score > b + 1e-9) {
                        best = Some((score, p as usize, (first, last)));
                    }
                }
            }
        }
        let (_, p, window) = best?;
        let passage = &self.passages[p];
        let span = tighten(passage, window, &ids);
        let score = span_score(&passage.chars, span, &ids);
        (score >= MIN_SCORE).then_some(Link {
            passage: p,
            span,
            score,
        })
    }
}

fn f2(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        5.0 * precision * recall / (4.0 * precision + recall)
    }
}

/// Narrows a window of sentences to the clauses holding runs of the goal's text: from the
/// clause of the first run to the clause of the last. Single shared pairs (建设, 推进) are too
/// common to mark a boundary.
fn tighten(
    passage: &IndexedPassage,
    window: (usize, usize),
    ids: &HashMap<Bigram, usize>,
) -> (usize, usize) {
    let sentences = &passage.sentences[window.0..=window.1];
    let pairs: Vec<(Bigram, usize)> = sentences
        .iter()
        .flat_map(|s| s.bigrams.iter().copied())
        .collect();
    let matched: Vec<bool> = pairs.iter().map(|(b, _)| ids.contains_key(b)).collect();
    let in_run = |i: usize| {
        matched[i] && ((i + 1 < matched.len() && matched[i + 1]) || (i > 0 && matched[i - 1]))
    };
    let positions: Vec<usize> = (0..pairs.len())
        .filter(|&i| in_run(i))
        .map(|i| pairs[i].1)
        .collect();
    let (Some(&first), Some(&last)) = (positions.first(), positions.last()) else {
        return (sentences[0].range.0, sentences[sentences.len() - 1].range.1);
    };
    let lower = sentences[0].range.0;
    let upper = sentences[sentences.len() - 1].range.1;
    let chars = &passage.chars;
    let mut start = first;
    while start > lower && !clause_end(chars[start - 1]) {
        start -= 1;
    }
    // The second character of the last pair, then on to the clause's end.
    let mut end = (last + 2).min(upper);
    while end < upper && !clause_end(chars[end - 1]) {
        end += 1;
    }
    if end > start && clause_end(chars[end - 1]) {
        end -= 1;
    }
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    (start, end)
}

fn span_score(chars: &[char], span: (usize, usize), ids: &HashMap<Bigram, usize>) -> f64 {
    let pairs = bigrams(chars, span);
    if pairs.is_empty() {
        return 0.0;
    }
    let mut covered = vec![false; ids.len()];
    let mut held = 0;
    for (b, _) in &pairs {
        if let Some(&id) = ids.get(b) {
            covered[id] = true;
            held += 1;
        }
    }
    let recall = covered.iter().filter(|c| **c).count() as f64 / ids.len() as f64;
    f2(held as f64 / pairs.len() as f64, recall)
}

/// A sentence of a report's year part that commits to an action or a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub text: String,
    /// Index into `DocumentRead::passages`.
    pub passage: usize,
    /// Character offsets into the passage text.
    pub span: (usize, usize),
    /// Glossary terms the sentence uses.
    pub terms: Vec<GlossaryEntry>,
}

/// Verbs of commitment: what a government says it will do.
const COMMITTING: &[&str] = &[
    "实施", "推进", "推动", "加快", "建设", "建成", "完成", "新增", "新建", "打造", "开展", "确保",
    "力争", "争创", "培育", "引进", "启动", "改造", "提升", "完善", "落实", "创建", "举办", "开工",
    "投产", "达到", "突破", "增长", "建立", "健全", "深化", "强化", "加强", "扩大", "争取", "招引",
    "整治", "治理", "组建", "支持", "优化", "筹建", "申报",
];

/// The commitments of a report's year part, in reading order: every sentence (lead sentences
/// excepted: they name a theme) that states a quantity or uses a verb of commitment.
pub fn commitments(read: &DocumentRead) -> Vec<Commitment> {
    let Some(part) = read.year_part() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, passage) in read.passages.iter().enumerate() {
        if passage.headings.first().map(String::as_str) != Some(part) {
            continue;
        }
        let chars: Vec<char> = passage.text.chars().collect();
        for sentence in sentences(&chars) {
            let (start, end) = sentence.range;
            let text: String = chars[start..end].iter().collect();
            // A sentence ending in a colon introduces a list (具体抓好十个方面的工作：).
            if text.ends_with(['：', ':']) {
                continue;
            }
            let body = text.trim_end_matches(sentence_end);
            if passage.lead.as_deref() == Some(body.trim_start_matches(['—', ' '])) {
                continue;
            }
            let states_figure = !quantities(body).is_empty();
            let commits = COMMITTING.iter().any(|v| body.contains(v));
            if body.chars().count() >= 8 && (states_figure || commits) {
                out.push(Commitment {
                    terms: terms_in(body, &read.glossary)
                        .into_iter()
                        .cloned()
                        .collect(),
                    text: body.to_owned(),
                    passage: index,
                    span: (start, start + body.chars().count()),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSAGES: [&str; 3] = [
        "加快科创平台建设。完善科技创新扶持机制，推动产学研协同创新。实施创新强链计划，支持企地院校共建科研载体。",
        "壮大优势企业群体。推动“专精特新”、高新技术企业梯次成长，新认定单项冠军、瞪羚、独角兽企业5家以上。实施旗舰、雏鹰企业培育工程，新增“小升规”企业30家。",
        "做强优势产业板块。强力推进化工产业转型升级，推进齐鲁石化120万吨乙烯项目前期工作。",
    ];

    fn spanned(link: &Link) -> String {
        PASSAGES[link.passage]
            .chars()
            .skip(link.span.0)
            .take(link.span.1 - link.span.0)
            .collect()
    }

    #[test]
    fn verbatim_sentence_links_with_full_score() {
        let index = PassageIndex::new(&PASSAGES);
        let link = index
            .link("实施旗舰、雏鹰企业培育工程，新增“小升规”企业30家")
            .expect("linked");
        assert_eq!(link.passage, 1);
        assert_eq!(
            spanned(&link),
            "实施旗舰、雏鹰企业培育工程，新增“小升规”企业30家"
        );
        assert!(link.score > 0.99, "{}", link.score);
    }

    #[test]
    fn a_clause_links_to_the_clause_not_the_sentence() {
        let index = PassageIndex::new(&PASSAGES);
        let link = index
            .link("新认定单项冠军、瞪羚、独角兽企业5家以上")
            .expect("linked");
        assert_eq!(spanned(&link), "新认定单项冠军、瞪羚、独角兽企业5家以上");
    }

    #[test]
    fn edited_and_merged_goals_link_to_their_sentences() {
        let index = PassageIndex::new(&PASSAGES);
        let edited = index
            .link("全年新增小升规企业30家，实施雏鹰企业培育工程")
            .expect("edited");
        assert_eq!(edited.passage, 1);
        assert!(spanned(&edited).contains("新增“小升规”企业30家"));
        let merged = index
            .link("完善科技创新扶持机制，实施创新强链计划，支持企地院校共建科研载体")
            .expect("merged");
        assert_eq!(merged.passage, 0);
        assert_eq!(
            spanned(&merged),
            "完善科技创新扶持机制，推动产学研协同创新。实施创新强链计划，支持企地院校共建科研载体"
        );
        assert!(merged.score > 0.8, "{}", merged.score);
    }

    #[test]
    fn unrelated_goals_are_not_linked() {
        let index = PassageIndex::new(&PASSAGES);
        assert_eq!(index.link("做好防汛抗旱和森林防火工作"), None);
        assert_eq!(index.link(""), None);
    }
}
