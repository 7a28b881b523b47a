package bite.access;

import bite.command.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * Which permission each request needs, and on which key (PROTOCOL.md "Users and access rules"). Pure: safe on any
 * thread; the connection's reader (or bite-db) asks it after the request's own syntax checks.
 */
public final class CommandPermissions {

    /** {@code permission} on {@code key}; {@code key} null means the whole database (only {@code **} covers it). */
    public record Need(Permission permission, String key) {}

    private CommandPermissions() {
    }

    /**
     * What {@code command} needs: nothing for {@code auth}, {@code ping}, {@code quit} and requests already
     * rejected; one need for most; one per item for {@code sl}; two for a subscribe with a VALUE.
     */
    public static List<Need> needs(Command command) {
        return switch (command) {
            case Command.Get c -> read(c.key());
            case Command.Keys c -> read(c.key());
            case Command.Json c -> read(c.key());
            case Command.Info _ -> read(null);
            case Command.Subscribe c -> c.value() == null ? read(c.key())
                    : List.of(new Need(Permission.READ, c.key()), new Need(Permission.NOTIFY, c.key()));
            case Command.Set c -> write(c.key());
            case Command.SetIfAbsent c -> write(c.key());
            case Command.Increment c -> write(c.key());
            case Command.Append c -> write(c.key());
            case Command.Delete c -> write(c.key());
            case Command.SetMany c -> {
                List<Need> needs = new ArrayList<>(c.items().size());
                for (Command.Set item : c.items()) needs.add(new Need(Permission.WRITE, item.key()));
                yield needs;
            }
            case Command.Notify c -> notify(c.key());
            // removing one's own subscriptions needs nothing; the farewell VALUE is a notification
            case Command.Unsubscribe c -> c.value() == null ? List.of() : notify(c.key());
            case Command.Auth _ -> List.of();
            case Command.Ping _ -> List.of();
            case Command.Quit _ -> List.of();
            case Command.Invalid _ -> List.of();
            case Command.Answer _ -> List.of();
            case Command.Authenticated _ -> List.of();
            case Command.DeleteTree c -> write(c.key());
            case Command.Hello _ -> List.of();
            case Command.OnDisconnect c -> needs(c.action()); // checked when the line is registered
            case Command.OnDisconnectClear _ -> List.of();
        };
    }

    /** Does {@code rules} give a user named {@code user} with {@code role} every permission {@code command} needs? */
    public static boolean allowed(Rules rules, String role, String user, Command command) {
        for (Need need : needs(command)) {
            if (!rules.allowed(role, user, need.permission(), need.key())) return false;
        }
        return true;
    }

    private static List<Need> read(String key) {
        return List.of(new Need(Permission.READ, key));
    }

    private static List<Need> write(String key) {
        return List.of(new Need(Permission.WRITE, key));
    }

    private static List<Need> notify(String key) {
        return List.of(new Need(Permission.NOTIFY, key));
    }
}
