package dev.quiesce.api;

/** Thrown by a handler when retrying cannot help (bad input, say): the job goes straight to FAILED. */
public class NonRetryableJobException extends RuntimeException {

    public NonRetryableJobException(String message) {
        super(message);
    }

    public NonRetryableJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
