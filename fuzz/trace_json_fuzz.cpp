// libFuzzer target: any bytes as a saved JSON Lines log, through ReadJsonLines. A log is loaded
// from disk (someone else's recording, a truncated copy), so it is untrusted input: it must end
// in events or in one numbered error, never a crash, leak, UB or hang. An accepted log must
// also survive a round trip: what the writer makes of it, the reader takes back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/trace_json.h"

namespace {

using sockstep::core::Event;
using sockstep::core::TraceError;

void Require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "trace_json_fuzz: broken promise: %s\n", what);
    std::abort();
}

std::string Write(const std::vector<Event>& events) {
    std::string out;
    for (const Event& e : events) out += sockstep::core::EventToJsonLine(e) + "\n";
    return out;
}

std::variant<std::vector<Event>, TraceError> Read(const std::string& text) {
    std::istringstream in(text);
    return sockstep::core::ReadJsonLines(in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto first = Read(std::string(reinterpret_cast<const char*>(data), size));
    if (const auto* error = std::get_if<TraceError>(&first)) {
        Require(!error->message.empty(), "a rejected log says why");
        Require(error->line >= 1, "a rejected log names its line");
        return 0;
    }
    // write(read(x)) must read back, and write the same text again.
    const std::string written = Write(std::get<std::vector<Event>>(first));
    const auto second = Read(written);
    if (const auto* error = std::get_if<TraceError>(&second)) {
        std::fprintf(stderr, "trace_json_fuzz: the writer's output is refused: %s\n",
                     error->message.c_str());
        Require(false, "what the writer writes, the reader reads");
    }
    Require(Write(std::get<std::vector<Event>>(second)) == written,
            "a log written, read and written again is unchanged");
    return 0;
}
