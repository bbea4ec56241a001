-- Which silo's ingestor consumes which partition of a topic, so that every silo can place an account grain next to
-- the consumer of its partition. Each silo rewrites its own rows every second; rows of a silo that died are taken over
-- by the partitions' next consumers.
CREATE TABLE cashback_partition_owners
(
    consumer_group text        NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    -- Orleans' parsable silo address, e.g. 10.0.0.5:11111@118237040
    silo_address   text        NOT NULL,
    updated_at     timestamptz NOT NULL,

    CONSTRAINT pk_cashback_partition_owners PRIMARY KEY (consumer_group, topic, partition),
    CONSTRAINT ck_cashback_partition_owners_partition CHECK (partition >= 0)
);

-- The next offset of a partition as left by a consumer that handed it over while the group refused its final commit
-- (groups may refuse commits while they rebalance). The next consumer starts from here when it is past the committed
-- offset, so no work is repeated. Only ever moves forward.
CREATE TABLE cashback_handover_offsets
(
    consumer_group text        NOT NULL,
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    next_offset    bigint      NOT NULL,
    updated_at     timestamptz NOT NULL,

    CONSTRAINT pk_cashback_handover_offsets PRIMARY KEY (consumer_group, topic, partition),
    CONSTRAINT ck_cashback_handover_offsets_offset CHECK (next_offset >= 0)
);
