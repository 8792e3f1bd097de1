//! Where the CLI's output goes: standard output line by line, JSON, and files written whole.
//! A closed pipe (`duban … --json | head`) ends the command quietly instead of a panic.

use std::io::Write;

use anyhow::Result;

use crate::UserError;

/// The reader of standard output went away: nothing more to print, not a failure.
#[derive(Debug, thiserror::Error)]
#[error("标准输出已关闭")]
pub struct PipeClosed;

fn write_out(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(PipeClosed.into()),
        Err(e) => Err(e.into()),
    }
}

/// One line of standard output (`out!` formats it).
pub fn line(args: std::fmt::Arguments<'_>) -> Result<()> {
    write_out(format!("{args}\n").as_bytes())
}

/// Bytes as they are (a notice in Markdown or HTML).
pub fn bytes(bytes: &[u8]) -> Result<()> {
    write_out(bytes)
}

/// `println!` that stops quietly when the pipe closes; use it in functions returning `Result`.
macro_rules! out {
    () => {
        $crate::output::line(format_args!(""))?
    };
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))?
    };
}
pub(crate) use out;

pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    write_out(text.as_bytes())
}

/// A list as a program or a person wants it: `rows` as JSON, or a hint when there is nothing,
/// or the table `table` draws.
pub fn listing<T: serde::Serialize>(
    json: bool,
    rows: &[T],
    empty: &str,
    table: impl FnOnce() -> String,
) -> Result<()> {
    if json {
        print_json(&rows)
    } else if rows.is_empty() {
        line(format_args!("{empty}"))
    } else {
        line(format_args!("{}", table()))
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed, so an
/// interrupted run never leaves half a notice where the old one was.
pub fn write_whole(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let cannot = |e: std::io::Error| UserError(format!("无法写入 {}：{e}", path.display()));
    let mut builder = tempfile::Builder::new();
    // A temporary file is private (0600); a published notice is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut file = builder.tempfile_in(dir).map_err(cannot)?;
    file.write_all(bytes).map_err(cannot)?;
    file.persist(path).map_err(|e| cannot(e.error))?;
    Ok(())
}
