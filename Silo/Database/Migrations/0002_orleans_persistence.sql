-- Grain state for Orleans' ADO.NET grain storage (invariant "Npgsql").
-- One row per (service, grain type, grain id); "version" is the ETag the provider hands to the grain.
CREATE TABLE orleansstorage
(
    serviceid              varchar(150) NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    grainidextensionstring varchar(512) NULL,
    payloadbinary          bytea        NULL,
    version                integer      NOT NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now()
);

-- Unique, so two activations of one grain (split brain) can never both insert a first version;
-- the hashes lead so look-ups stay narrow. A string-keyed grain has a NULL extension: NULLS NOT DISTINCT (PostgreSQL 15+)
-- makes those collide as they must.
CREATE UNIQUE INDEX ux_orleansstorage_grain
    ON orleansstorage (grainidhash, graintypehash, serviceid, grainidn0, grainidn1, graintypestring, grainidextensionstring)
    NULLS NOT DISTINCT;

-- The provider reads the single column NewGrainStateVersion. Returning no row (or the version it sent) tells it the
-- write lost an optimistic-concurrency race, and it raises InconsistentStateException.
-- With a version: update that exact version. Without one (never written, or deleted): insert version 1 unless a row exists.
INSERT INTO orleansquery (querykey, querytext) VALUES ('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleansstorage
       SET payloadbinary = @PayloadBinary,
           version = version + 1,
           modifiedon = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND grainidhash = @GrainIdHash
       AND graintypehash = @GrainTypeHash
       AND serviceid = @ServiceId
       AND grainidn0 = @GrainIdN0
       AND grainidn1 = @GrainIdN1
       AND graintypestring = @GrainTypeString
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleansstorage
        (serviceid, graintypehash, graintypestring, grainidhash, grainidn0, grainidn1, grainidextensionstring, payloadbinary, version)
    SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS newgrainstateversion FROM updated
UNION ALL
SELECT version FROM inserted;
$sql$);

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadFromStorageKey', $sql$
SELECT payloadbinary, version
  FROM orleansstorage
 WHERE grainidhash = @GrainIdHash
   AND graintypehash = @GrainTypeHash
   AND serviceid = @ServiceId
   AND grainidn0 = @GrainIdN0
   AND grainidn1 = @GrainIdN1
   AND graintypestring = @GrainTypeString
   AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString;
$sql$);

-- ClearStateAsync keeps the row (and bumps the version) unless the provider runs with DeleteStateOnClear.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ClearStorageKey', $sql$
UPDATE orleansstorage
   SET payloadbinary = NULL,
       version = version + 1,
       modifiedon = now()
 WHERE grainidhash = @GrainIdHash
   AND graintypehash = @GrainTypeHash
   AND serviceid = @ServiceId
   AND grainidn0 = @GrainIdN0
   AND grainidn1 = @GrainIdN1
   AND graintypestring = @GrainTypeString
   AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version AS newgrainstateversion;
$sql$);

-- Used when DeleteStateOnClear is on. The provider treats "same version back" as a conflict, hence version + 1.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteStorageKey', $sql$
DELETE FROM orleansstorage
 WHERE grainidhash = @GrainIdHash
   AND graintypehash = @GrainTypeHash
   AND serviceid = @ServiceId
   AND grainidn0 = @GrainIdN0
   AND grainidn1 = @GrainIdN1
   AND graintypestring = @GrainTypeString
   AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
   AND version = @GrainStateVersion
RETURNING version + 1 AS newgrainstateversion;
$sql$);
