//! The reporting cycle clicked through in headless Chromium (Debian's chromium and
//! chromium-driver, over WebDriver): a unit reporter submits, the head approves and signs, the
//! office returns it with a comment and later accepts it, and another unit cannot see it.
//! Screenshots of the main pages, on a desktop and a phone, are saved under
//! `target/screenshots/` for review.
//!
//! Without chromedriver the test prints SKIPPED; with DUBAN_REQUIRE_BROWSER set (CI sets it) a
//! missing browser is a failure instead.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use duban_core::Calendar;
use duban_server::{AppState, demo};
use duban_store::Store;
use duban_testing::TestDb;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const PASSWORD: &str = "browser-password-1";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// Connects to chromedriver, retrying while it starts (it answers within a second or two).
async fn browser(port: u16) -> Client {
    let mut options = serde_json::Map::new();
    options.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--lang=zh-CN",
            ]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = String::new();
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(options.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return client,
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}: {last}");
}

struct Ui {
    client: Client,
    base: String,
    shots: PathBuf,
}

impl Ui {
    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("body")
            .text()
            .await
            .expect("text")
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await.expect(css);
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }

    /// Clicks a button that submits a form, and waits until the next page has replaced this
    /// one (the old page's body goes stale).
    async fn click(&self, css: &str) {
        let old = self.client.find(Locator::Css("body")).await.expect("body");
        self.client
            .find(Locator::Css(css))
            .await
            .expect(css)
            .click()
            .await
            .expect("click");
        for _ in 0..200 {
            if old.text().await.is_err() {
                self.client
                    .wait()
                    .for_element(Locator::Css("body"))
                    .await
                    .expect("the next page");
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("clicking {css} did not lead to another page");
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("save screenshot");
    }

    /// Fails when the page is wider than the window (the page would scroll sideways).
    async fn fits_the_screen(&self, path: &str) {
        let widths = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .expect("widths");
        let widths: Vec<f64> = widths
            .as_array()
            .expect("two numbers")
            .iter()
            .filter_map(|w| w.as_f64())
            .collect();
        assert!(
            widths[0] <= widths[1] + 1.0,
            "{path} scrolls sideways on a phone: {} px wide in a {} px window",
            widths[0],
            widths[1]
        );
    }

    /// Uploads a document on 文件 (the browser takes only a canonical path) and returns its id
    /// from the page it leads to.
    async fn upload_document(&self, path: &std::path::Path) -> i64 {
        self.open("/documents").await;
        self.client
            .find(Locator::Css("input[type=file]"))
            .await
            .expect("file input")
            .send_keys(path.to_str().expect("path"))
            .await
            .expect("choose the file");
        self.click("#upload-document").await;
        let url = self.client.current_url().await.expect("url");
        url.path()
            .trim_start_matches("/documents/")
            .parse()
            .unwrap_or_else(|_| panic!("the document's page: {url}"))
    }

    /// Logs in through the form; the cookies of whoever was logged in before are dropped.
    async fn login(&self, login: &str) {
        self.open("/login").await;
        self.client.delete_all_cookies().await.expect("cookies");
        self.open("/login").await;
        self.fill("input[name=login]", login).await;
        self.fill("input[name=password]", PASSWORD).await;
        self.click("#login-submit").await;
        let text = self.text().await;
        assert!(
            text.contains(&format!("退出 {login}")),
            "{login} logged in: {text}"
        );
    }
}

/// The server with the demo data on `db`, and a headless browser pointed at it; None (after
/// saying SKIPPED) when the browser is not installed and not required.
async fn start(db: &TestDb) -> Option<Running> {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("DUBAN_REQUIRE_BROWSER").is_none(),
            "DUBAN_REQUIRE_BROWSER is set but {CHROMEDRIVER} or {CHROMIUM} is missing"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED (browser): install chromium and chromium-driver\n",
        );
        return None;
    }
    let (store, _) = Store::init(&db.target()).await.expect("init");
    let state = AppState::new(store.clone(), Calendar::builtin());
    demo::seed(&state, Some(PASSWORD)).await.expect("demo");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address: SocketAddr = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(duban_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let port = free_port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let ui = Ui {
        client: browser(port).await,
        base: format!("http://{address}"),
        shots: screenshots(),
    };
    Some(Running {
        ui,
        store,
        stop,
        server,
        _driver: driver,
    })
}

struct Running {
    ui: Ui,
    store: Store,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _driver: Driver,
}

impl Running {
    async fn finish(self) {
        self.ui.client.close().await.expect("close browser");
        let _ = self.stop.send(());
        self.server.await.expect("server task").expect("server");
        self.store.close().await;
    }
}

#[tokio::test]
async fn a_report_is_submitted_approved_returned_and_accepted_in_the_browser() {
    let db = TestDb::sqlite();
    let Some(running) = start(&db).await else {
        return;
    };
    let (ui, store) = (&running.ui, running.store.clone());
    // The task: one the demo unit leads alone among the demo units.
    let accounts = store.accounts().await.expect("accounts");
    let unit = |login: &str| {
        accounts
            .iter()
            .find(|a| a.login == login)
            .and_then(|a| a.unit.clone())
            .expect("unit")
    };
    let (own, other) = (unit("tianbao"), unit("tianbao2"));
    let ledger = store.ledgers().await.expect("ledgers")[0].ledger.clone();
    let sheet = store
        .sheet(&ledger.name, None, &Default::default())
        .await
        .expect("sheet");
    let seq = sheet
        .tasks
        .iter()
        .find(|t| {
            let units = t.units.as_deref().unwrap_or_default();
            units.first().is_some_and(|u| u.name == own.name)
                && !units.iter().any(|u| u.name == other.name)
        })
        .expect("a task of the demo unit")
        .seq;
    let task = store.task_ids(ledger.id.0).await.expect("ids")[&seq];
    let page = format!("/tasks/{task}?period=2023-09");

    ui.open("/").await;
    assert!(
        ui.client
            .current_url()
            .await
            .expect("url")
            .path()
            .starts_with("/login")
    );
    ui.shot("01-login").await;

    // The reporter writes and saves.
    ui.login("tianbao").await;
    ui.shot("02-my-tasks").await;
    ui.open(&page).await;
    ui.fill("textarea[name=body]", "9月份，项目完成投资1.2亿元。")
        .await;
    ui.click("#save").await;
    assert!(ui.text().await.contains("已保存草稿"));
    ui.shot("03-task-draft").await;

    // The head approves with the password (the signature) and submits.
    ui.login("fuzeren").await;
    ui.open(&page).await;
    ui.fill("input[name=password]", PASSWORD).await;
    ui.click("#approve").await;
    assert!(ui.text().await.contains("已审核并签名"));
    ui.click("#submit").await;
    assert!(ui.text().await.contains("已报送督查室"));

    // Another unit sees neither the task nor the text.
    ui.login("tianbao2").await;
    ui.open(&page).await;
    let refused = ui.text().await;
    assert!(
        refused.contains("403") && refused.contains("无权访问"),
        "{refused}"
    );
    assert!(!refused.contains("1.2亿元"));
    ui.open("/my").await;
    assert!(!ui.text().await.contains("1.2亿元"));
    ui.shot("04-other-unit-refused").await;

    // The office sees it in the queue, signed, and returns it with a comment.
    ui.login("ducha").await;
    ui.open("/review").await;
    let queue = ui.text().await;
    assert!(
        queue.contains("1.2亿元") && queue.contains("已签名"),
        "{queue}"
    );
    ui.shot("05-review-queue").await;
    ui.open(&page).await;
    assert!(ui.text().await.contains("签名有效"));
    ui.fill("#return-comment", "请写明占年度目标的比例").await;
    ui.click("#return").await;
    assert!(ui.text().await.contains("已退回"));

    // The reporter sees the comment, corrects, the head signs again, the office accepts.
    ui.login("tianbao").await;
    ui.open(&page).await;
    assert!(ui.text().await.contains("请写明占年度目标的比例"));
    ui.fill(
        "textarea[name=body]",
        "9月份，项目完成投资1.2亿元，占年度目标的60%。",
    )
    .await;
    ui.click("#save").await;
    ui.login("fuzeren").await;
    ui.open(&page).await;
    ui.fill("input[name=password]", PASSWORD).await;
    ui.click("#approve").await;
    ui.click("#submit").await;
    ui.login("ducha").await;
    ui.open(&page).await;
    let status = ui
        .client
        .find(Locator::Css("select[name=status]"))
        .await
        .expect("status");
    status.select_by_value("partial").await.expect("select");
    ui.click("#accept").await;
    let accepted = ui.text().await;
    assert!(
        accepted.contains("已采纳") && accepted.contains("占年度目标的60%"),
        "{accepted}"
    );
    ui.shot("06-task-accepted").await;

    // The office's other pages, then the dashboard on a phone.
    ui.open("/").await;
    assert!(ui.text().await.contains("完成情况"));
    ui.shot("07-dashboard").await;
    ui.open("/ledger?period=2023-08").await;
    ui.shot("08-ledger").await;
    // Choosing a status refreshes the table in place (htmx) and keeps the address shareable.
    let before = ui.text().await;
    assert!(before.contains("符合条件 124 / 124 项"), "{before}");
    let status = ui
        .client
        .find(Locator::Css("select[name=status]"))
        .await
        .expect("status");
    status.select_by_value("not_done").await.expect("select");
    let mut filtered = String::new();
    for _ in 0..200 {
        filtered = ui.text().await;
        if !filtered.contains("符合条件 124 / 124 项") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(filtered.contains("符合条件 7 / 124 项"), "{filtered}");
    let url = ui.client.current_url().await.expect("url");
    assert!(
        url.query().unwrap_or_default().contains("status=not_done"),
        "{url}"
    );
    ui.open("/notices").await;
    ui.shot("09-notices").await;
    ui.open("/import").await;
    ui.shot("10-import").await;
    // On a 390 px phone no page scrolls sideways: wide tables become cards.
    ui.client
        .set_window_size(390, 844)
        .await
        .expect("phone size");
    for (path, shot) in [
        ("/", "11-dashboard-phone"),
        (page.as_str(), "12-task-phone"),
        ("/review", "13-review-phone"),
        ("/ledger?period=2023-08", "14-ledger-phone"),
    ] {
        ui.open(path).await;
        ui.fits_the_screen(path).await;
        ui.shot(shot).await;
    }
    ui.login("tianbao").await;
    for (path, shot) in [
        ("/my", "15-my-tasks-phone"),
        (page.as_str(), "16-task-unit-phone"),
    ] {
        ui.open(path).await;
        ui.fits_the_screen(path).await;
        ui.shot(shot).await;
    }
    // The unit's form is on the first screen of its task page, not below the source passage.
    let form_top = ui
        .client
        .execute(
            "return document.querySelector('#report-form').getBoundingClientRect().top;",
            vec![],
        )
        .await
        .expect("form position");
    let form_top = form_top.as_f64().expect("number");
    assert!(form_top < 844.0, "the report form starts {form_top}px down");

    running.finish().await;
    db.finish().await;
}

duban_testing::on_both_backends!(a_clerk_goes_from_a_report_file_to_accepted_quarterly_targets);

/// The office uploads a report, builds a ledger of three of its tasks with their units, opens a
/// round for two quarters; the unit drafts on a phone, its head signs and submits, the office
/// accepts; the target is then the milestone on the task's page.
async fn a_clerk_goes_from_a_report_file_to_accepted_quarterly_targets(db: &TestDb) {
    let Some(running) = start(db).await else {
        return;
    };
    let (ui, store) = (&running.ui, running.store.clone());
    let accounts = store.accounts().await.expect("accounts");
    let unit = accounts
        .iter()
        .find(|a| a.login == "tianbao")
        .and_then(|a| a.unit.clone())
        .expect("unit")
        .name;
    // The browser takes only a canonical path.
    let report = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/files/report-2021.docx")
        .canonicalize()
        .expect("the report fixture");

    // Upload the report.
    ui.login("ducha").await;
    let id = ui.upload_document(&report).await;
    ui.shot("17-document").await;

    // Build a ledger of three of its commitments, the first with its units and leader.
    ui.open(&format!("/documents/{id}/ledger")).await;
    ui.client
        .execute(
            "document.querySelectorAll('input[name=pick]').forEach((c, i) => { c.checked = i < 3; });",
            vec![],
        )
        .await
        .expect("pick three");
    let name = "2021年重点工作（浏览器）";
    ui.fill("input[name=ledger]", name).await;
    ui.fill("textarea[name='goal:0']", "年内建成智慧城市运营中心")
        .await;
    ui.fill("input[name='lead:0']", &unit).await;
    ui.fill("input[name='support:0']", "区财政局").await;
    ui.fill("input[name='leaders:0']", "王强").await;
    ui.shot("18-ledger-builder").await;
    ui.click("#create-ledger").await;
    let ledger_page = ui.text().await;
    assert!(
        ledger_page.contains("年内建成智慧城市运营中心"),
        "{ledger_page}"
    );

    // Open a round for the third and fourth quarters.
    ui.open(&format!("/targets?ledger={}", enc(name))).await;
    for quarter in ["2021-Q3", "2021-Q4"] {
        ui.client
            .find(Locator::Css(&format!(
                "input[name=period][value='{quarter}']"
            )))
            .await
            .expect(quarter)
            .click()
            .await
            .expect("tick");
    }
    ui.click("#open").await;
    let opened = ui.text().await;
    assert!(opened.contains("已开启目标分解"), "{opened}");
    let ledger = store.ledger(name).await.expect("ledger");
    let task = store.task_ids(ledger.id.0).await.expect("ids")[&1];
    let page = format!("/tasks/{task}/targets");

    // The reporter, on a phone, finds the task and drafts the third quarter's target.
    ui.client
        .set_window_size(390, 844)
        .await
        .expect("phone size");
    ui.login("tianbao").await;
    ui.open("/my/targets").await;
    ui.fits_the_screen("/my/targets").await;
    assert!(ui.text().await.contains("年内建成智慧城市运营中心"));
    ui.shot("19-my-targets-phone").await;
    ui.open(&page).await;
    let target = "9月底前完成运营中心主体装修和系统联调";
    ui.fill("#period-2021-Q3 textarea[name=text]", target).await;
    ui.click("#period-2021-Q3 button.save").await;
    assert!(ui.text().await.contains("已保存草稿"));
    ui.fits_the_screen(&page).await;
    ui.shot("20-target-draft-phone").await;

    // The head approves with the password and submits.
    ui.login("fuzeren").await;
    ui.open(&page).await;
    ui.fill("#period-2021-Q3 input[name=password]", PASSWORD)
        .await;
    ui.click("#period-2021-Q3 button.approve").await;
    assert!(ui.text().await.contains("已审核并签名"));
    ui.click("#period-2021-Q3 button.submit").await;
    assert!(ui.text().await.contains("已报送督查室"));

    // The office accepts it on a desktop.
    ui.client
        .set_window_size(1280, 900)
        .await
        .expect("desktop size");
    ui.login("ducha").await;
    ui.open(&format!("/targets?ledger={}", enc(name))).await;
    assert!(ui.text().await.contains("待审核 1 项"));
    ui.open(&page).await;
    assert!(ui.text().await.contains("签名有效"));
    ui.click("#period-2021-Q3 button.accept").await;
    assert!(ui.text().await.contains("已采纳"));
    ui.open(&format!("/targets?ledger={}", enc(name))).await;
    ui.shot("21-targets-office").await;

    // The milestone shows on the task's page.
    ui.open(&format!("/tasks/{task}?period=2021-Q3")).await;
    let task_page = ui.text().await;
    assert!(task_page.contains(target), "{task_page}");
    ui.shot("22-task-with-milestone").await;
    running.finish().await;
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

/// The office records what a field visit found; the unit's reporter answers it on a 390 px phone,
/// the head signs and submits; the office closes it (销号) and reads the scores.
#[tokio::test]
async fn a_finding_is_answered_from_a_phone_and_closed_by_the_office() {
    let db = TestDb::sqlite();
    let Some(running) = start(&db).await else {
        return;
    };
    let ui = &running.ui;
    // A task the demo reporter's unit leads.
    let reporter = running
        .store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.login == "tianbao")
        .expect("reporter");
    let unit = reporter.unit.expect("unit");
    let ledger = running.store.ledgers().await.expect("ledgers")[0]
        .ledger
        .name
        .clone();
    let sheet = running
        .store
        .sheet(&ledger, None, &duban_store::TaskFilter::default())
        .await
        .expect("sheet");
    let seq = sheet
        .tasks
        .iter()
        .find(|t| {
            t.units
                .iter()
                .flatten()
                .any(|u| u.name == unit.name && u.role == duban_core::Role::Lead)
        })
        .map(|t| t.seq)
        .expect("a task the unit leads");

    ui.login("ducha").await;
    ui.open("/inspections").await;
    // A date field takes its value as the browser's locale orders it: set it as the page would.
    ui.client
        .execute(
            "document.querySelector('input[name=date]').value = '2023-09-20';",
            vec![],
        )
        .await
        .expect("date");
    ui.fill("input[name=team]", "第一督查组").await;
    ui.fill("input[name=seq]", &seq.to_string()).await;
    ui.fill("input[name=unit]", &unit.name).await;
    ui.fill("textarea[name=text]", "现场台账资料不全").await;
    ui.click("#record-finding").await;
    let text = ui.text().await;
    assert!(
        text.contains("已记录") && text.contains("现场台账资料不全") && text.contains("2023-09-20"),
        "{text}"
    );
    ui.shot("23-inspections").await;

    ui.client
        .set_window_size(390, 844)
        .await
        .expect("phone size");
    ui.login("tianbao").await;
    ui.open("/my/rectifications").await;
    ui.fits_the_screen("/my/rectifications").await;
    ui.shot("24-rectification-phone").await;
    ui.fill("textarea[name=body]", "已补齐台账资料并建立月度整理制度")
        .await;
    ui.click("button[id^=save-]").await;
    ui.login("fuzeren").await;
    ui.open("/my/rectifications").await;
    ui.fill("input[name=password]", PASSWORD).await;
    ui.click("button[id^=approve-]").await;
    ui.click("button[id^=submit-]").await;
    let text = ui.text().await;
    assert!(
        text.contains("已报送") && text.contains("签名有效"),
        "{text}"
    );
    ui.fits_the_screen("/my/rectifications").await;

    ui.client
        .set_window_size(1280, 900)
        .await
        .expect("desktop size");
    ui.login("ducha").await;
    ui.open("/inspections").await;
    ui.click("button[id^=accept-]").await;
    let text = ui.text().await;
    assert!(text.contains("已销号"), "{text}");
    ui.open("/scores").await;
    let text = ui.text().await;
    assert!(
        text.contains("考核得分") && text.contains(&unit.name),
        "{text}"
    );
    ui.shot("25-scores").await;

    // A five-year plan: uploaded, a value recorded, its monitoring page on a desktop and a phone.
    let plan = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/plan-2021-2025-zichuan.txt")
        .canonicalize()
        .expect("the plan fixture");
    let id = ui.upload_document(&plan).await;
    ui.open(&format!("/plans/{id}?year=2023")).await;
    ui.client
        .find(Locator::Css("select[name=indicator]"))
        .await
        .expect("indicator")
        .select_by_value("常住人口城镇化率")
        .await
        .expect("select");
    ui.fill("input[name=value]", "70.5").await;
    ui.click("#record-value").await;
    assert!(ui.text().await.contains("已录入"));
    let row = ui
        .client
        .find(Locator::Css("#indicator-2"))
        .await
        .expect("the indicator's row")
        .text()
        .await
        .expect("text");
    assert!(
        row.contains("70.5") && row.contains("滞后") && row.contains("0.74个百分点"),
        "{row}"
    );
    let charts = ui
        .client
        .find_all(Locator::Css("svg.path-chart"))
        .await
        .expect("charts");
    assert!(charts.len() >= 15, "{} charts", charts.len());
    ui.shot("26-plan-monitoring").await;
    ui.client
        .set_window_size(390, 844)
        .await
        .expect("phone size");
    let path = format!("/plans/{id}?year=2023");
    ui.open(&path).await;
    ui.fits_the_screen(&path).await;
    ui.shot("27-plan-monitoring-phone").await;

    // The office names the reporter's unit as the indicator's data-source unit; the reporter
    // enters the year's value on a phone, the head signs and submits, the office accepts it.
    ui.client
        .set_window_size(1280, 900)
        .await
        .expect("desktop size");
    ui.open(&format!("/plans/{id}/projects")).await;
    ui.fill("input[name=item]", "常住人口城镇化率").await;
    ui.fill("input[name=unit]", &unit.name).await;
    ui.click("#assign").await;
    assert!(ui.text().await.contains("已保存"));
    ui.shot("28-project-library").await;
    ui.client
        .set_window_size(390, 844)
        .await
        .expect("phone size");
    ui.login("tianbao").await;
    ui.open("/my/plan").await;
    ui.fits_the_screen("/my/plan").await;
    ui.fill(".new-plan-report input[name=period]", "2023").await;
    ui.fill(".new-plan-report input[name=value]", "70.9").await;
    ui.fill(".new-plan-report input[name=body]", "2023年统计公报")
        .await;
    ui.click("button[id^=new-]").await;
    let text = ui.text().await;
    assert!(text.contains("已保存") && text.contains("70.9"), "{text}");
    ui.shot("29-my-plan-phone").await;
    ui.login("fuzeren").await;
    ui.open("/my/plan").await;
    ui.fill("input[name=password]", PASSWORD).await;
    ui.click("button[id^=approve-]").await;
    ui.click("button[id^=submit-]").await;
    let text = ui.text().await;
    assert!(
        text.contains("已报送") && text.contains("签名有效"),
        "{text}"
    );
    ui.fits_the_screen("/my/plan").await;
    ui.client
        .set_window_size(1280, 900)
        .await
        .expect("desktop size");
    ui.login("ducha").await;
    ui.open(&format!("/plans/{id}/projects")).await;
    ui.click("button[id^=accept-]").await;
    ui.open(&format!("/plans/{id}/indicator?no=2")).await;
    let text = ui.text().await;
    assert!(
        text.contains("70.9") && text.contains("已采纳") && text.contains(&unit.name),
        "{text}"
    );
    ui.shot("30-indicator").await;

    running.finish().await;
    db.finish().await;
}
