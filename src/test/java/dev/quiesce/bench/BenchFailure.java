package dev.quiesce.bench;

/** A scenario could not produce a valid figure (the service failed, a job did not succeed, a bound passed). */
final class BenchFailure extends RuntimeException {

    BenchFailure(String message) {
        super(message);
    }

    BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
