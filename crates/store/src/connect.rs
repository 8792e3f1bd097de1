//! Opening a database: choosing the backend, creating and migrating it, and refusing anything
//! that is not a duban database before a single row is written.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection, Executor};

use crate::{Backend, Result, Store, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// SQLite's result code for "file is not a database".
const SQLITE_NOTADB: &str = "26";

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// A SQLite file (the embedded default).
    Sqlite(PathBuf),
    /// A PostgreSQL server, by URL.
    Postgres(String),
}

impl DbTarget {
    /// `DATABASE_URL` wins over the file path when it is set and not empty.
    pub fn choose(database_url: Option<&str>, path: &Path) -> Result<DbTarget> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(DbTarget::Sqlite(path.to_path_buf())),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(DbTarget::Postgres(url.to_owned()))
            }
            Some(url) => match url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
            {
                Some(file) if !file.is_empty() && !file.contains('?') => {
                    Ok(DbTarget::Sqlite(PathBuf::from(file)))
                }
                _ => Err(StoreError::UnsupportedUrl(redact(url))),
            },
        }
    }

    /// How the target is named in messages: never with a password.
    pub fn describe(&self) -> String {
        match self {
            DbTarget::Sqlite(path) => path.display().to_string(),
            DbTarget::Postgres(url) => redact(url),
        }
    }
}

/// What `init` found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitOutcome {
    Created,
    /// The database was already a duban database; pending migrations (if any) were applied.
    AlreadyInitialized,
}

enum Identity {
    Empty,
    Duban,
    Foreign(Vec<String>),
}

impl Store {
    /// Creates the database (a new SQLite file, or the schema in an empty PostgreSQL database)
    /// and brings it to the current schema. Refuses a database that holds other applications'
    /// tables.
    pub async fn init(target: &DbTarget) -> Result<(Store, InitOutcome)> {
        let store = connect(target, true).await?;
        let outcome = match store.identity().await? {
            Identity::Empty => InitOutcome::Created,
            Identity::Duban => InitOutcome::AlreadyInitialized,
            Identity::Foreign(tables) => return Err(store.not_duban(&tables)),
        };
        store.migrate().await?;
        Ok((store, outcome))
    }

    /// Opens an existing duban database and applies pending migrations.
    pub async fn open(target: &DbTarget) -> Result<Store> {
        if let DbTarget::Sqlite(path) = target
            && !path.exists()
        {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        let store = connect(target, false).await?;
        match store.identity().await? {
            Identity::Duban => {}
            Identity::Empty => {
                return Err(StoreError::NotInitialized {
                    target: store.target.clone(),
                });
            }
            Identity::Foreign(tables) => return Err(store.not_duban(&tables)),
        }
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    async fn identity(&self) -> Result<Identity> {
        let tables_sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() ORDER BY table_name"
            }
        };
        let tables: Vec<(String,)> = sqlx::query_as(tables_sql)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.classify(e))?;
        let tables: Vec<String> = tables.into_iter().map(|(t,)| t).collect();
        let own = |t: &String| t == "duban_meta" || t == "_sqlx_migrations";
        if tables.is_empty() {
            return Ok(Identity::Empty);
        }
        if !tables.iter().any(|t| t == "duban_meta") {
            // A half-finished first migration leaves only sqlx's bookkeeping table.
            if tables.iter().all(own) {
                return Ok(Identity::Empty);
            }
            return Ok(Identity::Foreign(tables));
        }
        let marker: Option<(String,)> =
            sqlx::query_as("SELECT value FROM duban_meta WHERE key = 'application'")
                .fetch_optional(&self.pool)
                .await?;
        match marker {
            Some((value,)) if value == "duban" => Ok(Identity::Duban),
            _ => Ok(Identity::Foreign(tables)),
        }
    }

    fn not_duban(&self, tables: &[String]) -> StoreError {
        let shown: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
        StoreError::NotDuban {
            target: self.target.clone(),
            detail: format!("：其中已有其他数据表（{}）", shown.join("、")),
        }
    }

    /// SQLite opens any file lazily and only complains at the first query.
    fn classify(&self, error: sqlx::Error) -> StoreError {
        classify(error, self.backend, &self.target)
    }
}

fn classify(error: sqlx::Error, backend: Backend, target: &str) -> StoreError {
    if backend == Backend::Sqlite
        && let sqlx::Error::Database(db) = &error
        && db.code().as_deref() == Some(SQLITE_NOTADB)
    {
        return StoreError::NotDuban {
            target: target.to_owned(),
            detail: "：文件不是 SQLite 数据库".to_owned(),
        };
    }
    StoreError::Database(error)
}

async fn connect(target: &DbTarget, create: bool) -> Result<Store> {
    install_default_drivers();
    let description = target.describe();
    let (options, backend) = match target {
        DbTarget::Sqlite(path) => {
            refuse_non_sqlite_file(path, &description)?;
            let sqlite = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(create);
            let url = sqlite.to_url_lossy();
            (AnyConnectOptions::from_url(&url)?, Backend::Sqlite)
        }
        DbTarget::Postgres(url) => {
            let options: AnyConnectOptions =
                url.parse().map_err(|e: sqlx::Error| StoreError::Connect {
                    target: description.clone(),
                    message: first_line(&e.to_string()),
                })?;
            // The pool retries refused connections until its timeout and then reports only the
            // timeout; one direct attempt first gives the real reason at once.
            let probe =
                AnyConnection::connect_with(&options)
                    .await
                    .map_err(|e| StoreError::Connect {
                        target: description.clone(),
                        message: first_line(&e.to_string()),
                    })?;
            probe.close().await?;
            (options, Backend::Postgres)
        }
    };
    let pool_options = AnyPoolOptions::new()
        // A wrong host should fail while the user waits, not after the default 30 s.
        .acquire_timeout(Duration::from_secs(8))
        .max_connections(match backend {
            // One writer at a time is all SQLite allows; more connections only add lock waits.
            Backend::Sqlite => 4,
            Backend::Postgres => 10,
        })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                    )
                    .await?;
                } else {
                    // The same statement serves a 20-task ledger and a 10,000-task one: a generic
                    // plan, cached after five runs, can join them in the worst order (seconds
                    // instead of milliseconds). Planning each time costs well under a millisecond.
                    // No JIT: a page's statements read a few hundred rows by index, but a
                    // large ledger's row estimates pass the JIT's cost threshold, and compiling
                    // took 50–400 ms of a 10 ms query.
                    conn.execute("SET plan_cache_mode = force_custom_plan; SET jit = off")
                        .await?;
                }
                Ok(())
            })
        });
    let pool = pool_options.connect_with(options).await.map_err(|e| {
        match classify(e, backend, &description) {
            StoreError::Database(e) => StoreError::Connect {
                target: description.clone(),
                message: first_line(&e.to_string()),
            },
            other => other,
        }
    })?;
    Ok(Store {
        pool,
        backend,
        target: description,
    })
}

/// SQLite would open any file and fail only in the first statement, which the pool retries until
/// it times out; reading the 16-byte header names the problem at once and never touches the file.
fn refuse_non_sqlite_file(path: &Path, description: &str) -> Result<()> {
    const HEADER: &[u8; 16] = b"SQLite format 3\0";
    let mut start = [0u8; 16];
    let read = match std::fs::File::open(path) {
        Ok(mut file) => {
            std::io::Read::read(&mut file, &mut start).map_err(|e| StoreError::Connect {
                target: description.to_owned(),
                message: e.to_string(),
            })?
        }
        // Missing files are handled by the callers (created by init, refused by open).
        Err(_) => return Ok(()),
    };
    if read == 0 || (read == HEADER.len() && start == *HEADER) {
        return Ok(());
    }
    Err(StoreError::NotDuban {
        target: description.to_owned(),
        detail: "：文件不是 SQLite 数据库".to_owned(),
    })
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

/// Replaces the password of a URL with `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let masked = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://duban:s3cret@db.example:5432/duban?sslmode=require"),
            "postgres://duban:***@db.example:5432/duban?sslmode=require"
        );
        assert_eq!(
            redact("postgres://root@localhost/test"),
            "postgres://root@localhost/test"
        );
        assert_eq!(
            redact("postgres://localhost/test"),
            "postgres://localhost/test"
        );
    }

    #[test]
    fn database_url_overrides_the_file() {
        let path = Path::new("duban.db");
        assert_eq!(
            DbTarget::choose(None, path).ok(),
            Some(DbTarget::Sqlite(path.into()))
        );
        assert_eq!(
            DbTarget::choose(Some(" "), path).ok(),
            Some(DbTarget::Sqlite(path.into()))
        );
        assert_eq!(
            DbTarget::choose(Some("postgresql://h/db"), path).ok(),
            Some(DbTarget::Postgres("postgresql://h/db".into()))
        );
        assert_eq!(
            DbTarget::choose(Some("sqlite:other.db"), path).ok(),
            Some(DbTarget::Sqlite("other.db".into()))
        );
        let err = DbTarget::choose(Some("mysql://u:pw@h/db"), path).expect_err("unsupported");
        assert!(err.to_string().contains("mysql://u:***@h/db"), "{err}");
    }
}
