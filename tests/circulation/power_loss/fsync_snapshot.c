/* An LD_PRELOAD shim for the power-loss test (tests/circulation/test_power_loss.py).
 *
 * A real power cut keeps of a file only what an fsync made durable. This shim lets a
 * test reproduce that after `kill -9`: each successful fsync()/fdatasync() of a file
 * under $FSYNC_SHIM_WATCH (a folder path ending in '/') copies the file's whole content,
 * as it is at that moment, to $FSYNC_SHIM_SNAPSHOTS/<file name> (written aside and
 * renamed, so a kill during the copy leaves the previous snapshot). The test then puts
 * each file back to its last snapshot: every write not yet fsync'd is thrown away.
 * The copy is made before fsync returns to SQLite, so a commit acknowledged after its
 * fsync is always in the snapshot.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t copying = PTHREAD_MUTEX_INITIALIZER;

static int copy_all(int from, int to) {
    char buf[1 << 16];
    off_t at = 0;
    for (;;) {
        ssize_t got = pread(from, buf, sizeof buf, at);
        if (got < 0) return -1;
        if (got == 0) return 0;
        for (ssize_t done = 0; done < got;) {
            ssize_t put = write(to, buf + done, (size_t)(got - done));
            if (put < 0) return -1;
            done += put;
        }
        at += got;
    }
}

static void snapshot(int fd) {
    const char *watch = getenv("FSYNC_SHIM_WATCH");
    const char *into = getenv("FSYNC_SHIM_SNAPSHOTS");
    if (watch == NULL || into == NULL) return;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0) return;
    path[n] = '\0';
    if (strncmp(path, watch, strlen(watch)) != 0) return; /* not ours (or the folder) */
    const char *name = strrchr(path, '/') + 1;
    char partial[PATH_MAX], final[PATH_MAX];
    snprintf(partial, sizeof partial, "%s/.%s.partial", into, name);
    snprintf(final, sizeof final, "%s/%s", into, name);
    pthread_mutex_lock(&copying);
    int source = open(path, O_RDONLY);
    int out = open(partial, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = source >= 0 && out >= 0 && copy_all(source, out) == 0;
    if (source >= 0) close(source);
    if (out >= 0) close(out);
    if (ok) {
        rename(partial, final);
    } else {
        /* a snapshot that could not be taken must not pass for one: the test fails */
        char failed[PATH_MAX];
        snprintf(failed, sizeof failed, "%s/FAILED", into);
        int mark = open(failed, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (mark >= 0) {
            dprintf(mark, "%s: %s\n", path, strerror(errno));
            close(mark);
        }
    }
    pthread_mutex_unlock(&copying);
}

int fsync(int fd) {
    static int (*real)(int);
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int rc = real(fd);
    if (rc == 0) snapshot(fd);
    return rc;
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int rc = real(fd);
    if (rc == 0) snapshot(fd);
    return rc;
}
