// The export formats by name, the dispatcher over them, and the JSON Lines export.
#include <array>
#include <sstream>

#include "sockstep/core/trace_json.h"
#include "sockstep/model/export.h"

namespace sockstep::ui {
namespace {

constexpr std::array<std::string_view, 5> kFormatNames = {"c", "mermaid", "svg", "json", "python"};

}  // namespace

std::string_view ExportFormatName(ExportFormat format) {
    return kFormatNames[static_cast<size_t>(format)];
}

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
    for (size_t i = 0; i < kFormatNames.size(); ++i) {
        if (kFormatNames[i] == name) return static_cast<ExportFormat>(i);
    }
    return std::nullopt;
}

bool ExportNeedsLog(ExportFormat format) {
    return !ExportIsDirectory(format);
}

bool ExportIsDirectory(ExportFormat format) {
    return format == ExportFormat::kC || format == ExportFormat::kPython;
}

std::string ExportJson(const core::LogView& log) {
    std::ostringstream out;
    core::WriteJsonLines(log, out);
    return out.str();
}

std::variant<ExportResult, ExportError> Export(ExportFormat format, const core::Lesson& lesson,
                                               const core::LogView& log, core::Lang lang) {
    ExportResult result;
    switch (format) {
        case ExportFormat::kC:
            return ExportC(lesson, lang);
        case ExportFormat::kPython:
            return ExportPython(lesson, lang);
        case ExportFormat::kMermaid:
            result.files.push_back({lesson.id + ".mmd", ExportMermaid(lesson, log, lang)});
            break;
        case ExportFormat::kSvg:
            result.files.push_back({lesson.id + ".svg", ExportSvg(lesson, log, lang)});
            break;
        case ExportFormat::kJson:
            result.files.push_back({lesson.id + ".jsonl", ExportJson(log)});
            break;
    }
    return result;
}

}  // namespace sockstep::ui
