// A lesson file can do nothing but socket calls. (1) Keys that would mean anything else
// (`command`, `exec`, `file`, `path`, `shell`, `script`, `env`, `include`) are unknown to the
// validator: `sockstep check` names each with file:line:column and `sockstep trace` runs nothing.
// (2) Every built-in lesson, run by `sockstep trace` under `strace -f -yy`, starts no program
// (one execve: sockstep's own), opens no file for writing, creates, renames or removes nothing,
// and writes only to its standard output and error, its own loopback sockets, the kernel's
// sock_diag netlink socket, and pipes or eventfds between its own threads.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "run_process.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kAssets = std::string(SOCKSTEP_SOURCE_DIR) + "/assets";
const std::vector<std::string> kEnv = {"SOCKSTEP_ASSETS=" + kAssets};

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

fs::path TempPath(const std::string& name) {
    return fs::temp_directory_path() /
           ("sockstep-sandbox-" + std::to_string(getpid()) + "-" + name);
}

TEST(LessonSandbox, KeysThatWouldRunOrTouchAnythingAreUnknown) {
    std::string text = ReadAll(kAssets + "/lessons/01-handshake.toml");
    // Top level, line 2: a command. In the first step (after its `call = "socket"` line): more.
    text.insert(text.find('\n') + 1, "command = \"rm -rf /\"\n");
    const std::string first_call = "call = \"socket\"\n";
    const size_t at = text.find(first_call) + first_call.size();
    text.insert(at,
                "exec = \"/bin/sh\"\nfile = \"/etc/passwd\"\npath = \"/tmp/x\"\nshell = "
                "\"bash -c 'curl example.com'\"\nscript = \"x.sh\"\nenv = { LD_PRELOAD = "
                "\"/tmp/evil.so\" }\ninclude = \"/etc/shadow\"\n");
    const int first_line =
        static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1;
    const fs::path file = TempPath("keys.toml");
    {
        std::ofstream out(file);
        out << text;
    }
    const auto check = RunProcess({SOCKSTEP_BINARY, "check", file.string()}, kEnv);
    EXPECT_EQ(check.exit_code, 1) << check.err;
    EXPECT_TRUE(Contains(check.err, file.string() + ":2:1: error: unknown key 'command'"))
        << check.err;
    int line = first_line;
    for (const char* key : {"exec", "file", "path", "shell", "script", "env", "include"}) {
        EXPECT_TRUE(Contains(check.err, file.string() + ":" + std::to_string(line) +
                                            ":1: error: unknown key '" + key + "'"))
            << key << "\n"
            << check.err;
        ++line;
    }
    // trace validates first and runs nothing; under strace: nothing is executed.
    const fs::path log = TempPath("keys.strace");
    const auto r = RunProcess({"strace", "-f", "-qq", "-e", "trace=execve,execveat,%network", "-o",
                               log.string(), SOCKSTEP_BINARY, "trace", "--lesson", file.string()},
                              kEnv);
    const std::string calls = ReadAll(log);
    fs::remove(log);
    fs::remove(file);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(Contains(r.err, "nothing was run")) << r.err;
    ASSERT_FALSE(calls.empty()) << "strace wrote nothing (is it installed? never skipped)";
    EXPECT_EQ(std::count(calls.begin(), calls.end(), '\n'), 1)
        << "expected only sockstep's own execve:\n"
        << calls;
    EXPECT_TRUE(Contains(calls, std::string("execve(\"") + SOCKSTEP_BINARY + "\"")) << calls;
    EXPECT_FALSE(Contains(calls, "socket(")) << calls;
}

// ---- every built-in lesson under strace ------------------------------------------------------

struct Violation {
    std::string line;
    std::string why;
};

// Checks strace -f -yy output: what a lesson run may and may not do to the system.
std::vector<Violation> Audit(const std::string& calls, int& execs, int& writes) {
    std::vector<Violation> bad;
    const std::regex open_call(R"RE((open|openat)\((AT_FDCWD, )?"([^"]*)", ([A-Z_|]+))RE");
    const std::regex write_call(R"(\b(write|writev|pwrite64|sendto|sendmsg)\((\d+)<([^>]*)>)");
    std::istringstream in(calls);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (Contains(line, "execve(") || Contains(line, "execveat(")) {
            ++execs;
        } else if (std::regex_search(line, m, open_call)) {
            const std::string path = m[3].str();
            const std::string flags = m[4].str();
            const bool writing = Contains(flags, "O_WRONLY") || Contains(flags, "O_RDWR") ||
                                 Contains(flags, "O_CREAT") || Contains(flags, "O_TRUNC") ||
                                 Contains(flags, "O_APPEND");
            if (writing && path != "/dev/null") bad.push_back({line, "opened for writing"});
        } else if (std::regex_search(line, m, write_call)) {
            ++writes;
            const std::string target = m[3].str();
            // Standard output and error are wherever the caller put them (a file here).
            const bool standard = m[2].str() == "1" || m[2].str() == "2";
            const bool pipe = target.rfind("pipe:", 0) == 0;
            const bool wakeup = target == "anon_inode:[eventfd]";  // a thread's wake-up
            const bool loopback_socket =
                (target.rfind("TCP:[", 0) == 0 || target.rfind("UDP:[", 0) == 0 ||
                 target.rfind("TCPv6:[", 0) == 0 || target.rfind("UDPv6:[", 0) == 0) &&
                (Contains(target, "127.") || Contains(target, "::1"));
            const bool netlink = target.rfind("NETLINK:", 0) == 0;  // sock_diag requests
            // An own TCP/UDP socket whose connection is gone (reset): strace shows its inode only.
            const bool own_dead_socket =
                std::regex_match(target, std::regex(R"((TCP|TCPv6|UDP|UDPv6):\[\d+\])"));
            if (!standard && !pipe && !wakeup && !loopback_socket && !own_dead_socket && !netlink &&
                target != "/dev/null") {
                bad.push_back({line, "wrote to " + target});
            }
        } else if (
            std::regex_search(
                line,
                std::regex(
                    R"(\b(creat|unlink|unlinkat|rename|renameat2?|mkdir|mkdirat|rmdir|truncate|ftruncate|chmod|fchmod|fchmodat|symlink|link|linkat)\()"))) {
            bad.push_back({line, "changed the file system"});
        }
    }
    return bad;
}

const char* kAudited =
    "trace=execve,execveat,open,openat,creat,unlink,unlinkat,rename,renameat,renameat2,mkdir,"
    "mkdirat,rmdir,truncate,ftruncate,chmod,fchmod,fchmodat,symlink,link,linkat,write,writev,"
    "pwrite64,sendto,sendmsg";

// Runs `sockstep trace --lesson id` under strace; server-alone gets a real client from here.
std::string TraceAudited(const std::string& id, int& exit_code) {
    const fs::path log = TempPath(id + ".strace");
    const fs::path out = TempPath(id + ".out");
    const pid_t pid = fork();
    if (pid == 0) {
        freopen(out.c_str(), "w", stdout);
        freopen(TempPath(id + ".err").c_str(), "w", stderr);
        setenv("SOCKSTEP_ASSETS", kAssets.c_str(), 1);
        execlp("strace", "strace", "-f", "-qq", "-yy", "-e", kAudited, "-o", log.c_str(),
               SOCKSTEP_BINARY, "trace", "--lesson", id.c_str(), "--lang", "en",
               static_cast<char*>(nullptr));
        _exit(127);
    }
    if (id == "server-alone") {
        // The lesson waits for a client program: be it, once it prints the port.
        const std::regex nc(R"(nc 127\.0\.0\.1 (\d+))");
        std::smatch m;
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        std::string text;
        while (std::chrono::steady_clock::now() < deadline &&
               !std::regex_search(text = ReadAll(out), m, nc)) {
            std::this_thread::sleep_for(10ms);
        }
        if (!m.empty()) {
            const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in to{};
            to.sin_family = AF_INET;
            to.sin_port = htons(static_cast<uint16_t>(std::stoi(m[1].str())));
            to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
                const char line[] = "hello\n";
                [[maybe_unused]] const ssize_t n = send(fd, line, sizeof line - 1, 0);
                char buffer[256];
                while (recv(fd, buffer, sizeof buffer, 0) > 0) {
                }
            }
            close(fd);
        }
    }
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(10ms);
    }
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::string calls = ReadAll(log);
    fs::remove(log);
    fs::remove(out);
    fs::remove(TempPath(id + ".err"));
    return calls;
}

TEST(LessonSandbox, EveryBuiltinLessonOnlyMakesSocketCalls) {
    const std::vector<std::string> ids = {"handshake",    "refused",      "accept-queue",
                                          "backlog-full", "echo",         "close-and-time-wait",
                                          "half-close",   "reset",        "udp",
                                          "nonblocking",  "server-alone", "ipv6"};
    for (const std::string& id : ids) {
        SCOPED_TRACE(id);
        int code = -1;
        const std::string calls = TraceAudited(id, code);
        EXPECT_EQ(code, 0) << "the lesson failed under strace";
        ASSERT_FALSE(calls.empty()) << "strace wrote nothing (is it installed? never skipped)";
        int execs = 0;
        int writes = 0;
        for (const Violation& v : Audit(calls, execs, writes)) {
            ADD_FAILURE() << v.why << ": " << v.line;
        }
        EXPECT_EQ(execs, 1) << "only sockstep itself may be executed";
        EXPECT_GT(writes, 0) << "the trace printed nothing: strace did not see the writes";
    }
}

}  // namespace
}  // namespace sockstep::testing
