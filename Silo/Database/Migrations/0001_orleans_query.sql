-- Orleans' ADO.NET providers run no SQL of their own: at start-up each one reads the statements it needs from
-- this table by key ("SELECT QueryKey, QueryText FROM OrleansQuery") and binds its parameters by name (@GrainIdHash, ...).
-- Later migrations add the rows for persistence and clustering. Identifiers are unquoted, so PostgreSQL folds them
-- to lower case and the providers' mixed-case names still match.
CREATE TABLE orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT pk_orleansquery PRIMARY KEY (querykey)
);
