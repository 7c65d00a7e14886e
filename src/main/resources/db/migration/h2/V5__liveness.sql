-- Session-level liveness (issue 9, item 5), H2 flavour. Keep in step with ../postgresql/V5__liveness.sql.
-- The column exists on H2 for the same schema on both databases; it stays NULL there (one instance per file:
-- there is no other instance to rescue, and no advisory lock).
ALTER TABLE workers ADD COLUMN liveness_key INTEGER;
