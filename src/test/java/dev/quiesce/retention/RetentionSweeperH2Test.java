package dev.quiesce.retention;

import dev.quiesce.testing.MigratedDatabase;

/** The retention sweep on an in-memory H2 (the default database of a single instance). */
class RetentionSweeperH2Test extends RetentionSweeperContract {

    @Override
    MigratedDatabase openDatabase() {
        return MigratedDatabase.h2("retention");
    }
}
