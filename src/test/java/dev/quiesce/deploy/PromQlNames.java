package dev.quiesce.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found by a small scanner rather than a full parser: string
 * literals, label matchers ({@code {...}}), ranges and subqueries ({@code [...]}), Grafana variables
 * ({@code $pod}, {@code ${pod}}), numbers and durations, comments, the label lists of {@code by}, {@code without},
 * {@code on}, {@code ignoring}, {@code group_left} and {@code group_right}, keywords, aggregation operators, and
 * identifiers followed by {@code (} (functions) are all skipped; what is left is metric names. A name given as
 * {@code {__name__="..."}} counts too. Grafana's templating functions ({@code label_values} and friends) are
 * understood by {@link #ofGrafanaQuery}.
 */
final class PromQlNames {

    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "atan2", "inf", "nan");
    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");
    private static final Pattern GRAFANA_FUNCTION = Pattern.compile("^\\s*(label_values|label_names|query_result|metrics)\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

    private PromQlNames() {
    }

    /** The metric names {@code promql} reads, sorted. */
    static SortedSet<String> of(String promql) {
        SortedSet<String> names = new TreeSet<>();
        for (Token token : tokens(promql)) {
            if (token.metric()) {
                names.add(token.text());
            }
        }
        return names;
    }

    /**
     * The metric names a Grafana template-variable query reads: {@code label_values(<selector>, <label>)} reads
     * the selector's metric (the label is not a metric), {@code label_values(<label>)} and
     * {@code metrics(<regex>)} read none, {@code query_result(<promql>)} and {@code label_names(<selector>)}
     * read what their argument does; anything else is taken as plain PromQL.
     */
    static SortedSet<String> ofGrafanaQuery(String query) {
        Matcher function = GRAFANA_FUNCTION.matcher(query);
        if (!function.matches()) {
            return of(query);
        }
        List<String> arguments = topLevelArguments(function.group(2));
        return switch (function.group(1)) {
            case "label_values" -> arguments.size() >= 2 ? of(arguments.getFirst()) : new TreeSet<>();
            case "metrics" -> new TreeSet<>();
            default -> arguments.isEmpty() ? new TreeSet<>() : of(arguments.getFirst());
        };
    }

    /**
     * For each place {@code promql} reads {@code metric}, the aggregation operator closest around it (for
     * {@code max by (x) (rate(m[5m]))}: {@code max}), or {@code ""} where none is: the checks that fleet-wide
     * series are never summed use it.
     */
    static List<String> aggregationsAround(String promql, String metric) {
        List<Token> tokens = tokens(promql);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).metric() && tokens.get(i).text().equals(metric)) {
                found.add(enclosingAggregation(tokens, i));
            }
        }
        return found;
    }

    private static String enclosingAggregation(List<Token> tokens, int from) {
        int depth = 0;
        for (int i = from - 1; i >= 0; i--) {
            String text = tokens.get(i).text();
            if (text.equals(")")) {
                depth++;
            } else if (text.equals("(") && depth > 0) {
                depth--;
            } else if (text.equals("(")) {
                // An opening parenthesis around the metric: what precedes it says whose it is.
                int before = i - 1;
                if (before >= 0 && tokens.get(before).text().equals(")")) {
                    before = skipLabelList(tokens, before);
                }
                if (before >= 0 && AGGREGATIONS.contains(tokens.get(before).text().toLowerCase(Locale.ROOT))) {
                    return tokens.get(before).text().toLowerCase(Locale.ROOT);
                }
            }
        }
        return "";
    }

    /** From the ")" closing {@code by (...)} (or {@code without}), the index of the token before the keyword. */
    private static int skipLabelList(List<Token> tokens, int closing) {
        int open = closing;
        while (open >= 0 && !tokens.get(open).text().equals("(")) {
            open--;
        }
        int keyword = open - 1;
        if (keyword >= 0 && LABEL_LIST_KEYWORDS.contains(tokens.get(keyword).text().toLowerCase(Locale.ROOT))) {
            return keyword - 1;
        }
        return closing;
    }

    /**
     * Identifiers (metric or not) and parentheses, in order; everything a metric name cannot be hides inside a
     * skipped span. A label list after {@code by} and the like is skipped with its parentheses, so that the
     * parentheses left always belong to function calls, aggregations and grouping.
     */
    private static List<Token> tokens(String promql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = promql.length();
        while (i < n) {
            char c = promql.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(promql, i);
            } else if (c == '#') {
                while (i < n && promql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '{') {
                int end = skipBalanced(promql, i, '{', '}');
                Matcher name = NAME_MATCHER.matcher(promql.substring(i, end));
                while (name.find()) {
                    tokens.add(new Token(name.group(1) != null ? name.group(1) : name.group(2), true));
                }
                i = end;
            } else if (c == '[') {
                i = skipBalanced(promql, i, '[', ']');
            } else if (c == '$') {
                i++;
                if (i < n && promql.charAt(i) == '{') {
                    i = skipBalanced(promql, i, '{', '}');
                } else {
                    while (i < n && isIdentifierPart(promql.charAt(i))) {
                        i++;
                    }
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(promql.charAt(i + 1)))) {
                i = skipNumber(promql, i);
            } else if (isIdentifierStart(c)) {
                int start = i;
                while (i < n && isIdentifierPart(promql.charAt(i))) {
                    i++;
                }
                String word = promql.substring(start, i);
                String lower = word.toLowerCase(Locale.ROOT);
                int next = skipSpace(promql, i);
                boolean call = next < n && promql.charAt(next) == '(';
                if (LABEL_LIST_KEYWORDS.contains(lower)) {
                    tokens.add(new Token(lower, false));
                    if (call) {
                        // by (le, type): label names, not metrics. Kept as "(" ")" so grouping can be walked.
                        tokens.add(new Token("(", false));
                        tokens.add(new Token(")", false));
                        i = skipBalanced(promql, next, '(', ')');
                    }
                } else {
                    boolean metric = !call && !KEYWORDS.contains(lower) && !AGGREGATIONS.contains(lower);
                    tokens.add(new Token(word, metric));
                }
            } else if (c == '(' || c == ')') {
                tokens.add(new Token(String.valueOf(c), false));
                i++;
            } else {
                i++;
            }
        }
        return tokens;
    }

    private static List<String> topLevelArguments(String arguments) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(arguments, i) - 1;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(arguments.substring(start, i).strip());
                start = i + 1;
            }
        }
        String last = arguments.substring(start).strip();
        if (!last.isEmpty()) {
            parts.add(last);
        }
        return parts;
    }

    /** The index just past the string literal opening at {@code start} (backslash escapes, but not in `raw`). */
    private static int skipString(String s, int start) {
        char quote = s.charAt(start);
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    /** The index just past the {@code close} that matches the {@code open} at {@code start}, strings skipped. */
    private static int skipBalanced(String s, int start, char open, char close) {
        int depth = 0;
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** Numbers and durations: 0.95, 1e-3, 0x1F, 5m, 1h30m. */
    private static int skipNumber(String s, int start) {
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean exponentSign = (c == '-' || c == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')
                    && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1));
            if (!Character.isLetterOrDigit(c) && c != '.' && c != '_' && !exponentSign) {
                break;
            }
            i++;
        }
        return i;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private record Token(String text, boolean metric) {
    }
}
