package bite.it;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The tutorial, run against the image: the netcat session of PROTOCOL.md, then the rest of its
 * command table, each over a plain socket to the published port, with exact reply lines.
 */
@Testcontainers
class TutorialIT {

    @Container
    static final BiteContainer bite = new BiteContainer();

    @Test
    void netcatSession() {
        try (var client = bite.connect()) {
            Transcript.play(client, """
                    > s data.name BITE
                    OK
                    > s data.author.name Andrés
                    OK
                    > g data.name
                    BITE
                    > j data
                    {"author":{"name":"Andrés"},"name":"BITE"}
                    > +1 score
                    1
                    > #k data
                    OK
                    > s data.name Bite-J
                    name Bite-J
                    OK
                    > bogus x
                    ERR unknown command 'bogus'
                    """);
        }
    }

    @Test
    void everyCommandOfTheTable() {
        // Keys under "game" only, so the netcat session's subscription on "data" never sees them.
        try (var client = bite.connect()) {
            Transcript.play(client, """
                    > s? game.mode ffa
                    OK
                    > s? game.mode duel
                    NO
                    > g game.mode
                    ffa
                    > sl | game.map dust| game.round 1 |game.open
                    OK
                    > k game
                    map dust\0mode ffa\0open \0round 1
                    > + game.map _2
                    OK
                    > g game.map
                    dust_2
                    > +1 game.round
                    2
                    > d game.open
                    OK
                    > g game.open

                    > j game
                    {"map":"dust_2","mode":"ffa","round":"2"}
                    > js game.mode
                    {"game":{"mode":"ffa"}}
                    > j game.nothing.here
                    {}
                    > #g game.round
                    OK
                    > +1 game.round
                    3
                    3
                    > #j game
                    OK
                    > s game.mode duel
                    {"mode":"duel"}
                    OK
                    > ! game.chat gg
                    {"chat":"gg"}
                    OK
                    > #- game bye
                    {"game":"bye"}
                    OK
                    > s game.mode ctf
                    OK
                    > +1 game.round
                    4
                    4
                    > +1 game.mode
                    ERR value is not an integer
                    > g
                    ERR missing key
                    > g game.mode extra
                    ERR too many arguments
                    > s game..mode x
                    ERR invalid key
                    """);
        }
    }
}
