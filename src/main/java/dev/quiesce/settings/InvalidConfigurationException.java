package dev.quiesce.settings;

/**
 * A configuration that cannot work. Start-up fails with this message, which names the properties, their values
 * and the fix ({@link InvalidConfigurationFailureAnalyzer}). Thrown by checks that Bean Validation cannot express:
 * several properties together (a heartbeat against its lease, the shutdown budget), or a value against the world
 * (a file that must exist, a directory another instance holds).
 */
public class InvalidConfigurationException extends RuntimeException {

    private final String action;

    /**
     * @param description what is wrong, naming each property and its value
     * @param action      what to set instead, as a sentence
     */
    public InvalidConfigurationException(String description, String action) {
        super(description + " " + action);
        this.action = action;
    }

    public InvalidConfigurationException(String description, String action, Throwable cause) {
        super(description + " " + action, cause);
        this.action = action;
    }

    public String description() {
        return getMessage().substring(0, getMessage().length() - action.length() - 1);
    }

    public String action() {
        return action;
    }
}
