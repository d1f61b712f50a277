// What the C and Python exports' README.txt files say alike: the title, the ports the programs
// take, the lesson's order of steps and what happens without step mode. One text for both, so
// the two exports never explain the same ports differently.
#include <string>

#include "export_ports.h"
#include "sockstep/model/c_program.h"

namespace sockstep::ui::detail {

std::string OrderLine(const core::Lesson& lesson, size_t index) {
    const core::LessonStep& s = lesson.steps[index];
    std::string number = std::to_string(index + 1);
    number.insert(0, number.size() < 3 ? 3 - number.size() : 0, ' ');
    return number + "  " + lesson.actors[static_cast<size_t>(s.actor)].name + "  " +
           CallLabel(s.request);
}

std::string PortExample(const PortPlan& plan) {
    std::string example;
    for (size_t p = 0; p < plan.params.size(); ++p) example += " " + std::to_string(5000 + p);
    return example;
}

std::string ReadmeTitle(const core::Lesson& lesson, core::Lang lang) {
    return lesson.id + ": " + lesson.title.Get(lang) + "\n\n" + lesson.summary.Get(lang) + "\n\n";
}

std::string ReadmePortsAndOrder(const core::Lesson& lesson, const PortPlan& plan, core::Lang lang) {
    const bool ko = lang == core::Lang::kKo;
    std::string out;
    if (!plan.params.empty()) {
        std::string ports;
        for (const std::string& p : plan.params) ports += " " + PortPlaceholder(p);
        const std::string example = PortExample(plan);
        out += ko ? "포트(" + ports.substr(1) +
                        "): 수업은 포트 0으로 bind()해서 커널이 고르게 합니다. 따로 실행되는 "
                        "프로그램들은 그 포트를 알 수 없으므로, 모두 같은 빈 포트를 받습니다 (예:" +
                        example + ").\n\n"
                  : "Ports (" + ports.substr(1) +
                        "): the lesson binds port 0 and lets the kernel pick; separate programs "
                        "cannot learn that port, so every program takes the same free port (for "
                        "example" +
                        example + ").\n\n";
    }
    out += ko ? "그다음 수업의 순서대로, 그 단계의 프로그램 터미널에서 Enter를 누르세요:\n\n"
              : "Then press Enter in the terminal of each step's program, in the lesson's "
                "order:\n\n";
    for (size_t i = 0; i < lesson.steps.size(); ++i) out += "  " + OrderLine(lesson, i) + "\n";
    return out;
}

std::string ReadmeWithoutStepMode(core::Lang lang) {
    return lang == core::Lang::kKo
               ? "\n단계 모드 없이 실행하면 각 프로그램은 자기 호출을 곧바로 모두 합니다. 다른 "
                 "프로그램과의 순서는 블로킹 호출이 지키는 만큼만 지켜집니다.\n"
               : "\nWithout -s each program makes all its calls at once; the order between "
                 "programs then holds only as far as blocking calls enforce it.\n";
}

}  // namespace sockstep::ui::detail
