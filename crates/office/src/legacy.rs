//! Word 97–2003 (.doc), WPS (.wps) and OpenDocument text through LibreOffice, when it is
//! installed: `soffice --headless --convert-to docx` in a temporary directory with a profile of its
//! own (so it neither touches nor waits for a user's LibreOffice), killed after a time limit. The
//! docx it writes is then read like any other. Without LibreOffice the message says what to do.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::OfficeError;

/// How long one conversion may take.
pub const LEGACY_TIME_LIMIT: Duration = Duration::from_secs(90);

/// The LibreOffice program, from `DUBAN_SOFFICE` or the usual names on the PATH.
fn program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DUBAN_SOFFICE") {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["soffice", "libreoffice"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Whether LibreOffice is there to convert legacy files.
pub fn libreoffice_available() -> bool {
    program().is_some()
}

/// Converts a legacy file to `target` ("docx" or "xlsx") and returns the new file's bytes.
/// `extension` is the original's (doc, wps, et …), which LibreOffice reads the type from.
pub fn convert_with_libreoffice(
    bytes: &[u8],
    extension: &str,
    target: &str,
    origin: &str,
) -> Result<Vec<u8>, OfficeError> {
    let Some(program) = program() else {
        return Err(OfficeError::unreadable(
            origin,
            "读取 .doc/.wps/.et 等旧格式文件需要在服务器上安装 LibreOffice（soffice）；也可以在 Word/WPS 中另存为 .docx（表格另存为 .xlsx）后再导入",
        ));
    };
    let failed = |why: String| OfficeError::unreadable(origin, why);
    let dir = tempfile::tempdir().map_err(|e| failed(format!("无法建立临时目录：{e}")))?;
    let mut extension: String = extension
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    // WPS saves .wps and .et in Word's and Excel's binary containers; LibreOffice takes .wps for
    // Microsoft Works, so it is told what the container really holds.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        match extension.as_str() {
            "wps" | "wpt" => extension = "doc".to_owned(),
            "et" | "ett" => extension = "xls".to_owned(),
            _ => {}
        }
    }
    let input = dir.path().join(format!("input.{extension}"));
    std::fs::write(&input, bytes).map_err(|e| failed(format!("无法暂存文件：{e}")))?;
    let profile = dir.path().join("profile");
    let out = dir.path().join("out");
    let mut child = Command::new(&program)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
        ])
        .arg("--outdir")
        .arg(&out)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            failed(format!(
                "无法启动 LibreOffice（{}）：{e}",
                program.display()
            ))
        })?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > LEGACY_TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OfficeError::TooLarge {
                    origin: origin.to_owned(),
                    what: "LibreOffice 转换时间",
                    limit: format!("{} 秒", LEGACY_TIME_LIMIT.as_secs()),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(failed(format!("LibreOffice 运行出错：{e}"))),
        }
    }
    let converted = out.join(format!("input.{target}"));
    std::fs::read(&converted).map_err(|_| {
        failed(
            "LibreOffice 无法打开这个文件：文件可能已损坏，或不是 Word/WPS/Excel 文档".to_owned(),
        )
    })
}
