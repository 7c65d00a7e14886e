-- Retention (quiesce.retention.*, dev.quiesce.retention) and a jobs table tuned for a queue, PostgreSQL flavour.
-- Keep in step with ../h2/V4__retention.sql: same tables and indexes, same meaning (the storage settings below are
-- PostgreSQL's alone).

-- The retention sweep deletes finished jobs one state at a time, oldest first, in batches:
--   WHERE state = 'SUCCEEDED' AND finished_at < <cutoff> ORDER BY finished_at LIMIT n FOR UPDATE SKIP LOCKED.
-- Partial over finished rows, so it costs nothing when a job is enqueued, claimed, retried or heartbeated: its one
-- cost is one more index entry written when a job reaches a terminal state (the settle UPDATE changes state, which
-- other indexes already hold, so it is never a HOT update and writes the new row version into every index whose
-- predicate it meets; this is one more of those). state leads so that each state's sweep is one range scan: with a
-- shorter retention for SUCCEEDED, a finished_at-only index would walk past every retained FAILED row each time.
-- (CREATE INDEX blocks writes to jobs while it builds: about a second per million existing rows here.)
CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED');

-- quiesce_shutdown_reports_total counts every report ever written, and Prometheus expects it never to go down.
-- When the sweep deletes old reports it adds them here, per outcome, in the same transaction, so that
-- COUNT(shutdown_reports) + reports below still only grows.
CREATE TABLE shutdown_reports_pruned (
    outcome varchar(16) PRIMARY KEY,
    reports bigint      NOT NULL DEFAULT 0,
    CONSTRAINT shutdown_reports_pruned_outcome CHECK (outcome IN ('clean', 'leaky', 'overran'))
);
INSERT INTO shutdown_reports_pruned (outcome, reports) VALUES ('clean', 0), ('leaky', 0), ('overran', 0);

-- Storage and autovacuum for a queue. Every job's row is rewritten several times within seconds (enqueue, claim,
-- lease heartbeats, settle) and then deleted by the retention sweep, while most of the table is finished history
-- that never changes. The defaults are made for tables whose live rows mostly stay.
ALTER TABLE jobs SET (
    -- Default 0.2: vacuum once a fifth of the table is dead. With a million rows of history that is 200,000 dead
    -- row versions of claimed and settled jobs, whose index entries (jobs_claim, jobs_running_owner) the claim and
    -- the heartbeat step over until then. 1 % of the table, plus the threshold below, keeps that in the thousands
    -- and each vacuum short; the history is all-visible and its pages are skipped.
    autovacuum_vacuum_scale_factor = 0.01,
    -- Default 50: on a small table (a young install, short retention) a vacuum every 50 dead rows is mostly
    -- overhead; 1,000 is a second of a busy queue.
    autovacuum_vacuum_threshold = 1000,
    -- Default 0.2 (PostgreSQL 13+): also vacuum after inserts, which marks pages all-visible (index-only scans of
    -- the gauges' and the sweep's indexes) and freezes rows early, instead of in one anti-wraparound pass over
    -- the whole history.
    autovacuum_vacuum_insert_scale_factor = 0.01,
    -- Default 0.1: re-analyze after 2 % of the table changed, so the planner's view of how many rows are QUEUED or
    -- RUNNING (a tiny, fast-moving share of the table) stays current.
    autovacuum_analyze_scale_factor = 0.02,
    -- Default 100: leave a tenth of each page free, so that a lease heartbeat (lease_until only, no indexed column)
    -- can write the new row version into the same page as a HOT update, without new index entries. Applies to pages
    -- written from now on.
    fillfactor = 90
);
