package dev.quiesce.status;

import dev.quiesce.child.ChildPool;
import dev.quiesce.dispatch.JobDispatcher;
import dev.quiesce.instance.InstanceIdentity;
import dev.quiesce.queue.Fleet;
import dev.quiesce.queue.WorkerRegistry.InstanceState;
import org.junit.jupiter.api.Test;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** How an instance follows the quiet orders it reads back with each heartbeat (pure logic, the dispatcher mocked). */
class InstanceOrdersTest {

    private final JobDispatcher dispatcher = mock(JobDispatcher.class);
    private final ChildPool pool = mock(ChildPool.class);
    private final Fleet fleet = mock(Fleet.class);
    private final InstanceOrders orders = new InstanceOrders(new InstanceIdentity("i-1", "a", "host", 1), dispatcher, pool, fleet);

    @Test
    void anOrderReadBeforeTheDispatcherStartsMakesItStartQuiet() {
        when(dispatcher.isRunning()).thenReturn(false);

        orders.follow(true);

        verify(dispatcher).startQuiet();
        verify(dispatcher, never()).quiet();
    }

    @Test
    void aRunningInstanceGoesQuietAndResumesOnlyWhenTheOrderIsLifted() {
        when(dispatcher.isRunning()).thenReturn(true);
        when(dispatcher.state()).thenReturn(InstanceState.RUNNING);
        orders.follow(false);
        verify(dispatcher, never()).quiet();

        orders.follow(true);
        verify(dispatcher).quiet();

        when(dispatcher.state()).thenReturn(InstanceState.QUIET);
        orders.follow(true);
        verify(dispatcher, never()).resume();
        orders.follow(false);
        verify(dispatcher).resume();
        verify(pool).resume();
    }

    @Test
    void aQuietNoOrderAskedForIsNotUndone() {
        when(dispatcher.isRunning()).thenReturn(true);
        when(dispatcher.state()).thenReturn(InstanceState.QUIET);

        orders.follow(false);

        verify(dispatcher, never()).resume();
    }

    @Test
    void aLocalQuietOrResumeIsRecordedAsTheInstancesOwnOrder() {
        orders.ordered(true);
        verify(fleet).orderInstance("i-1", true);
        when(fleet.orderInstance("i-1", false)).thenThrow(new IllegalStateException("database down"));
        orders.ordered(false);
    }
}
