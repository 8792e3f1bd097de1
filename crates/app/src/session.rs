//! Signing in: the login limit, the password check and a new session.

use duban_store::Account;

use crate::{App, Error, auth};

/// A session just opened: the token goes into the cookie (the database keeps only its hash), the
/// CSRF token into every form and API call.
#[derive(Debug, Clone)]
pub struct Opened {
    pub account: Account,
    pub token: String,
    pub csrf: String,
}

/// Checks a login from `client` (an address) and opens a session.
pub async fn open_session(
    app: &App,
    client: &str,
    login: &str,
    password: &str,
) -> Result<Opened, Error> {
    let now = auth::now_seconds();
    let login = login.trim();
    // The attempt is counted before the password is checked, in one step with the count, so
    // attempts sent at once cannot all slip under the limit.
    let attempts = app
        .store
        .reserve_login_attempt(login, client, now, now - auth::FAILURE_WINDOW_SECONDS)
        .await?;
    if attempts.from_client > auth::MAX_FAILURES
        || attempts.for_login > auth::MAX_FAILURES_PER_ACCOUNT
        || attempts.by_client > auth::MAX_FAILURES_PER_CLIENT
    {
        return Err(Error::TooManyRequests(
            "登录失败次数过多，请 15 分钟后再试".to_owned(),
        ));
    }
    let credentials = app.store.credentials(login).await?;
    let password = password.to_owned();
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let ok = auth::off_thread(move || match hash {
        Some(hash) => auth::verify_password(&password, &hash),
        None => {
            auth::dummy_verify(&password);
            false
        }
    })
    .await?;
    let Some(credentials) = credentials.filter(|_| ok) else {
        // The attempt stays recorded as a failure.
        return Err(Error::Forbidden("登录名或密码不正确".to_owned()));
    };
    if credentials.account.disabled {
        return Err(Error::Forbidden(
            "此账号已停用：如需使用，请联系督查室".to_owned(),
        ));
    }
    app.store
        .clear_login_failures(login, now - auth::FAILURE_WINDOW_SECONDS)
        .await?;
    let token = auth::new_token()?;
    let csrf = auth::new_token()?;
    app.store
        .create_session(
            &auth::token_hash(&token),
            &credentials.account,
            &csrf,
            now + auth::SESSION_SECONDS,
        )
        .await?;
    Ok(Opened {
        account: credentials.account,
        token,
        csrf,
    })
}

/// Ends a session (logging out).
pub async fn end_session(app: &App, token_hash: &str) -> Result<(), Error> {
    app.store
        .end_session(token_hash, auth::now_seconds())
        .await?;
    Ok(())
}
