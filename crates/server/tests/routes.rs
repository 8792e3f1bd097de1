//! Every route against every role, on SQLite and PostgreSQL: the allowed ones succeed, the
//! others get 403, and a request without a session is sent to the login page (pages) or gets 401
//! (API). Then the reporting cycle over HTTP, the edit conflict, CSRF, the login rate limit, the
//! upload limit, and the OpenAPI document against the router.
//!
//! The database is the demo's: the real fixtures and one account per role.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use duban_core::Calendar;
use duban_server::{AppState, demo, router};
use duban_store::Store;
use duban_testing::{TestDb, on_both_backends};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const PASSWORD: &str = "test-password-123";
const EXCERPT: &str = include_str!("../../../fixtures/ledger-2023-08-excerpt.json");

on_both_backends!(
    every_role_on_every_route_gets_what_its_role_allows,
    a_report_goes_through_the_cycle_with_signatures_and_a_return,
    two_people_saving_the_same_report_get_a_conflict_and_lose_nothing,
    forms_without_the_csrf_token_and_repeated_bad_logins_are_refused,
    a_session_opened_on_one_server_process_works_on_another,
    the_lead_unit_sees_what_its_support_units_submitted_and_the_office_sees_who_is_late,
    the_office_previews_word_and_pdf_tables_and_a_scan_gets_one_clear_sentence,
    errors_are_json_under_the_api_and_chinese_pages_elsewhere,
    htmx_gets_its_fragment_and_an_import_is_confirmed_from_the_server_copy,
    a_new_password_keeps_earlier_signatures_and_the_office_disables_and_resets_accounts,
    publishing_is_confirmed_with_the_counts_a_chosen_date_and_the_short_notice,
    the_office_reviews_with_the_suggestion_preselected_and_accepts_several_at_once,
    a_new_installation_says_how_to_make_the_first_account_and_each_role_has_its_guide,
    documents_are_uploaded_in_any_format_searched_and_show_their_tasks,
    the_office_builds_a_ledger_from_a_report_once,
    a_target_round_goes_from_opening_to_accepted_milestones,
    the_api_builds_a_ledger_from_edited_proposals_with_units_and_links,
    tasks_are_added_withdrawn_merged_and_reassigned_and_published_notices_stay,
    a_division_plan_becomes_a_quarterly_ledger_from_the_import_page,
    an_extension_moves_the_deadline_the_timeliness_and_the_reminders,
    evidence_is_stored_once_and_seen_only_by_those_who_may_see_the_report,
    units_acknowledge_tasks_rounds_and_reminders_and_the_office_sees_who_has_not,
    a_finding_is_rectified_signed_and_closed_and_the_scores_explain_it,
    a_plan_is_monitored_with_charts_and_judgements,
    a_data_source_unit_and_a_project_unit_report_through_the_cycle,
    the_task_list_api_pages_by_cursor_with_filters_and_a_leaders_scope,
    a_unit_with_hundreds_of_tasks_reads_them_a_page_at_a_time_and_acknowledges_all,
);

struct App {
    router: Router,
    store: Store,
}

#[derive(Debug, Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    location: String,
    disposition: String,
    body: String,
    set_cookie: Vec<String>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn app(db: &TestDb) -> App {
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let state = AppState::new(store.clone(), Calendar::builtin());
    let report = demo::seed(&state, Some(PASSWORD)).await.expect("demo");
    assert_eq!(
        report.accounts.len(),
        6,
        "one account per role and a second unit"
    );
    App {
        router: router(state),
        store,
    }
}

impl App {
    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default();
        let disposition = response
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .map(|v| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default();
        let set_cookie = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().expect("ascii").to_owned())
            .collect();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            location,
            disposition,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            set_cookie,
        }
    }

    /// `POST /api/login` with these credentials, whatever the answer.
    async fn try_login(&self, login: &str, password: &str) -> Reply {
        self.send(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"login": login, "password": password}).to_string(),
                ))
                .expect("request"),
        )
        .await
    }

    async fn login(&self, login: &str) -> Session {
        let reply = self
            .send(
                Request::post("/api/login")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({"login": login, "password": PASSWORD}).to_string(),
                    ))
                    .expect("request"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{login}: {}", reply.body);
        let cookie = reply.set_cookie[0]
            .split(';')
            .next()
            .expect("cookie")
            .to_owned();
        assert!(reply.set_cookie[0].contains("HttpOnly"));
        assert!(reply.set_cookie[0].contains("SameSite=Strict"));
        Session {
            cookie,
            csrf: reply.json()["csrf"].as_str().expect("csrf").to_owned(),
        }
    }

    async fn call(&self, who: Option<&Session>, call: &Call) -> Reply {
        let mut builder = Request::builder()
            .method(call.method)
            .uri(call.path.as_str());
        if let Some(s) = who {
            builder = builder
                .header(header::COOKIE, &s.cookie)
                .header("x-csrf-token", &s.csrf);
        }
        let csrf = who.map(|s| s.csrf.as_str()).unwrap_or("");
        let request = match &call.body {
            Payload::None => builder.body(Body::empty()),
            Payload::Form(fields) => {
                let mut form: Vec<(String, String)> = fields.clone();
                form.push(("csrf".to_owned(), csrf.to_owned()));
                let encoded = form
                    .iter()
                    .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                builder
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(encoded))
            }
            Payload::Json(value) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(value.to_string())),
            Payload::Upload(name, content) => {
                let boundary = "duban-test-boundary";
                let mut body = format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
                     --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .into_bytes();
                body.extend_from_slice(content);
                body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
                builder
                    .header(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(Body::from(body))
            }
        };
        self.send(request.expect("request")).await
    }
}

fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Payload {
    None,
    Form(Vec<(String, String)>),
    Json(Value),
    Upload(String, Vec<u8>),
}

#[derive(Debug, Clone)]
struct Call {
    method: &'static str,
    path: String,
    body: Payload,
}

fn get(path: impl Into<String>) -> Call {
    Call {
        method: "GET",
        path: path.into(),
        body: Payload::None,
    }
}

fn form(path: impl Into<String>, fields: &[(&str, &str)]) -> Call {
    Call {
        method: "POST",
        path: path.into(),
        body: Payload::Form(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
    }
}

fn post_json(path: impl Into<String>, value: Value) -> Call {
    Call {
        method: "POST",
        path: path.into(),
        body: Payload::Json(value),
    }
}

/// What a role should get from a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// 2xx, or a redirect that is not to the login page.
    Ok,
    /// The route admits the role, the workflow refuses this step in this state (409).
    Conflict,
    Forbidden,
    /// No session: the login page (pages) or 401 (API).
    Login,
}

const ROLES: [&str; 7] = [
    "anonymous",
    "gongzhong",
    "lingdao",
    "ducha",
    "tianbao",
    "fuzeren",
    "tianbao2",
];

fn outcome(reply: &Reply) -> Expect {
    match reply.status {
        StatusCode::FORBIDDEN => Expect::Forbidden,
        StatusCode::UNAUTHORIZED => Expect::Login,
        StatusCode::CONFLICT => Expect::Conflict,
        // Logging out also lands on the login page, with the cookie cleared.
        StatusCode::SEE_OTHER if reply.set_cookie.iter().any(|c| c.contains("Max-Age=0")) => {
            Expect::Ok
        }
        StatusCode::SEE_OTHER if reply.location.starts_with("/login") => Expect::Login,
        s if s.is_success() || s.is_redirection() => Expect::Ok,
        s => panic!("unexpected {s}: {}", reply.body),
    }
}

/// A task the demo unit leads that the demo leader does not oversee and the second unit has no
/// part in, and one in the leader's portfolio with the units it has.
async fn tasks_of_interest(app: &App, reporter: &Session) -> (i64, i64, String) {
    let (own, portfolio, ledger, _) = tasks_and_units(app, reporter).await;
    (own, portfolio, ledger)
}

async fn tasks_and_units(app: &App, reporter: &Session) -> (i64, i64, String, Vec<String>) {
    let my = app.call(Some(reporter), &get("/api/my/tasks")).await.json();
    let ledger = app.call(Some(reporter), &get("/api/ledgers")).await.json()[0]["name"]
        .as_str()
        .expect("ledger")
        .to_owned();
    let office = app.login("ducha").await;
    let sheet = app
        .call(
            Some(&office),
            &get(format!("/api/ledgers/{}/sheet", enc(&ledger))),
        )
        .await
        .json();
    let leader = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "lingdao")
        .and_then(|a| a.leader)
        .expect("the demo leader has a name")
        .name;
    let other_unit = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao2")
        .and_then(|a| a.unit)
        .expect("second unit")
        .name;
    let by_seq = |seq: &Value| {
        sheet["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| &t["seq"] == seq)
            .cloned()
            .expect("task in sheet")
    };
    let own = my
        .as_array()
        .expect("my tasks")
        .iter()
        .find(|row| {
            let task = by_seq(&row["seq"]);
            row["role"] == "牵头"
                && !task["leaders"]
                    .as_array()
                    .expect("leaders")
                    .contains(&json!(leader))
                && !task["units"]
                    .as_array()
                    .expect("units")
                    .iter()
                    .any(|u| u["name"] == json!(other_unit))
        })
        .expect("a task of the demo unit only");
    let portfolio = sheet["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| {
            t["leaders"]
                .as_array()
                .expect("leaders")
                .contains(&json!(leader))
        })
        .expect("a task of the leader");
    let ids = app
        .store
        .task_ids(app.store.ledger(&ledger).await.expect("ledger").id.0)
        .await
        .expect("ids");
    let portfolio_id = ids[&(portfolio["seq"].as_u64().expect("seq") as u32)];
    let units = portfolio["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["name"].as_str().expect("name").to_owned())
        .collect();
    (
        own["task_id"].as_i64().expect("id"),
        portfolio_id,
        ledger,
        units,
    )
}

async fn every_role_on_every_route_gets_what_its_role_allows(db: &TestDb) {
    let app = app(db).await;
    let mut sessions: Vec<(&str, Option<Session>)> = Vec::new();
    for role in ROLES {
        let session = match role {
            "anonymous" => None,
            login => Some(app.login(login).await),
        };
        sessions.push((role, session));
    }
    let reporter = sessions[4].1.clone().expect("reporter");
    let (task, portfolio_task, ledger, portfolio_units) = tasks_and_units(&app, &reporter).await;
    let accounts = app.store.accounts().await.expect("accounts");
    // A unit account sees the leader's task only when its unit has a part in it.
    let part = |login: &str| {
        let unit = accounts
            .iter()
            .find(|a| a.login == login)
            .and_then(|a| a.unit.as_ref())
            .expect("unit");
        if portfolio_units.contains(&unit.name) {
            Expect::Ok
        } else {
            Expect::Forbidden
        }
    };
    let (p_reporter, p_other) = (part("tianbao"), part("tianbao2"));
    let unit = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit)
        .expect("unit")
        .id
        .0
        .to_string();
    let next = "2023-09";
    let published = "2023-08";
    // The office's preview of a table, kept on the server under an id for the confirmation.
    let office = sessions[3].1.clone().expect("office");
    let previewed = app
        .call(
            Some(&office),
            &Call {
                method: "POST",
                path: "/import/preview".to_owned(),
                body: Payload::Upload("excerpt.json".to_owned(), EXCERPT.into()),
            },
        )
        .await;
    assert_eq!(previewed.status, StatusCode::OK, "{}", previewed.body);
    let preview = field(&previewed.body, "preview")
        .expect("the preview's id in the form")
        .to_owned();
    assert!(
        !previewed.body.contains("\"ledger\""),
        "the table does not travel through the page"
    );
    // A finding on the reporter's task, for the rectification and assessment routes.
    let detail = app.store.task_detail(task).await.expect("task");
    let lead = detail
        .units
        .iter()
        .find(|(_, r)| *r == duban_core::Role::Lead)
        .map(|(u, _)| u.name.clone())
        .expect("lead unit");
    let finding_body = |text: &str| {
        json!({"ledger": ledger, "kind": "field_visit", "date": "2023-09-20",
               "findings": [{"seq": detail.seq, "unit": lead, "text": text, "severity": "serious"}]})
    };
    let recorded = app
        .call(
            Some(&office),
            &post_json("/api/inspections", finding_body("台账资料不全")),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
    let recorded = recorded.json();
    let inspection = recorded["inspection"]["id"].as_i64().expect("inspection");
    let finding = recorded["findings"][0].as_i64().expect("finding");
    let ledger_enc = enc(&ledger);
    // A five-year plan, for the monitoring routes.
    let uploaded = app
        .send(multipart(
            "/api/documents",
            &office,
            "plan.txt",
            &fixture_bytes("plan-2021-2025-zichuan.txt"),
            &[("kind", "plan")],
        ))
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let plan = uploaded.json()["id"].as_i64().expect("plan");
    // The reporter's unit reports one indicator of the plan (数据来源单位).
    let unit_name = accounts
        .iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit.as_ref())
        .map(|u| u.name.clone())
        .expect("unit");
    let named = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/plans/{plan}/assignments"),
                json!({"subject": "indicator", "items": ["城镇登记失业率"], "unit": unit_name}),
            ),
        )
        .await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.body);
    let project = app
        .store
        .project_library(duban_core::DocumentId(plan))
        .await
        .expect("projects")[0]
        .name
        .clone();
    use Expect::{Conflict as C, Forbidden as F, Login as L, Ok as O};
    // Columns: anonymous, public, leader, office, reporter, head, reporter of another unit.
    let table: Vec<(Call, [Expect; 7])> = vec![
        (get("/login"), [O, O, O, O, O, O, O]),
        (get("/"), [L, O, O, O, O, O, O]),
        (get("/ledger"), [L, F, O, O, F, F, F]),
        (
            get(format!("/ledger?status=done&q={}", enc("增长"))),
            [L, F, O, O, F, F, F],
        ),
        (get(format!("/tasks/{task}")), [L, F, F, O, O, O, F]),
        (
            get(format!("/tasks/{portfolio_task}")),
            [L, F, O, O, p_reporter, p_reporter, p_other],
        ),
        (get("/my"), [L, F, F, F, O, O, O]),
        (get("/review"), [L, F, F, O, F, F, F]),
        (get("/notices"), [O, O, O, O, O, O, O]),
        (
            get(format!(
                "/notices/preview?ledger={}&period={published}",
                enc(&ledger)
            )),
            [L, F, F, O, F, F, F],
        ),
        (
            get("/notices/1/download?format=xlsx"),
            [O, O, O, O, O, O, O],
        ),
        (
            get("/notices/1/download?format=docx"),
            [O, O, O, O, O, O, O],
        ),
        (get("/import"), [L, F, F, O, F, F, F]),
        (get("/documents"), [L, F, O, O, F, F, F]),
        (
            get("/documents/1?q=%E8%90%A5%E5%95%86"),
            [L, F, O, O, F, F, F],
        ),
        (get("/api/documents"), [L, F, O, O, F, F, F]),
        (get("/documents/1/ledger"), [L, F, F, O, F, F, F]),
        (get("/api/documents/1"), [L, F, O, O, F, F, F]),
        (
            upload("/documents", "report-2021.docx"),
            [L, F, F, O, F, F, F],
        ),
        (
            upload("/api/documents?kind=report", "report-2021.pdf"),
            [L, F, F, O, F, F, F],
        ),
        (get("/accounts"), [L, F, F, O, F, F, F]),
        (get("/audit"), [L, F, F, O, F, F, F]),
        (get("/assets/htmx.js"), [O, O, O, O, O, O, O]),
        // The reporter saves a draft; the head sends it back; the office may only judge what was
        // submitted (409 here, as nothing is).
        (
            form(
                format!("/tasks/{task}/report"),
                &[
                    ("action", "save"),
                    ("period", next),
                    ("unit", &unit),
                    ("body", "9月份进展"),
                ],
            ),
            [L, F, F, F, O, F, F],
        ),
        (
            form(
                format!("/tasks/{task}/report"),
                &[
                    ("action", "send_back"),
                    ("period", next),
                    ("unit", &unit),
                    ("version", "1"),
                    ("comment", "请补充"),
                ],
            ),
            [L, F, F, F, F, O, F],
        ),
        (
            form(
                format!("/tasks/{task}/report"),
                &[
                    ("action", "accept"),
                    ("period", next),
                    ("unit", &unit),
                    ("version", "2"),
                    ("status", "done"),
                ],
            ),
            [L, F, F, C, F, F, F],
        ),
        (
            form(format!("/tasks/{task}/remind"), &[("period", next)]),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/notices/publish",
                &[("ledger", &ledger), ("period", published)],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/periods/unlock",
                &[
                    ("ledger", &ledger),
                    ("period", published),
                    ("reason", "更正"),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            Call {
                method: "POST",
                path: "/import/preview".to_owned(),
                body: Payload::Upload("excerpt.json".to_owned(), EXCERPT.into()),
            },
            [L, F, F, O, F, F, F],
        ),
        (
            form("/import/confirm", &[("preview", &preview)]),
            [L, F, F, O, F, F, F],
        ),
        (
            form("/accounts/unblock", &[("login", "gongzhong")]),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/accounts",
                &[
                    ("login", "new-account"),
                    ("name", "新账号"),
                    ("password", "a-long-password"),
                    ("role", "office"),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/accounts/disable",
                &[("login", "no-such-account"), ("disabled", "true")],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/accounts/reset",
                &[
                    ("login", "no-such-account"),
                    ("password", "a-long-password"),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (get("/me/password"), [L, O, O, O, O, O, O]),
        (get("/help"), [O, O, O, O, O, O, O]),
        (get("/units"), [L, F, F, O, F, F, F]),
        (
            form(
                "/units/alias",
                &[("name", "区发改局"), ("alias", "区发展和改革局")],
            ),
            [L, F, F, O, F, F, F],
        ),
        // The API.
        (get("/api/openapi.json"), [O, O, O, O, O, O, O]),
        (get("/api/me"), [L, O, O, O, O, O, O]),
        (get("/api/ledgers"), [L, F, O, O, O, O, O]),
        (
            get(format!(
                "/api/ledgers/{}/sheet?period={published}",
                enc(&ledger)
            )),
            [L, F, O, O, F, F, F],
        ),
        (
            get(format!(
                "/api/ledgers/{}/tasks?limit=5&after=3",
                enc(&ledger)
            )),
            [L, F, O, O, F, F, F],
        ),
        (get(format!("/api/tasks/{task}")), [L, F, F, O, O, O, F]),
        (
            get(format!("/api/tasks/{portfolio_task}")),
            [L, F, O, O, p_reporter, p_reporter, p_other],
        ),
        (
            post_json(
                format!("/api/tasks/{task}/reports"),
                json!({"action": "save", "period": next, "unit": unit.parse::<i64>().expect("id"), "version": 2, "body": "9月份进展（补充）"}),
            ),
            [L, F, F, F, O, F, F],
        ),
        (
            post_json(format!("/api/tasks/{task}/remind"), json!({"period": next})),
            [L, F, F, O, F, F, F],
        ),
        (get("/api/my/tasks"), [L, F, F, F, O, O, O]),
        (get("/api/review"), [L, F, F, O, F, F, F]),
        (get("/api/notices"), [O, O, O, O, O, O, O]),
        (get("/api/notices/1?format=html"), [O, O, O, O, O, O, O]),
        (
            post_json(
                "/api/notices",
                json!({"ledger": ledger, "period": published}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                "/api/periods/unlock",
                json!({"ledger": ledger, "period": published, "reason": "更正"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            Call {
                method: "POST",
                path: "/api/import?dry_run=true".to_owned(),
                body: Payload::Upload("excerpt.json".to_owned(), EXCERPT.into()),
            },
            [L, F, F, O, F, F, F],
        ),
        (get("/api/accounts"), [L, F, F, O, F, F, F]),
        (
            post_json(
                "/api/accounts",
                json!({"login": "api-account", "name": "接口账号", "password": "a-long-password", "role": "public"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json("/api/accounts/unblock", json!({"login": "gongzhong"})),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                "/api/accounts/disable",
                json!({"login": "api-account", "disabled": true}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                "/api/accounts/reset",
                json!({"login": "api-account", "password": "another-long-password"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (get("/api/audit?limit=5"), [L, F, F, O, F, F, F]),
        (get("/api/units"), [L, F, F, O, F, F, F]),
        (
            post_json(
                "/api/units/aliases",
                json!({"name": "区发改局", "alias": "区发展改革局"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        // Target rounds (目标分解): the office opens periods, the units set their targets.
        (get("/targets"), [L, F, F, O, F, F, F]),
        (
            form(
                "/targets/rounds",
                &[("ledger", ledger.as_str()), ("period", "2023-11")],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/ledgers/{}/rounds", enc(&ledger)),
                json!({"periods": ["2023-12"]}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            get(format!("/api/ledgers/{}/rounds", enc(&ledger))),
            [L, F, O, O, O, O, O],
        ),
        (get("/my/targets"), [L, F, F, F, O, O, O]),
        (get("/api/my/targets"), [L, F, F, F, O, O, O]),
        (
            post_json(
                format!("/api/tasks/{task}/targets"),
                json!({"action": "save", "period": "2023-12", "unit": unit.parse::<i64>().expect("id"), "text": "12月底前完成项目验收"}),
            ),
            [L, F, F, F, O, F, F],
        ),
        (
            form(
                format!("/tasks/{task}/targets"),
                &[
                    ("action", "save"),
                    ("period", "2023-11"),
                    ("unit", unit.as_str()),
                    ("text", "11月底前完成主体工程"),
                ],
            ),
            [L, F, F, F, O, F, F],
        ),
        (get(format!("/tasks/{task}/targets")), [L, F, F, O, O, O, F]),
        (
            get(format!("/api/tasks/{task}/targets")),
            [L, F, F, O, O, O, F],
        ),
        (get("/api/targets/review"), [L, F, F, O, F, F, F]),
        (
            get(format!("/api/ledgers/{}/targets?format=docx", enc(&ledger))),
            [L, F, F, O, F, F, F],
        ),
        (
            get(format!("/api/ledgers/{}/export", enc(&ledger))),
            [L, F, F, O, F, F, F],
        ),
        (get("/api/documents/1/proposals"), [L, F, F, O, F, F, F]),
        (get("/notify"), [L, F, F, O, F, F, F]),
        (
            form(
                "/notify/channels",
                &[
                    ("unit", "区发改局"),
                    ("account", ""),
                    ("kind", "email"),
                    ("address", "fgj@example.gov.cn"),
                    ("secret", ""),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                "/api/notify/channels",
                json!({"unit": "区发改局", "kind": "dingtalk", "address": "https://oapi.dingtalk.com/robot/send?access_token=x", "secret": "SEC1"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (get("/api/notify/channels"), [L, F, F, O, F, F, F]),
        (get("/api/notify/deliveries"), [L, F, F, O, F, F, F]),
        // A unit asks for a later deadline once (the head's second request waits on the first).
        (
            form(
                format!("/tasks/{task}/extensions"),
                &[
                    ("period", next),
                    ("due", "2099-12-31"),
                    ("reason", "设备到货推迟"),
                ],
            ),
            [L, F, F, F, O, C, F],
        ),
        (
            get(format!("/api/tasks/{task}/extensions")),
            [L, F, F, O, O, O, F],
        ),
        (get("/api/extensions"), [L, F, F, O, F, F, F]),
        (get("/api/receipts/missing"), [L, F, F, O, F, F, F]),
        (get("/me/messages"), [L, F, O, O, O, O, O]),
        (get(format!("/plans/{plan}")), [L, F, O, O, F, F, F]),
        (
            get(format!("/api/plans/{plan}/indicators?year=2023")),
            [L, F, O, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/plans/{plan}/actuals"),
                json!({"indicator": "森林覆盖率", "year": 2022, "value": "24.9"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                format!("/plans/{plan}/actuals"),
                &[
                    ("indicator", "常住人口城镇化率"),
                    ("year", "2023"),
                    ("value", "70.5"),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            get(format!("/plans/{plan}/projects")),
            [L, F, O, O, F, F, F],
        ),
        (get("/my/plan"), [L, F, F, F, O, O, O]),
        (
            get(format!("/plans/{plan}/indicator?no=9")),
            [L, F, O, O, F, F, F],
        ),
        (
            get(format!("/api/plans/{plan}/projects")),
            [L, F, O, O, O, O, O],
        ),
        (
            get(format!("/api/plans/{plan}/reports")),
            [L, F, O, O, O, O, O],
        ),
        (
            get(format!("/api/plans/{plan}/project-notice?quarter=2023-Q2")),
            [L, F, O, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/plans/{plan}/assignments"),
                json!({"subject": "project", "items": [project], "unit": unit_name}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                format!("/plans/{plan}/assignments"),
                &[
                    ("subject", "indicator"),
                    ("item", "城镇登记失业率"),
                    ("unit", &unit_name),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/plans/{plan}/projects"),
                json!({"project": project, "investment": 12000, "stage": "building"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                format!("/plans/{plan}/projects"),
                &[("project", &project), ("investment", "12000")],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/plans/{plan}/reports"),
                json!({"subject": "indicator", "item": "城镇登记失业率", "period": "2022",
                       "action": "save", "value": "3.2", "body": "统计年鉴"}),
            ),
            [L, F, F, F, O, F, F],
        ),
        (
            form(
                format!("/plans/{plan}/reports"),
                &[
                    ("subject", "indicator"),
                    ("item", "城镇登记失业率"),
                    ("period", "2022"),
                    ("action", "save"),
                    ("version", "1"),
                    ("value", "3.1"),
                ],
            ),
            [L, F, F, F, O, F, F],
        ),
        (get("/inspections"), [L, F, O, O, F, F, F]),
        (get("/scores"), [L, F, O, O, F, F, F]),
        (get("/my/rectifications"), [L, F, F, F, O, O, O]),
        (get("/api/rectifications"), [L, F, O, O, O, O, O]),
        (
            get(format!("/api/ledgers/{ledger_enc}/inspections")),
            [L, F, O, O, F, F, F],
        ),
        (
            get(format!("/api/ledgers/{ledger_enc}/scores")),
            [L, F, O, O, F, F, F],
        ),
        (
            get(format!("/api/ledgers/{ledger_enc}/scores?format=docx")),
            [L, F, O, O, F, F, F],
        ),
        (
            get(format!("/api/ledgers/{ledger_enc}/scheme")),
            [L, F, O, O, F, F, F],
        ),
        (
            get(format!("/api/inspections/{inspection}/notice")),
            [L, F, O, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/findings/{finding}/rectification"),
                json!({"action": "save", "body": "已补齐台账资料", "version": 0}),
            ),
            [L, F, F, F, O, F, F],
        ),
        (
            post_json(
                "/api/ratings",
                json!({"ledger": ledger, "unit": lead, "rating": "good"}),
            ),
            [L, F, O, O, F, F, F],
        ),
        (
            post_json("/api/assessments", json!({"ledger": ledger})),
            [L, F, F, O, F, F, F],
        ),
        (
            get(format!("/api/findings/{finding}/files")),
            // Not in the demo leader's portfolio.
            [L, F, F, O, O, O, F],
        ),
        (get("/api/assessments"), [O, O, O, O, O, O, O]),
        (
            form("/scores/publish", &[("ledger", ledger.as_str())]),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/ledgers/{ledger_enc}/scheme"),
                json!({"completion": 30}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json("/api/inspections", finding_body("现场无人")),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/inspections",
                &[
                    ("ledger", ledger.as_str()),
                    ("kind", "joint"),
                    ("date", "2023-09-21"),
                    ("seq", &detail.seq.to_string()),
                    ("unit", &lead),
                    ("text", "进度滞后"),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/scores/scheme",
                &[("ledger", ledger.as_str()), ("scheme", "{\"rating\": 5}")],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            form(
                "/scores/ratings",
                &[
                    ("ledger", ledger.as_str()),
                    ("unit", &lead),
                    ("rating", "excellent"),
                ],
            ),
            [L, F, O, O, F, F, F],
        ),
        (get("/api/my/messages"), [L, F, O, O, O, O, O]),
        (
            post_json("/api/receipts", json!({"kind": "task", "ids": [task]})),
            [L, F, F, F, O, O, F],
        ),
        (
            get(format!("/api/tasks/{task}/attachments")),
            [L, F, F, O, O, O, F],
        ),
        (
            form(
                "/ledger/changes",
                &[
                    ("ledger", ledger.as_str()),
                    ("action", "add"),
                    ("goal", "新增的任务"),
                    ("lead", "区发改局"),
                    ("reason", "年中调整"),
                ],
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                format!("/api/ledgers/{}/changes", enc(&ledger)),
                json!({"action": "add", "goal": "接口新增的任务", "lead": "区发改局", "reason": "年中调整"}),
            ),
            [L, F, F, O, F, F, F],
        ),
        (
            post_json(
                "/api/ledgers",
                json!({"ledger": "重点工作（接口建立）", "year": 2024, "cadence": "quarterly", "deadline_days": 5,
                       "tasks": [{"seq": 1, "goal": "建成产业园", "units": [{"name": "区发改局", "role": "lead"}]}]}),
            ),
            [L, F, F, O, F, F, F],
        ),
        // Last: it ends the sessions.
        (form("/logout", &[]), [L, O, O, O, O, O, O]),
    ];
    let mut wrong = Vec::new();
    let mut checked = 0;
    let doc = duban_server::openapi_document();
    for (call, expected) in &table {
        for ((role, session), want) in sessions.iter().zip(expected) {
            let reply = app.call(session.as_ref(), call).await;
            if call.path.starts_with("/api/") {
                assert_documented(&doc, call.method, &call.path, reply.status);
            }
            let got = outcome(&reply);
            checked += 1;
            if got != *want {
                wrong.push(format!(
                    "{} {} as {role}: expected {want:?}, got {got:?} ({}) {}",
                    call.method,
                    call.path,
                    reply.status,
                    reply.body.chars().take(200).collect::<String>()
                ));
            }
            // A page that needs a login says where to come back to.
            if got == Expect::Login && !call.path.starts_with("/api") && call.method == "GET" {
                assert!(
                    reply.location.starts_with("/login?next=/"),
                    "{}",
                    reply.location
                );
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(checked, table.len() * ROLES.len());
    // The office's alias registrations are in the log, and the new names find the unit.
    let log = app.store.audit_log(None, 1000).await.expect("log");
    assert_eq!(log.iter().filter(|e| e.action == "add_alias").count(), 2);
    for alias in ["区发展和改革局", "区发展改革局"] {
        assert_eq!(app.store.unit_name(alias).await.expect("alias"), "区发改局");
    }
    app.store.close().await;
}

fn field<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    html[start..].split('"').next()
}

async fn a_report_goes_through_the_cycle_with_signatures_and_a_return(db: &TestDb) {
    let app = app(db).await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let office = app.login("ducha").await;
    let other = app.login("tianbao2").await;
    let (task, _, _) = tasks_of_interest(&app, &reporter).await;
    let path = format!("/tasks/{task}/report");
    let page = app
        .call(
            Some(&reporter),
            &get(format!("/tasks/{task}?period=2023-09")),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let unit = field(&page.body, "unit")
        .expect("form has the unit")
        .to_owned();
    let act = |fields: Vec<(&'static str, String)>| {
        let mut all = vec![("period", "2023-09".to_owned()), ("unit", unit.clone())];
        all.extend(fields);
        Call {
            method: "POST",
            path: path.clone(),
            body: Payload::Form(all.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
        }
    };
    let save = app
        .call(
            Some(&reporter),
            &act(vec![
                ("action", "save".into()),
                ("body", "9月份完成投资1.2亿元。".into()),
            ]),
        )
        .await;
    assert_eq!(save.status, StatusCode::SEE_OTHER, "{}", save.body);
    // A wrong password cannot sign.
    let bad = app
        .call(
            Some(&head),
            &act(vec![
                ("action", "approve".into()),
                ("version", "1".into()),
                ("password", "wrong-password".into()),
            ]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::CONFLICT);
    assert!(bad.body.contains("密码不正确"), "{}", bad.body);
    for (who, fields) in [
        (
            &head,
            vec![
                ("action", "approve".into()),
                ("version", "1".into()),
                ("password", PASSWORD.into()),
            ],
        ),
        (
            &head,
            vec![("action", "submit".into()), ("version", "2".into())],
        ),
    ] {
        let reply = app.call(Some(who), &act(fields)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    // The office sees it in the queue with a valid signature; the other unit does not see it.
    let queue = app.call(Some(&office), &get("/review")).await;
    assert!(
        queue.body.contains("9月份完成投资1.2亿元。"),
        "{}",
        queue.body
    );
    // Signatures and steps name the person, not only the login.
    assert!(
        queue.body.contains("✔ 负责人 张局长（fuzeren） 已签名"),
        "{}",
        queue.body
    );
    let shown = app
        .call(Some(&office), &get(format!("/tasks/{task}?period=2023-09")))
        .await;
    assert!(shown.body.contains("签名有效"), "{}", shown.body);
    // The history reads as sentences: who by name, what, the state before → after; no JSON,
    // no English action names, no base64 signature.
    assert!(
        shown.body.contains("负责人 张局长（fuzeren）：审核并签名"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("草稿 → 负责人已审核"), "{}", shown.body);
    let audit = app.call(Some(&office), &get("/audit")).await;
    assert!(audit.body.contains("报送督查室"), "{}", audit.body);
    for raw in ["{&quot;", "\"state\"", ">approve<", ">login<", "signer_key"] {
        assert!(!shown.body.contains(raw), "{raw} on the task page");
        assert!(!audit.body.contains(raw), "{raw} in the audit log");
    }
    let key = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "fuzeren")
        .and_then(|a| a.public_key)
        .expect("key");
    assert!(
        !audit.body.contains(&key),
        "no key or signature in the log's page"
    );
    // The API says so too, in the queue and on the task.
    let queue = app.call(Some(&office), &get("/api/review")).await.json();
    let queued = &queue.as_array().expect("queue")[0];
    assert_eq!(queued["signature_valid"], json!(true), "{queued}");
    let detail = app
        .call(Some(&office), &get(format!("/api/tasks/{task}")))
        .await
        .json();
    let signed = detail["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| r["period"] == "2023-09")
        .expect("report");
    assert_eq!(signed["signature_valid"], json!(true), "{signed}");
    assert_eq!(
        app.call(Some(&other), &get(format!("/tasks/{task}?period=2023-09")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(Some(&other), &get(format!("/api/tasks/{task}")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Returned without a comment: refused; with one: back to the reporter, signature dropped.
    let no_comment = app
        .call(
            Some(&office),
            &act(vec![("action", "return".into()), ("version", "3".into())]),
        )
        .await;
    assert_eq!(no_comment.status, StatusCode::CONFLICT);
    let returned = app
        .call(
            Some(&office),
            &act(vec![
                ("action", "return".into()),
                ("version", "3".into()),
                ("comment", "请写明占年度目标的比例".into()),
            ]),
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);
    let page = app
        .call(
            Some(&reporter),
            &get(format!("/tasks/{task}?period=2023-09")),
        )
        .await;
    assert!(page.body.contains("请写明占年度目标的比例"));
    assert!(page.body.contains("已退回"));
    for (who, fields) in [
        (
            &reporter,
            vec![
                ("action", "save".into()),
                ("version", "4".into()),
                ("body", "9月份完成投资1.2亿元，占年度目标的60%。".into()),
            ],
        ),
        (
            &head,
            vec![
                ("action", "approve".into()),
                ("version", "5".into()),
                ("password", PASSWORD.into()),
            ],
        ),
        (
            &head,
            vec![("action", "submit".into()), ("version", "6".into())],
        ),
        (
            &office,
            vec![
                ("action", "accept".into()),
                ("version", "7".into()),
                ("status", "partial".into()),
            ],
        ),
    ] {
        let reply = app.call(Some(who), &act(fields)).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    // Accepted: the period's progress and status, as the API and the notices read them.
    let api = app
        .call(Some(&office), &get(format!("/api/tasks/{task}")))
        .await
        .json();
    let progress = api["task"]["progress"].as_array().expect("progress");
    let last = progress.last().expect("a period");
    assert_eq!(last[0], "2023-09");
    assert_eq!(last[2], "partial");
    let reports = api["reports"].as_array().expect("reports");
    assert_eq!(reports[0]["state"], "accepted");
    assert!(reports[0]["signature"].is_string());
    // The history on the page: every step, by whom.
    let log = app
        .call(Some(&office), &get(format!("/api/audit?task={task}")))
        .await
        .json();
    let actions: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .rev()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        [
            "save", "approve", "submit", "return", "save", "approve", "submit", "accept"
        ]
    );
    // The ledger table pages through 124 tasks a hundred at a time and searches the texts.
    let first = app
        .call(Some(&office), &get("/ledger?period=2023-08"))
        .await;
    assert!(
        first.body.contains("符合条件 124 / 124 项"),
        "{}",
        first.body
    );
    assert!(first.body.contains("第 1 / 2 页") && first.body.contains("下一页"));
    assert_eq!(first.body.matches("<a href=\"/tasks/").count(), 100);
    let second = app
        .call(Some(&office), &get("/ledger?period=2023-08&page=2"))
        .await;
    assert_eq!(second.body.matches("<a href=\"/tasks/").count(), 24);
    assert!(second.body.contains("上一页"));
    let found = app
        .call(
            Some(&office),
            &get(format!(
                "/ledger?period=2023-08&status=not_done&q={}",
                enc("项目")
            )),
        )
        .await;
    let shown = found.body.matches("<a href=\"/tasks/").count();
    assert!(shown > 0 && shown < 124, "{shown}");
    assert_eq!(found.body.matches("status-not_done\">").count(), shown);
    app.store.close().await;
}

async fn two_people_saving_the_same_report_get_a_conflict_and_lose_nothing(db: &TestDb) {
    let app = app(db).await;
    let first = app.login("tianbao").await;
    // A second reporter of the same unit.
    let office = app.login("ducha").await;
    let unit_name = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit)
        .expect("unit")
        .name;
    let created = app
        .call(Some(&office), &post_json("/api/accounts", json!({"login": "tianbao-b", "name": "第二填报人", "password": PASSWORD, "role": "reporter", "unit": unit_name})))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let second = app.login("tianbao-b").await;
    let (task, _, _) = tasks_of_interest(&app, &first).await;
    // Both open the empty form (version 0); the first saves.
    let save = |body: &str| {
        post_json(
            format!("/api/tasks/{task}/reports"),
            json!({"action": "save", "period": "2023-09", "body": body}),
        )
    };
    let one = app
        .call(Some(&first), &save("甲：9月份完成项目签约。"))
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.json()["version"], 1);
    let two = app
        .call(Some(&second), &save("乙：9月份完成项目开工。"))
        .await;
    assert_eq!(two.status, StatusCode::CONFLICT);
    let message = two.json()["error"].as_str().expect("error").to_owned();
    assert!(
        message.contains("tianbao") && message.contains("没有保存"),
        "{message}"
    );
    // The page keeps the second person's text in the form beside the message.
    let page = app
        .call(
            Some(&second),
            &form(
                format!("/tasks/{task}/report"),
                &[
                    ("action", "save"),
                    ("period", "2023-09"),
                    ("unit", &one.json()["unit"]["id"].to_string()),
                    ("body", "乙：9月份完成项目开工。"),
                ],
            ),
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body.contains("乙：9月份完成项目开工。"),
        "the typed text is kept"
    );
    assert!(page.body.contains("id=\"conflict\""));
    // The first text is intact; saving on top of the version seen goes through.
    let api = app
        .call(Some(&first), &get(format!("/api/tasks/{task}")))
        .await
        .json();
    assert_eq!(api["reports"][0]["body"], "甲：9月份完成项目签约。");
    let merged = post_json(
        format!("/api/tasks/{task}/reports"),
        json!({"action": "save", "period": "2023-09", "version": 1, "body": "甲乙：签约并开工。"}),
    );
    let three = app.call(Some(&second), &merged).await;
    assert_eq!(three.status, StatusCode::OK, "{}", three.body);
    assert_eq!(three.json()["version"], 2);
    app.store.close().await;
}

async fn forms_without_the_csrf_token_and_repeated_bad_logins_are_refused(db: &TestDb) {
    let app = app(db).await;
    let reporter = app.login("tianbao").await;
    let (task, _, _) = tasks_of_interest(&app, &reporter).await;
    // The right cookie but another token.
    let forged = Session {
        cookie: reporter.cookie.clone(),
        csrf: "forged".to_owned(),
    };
    let reply = app
        .call(
            Some(&forged),
            &post_json(
                format!("/api/tasks/{task}/reports"),
                json!({"action": "save", "period": "2023-09", "body": "x"}),
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("CSRF"), "{}", reply.body);
    let reply = app.call(Some(&forged), &form("/logout", &[])).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // An upload over the limit is refused with the limit named.
    let office = app.login("ducha").await;
    let big = "x".repeat(duban_server::UPLOAD_LIMIT + 1024);
    let reply = app
        .call(
            Some(&office),
            &Call {
                method: "POST",
                path: "/api/import?dry_run=true".to_owned(),
                body: Payload::Upload("big.json".to_owned(), big.into_bytes()),
            },
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("10 MB"), "{}", reply.body);
    let doc = duban_server::openapi_document();
    assert_documented(&doc, "POST", "/api/import", reply.status);

    // An address with a word where an id belongs is a page that does not exist, in Chinese.
    for path in ["/tasks/abc", "/api/tasks/abc"] {
        let reply = app.call(Some(&office), &get(path)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains("不是数字"), "{path}: {}", reply.body);
        assert!(
            !reply.body.contains("Invalid URL"),
            "{path}: {}",
            reply.body
        );
    }

    // Behind HTTPS (--secure-cookies) browsers are told to keep to HTTPS; without it, not.
    let plain = router(AppState::new(app.store.clone(), Calendar::builtin()))
        .oneshot(Request::get("/login").body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    assert!(
        !plain
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
    let mut secure_state = AppState::new(app.store.clone(), Calendar::builtin());
    secure_state.secure_cookies = true;
    let secure = router(secure_state)
        .oneshot(Request::get("/login").body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    assert!(
        secure
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("max-age="))
    );

    // Five wrong passwords, then even the right one waits.
    for _ in 0..5 {
        let reply = app
            .call(
                None,
                &form("/login", &[("login", "ducha"), ("password", "wrong")]),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(reply.body.contains("登录名或密码不正确"));
    }
    let reply = app
        .call(
            None,
            &form("/login", &[("login", "ducha"), ("password", PASSWORD)]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.body.contains("15 分钟"));

    // Those failures block ducha from this client, not the other accounts behind it.
    let other_account = app
        .call(
            None,
            &form("/login", &[("login", "lingdao"), ("password", PASSWORD)]),
        )
        .await;
    assert_eq!(
        other_account.status,
        StatusCode::SEE_OTHER,
        "{}",
        other_account.body
    );
    // Behind a trusted proxy each user is known by the address the proxy forwards: an account
    // blocked from one address logs in from another.
    let proxy: std::net::SocketAddr = "10.0.0.1:443".parse().expect("addr");
    let mut behind = AppState::new(app.store.clone(), Calendar::builtin());
    behind.trusted_proxies = vec![proxy.ip()];
    let behind = router(behind);
    let through_proxy = |user: &str, password: &str| {
        let mut request = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", format!("203.0.113.9, {user}"))
            .body(Body::from(
                json!({"login": "gongzhong", "password": password}).to_string(),
            ))
            .expect("request");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(proxy));
        behind.clone().oneshot(request)
    };
    for _ in 0..5 {
        let reply = through_proxy("192.0.2.1", "wrong")
            .await
            .expect("infallible");
        assert_eq!(reply.status(), StatusCode::FORBIDDEN);
    }
    let blocked = through_proxy("192.0.2.1", PASSWORD)
        .await
        .expect("infallible");
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_documented(&doc, "POST", "/api/login", blocked.status());
    let elsewhere = through_proxy("192.0.2.2", PASSWORD)
        .await
        .expect("infallible");
    assert_eq!(elsewhere.status(), StatusCode::OK);
    // The office lifts the block; it is logged.
    let lifted = app
        .call(
            Some(&office),
            &post_json("/api/accounts/unblock", json!({"login": "gongzhong"})),
        )
        .await;
    assert_eq!(lifted.status, StatusCode::OK, "{}", lifted.body);
    assert!(lifted.body.contains("已解除"), "{}", lifted.body);
    let again = through_proxy("192.0.2.1", PASSWORD)
        .await
        .expect("infallible");
    assert_eq!(again.status(), StatusCode::OK);
    let log = app.store.audit_log(None, 5).await.expect("log");
    assert!(log.iter().any(|e| e.action == "unblock_login"));

    // Forty wrong passwords sent at once for another account: at most five are checked.
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let router = app.router.clone();
        attempts.spawn(async move {
            let request = Request::post("/api/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-forwarded-for", "10.9.9.9")
                .body(Body::from(
                    json!({"login": "lingdao", "password": "guess"}).to_string(),
                ))
                .expect("request");
            router.oneshot(request).await.expect("infallible").status()
        });
    }
    let mut checked = 0;
    while let Some(status) = attempts.join_next().await {
        match status.expect("attempt") {
            StatusCode::TOO_MANY_REQUESTS => {}
            StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => checked += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= 5, "{checked} of 40 passwords were checked");
    // Nothing secret in what is stored: no password, no raw session token.
    let log =
        serde_json::to_string(&app.store.audit_log(None, 1000).await.expect("log")).expect("json");
    assert!(!log.contains(PASSWORD));
    assert!(!log.contains(reporter.cookie.split('=').nth(1).expect("token")));

    app.store.close().await;
}

async fn the_lead_unit_sees_what_its_support_units_submitted_and_the_office_sees_who_is_late(
    db: &TestDb,
) {
    let app = app(db).await;
    let lead = app.login("tianbao").await;
    let office = app.login("ducha").await;
    // A task of the demo unit with a support unit (配合).
    let my = app.call(Some(&lead), &get("/api/my/tasks")).await.json();
    let mut found = None;
    for row in my
        .as_array()
        .expect("my tasks")
        .iter()
        .filter(|r| r["role"] == "牵头")
    {
        let id = row["task_id"].as_i64().expect("id");
        let detail = app
            .call(Some(&lead), &get(format!("/api/tasks/{id}")))
            .await
            .json();
        let units = detail["task"]["units"].as_array().expect("units").clone();
        if let Some(unit) = units.iter().find(|u| u[1] == "support") {
            found = Some((id, unit[0]["name"].as_str().expect("name").to_owned()));
            break;
        }
    }
    let (task, support) = found.expect("a led task with a support unit");
    for (login, role) in [("pei-tb", "reporter"), ("pei-fzr", "head")] {
        let created = app
            .call(
                Some(&office),
                &post_json(
                    "/api/accounts",
                    json!({"login": login, "name": login, "password": PASSWORD, "role": role, "unit": support}),
                ),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }
    let (reporter, head) = (app.login("pei-tb").await, app.login("pei-fzr").await);
    let step = |body: Value| post_json(format!("/api/tasks/{task}/reports"), body);
    let part = "配合单位：9月份完成资金拨付3000万元。";
    // A draft of the support unit stays with it.
    let saved = app
        .call(
            Some(&reporter),
            &step(json!({"action": "save", "period": "2023-09", "body": part})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let page = app
        .call(Some(&lead), &get(format!("/tasks/{task}?period=2023-09")))
        .await;
    assert!(
        !page.body.contains(part),
        "a draft is not shown to the lead unit"
    );
    for body in [
        json!({"action": "approve", "period": "2023-09", "version": 1, "password": PASSWORD}),
        json!({"action": "submit", "period": "2023-09", "version": 2}),
    ] {
        let reply = app.call(Some(&head), &step(body)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let page = app
        .call(Some(&lead), &get(format!("/tasks/{task}?period=2023-09")))
        .await;
    assert!(
        page.body.contains(part),
        "the lead unit sees the submitted part"
    );
    assert!(page.body.contains(&format!("{support}（配合）")));
    // The support unit does not see the lead unit's report, and its part is not the task's:
    // the office's queue holds lead reports only.
    let queue = app.call(Some(&office), &get("/api/review")).await.json();
    assert!(queue.as_array().expect("queue").is_empty(), "{queue}");

    // Nothing has been submitted for September by the lead units and the deadline is long past:
    // every task of the period is overdue on the dashboard, and a reminder is counted.
    let reminded = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/tasks/{task}/remind"),
                json!({"period": "2023-09"}),
            ),
        )
        .await;
    assert_eq!(reminded.status, StatusCode::OK, "{}", reminded.body);
    assert_eq!(
        reminded.json()["unit"],
        json!(
            app.store
                .accounts()
                .await
                .expect("accounts")
                .iter()
                .find(|a| a.login == "tianbao")
                .and_then(|a| a.unit.as_ref())
                .expect("unit")
                .name
        )
    );
    let dashboard = app.call(Some(&office), &get("/?period=2023-09")).await;
    assert!(
        dashboard.body.contains("逾期未报（124）"),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains("报送截止 2023-10-09"));
    // Years past the deadline, the missing reports are red (三色督办).
    assert!(
        dashboard.body.contains("escalation-red") && dashboard.body.contains("红色督办"),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains("最近动态"));
    let table = app
        .call(Some(&office), &get("/ledger?period=2023-09"))
        .await;
    assert!(table.body.contains("escalation-red"), "{}", table.body);
    let leader = app.login("lingdao").await;
    let theirs = app.call(Some(&leader), &get("/?period=2023-09")).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(
        !theirs.body.contains("最近动态"),
        "the log stays with the office"
    );
    let detail = app
        .call(Some(&office), &get(format!("/tasks/{task}?period=2023-09")))
        .await;
    assert!(detail.body.contains("催办 2023-09"));
    app.store.close().await;
}

/// Two servers on one database, as behind a load balancer: nothing lives only in one process.
async fn a_session_opened_on_one_server_process_works_on_another(db: &TestDb) {
    let first = app(db).await;
    let store = Store::open(&db.target()).await.expect("second pool");
    let second = App {
        router: router(AppState::new(store.clone(), Calendar::builtin())),
        store,
    };
    let reporter = first.login("tianbao").await;
    let (task, _, _) = tasks_of_interest(&second, &reporter).await;
    let saved = second
        .call(
            Some(&reporter),
            &post_json(
                format!("/api/tasks/{task}/reports"),
                json!({"action": "save", "period": "2023-09", "body": "在第二个进程保存"}),
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let seen = first
        .call(Some(&reporter), &get(format!("/api/tasks/{task}")))
        .await
        .json();
    assert_eq!(seen["reports"][0]["body"], "在第二个进程保存");
    // Logging out on one ends the session on both.
    let out = first.call(Some(&reporter), &form("/logout", &[])).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = second.call(Some(&reporter), &get("/api/me")).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    second.store.close().await;
    first.store.close().await;
}

async fn errors_are_json_under_the_api_and_chinese_pages_elsewhere(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let is_json_error = |reply: &Reply, status: StatusCode| {
        assert_eq!(reply.status, status, "{}", reply.body);
        let error = reply.json()["error"].as_str().expect("error").to_owned();
        assert!(!error.is_empty() && !error.is_ascii(), "{error}");
        error
    };
    // A path parameter that does not parse, an unknown path, a bad body: JSON under /api.
    let doc = duban_server::openapi_document();
    let abc = app.call(Some(&office), &get("/api/tasks/abc")).await;
    assert_documented(&doc, "GET", "/api/tasks/abc", abc.status);
    assert!(is_json_error(&abc, StatusCode::NOT_FOUND).contains("不是数字"));
    let nothing = app.call(Some(&office), &get("/api/no-such-thing")).await;
    is_json_error(&nothing, StatusCode::NOT_FOUND);
    let bad = app
        .call(
            Some(&office),
            &post_json("/api/tasks/1/remind", json!({"no": "period"})),
        )
        .await;
    let said = is_json_error(&bad, StatusCode::BAD_REQUEST);
    assert!(
        said.contains("JSON 内容有误") && said.contains("缺少字段“period”"),
        "{said}"
    );
    let bad_form = app.call(Some(&office), &form("/tasks/1/remind", &[])).await;
    assert_eq!(bad_form.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_form.body.contains("缺少字段“period”"),
        "{}",
        bad_form.body
    );
    assert_documented(&doc, "POST", "/api/tasks/1/remind", bad.status);
    // The same on a page: a Chinese page in the office's frame.
    let page = app.call(Some(&office), &get("/tasks/abc")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("<html") && page.body.contains("不是数字"));
    assert!(
        page.body.contains("王督查"),
        "the frame names who is signed in"
    );
    // A form's address opened in the browser: a Chinese page, JSON under /api.
    let typed = app.call(Some(&office), &get("/notices/publish")).await;
    assert_eq!(typed.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(typed.body.contains("<html") && typed.body.contains("不能这样打开"));
    let api_typed = app.call(Some(&office), &get("/api/review/accept")).await;
    assert_eq!(api_typed.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        api_typed.json()["error"]
            .as_str()
            .expect("error")
            .contains("不能这样打开")
    );
    let bad_query = app.call(Some(&office), &get("/ledger?page=x")).await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert!(bad_query.body.contains("查询参数有误"));
    // A form posted without a session returns to the page it came from after logging in.
    let posted = app
        .send(
            Request::post("/tasks/1/remind")
                .header(
                    header::REFERER,
                    "http://duban.example/tasks/1?period=2023-09",
                )
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("period=2023-09"))
                .expect("request"),
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert_eq!(posted.location, "/login?next=/tasks/1%3Fperiod%3D2023-09");
    // When the database fails, people get a reference to quote and never its text, as JSON
    // under /api and as a page elsewhere.
    app.store.clone().close().await;
    let down = app.call(Some(&office), &get("/api/me")).await;
    let error = is_json_error(&down, StatusCode::INTERNAL_SERVER_ERROR);
    assert_documented(&doc, "GET", "/api/me", down.status);
    assert!(error.contains("编号"), "{error}");
    for leak in ["pool", "closed", "sqlx", "database"] {
        assert!(!error.to_lowercase().contains(leak), "{error}");
    }
    let page = app.call(Some(&office), &get("/ledger")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.body.contains("<html") && page.body.contains("编号"));
    assert!(!page.body.to_lowercase().contains("pool"));
}

async fn htmx_gets_its_fragment_and_an_import_is_confirmed_from_the_server_copy(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    // The ledger's filters ask through htmx: only the results come back, not the whole page.
    let whole = app.call(Some(&office), &get("/ledger?status=done")).await;
    assert!(whole.body.contains("<html") && whole.body.contains("id=\"ledger-results\""));
    let fragment = app
        .send(
            Request::get("/ledger?status=done")
                .header(header::COOKIE, &office.cookie)
                .header("hx-request", "true")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(
        fragment
            .body
            .trim_start()
            .starts_with("<div id=\"ledger-results\">")
    );
    assert!(!fragment.body.contains("<html") && !fragment.body.contains("<body"));
    assert!(fragment.body.contains("/tasks/"), "the rows are there");
    // A preview is confirmed by its id, once, by the account that made it.
    let upload = Call {
        method: "POST",
        path: "/import/preview".to_owned(),
        body: Payload::Upload("excerpt.json".to_owned(), EXCERPT.into()),
    };
    let previewed = app.call(Some(&office), &upload).await;
    let id = field(&previewed.body, "preview").expect("id").to_owned();
    let confirmed = app
        .call(Some(&office), &form("/import/confirm", &[("preview", &id)]))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert!(confirmed.body.contains("已导入"), "{}", confirmed.body);
    let again = app
        .call(Some(&office), &form("/import/confirm", &[("preview", &id)]))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.body.contains("预览已过期或不存在"));
    app.store.close().await;
}

/// The first `n` tasks the reporter's unit leads (牵头).
async fn led_tasks(app: &App, reporter: &Session, n: usize) -> Vec<i64> {
    let my = app.call(Some(reporter), &get("/api/my/tasks")).await.json();
    let led: Vec<i64> = my
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["role"] == "牵头")
        .filter_map(|t| t["task_id"].as_i64())
        .take(n)
        .collect();
    assert_eq!(led.len(), n, "{my}");
    led
}

async fn a_new_password_keeps_earlier_signatures_and_the_office_disables_and_resets_accounts(
    db: &TestDb,
) {
    let app = app(db).await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let head_elsewhere = app.login("fuzeren").await;
    let office = app.login("ducha").await;
    let led = led_tasks(&app, &reporter, 2).await;
    // The reporter drafts, the head approves (signs) with the password of the moment.
    let sign = |task: i64, password: &'static str| {
        let (app, reporter, head) = (&app, &reporter, &head);
        async move {
            let path = format!("/api/tasks/{task}/reports");
            let saved = app
                .call(
                    Some(reporter),
                    &post_json(
                        &path,
                        json!({"action": "save", "period": "2023-09", "body": "已完成"}),
                    ),
                )
                .await;
            assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
            let approved = app
                .call(
                    Some(head),
                    &post_json(
                        &path,
                        json!({"action": "approve", "period": "2023-09", "version": 1, "password": password}),
                    ),
                )
                .await;
            assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        }
    };
    sign(led[0], PASSWORD).await;
    // A wrong old password changes nothing.
    let refused = app
        .call(
            Some(&head),
            &post_json(
                "/api/me/password",
                json!({"old": "wrong", "new": "new-password-456"}),
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.json()["error"]
            .as_str()
            .expect("error")
            .contains("原密码不正确")
    );
    let changed = app
        .call(
            Some(&head),
            &post_json(
                "/api/me/password",
                json!({"old": PASSWORD, "new": "new-password-456"}),
            ),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    // The session that changed it goes on; the head's other session has ended.
    assert_eq!(
        app.call(Some(&head), &get("/api/me")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.call(Some(&head_elsewhere), &get("/api/me"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let old_login = app.try_login("fuzeren", PASSWORD).await;
    assert_eq!(old_login.status, StatusCode::FORBIDDEN);
    // The key follows the new password: the next approval signs with it, and both signatures,
    // before and after, verify.
    sign(led[1], "new-password-456").await;
    for task in &led {
        let detail = app
            .call(Some(&office), &get(format!("/api/tasks/{task}")))
            .await
            .json();
        let report = detail["reports"]
            .as_array()
            .expect("reports")
            .iter()
            .find(|r| r["period"] == "2023-09")
            .expect("report");
        assert_eq!(report["signature_valid"], json!(true), "{report}");
    }
    let keys = app.store.signing_keys().await.expect("keys");
    assert_eq!(
        keys.iter().filter(|(l, _)| l == "fuzeren").count(),
        2,
        "{keys:?}"
    );
    // The page says it too.
    let page = app.call(Some(&head), &get("/me/password")).await;
    assert!(page.body.contains("签名的密钥随密码更换"), "{}", page.body);

    // The office cannot lock itself out: not its own account, not the last office account.
    let own = app
        .call(
            Some(&office),
            &post_json(
                "/api/accounts/disable",
                json!({"login": "ducha", "disabled": true}),
            ),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);
    let own_reset = app
        .call(
            Some(&office),
            &form(
                "/accounts/reset",
                &[("login", "ducha"), ("password", "someone-elses-1")],
            ),
        )
        .await;
    assert!(own_reset.body.contains("修改密码"), "{}", own_reset.body);
    assert_eq!(
        app.call(Some(&office), &get("/api/me")).await.status,
        StatusCode::OK
    );
    // The office disables an account: its session ends and it cannot log in, with the reason.
    let other = app.login("tianbao2").await;
    let disabled = app
        .call(
            Some(&office),
            &form(
                "/accounts/disable",
                &[("login", "tianbao2"), ("disabled", "true")],
            ),
        )
        .await;
    assert!(
        disabled.body.contains("已停用账号 tianbao2"),
        "{}",
        disabled.body
    );
    assert_eq!(
        app.call(Some(&other), &get("/api/me")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = app.try_login("tianbao2", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("已停用"), "{}", refused.body);
    // Enabled again, and given a new password by the office, the account logs in with it.
    let enabled = app
        .call(
            Some(&office),
            &post_json(
                "/api/accounts/disable",
                json!({"login": "tianbao2", "disabled": false}),
            ),
        )
        .await;
    assert_eq!(enabled.json()["disabled"], json!(false));
    let reset = app
        .call(
            Some(&office),
            &form(
                "/accounts/reset",
                &[("login", "tianbao2"), ("password", "given-in-person-1")],
            ),
        )
        .await;
    assert!(reset.body.contains("已重设账号 tianbao2"), "{}", reset.body);
    let with_new = app.try_login("tianbao2", "given-in-person-1").await;
    assert_eq!(with_new.status, StatusCode::OK, "{}", with_new.body);
    let log = app.store.audit_log(None, 1000).await.expect("log");
    for action in [
        "change_password",
        "disable_account",
        "enable_account",
        "reset_password",
    ] {
        assert!(
            log.iter().any(|e| e.action == action),
            "{action} in the log"
        );
    }
    app.store.close().await;
}

async fn publishing_is_confirmed_with_the_counts_a_chosen_date_and_the_short_notice(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let ledger = app.call(Some(&office), &get("/api/ledgers")).await.json()[0]["name"]
        .as_str()
        .expect("ledger")
        .to_owned();
    // The open period: nothing reported yet. The preview says so before anything is locked.
    let base = format!("/notices/preview?ledger={}&period=2023-09", enc(&ledger));
    let preview = app.call(Some(&office), &get(&base)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("本期未报送"), "{}", preview.body);
    assert!(preview.body.contains("共 124 项"), "{}", preview.body);
    assert!(
        preview.body.contains("id=\"confirm-lock\""),
        "a box to tick before publishing"
    );
    let short = app
        .call(Some(&office), &get(format!("{base}&only_problems=true")))
        .await;
    assert!(short.body.contains("仅列未完成和未报送"), "{}", short.body);
    let bad = app
        .call(Some(&office), &get(format!("{base}&date=2023-13-45")))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("印发日期"), "{}", bad.body);
    // Published with a chosen date, as the short notice; the office is told what happened.
    let published = app
        .call(
            Some(&office),
            &form(
                "/notices/publish",
                &[
                    ("ledger", &ledger),
                    ("period", "2023-09"),
                    ("date", "2023-10-15"),
                    ("only_problems", "true"),
                ],
            ),
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert!(published.location.starts_with("/notices?published="));
    let told = app.call(Some(&office), &get(&published.location)).await;
    assert!(told.body.contains("已发布"), "{}", told.body);
    assert!(told.body.contains("报送已锁定"), "{}", told.body);
    let list = app.call(None, &get("/api/notices")).await.json();
    let notice = list
        .as_array()
        .expect("notices")
        .iter()
        .find(|n| n["period"] == "2023-09")
        .expect("the new notice");
    assert_eq!(notice["date"], "2023-10-15");
    assert_eq!(notice["only_problems"], true);
    assert!(
        notice["summary"]
            .as_str()
            .expect("summary")
            .contains("未报送")
    );
    // The public list shows each notice's figures as bars, without logging in.
    let public = app.call(None, &get("/notices")).await;
    assert!(public.body.contains("<meter"), "{}", public.body);
    assert!(public.body.contains("未报送 124 项"), "{}", public.body);
    // The web version opens in the browser (inline), dated as chosen; the others download.
    let id = notice["id"].as_i64().expect("id");
    let html = app
        .call(None, &get(format!("/notices/{id}/download?format=html")))
        .await;
    assert!(
        html.disposition.starts_with("inline"),
        "{}",
        html.disposition
    );
    assert!(html.body.contains("2023年10月15日"), "dated as chosen");
    let docx = app
        .call(None, &get(format!("/notices/{id}/download?format=docx")))
        .await;
    assert!(
        docx.disposition.starts_with("attachment"),
        "{}",
        docx.disposition
    );
    // The API takes the same settings.
    let api = app
        .call(
            Some(&office),
            &post_json(
                "/api/notices",
                json!({"ledger": ledger, "period": "2023-09", "date": "2023-10-16"}),
            ),
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    assert_eq!(api.json()["date"], "2023-10-16");
    app.store.close().await;
}

async fn the_office_reviews_with_the_suggestion_preselected_and_accepts_several_at_once(
    db: &TestDb,
) {
    let app = app(db).await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let office = app.login("ducha").await;
    let led = led_tasks(&app, &reporter, 3).await;
    for task in &led {
        let path = format!("/api/tasks/{task}/reports");
        for (who, body) in [
            (
                &reporter,
                json!({"action": "save", "period": "2023-09", "body": "本月工作已全部完成。"}),
            ),
            (
                &head,
                json!({"action": "approve", "period": "2023-09", "version": 1, "password": PASSWORD}),
            ),
            (
                &head,
                json!({"action": "submit", "period": "2023-09", "version": 2}),
            ),
        ] {
            let reply = app.call(Some(who), &post_json(&path, body)).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    }
    // The task page puts the report being judged above the decision, with a judgement selected;
    // 催办 is no longer offered once the unit has submitted.
    let page = app
        .call(
            Some(&office),
            &get(format!("/tasks/{}?period=2023-09", led[0])),
        )
        .await;
    let text = page
        .body
        .find("report-under-review")
        .expect("the report under review");
    let decision = page.body.find("id=\"accept\"").expect("the decision");
    assert!(text < decision, "the report comes before the buttons");
    assert!(page.body.contains("id=\"suggestion\""));
    assert!(
        page.body.contains(" selected>"),
        "a judgement is preselected"
    );
    assert!(
        !page.body.contains("id=\"remind\""),
        "no 催办 after submission"
    );
    // The unit's own page leads back to its list, and says when the report is due.
    let unit_page = app
        .call(
            Some(&reporter),
            &get(format!("/tasks/{}?period=2023-09", led[0])),
        )
        .await;
    assert!(
        unit_page.body.contains("href=\"/my?"),
        "breadcrumb to 我的任务"
    );
    assert!(
        !unit_page.body.contains("href=\"/ledger"),
        "never to a page it cannot open"
    );
    assert!(unit_page.body.contains("id=\"deadline\""), "the deadline");
    // The queue: each with its suggestion preselected; two accepted at once from the page.
    let queue = app.call(Some(&office), &get("/review")).await;
    assert_eq!(
        queue.body.matches("name=\"pick\"").count(),
        3,
        "{}",
        queue.body
    );
    let reports = app.call(Some(&office), &get("/api/review")).await.json();
    let key = |r: &Value| {
        format!(
            "{}:{}:{}:{}",
            r["task_id"],
            r["period"].as_str().expect("period"),
            r["unit"]["id"],
            r["version"]
        )
    };
    let reports = reports.as_array().expect("queue").clone();
    let mut fields: Vec<(String, String)> = Vec::new();
    for r in reports.iter().take(2) {
        fields.push(("pick".to_owned(), key(r)));
        fields.push((format!("status:{}", key(r)), "partial".to_owned()));
    }
    let fields_ref: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let accepted = app
        .call(Some(&office), &form("/review/accept", &fields_ref))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert!(
        accepted.body.contains("已采纳 2 项报送"),
        "{}",
        accepted.body
    );
    assert_eq!(accepted.body.matches("name=\"pick\"").count(), 1);
    // The API: one stale version is refused, the rest goes on.
    let last = &reports[2];
    let batch = app
        .call(
            Some(&office),
            &post_json(
                "/api/review/accept",
                json!([
                    {"task": last["task_id"], "period": "2023-09", "unit": last["unit"]["id"], "version": 99, "status": "done"},
                    {"task": last["task_id"], "period": "2023-09", "unit": last["unit"]["id"], "version": last["version"], "status": "done"},
                ]),
            ),
        )
        .await;
    assert_eq!(batch.status, StatusCode::OK, "{}", batch.body);
    let results = batch.json();
    assert!(results[0]["error"].is_string(), "{results}");
    assert!(results[1]["error"].is_null(), "{results}");
    for (task, status) in [(led[0], "partial"), (led[1], "partial"), (led[2], "done")] {
        let detail = app
            .call(Some(&office), &get(format!("/api/tasks/{task}")))
            .await
            .json();
        let progress = detail["task"]["progress"].to_string();
        assert!(progress.contains(status), "{task}: {progress}");
    }
    app.store.close().await;
}

async fn a_new_installation_says_how_to_make_the_first_account_and_each_role_has_its_guide(
    db: &TestDb,
) {
    // A database with no account: the login page says what to run on the server.
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let empty = App {
        router: router(AppState::new(store.clone(), Calendar::builtin())),
        store,
    };
    let login = empty.call(None, &get("/login")).await;
    assert!(login.body.contains("id=\"first-run\""), "{}", login.body);
    assert!(login.body.contains("duban account create"));
    empty.store.close().await;
    // Once accounts exist, it says nothing of the kind; each role finds its own guide.
    let app = app(db).await;
    let login = app.call(None, &get("/login")).await;
    assert!(!login.body.contains("first-run"));
    for (who, words) in [
        ("ducha", "督查室：一年的工作"),
        ("lingdao", "分管领导"),
        ("tianbao", "单位填报人"),
        ("fuzeren", "审核并签名"),
    ] {
        let session = app.login(who).await;
        let help = app.call(Some(&session), &get("/help")).await;
        assert!(help.body.contains(words), "{who}: {}", help.body);
        assert!(help.body.contains("href=\"/help\""), "{who}: in the menu");
    }
    let public = app.call(None, &get("/help")).await;
    assert!(public.body.contains("查阅通报"));
    app.store.close().await;
}

async fn documents_are_uploaded_in_any_format_searched_and_show_their_tasks(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    // The demo's report is linked to the 2021 ledger: its page shows the tasks by passage.
    let list = app.call(Some(&office), &get("/api/documents")).await.json();
    let report = list
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["kind"] == "report")
        .expect("the demo report")
        .clone();
    let id = report["id"].as_i64().expect("id");
    let page = app
        .call(Some(&office), &get(format!("/documents/{id}")))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("已落实到台账任务"), "{}", page.body);
    assert!(
        page.body.contains("class=\"linked-tasks\""),
        "tasks under their passages"
    );
    let api = app
        .call(Some(&office), &get(format!("/api/documents/{id}")))
        .await
        .json();
    let tasks = api["tasks"].as_array().expect("tasks").len();
    assert!(tasks > 0, "{api}");
    assert_eq!(
        api["passages"].as_array().map(Vec::len),
        api["passage_ids"].as_array().map(Vec::len)
    );
    // Search inside: only the passages that say it.
    let all = api["passages"].as_array().expect("passages").len();
    let found = app
        .call(
            Some(&office),
            &get(format!("/documents/{id}?q={}", enc("营商环境"))),
        )
        .await;
    let shown = found.body.matches("class=\"passage\"").count();
    assert!(shown > 0 && shown < all, "{shown} of {all}");
    // A Word report and a PDF plan are read and stored; the plan's indicators are shown.
    for (name, kind, needle) in [
        ("report-2021.docx", "", "政府工作报告"),
        ("plan-2021-2025.pdf", "plan", "主要指标"),
    ] {
        let reply = app
            .call(
                Some(&office),
                &upload(&format!("/api/documents?kind={kind}"), name),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{name}: {}", reply.body);
        let stored = reply.json();
        assert!(
            stored["passages"].as_u64().expect("passages") > 10,
            "{name}: {stored}"
        );
        let page = app
            .call(Some(&office), &get(format!("/documents/{}", stored["id"])))
            .await;
        assert!(page.body.contains(needle), "{name}: {needle}");
        // The same file again is recognised, not stored twice.
        let again = app
            .call(
                Some(&office),
                &upload(&format!("/api/documents?kind={kind}"), name),
            )
            .await;
        assert_eq!(again.json()["existing"], true, "{name}");
    }
    // A table is not a report: one clear sentence, on the page where the next file is chosen.
    let table = app
        .call(
            Some(&office),
            &upload("/documents", "progress-2023-08.docx"),
        )
        .await;
    assert_eq!(table.status, StatusCode::BAD_REQUEST, "{}", table.body);
    assert!(
        table.body.contains("progress-2023-08.docx"),
        "{}",
        table.body
    );
    let log = app.store.audit_log(None, 1000).await.expect("log");
    assert!(log.iter().any(|e| e.action == "import_document"));
    app.store.close().await;
}

async fn the_office_builds_a_ledger_from_a_report_once(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let list = app.call(Some(&office), &get("/api/documents")).await.json();
    let id = list
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["kind"] == "report")
        .and_then(|d| d["id"].as_i64())
        .expect("the demo report");
    let form_page = app
        .call(Some(&office), &get(format!("/documents/{id}/ledger")))
        .await;
    assert_eq!(form_page.status, StatusCode::OK, "{}", form_page.body);
    let proposals = form_page.body.matches("name=\"pick\"").count();
    assert!(proposals > 10, "{proposals} proposals");
    // Three commitments picked, the second reworded.
    let name = "2021年重点工作（测试）";
    let fields = [
        ("ledger", name),
        ("cadence", "quarterly"),
        ("deadline_working_days", "5"),
        ("pick", "0"),
        ("goal:0", ""),
        ("lead:0", "区发改局"),
        ("support:0", "区财政局、区商务局"),
        ("leaders:0", "王强"),
        ("pick", "2"),
        ("goal:2", "改写后的任务表述"),
        ("pick", "4"),
        ("goal:4", ""),
        // The sixth joins the fifth: one task of two commitments.
        ("pick", "5"),
        ("goal:5", "并入的承诺"),
        ("merge:5", "1"),
        ("lead:5", "区商务局"),
    ];
    let created = app
        .call(
            Some(&office),
            &form(format!("/documents/{id}/ledger"), &fields),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert!(
        created.location.starts_with("/ledger?ledger="),
        "{}",
        created.location
    );
    let ledgers = app.call(Some(&office), &get("/api/ledgers")).await.json();
    let ledger = ledgers
        .as_array()
        .expect("ledgers")
        .iter()
        .find(|l| l["name"] == name)
        .expect("the new ledger");
    assert_eq!(ledger["cadence"], "quarterly");
    assert_eq!(ledger["deadline_working_days"], 5);
    assert_eq!(ledger["tasks"], 3);
    let sheet = app
        .call(
            Some(&office),
            &get(format!("/api/ledgers/{}/sheet", enc(name))),
        )
        .await
        .json();
    let tasks = sheet["tasks"].as_array().expect("tasks");
    assert_eq!(tasks[1]["goal"], "改写后的任务表述");
    // The units and the leader assigned in the builder, with their roles.
    assert_eq!(
        tasks[0]["units"],
        json!([{"name": "区发改局", "role": "lead"}, {"name": "区财政局", "role": "support"}, {"name": "区商务局", "role": "support"}])
    );
    assert_eq!(tasks[0]["leaders"], json!(["王强"]));
    assert!(
        tasks[2]["goal"]
            .as_str()
            .is_some_and(|g| g.ends_with("；并入的承诺")),
        "{}",
        tasks[2]["goal"]
    );
    assert_eq!(
        tasks[2]["units"],
        json!([{"name": "区商务局", "role": "lead"}])
    );
    assert!(form_page.body.contains("<datalist id=\"unit-names\">"));
    for task in tasks {
        assert!(
            task["source"]["passage"]
                .as_str()
                .is_some_and(|p| !p.is_empty()),
            "{task}"
        );
    }
    // Again by mistake: refused, nothing doubled; the form says why.
    let again = app
        .call(
            Some(&office),
            &form(format!("/documents/{id}/ledger"), &fields),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("已存在"), "{}", again.body);
    let api = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/documents/{id}/ledger"),
                json!({"ledger": name, "cadence": "monthly", "deadline_working_days": 3, "tasks": [{"commitment": 1}]}),
            ),
        )
        .await;
    assert_eq!(api.status, StatusCode::CONFLICT);
    let ledgers = app.call(Some(&office), &get("/api/ledgers")).await.json();
    let count = ledgers
        .as_array()
        .expect("ledgers")
        .iter()
        .filter(|l| l["name"] == name)
        .count();
    assert_eq!(count, 1);
    // The report's page now shows these tasks under their passages.
    let page = app
        .call(Some(&office), &get(format!("/documents/{id}")))
        .await;
    assert!(
        page.body.contains("改写后的任务表述"),
        "linked on the report's page"
    );
    app.store.close().await;
}

/// The operation of the OpenAPI document a concrete API call answers to (`/api/tasks/12` →
/// `/api/tasks/{id}`).
fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> Option<&'a Value> {
    let path = path.split('?').next().unwrap_or(path);
    let wanted: Vec<&str> = path.split('/').collect();
    doc["paths"]
        .as_object()?
        .iter()
        .find_map(|(template, ops)| {
            let parts: Vec<&str> = template.split('/').collect();
            let fits = parts.len() == wanted.len()
                && parts
                    .iter()
                    .zip(&wanted)
                    .all(|(t, w)| t == w || (t.starts_with('{') && t.ends_with('}')));
            fits.then(|| ops.get(method.to_lowercase()))?
        })
}

/// Fails when a reply's status is not among those its operation documents.
fn assert_documented(doc: &Value, method: &str, path: &str, status: StatusCode) {
    let op =
        operation(doc, method, path).unwrap_or_else(|| panic!("{method} {path} is not documented"));
    assert!(
        op["responses"].get(status.as_str()).is_some(),
        "{method} {path} answered {status}, which its OpenAPI entry does not list"
    );
}

#[test]
fn the_openapi_document_is_generated_for_every_api_route_with_its_errors() {
    let doc = duban_server::openapi_document();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    // The API's block of the route table, one `.route(…)` per entry whatever the line breaks.
    let table = include_str!("../src/routes.rs");
    let start = table.find("let api = Router::new()").expect("API routes");
    let block: String = table[start..]
        .split(';')
        .next()
        .expect("block")
        .split_whitespace()
        .collect();
    let mut routes = 0;
    for entry_code in block.split(".route(").skip(1) {
        let path = entry_code.split('"').nth(1).expect("route path");
        let full = format!("/api{path}");
        let entry = paths
            .get(&full)
            .unwrap_or_else(|| panic!("{full} is not in the OpenAPI document"));
        for method in ["get", "post"] {
            let in_code = entry_code.contains(&format!("{method}("));
            assert_eq!(entry.get(method).is_some(), in_code, "{method} {full}");
        }
        routes += 1;
    }
    assert_eq!(
        routes,
        paths.len(),
        "the document lists routes the API does not have"
    );
    // What the extractors can answer is documented: a session and a role (401, 403) except on
    // the public routes, a body (400, 413) on every POST, a record in the path (404), and a
    // failure inside (500) everywhere but the document itself.
    let public = [
        "/api/openapi.json",
        "/api/login",
        "/api/notices",
        "/api/notices/{id}",
        // Published assessments are open to everyone, like notices.
        "/api/assessments",
        "/api/assessments/{id}",
    ];
    for (path, ops) in paths {
        for (method, op) in ops.as_object().expect("operations") {
            let has = |code: &str| op["responses"].get(code).is_some();
            let public_get =
                public.contains(&path.as_str()) && (method == "get" || path == "/api/login");
            if !public_get {
                assert!(has("401") && has("403"), "{method} {path}: 401 and 403");
            }
            if method == "post" {
                assert!(has("400") && has("413"), "{method} {path}: 400 and 413");
                assert!(
                    op["requestBody"].is_object() || path == "/api/logout",
                    "{method} {path}: body"
                );
            }
            if path.contains("{id}") {
                assert!(has("404"), "{method} {path}: 404");
            }
            if path != "/api/openapi.json" {
                assert!(has("500"), "{method} {path}: 500");
            }
            let ok = op["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .any(|k| k.starts_with('2'));
            assert!(ok, "{method} {path}: a success response");
        }
    }
    // Every response's schema is in the document.
    let text = doc.to_string();
    for reference in text.split("#/components/schemas/").skip(1) {
        let name = reference.split('"').next().expect("name");
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "schema {name}"
        );
    }
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn upload(path: &str, name: &str) -> Call {
    Call {
        method: "POST",
        path: path.to_owned(),
        body: Payload::Upload(name.to_owned(), fixture_bytes(&format!("files/{name}"))),
    }
}

async fn the_office_previews_word_and_pdf_tables_and_a_scan_gets_one_clear_sentence(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    // The page previews the table a Word or PDF file holds, with the same reader as the CLI.
    for name in [
        "progress-2023-08.docx",
        "progress-2023-08.pdf",
        "targets-2020.pdf",
    ] {
        let reply = app
            .call(Some(&office), &upload("/import/preview", name))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        let tasks = if name.starts_with("progress") {
            "124"
        } else {
            "16"
        };
        assert!(reply.body.contains(tasks), "{name}: task count");
        assert!(
            reply.body.contains("name=\"preview\""),
            "{name}: confirm form"
        );
    }
    // The API gives the same sheet.
    let reply = app
        .call(
            Some(&office),
            &upload("/api/import?dry_run=true", "progress-2023-08.pdf"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(
        body["sheet"]["tasks"].as_array().map(Vec::len),
        Some(124),
        "{body}"
    );
    // A scan, a locked PDF and a damaged Word file: a 4xx naming the file and what to do,
    // never a path of the server.
    for (name, needle) in [("scanned.pdf", "OCR"), ("locked.pdf", "密码")] {
        for path in ["/import/preview", "/api/import?dry_run=true"] {
            let reply = app.call(Some(&office), &upload(path, name)).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path} {name}");
            assert!(
                reply.body.contains(name) && reply.body.contains(needle),
                "{}",
                reply.body
            );
            assert!(
                !reply.body.contains("/tmp") && !reply.body.contains("upload."),
                "{}",
                reply.body
            );
        }
    }
    let docx = fixture_bytes("files/progress-2023-08.docx");
    let reply = app
        .call(
            Some(&office),
            &Call {
                method: "POST",
                path: "/import/preview".to_owned(),
                body: Payload::Upload("截断.docx".to_owned(), docx[..docx.len() / 2].to_vec()),
            },
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.contains("截断.docx") && reply.body.contains("Word"),
        "{}",
        reply.body
    );
}

async fn a_target_round_goes_from_opening_to_accepted_milestones(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let task = led_tasks(&app, &reporter, 1).await[0];
    let ledger = app.call(Some(&office), &get("/api/ledgers")).await.json()[0]["name"]
        .as_str()
        .expect("ledger")
        .to_owned();
    let rounds = format!("/api/ledgers/{}/rounds", enc(&ledger));

    // The office opens two periods; the same again is refused, and so is another year's.
    let opened = app
        .call(
            Some(&office),
            &post_json(&rounds, json!({"periods": ["2023-11", "2023-12"]})),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    let opened = opened.json();
    assert_eq!(opened.as_array().expect("rounds").len(), 2);
    assert!(opened[0]["due"].as_str().is_some_and(|d| d.len() == 10));
    let again = app
        .call(
            Some(&office),
            &post_json(&rounds, json!({"periods": ["2023-12"]})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.json()["error"]
            .as_str()
            .expect("error")
            .contains("已经开启")
    );
    let wrong = app
        .call(
            Some(&office),
            &post_json(&rounds, json!({"periods": ["2031-01"]})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
    assert!(
        wrong.json()["error"]
            .as_str()
            .expect("error")
            .contains("不是本台账的期间")
    );

    // On the round's deadline the units that owe targets are reminded like for reports.
    let due: chrono::NaiveDate = opened[0]["due"]
        .as_str()
        .expect("due")
        .parse()
        .expect("a day");
    let core = duban_app::App::new(app.store.clone(), Calendar::builtin());
    let settings = quiet_reminders();
    let at = due.and_hms_opt(1, 0, 0).expect("01:00").and_utc();
    duban_app::reminders::run_pass(&core, at, &settings)
        .await
        .expect("pass");
    let messages = app
        .call(Some(&reporter), &get("/api/my/messages"))
        .await
        .json();
    let body = messages[0]["body"].as_str().unwrap_or_default().to_owned();
    assert!(body.contains("2023年11月份阶段目标："), "{messages}");

    // The unit sees the task to set a target for, with nothing yet.
    let mine = app
        .call(Some(&reporter), &get("/api/my/targets"))
        .await
        .json();
    let row = mine
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["task_id"] == task && t["period"] == "2023-11")
        .unwrap_or_else(|| panic!("{mine}"))
        .clone();
    assert!(row["target"].is_null());
    let my_page = app.call(Some(&reporter), &get("/my/targets")).await;
    assert!(my_page.body.contains(&format!("/tasks/{task}/targets")));
    let my_tasks = app.call(Some(&reporter), &get("/my")).await;
    assert!(
        my_tasks.body.contains("id=\"targets-open\""),
        "{}",
        my_tasks.body
    );

    // Draft → the head approves (signing) and submits → the office returns it → again → accepted.
    let act = |who: &Session, body: Value| {
        let call = post_json(format!("/api/tasks/{task}/targets"), body);
        let who = who.clone();
        let app = &app;
        async move { app.call(Some(&who), &call).await }
    };
    let saved = act(
        &reporter,
        json!({"action": "save", "period": "2023-11", "text": "11月底前完成主体工程"}),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["kind"], "target");
    // A scan of the unit's signed decomposition goes with its target (a new version of it).
    let scan = fixture_bytes("files/targets-2020.pdf");
    let attached = app
        .send(multipart(
            &format!("/tasks/{task}/attachments"),
            &reporter,
            "目标分解盖章件.pdf",
            &scan,
            &[
                ("period", "2023-11"),
                ("kind", "target"),
                ("back", &format!("/tasks/{task}/targets")),
            ],
        ))
        .await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);
    assert_eq!(
        attached.location,
        format!("/tasks/{task}/targets?done=attached")
    );
    let with_file = app
        .call(Some(&reporter), &get(format!("/tasks/{task}/targets")))
        .await;
    assert!(
        with_file.body.contains("目标分解盖章件.pdf"),
        "{}",
        with_file.body
    );
    // An approval of the version before the file is out of date.
    let stale_approval = act(
        &head,
        json!({"action": "approve", "period": "2023-11", "version": 1, "password": PASSWORD}),
    )
    .await;
    assert_eq!(stale_approval.status, StatusCode::CONFLICT);
    let wrong_password = act(
        &head,
        json!({"action": "approve", "period": "2023-11", "version": 2, "password": "wrong"}),
    )
    .await;
    assert_eq!(wrong_password.status, StatusCode::CONFLICT);
    let approved = act(
        &head,
        json!({"action": "approve", "period": "2023-11", "version": 2, "password": PASSWORD}),
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(approved.json()["signature"].is_string());
    assert_eq!(
        act(
            &head,
            json!({"action": "submit", "period": "2023-11", "version": 3})
        )
        .await
        .status,
        StatusCode::OK
    );
    let queue = app
        .call(Some(&office), &get("/api/targets/review"))
        .await
        .json();
    let unit = queue[0]["unit"]["id"].as_i64().expect("unit");
    assert_eq!(queue[0]["task_id"], task);
    let returned = act(&office, json!({"action": "return", "period": "2023-11", "unit": unit, "version": 4, "comment": "请写明可核验的工程量"})).await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    let target = "11月底前完成主体工程，完成投资1.2亿元";
    // The reporter's page says why it came back.
    let page = app
        .call(Some(&reporter), &get(format!("/tasks/{task}/targets")))
        .await;
    assert!(page.body.contains("请写明可核验的工程量"), "{}", page.body);
    // Saving again through the page form.
    let resaved = app
        .call(
            Some(&reporter),
            &form(
                format!("/tasks/{task}/targets"),
                &[
                    ("action", "save"),
                    ("period", "2023-11"),
                    ("unit", &unit.to_string()),
                    ("version", "5"),
                    ("text", target),
                ],
            ),
        )
        .await;
    assert_eq!(resaved.status, StatusCode::SEE_OTHER, "{}", resaved.body);
    // A stale version is refused and the text typed stays in the form.
    let stale = app
        .call(
            Some(&reporter),
            &form(
                format!("/tasks/{task}/targets"),
                &[
                    ("action", "save"),
                    ("period", "2023-11"),
                    ("unit", &unit.to_string()),
                    ("version", "5"),
                    ("text", "旧页面上的文字"),
                ],
            ),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("旧页面上的文字"));
    assert_eq!(
        act(
            &head,
            json!({"action": "approve", "period": "2023-11", "version": 6, "password": PASSWORD})
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        act(
            &head,
            json!({"action": "submit", "period": "2023-11", "version": 7})
        )
        .await
        .status,
        StatusCode::OK
    );
    // The office sees the submitted target on the page and accepts it there.
    let review = app
        .call(Some(&office), &get(format!("/tasks/{task}/targets")))
        .await;
    assert!(review.body.contains("签名有效"), "{}", review.body);
    assert!(review.body.contains("value=\"accept\""));
    let accepted = app
        .call(
            Some(&office),
            &form(
                format!("/tasks/{task}/targets"),
                &[
                    ("action", "accept"),
                    ("period", "2023-11"),
                    ("unit", &unit.to_string()),
                    ("version", "8"),
                ],
            ),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);

    // The accepted target is the task's milestone: on the API, the task page and the table.
    let detail = app
        .call(Some(&office), &get(format!("/api/tasks/{task}")))
        .await
        .json();
    let milestones = detail["task"]["milestones"].as_array().expect("milestones");
    assert!(
        milestones
            .iter()
            .any(|m| m[0] == "2023-11" && m[1] == target),
        "{milestones:?}"
    );
    let task_page = app
        .call(
            Some(&reporter),
            &get(format!("/tasks/{task}?period=2023-11")),
        )
        .await;
    assert!(task_page.body.contains(target));
    let checked = app
        .call(Some(&office), &get(format!("/api/tasks/{task}/targets")))
        .await
        .json();
    assert_eq!(checked[0]["state"], "accepted");
    assert_eq!(checked[0]["signature_valid"], true);
    assert_eq!(
        checked[0]["attachments"].as_array().map(Vec::len),
        Some(1),
        "the signed target names its file"
    );
    let overview = app
        .call(
            Some(&office),
            &get(format!("/targets?ledger={}", enc(&ledger))),
        )
        .await;
    assert!(overview.body.contains(target));
    let file = app
        .call(
            Some(&office),
            &get(format!("/api/ledgers/{}/targets?format=docx", enc(&ledger))),
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.disposition.contains(".docx"), "{}", file.disposition);
    // The history names the change of milestone.
    let log = app.store.audit_log(Some(task), 100).await.expect("log");
    assert!(log.iter().any(|e| e.action == "set_milestone"));
    // Another unit cannot act on the task's targets.
    let other = app.login("tianbao2").await;
    let refused = act(
        &other,
        json!({"action": "save", "period": "2023-12", "text": "别的单位"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    app.store.close().await;
}

async fn the_api_builds_a_ledger_from_edited_proposals_with_units_and_links(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let list = app.call(Some(&office), &get("/api/documents")).await.json();
    let id = list
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["kind"] == "report")
        .and_then(|d| d["id"].as_i64())
        .expect("the demo report");
    let mut sheet = app
        .call(
            Some(&office),
            &get(format!("/api/documents/{id}/proposals")),
        )
        .await
        .json();
    let tasks = sheet["tasks"].as_array_mut().expect("tasks");
    assert!(tasks.len() > 10);
    tasks.truncate(2);
    let alias = app
        .call(
            Some(&office),
            &post_json(
                "/api/units/aliases",
                json!({"name": "区发改局", "alias": "区发展和改革局"}),
            ),
        )
        .await;
    assert_eq!(alias.status, StatusCode::OK, "{}", alias.body);
    // The office edits a goal and assigns leaders and units (an alias among them).
    tasks[0]["goal"] = "改写后的第一项任务".into();
    tasks[0]["leaders"] = json!(["王强"]);
    tasks[0]["units"] = json!([{"name": "区发展和改革局", "role": "lead"}, {"name": "区财政局", "role": "support"}]);
    sheet["ledger"] = "重点工作（接口）".into();
    sheet["year"] = 2021.into();
    sheet["cadence"] = "quarterly".into();
    sheet["deadline_days"] = 4.into();
    let created = app
        .call(Some(&office), &post_json("/api/ledgers", sheet.clone()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let listing = created.json();
    assert_eq!(listing["name"], "2021年重点工作（接口）");
    assert_eq!(listing["cadence"], "quarterly");
    assert_eq!(listing["deadline_working_days"], 4);
    assert_eq!(listing["tasks"], 2);
    // Sent again by mistake: refused, not doubled.
    let again = app
        .call(Some(&office), &post_json("/api/ledgers", sheet.clone()))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    // A year that the name contradicts is refused.
    let mut contradicting = sheet.clone();
    contradicting["ledger"] = "2022年重点工作".into();
    let refused = app
        .call(Some(&office), &post_json("/api/ledgers", contradicting))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    let stored = app
        .call(
            Some(&office),
            &get(format!(
                "/api/ledgers/{}/sheet",
                enc("2021年重点工作（接口）")
            )),
        )
        .await
        .json();
    let first = &stored["tasks"][0];
    assert_eq!(first["goal"], "改写后的第一项任务");
    assert_eq!(
        first["units"][0]["name"], "区发改局",
        "the alias is the unit's name"
    );
    assert_eq!(first["leaders"][0], "王强");
    // Both tasks are linked to their passages of the report.
    let document = app
        .call(Some(&office), &get(format!("/api/documents/{id}")))
        .await
        .json();
    let linked = document["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["ledger"] == "2021年重点工作（接口）")
        .count();
    assert_eq!(linked, 2, "{}", document["tasks"]);
    app.store.close().await;
}

async fn tasks_are_added_withdrawn_merged_and_reassigned_and_published_notices_stay(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let led = led_tasks(&app, &reporter, 3).await;
    let (withdrawn, merged, kept) = (led[0], led[1], led[2]);
    let ledger = app.call(Some(&office), &get("/api/ledgers")).await.json()[0].clone();
    let name = ledger["name"].as_str().expect("name").to_owned();
    let total = ledger["tasks"].as_i64().expect("count");
    let changes = format!("/api/ledgers/{}/changes", enc(&name));
    let (notice, published) = app
        .store
        .published_notice(1)
        .await
        .expect("the demo's notice");
    let published_count = published.tasks.len();

    // A change without a reason is refused, and nothing changes.
    let refused = app
        .call(
            Some(&office),
            &post_json(
                &changes,
                json!({"action": "withdraw", "task": withdrawn, "reason": " "}),
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    // Withdrawn: gone from the ledger, its counts and the unit's list; its reports refused.
    let done = app
        .call(Some(&office), &post_json(&changes, json!({"action": "withdraw", "task": withdrawn, "reason": "区政府常务会议决定取消"})))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["withdrawn"]["reason"], "区政府常务会议决定取消");
    let listing = app.call(Some(&office), &get("/api/ledgers")).await.json()[0].clone();
    assert_eq!(listing["tasks"].as_i64(), Some(total - 1));
    let mine = app
        .call(Some(&reporter), &get("/api/my/tasks"))
        .await
        .json();
    assert!(
        !mine
            .as_array()
            .expect("tasks")
            .iter()
            .any(|t| t["task_id"] == withdrawn)
    );
    let report = app
        .call(
            Some(&reporter),
            &post_json(
                format!("/api/tasks/{withdrawn}/reports"),
                json!({"action": "save", "period": "2023-09", "body": "x"}),
            ),
        )
        .await;
    assert_eq!(report.status, StatusCode::CONFLICT);
    assert!(report.body.contains("撤销"), "{}", report.body);
    let page = app
        .call(Some(&office), &get(format!("/tasks/{withdrawn}")))
        .await;
    assert!(page.body.contains("id=\"withdrawn\""), "{}", page.body);
    assert!(page.body.contains("撤销任务（序号"), "the history says so");
    // Merged: the task kept gains the merged one's units as support.
    let seq_kept = app
        .call(Some(&office), &get(format!("/api/tasks/{kept}")))
        .await
        .json()["task"]["seq"]
        .clone();
    let merged_reply = app
        .call(Some(&office), &post_json(&changes, json!({"action": "merge", "task": merged, "into_seq": seq_kept, "reason": "两项任务内容重复"})))
        .await;
    assert_eq!(merged_reply.status, StatusCode::OK, "{}", merged_reply.body);
    let merged_detail = app
        .call(Some(&office), &get(format!("/api/tasks/{merged}")))
        .await
        .json();
    assert_eq!(merged_detail["task"]["withdrawn"]["merged_into"], seq_kept);
    // Reassigned through the task page's form.
    let reassigned = app
        .call(
            Some(&office),
            &form(
                "/ledger/changes",
                &[
                    ("ledger", name.as_str()),
                    ("action", "reassign"),
                    ("task", &kept.to_string()),
                    ("lead", "区财政局"),
                    ("support", ""),
                    ("leaders", ""),
                    ("into_seq", ""),
                    ("reason", "机构职能调整"),
                ],
            ),
        )
        .await;
    assert_eq!(
        reassigned.status,
        StatusCode::SEE_OTHER,
        "{}",
        reassigned.body
    );
    let kept_detail = app
        .call(Some(&office), &get(format!("/api/tasks/{kept}")))
        .await
        .json();
    assert_eq!(kept_detail["task"]["units"][0][0]["name"], "区财政局");
    let kept_page = app
        .call(Some(&office), &get(format!("/tasks/{kept}")))
        .await;
    assert!(
        kept_page.body.contains("改派责任单位。理由：机构职能调整"),
        "{}",
        kept_page.body
    );
    assert!(
        kept_page.body.contains("将序号"),
        "the merge is in the kept task's history"
    );
    // Added from the ledger page: the next 序号, with its units.
    let added = app
        .call(
            Some(&office),
            &form(
                "/ledger/changes",
                &[
                    ("ledger", name.as_str()),
                    ("action", "add"),
                    ("goal", "年内新建口袋公园10处"),
                    ("lead", "区住建局"),
                    ("support", "区财政局"),
                    ("leaders", "王强"),
                    ("reason", "区委常委会新增部署"),
                ],
            ),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let new_id: i64 = added
        .location
        .trim_start_matches("/tasks/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the new task's page");
    let new_task = app
        .call(Some(&office), &get(format!("/api/tasks/{new_id}")))
        .await
        .json();
    assert_eq!(new_task["task"]["seq"].as_i64(), Some(total + 1));
    assert_eq!(new_task["task"]["units"][0][1], "lead");
    let listing = app.call(Some(&office), &get("/api/ledgers")).await.json()[0].clone();
    assert_eq!(
        listing["tasks"].as_i64(),
        Some(total - 1),
        "one withdrawn, one merged, one added"
    );
    // Later notices leave the withdrawn tasks out; the published one never changes.
    let sheet = app
        .call(
            Some(&office),
            &get(format!(
                "/api/ledgers/{}/sheet?period={}",
                enc(&name),
                notice.period
            )),
        )
        .await
        .json();
    assert_eq!(
        sheet["tasks"].as_array().expect("tasks").len() as i64,
        total - 1
    );
    let (_, again) = app.store.published_notice(1).await.expect("notice");
    assert_eq!(again.tasks.len(), published_count);
    assert_eq!(again, published);
    app.store.close().await;
}

async fn a_division_plan_becomes_a_quarterly_ledger_from_the_import_page(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let plan = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/layouts/division-lines.txt"),
    )
    .expect("the division plan");
    let previewed = app
        .call(
            Some(&office),
            &Call {
                method: "POST",
                path: "/import/preview".to_owned(),
                body: Payload::Upload("分工方案.txt".to_owned(), plan),
            },
        )
        .await;
    assert_eq!(previewed.status, StatusCode::OK, "{}", previewed.body);
    assert!(
        previewed.body.contains("name=\"cadence\""),
        "a new ledger asks its cadence"
    );
    let preview = field(&previewed.body, "preview")
        .expect("preview")
        .to_owned();
    let confirmed = app
        .call(
            Some(&office),
            &form(
                "/import/confirm",
                &[
                    ("preview", preview.as_str()),
                    ("cadence", "quarterly"),
                    ("deadline_days", "5"),
                ],
            ),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let ledgers = app.call(Some(&office), &get("/api/ledgers")).await.json();
    let ledger = ledgers
        .as_array()
        .expect("ledgers")
        .iter()
        .find(|l| l["name"] == "2021年区政府工作报告重点任务")
        .unwrap_or_else(|| panic!("{ledgers}"));
    assert_eq!(ledger["cadence"], "quarterly");
    assert_eq!(ledger["deadline_working_days"], 5);
    assert_eq!(ledger["tasks"], 60);
    // Ready for a round at once: the quarters can be opened.
    let opened = app
        .call(
            Some(&office),
            &post_json(
                "/api/ledgers/2021%E5%B9%B4%E5%8C%BA%E6%94%BF%E5%BA%9C%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A%E9%87%8D%E7%82%B9%E4%BB%BB%E5%8A%A1/rounds",
                json!({"periods": ["2021-Q3", "2021-Q4"]}),
            ),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    app.store.close().await;
}

async fn an_extension_moves_the_deadline_the_timeliness_and_the_reminders(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let led = led_tasks(&app, &reporter, 2).await;
    let (extended, refused) = (led[0], led[1]);
    // December's reports were due early in January 2024: every one is long overdue.
    let period = "2023-12";
    let ask = |task: i64, body: Value| {
        let call = post_json(format!("/api/tasks/{task}/extensions"), body);
        let app = &app;
        let reporter = reporter.clone();
        async move { app.call(Some(&reporter), &call).await }
    };
    let early = ask(
        extended,
        json!({"period": period, "due": "2023-12-20", "reason": "x"}),
    )
    .await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST, "{}", early.body);
    let asked = ask(
        extended,
        json!({"period": period, "due": "2099-12-31", "reason": "受台风影响，项目停工两周"}),
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let id = asked.json()["id"].as_i64().expect("id");
    let twice = ask(
        extended,
        json!({"period": period, "due": "2099-12-31", "reason": "再申请"}),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let pending = app
        .call(Some(&office), &get("/api/extensions"))
        .await
        .json();
    assert!(
        pending
            .as_array()
            .expect("list")
            .iter()
            .any(|x| x["id"] == id)
    );
    // The office grants another day than the one asked.
    let granted = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/extensions/{id}"),
                json!({"decision": "grant", "due": "2099-06-30"}),
            ),
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    assert_eq!(granted.json()["due"], "2099-06-30");
    // Refusing needs a comment; the other task is refused through the page.
    let other = ask(
        refused,
        json!({"period": period, "due": "2099-12-31", "reason": "人手不足"}),
    )
    .await;
    let other_id = other.json()["id"].as_i64().expect("id");
    let bare = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/extensions/{other_id}"),
                json!({"decision": "refuse"}),
            ),
        )
        .await;
    assert_eq!(bare.status, StatusCode::CONFLICT);
    let no = app
        .call(
            Some(&office),
            &form(
                format!("/extensions/{other_id}"),
                &[
                    ("task", &refused.to_string()),
                    ("decision", "refuse"),
                    ("comment", "理由不充分"),
                ],
            ),
        )
        .await;
    assert_eq!(no.status, StatusCode::SEE_OTHER, "{}", no.body);

    // The reminders go by the granted deadline: the extended task is not in the unit's digest.
    let unit = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit)
        .expect("unit");
    let channel = app
        .call(
            Some(&office),
            &post_json(
                "/api/notify/channels",
                json!({"unit": unit.name, "kind": "wecom", "address": "http://127.0.0.1:9/robot"}),
            ),
        )
        .await;
    assert_eq!(channel.status, StatusCode::CREATED, "{}", channel.body);
    let ledger = app.store.ledgers().await.expect("ledgers")[0]
        .ledger
        .clone();
    let (_, owed) = app
        .store
        .unsubmitted_tasks(&ledger, period.parse().expect("period"), None, i64::MAX)
        .await
        .expect("owed");
    let owed_by_unit = owed.iter().filter(|t| t.unit_id == unit.id.0).count();
    let core = duban_app::App::new(app.store.clone(), Calendar::builtin());
    let settings = quiet_reminders();
    let pass = duban_app::reminders::run_pass(&core, chrono::Utc::now(), &settings)
        .await
        .expect("pass");
    let digest = pass
        .deliveries
        .iter()
        .find(|d| d.unit == unit.name)
        .unwrap_or_else(|| panic!("{pass:?}"));
    assert_eq!(digest.tasks, owed_by_unit - 1, "{pass:?}");
    assert_eq!(digest.outcome, "failed", "nobody listens on port 9");
    // The unit reads the day's digest in the application whatever became of the channel.
    let messages = app
        .call(Some(&reporter), &get("/api/my/messages"))
        .await
        .json();
    assert_eq!(messages.as_array().map(Vec::len), Some(1), "{messages}");
    assert!(
        messages[0]["subject"]
            .as_str()
            .is_some_and(|s| s.contains(&unit.name))
    );
    let page = app.call(Some(&reporter), &get("/me/messages")).await;
    assert!(page.body.contains("逾期未报送"), "{}", page.body);

    // Both reported now: the extended one is on time, the other late.
    for task in [extended, refused] {
        let save = |body: Value| post_json(format!("/api/tasks/{task}/reports"), body);
        let saved = app
            .call(
                Some(&reporter),
                &save(json!({"action": "save", "period": period, "body": "12月份完成项目验收。"})),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let approved = app
            .call(Some(&head), &save(json!({"action": "approve", "period": period, "version": 1, "password": PASSWORD})))
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        let submitted = app
            .call(
                Some(&head),
                &save(json!({"action": "submit", "period": period, "version": 2})),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    }
    let mine = app
        .call(
            Some(&reporter),
            &get(format!("/api/my/tasks?period={period}")),
        )
        .await
        .json();
    let timeliness = |task: i64| {
        mine.as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["task_id"] == task)
            .map(|t| t["timeliness"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(timeliness(extended), "按时报送", "{mine}");
    assert_eq!(timeliness(refused), "逾期报送", "{mine}");
    // The task's page and history say what was asked and decided.
    let page = app
        .call(
            Some(&office),
            &get(format!("/tasks/{extended}?period={period}")),
        )
        .await;
    assert!(
        page.body.contains("批准延至 <strong>2099-06-30</strong>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("受台风影响"));
    let refused_page = app
        .call(
            Some(&reporter),
            &get(format!("/tasks/{refused}?period={period}")),
        )
        .await;
    assert!(refused_page.body.contains("理由不充分"));
    app.store.close().await;
}

/// A multipart upload of `bytes` as `name` with the form's other fields.
fn multipart(
    path: &str,
    who: &Session,
    name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> Request<Body> {
    let boundary = "duban-evidence-boundary";
    let mut body = Vec::new();
    for (key, value) in fields.iter().chain(&[("csrf", who.csrf.as_str())]) {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(path)
        .header(header::COOKIE, &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

async fn evidence_is_stored_once_and_seen_only_by_those_who_may_see_the_report(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let other = app.login("tianbao2").await;
    let led = led_tasks(&app, &reporter, 2).await;
    let period = "2023-09";
    let scan = fixture_bytes("files/progress-2023-08.pdf");
    let first = app
        .send(multipart(
            &format!("/api/tasks/{}/attachments", led[0]),
            &reporter,
            "盖章扫描件.pdf",
            &scan,
            &[("period", period)],
        ))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let first = first.json();
    assert_eq!(first["mime"], "application/pdf");
    // The same file on another task: the same content, stored once.
    let second = app
        .send(multipart(
            &format!("/api/tasks/{}/attachments", led[1]),
            &reporter,
            "同一份.pdf",
            &scan,
            &[("period", period)],
        ))
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(second.json()["hash"], first["hash"]);
    let backup = serde_json::to_value(app.store.backup().await.expect("backup")).expect("json");
    assert_eq!(
        backup["tables"]["blobs"]["rows"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        backup["tables"]["attachments"]["rows"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // A text file named like a PDF is refused by its content.
    let fake = app
        .send(multipart(
            &format!("/api/tasks/{}/attachments", led[0]),
            &reporter,
            "扫描件.pdf",
            b"just some text",
            &[("period", period)],
        ))
        .await;
    assert_eq!(fake.status, StatusCode::BAD_REQUEST, "{}", fake.body);
    assert!(fake.body.contains("不是可接受的证明材料"), "{}", fake.body);
    // Its unit and the office may download it; another unit may not.
    let id = first["id"].as_i64().expect("id");
    let own = app
        .call(Some(&reporter), &get(format!("/api/attachments/{id}")))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.starts_with("%PDF"));
    assert!(own.disposition.contains("evidence-"), "{}", own.disposition);
    assert_eq!(
        app.call(Some(&office), &get(format!("/attachments/{id}")))
            .await
            .status,
        StatusCode::OK
    );
    let refused = app
        .call(Some(&other), &get(format!("/api/attachments/{id}")))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    // The task page lists it; once the report is submitted nothing more can be attached.
    let page = app
        .call(
            Some(&reporter),
            &get(format!("/tasks/{}?period={period}", led[0])),
        )
        .await;
    assert!(
        page.body.contains("盖章扫描件.pdf") && page.body.contains("evidence-form"),
        "{}",
        page.body
    );
    let task = led[0];
    let step = |body: Value| post_json(format!("/api/tasks/{task}/reports"), body);
    assert_eq!(
        app.call(
            Some(&reporter),
            &step(json!({"action": "save", "period": period, "body": "9月份完成，见盖章扫描件。"}))
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call(
            Some(&head),
            &step(
                json!({"action": "approve", "period": period, "version": 1, "password": PASSWORD})
            )
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call(
            Some(&head),
            &step(json!({"action": "submit", "period": period, "version": 2}))
        )
        .await
        .status,
        StatusCode::OK
    );
    let late = app
        .send(multipart(
            &format!("/api/tasks/{task}/attachments"),
            &reporter,
            "补充.pdf",
            &scan,
            &[("period", period)],
        ))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);

    // The notice lists the evidence when the office asks: the submitted report's file, not the
    // one still on a draft; and, dated well past the deadline, the tasks not reported are red.
    let (_, _, ledger, _) = tasks_and_units(&app, &reporter).await;
    let seq = |detail: duban_store::TaskDetail| u64::from(detail.seq);
    let seq0 = seq(app.store.task_detail(led[0]).await.expect("task"));
    let seq1 = seq(app.store.task_detail(led[1]).await.expect("task"));
    let query = format!("ledger={}&period={period}&date=2023-10-30", enc(&ledger));
    let plain = app
        .call(Some(&office), &get(format!("/notices/preview?{query}")))
        .await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    assert!(!plain.body.contains("佐证材料</th>"), "{}", plain.body);
    assert!(plain.body.contains("督办等级</th>") && plain.body.contains("红色督办"));
    let preview = app
        .call(
            Some(&office),
            &get(format!("/notices/preview?{query}&with_evidence=true")),
        )
        .await;
    assert!(
        preview.body.contains("佐证材料</th>") && preview.body.contains("：盖章扫描件.pdf"),
        "{}",
        preview.body
    );
    assert!(
        !preview.body.contains("同一份.pdf"),
        "a draft's file is not listed"
    );
    let published = app
        .call(
            Some(&office),
            &post_json(
                "/api/notices",
                json!({"ledger": ledger, "period": period, "date": "2023-10-30", "with_evidence": true}),
            ),
        )
        .await;
    assert_eq!(published.status, StatusCode::CREATED, "{}", published.body);
    let id = published.json()["id"].as_i64().expect("id");
    let markdown = app
        .call(Some(&office), &get(format!("/api/notices/{id}?format=md")))
        .await;
    let row = |seq: u64| {
        markdown
            .body
            .lines()
            .find(|l| l.starts_with(&format!("| {seq} |")))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row(seq0).contains("盖章扫描件.pdf"), "{}", markdown.body);
    assert!(!row(seq0).contains("红色督办"), "reported: {}", row(seq0));
    assert!(
        row(seq1).contains("红色督办"),
        "not reported: {}",
        row(seq1)
    );
    assert!(markdown.body.contains("红色督办"), "{}", markdown.body);
    app.store.close().await;
}

async fn units_acknowledge_tasks_rounds_and_reminders_and_the_office_sees_who_has_not(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let other = app.login("tianbao2").await;
    let unit = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit)
        .expect("unit")
        .name;
    let missing = |list: &Value, what: &str| {
        list.as_array()
            .expect("list")
            .iter()
            .find(|m| m["unit"] == unit.as_str())
            .and_then(|m| m[what].as_i64())
            .unwrap_or(0)
    };
    let before = app
        .call(Some(&office), &get("/api/receipts/missing"))
        .await
        .json();
    let tasks_before = missing(&before, "tasks");
    assert!(tasks_before > 2, "{before}");
    let my = app.call(Some(&reporter), &get("/my")).await;
    assert!(my.body.contains("id=\"acknowledge-all\""), "{}", my.body);
    // Two tasks acknowledged from the page.
    let led = led_tasks(&app, &reporter, 2).await;
    let acknowledged = app
        .call(
            Some(&reporter),
            &form(
                "/receipts",
                &[
                    ("kind", "task"),
                    ("id", &led[0].to_string()),
                    ("id", &led[1].to_string()),
                    ("back", "/my"),
                ],
            ),
        )
        .await;
    assert_eq!(
        acknowledged.status,
        StatusCode::SEE_OTHER,
        "{}",
        acknowledged.body
    );
    assert_eq!(acknowledged.location, "/my");
    let mine = app
        .call(Some(&reporter), &get("/api/my/tasks"))
        .await
        .json();
    for task in &led {
        let row = mine
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["task_id"] == *task)
            .expect("row");
        assert_eq!(row["acknowledged"], true);
    }
    let after = app
        .call(Some(&office), &get("/api/receipts/missing"))
        .await
        .json();
    assert_eq!(missing(&after, "tasks"), tasks_before - 2);
    // Another unit cannot acknowledge what was not given to it.
    let refused = app
        .call(
            Some(&other),
            &post_json("/api/receipts", json!({"kind": "task", "ids": [led[0]]})),
        )
        .await;
    assert!(
        refused.status == StatusCode::FORBIDDEN,
        "{} {}",
        refused.status,
        refused.body
    );
    // A reminder is acknowledged from the task's page.
    let reminder = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/tasks/{}/remind", led[0]),
                json!({"period": "2023-09"}),
            ),
        )
        .await
        .json();
    let page = app
        .call(Some(&reporter), &get(format!("/tasks/{}", led[0])))
        .await;
    assert!(page.body.contains("签收催办"), "{}", page.body);
    let reminded = app
        .call(Some(&office), &get("/api/receipts/missing"))
        .await
        .json();
    assert_eq!(missing(&reminded, "reminders"), 1);
    let ack = app
        .call(
            Some(&reporter),
            &post_json(
                "/api/receipts",
                json!({"kind": "reminder", "ids": [reminder["id"]]}),
            ),
        )
        .await;
    assert_eq!(ack.json()["acknowledged"], 1);
    let page = app
        .call(Some(&reporter), &get(format!("/tasks/{}", led[0])))
        .await;
    assert!(!page.body.contains("签收催办"));
    // A target round too.
    let ledger = app.call(Some(&office), &get("/api/ledgers")).await.json()[0]["name"]
        .as_str()
        .expect("ledger")
        .to_owned();
    let opened = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/ledgers/{}/rounds", enc(&ledger)),
                json!({"periods": ["2023-12"]}),
            ),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED);
    let targets_page = app.call(Some(&reporter), &get("/my/targets")).await;
    assert!(
        targets_page.body.contains("acknowledge-round"),
        "{}",
        targets_page.body
    );
    let round = app
        .call(Some(&reporter), &get("/api/my/targets"))
        .await
        .json()[0]["round_id"]
        .clone();
    let ack = app
        .call(
            Some(&reporter),
            &post_json("/api/receipts", json!({"kind": "round", "ids": [round]})),
        )
        .await;
    assert_eq!(ack.json()["acknowledged"], 1, "{}", ack.body);
    let last = app
        .call(Some(&office), &get("/api/receipts/missing"))
        .await
        .json();
    assert_eq!(missing(&last, "rounds"), 0);
    let dashboard = app.call(Some(&office), &get("/")).await;
    assert!(dashboard.body.contains("签收情况"));
    app.store.close().await;
}

/// Reminder settings for a pass inside a test: no mail server, no link, the default rule.
fn quiet_reminders() -> duban_app::reminders::RemindSettings {
    duban_app::reminders::RemindSettings {
        days_before: 2,
        mail: None,
        base_url: None,
        escalation: duban_core::EscalationRule::default(),
    }
}

/// The office records a finding in the browser; the unit's reporter writes what it did on its
/// phone page, the head signs and submits, the office returns it once and then closes it. The
/// task page and the dashboard show it; the scores explain the points it cost; a scheme with a
/// typo is refused and a good one changes the scores.
async fn a_finding_is_rectified_signed_and_closed_and_the_scores_explain_it(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let leader = app.login("lingdao").await;
    let other = app.login("tianbao2").await;
    let (task, _, ledger, _) = tasks_and_units(&app, &reporter).await;
    let detail = app.store.task_detail(task).await.expect("task");
    let unit = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit)
        .expect("unit")
        .name;
    let recorded = app
        .call(
            Some(&office),
            &form(
                "/inspections",
                &[
                    ("ledger", ledger.as_str()),
                    ("kind", "field_visit"),
                    ("date", "2023-09-20"),
                    ("team", "第二督查组"),
                    ("seq", &detail.seq.to_string()),
                    ("unit", &unit),
                    ("text", "项目现场停工，与报送进度不符"),
                    ("severity", "serious"),
                    ("days", "5"),
                ],
            ),
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    // A unit that is not the task's is refused, in Chinese, and nothing is stored.
    let wrong = app
        .call(
            Some(&office),
            &post_json(
                "/api/inspections",
                json!({"ledger": ledger, "kind": "实地暗访", "date": "2023-09-20",
                       "findings": [{"seq": detail.seq, "unit": "没有这个单位", "text": "x"}]}),
            ),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND, "{}", wrong.body);
    assert!(wrong.body.contains("没有这个单位"), "{}", wrong.body);
    let mine = app
        .call(Some(&reporter), &get("/api/rectifications"))
        .await
        .json();
    let mine = mine.as_array().expect("list");
    assert_eq!(mine.len(), 1, "{mine:?}");
    let id = mine[0]["id"].as_i64().expect("id");
    assert_eq!(mine[0]["rectified"], "overdue", "due 2023-09-27, long past");
    assert_eq!(
        app.call(Some(&other), &get("/api/rectifications"))
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(0),
        "another unit sees none of it"
    );
    let step = |body: Value| post_json(format!("/api/findings/{id}/rectification"), body);
    let refused = app
        .call(
            Some(&other),
            &step(json!({"action": "save", "body": "x", "version": 0})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    // The reporter writes on the phone page.
    let page = app.call(Some(&reporter), &get("/my/rectifications")).await;
    assert!(
        page.body.contains("项目现场停工") && page.body.contains("逾期未整改"),
        "{}",
        page.body
    );
    let saved = app
        .call(
            Some(&reporter),
            &form(
                format!("/findings/{id}/rectification"),
                &[
                    ("action", "save"),
                    ("version", "0"),
                    ("body", "已督促施工单位复工，附复工照片"),
                    ("back", "/my/rectifications"),
                ],
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        saved.location.starts_with("/my/rectifications"),
        "{}",
        saved.location
    );
    // A stale version is a conflict and changes nothing.
    let stale = app
        .call(
            Some(&reporter),
            &step(json!({"action": "save", "body": "另一版", "version": 0})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let wrong_password = app
        .call(
            Some(&head),
            &step(json!({"action": "approve", "version": 1, "password": "not-it"})),
        )
        .await;
    assert_eq!(
        wrong_password.status,
        StatusCode::CONFLICT,
        "{}",
        wrong_password.body
    );
    for (body, version) in [
        (
            json!({"action": "approve", "version": 1, "password": PASSWORD}),
            1,
        ),
        (json!({"action": "submit", "version": 2}), 2),
    ] {
        let done = app.call(Some(&head), &step(body)).await;
        assert_eq!(done.status, StatusCode::OK, "{version}: {}", done.body);
    }
    // The office returns it once (a comment is required), the unit submits again, the office
    // closes it.
    let no_comment = app
        .call(
            Some(&office),
            &step(json!({"action": "return", "version": 3})),
        )
        .await;
    assert_eq!(
        no_comment.status,
        StatusCode::CONFLICT,
        "{}",
        no_comment.body
    );
    let returned = app
        .call(
            Some(&office),
            &step(json!({"action": "return", "version": 3, "comment": "请附复工照片"})),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    assert_eq!(returned.json()["state"], "returned");
    let resaved = app
        .call(
            Some(&reporter),
            &step(json!({"action": "save", "version": 4, "body": "已复工，照片见附件"})),
        )
        .await;
    assert_eq!(resaved.status, StatusCode::OK, "{}", resaved.body);
    // The photo: its type told from the content; the head then signs it with the text.
    let photo = fixture_bytes("files/progress-2023-08.pdf");
    let fake = app
        .send(multipart(
            &format!("/api/findings/{id}/files"),
            &reporter,
            "复工照片.jpg",
            b"not a picture",
            &[],
        ))
        .await;
    assert_eq!(fake.status, StatusCode::BAD_REQUEST, "{}", fake.body);
    let attached = app
        .send(multipart(
            &format!("/api/findings/{id}/files"),
            &reporter,
            "复工证明.pdf",
            &photo,
            &[],
        ))
        .await;
    assert_eq!(attached.status, StatusCode::CREATED, "{}", attached.body);
    let file_id = attached.json()["id"].as_i64().expect("file");
    let stale_approval = app
        .call(
            Some(&head),
            &step(json!({"action": "approve", "version": 5, "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        stale_approval.status,
        StatusCode::CONFLICT,
        "a new file is a new version: {}",
        stale_approval.body
    );
    for body in [
        json!({"action": "approve", "version": 6, "password": PASSWORD}),
        json!({"action": "submit", "version": 7}),
    ] {
        let done = app.call(Some(&head), &step(body)).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    let signed = app.store.finding(id).await.expect("finding");
    assert_eq!(signed.files.len(), 1);
    let keys =
        duban_app::reports::head_keys(&duban_app::App::new(app.store.clone(), Calendar::builtin()))
            .await
            .expect("keys");
    assert_eq!(
        duban_app::inspections::signature_valid(&signed, &keys),
        Some(true)
    );
    let mut tampered = signed.clone();
    tampered.files = vec!["0".repeat(64)];
    assert_eq!(
        duban_app::inspections::signature_valid(&tampered, &keys),
        Some(false),
        "the signature covers the files"
    );
    assert_eq!(
        app.call(Some(&other), &get(format!("/api/finding-files/{file_id}")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let download = app
        .call(Some(&office), &get(format!("/finding-files/{file_id}")))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.body.starts_with("%PDF"));
    let office_page = app
        .call(
            Some(&office),
            &get(format!("/inspections?ledger={}", enc(&ledger))),
        )
        .await;
    assert!(
        office_page.body.contains("签名有效") && office_page.body.contains("id=\"accept-"),
        "{}",
        office_page.body
    );
    let closed = app
        .call(
            Some(&office),
            &form(
                format!("/findings/{id}/rectification"),
                &[
                    ("action", "accept"),
                    ("version", "8"),
                    ("back", &format!("/inspections?ledger={}", enc(&ledger))),
                ],
            ),
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let finding = app.store.finding(id).await.expect("finding");
    assert!(finding.is_closed());
    assert_eq!(finding.report, "已复工，照片见附件");
    // The task page lists it; the history says who did what.
    let task_page = app
        .call(Some(&office), &get(format!("/tasks/{task}")))
        .await;
    assert!(
        task_page.body.contains("督查发现的问题") && task_page.body.contains("已销号"),
        "{}",
        task_page.body
    );

    // The scores: the unit lost points for the finding and for closing it late, each said.
    let scores = app
        .call(
            Some(&leader),
            &get(format!("/api/ledgers/{}/scores", enc(&ledger))),
        )
        .await
        .json();
    let of_unit = scores["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["unit"] == unit.as_str())
        .cloned()
        .expect("the unit is scored");
    let parts = of_unit["parts"].as_array().expect("parts");
    let sum: f64 = parts
        .iter()
        .map(|p| p["points"].as_f64().unwrap_or(0.0))
        .sum();
    assert!((sum - of_unit["total"].as_f64().unwrap_or(0.0)).abs() < 0.005);
    assert!(
        parts.iter().any(|p| p["item"] == "督查发现问题"
            && p["points"].as_f64() == Some(-2.0)
            && p["reason"]
                .as_str()
                .is_some_and(|r| r.contains(&format!("#{id}")))),
        "{parts:?}"
    );
    assert!(
        parts.iter().any(|p| p["item"] == "整改销号"
            && p["reason"]
                .as_str()
                .is_some_and(|r| r.contains("逾期整改销号"))),
        "{parts:?}"
    );
    let before = of_unit["total"].as_f64().expect("total");
    // A scheme with a misspelt field is refused and kept out; a good one changes the scores.
    let typo = app
        .call(
            Some(&office),
            &form(
                "/scores/scheme",
                &[("ledger", ledger.as_str()), ("scheme", "{\"findngs\": 10}")],
            ),
        )
        .await;
    assert_eq!(typo.status, StatusCode::BAD_REQUEST, "{}", typo.body);
    assert!(typo.body.contains("考核方案"), "{}", typo.body);
    let set = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/ledgers/{}/scheme", enc(&ledger)),
                json!({"minus_serious": 6, "findings": 10}),
            ),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let rated = app
        .call(
            Some(&leader),
            &post_json(
                "/api/ratings",
                json!({"ledger": ledger, "unit": unit, "rating": "较差"}),
            ),
        )
        .await;
    assert_eq!(rated.status, StatusCode::NO_CONTENT, "{}", rated.body);
    let page = app
        .call(
            Some(&office),
            &get(format!("/scores?ledger={}", enc(&ledger))),
        )
        .await;
    assert!(
        page.body.contains("按督查室制定的考核方案") && page.body.contains("较差"),
        "{}",
        page.body
    );
    let after = app
        .call(
            Some(&office),
            &get(format!("/api/ledgers/{}/scores", enc(&ledger))),
        )
        .await
        .json()["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["unit"] == unit.as_str())
        .and_then(|u| u["total"].as_f64())
        .expect("total");
    // The findings item: 5 − 2 before, 10 − 6 now (+1); the rating from the default 80% of 10
    // to 较差's 40% (−4).
    assert!((after - (before - 3.0)).abs() < 0.005, "{before} → {after}");
    // Published, the assessment is frozen and open to everyone; later findings change the live
    // scores only.
    let published = app
        .call(
            Some(&office),
            &form("/scores/publish", &[("ledger", ledger.as_str())]),
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    let listed = app.call(None, &get("/api/assessments")).await.json();
    let published_id = listed[0]["id"].as_i64().expect("published");
    let notices = app.call(None, &get("/notices")).await;
    assert!(notices.body.contains("考核结果") && notices.body.contains("年终评定表"));
    let frozen_total = |body: &Value| {
        body["units"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["unit"] == unit.as_str())
            .and_then(|u| u["total"].as_f64())
            .expect("total")
    };
    let frozen = app
        .call(None, &get(format!("/api/assessments/{published_id}")))
        .await
        .json();
    assert_eq!(frozen_total(&frozen), after);
    let again = app
        .call(
            Some(&office),
            &post_json(
                "/api/inspections",
                json!({"ledger": ledger, "kind": "television", "date": "2023-10-09",
                       "findings": [{"seq": detail.seq, "unit": unit, "text": "电视问政曝光", "severity": "grave"}]}),
            ),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let frozen = app
        .call(None, &get(format!("/api/assessments/{published_id}")))
        .await
        .json();
    assert_eq!(
        frozen_total(&frozen),
        after,
        "the published result does not move"
    );
    let year_table = app
        .call(
            None,
            &get(format!(
                "/api/assessments/{published_id}?format=docx&table=year"
            )),
        )
        .await;
    assert_eq!(year_table.status, StatusCode::OK, "{}", year_table.body);
    assert!(year_table.disposition.contains("assessment.docx"));
    let bad = app
        .call(
            None,
            &get(format!(
                "/api/assessments/{published_id}?format=xlsx&table=x"
            )),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    // The dashboard counts the open item; the inspection notice downloads.
    let dashboard = app.call(Some(&office), &get("/")).await;
    assert!(
        dashboard.body.contains("尚未销号 1 项"),
        "{}",
        dashboard.body
    );
    let inspection = finding.inspection_id;
    let notice = app
        .call(
            Some(&office),
            &get(format!("/api/inspections/{inspection}/notice?format=docx")),
        )
        .await;
    assert_eq!(notice.status, StatusCode::OK);
    assert!(
        notice.disposition.contains("inspection.docx"),
        "{}",
        notice.disposition
    );
    app.store.close().await;
}

/// The office uploads the plan, records values from the page and the API; the page shows each
/// indicator's rule, a chart and the judgements; a value that does not fit is refused.
async fn a_plan_is_monitored_with_charts_and_judgements(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let leader = app.login("lingdao").await;
    let uploaded = app
        .send(multipart(
            "/api/documents",
            &office,
            "规划纲要.txt",
            &fixture_bytes("plan-2021-2025-zichuan.txt"),
            &[("kind", "plan")],
        ))
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let plan = uploaded.json()["id"].as_i64().expect("plan");
    for (indicator, year, value) in [
        ("常住人口城镇化率", "2022", "69.5"),
        ("常住人口城镇化率", "2023", "70.5"),
        ("森林覆盖率", "2023", "25.2"),
    ] {
        let done = app
            .call(
                Some(&office),
                &form(
                    format!("/plans/{plan}/actuals"),
                    &[("indicator", indicator), ("year", year), ("value", value)],
                ),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    let bad = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/plans/{plan}/actuals"),
                json!({"indicator": "人均预期寿命", "year": 2023, "value": "78.6"}),
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(bad.body.contains("男性、女性"), "{}", bad.body);
    let page = app
        .call(Some(&leader), &get(format!("/plans/{plan}?year=2023")))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("<svg")
            && page.body.contains("等量推进")
            && page.body.contains("不低于下限")
            && page.body.contains("比序时进度差 0.74个百分点"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("record-actual"),
        "the office records, not leaders"
    );
    let api = app
        .call(
            Some(&leader),
            &get(format!("/api/plans/{plan}/indicators?year=2023")),
        )
        .await
        .json();
    let indicators = api["indicators"].as_array().expect("indicators");
    assert_eq!(indicators.len(), 21);
    let urban = indicators
        .iter()
        .find(|i| i["name"] == "常住人口城镇化率")
        .expect("urban");
    assert_eq!(urban["judgement"]["2023"], "behind");
    assert_eq!(urban["judgement"]["2022"], "on_track");
    let evaluation = app
        .call(
            Some(&leader),
            &get(format!(
                "/api/plans/{plan}/evaluation?year=2023&format=docx"
            )),
        )
        .await;
    assert_eq!(evaluation.status, StatusCode::OK, "{}", evaluation.body);
    assert!(evaluation.disposition.contains("evaluation.docx"));
    let outside = app
        .call(
            Some(&leader),
            &get(format!("/api/plans/{plan}/evaluation?year=2031")),
        )
        .await;
    assert_eq!(outside.status, StatusCode::BAD_REQUEST, "{}", outside.body);
    // Leaders see the plan on their dashboard.
    let dashboard = app.call(Some(&leader), &get("/")).await;
    assert!(
        dashboard.body.contains("规划监测")
            && dashboard.body.contains(&format!("/plans/{plan}?year=")),
        "{}",
        dashboard.body
    );
    // The documents page links a plan to its monitoring.
    let documents = app.call(Some(&office), &get("/documents")).await;
    assert!(documents.body.contains(&format!("href=\"/plans/{plan}\"")));
    app.store.close().await;
}

/// The statistics bureau (here the reporter's unit) reports an indicator's 2023 value and its
/// second quarter; another unit reports a project's month (月调度). Each goes draft → the head's
/// signed approval → submit → the office accepts; the accepted figures are the indicator's actual
/// (judged, the quarter by months elapsed) and the project's stage and investment, printed in the
/// quarterly project notice. Another unit cannot report them; a stale version is 409.
async fn a_data_source_unit_and_a_project_unit_report_through_the_cycle(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let head = app.login("fuzeren").await;
    let other = app.login("tianbao2").await;
    let uploaded = app
        .send(multipart(
            "/api/documents",
            &office,
            "规划纲要.txt",
            &fixture_bytes("plan-2021-2025-zichuan.txt"),
            &[("kind", "plan")],
        ))
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let plan = uploaded.json()["id"].as_i64().expect("plan");
    let accounts = app.store.accounts().await.expect("accounts");
    let unit_of = |login: &str| {
        accounts
            .iter()
            .find(|a| a.login == login)
            .and_then(|a| a.unit.as_ref())
            .map(|u| u.name.clone())
            .expect("unit")
    };
    let (unit, other_unit) = (unit_of("tianbao"), unit_of("tianbao2"));
    let projects = app
        .store
        .project_library(duban_core::DocumentId(plan))
        .await
        .expect("projects");
    let project = projects[3].name.clone();
    for body in [
        json!({"subject": "indicator", "items": ["常住人口城镇化率"], "unit": unit}),
        json!({"subject": "project", "items": [project], "unit": unit}),
    ] {
        let named = app
            .call(
                Some(&office),
                &post_json(format!("/api/plans/{plan}/assignments"), body),
            )
            .await;
        assert_eq!(named.status, StatusCode::OK, "{}", named.body);
    }
    let set = app
        .call(
            Some(&office),
            &post_json(
                format!("/api/plans/{plan}/projects"),
                json!({"project": project, "investment": 50000, "stage": "前期"}),
            ),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    let step = |who: &Session, body: Value| {
        let call = post_json(format!("/api/plans/{plan}/reports"), body);
        let who = who.clone();
        let app = &app;
        async move { app.call(Some(&who), &call).await }
    };
    // Another unit may not report the bureau's indicator.
    let refused = step(
        &other,
        json!({"subject": "indicator", "item": "城镇化率", "period": "2023", "action": "save", "value": "70.9"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(!other_unit.is_empty());
    // A year's value and a quarter's, then a project's month, each through the whole cycle.
    let cycles = [
        json!({"subject": "indicator", "item": "城镇化率", "period": "2023", "value": "70.9", "body": "统计公报"}),
        json!({"subject": "indicator", "item": "城镇化率", "period": "2023-Q2", "value": "69.6", "body": "季度监测"}),
        json!({"subject": "project", "item": project, "period": "2023-05", "body": "主体完工，设备安装", "stage": "在建", "investment": 32000}),
    ];
    for fields in &cycles {
        let with = |action: &str, extra: Value| {
            let mut body = fields.clone();
            body["action"] = json!(action);
            for (k, v) in extra.as_object().expect("object") {
                body[k] = v.clone();
            }
            body
        };
        let saved = step(&reporter, with("save", json!({}))).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(saved.json()["state"], "draft");
        let stale = step(&reporter, with("save", json!({"version": 0}))).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let wrong = step(
            &head,
            with(
                "approve",
                json!({"version": 1, "password": "wrong-password"}),
            ),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::CONFLICT, "{}", wrong.body);
        let approved = step(
            &head,
            with("approve", json!({"version": 1, "password": PASSWORD})),
        )
        .await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        assert_eq!(
            approved.json()["signature_valid"],
            true,
            "{}",
            approved.body
        );
        let submitted = step(&head, with("submit", json!({"version": 2}))).await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
        let accepted = step(&office, with("accept", json!({"version": 3}))).await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
        assert_eq!(accepted.json()["state"], "accepted");
    }
    // The accepted figures are the plan's: 2023 judged against 71.24 (behind), Q2 against
    // half-way from 2022's 69.36 (70.3: behind).
    let monitored = app
        .call(
            Some(&office),
            &get(format!("/api/plans/{plan}/indicators?year=2023")),
        )
        .await;
    assert_eq!(monitored.status, StatusCode::OK, "{}", monitored.body);
    let urban = monitored.json()["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["name"] == "常住人口城镇化率")
        .cloned()
        .expect("urban");
    assert_eq!(urban["actual"]["2023"], 70.9, "{urban}");
    assert_eq!(urban["judgement"]["2023"], "behind", "{urban}");
    assert_eq!(urban["quarters"][0]["period"], "2023-Q2", "{urban}");
    assert_eq!(urban["quarters"][0]["expected"], 70.3, "{urban}");
    assert_eq!(urban["quarters"][0]["judgement"], "behind", "{urban}");
    let library = app
        .call(Some(&reporter), &get(format!("/api/plans/{plan}/projects")))
        .await
        .json();
    let record = library
        .as_array()
        .expect("library")
        .iter()
        .find(|p| p["name"] == project.as_str())
        .cloned()
        .expect("project");
    assert_eq!(
        (
            &record["stage"],
            &record["actual_investment"],
            &record["planned_investment"],
            &record["unit"]
        ),
        (
            &json!("building"),
            &json!(32000.0),
            &json!(50000.0),
            &json!(unit)
        ),
        "{record}"
    );
    assert_eq!(record["months_accepted"], json!(["2023-05"]));
    // The indicator's page: its years, the quarter judged, its unit and the reports.
    let page = app
        .call(Some(&office), &get(format!("/plans/{plan}/indicator?no=2")))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("2023-Q2")
            && page.body.contains("70.3")
            && page.body.contains(&unit)
            && page.body.contains("签名有效")
            && page.body.contains("<svg"),
        "{}",
        page.body
    );
    let missing = app
        .call(
            Some(&office),
            &get(format!("/plans/{plan}/indicator?no=99")),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // The unit's page lists both items with their reports, signed.
    let page = app.call(Some(&head), &get("/my/plan")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("常住人口城镇化率") && page.body.contains("签名有效"),
        "{}",
        page.body
    );
    // The quarterly project notice.
    let notice = app
        .call(
            Some(&office),
            &get(format!(
                "/api/plans/{plan}/project-notice?quarter=2023-Q2&format=docx"
            )),
        )
        .await;
    assert_eq!(notice.status, StatusCode::OK, "{}", notice.body);
    assert!(
        notice.disposition.contains("project-notice.docx"),
        "{}",
        notice.disposition
    );
    let office_page = app
        .call(Some(&office), &get(format!("/plans/{plan}/projects")))
        .await;
    assert!(
        office_page.body.contains("2023-05") && office_page.body.contains("32000"),
        "{}",
        office_page.body
    );
    app.store.close().await;
}

/// The paged task list: every task once, in 序号 order, a page at a time by cursor; filters and
/// the search narrow it as on the ledger page; a leader's pages hold the portfolio only; a limit
/// out of range is refused.
async fn the_task_list_api_pages_by_cursor_with_filters_and_a_leaders_scope(db: &TestDb) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let leader = app.login("lingdao").await;
    let ledger = app.store.ledgers().await.expect("ledgers")[0]
        .ledger
        .name
        .clone();
    let pages = |who: Session, query: String| {
        let app = &app;
        let ledger = ledger.clone();
        async move {
            let mut seqs = Vec::new();
            let mut after: Option<u64> = None;
            loop {
                let path = format!(
                    "/api/ledgers/{}/tasks?limit=50{query}{}",
                    enc(&ledger),
                    after.map(|a| format!("&after={a}")).unwrap_or_default()
                );
                let page = app.call(Some(&who), &get(path)).await;
                assert_eq!(page.status, StatusCode::OK, "{}", page.body);
                let page = page.json();
                for t in page["tasks"].as_array().expect("tasks") {
                    assert!(t["id"].as_i64().is_some() && t["goal"].is_string(), "{t}");
                    seqs.push(t["seq"].as_u64().expect("seq"));
                }
                match page["next"].as_u64() {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
            seqs
        }
    };
    let all = pages(office.clone(), String::new()).await;
    let sheet = app
        .store
        .sheet(&ledger, None, &duban_store::TaskFilter::default())
        .await
        .expect("sheet");
    let expected: Vec<u64> = sheet.tasks.iter().map(|t| u64::from(t.seq)).collect();
    assert_eq!(all, expected, "every task once, in order");
    let done = pages(office.clone(), "&status=done".to_owned()).await;
    let done_expected: Vec<u64> = sheet
        .tasks
        .iter()
        .filter(|t| t.status == Some(duban_core::Status::Done))
        .map(|t| u64::from(t.seq))
        .collect();
    assert!(!done.is_empty() && done.len() < all.len());
    assert_eq!(done, done_expected);
    let searched = pages(office.clone(), format!("&q={}", enc("增长"))).await;
    assert!(
        !searched.is_empty() && searched.len() < all.len(),
        "{searched:?}"
    );
    let portfolio = pages(leader, String::new()).await;
    assert!(
        !portfolio.is_empty() && portfolio.len() < all.len(),
        "{portfolio:?}"
    );
    let refused = app
        .call(
            Some(&office),
            &get(format!("/api/ledgers/{}/tasks?limit=0", enc(&ledger))),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    app.store.close().await;
}

/// A unit's list is shown a hundred tasks a page; 全部签收 acknowledges every task of the ledger
/// given to the unit, on every page, and nothing of another unit's.
async fn a_unit_with_hundreds_of_tasks_reads_them_a_page_at_a_time_and_acknowledges_all(
    db: &TestDb,
) {
    let app = app(db).await;
    let office = app.login("ducha").await;
    let reporter = app.login("tianbao").await;
    let unit = app
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit)
        .expect("unit")
        .name;
    let name = "2026年重点工作（分页）";
    let tasks: Vec<Value> = (1..=250)
        .map(|seq| {
            json!({
                "seq": seq,
                "goal": format!("第{seq}项：建设口袋公园{seq}处。"),
                "status": "partial",
                "progress": "推进中。",
                "units": [
                    {"name": unit, "role": if seq % 2 == 0 { "lead" } else { "support" }},
                    {"name": "区分页测试局", "role": "support"},
                ],
            })
        })
        .collect();
    let sheet: duban_core::LedgerSheet =
        serde_json::from_value(json!({"ledger": name, "period": "2026-09", "tasks": tasks}))
            .expect("sheet");
    app.store
        .save_sheet(&sheet, duban_store::SaveOptions::default())
        .await
        .expect("save");
    let ledger = app.store.ledger(name).await.expect("ledger").id.0;
    let missing = |list: &Value, who: &str| {
        list.as_array()
            .expect("list")
            .iter()
            .find(|m| m["unit"] == who)
            .and_then(|m| m["tasks"].as_i64())
            .unwrap_or(0)
    };
    let before = app
        .call(Some(&office), &get("/api/receipts/missing"))
        .await
        .json();
    assert!(missing(&before, &unit) >= 250, "{before}");
    assert_eq!(missing(&before, "区分页测试局"), 250, "{before}");

    let list = format!("/my?ledger={}&period=2026-09", enc(name));
    let first = app.call(Some(&reporter), &get(list.clone())).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body.matches("data-label=\"序号\"").count(), 100);
    assert!(first.body.contains("第 1 / 3 页"), "{}", first.body);
    assert!(
        first
            .body
            .contains("<strong>250</strong> 项新分配的任务尚未签收")
    );
    assert!(first.body.contains("page=2"), "{}", first.body);
    let last = app
        .call(Some(&reporter), &get(format!("{list}&page=3")))
        .await;
    assert_eq!(last.body.matches("data-label=\"序号\"").count(), 50);
    assert!(
        last.body.contains("第250项：建设口袋公园250处。"),
        "{}",
        last.body
    );
    assert!(!last.body.contains("第100项："), "{}", last.body);

    let acknowledged = app
        .call(
            Some(&reporter),
            &form(
                "/receipts",
                &[
                    ("kind", "task"),
                    ("ledger", &ledger.to_string()),
                    ("back", &list),
                ],
            ),
        )
        .await;
    assert_eq!(
        acknowledged.status,
        StatusCode::SEE_OTHER,
        "{}",
        acknowledged.body
    );
    let mine = app
        .call(
            Some(&reporter),
            &get(format!("/api/my/tasks?ledger={}&period=2026-09", enc(name))),
        )
        .await
        .json();
    let mine = mine.as_array().expect("tasks");
    assert_eq!(mine.len(), 250);
    assert!(mine.iter().all(|t| t["acknowledged"] == true), "{mine:?}");
    let after = app
        .call(Some(&office), &get("/api/receipts/missing"))
        .await
        .json();
    assert_eq!(missing(&after, &unit), missing(&before, &unit) - 250);
    assert_eq!(
        missing(&after, "区分页测试局"),
        250,
        "the other unit's stay"
    );
    let again = app.call(Some(&reporter), &get(list)).await;
    assert!(
        !again.body.contains("id=\"acknowledge-all\""),
        "{}",
        again.body
    );
}
