package dev.quiesce.status;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The write operations of {@code /actuator/quiesce}: {@code POST /actuator/quiesce/<word>}. */
enum QuiesceAction {

    /** Stop claiming; running jobs go on, the process stays up. */
    QUIET,
    /** Claim again, and clear a degraded child pool. */
    RESUME;

    private final String word = name().toLowerCase(Locale.ROOT);

    String word() {
        return word;
    }

    static Optional<QuiesceAction> of(String word) {
        return Arrays.stream(values()).filter(action -> action.word.equals(word)).findFirst();
    }

    static List<String> words() {
        return Arrays.stream(values()).map(QuiesceAction::word).toList();
    }
}
