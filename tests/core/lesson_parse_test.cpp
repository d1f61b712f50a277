// Reading lessons: what a valid file becomes, defaults, the built-in lessons and how they are
// found, and hostile input (garbage, huge files, deep nesting) that must never crash or hang.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include "sockstep/core/lesson.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

const fs::path kAssets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";

constexpr const char* kHeader = R"(id = "t"
title.ko = "제목"
title.en = "Title"
summary.ko = "요약"
summary.en = "Summary"
[[actors]]
name = "server"
role = "server"
[[actors]]
name = "client"
role = "client"
family = "AF_INET6"
)";

std::string Step(const std::string& actor, const std::string& call, const std::string& args) {
    return "[[steps]]\nactor = \"" + actor + "\"\ncall = \"" + call + "\"\n" + args +
           "narration.ko = \"설명\"\nnarration.en = \"Narration\"\n";
}

Lesson MustParse(const std::string& text) {
    LessonResult result = ParseLesson(text, "test.toml");
    if (const auto* errors = std::get_if<std::vector<LessonError>>(&result)) {
        std::string all;
        for (const auto& e : *errors) all += e.Format() + "\n";
        ADD_FAILURE() << all;
        return {};
    }
    return std::get<Lesson>(std::move(result));
}

std::vector<LessonError> MustFail(const std::string& text) {
    LessonResult result = ParseLesson(text, "test.toml");
    if (auto* errors = std::get_if<std::vector<LessonError>>(&result)) return *errors;
    ADD_FAILURE() << "accepted";
    return {};
}

TEST(LessonParse, ReadsEveryPartOfAValidLesson) {
    const std::string text =
        std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
        Step("server", "setsockopt",
             "socket = \"l\"\noption = \"SO_LINGER\"\nvalue = 1\nlinger = 0\n") +
        Step("server", "bind", "socket = \"l\"\nhost = \"127.0.0.2\"\nport = 0\n") +
        Step("server", "listen", "socket = \"l\"\nbacklog = 1\n") +
        Step("client", "socket", "result = \"c\"\n") +
        Step("client", "connect", "socket = \"c\"\nhost = \"::1\"\nport = 9\n") +
        R"([steps.expect]
errno = "ECONNREFUSED"
[[steps.expect.state]]
socket = "c"
tcp = ["CLOSE", "SYN-SENT"]
api = "Created"
[steps.question]
prompt.ko = "질문"
prompt.en = "Question"
choices = [ { ko = "가", en = "A" }, { ko = "나", en = "B" } ]
answer = 2
explanation.ko = "설명"
explanation.en = "Because"
)" +
        Step("server", "poll",
             "sockets = [\"l\"]\nevents = [\"POLLIN\", \"POLLOUT\"]\ntimeout_ms = 5\n") +
        Step("server", "accept",
             "socket = \"l\"\nresult = \"conn\"\noutside_client = true\n"
             "focus = [\"l\", \"conn\"]\n") +
        Step("server", "recv", "socket = \"conn\"\nsize = 7\n") +
        "[steps.expect]\nreturns = 2\nreceived = \"hi\"\n" +
        Step("server", "shutdown", "socket = \"conn\"\nhow = \"SHUT_RDWR\"\n");
    const Lesson lesson = MustParse(text);
    EXPECT_EQ(lesson.id, "t");
    EXPECT_EQ(lesson.title.Get(Lang::kKo), "제목");
    EXPECT_EQ(lesson.title.Get(Lang::kEn), "Title");
    ASSERT_EQ(lesson.actors.size(), 2u);
    EXPECT_EQ(lesson.actors[1].role, Role::kClient);
    EXPECT_EQ(lesson.actors[1].family, Family::kInet6);
    ASSERT_EQ(lesson.steps.size(), 10u);

    const LessonStep& opt = lesson.steps[1];
    EXPECT_EQ(opt.request.args.option, SockOpt::kLinger);
    EXPECT_EQ(opt.request.args.value, 1);
    EXPECT_EQ(opt.request.args.linger_seconds, 0);

    const LessonStep& bind = lesson.steps[2];
    EXPECT_EQ(bind.request.socket, "l");
    EXPECT_EQ(bind.request.args.address.host, "127.0.0.2");
    EXPECT_EQ(bind.line, 28);  // 12 header lines, a 6-line step, a 9-line step

    // The client's socket() takes the actor's family.
    EXPECT_EQ(lesson.steps[4].request.args.family, Family::kInet6);

    const LessonStep& connect = lesson.steps[5];
    ASSERT_TRUE(connect.expect);
    EXPECT_EQ(connect.expect->err, ECONNREFUSED);
    ASSERT_EQ(connect.expect->states.size(), 1u);
    EXPECT_EQ(connect.expect->states[0].tcp, TcpState::kClose);
    ASSERT_EQ(connect.expect->states[0].tcp_or.size(), 1u);
    EXPECT_EQ(connect.expect->states[0].tcp_or[0], TcpState::kSynSent);
    EXPECT_EQ(connect.expect->states[0].api, ApiState::kCreated);
    ASSERT_TRUE(connect.question);
    EXPECT_EQ(connect.question->answer, 1) << "answer = 2 in the file is the second choice";
    EXPECT_EQ(connect.question->choices[1].en, "B");

    const LessonStep& poll = lesson.steps[6];
    EXPECT_EQ(poll.request.args.poll_sockets, std::vector<std::string>{"l"});
    EXPECT_EQ(poll.request.args.poll_events, (std::vector<std::string>{"POLLIN", "POLLOUT"}));
    EXPECT_EQ(poll.request.args.timeout_ms, 5);

    EXPECT_TRUE(lesson.steps[7].outside_client);
    EXPECT_EQ(lesson.steps[7].focus, (std::vector<std::string>{"l", "conn"}));
    EXPECT_EQ(lesson.steps[7].request.result, "conn");
    EXPECT_EQ(lesson.steps[8].request.args.size, 7);
    EXPECT_EQ(lesson.steps[8].expect->ret, 2);
    EXPECT_EQ(lesson.steps[8].expect->data, "hi");
    EXPECT_EQ(lesson.steps[9].request.args.how, ShutHow::kRdWr);

    const std::vector<ScriptStep> script = ToScript(lesson);
    ASSERT_EQ(script.size(), lesson.steps.size());
    EXPECT_EQ(script[5].actor, 1);
    EXPECT_EQ(script[5].request.call, CallKind::kConnect);
}

TEST(LessonParse, DefaultsAreTheCallsUsualArguments) {
    const Lesson lesson = MustParse(
        std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
        Step("server", "bind", "socket = \"l\"\n") + Step("server", "listen", "socket = \"l\"\n") +
        Step("server", "recv", "socket = \"l\"\n"));
    EXPECT_EQ(lesson.steps[0].request.args.family, Family::kInet);
    EXPECT_EQ(lesson.steps[0].request.args.type, SockType::kStream);
    EXPECT_EQ(lesson.steps[1].request.args.address.host, "");
    EXPECT_EQ(lesson.steps[1].request.args.address.port, 0);
    EXPECT_EQ(lesson.steps[2].request.args.backlog, 5);
    EXPECT_EQ(lesson.steps[3].request.args.size, 1024);
    EXPECT_FALSE(lesson.steps[0].expect);
    EXPECT_FALSE(lesson.steps[0].question);
}

TEST(LessonParse, AFailingSocketCallLeavesItsNameFree) {
    const Lesson lesson =
        MustParse(std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
                  Step("server", "accept", "socket = \"l\"\nresult = \"conn\"\n") +
                  "[steps.expect]\nerrno = \"EINVAL\"\n" +
                  Step("server", "accept", "socket = \"l\"\nresult = \"conn\"\n"));
    EXPECT_EQ(lesson.steps.size(), 3u);
    // …but a later use of the name before it exists says why it does not.
    const auto errors = MustFail(
        std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
        Step("server", "accept", "socket = \"l\"\nresult = \"conn\"\n") +
        "[steps.expect]\nerrno = \"EINVAL\"\n" + Step("server", "close", "socket = \"conn\"\n"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("expected to fail"), std::string::npos) << errors[0].message;
}

TEST(LessonParse, ListenAndUdpSendtoNeedABindFirst) {
    // Linux would bind them to the wildcard address: refused before anything runs.
    for (const std::string& steps :
         {Step("server", "socket", "result = \"l\"\n") +
              Step("server", "listen", "socket = \"l\"\n"),
          Step("server", "socket", "result = \"l\"\n") +
              Step("server", "bind", "socket = \"l\"\n") +
              "[steps.expect]\nerrno = \"EADDRINUSE\"\n" +
              Step("server", "listen", "socket = \"l\"\n"),
          Step("server", "socket", "result = \"u\"\ntype = \"SOCK_DGRAM\"\n") +
              Step("server", "sendto", "socket = \"u\"\ndata = \"x\"\nport = 9\n"),
          // UDP send() binds the wildcard before it fails with EDESTADDRREQ.
          Step("server", "socket", "result = \"u\"\ntype = \"SOCK_DGRAM\"\n") +
              Step("server", "send", "socket = \"u\"\ndata = \"x\"\n")}) {
        const auto errors = MustFail(std::string(kHeader) + steps);
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_NE(errors[0].message.find("never bound"), std::string::npos) << errors[0].message;
    }
    // Bound (or, for UDP, connected) first: fine.
    MustParse(std::string(kHeader) +
              Step("server", "socket", "result = \"u\"\ntype = \"SOCK_DGRAM\"\n") +
              Step("server", "connect", "socket = \"u\"\nport = 9\n") +
              Step("server", "sendto", "socket = \"u\"\ndata = \"x\"\nport = 9\n"));
}

TEST(LessonParse, StatesIfThePeerClosedFirstAddToTcp) {
    const std::string base = std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
                             "[steps.expect]\nok = true\n[[steps.expect.state]]\nsocket = \"l\"\n";
    const Lesson lesson =
        MustParse(base + "tcp = \"CLOSE\"\ntcp_if_peer_closed = [\"CLOSE-WAIT\"]\n");
    ASSERT_EQ(lesson.steps.size(), 1u);
    ASSERT_TRUE(lesson.steps[0].expect);
    ASSERT_EQ(lesson.steps[0].expect->states.size(), 1u);
    EXPECT_EQ(lesson.steps[0].expect->states[0].tcp_if_peer_closed,
              std::vector<TcpState>{TcpState::kCloseWait});
    const auto errors = MustFail(base + "api = \"Created\"\ntcp_if_peer_closed = \"CLOSE-WAIT\"\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("give 'tcp' too"), std::string::npos) << errors[0].message;
    EXPECT_GT(errors[0].line, 0);
    EXPECT_EQ(MustFail(base + "tcp = \"CLOSE\"\ntcp_if_peer_closed = \"CLOSED\"\n").size(), 1u);
}

TEST(LessonParse, APeerNeedsAnAddress) {
    const auto errors =
        MustFail(std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
                 Step("client", "socket", "result = \"c\"\nfamily = \"AF_INET\"\n") +
                 Step("client", "connect", "socket = \"c\"\npeer = \"l\"\n"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("'l' has no address yet"), std::string::npos);
}

TEST(LessonParse, PeerMayNameAClosedSocketOfAnotherActor) {
    MustParse(std::string(kHeader) + Step("server", "socket", "result = \"old\"\n") +
              Step("server", "bind", "socket = \"old\"\n") +
              Step("server", "close", "socket = \"old\"\n") +
              Step("server", "socket", "result = \"new\"\n") +
              Step("server", "bind", "socket = \"new\"\npeer = \"old\"\n"));
}

TEST(LessonParse, ExpectationsMayNameSocketsOfAnyActorAndClosedOnes) {
    MustParse(
        std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
        Step("server", "close", "socket = \"l\"\n") + Step("client", "socket", "result = \"c\"\n") +
        "[steps.expect]\nok = true\n[[steps.expect.state]]\nsocket = \"l\"\napi = \"Closed\"\n");
}

TEST(LessonParse, FamiliesMustMatchBetweenSocketAndPeer) {
    const auto errors = MustFail(
        std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
        Step("server", "bind", "socket = \"l\"\n") + Step("server", "listen", "socket = \"l\"\n") +
        Step("client", "socket", "result = \"c\"\n") +
        Step("client", "connect", "socket = \"c\"\npeer = \"l\"\n"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("same address family"), std::string::npos);
}

TEST(LessonParse, LoopbackOnlyEveryWayItCanBeWritten) {
    for (const char* host : {"0.0.0.0", "10.1.2.3", "8.8.8.8", "255.255.255.255", "::", "fe80::1",
                             "::ffff:10.0.0.1", "localhost.example.com", "1.2.3.4.5", ""}) {
        SCOPED_TRACE(host);
        const std::string text =
            std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
            Step("server", "bind",
                 "socket = \"l\"\nhost = \"" + std::string(host) + "\"\nport = 1\n");
        LessonResult result = ParseLesson(text, "t.toml");
        if (std::string(host).empty()) {
            EXPECT_TRUE(std::holds_alternative<Lesson>(result)) << "empty host is loopback";
        } else {
            EXPECT_TRUE(std::holds_alternative<std::vector<LessonError>>(result));
        }
    }
    for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost"}) {
        SCOPED_TRACE(host);
        MustParse(std::string(kHeader) + Step("server", "socket", "result = \"l\"\n") +
                  Step("server", "bind", "socket = \"l\"\nhost = \"" + std::string(host) + "\"\n"));
    }
}

TEST(LessonParse, ErrorFormatIsCompilerStyle) {
    EXPECT_EQ((LessonError{"a.toml", 3, 7, "bad"}).Format(), "a.toml:3:7: error: bad");
    EXPECT_EQ((LessonError{"a.toml", 3, 0, "bad"}).Format(), "a.toml:3: error: bad");
    EXPECT_EQ((LessonError{"a.toml", 0, 0, "bad"}).Format(), "a.toml: error: bad");
}

TEST(LessonParse, HostileInputNeverCrashes) {
    // Binary garbage, an empty file, a value where a table belongs, deep nesting, long lines.
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
    std::string deep = "x = ";
    for (int i = 0; i < 5000; ++i) deep += "[";
    std::string wide =
        std::string(kHeader) + "[[steps]]\nactor = \"" + std::string(100000, 'a') + "\"\n";
    std::string many_steps = std::string(kHeader);
    for (int i = 0; i < 401; ++i)
        many_steps += Step("server", "socket", "result = \"s" + std::to_string(i) + "\"\n");
    for (const std::string& text :
         {garbage, std::string(), std::string("actors = 5\nsteps = \"no\"\n"), deep, wide,
          many_steps, std::string("steps = [1, 2]\nactors = [[]]\n"),
          std::string(kHeader) + "[[steps]]\n[[steps.expect.state]]\n",
          std::string(kHeader) +
              "[[steps]]\nactor = 1\ncall = []\nnarration = 3\nexpect = 4\nquestion = 5\n"}) {
        const LessonResult result = ParseLesson(text, "hostile.toml");
        const auto* errors = std::get_if<std::vector<LessonError>>(&result);
        ASSERT_NE(errors, nullptr);
        EXPECT_FALSE(errors->empty());
        for (const LessonError& e : *errors) EXPECT_FALSE(e.message.empty());
    }
}

TEST(LessonParse, FilesThatAreNotLessons) {
    const fs::path dir =
        fs::temp_directory_path() / ("sockstep-lesson-" + std::to_string(getpid()));
    fs::create_directories(dir);
    for (const fs::path& path : {dir / "missing.toml", dir}) {
        const LessonResult result = LoadLesson(path);
        const auto& errors = std::get<std::vector<LessonError>>(result);
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_EQ(errors[0].line, 0);
    }
    const fs::path big = dir / "big.toml";
    {
        std::ofstream out(big);
        out << "# " << std::string(2 << 20, 'x') << "\n";
    }
    const LessonResult too_big = LoadLesson(big);
    const auto& errors = std::get<std::vector<LessonError>>(too_big);
    EXPECT_NE(errors[0].message.find("1 MiB"), std::string::npos);
    fs::remove_all(dir);
}

TEST(LessonBuiltins, TwelveLessonsInTeachingOrder) {
    const std::vector<std::string> ids = {"handshake",    "refused",      "accept-queue",
                                          "backlog-full", "echo",         "close-and-time-wait",
                                          "half-close",   "reset",        "udp",
                                          "nonblocking",  "server-alone", "ipv6"};
    const auto files = BuiltinLessonFiles(kAssets);
    ASSERT_EQ(files.size(), ids.size());
    for (size_t i = 0; i < files.size(); ++i) {
        SCOPED_TRACE(files[i].string());
        const LessonResult result = LoadLesson(files[i]);
        ASSERT_TRUE(std::holds_alternative<Lesson>(result));
        const Lesson& lesson = std::get<Lesson>(result);
        EXPECT_EQ(lesson.id, ids[i]);
        EXPECT_EQ(lesson.path, files[i]);
        size_t expects = 0;
        for (const LessonStep& step : lesson.steps) expects += step.expect ? 1 : 0;
        EXPECT_GE(expects * 2, lesson.steps.size()) << "every lesson checks its key steps";
    }
}

TEST(LessonBuiltins, TextsAreWrittenInBothLanguages) {
    // Korean text has Hangul in it (UTF-8 lead bytes 0xEA-0xED); English text has none.
    const auto has_hangul = [](const std::string& s) {
        for (unsigned char c : s) {
            if (c >= 0xEA && c <= 0xED) return true;
        }
        return false;
    };
    for (const fs::path& file : BuiltinLessonFiles(kAssets)) {
        SCOPED_TRACE(file.string());
        const Lesson lesson = std::get<Lesson>(LoadLesson(file));
        std::vector<const LocalizedText*> texts = {&lesson.title, &lesson.summary};
        for (const LessonStep& step : lesson.steps) {
            texts.push_back(&step.narration);
            if (step.question) {
                texts.push_back(&step.question->prompt);
                texts.push_back(&step.question->explanation);
            }
        }
        for (const LocalizedText* t : texts) {
            EXPECT_TRUE(has_hangul(t->ko)) << t->ko;
            EXPECT_FALSE(has_hangul(t->en)) << t->en;
            EXPECT_NE(t->ko, t->en);
        }
    }
}

TEST(LessonBuiltins, FoundByIdOrByPath) {
    const LessonResult by_id = FindLesson("echo", kAssets);
    ASSERT_TRUE(std::holds_alternative<Lesson>(by_id));
    EXPECT_EQ(std::get<Lesson>(by_id).id, "echo");

    const std::string path = (kAssets / "lessons/12-ipv6.toml").string();
    const LessonResult by_path = FindLesson(path, kAssets);
    ASSERT_TRUE(std::holds_alternative<Lesson>(by_path));
    EXPECT_EQ(std::get<Lesson>(by_path).id, "ipv6");

    const LessonResult unknown = FindLesson("handshak", kAssets);
    const auto& errors = std::get<std::vector<LessonError>>(unknown);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("handshake"), std::string::npos) << "lists the ids";

    const LessonResult no_assets = FindLesson("echo", "/nonexistent");
    EXPECT_TRUE(std::holds_alternative<std::vector<LessonError>>(no_assets));
}

TEST(LessonBuiltins, OutsideClientCommandsCarryTheRealPort) {
    EXPECT_EQ(OutsideClientCommands(Endpoint{Family::kInet, "127.0.0.1", 43211}),
              (std::vector<std::string>{"nc 127.0.0.1 43211", "curl http://127.0.0.1:43211/"}));
    EXPECT_EQ(OutsideClientCommands(Endpoint{Family::kInet6, "::1", 8080}),
              (std::vector<std::string>{"nc ::1 8080", "curl -g \"http://[::1]:8080/\""}));
}

}  // namespace
}  // namespace sockstep::core
