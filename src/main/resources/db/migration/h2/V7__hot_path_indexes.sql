-- Kept in step with ../postgresql/V7__hot_path_indexes.sql, which narrows two indexes of jobs to partial ones so
-- that claims and settles write fewer index entries. H2 has no partial indexes, and its claim and settle cost is
-- not bound by index entries (the embedded store writes pages, not WAL records per entry): nothing to do here.
SELECT 1;
