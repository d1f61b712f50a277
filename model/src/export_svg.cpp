// `sockstep export --format svg`: the run as a self-contained SVG sequence diagram for handouts.
// White background and dark text for print, fonts by family name with fallbacks (Latin fonts
// first: Korean fonts draw a backslash as a won sign; then NanumGothic and other Korean fonts,
// which the renderer falls back to for Hangul), no scripts and no external references: only the
// lesson's own texts and what the log recorded.
#include <algorithm>
#include <string>
#include <vector>

#include "export_rows.h"
#include "sockstep/model/c_program.h"
#include "sockstep/model/export.h"

namespace sockstep::ui {
namespace {

using detail::Columns;
using detail::DiagramRow;
using detail::RowKind;
using detail::WrapWords;

constexpr int kMargin = 24;
constexpr int kLine = 16;       // one line of 12 px text
constexpr double kCharW = 7.0;  // width of one column of 11.5 px monospace (0.6 em)
constexpr int kMinColumn = 230;
constexpr int kMaxColumn = 420;

// Valid UTF-8 with XML's five characters escaped; other control bytes and broken sequences
// become U+FFFD, which XML 1.0 accepts.
std::string Xml(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= text.size();
        for (size_t k = 1; ok && k < len; ++k) {
            ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        }
        if (!ok || (len == 1 && b < 0x20 && b != '\t')) {
            out += "\xEF\xBF\xBD";
            i += ok ? len : 1;
            continue;
        }
        switch (b) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out.append(text, i, len);
        }
        i += len;
    }
    return out;
}

std::string Fit(const std::string& text, size_t columns) {
    if (Columns(text) <= columns) return text;
    std::string out;
    size_t n = 0;
    for (size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        const size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
        const size_t w = b >= 0xe0 ? 2 : 1;
        if (n + w + 1 > columns) break;
        out.append(text, i, std::min(len, text.size() - i));
        n += w;
        i += len;
    }
    return out + "…";
}

// Lesson texts mark code with backticks (the window shows it in the code font): plain here.
std::string Plain(std::string text) {
    std::erase(text, '`');
    return text;
}

std::string Num(double v) {
    std::string s = std::to_string(static_cast<long>(v * 10 + (v >= 0 ? 0.5 : -0.5)));
    // one decimal: 123.4
    const bool neg = s[0] == '-';
    if (neg) s.erase(0, 1);
    if (s.size() < 2) s.insert(0, 2 - s.size(), '0');
    s.insert(s.size() - 1, ".");
    if (s.back() == '0') s.erase(s.size() - 2);
    return (neg ? "-" : "") + s;
}

class Svg {
  public:
    void Text(double x, double y, const std::string& cls, const std::string& text,
              const char* anchor = "middle") {
        m_body += "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" class=\"" + cls +
                  "\" text-anchor=\"" + anchor + "\">" + Xml(text) + "</text>\n";
    }
    void Rect(double x, double y, double w, double h, const std::string& cls) {
        m_body += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) +
                  "\" height=\"" + Num(h) + "\" rx=\"4\" class=\"" + cls + "\"/>\n";
    }
    void Line(double x1, double y1, double x2, double y2, const std::string& cls,
              const std::string& extra = "") {
        m_body += "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) +
                  "\" y2=\"" + Num(y2) + "\" class=\"" + cls + "\"" + extra + "/>\n";
    }
    void Raw(const std::string& text) { m_body += text; }
    const std::string& Body() const { return m_body; }

  private:
    std::string m_body;
};

constexpr const char* kStyle =
    "<style>\n"
    "text { font-family: 'DejaVu Sans', Arial, Helvetica, NanumGothic, 'Nanum Gothic', "
    "'Noto Sans CJK KR', 'Noto Sans KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif; "
    "fill: #111111; font-size: 12px; }\n"
    ".mono { font-family: 'DejaVu Sans Mono', 'Nanum Gothic Coding', NanumGothicCoding, "
    "Consolas, Menlo, monospace, NanumGothic; font-size: 11.5px; }\n"
    ".title { font-size: 18px; font-weight: bold; }\n"
    ".call { font-weight: bold; }\n"
    ".ok { fill: #14532d; }\n"
    ".err { fill: #b91c1c; font-weight: bold; }\n"
    ".state { fill: #1e3a8a; font-size: 10.5px; }\n"
    ".note { font-style: italic; fill: #444444; }\n"
    ".narration { fill: #222222; }\n"
    ".packet { fill: #5b21b6; font-size: 10.5px; }\n"
    ".rst { fill: #b91c1c; }\n"
    ".box { fill: #f8fafc; stroke: #475569; stroke-width: 1; }\n"
    ".notebox { fill: #fefce8; stroke: #a16207; stroke-width: 0.8; }\n"
    ".head { fill: #e2e8f0; stroke: #1e293b; stroke-width: 1.2; }\n"
    ".lifeline, .lifeline-outside { stroke: #64748b; stroke-width: 1.2; stroke-dasharray: 6 4; }\n"
    ".activation { fill: #cbd5e1; stroke: #475569; stroke-width: 0.8; }\n"
    ".wire { stroke: #5b21b6; stroke-width: 1.3; fill: none; }\n"
    ".wire-rst { stroke: #b91c1c; stroke-width: 1.3; fill: none; }\n"
    "</style>\n";

}  // namespace

std::string ExportSvg(const core::Lesson& lesson, const core::LogView& log, core::Lang lang) {
    const detail::Diagram d = detail::BuildDiagram(lesson, log, lang);
    const size_t n = std::max<size_t>(d.participants.size(), 1);

    // Each column is as wide as its longest call or result needs, within limits.
    std::vector<double> width(n, kMinColumn);
    for (const DiagramRow& row : d.rows) {
        if (row.actor < 0 || static_cast<size_t>(row.actor) >= n) continue;
        size_t cols = std::max(Columns(row.call), Columns(row.result));
        for (const std::string& s : row.states) cols = std::max(cols, Columns(s));
        auto& w = width[static_cast<size_t>(row.actor)];
        w = std::clamp(cols * kCharW + 28, w, static_cast<double>(kMaxColumn));
    }
    for (const DiagramRow& row : d.rows) {
        if (row.kind != RowKind::kPacket) continue;
        // A packet label sits between its two lifelines.
        const double need = Columns(row.packet) * kCharW + 20;
        for (int end : {row.from, row.to}) {
            auto& w = width[static_cast<size_t>(end)];
            w = std::clamp(need, w, static_cast<double>(kMaxColumn));
        }
    }
    std::vector<double> x(n);
    double left = kMargin;
    for (size_t p = 0; p < n; ++p) {
        x[p] = left + width[p] / 2;
        left += width[p];
    }
    const double total_width = std::max(left + kMargin, 640.0);
    const auto fit = [&](int actor, const std::string& text) {
        return Fit(text, static_cast<size_t>((width[static_cast<size_t>(actor)] - 20) / kCharW));
    };

    Svg svg;
    double y = kMargin + 18;
    svg.Text(kMargin, y, "title", Plain(lesson.title.Get(lang)) + " (" + lesson.id + ")", "start");
    y += 8;
    const size_t summary_cols = static_cast<size_t>((total_width - 2 * kMargin) / 6.4);
    for (const std::string& l : WrapWords(Plain(lesson.summary.Get(lang)), summary_cols)) {
        y += kLine;
        svg.Text(kMargin, y, "summary", l, "start");
    }
    y += 18;
    const double head_top = y;
    for (size_t p = 0; p < n; ++p) {
        svg.Rect(x[p] - std::min(80.0, width[p] / 2 - 10), y, std::min(160.0, width[p] - 20), 28,
                 "head");
        svg.Text(x[p], y + 19, "call", d.participants[p]);
    }
    y += 28;
    const double lifeline_top = y;

    // Rows, top to bottom; activations (a call in the kernel) are drawn after, below the text.
    std::vector<double> row_y(d.rows.size(), 0);
    Svg rows;
    std::string activations;
    y += 14;
    for (size_t i = 0; i < d.rows.size(); ++i) {
        const DiagramRow& row = d.rows[i];
        row_y[i] = y;
        const auto a = static_cast<size_t>(std::max(row.actor, 0));
        switch (row.kind) {
            case RowKind::kCall:
            case RowKind::kCallDone:
            case RowKind::kReturn: {
                std::vector<std::pair<std::string, std::string>> lines;  // class, text
                if (row.kind != RowKind::kReturn) lines.push_back({"mono call", row.call});
                if (row.kind != RowKind::kCall) {
                    const std::string head = row.kind == RowKind::kReturn
                                                 ? row.call.substr(0, row.call.find(' ') + 1)
                                                 : "";
                    lines.push_back({row.failed ? "mono err" : "mono ok",
                                     (head.rfind('[', 0) == 0 ? head : "") + row.result});
                    for (const std::string& s : row.states) lines.push_back({"mono state", s});
                }
                const double h = static_cast<double>(lines.size()) * kLine + 8;
                const double w = width[a] - 24;
                rows.Rect(x[a] - w / 2, y, w, h, "box");
                double ty = y + 4 + 12;
                for (const auto& [cls, text] : lines) {
                    rows.Text(x[a], ty, cls, fit(row.actor, text));
                    ty += kLine;
                }
                if (row.kind == RowKind::kReturn && row.opened_by >= 0) {
                    const double top = row_y[static_cast<size_t>(row.opened_by)] + 24;
                    if (y > top) {
                        activations += "<rect x=\"" + Num(x[a] - 4) + "\" y=\"" + Num(top) +
                                       "\" width=\"8\" height=\"" + Num(y - top) +
                                       "\" class=\"activation\"/>\n";
                    }
                }
                y += (row.kind == RowKind::kCall ? kLine + 8 : h) + 10;
                break;
            }
            case RowKind::kNote: {
                // Notes wrap (a refusal says why at length); calls are cut to one line.
                const auto cols = static_cast<size_t>((width[a] - 36) / 6.2);
                const std::vector<std::string> lines = WrapWords(row.note, cols);
                size_t widest = 0;
                for (const std::string& l : lines) widest = std::max(widest, Columns(l));
                const double w = std::min(width[a] - 24, static_cast<double>(widest) * 6.2 + 16);
                const double h = static_cast<double>(lines.size()) * kLine + 6;
                rows.Rect(x[a] - w / 2, y, w, h, "notebox");
                for (size_t l = 0; l < lines.size(); ++l) {
                    rows.Text(x[a], y + 15 + static_cast<double>(l) * kLine, "note",
                              Fit(lines[l], cols + 2));
                }
                y += h + 10;
                break;
            }
            case RowKind::kPacket: {
                const auto from = static_cast<size_t>(row.from);
                const auto to = static_cast<size_t>(row.to);
                // An RST or an ICMP error: drawn as an error.
                const bool rst =
                    row.packet.find("RST") != std::string::npos || row.packet.rfind("ICMP", 0) == 0;
                const std::string wire = rst ? "wire-rst" : "wire";
                const std::string label_cls = rst ? "mono packet rst" : "mono packet";
                y += 12;
                if (from == to) {
                    const double x0 = x[from];
                    rows.Raw("<path d=\"M" + Num(x0) + " " + Num(y) + " h40 v12 h-36\" class=\"" +
                             wire + "\" marker-end=\"url(#head)\"/>\n");
                    rows.Text(x0 + 46, y + 4, label_cls, row.packet, "start");
                    y += 22;
                } else {
                    const double x0 = x[from] + (x[to] > x[from] ? 5 : -5);
                    const double x1 = x[to] + (x[to] > x[from] ? -6 : 6);
                    rows.Line(x0, y, x1, y, wire, " marker-end=\"url(#head)\"");
                    const double columns = std::abs(x1 - x0) / kCharW;
                    rows.Text((x0 + x1) / 2, y - 4, label_cls,
                              Fit(row.packet, static_cast<size_t>(std::max(columns, 8.0))));
                    y += 14;
                }
                break;
            }
        }
    }
    y += 10;
    const double lifeline_bottom = y;
    for (size_t p = 0; p < n; ++p) {
        const bool actor = p < lesson.actors.size() || d.participants[p] != "outside";
        svg.Line(x[p], lifeline_top, x[p], lifeline_bottom, actor ? "lifeline" : "lifeline-outside",
                 " data-participant=\"" + Xml(d.participants[p]) + "\"");
    }
    svg.Raw(activations);
    svg.Raw(rows.Body());
    // The narration under the diagram, step by step, for the handout.
    y += 22;
    svg.Text(kMargin, y, "call", lang == core::Lang::kKo ? "단계별 설명" : "The steps", "start");
    y += 4;
    const size_t note_cols = static_cast<size_t>((total_width - 2 * kMargin - 24) / 6.4);
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        const core::LessonStep& step = lesson.steps[i];
        const std::string actor = static_cast<size_t>(step.actor) < lesson.actors.size()
                                      ? lesson.actors[static_cast<size_t>(step.actor)].name
                                      : "";
        const auto lines = WrapWords(Plain(step.narration.Get(lang)), note_cols);
        y += kLine + 2;
        svg.Text(kMargin, y, "call", std::to_string(i + 1) + ".", "start");
        svg.Text(kMargin + 24, y, "mono call", actor + "  " + CallLabel(step.request), "start");
        for (const std::string& l : lines) {
            y += kLine;
            svg.Text(kMargin + 24, y, "narration", l, "start");
        }
    }
    y += 8;
    if (!d.packets) {
        y += kLine;
        svg.Text(kMargin, y, "note", detail::NoPacketsNote(lang), "start");
    }
    y += kLine;
    svg.Text(kMargin, y, "note",
             lang == core::Lang::kKo
                 ? "sockstep export: 모든 호출과 결과는 실제 커널에서 나왔습니다."
                 : "sockstep export: every call and result came from the real kernel.",
             "start");
    const double height = y + kMargin;
    (void)head_top;

    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + Num(total_width) +
           "\" height=\"" + Num(height) + "\" viewBox=\"0 0 " + Num(total_width) + " " +
           Num(height) + "\">\n";
    out += "<title>" + Xml(lesson.title.Get(lang)) + "</title>\n";
    out += kStyle;
    out +=
        "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
        "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" "
        "fill=\"#334155\"/></marker></defs>\n";
    out += "<rect x=\"0\" y=\"0\" width=\"" + Num(total_width) + "\" height=\"" + Num(height) +
           "\" fill=\"#ffffff\"/>\n";
    out += svg.Body();
    out += "</svg>\n";
    return out;
}

}  // namespace sockstep::ui
