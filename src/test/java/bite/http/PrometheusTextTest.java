package bite.http;

import bite.http.PrometheusText.Sample;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PrometheusText}: exact output, the naming rules, escaping, and every output checked by a strict parser of
 * the text format (version 0.0.4) written here.
 */
class PrometheusTextTest {

    @Test
    void exactOutput() {
        String text = new PrometheusText()
                .gauge("bite_keys", "Keys with a value.", 42)
                .counter("bite_commands_total", "Commands applied, by kind.",
                        List.of(Sample.of("kind", "s", 10), Sample.of("kind", "g", 7)))
                .gauge("bite_connections", "Open connections.", List.of(
                        new Sample(Map.of("transport", "tcp", "protocol", "3"), 2),
                        new Sample(Map.of("transport", "ws", "protocol", "2"), 0)))
                .gauge("bite_ratio", "A fraction.", 0.25)
                .text();
        assertThat(text).isEqualTo("""
                # HELP bite_keys Keys with a value.
                # TYPE bite_keys gauge
                bite_keys 42
                # HELP bite_commands_total Commands applied, by kind.
                # TYPE bite_commands_total counter
                bite_commands_total{kind="s"} 10
                bite_commands_total{kind="g"} 7
                # HELP bite_connections Open connections.
                # TYPE bite_connections gauge
                bite_connections{protocol="3",transport="tcp"} 2
                bite_connections{protocol="2",transport="ws"} 0
                # HELP bite_ratio A fraction.
                # TYPE bite_ratio gauge
                bite_ratio 0.25
                """);
        assertStrictlyValid(text);
    }

    @Test
    void escapesLabelValuesAndHelp() {
        String text = new PrometheusText()
                .gauge("g", "back\\slash\nnew \"line\"", List.of(Sample.of("path", "a\\b\"c\nd ☃", 1)))
                .text();
        assertThat(text).isEqualTo("""
                # HELP g back\\\\slash\\nnew "line"
                # TYPE g gauge
                g{path="a\\\\b\\"c\\nd ☃"} 1
                """);
        assertStrictlyValid(text);
    }

    @Test
    void numbers() {
        assertThat(PrometheusText.number(3)).isEqualTo("3");
        assertThat(PrometheusText.number(-0.0)).isEqualTo("0");
        assertThat(PrometheusText.number(1.5)).isEqualTo("1.5");
        assertThat(PrometheusText.number(9.007199254740993E15)).isEqualTo("9.007199254740992E15");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        String text = new PrometheusText().gauge("g_big", "h", 1e300).gauge("g_nan", "h", Double.NaN)
                .gauge("g_neg", "h", -2.5).counter("c_total", "h", List.of()).text();
        assertStrictlyValid(text);
    }

    @Test
    void namesAreChecked() {
        PrometheusText p = new PrometheusText();
        assertThatThrownBy(() -> p.counter("bite_commands", "h", 1)).hasMessageContaining("_total");
        assertThatThrownBy(() -> p.gauge("1bad", "h", 1)).hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> p.gauge("bad-name", "h", 1)).hasMessageContaining("invalid metric name");
        assertThatThrownBy(() -> p.gauge("g", "h", List.of(Sample.of("bad-label", "v", 1))))
                .hasMessageContaining("invalid label name");
        assertThatThrownBy(() -> p.gauge("g", "h", List.of(Sample.of("__reserved", "v", 1))))
                .hasMessageContaining("invalid label name");
        assertThatThrownBy(() -> p.counter("c_total", "h", -1)).hasMessageContaining("never negative");
        assertThatThrownBy(() -> p.gauge("g", "h", List.of(Sample.of("k", "v", 1), Sample.of("k", "v", 2))))
                .hasMessageContaining("repeated labels");
        p.gauge("ns:sub_ok", "h", 1);
        assertThatThrownBy(() -> p.gauge("ns:sub_ok", "h", 1)).hasMessageContaining("written twice");
        assertThat(p.text()).isEqualTo("# HELP ns:sub_ok h\n# TYPE ns:sub_ok gauge\nns:sub_ok 1\n");
    }

    @Test
    void theStrictParserCatchesBrokenOutput() {
        for (String broken : new String[] {
                "g 1\n",                                            // no TYPE before the sample
                "# TYPE g gauge\ng{a=\"x} 1\n",                    // unterminated label value
                "# TYPE g gauge\ng{a=\"x\\q\"} 1\n",               // unknown escape
                "# TYPE g gauge\ng{a=\"x\"} 1\ng{a=\"x\"} 2\n",     // repeated series
                "# TYPE g gauge\n# TYPE g gauge\n",                 // TYPE twice
                "# TYPE c counter\nc 1\n",                          // counter without _total
                "# TYPE g gauge\ng one\n",
                "# TYPE g gauge\ng 1",                              // no final newline
                "# TYPE g gauge\nh 1\n"}) {                         // sample of another family
            assertThatThrownBy(() -> assertStrictlyValid(broken)).as(broken).isInstanceOf(AssertionError.class);
        }
    }

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ((?:[^\\\\\\n]|\\\\[\\\\n])*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})? "
                    + "(NaN|[+-]Inf|-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    /**
     * The text format's rules, strictly: every line a HELP, a TYPE or a sample; one TYPE per family, before its
     * samples, which follow it together; counters named {@code _total}; labels well formed and escaped, each series
     * once; every line ends in a newline.
     */
    static void assertStrictlyValid(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("no final newline");
        Set<String> typed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) continue; // the split's last piece
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                continue;
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (!typed.add(m.group(1))) throw new AssertionError("TYPE twice: " + line);
                if (m.group(2).equals("counter") && !m.group(1).endsWith("_total")) {
                    throw new AssertionError("counter not named _total: " + line);
                }
                current = m.group(1);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                if (!m.group(1).equals(current)) throw new AssertionError("sample outside its family: " + line);
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        if (labels.put(l.group(1), l.group(2)) != null) throw new AssertionError("label twice: " + line);
                    }
                }
                if (!series.add(m.group(1) + labels)) throw new AssertionError("series twice: " + line);
            } else {
                throw new AssertionError("not a line of the text format: " + line);
            }
        }
    }
}
