package dev.quiesce.shutdown;

import dev.quiesce.testing.MigratedDatabase;

/** The shutdown reports contract on PostgreSQL, in a schema of its own (or skipped loudly without a server). */
class ShutdownReportsPostgresTest extends ShutdownReportsContract {

    @Override
    MigratedDatabase openDatabase() {
        return MigratedDatabase.postgres("shutdown_reports_contract", "the shutdown reports contract");
    }
}
