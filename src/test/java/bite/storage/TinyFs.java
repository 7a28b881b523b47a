package bite.storage;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, to get a read-only or a full file system even as root (where chmod does not
 * stop writes). Tests using it are skipped where mounting is not allowed.
 */
final class TinyFs implements AutoCloseable {

    private final Path dir;

    private TinyFs(Path dir) {
        this.dir = dir;
    }

    static TinyFs mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()),
                "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
        return new TinyFs(dir);
    }

    Path dir() {
        return dir;
    }

    void remountReadOnly() throws IOException, InterruptedException {
        if (!run("mount", "-o", "remount,ro", dir.toString())) {
            throw new IOException("cannot remount " + dir + " read-only");
        }
    }

    /** Writes a file until the file system is full. */
    Path fill() throws IOException {
        Path filler = dir.resolve("filler");
        byte[] chunk = new byte[4096];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException expected) {
            return filler; // No space left on device
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", dir.toString());
    }
}
