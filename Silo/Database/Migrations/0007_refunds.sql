-- Refunds (SPEC §6) and monthly caps (SPEC §3).
-- cap_period: the calendar month (yyyy-MM, in the rule's time zone) whose per-account cap a credit counted against,
-- or whose cap room a reversal gave back; for a purchase that hit the cap, the month that was full. NULL when no
-- capped rule was involved. A reversal finds it here when its purchase is older than the account's recent window.
ALTER TABLE cashback_transactions ADD COLUMN cap_period text NULL;

ALTER TABLE cashback_transactions
    ADD CONSTRAINT ck_cashback_transactions_cap_period CHECK (cap_period ~ '^[0-9]{4}-[0-9]{2}$');

-- A refund is never eligible itself: it can only take cashback back.
ALTER TABLE cashback_transactions
    ADD CONSTRAINT ck_cashback_transactions_refund_only_reverses CHECK (type = 'purchase' OR cashback <= 0);

-- What the refunds of one purchase reversed so far:
--   WHERE customer_id = $1 AND type = 'refund' AND original_transaction_id = $2
CREATE INDEX ix_cashback_transactions_refunds
    ON cashback_transactions (customer_id, original_transaction_id)
    WHERE type = 'refund';
