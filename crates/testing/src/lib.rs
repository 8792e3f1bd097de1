//! Test support: a database that exists for one test, on either backend.
//!
//! SQLite gets a file in a temporary directory. PostgreSQL gets a new database on the server
//! that `DATABASE_URL` names, dropped when the test finishes. Without `DATABASE_URL` the
//! PostgreSQL variant prints that it was skipped; with `DUBAN_REQUIRE_POSTGRES` set (CI sets
//! it) a missing server is a failure instead, so CI can never skip these tests silently.

use duban_store::DbTarget;
use sqlx::{Connection, Executor, PgConnection};

#[derive(Debug)]
pub enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres { server: String, name: String },
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite(tempfile::tempdir().expect("temp dir"))
    }

    /// A fresh PostgreSQL database, or `None` (with a SKIPPED line) when no server is configured.
    pub async fn postgres() -> Option<TestDb> {
        let Some(server) = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
            assert!(
                std::env::var_os("DUBAN_REQUIRE_POSTGRES").is_none(),
                "DUBAN_REQUIRE_POSTGRES is set but DATABASE_URL is not"
            );
            // Straight to the process's stderr: libtest captures eprintln! of passing tests, and
            // a skip must be seen.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!(
                    "SKIPPED (PostgreSQL): {}: DATABASE_URL is not set\n",
                    current_test()
                )
                .as_bytes(),
            );
            return None;
        };
        let name = format!(
            "duban_test_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock after 1970")
                .as_nanos()
        );
        let mut admin = PgConnection::connect(&server)
            .await
            .expect("connect to DATABASE_URL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        admin.close().await.expect("close admin connection");
        Some(TestDb::Postgres { server, name })
    }

    pub fn target(&self) -> DbTarget {
        match self {
            TestDb::Sqlite(dir) => DbTarget::Sqlite(dir.path().join("duban.db")),
            TestDb::Postgres { server, name } => DbTarget::Postgres(with_database(server, name)),
        }
    }

    /// Drops the PostgreSQL database; the SQLite directory goes with the value.
    pub async fn finish(self) {
        if let TestDb::Postgres { server, name } = self {
            let mut admin = PgConnection::connect(&server)
                .await
                .expect("connect to DATABASE_URL");
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .expect("drop test database");
        }
    }
}

fn current_test() -> String {
    std::thread::current().name().unwrap_or("test").to_owned()
}

/// The server URL with its database path replaced.
pub fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server, String::new()),
    };
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[authority_end..].find('/') {
        Some(i) => &base[..authority_end + i],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}

/// Runs each named async story `fn(&TestDb)` once on SQLite and once on PostgreSQL, as the
/// tests `<story>::sqlite` and `<story>::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {$(
        mod $story {
            #[tokio::test]
            async fn sqlite() {
                let db = $crate::TestDb::sqlite();
                super::$story(&db).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::TestDb::postgres().await else { return };
                super::$story(&db).await;
                db.finish().await;
            }
        }
    )*};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_database_urls_keep_the_server_and_its_options() {
        assert_eq!(
            with_database("postgres://root@localhost:5432/test?sslmode=disable", "d"),
            "postgres://root@localhost:5432/d?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://localhost", "d"),
            "postgres://localhost/d"
        );
    }
}
