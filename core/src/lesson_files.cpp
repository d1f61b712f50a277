// Lesson files on disk: loading one, finding the built-in ones, turning a lesson into the
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

// "03-accept-queue.toml" → "accept-queue": built-in files are named NN-<id>.toml.
std::string IdFromFileName(const fs::path& path) {
    const std::string stem = path.stem().string();
    const auto dash = stem.find('-');
    if (dash == std::string::npos || dash == 0) return stem;
    const bool numbered = std::all_of(stem.begin(), stem.begin() + static_cast<long>(dash),
                                      [](char c) { return c >= '0' && c <= '9'; });
    return numbered ? stem.substr(dash + 1) : stem;
}

bool LooksLikePath(const std::string& text) {
    return text.find('/') != std::string::npos ||
           (text.size() > 5 && text.compare(text.size() - 5, 5, ".toml") == 0);
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

LessonResult FindLesson(const std::string& id_or_path, const fs::path& asset_dir) {
    if (LooksLikePath(id_or_path)) return LoadLesson(id_or_path);
    const std::vector<fs::path> files = BuiltinLessonFiles(asset_dir);
    // Built-in files are named after their id; a file dropped in by a teacher may not be, so
    // fall back to reading every file's id.
    for (const fs::path& file : files) {
        if (IdFromFileName(file) != id_or_path) continue;
        LessonResult result = LoadLesson(file);
        const auto* lesson = std::get_if<Lesson>(&result);
        if (!lesson || lesson->id == id_or_path) return result;
    }
    std::vector<std::string> ids;
    for (const fs::path& file : files) {
        LessonResult result = LoadLesson(file);
        if (const auto* lesson = std::get_if<Lesson>(&result)) {
            if (lesson->id == id_or_path) return result;
            ids.push_back(lesson->id);
        }
    }
    // Not a built-in id: a file of that name (without .toml) in the working directory.
    std::error_code ec;
    // Anything there (a FIFO, a symlink loop) is that file, and LoadLesson says what is wrong.
    if (fs::exists(fs::symlink_status(id_or_path, ec))) return LoadLesson(id_or_path);
    if (files.empty()) {
        return FileError(id_or_path, "no built-in lessons were found in " +
                                         (asset_dir / "lessons").string() +
                                         "; give the path of a lesson file instead");
    }
    std::string list;
    for (size_t i = 0; i < ids.size(); ++i) list += (i ? ", " : "") + ids[i];
    return FileError(id_or_path,
                     "there is no built-in lesson with this id (the built-in "
                     "lessons are: " +
                         list +
                         "); a lesson file is given by its "
                         "path, ending in .toml");
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
