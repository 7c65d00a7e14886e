-- The operations console (issue 10). Every column is written on a path that already writes the row: the history by
-- the claim and the settlement UPDATEs (bounded by JobHistory.MAX_CHARS), the trace by a failed attempt's settlement,
-- progress and runner by the lease heartbeat; nothing here adds a statement per job.
ALTER TABLE jobs ADD COLUMN progress    double precision;
ALTER TABLE jobs ADD COLUMN runner      varchar(200);
ALTER TABLE jobs ADD COLUMN error_trace text;
ALTER TABLE jobs ADD COLUMN history     varchar(4000);

-- Each instance publishes its status document (the /actuator/quiesce answer) with its heartbeat, and reads back
-- whether it was told to be quiet.
ALTER TABLE workers ADD COLUMN status        text;
ALTER TABLE workers ADD COLUMN quiet_ordered boolean NOT NULL DEFAULT false;

-- Orders for the whole fleet: one row.
CREATE TABLE fleet (
    id         smallint    PRIMARY KEY,
    quiet      boolean     NOT NULL DEFAULT false,
    changed_at timestamptz,
    CONSTRAINT fleet_one_row CHECK (id = 1)
);
INSERT INTO fleet (id, quiet) VALUES (1, false);
