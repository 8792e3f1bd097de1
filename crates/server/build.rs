//! Installs the front-end packages named in `web/package.json` at the versions of
//! `web/package-lock.json` (npm ci), so that `src/assets.rs` can build them into the binary.
//! Nothing from npm is kept in the repository: `web/node_modules` is ignored by git.

use std::path::Path;
use std::process::Command;

fn main() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    println!("cargo:rerun-if-changed=web/package.json");
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-changed=web/node_modules/.package-lock.json");
    let lock = web.join("package-lock.json");
    let installed = web.join("node_modules/.package-lock.json");
    let fresh = match (lock.metadata(), installed.metadata()) {
        (Ok(l), Ok(i)) => match (l.modified(), i.modified()) {
            (Ok(l), Ok(i)) => i >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(&web)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "npm ci in {} failed ({s}): the front-end packages are needed to build duban-server",
            web.display()
        ),
        Err(e) => panic!(
            "cannot run npm ({e}): install Node.js and npm to build duban-server (front-end packages from web/package-lock.json)"
        ),
    }
}
