//! The OpenAPI document of the API, generated from the handlers' `#[utoipa::path]` attributes
//! and the types that serialize the requests and responses; served at `/api/openapi.json`.
//! The error responses come in sets (below) named for the checks that produce them, so that each
//! route documents every status its extractors and operation can answer.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, OpenApi, ToSchema};

use super::{
    accounts, audit, documents, evidence, extensions, import, inspections, ledgers, notices,
    notify, plans, receipts, session, targets, tasks, units,
};

/// Every error of the API: `{"error": "…"}`, in Chinese; an internal error carries a reference
/// (编号) to quote, never the cause.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people.
    pub error: String,
}

fn error(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    "ErrorBody",
                ))))
                .build(),
        )
        .build()
        .into()
}

fn errors(codes: &[u16]) -> BTreeMap<String, RefOr<Response>> {
    codes
        .iter()
        .map(|code| {
            let description = match code {
                400 => "请求有误：参数、内容或格式不对（说明见 error）",
                401 => "未登录或会话已过期",
                403 => "无权访问（角色、单位或分管范围不符），或 CSRF 校验失败",
                404 => "不存在（编号不是数字、记录不存在或预览已过期）",
                409 => "状态不允许、版本冲突或期间已锁定：内容未保存",
                413 => "提交的内容超过 10 MB",
                429 => "登录失败次数过多，15 分钟后再试",
                _ => "服务器内部错误：error 中附编号，可告知系统管理员",
            };
            (code.to_string(), error(description))
        })
        .collect()
}

macro_rules! error_set {
    ($(#[$doc:meta])* $name:ident = [$($code:literal),*]) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;
        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                errors(&[$($code),*])
            }
        }
    };
}

error_set!(
    /// Any route can fail inside (the database).
    Internal = [500]
);
error_set!(
    /// A route for signed-in accounts of some roles (`Signed<…>`).
    SignedErrors = [401, 403, 500]
);
error_set!(
    /// A POST with a CSRF-checked JSON body (`CsrfJson`) by a signed-in account.
    Action = [400, 401, 403, 413, 500]
);
error_set!(
    /// A query or path value that may not parse (`Query`, `Name`).
    BadInput = [400]
);
error_set!(
    /// A record named in the path (`Id`) or the body that may not exist.
    Missing = [404]
);
error_set!(
    /// A change the record's state may refuse.
    Refused = [409]
);
error_set!(
    /// Logging in: a bad body, a wrong password, the login limit.
    LoginErrors = [400, 403, 413, 429, 500]
);

#[derive(OpenApi)]
#[openapi(
    info(
        title = "duban 督办 API",
        description = "督查室、分管领导、责任单位使用的报送、审核、通报接口。登录后会话保存在 HttpOnly Cookie 中；除登录外，所有 POST 须在 X-CSRF-Token 头中带上登录时返回的 csrf。台账数据使用台账 JSON（见 docs/DESIGN.md）。出错时返回 {\"error\": \"…\"}。"
    ),
    paths(
        super::openapi,
        session::login,
        session::logout,
        session::me,
        ledgers::list,
        ledgers::sheet,
        ledgers::tasks,
        ledgers::create,
        ledgers::change,
        targets::open_round,
        targets::rounds,
        targets::my_targets,
        targets::task_targets,
        targets::target_action,
        targets::review,
        targets::decomposition_file,
        targets::ledger_export,
        tasks::task,
        tasks::report_action,
        tasks::remind,
        tasks::my_tasks,
        tasks::review,
        tasks::accept,
        notices::list,
        notices::publish,
        notices::file,
        notices::unlock,
        import::import,
        documents::list,
        documents::document,
        documents::upload,
        documents::create_ledger,
        documents::proposals,
        accounts::list,
        accounts::create,
        accounts::unblock,
        accounts::disable,
        accounts::reset,
        session::change_password,
        notify::channels,
        extensions::request,
        receipts::acknowledge,
        receipts::missing,
        receipts::messages,
        evidence::upload,
        evidence::list,
        evidence::download,
        extensions::of_task,
        extensions::pending,
        extensions::decide,
        notify::add,
        notify::deliveries,
        inspections::record,
        inspections::list,
        inspections::notice,
        inspections::rectifications,
        inspections::rectify,
        inspections::scores,
        inspections::scheme,
        inspections::set_scheme,
        inspections::rate,
        inspections::publish,
        inspections::published,
        inspections::published_file,
        inspections::attach,
        inspections::files,
        inspections::file,
        plans::indicators,
        plans::record,
        plans::evaluation,
        plans::assign,
        plans::projects,
        plans::set_project,
        plans::reports,
        plans::act,
        plans::project_notice,
        units::list,
        units::add_alias,
        audit::list,
    ),
    components(schemas(ErrorBody)),
    tags((name = "督办", description = "报送、审核、通报"), (name = "提醒", description = "提醒渠道（邮件、钉钉、企业微信）与发送记录"), (name = "目标分解", description = "开启目标分解、单位填报阶段目标、督查室采纳；目标分解表与台账导出"), (name = "规划监测", description = "规划主要指标的序时路径、年度实际值与评价"), (name = "督查考核", description = "督查记录与发现的问题、单位整改与销号、考核方案、领导定性评价、考核得分及其说明"))
)]
pub struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(ApiDoc::openapi)
}
