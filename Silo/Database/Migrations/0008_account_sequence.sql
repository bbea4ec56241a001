-- The audit table becomes the accounts' journal: the grain commits a transaction by writing its audit row, and saves its
-- Orleans state only as a snapshot every few transactions and when it deactivates. account_sequence numbers an
-- account's rows 1, 2, 3, ... (the value of transactionsProcessed right after the row), so a reactivated grain replays
-- the rows its snapshot has not seen yet:
--   WHERE customer_id = $1 AND account_sequence > $2 ORDER BY account_sequence
-- Rows written before this migration have NULL here: their snapshots had already counted them.
ALTER TABLE cashback_transactions ADD COLUMN account_sequence bigint NULL;

ALTER TABLE cashback_transactions
    ADD CONSTRAINT ck_cashback_transactions_account_sequence CHECK (account_sequence > 0);
