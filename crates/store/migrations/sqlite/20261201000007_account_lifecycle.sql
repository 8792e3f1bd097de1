-- An account the office has disabled keeps its history but cannot log in (its sessions end).
ALTER TABLE accounts ADD COLUMN disabled_at TEXT;

-- A unit head's earlier public keys: the signing key follows the password, and a report signed
-- before a password change must still verify against the key it was signed with.
CREATE TABLE account_keys (
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    public_key  TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    PRIMARY KEY (account_id, public_key)
);
