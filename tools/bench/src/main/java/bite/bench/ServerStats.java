package bite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of a server process's counters from Linux's /proc: CPU time (user + system, {@code /proc/PID/stat})
 * and write system calls and bytes written ({@code syscw}, {@code wchar} of {@code /proc/PID/io}, which needs the
 * right to trace the process: root or the same user). A counter that cannot be read is -1. Immutable; taken by the
 * game's loop thread.
 *
 * @param cpuMillis  user + system CPU time in milliseconds (clock ticks of 10 ms, Linux's USER_HZ of 100)
 * @param writeCalls write system calls of every kind (write, writev, sendmsg, ...)
 * @param writeBytes bytes passed to those calls (sockets and files alike)
 */
record ServerStats(long cpuMillis, long writeCalls, long writeBytes) {

    static final ServerStats NONE = new ServerStats(-1, -1, -1);

    static ServerStats read(long pid) {
        if (pid <= 0) {
            return NONE;
        }
        long cpu = -1;
        long calls = -1;
        long bytes = -1;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // fields 14 and 15 of the line
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: no CPU figure
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("syscw:")) {
                    calls = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("wchar:")) {
                    bytes = Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no right to read it: no write figures
        }
        return new ServerStats(cpu, calls, bytes);
    }

    /** {@code later - this} per second over {@code nanos}, for each counter; -1 where either reading has none. */
    double[] ratesUntil(ServerStats later, long nanos) {
        double s = nanos / 1e9;
        return new double[] {rate(cpuMillis, later.cpuMillis, s), rate(writeCalls, later.writeCalls, s),
                rate(writeBytes, later.writeBytes, s)};
    }

    private static double rate(long a, long b, double seconds) {
        return a < 0 || b < 0 || seconds <= 0 ? -1 : (b - a) / seconds;
    }
}
