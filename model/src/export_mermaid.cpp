// `sockstep export --format mermaid`: the run as a Mermaid sequenceDiagram, pasteable into
// Markdown. Only a small, strict subset of the grammar is written (docs/EXPORT.md): participant
// lines, `A->>B: text` / `A-->>B: text` for calls and results, `A-)B: text` for packets, and
// `Note over A: text`. Characters Mermaid reads as syntax are written as entity codes (#59;).
#include <string>

#include "export_rows.h"
#include "sockstep/model/export.h"

namespace sockstep::ui {
namespace {

using detail::DiagramRow;
using detail::RowKind;

// Message text: one line; `;` and `#` end or start syntax, `<` `>` `&` `"` `%` could be read as
// HTML or comments, so they become Mermaid's numeric entity codes.
std::string Text(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case ';':
                out += "#59;";
                break;
            case '#':
                out += "#35;";
                break;
            case '<':
                out += "#60;";
                break;
            case '>':
                out += "#62;";
                break;
            case '&':
                out += "#38;";
                break;
            case '"':
                out += "#34;";
                break;
            case '%':
                out += "#37;";
                break;
            case '\n':
            case '\r':
            case '\t':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out.empty() ? "-" : out;
}

std::string Id(int participant) {
    return "p" + std::to_string(participant);
}

std::string WithStates(const DiagramRow& row, const std::string& head) {
    std::string out = head;
    for (size_t i = 0; i < row.states.size(); ++i) out += (i == 0 ? "  ·  " : ", ") + row.states[i];
    return out;
}

}  // namespace

std::string ExportMermaid(const core::Lesson& lesson, const core::LogView& log, core::Lang lang) {
    const detail::Diagram d = detail::BuildDiagram(lesson, log, lang);
    std::string out = "sequenceDiagram\n";
    // Servers left of the kernel, clients right of it, an outside program last.
    const auto role = [&](size_t p) {
        return p < lesson.actors.size() ? lesson.actors[p].role : core::Role::kClient;
    };
    std::vector<std::string> order;
    for (size_t p = 0; p < d.participants.size(); ++p) {
        if (p < lesson.actors.size() && role(p) == core::Role::kServer)
            order.push_back(Id(static_cast<int>(p)));
    }
    order.push_back("kernel");
    for (size_t p = 0; p < d.participants.size(); ++p) {
        if (p >= lesson.actors.size() || role(p) == core::Role::kClient)
            order.push_back(Id(static_cast<int>(p)));
    }
    for (const std::string& id : order) {
        const std::string name =
            id == "kernel" ? "kernel" : d.participants[std::stoul(id.substr(1))];
        out += "    participant " + id + " as " + Text(name) + "\n";
    }
    const std::string span = order.front() + "," + order.back();
    out += "    Note over " + span + ": " + Text(lesson.id + " - " + lesson.title.Get(lang)) + "\n";
    for (const DiagramRow& row : d.rows) {
        const std::string a = Id(row.actor);
        switch (row.kind) {
            case RowKind::kCall:
                out += "    " + a + "->>kernel: " + Text(row.call) + "\n";
                break;
            case RowKind::kCallDone:
                out += "    " + a + "->>kernel: " + Text(row.call) + "\n";
                out += "    kernel-->>" + a + ": " + Text(WithStates(row, row.result)) + "\n";
                break;
            case RowKind::kReturn: {
                const std::string step = row.call.substr(0, row.call.find(' ') + 1);
                out += "    kernel-->>" + a + ": " +
                       Text(WithStates(row, (step.rfind('[', 0) == 0 ? step : "") + row.result)) +
                       "\n";
                break;
            }
            case RowKind::kNote:
                out += "    Note over " + a + ": " + Text(row.note) + "\n";
                break;
            case RowKind::kPacket:
                out += "    " + Id(row.from) + "-)" + Id(row.to) + ": " + Text(row.packet) + "\n";
                break;
        }
    }
    if (!d.packets)
        out += "    Note over " + span + ": " + Text(detail::NoPacketsNote(lang)) + "\n";
    return out;
}

}  // namespace sockstep::ui
