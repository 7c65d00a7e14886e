package dev.quiesce.job;

/** Thrown by a handler when retrying cannot help (bad input, say): the job goes straight to FAILED. */
public class NonRetryableJobException extends RuntimeException {
    public NonRetryableJobException(String message) {
        super(message);
    }
}
