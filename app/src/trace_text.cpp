// The fixed words of the terminal front end in Korean and English (errno meanings are the GUI's:
// ui::ErrnoMeaning).
#include "trace_text.h"

#include <array>

namespace sockstep::app {
namespace {

struct Row {
    std::string_view en;
    std::string_view ko;
};

constexpr std::array<Row, static_cast<size_t>(TraceText::kCount)> kTexts{{
    {"Lesson", "레슨"},
    {"Question", "질문"},
    {"Answer", "정답"},
    {"expectation held", "예상대로입니다"},
    {"EXPECTATION FAILED", "예상과 다릅니다"},
    {"expected", "예상"},
    {"the kernel did", "실제 커널 결과"},
    {"blocked in the kernel", "커널 안에서 기다리는 중"},
    {"the kernel did not let sockstep see where the thread sleeps",
     "커널이 이 스레드가 어디에서 잠들어 있는지 sockstep에게 보여 주지 않았습니다"},
    {"resumed", "재개"},
    {"interrupted", "중단됨"},
    {"refused by sockstep before any call", "sockstep이 호출 전에 거부함"},
    {"Waiting for a real client program. From another terminal, try one of:",
     "실제 클라이언트 프로그램을 기다립니다. 다른 터미널에서 다음 중 하나를 실행해 보세요:"},
    {"a client arrived from", "클라이언트가 접속했습니다:"},
    {"the client already closed its side (its FIN came first): that is one of the states the "
     "lesson expects from such a client",
     "클라이언트가 이미 자기 쪽을 닫았습니다(FIN이 먼저 왔습니다). 그런 클라이언트라면 레슨이 "
     "예상하는 상태 중 하나입니다"},
    {"the server already closed its side (its FIN came first): that is one of the states the "
     "lesson expects from such a server",
     "서버가 이미 자기 쪽을 닫았습니다(FIN이 먼저 왔습니다). 그런 서버라면 레슨이 예상하는 "
     "상태 중 하나입니다"},
    {"is still blocked in", "아직 다음 호출에서 기다리는 중:"},
    {"Holding every socket open for {0} s. Look at them from another terminal with:",
     "모든 소켓을 {0}초 동안 열어 둡니다. 다른 터미널에서 다음 명령으로 살펴보세요:"},
    {"Hold is over; closing every socket.", "대기 시간이 끝났습니다. 모든 소켓을 닫습니다."},
    {"Interrupted by {0}: every blocked call is woken and every socket closed.",
     "{0}(으)로 중단했습니다. 기다리던 호출을 깨우고 모든 소켓을 닫았습니다."},
    {"Step {0}, {1}, was still in the kernel and did not finish.",
     "{0}단계 {1}은(는) 아직 커널 안에 있었고 끝나지 않았습니다."},
    {"Steps that did not run: {0}. The lesson is incomplete: nothing about them was checked.",
     "실행되지 않은 단계: {0}. 레슨이 끝나지 않았으므로 그 단계들은 확인하지 않았습니다."},
    {"The hold was ended early by {0}; every step had run.",
     "{0}(으)로 대기를 일찍 끝냈습니다. 모든 단계는 이미 실행되었습니다."},
    {"All {0} expectations held.", "예상 {0}개가 모두 맞았습니다."},
    {"{0} of {1} expectations did not hold.", "예상 {1}개 중 {0}개가 맞지 않았습니다."},
    {"This lesson run checked no expectations.", "이번 실행에서 확인한 예상이 없습니다."},
    {"--connect: the server steps are skipped; the program listening at {0} plays the server.",
     "--connect: 서버 단계는 건너뜁니다. {0}에서 듣고 있는 프로그램이 서버 역할을 합니다."},
    {"--until {0}: stopped after step {0}.", "--until {0}: {0}단계까지 실행하고 멈췄습니다."},
    {"Packet capture is off: capturing on lo needs the CAP_NET_RAW capability, which this "
     "process does not have. Every call still runs and every socket state is still read from "
     "the kernel; only the packets on the wire are not shown. To see them, grant it once with:",
     "패킷 캡처가 꺼져 있습니다: lo에서 패킷을 잡으려면 CAP_NET_RAW 권한이 필요한데, 이 "
     "프로세스에는 없습니다. 모든 호출은 그대로 실행되고 소켓 상태도 커널에서 그대로 읽지만, "
     "오간 패킷만 보이지 않습니다. 패킷까지 보려면 다음 명령으로 한 번만 권한을 주세요:"},
    {"Packet capture is off: opening a packet socket on lo failed: {0}. Every call still runs; "
     "only the packets on the wire are not shown.",
     "패킷 캡처가 꺼져 있습니다: lo에 패킷 소켓을 열지 못했습니다: {0}. 모든 호출은 그대로 "
     "실행되지만 오간 패킷은 보이지 않습니다."},
    {"The capture lost {0} packets (its buffer was full): the packet lines above may be "
     "incomplete.",
     "캡처 버퍼가 가득 차서 패킷 {0}개를 놓쳤습니다. 위의 패킷 줄이 빠짐없다고 할 수 "
     "없습니다."},
    {"sent by the kernel on its own, during no call", "호출 없이 커널이 스스로 보냄"},
    {"the kernel, with no call running", "호출 없이 커널이 바꿈"},
}};

}  // namespace

std::string_view Text(TraceText id, core::Lang lang) {
    const Row& row = kTexts[static_cast<size_t>(id)];
    return lang == core::Lang::kKo ? row.ko : row.en;
}

std::string Fill(std::string_view pattern, std::initializer_list<std::string> args) {
    std::string out;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
            pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
            const size_t index = static_cast<size_t>(pattern[i + 1] - '0');
            if (index < args.size()) out += *(args.begin() + index);
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

}  // namespace sockstep::app
