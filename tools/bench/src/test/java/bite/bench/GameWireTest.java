package bite.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The game's wire forms: what it sends to Bite and Redis, and the pushes it reads back. */
class GameWireTest {

    private static String sent(GameWire w) {
        return new String(w.buffer(), 0, w.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void biteWritesAPaddedPositionAndSubscribesInProtocol3() {
        GameWire w = new GameWire(16);
        w.biteSetup(null, 3, 50);
        assertThat(sent(w)).isEqualTo("hello 3\n#k room.3 every=50\n");
        w.biteSetup(null, 3, 0);
        assertThat(sent(w)).isEqualTo("hello 3\n#k room.3\n");

        w.biteWrite(3, 17, 5, 123);
        assertThat(sent(w)).isEqualTo("s room.3.players.17.pos 5_123_xxxxxxxxxx\n");
    }

    @Test
    void redisWritesSetAndPublishAsRespArrays() {
        GameWire w = new GameWire(8);
        w.redisWrite(0, 2, 1, 9);
        assertThat(sent(w)).isEqualTo("*3\r\n$3\r\nSET\r\n$20\r\nroom.0.players.2.pos\r\n$8\r\n1_9_xxxx\r\n"
                + "*3\r\n$7\r\nPUBLISH\r\n$6\r\nroom.0\r\n$22\r\nplayers.2.pos 1_9_xxxx\r\n");
        w.redisSubscribe(12);
        assertThat(sent(w)).isEqualTo("*2\r\n$9\r\nSUBSCRIBE\r\n$7\r\nroom.12\r\n");
    }

    @Test
    void aBitePushIsParsedBackIntoPlayerNumberAndTime() {
        byte[] line = ">k room.3 4711 players.17.pos 5_123_xxxxxxxxx".getBytes(StandardCharsets.US_ASCII);
        GameWire.Update u = new GameWire.Update();

        assertThat(GameWire.parseBitePush(line, 0, line.length, u)).isTrue();

        assertThat(u.player).isEqualTo(17);
        assertThat(u.seq).isEqualTo(5);
        assertThat(u.ts).isEqualTo(123);
    }

    @Test
    void anythingElseIsNotAnUpdate() {
        GameWire.Update u = new GameWire.Update();
        for (String s : new String[] {">g room.3 1 5_123_x", ">k room.3 1 players.x.pos 5_1_",
                ">k room.3 1 players.1.pos",
                ">k room.3 1 players.1.pos 5_123", ">k room.3 1 players.1.pos _1_", ">k room.3", "=OK",
                ">k room.3 1 players.1.vel 5_1_"}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertThat(GameWire.parseBitePush(b, 0, b.length, u)).as(s).isFalse();
        }
    }

    @Test
    void aRedisSubscriberConnectionTellsConfirmationsFromMessagePayloads() throws Exception {
        try (java.nio.channels.SocketChannel unconnected = java.nio.channels.SocketChannel.open()) {
            GameConn c = new GameConn(unconnected, GameConn.Role.REDIS_SUBSCRIBER, 0, 0);
            String[] lines = {"*3", "$9", "subscribe", "$6", "room.0", ":1",
                    "*3", "$7", "message", "$6", "room.0", "$26", "players.1.pos 1_9_xxxxxxxx",
                    "*3", "$7", "message", "$6", "room.0", "$4", "$abc"};
            StringBuilder kinds = new StringBuilder();
            for (String line : lines) {
                byte[] b = line.getBytes(StandardCharsets.US_ASCII);
                kinds.append(c.respLine(b, 0, b.length).name().charAt(0));
            }
            // a bulk that itself starts with '$' is still the payload; only ':1' confirms
            assertThat(kinds.toString()).isEqualTo("OOOOOS" + "OOOOOOP" + "OOOOOOP");

            byte[] stray = "+OK".getBytes(StandardCharsets.US_ASCII);
            assertThat(c.respLine(stray, 0, stray.length)).isEqualTo(GameConn.RespLine.BAD);
        }
    }
}
