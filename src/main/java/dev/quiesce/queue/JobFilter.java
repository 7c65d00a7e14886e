package dev.quiesce.queue;

import dev.quiesce.api.JobState;

/**
 * Which jobs a page or a bulk action is about; a null field matches every job.
 *
 * @param state          only jobs in this state
 * @param type           only jobs of this type
 * @param idempotencyKey only the job with this key
 * @param errorText      only jobs whose last error contains this text (case-sensitive)
 */
public record JobFilter(JobState state, String type, String idempotencyKey, String errorText) {

    public static final JobFilter ALL = new JobFilter(null, null, null, null);

    public JobFilter {
        type = blankToNull(type);
        idempotencyKey = blankToNull(idempotencyKey);
        errorText = blankToNull(errorText);
    }

    public static JobFilter state(JobState state) {
        return new JobFilter(state, null, null, null);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
