package bite.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer's side of the queue: when it waits, and what wakes it. */
class OutboundTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Starts a writer that takes once; its result is the taken chunks as text, or "null" / "interrupted". */
    private static CompletableFuture<String> takeOnce(Outbound out, AtomicReference<Thread> thread) {
        CompletableFuture<String> result = new CompletableFuture<>();
        thread.set(Thread.ofVirtual().start(() -> {
            try {
                List<byte[]> taken = out.take();
                result.complete(taken == null ? "null" : String.join("|",
                        taken.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList()));
            } catch (InterruptedException e) {
                result.complete("interrupted");
            }
        }));
        return result;
    }

    /** A writer already waiting in take(). */
    private static CompletableFuture<String> waitingWriter(Outbound out, AtomicReference<Thread> thread) {
        CompletableFuture<String> taken = takeOnce(out, thread);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.get().getState() != Thread.State.WAITING) { // parked in take(): nothing else to wait on
            assertThat(System.nanoTime()).as("the writer waiting in take()").isLessThan(deadline);
            Thread.yield();
        }
        assertThat(taken).isNotDone();
        return taken;
    }

    @Test
    void aWaitingWriterIsWokenByAPushAndTakesIt() throws Exception {
        Outbound out = new Outbound(1 << 20);
        CompletableFuture<String> taken = waitingWriter(out, new AtomicReference<>());
        assertThat(out.offerPush(bytes("a\n"))).isTrue();
        assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo("a\n");
    }

    @Test
    void pushesQueuedBeforeTheWriterLooksAreTakenWithoutWaiting() throws Exception {
        Outbound out = new Outbound(1 << 20);
        out.offerPush(bytes("a\n"));
        out.offerPush(bytes("b\n"));
        assertThat(takeOnce(out, new AtomicReference<>()).get(10, TimeUnit.SECONDS)).isEqualTo("a\n|b\n");
    }

    @Test
    void whileTheReaderWritesItsRepliesTheWriterWaitsAndThenTakesWhatCameMeanwhile() throws Exception {
        Outbound out = new Outbound(1 << 20);
        out.addReply(bytes("reply\n"));
        assertThat(out.takeForReader()).hasSize(1); // the reader is writing now
        out.offerPush(bytes("push\n"));
        CompletableFuture<String> taken = waitingWriter(out, new AtomicReference<>()); // the push waits for it
        out.doneWriting();
        assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo("push\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"finish", "fail", "push over the limit"})
    void aWaitingWriterIsWokenToStopWhenTheQueueEnds(String how) throws Exception {
        Outbound out = new Outbound(4);
        CompletableFuture<String> taken = waitingWriter(out, new AtomicReference<>());
        switch (how) {
            case "finish" -> out.finish();
            case "fail" -> out.fail();
            default -> {
                assertThat(out.offerPush(bytes("too long\n"))).isFalse();
                assertThat(out.overflowed()).isTrue();
            }
        }
        assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo("null");
    }

    @Test
    void anInterruptedWriterStopsWaiting() throws Exception {
        Outbound out = new Outbound(1 << 20);
        AtomicReference<Thread> writer = new AtomicReference<>();
        CompletableFuture<String> taken = waitingWriter(out, writer);
        writer.get().interrupt();
        assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
        // the queue still works for a writer that comes later
        out.offerPush(bytes("x\n"));
        assertThat(takeOnce(out, new AtomicReference<>()).get(10, TimeUnit.SECONDS)).isEqualTo("x\n");
    }

    @Test
    void aMarkIsSentOnceTheBytesUpToItWereWrittenWhateverCameAfter() {
        Outbound out = new Outbound(1 << 20);
        out.addReply(bytes("=OK\n"));
        out.offerPush(bytes(">k a 1 x 1\n"));
        long batchEnd = out.mark();
        out.addReply(bytes("=OK\n")); // a later reply must not hold the batch's mark back
        assertThat(out.sentUpTo(batchEnd)).isFalse();
        out.written(4);
        assertThat(out.sentUpTo(batchEnd)).as("only the first reply written").isFalse();
        out.written(11);
        assertThat(out.sentUpTo(batchEnd)).isTrue();
        assertThat(out.isEmpty()).as("the later reply is still queued").isFalse();
    }
}
