-- GET /jobs lists newest first, filtered by state or type: a dashboard polling "the newest QUEUED job" must
-- read one index entry, not sort the whole backlog (on H2 that scan also slowed every claim beside it).
CREATE INDEX jobs_state_newest ON jobs (state, id DESC);
CREATE INDEX jobs_type_newest ON jobs (type, id DESC);
