// No number from a log sizes memory or overflows unchecked: `actor_index` 2147483647 made the
// window allocate a pane per index (bad_alloc), 1,000,000 grew to 11 GB, and `"step":
// 2147483647` overflowed "Step N of M". The reader refuses every actor index above
// kMaxEventActor and every step above kMaxEventStep, naming the line; the largest allowed values
// are read.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "session_helpers.h"
#include "sockstep/core/event.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"
#include "sockstep/core/trace_json.h"

namespace sockstep::core {
namespace {

// A real log: the Session runs one socket() and writes what it saw.
std::vector<std::string> RealLines() {
    Session session;
    session.AddActor(ActorSpec{"server", Role::kServer, Family::kInet});
    sessiontest::RunScript(session, {{0, CallRequest{CallKind::kSocket, "", "s", {}}}});
    std::ostringstream out;
    WriteJsonLines(session.Log(), out);
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The log with `field`'s value on line `line` (1-based) replaced by `value`.
std::string WithField(std::vector<std::string> lines, size_t line, const std::string& field,
                      const std::string& value) {
    std::string& l = lines.at(line - 1);
    const std::string key = "\"" + field + "\":";
    const size_t at = l.find(key);
    EXPECT_NE(at, std::string::npos) << l;
    const size_t begin = at + key.size();
    const size_t end = l.find_first_of(",}", begin);
    l.replace(begin, end - begin, value);
    std::string text;
    for (const std::string& each : lines) text += each + "\n";
    return text;
}

std::variant<std::vector<Event>, TraceError> Read(const std::string& text) {
    std::istringstream in(text);
    return ReadJsonLines(in);
}

TEST(LogBounds, HugeActorIndexAndStepAreRefusedWithTheirLine) {
    const std::vector<std::string> lines = RealLines();
    ASSERT_GE(lines.size(), 2u);
    for (const auto& [field, value] :
         std::vector<std::pair<std::string, std::string>>{{"actor_index", "2147483647"},
                                                          {"actor_index", "1000000"},
                                                          {"actor_index", "256"},
                                                          {"step", "2147483647"},
                                                          {"step", "10000"},
                                                          {"step", "-2"},
                                                          {"t_us", "-9223372036854775808"},
                                                          {"t_us", "1125899906842625"},
                                                          {"duration_us", "-1"}}) {
        SCOPED_TRACE(field + " = " + value);
        const auto result = Read(WithField(lines, 2, field, value));
        const auto* error = std::get_if<TraceError>(&result);
        ASSERT_NE(error, nullptr) << "accepted";
        EXPECT_EQ(error->line, 2) << error->message;
        EXPECT_NE(error->message.find(field), std::string::npos) << error->message;
        EXPECT_NE(error->message.find(value), std::string::npos) << error->message;
    }
}

TEST(LogBounds, TheLargestAllowedActorIndexAndStepAreRead) {
    const std::vector<std::string> lines = RealLines();
    std::string text = WithField(lines, 2, "actor_index", std::to_string(kMaxEventActor));
    std::istringstream split(text);
    std::vector<std::string> again;
    for (std::string line; std::getline(split, line);) again.push_back(line);
    text = WithField(again, 2, "step", std::to_string(kMaxEventStep));
    const auto result = Read(text);
    const auto* events = std::get_if<std::vector<Event>>(&result);
    ASSERT_NE(events, nullptr) << std::get<TraceError>(result).message;
    EXPECT_EQ(events->at(1).actor, kMaxEventActor);
    EXPECT_EQ(events->at(1).step, kMaxEventStep);
}

}  // namespace
}  // namespace sockstep::core
