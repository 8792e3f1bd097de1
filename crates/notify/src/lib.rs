//! duban-notify: sending a message to people outside the application — e-mail over SMTP and the
//! group robots of DingTalk (signed) and WeCom. Blocking calls with time limits: callers run them
//! off the async threads. Owns the wire formats; must not decide who is told what (that is
//! `duban-app`'s reminders).

use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long one delivery may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("邮件服务器地址无效（{url}）：{message}")]
    SmtpUrl { url: String, message: String },
    #[error(
        "未设置邮件服务器：请设置 DUBAN_SMTP_URL（如 smtp://mail.example.gov.cn:25）和 DUBAN_MAIL_FROM"
    )]
    NoSmtp,
    #[error("邮件地址无效：{0}")]
    Address(String),
    #[error("发送邮件失败：{0}")]
    Smtp(String),
    #[error("机器人地址无效：{0}")]
    WebhookUrl(String),
    #[error("调用机器人失败：{0}")]
    Webhook(String),
    #[error("机器人拒绝了消息：{0}")]
    Refused(String),
    #[error("无法读取 DUBAN_CA_FILE 指定的证书文件 {path}：{message}")]
    CaFile { path: String, message: String },
}

/// The certificate authorities to trust instead of the built-in (Mozilla) list, from
/// `DUBAN_CA_FILE`: a PEM file of one or more certificates. Offices whose mail server or robot
/// gateway inside their network has a certificate signed by their own CA point it at that CA, or
/// at the system bundle that includes it (/etc/ssl/certs/ca-certificates.crt on Debian after
/// update-ca-certificates). None when unset.
fn private_roots() -> Result<Option<Vec<u8>>, NotifyError> {
    let Some(path) = std::env::var("DUBAN_CA_FILE")
        .ok()
        .filter(|p| !p.trim().is_empty())
    else {
        return Ok(None);
    };
    let failed = |message: String| NotifyError::CaFile {
        path: path.clone(),
        message,
    };
    let pem = std::fs::read(&path).map_err(|e| failed(e.to_string()))?;
    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(failed("文件中没有 PEM 格式的证书".to_owned()));
    }
    Ok(Some(pem))
}

/// The host of a mail server URL (scheme://[user:password@]host[:port][?…]).
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    }
}

/// Where e-mail goes out: `DUBAN_SMTP_URL` (smtp://host:25 for an internal relay without TLS,
/// smtp://host:587?tls=required for STARTTLS, smtps://host:465, with user:password@ when the
/// server asks for a login) and the sender `DUBAN_MAIL_FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub url: String,
    pub from: String,
}

impl MailSettings {
    /// From the environment; None when no server is set.
    pub fn from_env() -> Option<MailSettings> {
        let url = std::env::var("DUBAN_SMTP_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        let from = std::env::var("DUBAN_MAIL_FROM")
            .ok()
            .filter(|f| !f.trim().is_empty())
            .unwrap_or_else(|| "督办系统 <duban@localhost>".to_owned());
        Some(MailSettings { url, from })
    }
}

/// Sends one plain-text e-mail.
pub fn send_email(
    settings: &MailSettings,
    to: &str,
    subject: &str,
    text: &str,
) -> Result<(), NotifyError> {
    use lettre::Transport;
    let message = lettre::Message::builder()
        .from(
            settings
                .from
                .parse()
                .map_err(|e| NotifyError::Address(format!("{}（{e}）", settings.from)))?,
        )
        .to(to
            .parse()
            .map_err(|e| NotifyError::Address(format!("{to}（{e}）")))?)
        .subject(subject)
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(text.to_owned())
        .map_err(|e| NotifyError::Smtp(e.to_string()))?;
    let url_error = |e: lettre::transport::smtp::Error| NotifyError::SmtpUrl {
        url: without_password(&settings.url),
        message: e.to_string(),
    };
    let mut builder = lettre::SmtpTransport::from_url(&settings.url)
        .map_err(url_error)?
        .timeout(Some(TIMEOUT));
    if let Some(pem) = private_roots()? {
        use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
        let parameters = TlsParameters::builder(url_host(&settings.url).to_owned())
            .certificate_store(CertificateStore::None)
            .add_root_certificate(Certificate::from_pem(&pem).map_err(url_error)?)
            .build_rustls()
            .map_err(url_error)?;
        // The same TLS mode the URL asks for, with the office's own authorities.
        let query = settings
            .url
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default();
        if settings.url.starts_with("smtps://") {
            builder = builder.tls(Tls::Wrapper(parameters));
        } else if query.split('&').any(|p| p == "tls=required") {
            builder = builder.tls(Tls::Required(parameters));
        } else if query.split('&').any(|p| p == "tls=opportunistic") {
            builder = builder.tls(Tls::Opportunistic(parameters));
        }
    }
    let transport = builder.build();
    transport
        .send(&message)
        .map(|_| ())
        .map_err(|e| NotifyError::Smtp(e.to_string()))
}

/// The URL as it may be shown: any password replaced.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// DingTalk's signature of a robot call: base64(HMAC-SHA256(secret, "timestamp\nsecret")),
/// percent-encoded for the query string.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    percent_encoding::utf8_percent_encode(&signature, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
}

/// Posts a text message to a DingTalk group robot; with its secret, the call is signed.
pub fn send_dingtalk(
    url: &str,
    secret: Option<&str>,
    text: &str,
    timestamp_ms: i64,
) -> Result<(), NotifyError> {
    let url = match secret.filter(|s| !s.is_empty()) {
        Some(secret) => format!(
            "{url}{}timestamp={timestamp_ms}&sign={}",
            if url.contains('?') { '&' } else { '?' },
            dingtalk_sign(secret, timestamp_ms)
        ),
        None => url.to_owned(),
    };
    post_robot(&url, text)
}

/// Posts a text message to a WeCom (企业微信) group robot.
pub fn send_wecom(url: &str, text: &str) -> Result<(), NotifyError> {
    post_robot(url, text)
}

/// Both robots take `{"msgtype": "text", "text": {"content": …}}` and answer `{"errcode": 0}`.
fn post_robot(url: &str, text: &str) -> Result<(), NotifyError> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(NotifyError::WebhookUrl(url.to_owned()));
    }
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false);
    if let Some(pem) = private_roots()? {
        let roots: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
                _ => None,
            })
            .collect();
        config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
                .build(),
        );
    }
    let agent: ureq::Agent = config.build().into();
    let body = serde_json::json!({"msgtype": "text", "text": {"content": text}}).to_string();
    let mut response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .map_err(|e| NotifyError::Webhook(e.to_string()))?;
    let status = response.status();
    let answer = response.body_mut().read_to_string().unwrap_or_default();
    if !status.is_success() {
        return Err(NotifyError::Refused(format!("HTTP {status}：{answer}")));
    }
    // The robots answer 200 with an error code for a bad signature or too many messages.
    let code = serde_json::from_str::<serde_json::Value>(&answer)
        .ok()
        .and_then(|v| v.get("errcode").and_then(serde_json::Value::as_i64));
    match code {
        Some(0) | None => Ok(()),
        Some(_) => Err(NotifyError::Refused(answer)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dingtalk_signature_is_the_hmac_of_timestamp_and_secret() {
        // Recomputed by hand: HMAC-SHA256("SEC123", "1700000000000\nSEC123"), base64, encoded.
        let sign = dingtalk_sign("SEC123", 1_700_000_000_000);
        let decoded = percent_encoding::percent_decode_str(&sign)
            .decode_utf8()
            .expect("utf-8");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(decoded.as_bytes())
            .expect("base64");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"SEC123").expect("key");
        mac.update(b"1700000000000\nSEC123");
        assert!(mac.verify_slice(&bytes).is_ok());
        assert!(!sign.contains('+') && !sign.contains('/') && !sign.contains('='));
    }

    #[test]
    fn the_host_of_a_mail_server_url() {
        assert_eq!(
            url_host("smtps://duban:pw@mail.example.gov.cn:465"),
            "mail.example.gov.cn"
        );
        assert_eq!(url_host("smtp://relay:25?tls=required"), "relay");
        assert_eq!(url_host("smtp://[::1]:25"), "::1");
        assert_eq!(url_host("smtp://10.1.2.3"), "10.1.2.3");
    }

    #[test]
    fn a_password_in_the_smtp_url_is_never_shown() {
        assert_eq!(
            without_password("smtps://duban:secret@mail.example.gov.cn:465"),
            "smtps://***@mail.example.gov.cn:465"
        );
        assert_eq!(without_password("smtp://relay:25"), "smtp://relay:25");
    }
}
