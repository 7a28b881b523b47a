package bite;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests of {@code /metrics}: it refuses what
 * Prometheus would refuse and what the format discourages (a sample before its family's {@code # TYPE}, a family
 * split or typed twice, a counter not named {@code _total}, a repeated series, a bad name, label or escape, an
 * unparsable value, a missing final newline). Returns every series ({@code name{a="x",b="y"}}, labels in the order
 * written) and its value. Stateless; any thread.
 */
final class PrometheusTextParser {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern VALUE =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf");

    private PrometheusTextParser() {
    }

    static Map<String, Double> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("no final newline");
        Map<String, Double> series = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> closed = new HashSet<>(); // families whose samples are over: they may not come back
        String current = null;
        int n = 0;
        String body = text.isEmpty() ? "" : text.substring(0, text.length() - 1);
        for (String line : body.isEmpty() ? new String[0] : body.split("\n", -1)) {
            n++;
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (!helped.add(m.group(1))) fail(n, "second HELP for " + m.group(1));
                checkEscapes(n, m.group(2));
                current = switchTo(n, current, m.group(1), closed);
            } else if ((m = TYPE.matcher(line)).matches()) {
                String name = m.group(1);
                if (types.containsKey(name)) fail(n, "second TYPE for " + name);
                current = switchTo(n, current, name, closed);
                types.put(name, m.group(2));
            } else if (line.startsWith("#")) {
                fail(n, "unexpected comment");
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                String type = types.get(name);
                if (type == null) fail(n, "sample before its TYPE: " + name);
                if (!name.equals(current)) fail(n, "sample outside its family's block: " + name);
                if (type.equals("counter") && !name.endsWith("_total")) fail(n, "counter not named _total: " + name);
                StringBuilder key = new StringBuilder(name);
                if (m.group(2) != null) key.append('{').append(labels(n, m.group(3))).append('}');
                if (!VALUE.matcher(m.group(4)).matches()) fail(n, "bad value " + m.group(4));
                double value = Double.parseDouble(m.group(4).replace("Inf", "Infinity"));
                if (type.equals("counter") && !(value >= 0)) fail(n, "negative counter " + name);
                if (series.put(key.toString(), value) != null) fail(n, "repeated series " + key);
            } else {
                fail(n, "not a metrics line: " + line);
            }
        }
        return series;
    }

    private static String switchTo(int n, String current, String name, Set<String> closed) {
        if (name.equals(current)) return current;
        if (closed.contains(name)) fail(n, "family " + name + " split in two");
        if (current != null) closed.add(current);
        return name;
    }

    /** {@code a="x",b="y"} checked; the same text back, labels in their order (none repeated). */
    private static String labels(int n, String text) {
        Set<String> names = new HashSet<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) fail(n, "bad labels: " + text);
            if (m.group(1).startsWith("__")) fail(n, "reserved label name " + m.group(1));
            if (!names.add(m.group(1))) fail(n, "repeated label " + m.group(1));
            at = m.end();
            if (at < text.length()) {
                if (text.charAt(at) != ',') fail(n, "bad labels: " + text);
                at++;
            }
        }
        return text;
    }

    private static void checkEscapes(int n, String help) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                if (i + 1 >= help.length() || "\\n".indexOf(help.charAt(i + 1)) < 0) fail(n, "bad escape in HELP");
                i++;
            }
        }
    }

    private static void fail(int line, String why) {
        throw new IllegalArgumentException("line " + line + ": " + why);
    }
}
