// libFuzzer target: any bytes as a lesson file, through toml++ and the validator (ParseLesson).
// A lesson comes from a teacher's disk or a download, so it is untrusted input: whatever it
// holds must end in a valid Lesson or in positioned errors, never a crash, leak, UB or hang.
// Beyond the sanitizers, it checks the promises the rest of the program relies on.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>
#include <vector>

#include "sockstep/core/lesson.h"

namespace {

using sockstep::core::Lesson;
using sockstep::core::LessonError;

// abort() is what libFuzzer reports as a crash and saves the input for.
void Require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "lesson_fuzz: broken promise: %s\n", what);
    std::abort();
}

void CheckErrors(const std::vector<LessonError>& errors) {
    // A rejected file must say why: an empty list would refuse the file with no message.
    Require(!errors.empty(), "a rejected lesson has at least one error");
    for (const LessonError& e : errors) {
        Require(!e.message.empty(), "every error has a message");
        Require(e.line >= 0 && e.column >= 0, "error positions are not negative");
        Require(!e.Format().empty(), "an error formats to text");
    }
}

// What the session, the UI and the trace index without further checks.
void CheckLesson(const Lesson& lesson) {
    Require(!lesson.actors.empty(), "a valid lesson has an actor");
    Require(!lesson.steps.empty(), "a valid lesson has a step");
    for (const auto& step : lesson.steps) {
        Require(step.actor >= 0 && static_cast<size_t>(step.actor) < lesson.actors.size(),
                "every step's actor exists");
        Require(!step.narration.en.empty() && !step.narration.ko.empty(),
                "every step is narrated in both languages");
        if (step.expect) (void)sockstep::core::DescribeExpect(*step.expect);
        if (step.question) {
            Require(step.question->answer >= 0 &&
                        static_cast<size_t>(step.question->answer) < step.question->choices.size(),
                    "a question's answer is one of its choices");
        }
    }
    Require(sockstep::core::ToScript(lesson).size() == lesson.steps.size(),
            "the script has one entry per step");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const sockstep::core::LessonResult result = sockstep::core::ParseLesson(text, "fuzz.toml");
    if (const auto* errors = std::get_if<std::vector<LessonError>>(&result)) {
        CheckErrors(*errors);
    } else {
        CheckLesson(std::get<Lesson>(result));
    }
    return 0;
}
