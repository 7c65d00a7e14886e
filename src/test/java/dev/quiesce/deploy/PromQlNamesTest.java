package dev.quiesce.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The metric-name scanner behind MonitoringNamesIT: what it must find, and everything it must not take for a name. */
class PromQlNamesTest {

    @Test
    void aHistogramQuantileReadsOnlyTheBucketSeries() {
        assertThat(PromQlNames.of("histogram_quantile(0.95, sum by (le, type) (rate("
                + "quiesce_job_duration_seconds_bucket{namespace=\"$namespace\", pod=~\"$pod\"}[$__rate_interval])))"))
                .containsExactly("quiesce_job_duration_seconds_bucket");
    }

    @Test
    void labelListsKeywordsNumbersAndDurationsAreNotNames() {
        assertThat(PromQlNames.of("sum without (instance) (rate(a_total[5m])) / ignoring(reason) group_left"
                + " sum(b_total offset 1h) > bool 0.5e-3 and on(pod) group_right (node) c * 0x1F + Inf"))
                .containsExactly("a_total", "b_total", "c");
    }

    @Test
    void stringsMayHoldBracesCommasQuotesAndWordsWithoutEndingTheMatchers() {
        assertThat(PromQlNames.of("x{path=\"/a{b}(c) or y\", msg='it\\'s, \"q\" z'} unless on(pod) w{re=~`[}]`}"))
                .containsExactly("w", "x");
    }

    @Test
    void namesThatBeginWithAKeywordAreStillNames() {
        assertThat(PromQlNames.of("sum_total + by_pod + offset_seconds - inf_count * max_over_time_x"))
                .containsExactly("by_pod", "inf_count", "max_over_time_x", "offset_seconds", "sum_total");
    }

    @Test
    void subqueriesModifiersCommentsAndGrafanaVariablesAreSkipped() {
        assertThat(PromQlNames.of("deriv(max by (ns) (q{state=\"QUEUED\"})[30m:1m] @ end()) # not_a_metric here\n"
                + " > ${threshold} + $floor - time() + vector(1)"))
                .containsExactly("q");
    }

    @Test
    void aNameGivenAsTheNameLabelCounts() {
        assertThat(PromQlNames.of("count({__name__=\"quiesce_children\", state=\"busy\"}) + up{job='x'}"))
                .containsExactly("quiesce_children", "up");
    }

    @Test
    void anExpressionWithoutMetricsHasNoNames() {
        assertThat(PromQlNames.of("vector(1) + scalar(time()) > bool 2")).isEmpty();
    }

    @Test
    void labelValuesReadsItsSelectorButNotItsLabel() {
        assertThat(PromQlNames.ofGrafanaQuery("label_values(quiesce_jobs_in_flight{namespace=\"$namespace\"}, pod)"))
                .containsExactly("quiesce_jobs_in_flight");
        assertThat(PromQlNames.ofGrafanaQuery("label_values(namespace)")).isEmpty();
        assertThat(PromQlNames.ofGrafanaQuery("metrics(quiesce_.*)")).isEmpty();
        assertThat(PromQlNames.ofGrafanaQuery("query_result(topk(5, sum by (pod) (rate(q_total[5m]))))"))
                .containsExactly("q_total");
        assertThat(PromQlNames.ofGrafanaQuery("sum(up)")).containsExactly("up");
    }

    @Test
    void theAggregationAroundEachReadIsTheClosestEnclosingOne() {
        assertThat(PromQlNames.aggregationsAround(
                "max by (namespace, job) (max_over_time(q[30m])) - min by (namespace, job) (min_over_time(q[30m]))"
                        + " + sum(rate(q[5m])) + q + avg(rate(other[1m])) / count(q) by (x)", "q"))
                .containsExactly("max", "min", "sum", "", "count");
    }
}
