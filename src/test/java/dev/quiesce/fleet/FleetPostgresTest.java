package dev.quiesce.fleet;

import dev.quiesce.job.Job;
import dev.quiesce.job.NewJob;
import dev.quiesce.queue.JdbcJobQueue;
import dev.quiesce.queue.JdbcWorkerRegistry;
import dev.quiesce.queue.JobsEnqueued;
import dev.quiesce.queue.TestJobQueues;
import dev.quiesce.testing.MigratedDatabase;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet listener on a real PostgreSQL: an enqueue on one instance wakes another, the listener comes back after
 * its backend is terminated, and the jobs of an instance whose session ends are handed back at once — but never
 * those of a live instance, nor of one that holds no liveness lock.
 */
class FleetPostgresTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final FleetProperties FLEET = new FleetProperties(true, true, Duration.ofMillis(100), Duration.ofSeconds(1));

    private static MigratedDatabase database;
    private final List<Member> members = new ArrayList<>();
    private JdbcTemplate jdbc;

    @BeforeAll
    static void migrate() {
        database = MigratedDatabase.postgres("fleet_test", "the fleet listener");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void empty() {
        jdbc = new JdbcTemplate(database.dataSource());
        jdbc.update("DELETE FROM jobs");
        jdbc.update("DELETE FROM workers");
    }

    @AfterEach
    void stopMembers() {
        members.forEach(Member::stop);
    }

    @Test
    void anEnqueueOnOneInstanceWakesAnotherAtOnce() {
        Member a = start("fleet-a");
        Member b = start("fleet-b");
        int before = b.wakes.size();
        long enqueued = System.nanoTime();
        a.queue.enqueue(NewJob.of("noop", "{}"));

        await("b woken by a's enqueue").atMost(BOUND).until(() -> b.wakes.size() > before);
        System.out.printf("FLEET enqueue on a -> b woken after %.2f ms%n", (b.wakes.get(before) - enqueued) / 1e6);
        assertThat(a.metrics.sent()).as("notifications a sent").isGreaterThanOrEqualTo(1);
    }

    @Test
    void theListenerComesBackAfterItsBackendIsTerminatedAndHearsAgain() {
        Member a = start("fleet-a");
        Member b = start("fleet-b");
        await("b armed").atMost(BOUND).until(() -> armedKey("fleet-b") != null);
        int killed = b.listener.backendPid();

        jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, killed);

        await("b reconnected on another backend").atMost(BOUND)
                .until(() -> b.listener.backendPid() != 0 && b.listener.backendPid() != killed);
        await("b armed again, with its new session's lock").atMost(BOUND)
                .until(() -> armedKey("fleet-b") != null && lockHeld(armedKey("fleet-b")));
        int before = b.wakes.size();
        a.queue.enqueue(NewJob.of("noop", "{}"));
        await("b woken after its reconnection").atMost(BOUND).until(() -> b.wakes.size() > before);
        assertThat(b.metrics.reconnects()).isEqualTo(1);
    }

    @Test
    void aDeadInstancesJobsAreHandedBackAtOnceAndNobodyElses() throws SQLException {
        Member rescuer = start("fleet-rescuer");
        JdbcWorkerRegistry workers = new JdbcWorkerRegistry(JdbcClient.create(jdbc));
        workers.register("fleet-unarmed", "unarmed", "host", 2);
        List<Job> unarmedJobs = claim(rescuer.queue, "fleet-unarmed", 2);
        try (Connection dying = rawConnection()) {
            workers.register("fleet-dying", "dying", "host", 3);
            int key = 424_242;
            try (PreparedStatement lock = dying.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                lock.setInt(1, ListenerSession.LOCK_SPACE);
                lock.setInt(2, key);
                lock.execute();
            }
            jdbc.update("UPDATE workers SET liveness_key = ? WHERE id = 'fleet-dying'", key);
            List<Job> dyingJobs = claim(rescuer.queue, "fleet-dying", 3);

            // Alive, holding its lock: many checks later, its jobs are still its own.
            long aliveUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < aliveUntil) {
                assertThat(ownersOf(dyingJobs)).as("owners of a live instance's jobs").containsOnly("fleet-dying");
                pause(Duration.ofMillis(50));
            }

            long died = System.nanoTime();
            dying.close();
            await("the dead instance's jobs back in the queue").atMost(BOUND).pollInterval(Duration.ofMillis(10))
                    .until(() -> stateOf(dyingJobs).equals(Set.of("QUEUED")));
            System.out.printf("FLEET session ended -> jobs handed back after %d ms%n", (System.nanoTime() - died) / 1_000_000);
            assertThat(jdbc.queryForList("SELECT crashes FROM jobs WHERE id IN (?, ?, ?)", Integer.class,
                    dyingJobs.get(0).id(), dyingJobs.get(1).id(), dyingJobs.get(2).id())).containsOnly(1);
            assertThat(rescuer.metrics.rescues()).isEqualTo(1);
            assertThat(rescuer.metrics.ownerDead()).isEqualTo(3);
        }
        assertThat(ownersOf(unarmedJobs)).as("an instance without a liveness lock is left to the heartbeat")
                .containsOnly("fleet-unarmed");
    }

    @Test
    void aLiveInstanceWhoseListenerConnectionDropsKeepsItsJobs() {
        Member rescuer = start("fleet-rescuer");
        Member live = start("fleet-live");
        await("live armed").atMost(BOUND).until(() -> armedKey("fleet-live") != null);
        List<Job> jobs = claim(live.queue, "fleet-live", 2);
        pause(Duration.ofMillis(500)); // the rescuer sees the live instance's lock held

        int killed = live.listener.backendPid();
        jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, killed);
        await("live reconnected and armed again").atMost(BOUND)
                .until(() -> live.listener.backendPid() != killed && armedKey("fleet-live") != null);
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < until) {
            assertThat(ownersOf(jobs)).as("owners of the live instance's jobs").containsOnly("fleet-live");
            pause(Duration.ofMillis(50));
        }
        assertThat(rescuer.metrics.rescues()).isZero();
    }

    private Member start(String id) {
        new JdbcWorkerRegistry(JdbcClient.create(jdbc)).register(id, id, "host", 1);
        Member member = new Member(id);
        members.add(member);
        member.start();
        return member;
    }

    private static List<Job> claim(JdbcJobQueue queue, String owner, int count) {
        for (int i = 0; i < count; i++) {
            queue.enqueue(NewJob.of("sleep", "{\"ms\": 1}"));
        }
        List<Job> jobs = queue.claim(owner, count, Set.of("sleep"));
        assertThat(jobs).hasSize(count);
        return jobs;
    }

    private Set<String> ownersOf(List<Job> jobs) {
        return Set.copyOf(jobs.stream().map(job -> String.valueOf(jdbc.queryForObject("SELECT owner FROM jobs WHERE id = ?",
                String.class, job.id()))).toList());
    }

    private Set<String> stateOf(List<Job> jobs) {
        return Set.copyOf(jobs.stream().map(job -> jdbc.queryForObject("SELECT state FROM jobs WHERE id = ?", String.class,
                job.id())).toList());
    }

    private Integer armedKey(String id) {
        return jdbc.queryForObject("SELECT liveness_key FROM workers WHERE id = ?", Integer.class, id);
    }

    private boolean lockHeld(int key) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND classid = ? AND objid = ? AND objsubid = 2)", Boolean.class, ListenerSession.LOCK_SPACE, key));
    }

    /** A connection of its own to the test database (it only takes an advisory lock: the schema does not matter). */
    private static Connection rawConnection() throws SQLException {
        HikariDataSource hikari = (HikariDataSource) database.dataSource();
        return DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One instance's fleet side: its listener and notifier, and a queue whose enqueues it signals. */
    private static final class Member {

        final List<Long> wakes = new CopyOnWriteArrayList<>();
        final TestMetrics metrics = new TestMetrics();
        final JobsNotifier notifier;
        final JdbcJobQueue queue;
        final FleetListener listener;

        Member(String id) {
            JdbcTemplate pool = new JdbcTemplate(database.dataSource());
            notifier = new JobsNotifier(true, pool, metrics.fleet);
            queue = TestJobQueues.jdbc(database.dataSource(), event -> notifier.onEnqueued((JobsEnqueued) event));
            listener = new FleetListener(DedicatedConnections.of(database.dataSource()), id, FLEET, Duration.ofSeconds(6),
                    () -> wakes.add(System.nanoTime()), new OwnerRescue(queue, metrics.fleet), pool, metrics.fleet);
        }

        void start() {
            notifier.start();
            listener.start();
        }

        void stop() {
            listener.stop();
            notifier.stop();
        }
    }

    /** The fleet meters on a registry of their own, read back by name. */
    private static final class TestMetrics {

        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final FleetMetrics fleet = new FleetMetrics(registry);

        double sent() {
            return registry.get("quiesce.fleet.notifications").tag("direction", "sent").counter().count();
        }

        double reconnects() {
            return registry.get("quiesce.fleet.reconnects").counter().count();
        }

        double rescues() {
            return registry.get("quiesce.fleet.rescues").counter().count();
        }

        double ownerDead() {
            return registry.get("quiesce.jobs.reclaimed").tag("reason", "owner_dead").counter().count();
        }
    }
}
