// CLI11 validators for sockstep's options. Each runs on the text before CLI11 converts it, so the
// message can say what is wrong with the text itself.
#include "option_checks.h"

#include "sockstep/core/lesson_catalog.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace sockstep::app {
namespace {

// "1", "1.0" and "3" for the messages, not "1.000000".
std::string Short(double v) {
    std::string text = std::to_string(v);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}

std::string_view WithoutPlus(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    return text;
}

// The whole text as a double (from_chars also takes "nan" and "inf"); nullopt when it is not.
std::optional<double> ReadDouble(std::string_view text) {
    text = WithoutPlus(text);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size()) {
        return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range) return HUGE_VAL;  // "1e999": finite text, not value
    return v;
}

std::string Quoted(const std::string& text) {
    return "'" + text + "'";
}

}  // namespace

CLI::Validator NumberIn(double min, double max) {
    const std::string range = "between " + Short(min) + " and " + Short(max);
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            const auto v = ReadDouble(text);
            if (!v) return Quoted(text) + " is not a number";
            if (!std::isfinite(*v)) return Quoted(text) + " is not a finite number (" + range + ")";
            if (*v < min || *v > max) return Quoted(text) + " is not " + range;
            return {};
        },
        "NUMBER " + range);
}

CLI::Validator WholeNumberIn(long min, long max) {
    const std::string range = "between " + std::to_string(min) + " and " + std::to_string(max);
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            const std::string_view digits = WithoutPlus(text);
            long v = 0;
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
            if (digits.empty() || ec == std::errc::invalid_argument ||
                end != digits.data() + digits.size()) {
                if (ReadDouble(text))
                    return Quoted(text) + " is not a whole number (" + range + ")";
                return Quoted(text) + " is not a number";
            }
            if (ec == std::errc::result_out_of_range || v < min || v > max) {
                return Quoted(text) + " is not " + range;
            }
            return {};
        },
        "INT " + range);
}

CLI::Validator NotEmpty(const std::string& what) {
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            if (text.empty()) return "the value is empty; give " + what;
            return {};
        },
        "");
}

CLI::Option* AddLessonsOption(CLI::App& app, std::vector<std::string>& dirs) {
    return app
        .add_option("--lessons", dirs,
                    "Also list the lessons of this folder (before the XDG and built-in ones; on "
                    "an id clash it wins); may be given more than once")
        ->check(NotEmpty("a folder of .toml lessons"))
        ->check(CLI::Validator(
            [](std::string& dir) -> std::string {
                if (auto problem = core::LessonFolderProblem(dir))
                    return Quoted(dir) + ": " + *problem;
                return {};
            },
            ""))
        ->type_name("DIR")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace sockstep::app
