package bite.http;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes metrics in the Prometheus text exposition format (version 0.0.4), the body of {@code /metrics}. Each family
 * gets its {@code # HELP} and {@code # TYPE} lines, then its samples. Names are checked against Prometheus' rules
 * (a counter's name ends in {@code _total}), label values and help texts escaped. Built and read by one thread, the
 * one answering the request; {@link #text()} gives the result.
 *
 * <pre>
 *  String body = new PrometheusText()
 *          .gauge("bite_keys", "Keys with a value.", 42)
 *          .counter("bite_commands_total", "Commands applied, by kind.",
 *                  List.of(Sample.of("kind", "s", 10), Sample.of("kind", "g", 7)))
 *          .text();
 * </pre>
 */
public final class PrometheusText {

    /** The {@code Content-Type} of the body. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** One sample of a family: its labels (written in name order) and its value. */
    public record Sample(Map<String, String> labels, double value) {

        public Sample {
            labels = Map.copyOf(labels);
        }

        public static Sample of(double value) {
            return new Sample(Map.of(), value);
        }

        public static Sample of(String label, String labelValue, double value) {
            return new Sample(Map.of(label, labelValue), value);
        }
    }

    private final StringBuilder out = new StringBuilder(1024);
    private final Set<String> families = new HashSet<>();

    /** A counter without labels. */
    public PrometheusText counter(String name, String help, double value) {
        return counter(name, help, List.of(Sample.of(value)));
    }

    /** A counter family: {@code name} ends in {@code _total}, every value is zero or more. */
    public PrometheusText counter(String name, String help, List<Sample> samples) {
        if (!name.endsWith("_total")) throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        for (Sample s : samples) {
            if (!(s.value() >= 0)) throw new IllegalArgumentException("a counter is never negative: " + name);
        }
        return family(name, "counter", help, samples);
    }

    /** A gauge without labels. */
    public PrometheusText gauge(String name, String help, double value) {
        return gauge(name, help, List.of(Sample.of(value)));
    }

    public PrometheusText gauge(String name, String help, List<Sample> samples) {
        return family(name, "gauge", help, samples);
    }

    /** Everything written so far; ends in a newline when anything was. */
    public String text() {
        return out.toString();
    }

    private PrometheusText family(String name, String type, String help, List<Sample> samples) {
        if (!METRIC_NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid metric name: " + name);
        if (families.contains(name)) throw new IllegalArgumentException("metric written twice: " + name);
        Set<Map<String, String>> labelSets = new HashSet<>();
        for (Sample s : samples) {
            for (String label : s.labels().keySet()) {
                if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new IllegalArgumentException("invalid label name: " + label);
                }
            }
            if (!labelSets.add(s.labels())) throw new IllegalArgumentException("repeated labels in " + name);
        }
        families.add(name); // only now: a refused family leaves nothing behind
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Sample s : samples) {
            out.append(name);
            if (!s.labels().isEmpty()) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, String> label : new TreeMap<>(s.labels()).entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    out.append(label.getKey()).append("=\"");
                    escape(label.getValue(), true);
                    out.append('"');
                }
                out.append('}');
            }
            out.append(' ').append(number(s.value())).append('\n');
        }
        return this;
    }

    /** Backslash and newline always; the double quote too inside a label value. */
    private void escape(String s, boolean labelValue) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(labelValue ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    /** Integers without a fraction, {@code NaN}, {@code +Inf}, {@code -Inf}; the rest as Java writes a double. */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) return Long.toString((long) v);
        return Double.toString(v);
    }
}
