//! `duban extract`: structure out of a text, nothing stored.

use anyhow::Result;

use crate::output::*;
use crate::render;

pub(super) fn extract_targets(text: &str, json: bool) -> Result<()> {
    let targets = duban_extract::targets::read_targets(text);
    listing(json, &targets, "未找到量化目标。", || {
        render::targets(&targets)
    })
}
