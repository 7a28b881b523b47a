package bite.db;

import bite.command.Command;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many commands of each kind bite-db applied, for {@code /metrics}. Owned by bite-db (part of {@link Database});
 * counting is one hash lookup on the command's record type, with nothing allocated after a kind's first command.
 */
final class CommandCounts {

    private final Map<Class<?>, long[]> byType = new HashMap<>();

    void count(Command command) {
        byType.computeIfAbsent(command.getClass(), k -> new long[1])[0]++;
    }

    /** The counts named by type in snake case ({@code Set} is {@code set}, {@code DeleteTree} {@code delete_tree}). */
    SortedMap<String, Long> byName() {
        SortedMap<String, Long> named = new TreeMap<>();
        for (Map.Entry<Class<?>, long[]> e : byType.entrySet()) {
            named.put(snakeCase(e.getKey().getSimpleName()), e.getValue()[0]);
        }
        return named;
    }

    private static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) sb.append('_');
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }
}
