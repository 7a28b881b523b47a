package bite.cli;

/**
 * One line a protocol-3 server sent: a reply ({@code =...}) or a push ({@code >KIND SUBKEY REV PAYLOAD}), and how
 * {@code bite cli} shows it. A value, handed from the socket's reader thread to whichever thread prints it.
 */
sealed interface ServerLine {

    /** The line as received, without its newline. */
    String tagged();

    /** How the line is shown: a reply without its tag, a push as {@code push KIND SUBKEY @REV: PAYLOAD}. */
    String shown();

    /** A reply: {@code text} is what protocol 2 would have sent. */
    record Reply(String tagged, String text) implements ServerLine {
        boolean isError() {
            return text.startsWith("ERR ") || text.equals("ERR");
        }

        @Override
        public String shown() {
            return text;
        }
    }

    /** A push of subscription {@code kind} ({@code g}, {@code k} or {@code j}) on {@code key}, event {@code revision}. */
    record Push(String tagged, String kind, String key, String revision, String payload) implements ServerLine {
        @Override
        public String shown() {
            return "push " + kind + " " + key + " @" + revision + ":" + (payload.isEmpty() ? "" : " " + payload);
        }
    }

    /** Anything else (no tag: not a protocol-3 line), shown as it came. */
    record Untagged(String tagged) implements ServerLine {
        @Override
        public String shown() {
            return tagged;
        }
    }

    static ServerLine parse(String line) {
        if (line.startsWith("=")) return new Reply(line, line.substring(1));
        if (!line.startsWith(">")) return new Untagged(line);
        int kindEnd = line.indexOf(' ');
        int keyEnd = kindEnd < 0 ? -1 : line.indexOf(' ', kindEnd + 1);
        int revEnd = keyEnd < 0 ? -1 : line.indexOf(' ', keyEnd + 1);
        if (revEnd < 0) return new Untagged(line); // not the push form: show it rather than guess
        return new Push(line, line.substring(1, kindEnd), line.substring(kindEnd + 1, keyEnd),
                line.substring(keyEnd + 1, revEnd), line.substring(revEnd + 1));
    }

    /**
     * Text safe to print on a terminal: every control character but tab as its Unicode picture ({@code ␀} for the
     * NUL between the entries of a {@code k} listing, {@code ␛} for an escape, which could otherwise drive the
     * terminal), DEL as {@code ␡}.
     */
    static String forTerminal(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 0x20 && c != 0x7f) || c == '\t') {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(text.length()).append(text, 0, i);
            sb.append(c == 0x7f ? '\u2421' : (char) (0x2400 + c));
        }
        return sb == null ? text : sb.toString();
    }
}
