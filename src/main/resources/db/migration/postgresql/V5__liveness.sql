-- Session-level liveness (issue 9, item 5), PostgreSQL flavour. Keep in step with ../h2/V5__liveness.sql.
--
-- liveness_key: NULL, or the key of the session-level advisory lock pg_advisory_lock(1364543813, liveness_key)
-- that this incarnation holds on its fleet listener connection while it lives (taken before the column is set).
-- When its process dies, PostgreSQL closes the session and frees the lock at once, so the other instances can
-- hand its running jobs back within a second instead of after three heartbeats. NULL: an instance that holds no
-- such lock (H2, quiesce.fleet.listen=false, an older version, or between a lost listener connection and its
-- reconnection): only the heartbeat can declare it dead.
ALTER TABLE workers ADD COLUMN liveness_key integer;
