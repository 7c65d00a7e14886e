package dev.quiesce.api;

/**
 * A job {@link Jobs} refused; nothing was enqueued. The message names the field and what would be valid, as the
 * HTTP API's 400 {@code detail} does: {@code payload.width: must be less than or equal to 10000}.
 */
public class InvalidJobException extends IllegalArgumentException {

    public InvalidJobException(String message) {
        super(message);
    }
}
