// Reading and validating a lesson file (format: docs/LESSONS.md). Everything is checked before
// anything runs: keys, types, actors, calls and their arguments, the order in which sockets are
// created and used, loopback-only addresses, errno and state names, both translations. All
// errors of a file are collected, each with its line and column and a way to fix it.
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "lesson_toml.h"
#include "sockstep/core/address.h"
#include "sockstep/core/lesson.h"

namespace sockstep::core {
namespace {

using lesson_detail::Diagnostics;
using lesson_detail::DidYouMean;
using lesson_detail::JoinQuoted;
using lesson_detail::LineOf;
using lesson_detail::TableReader;

// Limits that keep a hostile or broken file from costing memory or time; real lessons are far
// below them.
constexpr size_t kMaxActors = 8;
constexpr size_t kMaxSteps = 400;
constexpr size_t kMaxNameLength = 32;
constexpr size_t kMaxDataBytes = 65536;
constexpr int64_t kMaxRecvSize = 1 << 20;
constexpr int64_t kMaxBacklog = 4096;
constexpr int64_t kMaxPollTimeoutMs = 600000;
constexpr int64_t kMaxLingerSeconds = 30;
constexpr size_t kMaxChoices = 6;

constexpr std::array<std::string_view, 5> kLessonKeys{"id", "title", "summary", "actors", "steps"};
constexpr std::array<std::string_view, 3> kActorKeys{"name", "role", "family"};
constexpr std::array<std::string_view, 5> kExpectKeys{"ok", "errno", "returns", "received",
                                                      "state"};
constexpr std::array<std::string_view, 6> kStateKeys{"socket", "tcp",   "tcp_if_peer_closed",
                                                     "api",    "queue", "inq"};
constexpr std::array<std::string_view, 4> kQuestionKeys{"prompt", "choices", "answer",
                                                        "explanation"};
constexpr std::array<std::string_view, 7> kCommonStepKeys{
    "actor", "call", "narration", "expect", "question", "outside_client", "focus"};

// The argument keys each call takes, beyond the common step keys.
struct CallKeys {
    CallKind call;
    std::array<std::string_view, 4> keys;  // empty entries unused
};
constexpr std::array<CallKeys, static_cast<size_t>(CallKind::kCount)> kCallKeys{{
    {CallKind::kSocket, {"result", "family", "type", ""}},
    {CallKind::kSetsockopt, {"socket", "option", "value", "linger"}},
    {CallKind::kFcntl, {"socket", "nonblocking", "", ""}},
    {CallKind::kBind, {"socket", "host", "port", "peer"}},
    {CallKind::kListen, {"socket", "backlog", "", ""}},
    {CallKind::kAccept, {"socket", "result", "", ""}},
    {CallKind::kConnect, {"socket", "host", "port", "peer"}},
    {CallKind::kSend, {"socket", "data", "", ""}},
    {CallKind::kWrite, {"socket", "data", "", ""}},
    {CallKind::kRecv, {"socket", "size", "", ""}},
    {CallKind::kRead, {"socket", "size", "", ""}},
    {CallKind::kSendto, {"socket", "data", "host", "port"}},  // + peer, below
    {CallKind::kRecvfrom, {"socket", "size", "", ""}},
    {CallKind::kShutdown, {"socket", "how", "", ""}},
    {CallKind::kClose, {"socket", "", "", ""}},
    {CallKind::kGetsockname, {"socket", "", "", ""}},
    {CallKind::kGetpeername, {"socket", "", "", ""}},
    {CallKind::kPoll, {"sockets", "events", "timeout_ms", ""}},
}};

bool CallTakes(CallKind call, std::string_view key) {
    if (call == CallKind::kSendto && key == "peer") return true;
    const auto& keys = kCallKeys[static_cast<size_t>(call)].keys;
    return !key.empty() && std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::vector<std::string_view> AllStepKeys() {
    std::vector<std::string_view> out(kCommonStepKeys.begin(), kCommonStepKeys.end());
    for (const CallKeys& c : kCallKeys) {
        for (std::string_view k : c.keys) {
            if (!k.empty() && std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
        }
    }
    return out;
}

std::vector<std::string_view> CallNames() {
    std::vector<std::string_view> out;
    for (size_t i = 0; i < static_cast<size_t>(CallKind::kCount); ++i) {
        out.push_back(CallName(static_cast<CallKind>(i)));
    }
    return out;
}

std::vector<std::string_view> ErrnoNames() {
    // ErrnoName now returns a string ("E<n>" for unnamed errnos): take the table's own names.
    return KnownErrnoNames();
}

std::vector<std::string_view> TcpStateNames() {
    std::vector<std::string_view> out;
    for (int s = 1; s <= 11; ++s) out.push_back(TcpStateName(static_cast<TcpState>(s)));
    return out;
}

std::vector<std::string_view> ApiStateNames() {
    std::vector<std::string_view> out;
    for (size_t s = 1; s < static_cast<size_t>(ApiState::kCount); ++s) {
        out.push_back(ApiStateName(static_cast<ApiState>(s)));
    }
    return out;
}

std::string CallText(CallKind call) {
    return std::string(CallName(call)) + "()";
}

bool ValidName(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameLength) return false;
    if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

bool ValidId(std::string_view id) {
    if (id.empty() || id.size() > 40) return false;
    if (!std::islower(static_cast<unsigned char>(id[0])) &&
        !std::isdigit(static_cast<unsigned char>(id[0]))) {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '-';
    });
}

// What the reader knows about a socket name while walking the steps in order.
struct SocketInfo {
    int actor = 0;
    Family family = Family::kInet;
    SockType type = SockType::kStream;
    int created_line = 0;
    int closed_line = 0;  // 0 while open
    bool broken = false;  // its own step had errors: uses are not checked again (no cascades)
    bool bound = false;   // a bind() or connect() not expected to fail came before
};

class LessonReader {
  public:
    explicit LessonReader(std::string file) : m_diag(std::move(file)) {}

    LessonResult Read(std::string_view text) {
        // Text toml++ 3.3 cannot read without undefined behaviour never reaches it (see
        // lesson_toml.h). toml++ stops at the first error, so a mistake in the statements
        // before that place is the one reported, as toml++ would.
        if (auto unsafe = lesson_detail::FindTextTomlCannotRead(text)) {
            if (!ParseToml(text.substr(0, unsafe->statement_start))) return m_diag.Take();
            m_diag.Error(unsafe->line, unsafe->column, std::move(unsafe->message));
            return m_diag.Take();
        }
        auto root = ParseToml(text);
        if (!root) return m_diag.Take();
        Lesson lesson = ReadLesson(*root);
        if (!m_diag.Empty()) return m_diag.Take();
        return lesson;
    }

    void SetSourceName(std::string name) { m_source_name = std::move(name); }

  private:
    std::optional<toml::table> ParseToml(std::string_view text) {
        try {
            return toml::parse(text, std::string_view(m_source_name));
        } catch (const toml::parse_error& e) {
            std::string message = std::string(e.description()) +
                                  " (this is not valid TOML; docs/LESSONS.md shows the format)";
            if (e.description().find("utf-8") != std::string_view::npos) {
                if (const auto bad = lesson_detail::FirstInvalidUtf8(text)) {
                    m_diag.Error(bad->first, bad->second, std::move(message));
                    return std::nullopt;
                }
            }
            m_diag.Error(e.source(), std::move(message));
            return std::nullopt;
        }
    }

    Lesson ReadLesson(const toml::table& root) {
        Lesson lesson;
        TableReader top(m_diag, root, "the lesson");
        top.CheckKeys(kLessonKeys);
        if (auto id = top.String("id", true, "id = \"my-lesson\"")) {
            if (!ValidId(*id)) {
                top.Error(root.get("id")->source(),
                          "the id '" + *id +
                              "' must be 1-40 lowercase letters, digits and '-', "
                              "starting with a letter or digit, such as \"my-lesson\"");
            }
            lesson.id = *id;
        }
        if (auto t = top.Text("title", true)) lesson.title = *t;
        if (auto t = top.Text("summary", true)) lesson.summary = *t;
        ReadActors(root, lesson);
        ReadSteps(root, lesson);
        return lesson;
    }

    // ---- actors ------------------------------------------------------------------------

    void ReadActors(const toml::table& root, Lesson& lesson) {
        const toml::node* node = root.get("actors");
        if (!node) {
            m_diag.Error(1, 1,
                         "the lesson has no actors: add at least one [[actors]] table with "
                         "name = \"server\" and role = \"server\"");
            return;
        }
        const auto* array = node->as_array();
        if (!array || !array->is_array_of_tables()) {
            m_diag.Error(node->source(),
                         "'actors' must be a list of tables: write each actor "
                         "as an [[actors]] table with name and role");
            return;
        }
        if (array->size() > kMaxActors) {
            m_diag.Error(node->source(), "a lesson may have at most " + std::to_string(kMaxActors) +
                                             " actors, this one has " +
                                             std::to_string(array->size()));
            return;
        }
        for (const toml::node& element : *array) {
            const toml::table& t = *element.as_table();
            const std::string what = "actor " + std::to_string(lesson.actors.size() + 1);
            TableReader r(m_diag, t, what);
            r.CheckKeys(kActorKeys);
            LessonActor actor;
            if (auto name = r.String("name", true, "name = \"server\"")) {
                if (!ValidName(*name)) {
                    r.Error(t.get("name")->source(),
                            "the actor name '" + *name +
                                "' must be 1-32 letters, digits, '_' or "
                                "'-', starting with a letter, such as \"server\" or \"client2\"");
                } else if (m_actor_lines.count(*name)) {
                    r.Error(t.get("name")->source(), "there is already an actor named '" + *name +
                                                         "' (line " +
                                                         std::to_string(m_actor_lines[*name]) +
                                                         "); give each actor its own name");
                } else {
                    m_actor_lines[*name] = LineOf(t.source());
                }
                actor.name = *name;
            }
            if (auto role = r.String("role", true, "role = \"server\"")) {
                if (*role == "server") {
                    actor.role = Role::kServer;
                } else if (*role == "client") {
                    actor.role = Role::kClient;
                } else {
                    r.Error(t.get("role")->source(),
                            "the role must be \"server\" or \"client\", not \"" + *role + "\"");
                }
            }
            if (auto family = r.String("family", false, "family = \"AF_INET6\"")) {
                if (auto f = ParseFamily(*family)) {
                    actor.family = *f;
                } else {
                    r.Error(t.get("family")->source(),
                            "the family must be \"AF_INET\" (IPv4) or \"AF_INET6\" (IPv6), not \"" +
                                *family + "\"");
                }
            }
            lesson.actors.push_back(actor);
        }
        if (lesson.actors.empty()) {
            m_diag.Error(node->source(), "the lesson has no actors: add an [[actors]] table");
        }
    }

    std::optional<int> ActorIndex(const Lesson& lesson, std::string_view name) const {
        for (size_t i = 0; i < lesson.actors.size(); ++i) {
            if (lesson.actors[i].name == name) return static_cast<int>(i);
        }
        return std::nullopt;
    }

    // ---- steps -------------------------------------------------------------------------

    void ReadSteps(const toml::table& root, Lesson& lesson) {
        const toml::node* node = root.get("steps");
        if (!node) {
            m_diag.Error(1, 1, "the lesson has no steps: add [[steps]] tables, one per call");
            return;
        }
        const auto* array = node->as_array();
        if (!array || !array->is_array_of_tables()) {
            m_diag.Error(node->source(),
                         "'steps' must be a list of tables: write each step as "
                         "a [[steps]] table");
            return;
        }
        if (array->empty()) {
            m_diag.Error(node->source(), "the lesson has no steps: add [[steps]] tables");
            return;
        }
        if (array->size() > kMaxSteps) {
            m_diag.Error(node->source(), "a lesson may have at most " + std::to_string(kMaxSteps) +
                                             " steps, this one has " +
                                             std::to_string(array->size()));
            return;
        }
        // Names created by later steps, so "not created yet" can say where it will be.
        for (const toml::node& element : *array) {
            const toml::table& t = *element.as_table();
            if (const auto* result = t.get_as<std::string>("result")) {
                m_future.emplace(result->get(), LineOf(t.source()));
            }
        }
        int number = 0;
        for (const toml::node& element : *array) {
            ++number;
            const toml::table& t = *element.as_table();
            m_current_line = LineOf(t.source());
            m_pending_new.reset();
            m_step_socket.reset();
            m_closing.clear();
            m_binding.clear();
            if (auto step = ReadStep(t, number, lesson)) {
                lesson.steps.push_back(std::move(*step));
            } else {
                lesson.steps.emplace_back();  // keeps numbering; the lesson is invalid anyway
            }
            FinishStep();
            // A name this step should have created exists from now on even if the step was
            // wrong, so one mistake does not turn every later use into another error.
            if (const auto* result = t.get_as<std::string>("result")) {
                if (!m_sockets.count(result->get()) && !m_failed_creations.count(result->get())) {
                    SocketInfo info;
                    info.created_line = m_current_line;
                    info.broken = true;
                    m_sockets.emplace(result->get(), info);
                }
            }
        }
    }

    std::optional<LessonStep> ReadStep(const toml::table& t, int number, const Lesson& lesson) {
        const std::string what = "step " + std::to_string(number);
        TableReader r(m_diag, t, what);
        static const std::vector<std::string_view> kAllKeys = AllStepKeys();
        r.CheckKeys(kAllKeys);

        LessonStep step;
        step.line = LineOf(t.source());
        bool ok = true;

        std::optional<int> actor;
        if (auto name = r.String("actor", true, "actor = \"server\"")) {
            actor = ActorIndex(lesson, *name);
            // With no valid actors at all, that error was reported once already.
            if (!actor && !lesson.actors.empty()) {
                std::vector<std::string_view> names;
                for (const LessonActor& a : lesson.actors) names.push_back(a.name);
                r.Error(t.get("actor")->source(),
                        "there is no actor named '" + *name + "'" + DidYouMean(*name, names) +
                            "; the actors of this lesson are " + JoinQuoted(names));
            }
        }
        ok = ok && actor.has_value();
        if (actor) step.actor = *actor;

        std::optional<CallKind> call;
        if (auto name = r.String("call", true, "call = \"socket\"")) {
            call = ParseCallName(*name);
            if (!call) {
                static const std::vector<std::string_view> kCalls = CallNames();
                r.Error(t.get("call")->source(), "'" + *name + "' is not a call sockstep can make" +
                                                     DidYouMean(*name, kCalls) +
                                                     "; the calls are " + JoinQuoted(kCalls));
            }
        }
        if (!call) ok = false;

        if (auto text = r.Text("narration", true)) {
            step.narration = *text;
        } else {
            ok = false;
        }

        if (call) {
            step.request.call = *call;
            // Keys that belong to another call: say which call takes them.
            for (const auto& [key, node] : t) {
                const std::string_view k = key.str();
                const bool common = std::find(kCommonStepKeys.begin(), kCommonStepKeys.end(), k) !=
                                    kCommonStepKeys.end();
                if (common || CallTakes(*call, k)) continue;
                std::vector<std::string_view> takers;
                for (size_t c = 0; c < static_cast<size_t>(CallKind::kCount); ++c) {
                    if (CallTakes(static_cast<CallKind>(c), k)) {
                        takers.push_back(CallName(static_cast<CallKind>(c)));
                    }
                }
                if (takers.empty()) continue;  // already reported as an unknown key
                std::string list;
                for (size_t i = 0; i < takers.size(); ++i) {
                    list += (i ? ", " : "") + std::string(takers[i]) + "()";
                }
                r.Error(key.source(), "'" + std::string(k) + "' is not an argument of " +
                                          CallText(*call) + "; it is used by " + list);
                ok = false;
            }
            if (actor) ok = ReadArguments(r, *call, *actor, lesson, step) && ok;
        }

        if (const toml::node* node = t.get("outside_client")) {
            if (auto v = r.Boolean("outside_client", false)) {
                if (call && *call != CallKind::kAccept) {
                    r.Error(node->source(),
                            "'outside_client' only makes sense on an accept() "
                            "step: it marks the accept that waits for a real "
                            "program such as nc or curl");
                    ok = false;
                }
                step.outside_client = *v;
            } else {
                ok = false;
            }
        }

        if (const toml::node* node = t.get("expect")) {
            if (call && actor) {
                step.expect = ReadExpect(*node, what, *call);
                if (!step.expect) ok = false;
            }
        }
        if (const toml::node* node = t.get("question")) {
            step.question = ReadQuestion(*node, what);
            if (!step.question) ok = false;
        }

        if (t.get("focus")) ok = ReadFocus(r, t, step) && ok;

        // The socket this step creates exists from here on (after the expect, which may name it).
        if (!ok) return std::nullopt;
        return step;
    }

    // `focus = ["client2", "client3"]`: sockets the stage must show whole at this step, besides
    // the ones the call uses (any actor's, created by now or by this step).
    bool ReadFocus(TableReader& r, const toml::table& t, LessonStep& step) {
        auto names = r.Strings("focus", false, "focus = [\"client2\"]");
        if (!names) return false;
        const auto* result = t.get_as<std::string>("result");
        bool ok = true;
        for (const auto& [name, where] : *names) {
            if (m_sockets.count(name) || (result && result->get() == name)) {
                step.focus.push_back(name);
                continue;
            }
            std::vector<std::string_view> known;
            for (const auto& [n, info] : m_sockets) known.push_back(n);
            r.Error(where, "'focus' names '" + name + "', but no socket of that name exists at " +
                               "this step" + DidYouMean(name, known) +
                               "; list sockets created by this or an earlier step");
            ok = false;
        }
        return ok;
    }

    // ---- socket names ------------------------------------------------------------------

    // The line of a later step that creates `name`, or 0.
    int FutureLine(const std::string& name) const {
        auto [begin, end] = m_future.equal_range(name);
        for (auto it = begin; it != end; ++it) {
            if (it->second > m_current_line) return it->second;
        }
        return 0;
    }

    // Looks up a socket the step uses. `own`: it must belong to the step's actor.
    const SocketInfo* UseSocket(TableReader& r, const toml::source_region& where,
                                const std::string& name, int actor, const Lesson& lesson, bool own,
                                bool allow_closed, std::string_view role) {
        auto it = m_sockets.find(name);
        if (it == m_sockets.end()) {
            std::string message = "no socket named '" + name + "' exists yet";
            auto failed = m_failed_creations.find(name);
            if (failed != m_failed_creations.end()) {
                message = "no socket named '" + name + "' exists: the step at line " +
                          std::to_string(failed->second) +
                          " that would create it is expected to fail (its expect has an errno)";
            } else if (const int later = FutureLine(name); later > 0) {
                message += ": it is created at line " + std::to_string(later) +
                           ", after this step; move this step below that one";
            } else {
                std::vector<std::string_view> names;
                for (const auto& [n, info] : m_sockets) names.push_back(n);
                message += DidYouMean(name, names) +
                           "; sockets are created by socket() or accept() with result = \"" + name +
                           "\"";
            }
            r.Error(where, message);
            return nullptr;
        }
        const SocketInfo& info = it->second;
        if (info.broken) return &info;
        if (own && info.actor != actor) {
            r.Error(where, "the socket '" + name + "' belongs to the actor '" +
                               lesson.actors[static_cast<size_t>(info.actor)].name +
                               "' (created at line " + std::to_string(info.created_line) + "); '" +
                               lesson.actors[static_cast<size_t>(actor)].name +
                               "' is another program and cannot use its descriptor" +
                               std::string(role.empty() ? "" : " as ") + std::string(role));
            return nullptr;
        }
        if (!allow_closed && info.closed_line) {
            r.Error(where, "the socket '" + name + "' was closed at line " +
                               std::to_string(info.closed_line) +
                               "; its descriptor no longer exists. Create a new socket with "
                               "another name to go on");
            return nullptr;
        }
        return &info;
    }

    bool NewSocket(TableReader& r, const toml::table& t, int actor, Family family, SockType type,
                   CallRequest& request) {
        auto result = r.String("result", true, "result = \"listener\"");
        if (!result) return false;
        const toml::source_region& where = t.get("result")->source();
        if (!ValidName(*result)) {
            r.Error(where,
                    "the socket name '" + *result +
                        "' must be 1-32 letters, digits, "
                        "'_' or '-', starting with a letter, such as \"listener\" or \"conn\"");
            return false;
        }
        if (auto it = m_sockets.find(*result); it != m_sockets.end()) {
            r.Error(where, "a socket named '" + *result + "' was already created at line " +
                               std::to_string(it->second.created_line) +
                               "; every socket needs its own name, for example '" + *result + "2'");
            return false;
        }
        request.result = *result;
        SocketInfo info{actor, family, type, LineOf(t.source()), 0};
        // accept() returns a connected socket: it has an address from the start.
        info.bound = request.call == CallKind::kAccept;
        m_pending_new = {*result, info};
        return true;
    }

    void CommitNewSocket() {
        if (m_pending_new) m_sockets.emplace(m_pending_new->first, m_pending_new->second);
        m_pending_new.reset();
    }

    // ---- arguments ---------------------------------------------------------------------

    bool ReadArguments(TableReader& r, CallKind call, int actor, const Lesson& lesson,
                       LessonStep& step) {
        const toml::table& t = r.Table();
        CallRequest& req = step.request;
        CallArgs& args = req.args;
        bool ok = true;

        if (NeedsSocket(call)) {
            if (auto name = r.String("socket", true, "socket = \"listener\"")) {
                const bool allow_closed = false;
                if (const SocketInfo* info = UseSocket(r, t.get("socket")->source(), *name, actor,
                                                       lesson, true, allow_closed, "")) {
                    m_step_socket = *info;
                    req.socket = *name;
                } else {
                    ok = false;
                }
            } else {
                ok = false;
            }
        }

        switch (call) {
            case CallKind::kSocket: {
                args.family = lesson.actors[static_cast<size_t>(actor)].family;
                if (auto f = r.String("family", false, "family = \"AF_INET\"")) {
                    if (auto family = ParseFamily(*f)) {
                        args.family = *family;
                    } else {
                        r.Error(t.get("family")->source(),
                                "the family must be \"AF_INET\" (IPv4) or \"AF_INET6\" (IPv6), "
                                "not \"" +
                                    *f + "\"");
                        ok = false;
                    }
                }
                if (auto s = r.String("type", false, "type = \"SOCK_STREAM\"")) {
                    if (auto type = ParseSockType(*s)) {
                        args.type = *type;
                    } else {
                        r.Error(t.get("type")->source(),
                                "the type must be \"SOCK_STREAM\" (TCP) or \"SOCK_DGRAM\" (UDP), "
                                "not \"" +
                                    *s + "\"");
                        ok = false;
                    }
                }
                ok = NewSocket(r, t, actor, args.family, args.type, req) && ok;
                break;
            }
            case CallKind::kAccept:
                ok = NewSocket(r, t, actor, m_step_socket ? m_step_socket->family : Family::kInet,
                               SockType::kStream, req) &&
                     ok;
                break;
            case CallKind::kSetsockopt: {
                if (auto name = r.String("option", true, "option = \"SO_REUSEADDR\"")) {
                    if (auto option = ParseSockOpt(*name)) {
                        args.option = *option;
                    } else {
                        std::vector<std::string_view> names;
                        for (size_t i = 0; i < static_cast<size_t>(SockOpt::kCount); ++i) {
                            names.push_back(SockOptName(static_cast<SockOpt>(i)));
                        }
                        r.Error(t.get("option")->source(),
                                "'" + *name + "' is not an option sockstep can set" +
                                    DidYouMean(*name, names) + "; the options are " +
                                    JoinQuoted(names));
                        ok = false;
                    }
                } else {
                    ok = false;
                }
                if (auto v = r.Integer("value", false, 0, 1 << 24, "the option value")) {
                    args.value = static_cast<int>(*v);
                } else if (r.Has("value")) {
                    ok = false;
                }
                if (auto v = r.Integer("linger", false, 0, kMaxLingerSeconds,
                                       "the linger time in seconds")) {
                    args.linger_seconds = static_cast<int>(*v);
                    if (args.option != SockOpt::kLinger) {
                        r.Error(t.get("linger")->source(),
                                "'linger' is the l_linger time of SO_LINGER; it means nothing for "
                                "another option");
                        ok = false;
                    }
                } else if (r.Has("linger")) {
                    ok = false;
                }
                break;
            }
            case CallKind::kFcntl:
                if (auto v = r.Boolean("nonblocking", true)) {
                    args.nonblocking = *v;
                } else {
                    ok = false;
                }
                break;
            case CallKind::kBind:
            case CallKind::kConnect:
            case CallKind::kSendto:
                ok = ReadAddress(r, call, actor, lesson, args.address) && ok;
                if (call != CallKind::kSendto) m_binding = req.socket;
                break;
            case CallKind::kListen:
                if (auto v = r.Integer("backlog", false, 0, kMaxBacklog, "the backlog")) {
                    args.backlog = static_cast<int>(*v);
                } else if (r.Has("backlog")) {
                    ok = false;
                }
                break;
            case CallKind::kSend:
            case CallKind::kWrite:
                break;
            case CallKind::kRecv:
            case CallKind::kRead:
            case CallKind::kRecvfrom:
                if (auto v = r.Integer("size", false, 1, kMaxRecvSize, "the buffer size")) {
                    args.size = static_cast<int>(*v);
                } else if (r.Has("size")) {
                    ok = false;
                }
                break;
            case CallKind::kShutdown:
                if (auto how = r.String("how", true, "how = \"SHUT_WR\"")) {
                    if (auto h = ParseShutHow(*how)) {
                        args.how = *h;
                    } else {
                        r.Error(t.get("how")->source(),
                                "'how' must be \"SHUT_RD\", \"SHUT_WR\" or \"SHUT_RDWR\", not \"" +
                                    *how + "\"");
                        ok = false;
                    }
                } else {
                    ok = false;
                }
                break;
            case CallKind::kClose:
                break;
            case CallKind::kGetsockname:
            case CallKind::kGetpeername:
                break;
            case CallKind::kPoll:
                ok = ReadPoll(r, actor, lesson, args) && ok;
                break;
            case CallKind::kCount:
                break;
        }
        // listen() on TCP and sendto() on UDP bind a socket that has no address yet to the
        // wildcard address (every interface): the session refuses that, so the checker does.
        if (m_step_socket && !m_step_socket->broken && !m_step_socket->bound &&
            ((call == CallKind::kListen && m_step_socket->type == SockType::kStream) ||
             ((call == CallKind::kSendto || call == CallKind::kSend || call == CallKind::kWrite) &&
              m_step_socket->type == SockType::kDgram))) {
            const std::string loopback =
                m_step_socket->family == Family::kInet6 ? "::1" : "127.0.0.1";
            r.Error(t.get("socket")->source(),
                    CallText(call) + " on '" + req.socket +
                        "', which was never bound, would "
                        "make Linux bind it to every network interface (0.0.0.0 or ::) on a random "
                        "port, and sockstep only uses loopback: add a bind() step for '" +
                        req.socket + "' before this one (host = \"" + loopback +
                        "\", port = 0 picks a free port)");
            ok = false;
        }
        if (call == CallKind::kSend || call == CallKind::kWrite || call == CallKind::kSendto) {
            if (auto data = r.Bytes("data", true, "data = \"hello\"")) {
                if (data->size() > kMaxDataBytes) {
                    r.Error(t.get("data")->source(), "'data' has " + std::to_string(data->size()) +
                                                         " bytes; a step may send at most " +
                                                         std::to_string(kMaxDataBytes));
                    ok = false;
                }
                args.data = *data;
            } else {
                ok = false;
            }
        }
        if (call == CallKind::kClose && m_step_socket) {
            m_closing = req.socket;
        }
        return ok;
    }

    bool ReadAddress(TableReader& r, CallKind call, int actor, const Lesson& lesson,
                     Address& address) {
        const toml::table& t = r.Table();
        bool ok = true;
        const bool has_peer = r.Has("peer");
        const bool has_host = r.Has("host");
        const bool has_port = r.Has("port");
        if (has_peer && (has_host || has_port)) {
            r.Error(t.get("peer")->source(),
                    "give either 'peer' (the address of another socket of the lesson) or "
                    "'host' and 'port', not both");
            return false;
        }
        if (call != CallKind::kBind && !has_peer && !has_port) {
            r.Error(CallText(call) +
                    " needs somewhere to go: add peer = \"listener\" (the "
                    "address of another socket of this lesson, ephemeral port included) or "
                    "host = \"127.0.0.1\" and port = …");
            return false;
        }
        if (has_peer) {
            auto name = r.String("peer", true, "peer = \"listener\"");
            if (!name) return false;
            const SocketInfo* info =
                UseSocket(r, t.get("peer")->source(), *name, actor, lesson, false, true, "");
            if (!info) return false;
            if (m_step_socket && !info->broken && !m_step_socket->broken &&
                info->family != m_step_socket->family) {
                r.Error(t.get("peer")->source(),
                        "the socket '" + *name + "' is " + std::string(FamilyName(info->family)) +
                            " but this step's socket is " +
                            std::string(FamilyName(m_step_socket->family)) +
                            "; both ends must use the same address family");
                return false;
            }
            if (!info->broken && !info->bound) {
                r.Error(t.get("peer")->source(),
                        "the socket '" + *name +
                            "' has no address yet, so there is nothing to "
                            "go to: bind() it (or connect() it) in an earlier step");
                return false;
            }
            address.peer = *name;
            return true;
        }
        if (auto port = r.Integer("port", false, 0, 65535, "a port")) {
            address.port = static_cast<uint16_t>(*port);
        } else if (has_port) {
            ok = false;
        }
        if (auto host = r.String("host", false, "host = \"127.0.0.1\"")) {
            address.host = *host;
        } else if (has_host) {
            ok = false;
        }
        if (ok && !(m_step_socket && m_step_socket->broken)) {
            // The same check the session makes before the call: loopback only, right family.
            const Family family = m_step_socket ? m_step_socket->family
                                                : lesson.actors[static_cast<size_t>(actor)].family;
            const auto resolved = ResolveLoopback(address.host, address.port, family);
            if (const auto* error = std::get_if<AddressError>(&resolved)) {
                const toml::node* where = has_host ? t.get("host") : nullptr;
                if (where) {
                    r.Error(where->source(), error->message);
                } else {
                    r.Error(error->message);
                }
                ok = false;
            }
        }
        return ok;
    }

    bool ReadPoll(TableReader& r, int actor, const Lesson& lesson, CallArgs& args) {
        bool ok = true;
        if (auto names = r.Strings("sockets", true, "sockets = [\"listener\"]")) {
            if (names->empty()) {
                r.Error(r.Table().get("sockets")->source(),
                        "'sockets' is empty: name at least one socket to watch");
                ok = false;
            }
            for (const auto& [name, where] : *names) {
                if (UseSocket(r, where, name, actor, lesson, true, false, "")) {
                    args.poll_sockets.push_back(name);
                } else {
                    ok = false;
                }
            }
        } else {
            ok = false;
        }
        if (auto events = r.Strings("events", true, "events = [\"POLLIN\"]")) {
            if (events->empty()) {
                r.Error(r.Table().get("events")->source(),
                        "'events' is empty: watch \"POLLIN\" (readable) and/or \"POLLOUT\" "
                        "(writable)");
                ok = false;
            }
            for (const auto& [name, where] : *events) {
                if (name != "POLLIN" && name != "POLLOUT") {
                    r.Error(where,
                            "poll events are \"POLLIN\" (readable, or a connection to "
                            "accept) and \"POLLOUT\" (writable, or connected), not \"" +
                                name + "\"");
                    ok = false;
                } else {
                    args.poll_events.push_back(name);
                }
            }
        } else {
            ok = false;
        }
        if (auto v = r.Integer("timeout_ms", false, -1, kMaxPollTimeoutMs,
                               "the timeout in milliseconds (-1 waits for ever)")) {
            args.timeout_ms = static_cast<int>(*v);
        } else if (r.Has("timeout_ms")) {
            ok = false;
        }
        return ok;
    }

    // ---- expect ------------------------------------------------------------------------

    std::optional<Expect> ReadExpect(const toml::node& node, const std::string& step_what,
                                     CallKind call) {
        const auto* table = node.as_table();
        // A socket()/accept() the teacher expects to fail creates no socket, and its name stays
        // free. Otherwise the new socket may be named in its own expectation.
        if (table && !m_binding.empty()) {
            if (const auto* e = table->get_as<std::string>("errno")) {
                if (auto err = ParseErrnoName(e->get()); err && *err != 0) m_binding.clear();
            }
        }
        if (table && m_pending_new) {
            if (const auto* e = table->get_as<std::string>("errno")) {
                if (auto err = ParseErrnoName(e->get()); err && *err != 0) {
                    m_failed_creations[m_pending_new->first] = m_current_line;
                    m_pending_new.reset();
                }
            }
        }
        CommitNewSocket();
        if (!table) {
            m_diag.Error(node.source(), "'expect' in " + step_what +
                                            " must be a table, such as "
                                            "expect.ok = true or expect.errno = \"ECONNREFUSED\"");
            return std::nullopt;
        }
        const std::string what = "the expect of " + step_what;
        TableReader r(m_diag, *table, what);
        bool ok = r.CheckKeys(kExpectKeys);
        Expect expect;
        expect.line = LineOf(table->source());
        const auto ok_flag = r.Boolean("ok", false);
        if (r.Has("ok") && !ok_flag) ok = false;
        const auto errno_name = r.String("errno", false, "errno = \"ECONNREFUSED\"");
        if (r.Has("errno") && !errno_name) ok = false;
        if (ok_flag && errno_name) {
            r.Error(table->get("errno")->source(),
                    "give either ok = true (the call succeeds) or errno = \"…\" (it fails with "
                    "that error), not both");
            ok = false;
        } else if (ok_flag) {
            if (!*ok_flag) {
                r.Error(table->get("ok")->source(),
                        "ok = false does not say which error to expect: write errno = \"E…\" "
                        "(for example errno = \"ECONNREFUSED\") instead");
                ok = false;
            } else {
                expect.err = 0;
            }
        } else if (errno_name) {
            if (auto err = ParseErrnoName(*errno_name)) {
                expect.err = *err;
            } else {
                static const std::vector<std::string_view> kNames = ErrnoNames();
                r.Error(table->get("errno")->source(),
                        "'" + *errno_name + "' is not an errno name sockstep knows" +
                            DidYouMean(*errno_name, kNames) +
                            "; write it as in C, such as \"ECONNREFUSED\" or \"EADDRINUSE\"");
                ok = false;
            }
        }
        if (const toml::node* ret = table->get("returns")) {
            if (CreatesSocket(call)) {
                r.Error(ret->source(), "'returns' cannot be used with " + CallText(call) +
                                           ": the descriptor number depends on what else the "
                                           "program has open; use ok = true");
                ok = false;
            } else if (auto v =
                           r.Integer("returns", false, -1, int64_t{1} << 40, "the return value")) {
                expect.ret = *v;
            } else {
                ok = false;
            }
        }
        if (const toml::node* received = table->get("received")) {
            if (call != CallKind::kRecv && call != CallKind::kRead && call != CallKind::kRecvfrom) {
                r.Error(received->source(),
                        "'received' checks the bytes a recv(), read() or "
                        "recvfrom() returns; " +
                            CallText(call) + " receives nothing");
                ok = false;
            } else if (auto s = r.Bytes("received", false, "received = \"hello\"")) {
                expect.data = *s;
            } else {
                ok = false;
            }
        }
        if (const toml::node* states = table->get("state")) {
            ok = ReadStates(*states, what, expect) && ok;
        }
        if (ok && !expect.err && !expect.ret && !expect.data && expect.states.empty()) {
            r.Error(
                "this expect checks nothing: add ok = true, errno = \"…\", returns, received "
                "or a [[steps.expect.state]] table");
            ok = false;
        }
        if (!ok) return std::nullopt;
        return expect;
    }

    bool ReadStates(const toml::node& node, const std::string& what, Expect& expect) {
        std::vector<const toml::table*> tables;
        if (const auto* t = node.as_table()) {
            tables.push_back(t);
        } else if (const auto* array = node.as_array(); array && array->is_array_of_tables()) {
            for (const toml::node& e : *array) tables.push_back(e.as_table());
        } else {
            m_diag.Error(node.source(), "'state' in " + what +
                                            " must be a table or a list of "
                                            "tables: write [[steps.expect.state]] with socket = "
                                            "\"…\" and tcp = \"…\"");
            return false;
        }
        bool ok = true;
        for (const toml::table* t : tables) {
            TableReader r(m_diag, *t, "a state expectation");
            ok = r.CheckKeys(kStateKeys) && ok;
            StateExpect s;
            s.line = LineOf(t->source());
            const SocketInfo* info = nullptr;
            if (auto name = r.String("socket", true, "socket = \"listener\"")) {
                s.socket = *name;
                auto it = m_sockets.find(*name);
                if (it == m_sockets.end()) {
                    std::vector<std::string_view> names;
                    for (const auto& [n, i] : m_sockets) names.push_back(n);
                    r.Error(t->get("socket")->source(), "no socket named '" + *name +
                                                            "' exists at this step" +
                                                            DidYouMean(*name, names));
                    ok = false;
                } else if (!it->second.broken) {
                    info = &it->second;
                }
            } else {
                ok = false;
            }
            if (const toml::node* tcp = t->get("tcp")) {
                ok = ReadTcpStates(*tcp, s) && ok;
                if (const toml::node* alt = t->get("tcp_if_peer_closed")) {
                    StateExpect more;
                    ok = ReadTcpStates(*alt, more) && ok;
                    if (more.tcp) s.tcp_if_peer_closed.push_back(*more.tcp);
                    s.tcp_if_peer_closed.insert(s.tcp_if_peer_closed.end(), more.tcp_or.begin(),
                                                more.tcp_or.end());
                }
                if (info && info->type == SockType::kDgram) {
                    r.Error(tcp->source(), "'" + s.socket +
                                               "' is a UDP socket; the kernel "
                                               "reports no TCP state for it. Remove 'tcp' here");
                    ok = false;
                }
            }
            if (const toml::node* alt = t->get("tcp_if_peer_closed"); alt && !t->get("tcp")) {
                r.Error(alt->source(), "'tcp_if_peer_closed' adds to 'tcp': give 'tcp' too");
                ok = false;
            }
            if (auto api = r.String("api", false, "api = \"Listening\"")) {
                if (auto a = ParseApiState(*api); a && *a != ApiState::kNone) {
                    s.api = *a;
                } else {
                    static const std::vector<std::string_view> kNames = ApiStateNames();
                    r.Error(t->get("api")->source(),
                            "'" + *api + "' is not an API state" + DidYouMean(*api, kNames) +
                                "; the API states are " + JoinQuoted(kNames));
                    ok = false;
                }
            } else if (r.Has("api")) {
                ok = false;
            }
            if (auto q = r.Integer("queue", false, 0, kMaxBacklog + 1, "the accept-queue length")) {
                s.accept_queue = static_cast<int>(*q);
            } else if (r.Has("queue")) {
                ok = false;
            }
            if (auto q = r.Integer("inq", false, 0, int64_t{1} << 30, "the receive-queue size")) {
                s.inq = static_cast<int>(*q);
            } else if (r.Has("inq")) {
                ok = false;
            }
            if (ok && !s.tcp && !s.api && !s.accept_queue && !s.inq) {
                r.Error("this state expectation for '" + s.socket +
                        "' checks nothing: add "
                        "tcp = \"…\", api = \"…\", queue = … or inq = …");
                ok = false;
            }
            expect.states.push_back(std::move(s));
        }
        return ok;
    }

    bool ReadTcpStates(const toml::node& node, StateExpect& s) {
        std::vector<std::pair<std::string, toml::source_region>> names;
        if (const auto* str = node.as_string()) {
            names.emplace_back(str->get(), node.source());
        } else if (const auto* array = node.as_array(); array && !array->empty()) {
            for (const toml::node& e : *array) {
                if (const auto* es = e.as_string()) {
                    names.emplace_back(es->get(), e.source());
                } else {
                    m_diag.Error(e.source(),
                                 "every state in 'tcp' must be a text such as "
                                 "\"ESTAB\", not " +
                                     std::string(lesson_detail::TypeName(e)));
                    return false;
                }
            }
        } else {
            m_diag.Error(node.source(),
                         "'tcp' must be a state such as \"ESTAB\", or a list of "
                         "states any of which will do, such as "
                         "[\"FIN-WAIT-1\", \"FIN-WAIT-2\"]");
            return false;
        }
        bool ok = true;
        for (const auto& [name, where] : names) {
            auto state = ParseTcpState(name);
            if (!state) {
                static const std::vector<std::string_view> kNames = TcpStateNames();
                std::string hint = DidYouMean(name, kNames);
                // The RFC spelling is a common slip: point at the kernel's (ss) spelling.
                std::string dashed = name;
                std::replace(dashed.begin(), dashed.end(), '_', '-');
                if (name == "ESTABLISHED") {
                    hint = " (ss and sockstep spell it \"ESTAB\")";
                } else if (name == "CLOSED") {
                    hint = " (the kernel calls it \"CLOSE\")";
                } else if (dashed != name && ParseTcpState(dashed)) {
                    hint = " (write it with '-' as ss does: \"" + dashed + "\")";
                }
                m_diag.Error(where, "'" + name + "' is not a TCP state" + hint +
                                        "; the states are " + JoinQuoted(kNames));
                ok = false;
                continue;
            }
            if (!s.tcp) {
                s.tcp = *state;
            } else {
                s.tcp_or.push_back(*state);
            }
        }
        return ok;
    }

    // Marks the step's effects on socket names: a new socket exists, a closed one is gone.
    void FinishStep() {
        CommitNewSocket();
        if (!m_binding.empty()) {
            if (auto it = m_sockets.find(m_binding); it != m_sockets.end()) it->second.bound = true;
            m_binding.clear();
        }
        if (!m_closing.empty()) {
            if (auto it = m_sockets.find(m_closing); it != m_sockets.end()) {
                it->second.closed_line = m_current_line;
            }
            m_closing.clear();
        }
    }

    // ---- question ----------------------------------------------------------------------

    std::optional<Question> ReadQuestion(const toml::node& node, const std::string& step_what) {
        const auto* table = node.as_table();
        if (!table) {
            m_diag.Error(node.source(), "'question' in " + step_what +
                                            " must be a table with "
                                            "prompt, choices, answer and explanation");
            return std::nullopt;
        }
        TableReader r(m_diag, *table, "the question of " + step_what);
        bool ok = r.CheckKeys(kQuestionKeys);
        Question q;
        if (auto p = r.Text("prompt", true)) {
            q.prompt = *p;
        } else {
            ok = false;
        }
        if (auto e = r.Text("explanation", true)) {
            q.explanation = *e;
        } else {
            ok = false;
        }
        const toml::node* choices = table->get("choices");
        if (!choices) {
            r.Missing("choices",
                      "choices = [ { ko = \"…\", en = \"…\" }, { ko = \"…\", en = "
                      "\"…\" } ]");
            ok = false;
        } else if (const auto* array = choices->as_array()) {
            if (array->size() < 2 || array->size() > kMaxChoices) {
                m_diag.Error(choices->source(),
                             "a question needs 2 to " + std::to_string(kMaxChoices) +
                                 " choices, this one has " + std::to_string(array->size()));
                ok = false;
            }
            for (const toml::node& c : *array) {
                if (auto text = lesson_detail::ReadText(m_diag, c, "choice")) {
                    q.choices.push_back(*text);
                } else {
                    ok = false;
                }
            }
        } else {
            r.WrongType("choices", *choices, "a list of { ko = \"…\", en = \"…\" } tables",
                        "choices = [ { ko = \"예\", en = \"Yes\" }, { ko = \"아니요\", en = "
                        "\"No\" } ]");
            ok = false;
        }
        if (auto a = r.Integer("answer", true, 1, kMaxChoices, "the answer (a choice number)")) {
            if (ok && static_cast<size_t>(*a) > q.choices.size()) {
                m_diag.Error(table->get("answer")->source(), "answer = " + std::to_string(*a) +
                                                                 " but there are only " +
                                                                 std::to_string(q.choices.size()) +
                                                                 " choices; answers count from 1");
                ok = false;
            }
            q.answer = static_cast<int>(*a) - 1;
        } else {
            ok = false;
        }
        if (!ok) return std::nullopt;
        return q;
    }

    Diagnostics m_diag;
    std::string m_source_name;
    std::map<std::string, int> m_actor_lines;
    std::map<std::string, SocketInfo> m_sockets;
    std::multimap<std::string, int> m_future;
    std::map<std::string, int> m_failed_creations;
    std::optional<std::pair<std::string, SocketInfo>> m_pending_new;
    std::optional<SocketInfo> m_step_socket;
    std::string m_closing;
    std::string m_binding;  // the socket this step binds (bind/connect), until the step is done
    int m_current_line = 0;
};

}  // namespace

LessonResult ParseLesson(std::string_view text, const std::string& source_name) {
    LessonReader reader(source_name);
    reader.SetSourceName(source_name);
    return reader.Read(text);
}

}  // namespace sockstep::core
