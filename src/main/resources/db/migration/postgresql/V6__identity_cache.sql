-- Kept in step with ../h2/V6__identity_cache.sql, which enlarges H2's identity cache for jobs. Nothing to do on
-- PostgreSQL: a sequence writes a WAL record per 32 values inside the inserting transaction (no commit of its
-- own), and a per-session cache would hand out ids out of insertion order across connections, which would break
-- the claim's FIFO order by id.
SELECT 1;
