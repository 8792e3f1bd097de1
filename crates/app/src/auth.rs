//! Passwords, sessions, CSRF tokens, the login rate limit and the unit heads' signing keys.
//!
//! Passwords are hashed with argon2id. A session token is 32 random bytes in an HttpOnly,
//! SameSite=Strict cookie; the database keeps only its SHA-256, so a copy of the database does
//! not let anyone in. A head's ed25519 secret key is derived from the password with argon2 and a
//! salt of its own when signing, and is never stored: approving needs the password again, as a
//! seal needs its keeper.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::Error;

/// Sessions last a working day and a night.
pub const SESSION_SECONDS: i64 = 16 * 3600;
/// Within fifteen minutes: five attempts for one account from one client block that client for
/// that account; ten for one account from anywhere block the account (guessing spread over many
/// addresses); fifty from one client under any names block the client. One person cannot lock
/// out a district that shares an address: other accounts from the same client go on.
pub const MAX_FAILURES: i64 = 5;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 10;
pub const MAX_FAILURES_PER_CLIENT: i64 = 50;
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;

pub fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}

fn random_bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| Error::internal(format!("系统随机数不可用：{e}")))?;
    Ok(bytes)
}

/// A new random token, URL-safe.
pub fn new_token() -> Result<String, Error> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, Error> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| Error::Internal(format!("盐值生成失败：{e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("密码哈希失败：{e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of nothing anyone knows, checked when the login name is unknown so that a wrong
/// name takes as long as a wrong password.
pub fn dummy_verify(password: &str) {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$yCY0jBTkDGXfbT0CcKNeP1PLa+2Zq6r2tSqqh3xPhaA";
    let _ = verify_password(password, DUMMY);
}

/// A unit head's key pair material: the salt to keep and the public key to publish.
#[derive(Debug, Clone)]
pub struct KeyMaterial {
    pub salt: String,
    pub public_key: String,
}

fn signing_key(password: &str, salt: &str) -> Result<SigningKey, Error> {
    let salt = STANDARD
        .decode(salt)
        .map_err(|_| Error::Internal("签名密钥的盐值已损坏".to_owned()))?;
    let mut seed = [0u8; 32];
    Argon2::default()
        .hash_password_into(password.as_bytes(), &salt, &mut seed)
        .map_err(|e| Error::Internal(format!("签名密钥派生失败：{e}")))?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn new_key_material(password: &str) -> Result<KeyMaterial, Error> {
    let salt = STANDARD.encode(random_bytes::<16>()?);
    let key = signing_key(password, &salt)?;
    Ok(KeyMaterial {
        public_key: STANDARD.encode(key.verifying_key().to_bytes()),
        salt,
    })
}

/// Signs `message` with the key derived from the password; the result and the public key are
/// base64.
pub fn sign(password: &str, salt: &str, message: &[u8]) -> Result<(String, String), Error> {
    let key = signing_key(password, salt)?;
    Ok((
        STANDARD.encode(key.sign(message).to_bytes()),
        STANDARD.encode(key.verifying_key().to_bytes()),
    ))
}

/// Checks a base64 signature against a base64 public key.
pub fn verify_signature(public_key: &str, signature: &str, message: &[u8]) -> bool {
    let Ok(key) = STANDARD.decode(public_key) else {
        return false;
    };
    let Ok(signature) = STANDARD.decode(signature) else {
        return false;
    };
    let (Ok(key), Ok(signature)) = (
        <[u8; 32]>::try_from(key.as_slice()),
        <[u8; 64]>::try_from(signature.as_slice()),
    ) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&key) else {
        return false;
    };
    key.verify(message, &ed25519_dalek::Signature::from_bytes(&signature))
        .is_ok()
}

/// Compares tokens in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Runs argon2 work (a password check, a hash, a key derivation: tens of milliseconds of CPU
/// each) on the blocking pool, so that a login never holds up the requests of other people.
pub async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::internal(format!("后台计算中断：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("正确的密码").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("正确的密码", &hash));
        assert!(!verify_password("错误的密码", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn a_signature_needs_the_password_and_the_same_text() {
        let material = new_key_material("负责人密码").expect("key");
        let (signature, public) = sign("负责人密码", &material.salt, b"text").expect("sign");
        assert_eq!(public, material.public_key);
        assert!(verify_signature(&public, &signature, b"text"));
        assert!(!verify_signature(&public, &signature, b"text!"));
        let (_, other) = sign("别的密码", &material.salt, b"text").expect("sign");
        assert_ne!(other, material.public_key);
        assert!(!verify_signature("garbage", &signature, b"text"));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("a", "ab"));
    }
}
