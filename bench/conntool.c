/* conntool.c - two small measurements for bench/compare.sh (C, libc only).
 *
 *   conntool idle --port P --proto bite|redis [--conns N] [--hold S] [--host 127.0.0.1]
 *       Opens N connections and subscribes each to its own key (bite: "#g idle.<i>", waits for OK;
 *       redis: "SUBSCRIBE idle.<i>", waits for the confirmation), 32 at a time so that the server's
 *       listen backlog never overflows. Then prints "ready <N> <seconds>" and holds them open until
 *       SIGTERM/SIGINT arrives, or --hold seconds (default 120) passed. Exit 1 when a connection fails.
 *
 *   conntool first --port P --proto bite|redis [--conns N] [--host 127.0.0.1]
 *       Opens N connections one after another, 100 ms apart (default 40), and times each from connect() to
 *       the reply to its first request (bite: "g bench.first", redis: "PING"), then closes it. Prints
 *       "first_reply_ms p50=<ms> p90=<ms> max=<ms> n=<N>". Run it beside a load to see how soon a server
 *       serves a newcomer while busy. Exit 1 when a connection fails or gets no reply within 10 s.
 *
 *   conntool startup --port P --proto bite|redis [--timeout S] -- COMMAND [ARGS...]
 *       Starts COMMAND, then tries every millisecond to connect to the port and get one reply
 *       (bite: "g bench.startup" -> a line; redis: "PING" -> +PONG). Prints
 *       "startup_ms=<ms from exec to that reply>", then stops COMMAND (SIGTERM, SIGKILL after 10 s).
 *       Exit 1 when no reply came within the timeout (default 30 s) or COMMAND exited first.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *o_host = "127.0.0.1";
static int o_port, o_conns = 10000, o_conns_given, o_redis;
static double o_timeout = 30, o_hold = 120;
static volatile sig_atomic_t g_stop;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_signal(int sig) { (void)sig; g_stop = 1; }

/* a blocking connection with a receive timeout; -1 (errno set) on failure */
static int dial(double recv_timeout)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o_port)};
    if (inet_pton(AF_INET, o_host, &a.sin_addr) != 1) {
        fprintf(stderr, "conntool: bad host %s\n", o_host);
        exit(2);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {.tv_sec = (time_t)recv_timeout,
                         .tv_usec = (suseconds_t)((recv_timeout - (double)(time_t)recv_timeout) * 1e6)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* reads until the buffer ends with `end` (bite: "\n"; redis: a complete reply as judged by done());
 * returns bytes read, -1 on error/EOF/timeout */
static int read_reply(int fd, char *buf, size_t cap, int (*done)(const char *, size_t))
{
    size_t n = 0;
    while (n < cap - 1) {
        ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        n += (size_t)r;
        buf[n] = 0;
        if (done(buf, n)) return (int)n;
    }
    return -1;
}

static int bite_line_done(const char *b, size_t n) { return n > 0 && b[n - 1] == '\n'; }

/* RESP: "+PONG\r\n", or the subscribe confirmation, a 3-element array ending in ":<count>\r\n" */
static int redis_done(const char *b, size_t n)
{
    if (n < 2 || b[n - 2] != '\r' || b[n - 1] != '\n') return 0;
    if (b[0] != '*') return 1;
    const char *colon = NULL;
    for (const char *p = b; p < b + n; p++)
        if (*p == ':' && p > b && p[-1] == '\n') colon = p;
    return colon != NULL;
}

static int idle(void)
{
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int *fds = calloc((size_t)o_conns, sizeof *fds);
    if (!fds) return 1;
    double t0 = now_s();
    char cmd[128], buf[512];
    const int batch = 32;
    for (int first = 0; first < o_conns && !g_stop; first += batch) {
        int last = first + batch < o_conns ? first + batch : o_conns;
        for (int i = first; i < last; i++) {
            fds[i] = dial(10);
            if (fds[i] < 0) {
                fprintf(stderr, "conntool: connection %d: connect: %s\n", i, strerror(errno));
                return 1;
            }
            int n = o_redis ? snprintf(cmd, sizeof cmd, "SUBSCRIBE idle.%d\r\n", i)
                            : snprintf(cmd, sizeof cmd, "#g idle.%d\n", i);
            if (send_all(fds[i], cmd, (size_t)n) < 0) {
                fprintf(stderr, "conntool: connection %d: send: %s\n", i, strerror(errno));
                return 1;
            }
        }
        for (int i = first; i < last; i++) {
            int n = read_reply(fds[i], buf, sizeof buf, o_redis ? redis_done : bite_line_done);
            int ok = n > 0 && (o_redis ? strstr(buf, "subscribe") != NULL : strcmp(buf, "OK\n") == 0);
            if (!ok) {
                fprintf(stderr, "conntool: connection %d: no subscription confirmation (%s)\n", i,
                        n < 0 ? strerror(errno) : buf);
                return 1;
            }
        }
    }
    if (g_stop) return 1;
    printf("ready %d %.3f\n", o_conns, now_s() - t0);
    fflush(stdout);
    /* hold until a signal comes, or --hold seconds at most */
    double held = now_s();
    while (!g_stop && now_s() - held < o_hold) usleep(50000);
    for (int i = 0; i < o_conns; i++) close(fds[i]);
    return 0;
}

static void stop_child(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < 1000; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid) return;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static int startup(char **cmd)
{
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        perror("conntool: fork");
        return 1;
    }
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO); /* the server's output goes to our stderr, not into the result */
        execvp(cmd[0], cmd);
        perror("conntool: exec");
        _exit(127);
    }
    const char *req = o_redis ? "PING\r\n" : "g bench.startup\n";
    char buf[256];
    while (now_s() - t0 < o_timeout) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "conntool: %s exited before it answered\n", cmd[0]);
            return 1;
        }
        int fd = dial(2);
        if (fd >= 0) {
            int n = -1;
            if (send_all(fd, req, strlen(req)) == 0)
                n = read_reply(fd, buf, sizeof buf, o_redis ? redis_done : bite_line_done);
            close(fd);
            if (n > 0 && (!o_redis || strncmp(buf, "+PONG", 5) == 0)) {
                printf("startup_ms=%.1f\n", (now_s() - t0) * 1000);
                fflush(stdout);
                stop_child(pid);
                return 0;
            }
        }
        usleep(1000);
    }
    fprintf(stderr, "conntool: no reply on port %d within %.0f s\n", o_port, o_timeout);
    stop_child(pid);
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int first(void)
{
    if (!o_conns_given) o_conns = 40;
    double *ms = calloc((size_t)o_conns, sizeof *ms);
    if (!ms) return 1;
    const char *req = o_redis ? "PING\r\n" : "g bench.first\n";
    char buf[256];
    for (int i = 0; i < o_conns; i++) {
        double t0 = now_s();
        int fd = dial(10);
        if (fd < 0) {
            perror("conntool: connect");
            return 1;
        }
        int n = -1;
        if (send_all(fd, req, strlen(req)) == 0)
            n = read_reply(fd, buf, sizeof buf, o_redis ? redis_done : bite_line_done);
        ms[i] = (now_s() - t0) * 1000;
        close(fd);
        if (n <= 0) {
            fprintf(stderr, "conntool: connection %d got no reply\n", i + 1);
            return 1;
        }
        usleep(100000);
    }
    qsort(ms, (size_t)o_conns, sizeof *ms, cmp_double);
    printf("first_reply_ms p50=%.1f p90=%.1f max=%.1f n=%d\n", ms[o_conns / 2], ms[o_conns * 9 / 10],
           ms[o_conns - 1], o_conns);
    free(ms);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: conntool idle --port P --proto bite|redis [--conns N] [--hold S] [--host H]\n"
                    "       conntool first --port P --proto bite|redis [--conns N] [--host H]\n"
                    "       conntool startup --port P --proto bite|redis [--timeout S] -- COMMAND [ARGS...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 2) usage();
    const char *mode = argv[1];
    int i = 2;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc) usage();
        const char *v = argv[i + 1];
        if (strcmp(argv[i], "--port") == 0) o_port = atoi(v);
        else if (strcmp(argv[i], "--host") == 0) o_host = v;
        else if (strcmp(argv[i], "--conns") == 0) o_conns = atoi(v), o_conns_given = 1;
        else if (strcmp(argv[i], "--timeout") == 0) o_timeout = atof(v);
        else if (strcmp(argv[i], "--hold") == 0) o_hold = atof(v);
        else if (strcmp(argv[i], "--proto") == 0) {
            if (strcmp(v, "redis") == 0) o_redis = 1;
            else if (strcmp(v, "bite") != 0) usage();
        } else usage();
        i++;
    }
    if (o_port <= 0 || o_port > 65535 || o_conns <= 0) usage();
    if (strcmp(mode, "idle") == 0) return idle();
    if (strcmp(mode, "first") == 0) return first();
    if (strcmp(mode, "startup") == 0) {
        if (i >= argc) usage();
        return startup(argv + i);
    }
    usage();
    return 2;
}
