//! 使用说明: what each role does, in the order of the year's work.

use super::{PageResult, render};
use crate::Viewer;
use crate::views::{HelpPage, Layout};

/// Open to everyone: the guide for the viewer's role (the public's without a session).
pub async fn page(viewer: Viewer) -> PageResult {
    let role = viewer.role();
    render(&HelpPage {
        layout: Layout::new(&viewer, "使用说明", "/help"),
        role: role.code(),
        role_label: if viewer.account.is_some() {
            role.label_zh().to_owned()
        } else {
            String::new()
        },
    })
}
