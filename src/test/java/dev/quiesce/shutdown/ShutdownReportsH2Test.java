package dev.quiesce.shutdown;

import dev.quiesce.testing.MigratedDatabase;

/** The shutdown reports contract on an in-memory H2 (the default database of a single instance). */
class ShutdownReportsH2Test extends ShutdownReportsContract {

    @Override
    MigratedDatabase openDatabase() {
        return MigratedDatabase.h2("shutdown-reports");
    }
}
