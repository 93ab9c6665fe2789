#!/usr/bin/env python3
"""Breaks an async-profiler collapsed profile (recorded with `threads`) down four ways: by thread group; by area of
the code, each sample once in the area nearest its leaf (where the time went); by area inclusive (a sample counts for
every area on its stack, so areas overlap: who asked for the time); and the top frames by own time. Usage: profile_summary.py FILE.collapsed [top N, default 25]"""
import collections
import re
import sys

# Areas, first match wins per frame; a stack counts once per area.
AREAS = [
    ("JIT compiler", r"CompileBroker|C2Compiler|Compilation::|Compiler::compile"),
    ("GC", r"GCTaskThread|SerialHeap|G1|GenCollectedHeap|ParallelScavenge|CollectedHeap::|MemAllocator"),
    ("class loading / linking", r"ClassLoader|SystemDictionary|ClassFileParser|LinkResolver|Rewriter::|Verifier"),
    ("interpreter", r"^Interpreter$|InterpreterRuntime"),
    ("quota: Redis client (Vert.x)", r"io/vertx/redis|io\.vertx\.redis"),
    ("quota: store and Lua arguments (dev.freeway.quota)", r"dev/freeway/quota|dev\.freeway\.quota"),
    ("upstream: JDK HttpClient", r"jdk/internal/net/http|jdk\.internal\.net\.http"),
    # Freeway's upstream client since 2026-12-01; before the server's own classes, which share the package
    ("upstream: Vert.x HTTP client", r"io/vertx/core/http/impl/(Http1xClient|HttpClient|Http2Client|ClientHttp|"
                                     r"HttpChannelConnector|SharedClientHttpStreamEndpoint)|io/vertx/core/net/impl/pool"),
    ("upstream: body queue, SSE parsing (dev.freeway.provider)", r"dev/freeway/provider|dev\.freeway\.provider"),
    ("routing (dev.freeway.routing)", r"dev/freeway/routing|dev\.freeway\.routing"),
    ("api and validation (dev.freeway.api)", r"dev/freeway/api|dev\.freeway\.api"),
    ("Jackson", r"com/fasterxml/jackson|com\.fasterxml\.jackson"),
    ("token counting (jtokkit)", r"com/knuddels/jtokkit|com\.knuddels\.jtokkit"),
    ("fault tolerance (SmallRye)", r"io/smallrye/faulttolerance|io\.smallrye\.faulttolerance"),
    ("metrics (Micrometer)", r"io/micrometer|io\.micrometer"),
    ("REST layer (RESTEasy Reactive)", r"org/jboss/resteasy/reactive|org\.jboss\.resteasy\.reactive"),
    # Netty's channel code serves the Redis connection too; FastThreadLocalRunnable (at the base of every Vert.x and
    # worker thread) is left out, or every sample would count here.
    ("HTTP server and connections (Vert.x, Netty)", r"io/vertx/core/http|io/vertx/core/net|io/netty/channel|"
                                                   r"io/netty/handler|io/netty/buffer"),
    # Waking and parking threads, and the scheduler switching them: what each hand-off between threads costs.
    # (The executors' own run loops sit at the base of their threads' stacks and are not counted.)
    ("thread hand-off (park, unpark, wake, switch)", r"LockSupport\.(park|unpark)|Unsafe_(Park|Unpark)|futex|"
                                                    r"try_to_wake_up|finish_task_switch|__schedule|"
                                                    r"EnhancedQueueExecutor\.(execute|tryExecute)|"
                                                    r"LinkedBlockingQueue\.(offer|poll|take|add)"),
    ("socket system calls", r"__sys_sendto|__sys_recvfrom|tcp_sendmsg|tcp_recvmsg|sock_write|sock_read|"
                            r"do_epoll_wait|ep_poll|writev|__libc_write|__libc_read|send\b|recv\b"),
    ("logging", r"org/jboss/logmanager|org\.jboss\.logmanager|org/jboss/logging"),
]


def thread_group(name):
    name = re.sub(r"^\[|\]$", "", name)
    name = re.sub(r"\s*tid=\d+", "", name)
    return re.sub(r"[-# ]?\d+", "-N", name).strip()


def leaf_area(frames):
    """The area of the frame nearest the leaf that belongs to one: where the time was spent, not who asked."""
    for frame in reversed(frames):
        for area, pattern in AREAS:
            if re.search(pattern, frame):
                return area
    return "other (JVM runtime, JDK, unmatched)"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    threads = collections.Counter()
    areas = collections.Counter()
    leaf_areas = collections.Counter()
    own = collections.Counter()
    total = 0
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, count = line.rpartition(" ")
        count = int(count)
        frames = stack.split(";")
        total += count
        if frames[0].startswith("["):
            threads[thread_group(frames[0])] += count
            frames = frames[1:]
        own[frames[-1] if frames else "?"] += count
        leaf_areas[leaf_area(frames)] += count
        seen = set()
        for frame in frames:
            for area, pattern in AREAS:
                if area not in seen and re.search(pattern, frame):
                    seen.add(area)
        for area in seen:
            areas[area] += count
    if total == 0:
        print("no samples")
        return
    print(f"samples: {total} (1 ms each)")
    print("by thread:")
    for name, n in threads.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("by area, each sample once, in the area nearest its leaf frame (sums to 100%):")
    for name, n in leaf_areas.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("by area, inclusive (a sample counts in every area on its stack):")
    for name, n in areas.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print(f"top {top} frames by own time:")
    for name, n in own.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {name[:140]}")


if __name__ == "__main__":
    main()
