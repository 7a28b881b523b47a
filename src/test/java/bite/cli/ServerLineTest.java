package bite.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the cli reads and shows protocol-3 lines. */
class ServerLineTest {

    @Test
    void aReplyIsShownWithoutItsTag() {
        assertThat(ServerLine.parse("=OK 3")).isEqualTo(new ServerLine.Reply("=OK 3", "OK 3"));
        assertThat(ServerLine.parse("=").shown()).isEmpty();
        assertThat(((ServerLine.Reply) ServerLine.parse("=ERR invalid key")).isError()).isTrue();
        assertThat(((ServerLine.Reply) ServerLine.parse("=ERROR is a value")).isError()).isFalse();
    }

    @Test
    void aPushShowsItsKindKeyAndRevision() {
        assertThat(ServerLine.parse(">k room.7 41 p1.x 11"))
                .isEqualTo(new ServerLine.Push(">k room.7 41 p1.x 11", "k", "room.7", "41", "p1.x 11"));
        assertThat(ServerLine.parse(">k room.7 41 p1.x 11").shown()).isEqualTo("push k room.7 @41: p1.x 11");
        assertThat(ServerLine.parse(">g room.7 42 ").shown()).as("a delete pushed to #g").isEqualTo("push g room.7 @42:");
        assertThat(ServerLine.parse(">nonsense")).isEqualTo(new ServerLine.Untagged(">nonsense"));
        assertThat(ServerLine.parse("OK")).isEqualTo(new ServerLine.Untagged("OK"));
    }

    @Test
    void controlCharactersBecomePicturesOnATerminal() {
        assertThat(ServerLine.forTerminal("a 1\0b 2")).isEqualTo("a 1\u2400b 2");
        assertThat(ServerLine.forTerminal("\u001b[31m\u007f\r\ttab")).isEqualTo("\u241b[31m\u2421\u240d\ttab");
        assertThat(ServerLine.forTerminal("Andrés")).isEqualTo("Andrés");
    }
}
