package dev.quiesce.shutdown;

/** A configuration that cannot work; start-up fails with this message, which names the properties and the fix. */
public class InvalidConfigurationException extends RuntimeException {

    private final String action;

    public InvalidConfigurationException(String description, String action) {
        super(description + " " + action);
        this.action = action;
    }

    public String description() {
        return getMessage().substring(0, getMessage().length() - action.length() - 1);
    }

    public String action() {
        return action;
    }
}
