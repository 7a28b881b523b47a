package bite.jmh;

import bite.access.AccessFileException;
import bite.access.Permission;
import bite.access.Rules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;

/**
 * The cost of one access check ({@code Rules.allowed}) with hundreds of rules: 300 games with a literal first
 * segment each, 100 rules behind two wildcards, the game example of docs/ACCESS.md, and a server role.
 */
@State(Scope.Thread)
public class RulesBench {

    private final Rules rules;

    public RulesBench() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add("player r game" + i + ".*.state");
            lines.add("player w game" + i + ".*.players.$user");
        }
        for (int i = 0; i < 100; i++) lines.add("player n *.*.tag" + i);
        lines.addAll(List.of("player r room.*", "player w room.*.players.$user", "player n room.*.chat",
                "server rwn **"));
        try {
            rules = Rules.parse(lines, "bench");
        } catch (AccessFileException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Allowed: w on the player's own slot, six segments deep, through a literal, a * and $user. */
    @Benchmark
    public boolean writeOwnSlot() {
        return rules.allowed("player", "alice", Permission.WRITE, "game150.7.players.alice.pos.x");
    }

    /** Denied: the same path under another player's name, so every branch is walked to its end. */
    @Benchmark
    public boolean writeOtherSlotDenied() {
        return rules.allowed("player", "alice", Permission.WRITE, "game150.7.players.bob.pos.x");
    }

    /** Allowed: r on a room's chat, granted two segments in. */
    @Benchmark
    public boolean readRoom() {
        return rules.allowed("player", "alice", Permission.READ, "room.7.chat");
    }

    /** Allowed: n through the two wildcards and one of 100 literals below them. */
    @Benchmark
    public boolean notifyBehindWildcards() {
        return rules.allowed("player", "alice", Permission.NOTIFY, "x.y.tag99.z");
    }

    /** Allowed at the root: the server role's {@code **}. */
    @Benchmark
    public boolean serverAnything() {
        return rules.allowed("server", "game", Permission.WRITE, "room.7.players.alice.pos.x");
    }
}
