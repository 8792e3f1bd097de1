//! The statistics section of a notice: tasks by status with the completion rate, units ranked
//! by completion of the tasks they lead, leaders, and the tasks not done or not reported.

use std::cmp::Ordering;
use std::collections::HashMap;

use duban_core::{LedgerSheet, Role, Status};

use crate::cells::unit_lines;

/// Counts of tasks by status. `pending` holds tasks with a progress text but no verdict yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: usize,
    pub done: usize,
    pub partial: usize,
    pub not_done: usize,
    pub unreported: usize,
    pub pending: usize,
}

impl Tally {
    fn add(&mut self, status: Option<Status>) {
        self.total += 1;
        match status {
            Some(Status::Done) => self.done += 1,
            Some(Status::Partial) => self.partial += 1,
            Some(Status::NotDone) => self.not_done += 1,
            Some(Status::Unreported) => self.unreported += 1,
            None => self.pending += 1,
        }
    }

    /// 完成率: tasks done over all tasks, in percent. Partial completion does not count: the
    /// offices' notices count only 完成.
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.done as f64 * 100.0 / self.total as f64
        }
    }

    /// The rate as printed: 84.7%.
    pub fn rate_text(&self) -> String {
        format!("{:.1}%", self.rate())
    }

    /// Compares rates exactly (cross-multiplied), so that 1/3 and 2/6 tie.
    fn cmp_rate(&self, other: &Tally) -> Ordering {
        (self.done * other.total).cmp(&(other.done * self.total))
    }
}

/// A unit or leader with its tally; `rank` is shared by equal rates (1, 1, 3 …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedTally {
    pub rank: usize,
    pub name: String,
    pub tally: Tally,
}

/// A task listed under 未完成及未报送.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemTask {
    pub seq: u32,
    pub goal: String,
    pub status: Status,
    /// As in the table: the lead first, marked.
    pub units: Vec<String>,
    pub leaders: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statistics {
    pub overall: Tally,
    /// Units by the tasks they lead (牵头), best completion rate first.
    pub units: Vec<RankedTally>,
    /// Leaders in the order they first appear in the ledger, which follows the government's own
    /// order of office; they are listed with their figures, not ranked against each other.
    pub leaders: Vec<RankedTally>,
    pub problems: Vec<ProblemTask>,
}

impl Statistics {
    /// The figures of every task of the sheet (whatever rows a notice then shows).
    pub fn of(sheet: &LedgerSheet) -> Statistics {
        let mut overall = Tally::default();
        let mut units: Vec<(String, Tally)> = Vec::new();
        let mut unit_index: HashMap<String, usize> = HashMap::new();
        let mut leaders: Vec<(String, Tally)> = Vec::new();
        let mut leader_index: HashMap<String, usize> = HashMap::new();
        let mut problems = Vec::new();

        for task in &sheet.tasks {
            overall.add(task.status);
            for unit in task.units.iter().flatten().filter(|u| u.role == Role::Lead) {
                let i = *unit_index.entry(unit.name.clone()).or_insert_with(|| {
                    units.push((unit.name.clone(), Tally::default()));
                    units.len() - 1
                });
                units[i].1.add(task.status);
            }
            for leader in task.leaders.iter().flatten() {
                let i = *leader_index.entry(leader.clone()).or_insert_with(|| {
                    leaders.push((leader.clone(), Tally::default()));
                    leaders.len() - 1
                });
                leaders[i].1.add(task.status);
            }
            if let Some(status @ (Status::NotDone | Status::Unreported)) = task.status {
                problems.push(ProblemTask {
                    seq: task.seq,
                    goal: task.goal.clone(),
                    status,
                    units: unit_lines(task.units.as_deref().unwrap_or_default()),
                    leaders: task.leaders.clone().unwrap_or_default(),
                });
            }
        }

        let ranked_units = rank_units(units);
        let leaders = leaders
            .into_iter()
            .enumerate()
            .map(|(i, (name, tally))| RankedTally {
                rank: i + 1,
                name,
                tally,
            })
            .collect();
        Statistics {
            overall,
            units: ranked_units,
            leaders,
            problems,
        }
    }
}

/// Ranks units by completion rate (完成率): best rate first; among equals, the unit carrying
/// more tasks, then by name so the order never depends on the table's row order. Equal rates
/// share a rank (1, 2, 2, 4).
pub fn rank_units(mut units: Vec<(String, Tally)>) -> Vec<RankedTally> {
    units.sort_by(|(a_name, a), (b_name, b)| {
        b.cmp_rate(a)
            .then(b.total.cmp(&a.total))
            .then(a_name.cmp(b_name))
    });
    let mut ranked: Vec<RankedTally> = Vec::with_capacity(units.len());
    for (i, (name, tally)) in units.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some(prev) if prev.tally.cmp_rate(&tally) == Ordering::Equal => prev.rank,
            _ => i + 1,
        };
        ranked.push(RankedTally { rank, name, tally });
    }
    ranked
}

#[cfg(test)]
mod tests {
    use duban_core::{Period, SheetTask, SheetUnit};

    use super::*;

    fn task(seq: u32, status: Option<Status>, lead: &str, leader: &str) -> SheetTask {
        let mut t = SheetTask::new(seq, format!("任务{seq}"));
        t.status = status;
        t.leaders = Some(vec![leader.to_owned()]);
        t.units = Some(vec![
            SheetUnit {
                name: "区统计局".to_owned(),
                role: Role::DataSource,
            },
            SheetUnit {
                name: lead.to_owned(),
                role: Role::Lead,
            },
        ]);
        t
    }

    fn sheet(tasks: Vec<SheetTask>) -> LedgerSheet {
        LedgerSheet {
            ledger: "2023年重点工作".to_owned(),
            period: Some(Period::Month(2023, 8)),
            columns: vec![],
            tasks,
        }
    }

    #[test]
    fn counts_rates_and_ranks() {
        use Status::*;
        let s = Statistics::of(&sheet(vec![
            task(1, Some(Done), "甲局", "张三"),
            task(2, Some(NotDone), "甲局", "李四"),
            task(3, Some(Done), "乙局", "李四"),
            task(4, Some(Unreported), "丙局", "张三"),
            task(5, Some(Done), "丁局", "张三"),
            task(6, Some(Partial), "丁局", "张三"),
            task(7, None, "戊局", "张三"),
        ]));
        assert_eq!(
            s.overall,
            Tally {
                total: 7,
                done: 3,
                partial: 1,
                not_done: 1,
                unreported: 1,
                pending: 1
            }
        );
        assert_eq!(s.overall.rate_text(), "42.9%");
        let order: Vec<(usize, &str)> = s.units.iter().map(|u| (u.rank, u.name.as_str())).collect();
        // 乙局 100%; 丁局 and 甲局 tie at 50% with 2 tasks each (then by name); 丙 and 戊 0%.
        assert_eq!(
            order,
            [
                (1, "乙局"),
                (2, "丁局"),
                (2, "甲局"),
                (4, "丙局"),
                (4, "戊局")
            ]
        );
        assert!(
            s.units.iter().all(|u| u.name != "区统计局"),
            "only lead units are ranked"
        );
        let leaders: Vec<(&str, usize)> = s
            .leaders
            .iter()
            .map(|l| (l.name.as_str(), l.tally.total))
            .collect();
        assert_eq!(leaders, [("张三", 5), ("李四", 2)]);
        let problems: Vec<(u32, Status)> = s.problems.iter().map(|p| (p.seq, p.status)).collect();
        assert_eq!(problems, [(2, NotDone), (4, Unreported)]);
        assert_eq!(s.problems[0].units[0], "甲局（牵头）");
    }

    #[test]
    fn empty_sheet_has_zero_rate() {
        let s = Statistics::of(&sheet(vec![]));
        assert_eq!(s.overall.rate_text(), "0.0%");
        assert!(s.units.is_empty());
    }
}
