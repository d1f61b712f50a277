// raw_lifecycle N: makes the socket lifecycle N times with plain system calls, on one thread, and
// prints how long the loop took by its own clock. scripts/bench runs it plainly and under
// `strace -f` for the strace baseline; the clock (vDSO, never a traced system call) keeps
// process start-up and strace's attach out of the per-lifecycle figure.
// The calls are those of lifecycle/raw in core_raw.cpp: socket, bind, listen, socket,
// getsockname (to learn the listener's port), connect, accept, send, recv, close x3.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

bool Lifecycle() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    auto* sa = reinterpret_cast<sockaddr*>(&address);
    socklen_t length = sizeof address;
    char buffer[1024];

    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0) return false;
    bool ok = bind(listener, sa, sizeof address) == 0 && listen(listener, 5) == 0;
    const int client = socket(AF_INET, SOCK_STREAM, 0);
    ok = ok && client >= 0 && getsockname(listener, sa, &length) == 0 &&
         connect(client, sa, sizeof address) == 0;
    sockaddr_in peer{};
    socklen_t peer_length = sizeof peer;
    const int conn = ok ? accept(listener, reinterpret_cast<sockaddr*>(&peer), &peer_length) : -1;
    ok = ok && conn >= 0 && send(client, "hello", 5, 0) == 5 &&
         recv(conn, buffer, sizeof buffer, 0) == 5;
    // The client closes first, as in the engine's lifecycle: it is the one left in TIME-WAIT.
    if (client >= 0) ok = close(client) == 0 && ok;
    if (conn >= 0) ok = close(conn) == 0 && ok;
    return close(listener) == 0 && ok;
}

}  // namespace

int main(int argc, char** argv) {
    const long count = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1000;
    if (count <= 0) {
        std::fprintf(stderr, "usage: raw_lifecycle [LIFECYCLES]\n");
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < count; ++i) {
        if (!Lifecycle()) {
            std::perror("raw_lifecycle: a call failed");
            return 1;
        }
    }
    const double loop_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    std::printf("lifecycles=%ld loop_us=%.1f per_lifecycle_us=%.2f\n", count, loop_us,
                loop_us / static_cast<double>(count));
    return 0;
}
