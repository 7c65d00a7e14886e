-- Retention (quiesce.retention.*, dev.quiesce.retention), H2 flavour.
-- Keep in step with ../postgresql/V4__retention.sql: same tables and indexes, same meaning. (H2 has no partial
-- indexes and no autovacuum: its MVStore compacts by itself.)

-- The retention sweep deletes finished jobs oldest first, in batches. Without partial indexes every row has an
-- entry; H2 rewrites an index entry only when one of the index's columns changes, so finished_at alone (not
-- state, finished_at as on PostgreSQL) costs one entry per enqueue (finished_at NULL) and one rewrite when the job
-- finishes, and nothing at claim, heartbeat or retry. The sweep filters the state on the row.
CREATE INDEX jobs_finished ON jobs (finished_at);

-- quiesce_shutdown_reports_total counts every report ever written, and Prometheus expects it never to go down.
-- When the sweep deletes old reports it adds them here, per outcome, in the same transaction, so that
-- COUNT(shutdown_reports) + reports below still only grows.
CREATE TABLE shutdown_reports_pruned (
    outcome CHARACTER VARYING(16) PRIMARY KEY,
    reports BIGINT                NOT NULL DEFAULT 0,
    CONSTRAINT shutdown_reports_pruned_outcome CHECK (outcome IN ('clean', 'leaky', 'overran'))
);
INSERT INTO shutdown_reports_pruned (outcome, reports) VALUES ('clean', 0), ('leaky', 0), ('overran', 0);
