//! `duban calendar`: deadlines and working days.

use anyhow::Result;

use super::*;
use crate::output::*;
use crate::{CalendarCommand, Cli};

pub(super) fn calendar(cli: &Cli, command: &CalendarCommand) -> Result<()> {
    let calendar = load_calendar(cli)?;
    match command {
        CalendarCommand::Deadline { period, days } => {
            let period = parse_period(period)?;
            out!("{}", calendar.deadline(period, *days)?);
        }
        CalendarCommand::Workdays { from, to } => {
            let (from, to) = (parse_date(from)?, parse_date(to)?);
            out!("{}", calendar.working_days(from, to)?);
        }
    }
    Ok(())
}
