// The SVG export: well-formed XML (parsed by Python's xml.etree in a child process), exactly one
// lifeline per actor, every call, result and packet in its text, white background, font
// fallbacks with NanumGothic for Korean, and nothing external: no script, no link, no image.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "export_sample.h"
#include "sockstep/model/export.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kReader = R"PY(
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
print('root', root.tag == ns + 'svg')
count = lambda cls: sum(1 for e in root.iter() if e.get('class') == cls)
print('lifelines', count('lifeline'))
print('outside', count('lifeline-outside'))
bad = [e.tag for e in root.iter() if e.tag.split('}')[-1] in ('script', 'foreignObject', 'image', 'a', 'use')]
bad += [v for e in root.iter() for k, v in e.attrib.items() if k.endswith('href')]
bad += [k for e in root.iter() for k in e.attrib if k.startswith('on')]
print('external', len(bad))
for e in root.iter(ns + 'text'):
    print('text', ''.join(e.itertext()))
)PY";

struct Read {
    int exit_code = -1;
    std::string out;
    bool root = false;
    int lifelines = -1;
    int outside = -1;
    int external = -1;
    std::vector<std::string> texts;
    std::string all_text;  // every text, one per line
};

// Parses `svg` with Python's XML parser (a real, strict parser) and reports what it found.
Read Parse(const std::string& svg) {
    const fs::path file =
        fs::temp_directory_path() / ("sockstep-export-svg-" + std::to_string(getpid()) + ".svg");
    const fs::path script = file.string() + ".py";
    std::ofstream(file) << svg;
    std::ofstream(script) << kReader;
    Read r;
    const std::string command =
        "/usr/bin/python3 " + script.string() + " " + file.string() + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    char buf[4096];
    for (size_t n; pipe && (n = fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
    r.exit_code = pipe ? pclose(pipe) : -1;
    fs::remove(file);
    fs::remove(script);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        const auto space = line.find(' ');
        const std::string key = line.substr(0, space);
        const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        if (key == "root") r.root = value == "True";
        if (key == "lifelines") r.lifelines = std::stoi(value);
        if (key == "outside") r.outside = std::stoi(value);
        if (key == "external") r.external = std::stoi(value);
        if (key == "text") {
            r.texts.push_back(value);
            r.all_text += value + "\n";
        }
    }
    return r;
}

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(ExportSvg, HandBuiltLogWithPacketsIsWellFormedWithOneLifelinePerActor) {
    core::EventLog log;
    FillSampleLog(log);
    const std::string svg = ui::ExportSvg(HandshakeLesson(), log.View(), core::Lang::kEn);
    const Read r = Parse(svg);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(r.root);
    EXPECT_EQ(r.lifelines, 2);
    EXPECT_EQ(r.outside, 1);  // the program outside the session that was reset
    EXPECT_EQ(r.external, 0);
    for (const std::string& call : SampleCalls()) {
        EXPECT_TRUE(Has(r.all_text, call)) << call << "\n" << r.all_text;
    }
    EXPECT_TRUE(Has(r.all_text, "SYN seq=0 win=65495"));
    EXPECT_TRUE(Has(r.all_text, "SYN, ACK seq=0 ack=1 win=65495"));
    EXPECT_TRUE(Has(r.all_text, "PSH, ACK seq=1 ack=1 win=65495 len=5"));
    EXPECT_TRUE(Has(r.all_text, "RST, ACK"));
    EXPECT_TRUE(Has(r.all_text, "[4] = 5 (conn)"));  // the blocked accept's return
    EXPECT_TRUE(Has(r.all_text, "conn ESTAB 127.0.0.1:5000 - 127.0.0.1:40000"));
    EXPECT_TRUE(Has(r.all_text, "listener LISTEN 127.0.0.1:5000 q=0"));
    EXPECT_TRUE(Has(r.all_text, "waits in the kernel (inet_csk_accept)"));
    // The narration follows the diagram, step by step.
    EXPECT_TRUE(Has(r.all_text, "The steps"));
    EXPECT_TRUE(Has(r.all_text, "Give it an address."));
    // Escaped in XML and read back whole (the note wraps, so look at its words).
    EXPECT_TRUE(Has(r.all_text, "<b>&\"#;%%"));
    EXPECT_FALSE(Has(r.all_text, "CAP_NET_RAW"));  // packets were captured
    // Print: white background, dark text, fonts by name with fallbacks, nothing fetched.
    EXPECT_TRUE(Has(svg, "fill=\"#ffffff\""));
    EXPECT_TRUE(Has(svg, "fill: #111111"));
    EXPECT_TRUE(Has(svg, "font-family: 'DejaVu Sans', Arial, Helvetica, NanumGothic,"));
    EXPECT_TRUE(Has(svg, "sans-serif"));
    EXPECT_FALSE(Has(svg, "<script"));
    EXPECT_FALSE(Has(svg, "@import"));
    size_t at = 0;
    while ((at = svg.find("url(", at)) != std::string::npos) {
        EXPECT_EQ(svg.compare(at, 5, "url(#"), 0) << svg.substr(at, 40);
        ++at;
    }
    EXPECT_EQ(svg.find("http"), svg.find("http://www.w3.org/2000/svg"));
}

TEST(ExportSvg, KoreanAndNoPackets) {
    core::EventLog full;
    FillSampleLog(full);
    core::EventLog log;
    const core::LogView view = full.View();
    for (size_t i = 0; i < view.size(); ++i) {
        if (view[i].phase != core::Phase::kPacket) log.Append(view[i]);
    }
    const Read r = Parse(ui::ExportSvg(HandshakeLesson(), log.View(), core::Lang::kKo));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.lifelines, 2);
    EXPECT_EQ(r.outside, 0);
    EXPECT_TRUE(Has(r.all_text, "핸드셰이크 (테스트)"));
    EXPECT_TRUE(Has(r.all_text, "서버와 클라이언트가 만납니다."));
    EXPECT_TRUE(Has(r.all_text, "CAP_NET_RAW"));  // says why there are no packets
}

TEST(ExportSvg, BrokenBytesStayWellFormed) {
    core::Lesson lesson = HandshakeLesson();
    lesson.title.en = std::string("bad \xff\xfe bytes \x01 and <tags> & \"quotes\"");
    lesson.summary.en = std::string(300, 'x') + " " + std::string("\xed\x95", 2);  // cut UTF-8
    core::EventLog log;
    FillSampleLog(log);
    const Read r = Parse(ui::ExportSvg(lesson, log.View(), core::Lang::kEn));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(Has(r.all_text, "<tags> & \"quotes\""));
}

TEST(ExportSvg, RealRunHasALifelinePerActorAndEveryCall) {
    core::Session session;
    SetUpHandshake(session);
    RunSteps(session, 10);
    const core::LogView log = session.Log();
    const Read r = Parse(ui::ExportSvg(HandshakeLesson(), log, core::Lang::kEn));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.lifelines, 2);
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].phase != core::Phase::kEnter) continue;
        const std::string call =
            "[" + std::to_string(log[i].step + 1) + "] " + core::FormatCall(log[i].request);
        EXPECT_TRUE(Has(r.all_text, call)) << call;
    }
}

}  // namespace
}  // namespace sockstep::testing
