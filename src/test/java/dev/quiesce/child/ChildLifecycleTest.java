package dev.quiesce.child;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A child's life as the pool sees it: which transitions are legal, and how each ending counts. Pure logic. */
class ChildLifecycleTest {

    private final ChildLifecycle child = new ChildLifecycle();

    @Test
    void aNewChildIsStartingCountsTowardTheSizeAndBecomesIdleOnItsHello() {
        assertThat(child.state()).isEqualTo(ChildState.STARTING);
        assertThat(child.countsTowardSize()).isTrue();

        assertThat(child.ready()).isTrue();

        assertThat(child.state()).isEqualTo(ChildState.IDLE);
    }

    @Test
    void aStartingChildCannotTakeATask() {
        assertThatIllegalStateException().isThrownBy(() -> child.assign(task(1))).withMessageContaining("starting");
    }

    @Test
    void anIdleChildTakesATaskAndIsIdleAgainWhenItsTaskEnds() {
        child.ready();
        TaskRun run = task(1);

        child.assign(run);
        assertThat(child.state()).isEqualTo(ChildState.BUSY);

        assertThat(child.taskEnded()).isSameAs(run);
        assertThat(child.state()).isEqualTo(ChildState.IDLE);
    }

    @Test
    void aBusyChildCannotTakeASecondTask() {
        child.ready();
        child.assign(task(1));

        assertThatIllegalStateException().isThrownBy(() -> child.assign(task(2))).withMessageContaining("busy with job 1");
        assertThat(child.taskEnded().jobId()).isEqualTo(1);
    }

    @Test
    void aHelloThatArrivesAfterThePoolBeganStoppingChangesNothing() {
        child.retireForStop();

        assertThat(child.ready()).isFalse();

        assertThat(child.state()).isEqualTo(ChildState.RETIRING);
        assertThat(child.countsTowardSize()).isFalse();
    }

    @Test
    void aRepeatedHelloChangesNothing() {
        child.ready();
        child.assign(task(1));

        assertThat(child.ready()).isFalse();

        assertThat(child.state()).isEqualTo(ChildState.BUSY);
    }

    @Test
    void aResultNobodyAskedForEndsNoTaskAndLeavesTheChildAsItWas() {
        assertThat(child.taskEnded()).isNull();
        assertThat(child.state()).isEqualTo(ChildState.STARTING);

        child.ready();
        assertThat(child.taskEnded()).isNull();
        assertThat(child.state()).isEqualTo(ChildState.IDLE);
    }

    @Test
    void aChildThePoolStopsWhileBusyStaysRetiringWhenItsTaskEnds() {
        child.ready();
        TaskRun run = task(1);
        child.assign(run);

        child.retireForStop();

        assertThat(child.taskEnded()).isSameAs(run);
        assertThat(child.state()).isEqualTo(ChildState.RETIRING);
    }

    @Test
    void aSpentChildRetiresOnlyOnceItsReplacementIsReady() {
        child.ready();
        child.markDue();
        assertThat(child.awaitsReplacement()).isTrue();
        assertThat(child.countsTowardSize()).isFalse();
        assertThat(child.mayRetire()).isFalse();
        assertThatIllegalStateException().isThrownBy(child::retire).withMessageContaining("idle, due");

        child.replacementReady();
        assertThat(child.awaitsReplacement()).isFalse();
        assertThat(child.mayRetire()).isTrue();
        child.retire();

        assertThat(child.state()).isEqualTo(ChildState.RETIRING);
    }

    @Test
    void aDueChildBusyWhenItsReplacementIsReadyRetiresOnlyAfterItsTask() {
        child.ready();
        child.markDue();
        child.assign(task(1));

        child.replacementReady();
        assertThat(child.mayRetire()).isFalse();
        assertThatIllegalStateException().isThrownBy(child::retire);

        child.taskEnded();
        assertThat(child.mayRetire()).isTrue();
    }

    @Test
    void aChildIsNotMarkedDueTwiceNorWhileBusy() {
        child.ready();
        child.markDue();
        assertThatIllegalStateException().isThrownBy(child::markDue);

        ChildLifecycle busy = new ChildLifecycle();
        busy.ready();
        busy.assign(task(1));
        assertThatIllegalStateException().isThrownBy(busy::markDue);
    }

    @Test
    void onlyAChildAwaitingAReplacementCanGetOne() {
        child.ready();
        assertThatIllegalStateException().isThrownBy(child::replacementReady);

        child.markDue();
        child.replacementReady();
        assertThatIllegalStateException().isThrownBy(child::replacementReady);
    }

    @Test
    void anIdleChildCannotRetireWithoutBeingDue() {
        child.ready();

        assertThatIllegalStateException().isThrownBy(child::retire);
        assertThat(child.state()).isEqualTo(ChildState.IDLE);
    }

    @Test
    void aRetiredChildThatExitsWithZeroEndedGracefullyAndIsReplacedAsARecycle() {
        retired();

        ChildLifecycle.Ending ending = child.exited(0);

        assertThat(ending.how()).isEqualTo(ChildExit.GRACEFUL);
        assertThat(ending.replacement()).isEqualTo(StartReason.RECYCLE);
        assertThat(child.state()).isEqualTo(ChildState.EXITED);
    }

    @Test
    void aRetiredChildThatExitsWithAnErrorCrashedWhileRetiring() {
        retired();

        ChildLifecycle.Ending ending = child.exited(1);

        assertThat(ending.how()).isEqualTo(ChildExit.CRASHED);
        assertThat(ending.replacement()).isEqualTo(StartReason.CRASH);
        assertThat(ending.doing()).isEqualTo("retiring");
    }

    @Test
    void anIdleChildThatExitsEvenWithZeroCrashed() {
        child.ready();

        ChildLifecycle.Ending ending = child.exited(0);

        assertThat(ending.how()).isEqualTo(ChildExit.CRASHED);
        assertThat(ending.doing()).isEqualTo("idle");
    }

    @Test
    void aChildThatBrokeTheProtocolCrashedEvenIfItWasRetiringAndExitedWithZero() {
        retired();
        child.broke("protocol error from child pid 7: bad frame");

        ChildLifecycle.Ending ending = child.exited(0);

        assertThat(ending.how()).isEqualTo(ChildExit.CRASHED);
        assertThat(ending.failure()).isEqualTo("protocol error from child pid 7: bad frame");
        assertThatIllegalStateException().isThrownBy(() -> child.broke("again"));
    }

    @Test
    void aChildThatExitsWhileBusyHandsBackItsTask() {
        child.ready();
        TaskRun run = task(1);
        child.assign(run);

        ChildLifecycle.Ending ending = child.exited(137);

        assertThat(ending.task()).isSameAs(run);
        assertThat(ending.doing()).isEqualTo("busy");
    }

    @Test
    void aChildThePoolKilledCountsAsKilledAndTheFirstKillNamesItsReplacement() {
        child.ready();
        child.assign(task(1));

        child.markKilled(StartReason.TIMEOUT);
        child.markKilled(StartReason.CRASH);
        ChildLifecycle.Ending ending = child.exited(137);

        assertThat(ending.how()).isEqualTo(ChildExit.KILLED);
        assertThat(ending.replacement()).isEqualTo(StartReason.TIMEOUT);
    }

    @Test
    void aKillThatArrivesAfterTheExitChangesNothing() {
        child.ready();
        child.exited(0);

        child.markKilled(StartReason.TIMEOUT);

        assertThat(child.state()).isEqualTo(ChildState.EXITED);
    }

    @Test
    void anExitedChildTakesNoFurtherTransition() {
        child.ready();
        child.exited(0);

        assertThatIllegalStateException().isThrownBy(child::ready).withMessageContaining("exited");
        assertThatIllegalStateException().isThrownBy(child::taskEnded);
        assertThatIllegalStateException().isThrownBy(() -> child.assign(task(1)));
        assertThatIllegalStateException().isThrownBy(child::retireForStop);
        assertThatIllegalStateException().isThrownBy(() -> child.broke("late"));
        assertThatIllegalStateException().isThrownBy(() -> child.exited(0));
    }

    private void retired() {
        child.ready();
        child.markDue();
        child.replacementReady();
        child.retire();
    }

    private static TaskRun task(long jobId) {
        // The lifecycle only holds the run: no child process and no task runner behind it.
        return new TaskRun(new ChildTaskRequest(jobId, 1, "noop", "{}"), null, outcome -> { }, null);
    }
}
