package dev.quiesce.child;

import org.junit.jupiter.api.RepeatedTest;

import java.nio.file.Files;

class TmpReproTest {
    @RepeatedTest(8)
    void pair() throws Exception {
        ChildTerminationTest t = new ChildTerminationTest();
        t.dataDir = Files.createTempDirectory("repro");
        long a = System.nanoTime();
        t.childrenThatIgnoreEverythingButSigkillAreAllKilledInParallelAtTheDeadline();
        t.dataDir = Files.createTempDirectory("repro");
        long b = System.nanoTime();
        System.out.println("REPRO sigkill took " + (b - a) / 1_000_000 + " ms");
        t.aDaemonizedGrandchildOfACrashedChildIsAdoptedKilledAndReaped();
        System.out.println("REPRO daemon took " + (System.nanoTime() - b) / 1_000_000 + " ms");
    }
}
