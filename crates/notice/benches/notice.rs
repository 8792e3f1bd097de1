//! Notice generation, in memory: building the notice (rows and statistics) and writing each
//! format, for the real 124-task table and for a 10,000-task ledger made from it.
//!
//!     cargo bench -p duban-notice
//!
//! Prints the median of several runs and the file size. Reading the ledger from the database
//! is measured end to end by bench/notice.sh.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use duban_core::{LedgerSheet, Status};
use duban_notice::{Format, Notice, NoticeOptions, render};

const SEED: &str = include_str!("../../../fixtures/progress-2023-08-linzi.txt");

fn seed() -> LedgerSheet {
    let grid = duban_extract::read_pdf_text(SEED, "seed").expect("seed");
    duban_extract::sheet_from_grid(&grid, "seed", &Default::default())
        .expect("sheet")
        .sheet
}

/// `n` tasks: the seed's rows over and over, numbered on, every 13th unreported, so that the
/// statistics have every status and the units every kind of tally.
fn large(seed: &LedgerSheet, n: usize) -> LedgerSheet {
    let mut sheet = seed.clone();
    sheet.tasks = (0..n)
        .map(|i| {
            let mut task = seed.tasks[i % seed.tasks.len()].clone();
            task.seq = i as u32 + 1;
            if i % 13 == 0 {
                task.status = Some(Status::Unreported);
                task.progress = None;
            }
            task
        })
        .collect();
    sheet
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = None;
    let times = (0..runs)
        .map(|_| {
            let start = Instant::now();
            last = Some(f());
            start.elapsed()
        })
        .collect();
    (median(times), last.expect("at least one run"))
}

fn main() {
    let seed = seed();
    let options = NoticeOptions::new(NaiveDate::from_ymd_opt(2023, 9, 5).expect("date"));
    println!(
        "{:<8} {:<10} {:>12} {:>12} {:>12}",
        "tasks", "step", "median ms", "tasks/s", "bytes"
    );
    for sheet in [seed.clone(), large(&seed, 10_000)] {
        let n = sheet.tasks.len();
        let runs = if n > 1000 { 5 } else { 21 };
        let (t, notice) = time(runs, || Notice::build(&sheet, &options).expect("notice"));
        println!(
            "{n:<8} {:<10} {:>12.2} {:>12.0} {:>12}",
            "build",
            ms(t),
            n as f64 / t.as_secs_f64(),
            ""
        );
        for format in Format::ALL {
            let (t, bytes) = time(runs, || render(&notice, format).expect("render"));
            println!(
                "{n:<8} {:<10} {:>12.2} {:>12.0} {:>12}",
                format.extension(),
                ms(t),
                n as f64 / t.as_secs_f64(),
                bytes.len()
            );
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
