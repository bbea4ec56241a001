-- The audit trail (SPEC §7): one row per processed transaction of an account, whether it earned cashback or not.
-- Written by the account grain in the same unit of work as its balance; the sum of "cashback" per customer equals
-- that account's balance.
CREATE TABLE cashback_transactions
(
    customer_id                    text          NOT NULL,
    transaction_id                 text          NOT NULL,
    type                           text          NOT NULL,
    original_transaction_id        text          NULL,
    amount                         numeric(19,4) NOT NULL,
    currency                       char(3)       NOT NULL,
    merchant_id                    text          NOT NULL,
    -- The instant of purchase, plus the point of sale's UTC offset that timestamptz cannot keep.
    transaction_timestamp          timestamptz   NOT NULL,
    transaction_utc_offset_minutes integer       NOT NULL,
    -- The wall-clock time at the point of sale, the one the Friday rule judged; derived so it can never disagree.
    transaction_local_time         timestamp     GENERATED ALWAYS AS
        ((transaction_timestamp AT TIME ZONE 'UTC') + transaction_utc_offset_minutes * interval '1 minute') STORED,
    eligible                       boolean       NOT NULL,
    cashback                       numeric(19,2) NOT NULL,
    -- Why it earned or not: 'earned', 'merchant_not_eligible', 'duplicate_refund', ...
    reason                         text          NOT NULL,
    rule_id                        text          NULL,
    rule_set_version               integer       NOT NULL,
    balance_after                  numeric(19,2) NOT NULL,
    -- Where the transaction was consumed from; NULL when it did not come through Kafka.
    kafka_topic                    text          NULL,
    kafka_partition                integer       NULL,
    kafka_offset                   bigint        NULL,
    processed_at                   timestamptz   NOT NULL,

    CONSTRAINT pk_cashback_transactions PRIMARY KEY (customer_id, transaction_id),
    CONSTRAINT ck_cashback_transactions_type CHECK (type IN ('purchase', 'refund')),
    CONSTRAINT ck_cashback_transactions_refund_names_purchase
        CHECK (type <> 'refund' OR original_transaction_id IS NOT NULL),
    CONSTRAINT ck_cashback_transactions_amount CHECK (amount > 0),
    CONSTRAINT ck_cashback_transactions_currency CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT ck_cashback_transactions_offset CHECK (transaction_utc_offset_minutes BETWEEN -1080 AND 1080),
    -- Only a refund can take cashback back.
    CONSTRAINT ck_cashback_transactions_cashback_sign CHECK (type = 'refund' OR cashback >= 0),
    CONSTRAINT ck_cashback_transactions_source
        CHECK ((kafka_topic IS NULL) = (kafka_partition IS NULL) AND (kafka_partition IS NULL) = (kafka_offset IS NULL))
);

-- SPEC §7's index, widened by transaction_id so it also serves newest-first keyset paging of
-- GET /accounts/{id}/transactions?before=... (scanned backwards):
--   WHERE customer_id = $1 AND (transaction_timestamp, transaction_id) < ($2, $3)
--   ORDER BY transaction_timestamp DESC, transaction_id DESC LIMIT $4
CREATE INDEX ix_cashback_transactions_customer_timestamp
    ON cashback_transactions (customer_id, transaction_timestamp, transaction_id);
