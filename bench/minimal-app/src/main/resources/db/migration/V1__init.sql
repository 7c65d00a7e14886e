-- One table, so Flyway runs a migration on a fresh database as Quiesce's does.
CREATE TABLE greeting (id BIGINT PRIMARY KEY, text VARCHAR(100) NOT NULL);
