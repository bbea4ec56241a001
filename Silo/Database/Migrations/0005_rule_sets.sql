-- Versioned cashback rule sets (SPEC §3): every version an operator ever put, kept for audit. The highest version is the
-- one in force; each silo polls max(version) and applies a newer one without a restart. cashback_transactions.rule_set_version
-- names the row that judged each transaction.
CREATE TABLE rule_sets
(
    version    integer     NOT NULL,
    -- The validated document in the admin API's format (GET/PUT /rules).
    document   jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Who put it: the token's subject, or 'seed' for the default rule set shipped with the silo.
    created_by text        NOT NULL,

    CONSTRAINT pk_rule_sets PRIMARY KEY (version),
    CONSTRAINT ck_rule_sets_version CHECK (version >= 1),
    CONSTRAINT ck_rule_sets_document_version CHECK ((document ->> 'version')::integer = version)
);
