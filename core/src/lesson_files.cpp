// Lesson files on disk: loading one, listing the built-in ones, turning a lesson into the
// Session's script and actors, and formatting errors the way compilers do (file:line:column).
#include <algorithm>
#include <system_error>

#include "sockstep/core/lesson.h"
#include "sockstep/core/terminal_text.h"
#include "sockstep/core/user_file.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

// A lesson is a few kilobytes; anything this big is not one, and is not read into memory.
constexpr std::uintmax_t kMaxLessonFileBytes = 1 << 20;

LessonResult FileError(const std::string& file, std::string message) {
    return std::vector<LessonError>{LessonError{file, 0, 0, std::move(message)}};
}

}  // namespace

std::string LessonError::Format() const {
    // The file name may come from a directory listing: escaped like the message.
    std::string out = TerminalSafe(file, 4096);
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (column > 0) out += ":" + std::to_string(column);
    }
    return out + ": error: " + message;
}

LessonResult LoadLesson(const fs::path& path) {
    const std::string name = path.string();
    // Never blocks (a FIFO named as a lesson), never reads what is not one regular file.
    std::string text;
    if (auto problem = ReadUserFile(path, kMaxLessonFileBytes, text)) {
        return FileError(name, "cannot read the file: " + *problem);
    }
    LessonResult result = ParseLesson(text, name);
    if (auto* lesson = std::get_if<Lesson>(&result)) lesson->path = path;
    return result;
}

std::vector<fs::path> BuiltinLessonFiles(const fs::path& asset_dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    const fs::path dir = asset_dir / "lessons";
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".toml" && it->is_regular_file(ec)) {
            files.push_back(it->path());
        }
    }
    // The NN- prefix of the file names is the teaching order.
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<ScriptStep> ToScript(const Lesson& lesson) {
    std::vector<ScriptStep> script;
    script.reserve(lesson.steps.size());
    for (const LessonStep& step : lesson.steps) {
        script.push_back(ScriptStep{step.actor, step.request});
    }
    return script;
}

void AddActors(Session& session, const Lesson& lesson) {
    for (const LessonActor& actor : lesson.actors) {
        session.AddActor(ActorSpec{actor.name, actor.role, actor.family});
    }
}

std::vector<std::string> OutsideClientCommands(const Endpoint& listener) {
    const std::string port = std::to_string(listener.port);
    if (listener.family == Family::kInet6) {
        // curl reads [ ] as a glob range unless told not to.
        return {"nc " + listener.host + " " + port,
                "curl -g \"http://[" + listener.host + "]:" + port + "/\""};
    }
    return {"nc " + listener.host + " " + port, "curl http://" + listener.host + ":" + port + "/"};
}

}  // namespace sockstep::core
