// The C export of lessons built for the test: every call kind, names that are not C identifiers
// or collide with C, IPv6, UDP, long data with characters C treats specially, options set
// twice, narration with comment markers. Each program must compile with cc -Wall -Wextra
// -Werror; ports the kernel picks become parameters; a port only the kernel could tell makes
// the export refuse, saying which step and why. The Python export of the same lessons: each
// program compiles with python3 -m py_compile, names that are Python keywords get one, bytes
// are escaped. (Running the programs: tests/app.)
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sockstep/model/c_program.h"
#include "sockstep/model/export.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

struct Step {
    const char* actor;
    const char* call;
    std::string args;  // TOML lines
};

core::Lesson Parse(const std::vector<std::pair<const char*, const char*>>& actors,
                   const std::vector<Step>& steps) {
    std::string toml =
        "id = \"test-export\"\ntitle.en = \"Export test\"\ntitle.ko = \"내보내기 시험\"\n"
        "summary.en = \"Every call.\"\nsummary.ko = \"모든 호출.\"\n";
    for (const auto& [name, family] : actors) {
        toml += std::string("[[actors]]\nname = \"") + name + "\"\nrole = \"" +
                (std::string(name).find("server") != std::string::npos ? "server" : "client") +
                "\"\nfamily = \"" + family + "\"\n";
    }
    int n = 0;
    for (const Step& s : steps) {
        ++n;
        toml += std::string("[[steps]]\nactor = \"") + s.actor + "\"\ncall = \"" + s.call + "\"\n" +
                s.args + "\nnarration.en = \"Step " + std::to_string(n) +
                ": a comment */ with /* inside and ?\?/ too\"\nnarration.ko = \"단계 " +
                std::to_string(n) + ": 설명 */ 주석\"\n";
    }
    core::LessonResult r = core::ParseLesson(toml, "test-export.toml");
    if (auto* errors = std::get_if<std::vector<core::LessonError>>(&r)) {
        for (const auto& e : *errors) ADD_FAILURE() << e.Format();
        return {};
    }
    return std::get<core::Lesson>(std::move(r));
}

const ui::ExportedFile* Find(const ui::ExportResult& r, const std::string& name) {
    for (const ui::ExportedFile& f : r.files) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

// cc -Wall -Wextra -Werror on the file; the compiler's messages, empty when it compiled.
std::string Compile(const ui::ExportedFile& file) {
    const fs::path dir =
        fs::temp_directory_path() / ("sockstep-export-c-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const fs::path source = dir / file.name;
    std::ofstream(source) << file.content;
    const std::string command =
        "cc -Wall -Wextra -Werror -o " + (dir / "a.out").string() + " " + source.string() + " 2>&1";
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    char buf[4096];
    for (size_t n; pipe && (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    const int status = pipe ? pclose(pipe) : -1;
    fs::remove_all(dir);
    return status == 0 ? std::string() : "exit " + std::to_string(status) + ": " + out;
}

// python3 -m py_compile on the file; its messages, empty when it compiled.
std::string CompilePython(const ui::ExportedFile& file) {
    const fs::path dir =
        fs::temp_directory_path() / ("sockstep-export-py-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const fs::path source = dir / file.name;
    std::ofstream(source) << file.content;
    const std::string command = "python3 -m py_compile " + source.string() + " 2>&1";
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    char buf[4096];
    for (size_t n; pipe && (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    const int status = pipe ? pclose(pipe) : -1;
    fs::remove_all(dir);
    return status == 0 ? std::string() : "exit " + std::to_string(status) + ": " + out;
}

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

size_t Count(const std::string& text, const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

std::vector<Step> EveryCall() {
    const std::string data =
        "data = \"more than forty bytes: \\\"quoted\\\", a tab\\t, what?\?! and caf\u00e9 "
        "and a long tail to wrap over more than one line of the C source\\n\"";
    return {
        {"server", "socket", "result = \"socket\""},  // a name that is a C function
        {"server", "setsockopt", "socket = \"socket\"\noption = \"SO_REUSEADDR\""},
        {"server", "setsockopt", "socket = \"socket\"\noption = \"SO_REUSEPORT\"\nvalue = 1"},
        {"server", "setsockopt",
         "socket = \"socket\"\noption = \"SO_LINGER\"\nvalue = 1\nlinger = 0"},
        {"server", "setsockopt",
         "socket = \"socket\"\noption = \"SO_LINGER\"\nvalue = 0\nlinger = 5"},
        {"server", "setsockopt", "socket = \"socket\"\noption = \"TCP_NODELAY\""},
        {"server", "bind", "socket = \"socket\"\nhost = \"127.0.0.1\"\nport = 0"},
        {"server", "listen", "socket = \"socket\"\nbacklog = 3"},
        {"server", "fcntl", "socket = \"socket\"\nnonblocking = true"},
        {"server", "poll",
         "sockets = [\"socket\"]\nevents = [\"POLLIN\", \"POLLOUT\"]\ntimeout_ms = 10"},
        {"server", "poll", "sockets = [\"socket\"]\nevents = [\"POLLIN\"]\ntimeout_ms = 0"},
        {"client-2", "socket", "result = \"int\""},  // a C keyword
        {"client-2", "connect", "socket = \"int\"\npeer = \"socket\""},
        {"server", "accept", "socket = \"socket\"\nresult = \"conn-1\""},
        {"server", "fcntl", "socket = \"conn-1\"\nnonblocking = false"},
        {"server", "read", "socket = \"conn-1\"\nsize = 10"},
        {"server", "recv", "socket = \"conn-1\"\nsize = 4096"},
        {"server", "write", "socket = \"conn-1\"\n" + data},
        {"server", "send", "socket = \"conn-1\"\n" + data},
        {"server", "getpeername", "socket = \"conn-1\""},
        {"server", "getsockname", "socket = \"conn-1\""},
        {"server", "shutdown", "socket = \"conn-1\"\nhow = \"SHUT_RDWR\""},
        {"server", "close", "socket = \"conn-1\""},
        {"server", "socket", "result = \"udp\"\ntype = \"SOCK_DGRAM\""},
        {"server", "bind", "socket = \"udp\"\nhost = \"127.0.0.2\"\nport = 7000"},
        {"client-2", "socket", "result = \"u\"\ntype = \"SOCK_DGRAM\""},
        {"client-2", "bind", "socket = \"u\"\nhost = \"localhost\"\nport = 0"},
        {"client-2", "sendto", "socket = \"u\"\npeer = \"udp\"\ndata = \"x\""},
        {"server", "recvfrom", "socket = \"udp\"\nsize = 16"},
        {"server", "sendto", "socket = \"udp\"\npeer = \"u\"\ndata = \"y\""},
        {"client-2", "recvfrom", "socket = \"u\""},
        {"client-2", "recvfrom", "socket = \"u\"\nsize = 2"},
        {"server6", "socket", "result = \"s6\""},
        {"server6", "bind", "socket = \"s6\"\nhost = \"::1\"\nport = 0"},
        {"server6", "listen", "socket = \"s6\""},
        {"client-2", "socket", "result = \"c6\"\nfamily = \"AF_INET6\""},
        {"client-2", "connect", "socket = \"c6\"\npeer = \"s6\""},
        {"client-2", "close", "socket = \"c6\""},
    };
}

TEST(ExportC, EveryCallCompilesWarningFree) {
    const core::Lesson lesson = Parse(
        {{"server", "AF_INET"}, {"client-2", "AF_INET"}, {"server6", "AF_INET6"}}, EveryCall());
    ASSERT_EQ(lesson.steps.size(), EveryCall().size());
    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        auto exported = ui::ExportC(lesson, lang);
        ASSERT_TRUE(std::holds_alternative<ui::ExportResult>(exported))
            << std::get<ui::ExportError>(exported).message;
        const auto& r = std::get<ui::ExportResult>(exported);
        EXPECT_TRUE(r.directory);
        ASSERT_EQ(r.files.size(), 4u);  // three programs and README.txt
        for (const char* name : {"server.c", "client-2.c", "server6.c"}) {
            const ui::ExportedFile* f = Find(r, name);
            ASSERT_NE(f, nullptr) << name;
            EXPECT_EQ(Compile(*f), "") << name << "\n" << f->content;
        }
        ASSERT_NE(Find(r, "README.txt"), nullptr);
    }
    auto exported = ui::ExportC(lesson, core::Lang::kEn);
    const auto& r = std::get<ui::ExportResult>(exported);
    const std::string& server = Find(r, "server.c")->content;
    const std::string& client = Find(r, "client-2.c")->content;
    // Names that are not C identifiers, or are taken, get one.
    EXPECT_TRUE(Has(server, "int s_socket = socket(AF_INET, SOCK_STREAM, 0);"));
    EXPECT_TRUE(Has(server, "int conn_1 = accept(s_socket, NULL, NULL);"));
    EXPECT_TRUE(Has(client, "int s_int = socket(AF_INET, SOCK_STREAM, 0);"));
    // The kernel-picked ports the other programs need are parameters; a fixed one stays.
    EXPECT_TRUE(Has(server, "usage: %s [-s] S_SOCKET_PORT U_PORT S6_PORT\\n"));
    EXPECT_TRUE(Has(client, "usage: %s [-s] S_SOCKET_PORT U_PORT S6_PORT\\n"));
    EXPECT_TRUE(Has(server, ".sin_port = htons(port_s_socket) };"));
    EXPECT_TRUE(Has(client, ".sin_port = htons(port_s_socket) };"));
    EXPECT_TRUE(Has(server, ".sin_port = htons(port_u) };"));
    EXPECT_TRUE(Has(server, ".sin_port = htons(7000) };"));
    EXPECT_TRUE(Has(client, ".sin_port = htons(7000) };"));
    EXPECT_TRUE(Has(client, "inet_pton(AF_INET, \"127.0.0.2\", &addr"));
    EXPECT_TRUE(Has(client, ".sin6_port = htons(port_s6) };"));
    EXPECT_TRUE(Has(client, "inet_pton(AF_INET6, \"::1\", &addr"));
    // Declared once, assigned after.
    EXPECT_EQ(Count(server, "int opt = "), 1u);
    EXPECT_EQ(Count(server, "struct linger lg = { 1, 0 };"), 1u);
    EXPECT_TRUE(Has(server, "lg = (struct linger){ 0, 5 };"));
    EXPECT_EQ(Count(server, "char buf["), 1u);
    EXPECT_TRUE(Has(server, "char buf[4096];"));  // the largest read of the program
    EXPECT_TRUE(Has(server, "ssize_t n = read(conn_1, buf, 10);"));
    EXPECT_TRUE(
        Has(server, "struct pollfd fds[] = { { .fd = s_socket, .events = POLLIN | POLLOUT } };"));
    EXPECT_TRUE(Has(server, "struct pollfd fds2[]"));
    // Every call is stepped and printed, with the lesson's step number.
    EXPECT_TRUE(Has(server, "before(14, \"accept(socket)\");"));
    EXPECT_TRUE(Has(server, "after(14, \"accept(socket)\", conn_1);"));
    EXPECT_TRUE(Has(server, "after_data(17, \"recv(conn-1)\", n, buf);"));
    EXPECT_TRUE(Has(server, "ret = fcntl(conn_1, F_SETFL, fcntl(conn_1, F_GETFL) & ~O_NONBLOCK);"));
    // Long data is kept whole, in pieces; "??" never forms a trigraph; é as octal bytes.
    EXPECT_TRUE(Has(server, "const char data1[] ="));
    EXPECT_TRUE(Has(server, "what?\\?!"));
    EXPECT_TRUE(Has(server, "caf\\303\\251"));
    // The narration, in the comments, cannot end them early.
    EXPECT_TRUE(Has(server, "/* 1. Step 1: a comment * / with / * inside and ? ?/ too */"));
    auto korean = ui::ExportC(lesson, core::Lang::kKo);
    EXPECT_TRUE(Has(Find(std::get<ui::ExportResult>(korean), "server.c")->content,
                    "/* 1. 단계 1: 설명 * / 주석 */"));
}

TEST(ExportC, HandshakeTakesThePortOnTheCommandLine) {
    auto exported = ui::ExportC(HandshakeLesson(), core::Lang::kEn);
    ASSERT_TRUE(std::holds_alternative<ui::ExportResult>(exported));
    const auto& r = std::get<ui::ExportResult>(exported);
    const std::string& server = Find(r, "server.c")->content;
    const std::string& client = Find(r, "client.c")->content;
    EXPECT_TRUE(Has(server, "int port_listener = port_arg(argv[first + 0]);"));
    EXPECT_TRUE(Has(client, "int port_listener = port_arg(argv[first + 0]);"));
    EXPECT_TRUE(Has(server, "htons(port_listener)"));
    EXPECT_TRUE(Has(client, "htons(port_listener)"));
    EXPECT_TRUE(
        Has(server, "LISTENER_PORT  the port of `listener`. The lesson binds it to port 0"));
    EXPECT_TRUE(Has(Find(r, "README.txt")->content, "./client -s 5000"));
    EXPECT_EQ(Compile(*Find(r, "server.c")), "");
    EXPECT_EQ(Compile(*Find(r, "client.c")), "");
}

TEST(ExportC, AFixedPortNeedsNoParameter) {
    const core::Lesson lesson =
        Parse({{"server", "AF_INET"}, {"client", "AF_INET"}},
              {{"server", "socket", "result = \"l\""},
               {"server", "bind", "socket = \"l\"\nhost = \"127.0.0.1\"\nport = 8080"},
               {"server", "listen", "socket = \"l\""},
               {"client", "socket", "result = \"c\""},
               {"client", "connect", "socket = \"c\"\npeer = \"l\""}});
    auto exported = ui::ExportC(lesson, core::Lang::kEn);
    ASSERT_TRUE(std::holds_alternative<ui::ExportResult>(exported));
    const auto& r = std::get<ui::ExportResult>(exported);
    const std::string& client = Find(r, "client.c")->content;
    EXPECT_TRUE(Has(client, "usage: %s [-s]\\n"));
    EXPECT_TRUE(Has(client, "if (argc - first != 0) {"));
    EXPECT_TRUE(Has(client, ".sin_port = htons(8080) };"));
    EXPECT_FALSE(Has(client, "port_arg"));
    EXPECT_EQ(Compile(*Find(r, "client.c")), "");
    EXPECT_EQ(Compile(*Find(r, "server.c")), "");
}

TEST(ExportC, APortOnlyTheKernelKnowsIsRefusedWithTheReason) {
    // client2 connects to client1's own socket, which never called bind(): its port is picked
    // by the kernel inside connect() and only getsockname() could tell another program.
    const core::Lesson lesson =
        Parse({{"server", "AF_INET"}, {"client1", "AF_INET"}, {"client2", "AF_INET"}},
              {{"server", "socket", "result = \"l\""},
               {"server", "bind", "socket = \"l\"\nhost = \"127.0.0.1\"\nport = 0"},
               {"server", "listen", "socket = \"l\""},
               {"client1", "socket", "result = \"c1\""},
               {"client1", "connect", "socket = \"c1\"\npeer = \"l\""},
               {"client2", "socket", "result = \"c2\""},
               {"client2", "connect", "socket = \"c2\"\npeer = \"c1\""}});
    ASSERT_EQ(lesson.steps.size(), 7u);
    auto exported = ui::ExportC(lesson, core::Lang::kEn);
    ASSERT_TRUE(std::holds_alternative<ui::ExportError>(exported));
    const std::string& message = std::get<ui::ExportError>(exported).message;
    EXPECT_TRUE(Has(message, "step 7 (line ")) << message;
    EXPECT_TRUE(Has(message, "connect(c2, <c1>)")) << message;
    EXPECT_TRUE(Has(message, "'c1'")) << message;
    EXPECT_TRUE(Has(message, "getsockname")) << message;
    EXPECT_TRUE(Has(message, "Bind 'c1' to a port")) << message;
}

TEST(ExportC, NamesAndLiterals) {
    EXPECT_EQ(ui::CName("listener"), "listener");
    EXPECT_EQ(ui::CName("conn-a"), "conn_a");
    EXPECT_EQ(ui::CName("socket"), "s_socket");
    EXPECT_EQ(ui::CName("while"), "s_while");
    EXPECT_EQ(ui::CName("addr2"), "s_addr2");
    EXPECT_EQ(ui::CName("9lives"), "s_9lives");
    EXPECT_EQ(ui::CName("port_x"), "s_port_x");
    EXPECT_EQ(ui::CStringLiteral("a\"b\n"), "\"a\\\"b\\n\"");
    EXPECT_EQ(ui::CStringLiteral("what???"), "\"what?\\?\\?\"");
    EXPECT_EQ(ui::CStringLiteral("\xea\xb0\x80"), "\"\\352\\260\\200\"");
    EXPECT_EQ(ui::CStringLiteral(std::string("\0"
                                             "1",
                                             2)),
              "\"\\0001\"");
}

TEST(ExportPython, EveryCallCompiles) {
    const core::Lesson lesson = Parse(
        {{"server", "AF_INET"}, {"client-2", "AF_INET"}, {"server6", "AF_INET6"}}, EveryCall());
    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        auto exported = ui::ExportPython(lesson, lang);
        ASSERT_TRUE(std::holds_alternative<ui::ExportResult>(exported))
            << std::get<ui::ExportError>(exported).message;
        const auto& r = std::get<ui::ExportResult>(exported);
        EXPECT_TRUE(r.directory);
        ASSERT_EQ(r.files.size(), 4u);  // three programs and README.txt
        for (const char* name : {"server.py", "client-2.py", "server6.py"}) {
            const ui::ExportedFile* f = Find(r, name);
            ASSERT_NE(f, nullptr) << name;
            EXPECT_EQ(CompilePython(*f), "") << name << "\n" << f->content;
        }
        ASSERT_NE(Find(r, "README.txt"), nullptr);
    }
    auto exported = ui::ExportPython(lesson, core::Lang::kEn);
    const auto& r = std::get<ui::ExportResult>(exported);
    const std::string& server = Find(r, "server.py")->content;
    const std::string& client = Find(r, "client-2.py")->content;
    const std::string& readme = Find(r, "README.txt")->content;
    EXPECT_TRUE(Has(server, "    s_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"));
    EXPECT_TRUE(Has(server, "    conn_1, addr = s_socket.accept()\n"));
    EXPECT_TRUE(Has(server, "    after(14, \"accept(socket)\", conn_1.fileno())\n"));
    EXPECT_TRUE(Has(server, "    after_data(17, \"recv(conn-1)\", data)\n"));
    EXPECT_TRUE(Has(server, "    failed(14, \"accept(socket)\", error)\n"));
    EXPECT_TRUE(Has(server,
                    "s_socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack(\"ii\", "
                    "1, 0))"));
    EXPECT_TRUE(Has(server, "s_socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)"));
    EXPECT_TRUE(Has(server, "s_socket.bind((\"127.0.0.1\", port_s_socket))"));
    EXPECT_TRUE(Has(server, "s_socket.setblocking(False)"));
    EXPECT_TRUE(Has(server, "conn_1.setblocking(True)"));
    EXPECT_TRUE(Has(server, "poller.register(s_socket, select.POLLIN | select.POLLOUT)"));
    EXPECT_TRUE(Has(server, "ready = poller.poll(10)"));
    EXPECT_TRUE(Has(server, "data = os.read(conn_1.fileno(), 10)"));
    EXPECT_TRUE(Has(server, "data, addr = udp.recvfrom(16)"));
    EXPECT_TRUE(Has(server, "conn_1.shutdown(socket.SHUT_RDWR)"));
    EXPECT_TRUE(Has(server, "conn_1.close()"));
    EXPECT_TRUE(Has(server, "name = conn_1.getsockname()"));
    // sendall on a blocking socket, and its result is the bytes it sent.
    EXPECT_TRUE(Has(server, "conn_1.sendall(data2)"));
    EXPECT_TRUE(Has(server, "after(19, \"send(conn-1)\", len(data2))"));
    // Long data in pieces, escaped as bytes: quotes, tab, é as UTF-8 bytes.
    EXPECT_TRUE(Has(server, "data1 = (b\"more than forty bytes: \\\"quoted\\\", a tab\\t, "));
    EXPECT_TRUE(Has(server, "caf\\xc3\\xa9"));
    EXPECT_TRUE(Has(client, "s_int = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"));
    EXPECT_TRUE(Has(client, "s_int.connect((\"127.0.0.1\", port_s_socket))  # socket's port"));
    EXPECT_TRUE(Has(client, "c6.connect((\"::1\", port_s6))"));
    EXPECT_TRUE(Has(client, "u.sendto(b\"x\", (\"127.0.0.2\", 7000))"));
    EXPECT_TRUE(Has(client, "USAGE = \"usage: %s [-s] S_SOCKET_PORT U_PORT S6_PORT\""));
    EXPECT_TRUE(Has(client, "os._exit(0)"));
    // The notes where Python differs, and the table's rows in the README.
    EXPECT_TRUE(Has(server, "# Python: accept() returns a pair (conn, address)"));
    EXPECT_TRUE(Has(readme, "conn, addr = sock.accept() -> accept4, getsockname"));
    EXPECT_TRUE(Has(readme, "sock.setblocking(False) -> ioctl"));
    EXPECT_TRUE(Has(readme, "python3 server.py -s 5000 5001 5002"));
}

TEST(ExportPython, NamesAndLiterals) {
    EXPECT_EQ(ui::PythonName("listener"), "listener");
    EXPECT_EQ(ui::PythonName("conn-a"), "conn_a");
    EXPECT_EQ(ui::PythonName("socket"), "s_socket");  // CName's
    EXPECT_EQ(ui::PythonName("lambda"), "s_lambda");
    EXPECT_EQ(ui::PythonName("None"), "s_None");
    EXPECT_EQ(ui::PythonName("data"), "s_data");
    EXPECT_EQ(ui::PythonBytesLiteral("a\"b\\\n\r\t"), "b\"a\\\"b\\\\\\n\\r\\t\"");
    EXPECT_EQ(ui::PythonBytesLiteral("\xea\x01"), "b\"\\xea\\x01\"");
    EXPECT_EQ(ui::PythonStringLiteral("caf\xc3\xa9 \"x\"\n"), "\"caf\xc3\xa9 \\\"x\\\"\\n\"");
}

TEST(ExportPython, APortOnlyTheKernelKnowsIsRefusedAsForC) {
    const core::Lesson lesson =
        Parse({{"server", "AF_INET"}, {"client1", "AF_INET"}, {"client2", "AF_INET"}},
              {{"server", "socket", "result = \"l\""},
               {"server", "bind", "socket = \"l\"\nhost = \"127.0.0.1\"\nport = 0"},
               {"server", "listen", "socket = \"l\""},
               {"client1", "socket", "result = \"c1\""},
               {"client1", "connect", "socket = \"c1\"\npeer = \"l\""},
               {"client2", "socket", "result = \"c2\""},
               {"client2", "connect", "socket = \"c2\"\npeer = \"c1\""}});
    auto exported = ui::ExportPython(lesson, core::Lang::kEn);
    ASSERT_TRUE(std::holds_alternative<ui::ExportError>(exported));
    const std::string& message = std::get<ui::ExportError>(exported).message;
    EXPECT_TRUE(Has(message, "step 7 (line ")) << message;
    EXPECT_TRUE(Has(message, "Bind 'c1' to a port")) << message;
}

}  // namespace
}  // namespace sockstep::testing
