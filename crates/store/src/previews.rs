//! Imports previewed in the browser, kept until confirmed or expired (see the migration).

use crate::{Result, Store};

/// A previewed import: the file's name and the sheet read from it, as ledger JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub file: String,
    pub sheet: String,
}

impl Store {
    /// Keeps a preview for `account` until `expires_at` (seconds); previews that expired before
    /// `now` are removed on the way.
    pub async fn keep_preview(
        &self,
        id: &str,
        account: i64,
        preview: &Preview,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM import_previews WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO import_previews (id, account_id, file, sheet, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(account)
        .bind(&preview.file)
        .bind(&preview.sheet)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The preview `id` of `account`, unless it expired (another account's id finds nothing).
    pub async fn preview(&self, id: &str, account: i64, now: i64) -> Result<Option<Preview>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT file, sheet FROM import_previews \
             WHERE id = $1 AND account_id = $2 AND expires_at >= $3",
        )
        .bind(id)
        .bind(account)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(file, sheet)| Preview { file, sheet }))
    }

    /// Forgets a preview (once imported).
    pub async fn drop_preview(&self, id: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM import_previews WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
