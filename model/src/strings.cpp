// The UI string table, one row per Text, English then Korean. Placeholders are {0}, {1}, … so
// each language can put them where its grammar wants them. Korean avoids particles right after a
// placeholder (a socket name may end in any sound), using ":" or a noun in between instead.
#include "sockstep/model/strings.h"

#include <array>

#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

struct Row {
    Text id;
    const char* en;
    const char* ko;
};

constexpr std::array kRows{
    Row{Text::kClient, "Client", "클라이언트"},
    Row{Text::kServer, "Server", "서버"},
    Row{Text::kWire, "Loopback (lo)", "루프백 (lo)"},
    Row{Text::kNoSession, "No lesson loaded.", "불러온 레슨이 없습니다."},
    Row{Text::kOutside, "Outside sockstep", "sockstep 밖의 프로그램"},
    Row{Text::kOutsideHint, "another program on this machine (nc, curl, a browser…)",
        "이 컴퓨터의 다른 프로그램 (nc, curl, 브라우저…)"},
    Row{Text::kKernelArea, "Kernel only", "커널만 아는 소켓"},
    Row{Text::kNoSocketsYet, "No sockets yet.", "아직 소켓이 없습니다."},
    Row{Text::kAllClosedNamed, "All its sockets are closed: {0}.", "소켓을 모두 닫았습니다: {0}."},
    Row{Text::kAllClosedCount, "All {0} of its sockets are closed.",
        "소켓 {0}개를 모두 닫았습니다."},
    Row{Text::kConnectionsTitle, "Connections", "연결"},
    Row{Text::kPacketsTitle, "Packets on the wire", "오간 패킷"},
    Row{Text::kPacketsCount, "{0} captured on lo", "lo에서 {0}개 잡음"},
    Row{Text::kPacketsNone, "No packet yet: socket(), bind() and listen() send nothing.",
        "아직 패킷이 없습니다. socket(), bind(), listen()은 아무것도 보내지 않습니다."},
    Row{Text::kPacketsEarlier, "{0} earlier", "이전 {0}개"},
    Row{Text::kPacketsNoneInLog, "This saved log has no captured packets.",
        "이 기록에는 잡힌 패킷이 없습니다."},
    Row{Text::kCaptureOff,
        "Packets are not shown: capturing on lo needs the CAP_NET_RAW capability. Every call and "
        "kernel state is still real. Grant it once, then restart sockstep:",
        "패킷은 보이지 않습니다. lo에서 패킷을 잡으려면 CAP_NET_RAW 권한이 필요합니다. 호출과 커널 "
        "상태는 그대로 진짜입니다. 한 번만 권한을 주고 sockstep을 다시 시작하세요:"},
    Row{Text::kCaptureFailed, "Packets are not shown: capture on lo failed ({0}).",
        "패킷은 보이지 않습니다. lo 캡처에 실패했습니다 ({0})."},
    Row{Text::kCaptureDropped, "{0} packets were lost (the capture buffer was full)",
        "패킷 {0}개를 놓쳤습니다 (캡처 버퍼가 가득 참)"},
    // The packet lane's compact forms: one line each, the full text a click or hover away.
    Row{Text::kPacketsShow, "{0} packets ▶", "패킷 {0}개 ▶"},
    Row{Text::kPacketsNoneShort, "No packet yet", "아직 패킷 없음"},
    Row{Text::kPacketsNoneInLogShort, "No packets in this log", "기록에 패킷 없음"},
    Row{Text::kCaptureOffShort, "No packets: needs CAP_NET_RAW ▶", "패킷 없음: CAP_NET_RAW 필요 ▶"},
    Row{Text::kCaptureFailedShort, "No packets: capture failed ({0}) ▶",
        "패킷 없음: 캡처 실패 ({0}) ▶"},
    Row{Text::kCopy, "Copy", "복사"},
    Row{Text::kCopied, "Copied to the clipboard", "클립보드에 복사했습니다"},
    Row{Text::kPacketByKernel, "the kernel, on its own", "커널이 스스로"},
    Row{Text::kPacketSentBy, "sent during {0}", "{0} 중에 보냄"},
    Row{Text::kPacketTip,
        "seq and ack count bytes in each direction from its SYN, which is 0 (relative, as "
        "Wireshark shows them; a direction with no SYN, like an RST answering one, starts at 1); "
        "win is the window field as sent; len is the payload.",
        "seq와 ack는 방향마다 그 방향의 SYN을 0으로 센 바이트 번호입니다 (Wireshark처럼 상대값. "
        "SYN에 답하는 RST처럼 SYN이 없는 방향은 1부터). win은 보낸 그대로의 윈도 값, len은 실린 "
        "데이터 크기입니다."},
    Row{Text::kConnectionLabel, "connection", "연결"},
    Row{Text::kRequestLabel, "SYN sent, not answered", "SYN 보냄, 응답 없음"},
    Row{Text::kClosingLabel, "closing", "종료 중"},
    Row{Text::kLegendTitle, "Kernel TCP states", "커널 TCP 상태"},

    Row{Text::kMenuFile, "File", "파일"},
    Row{Text::kMenuOpenLog, "Open log…", "기록 열기…"},
    Row{Text::kMenuSaveLog, "Save log…", "기록 저장…"},
    Row{Text::kMenuExportPng, "Export PNG…", "PNG로 내보내기…"},
    Row{Text::kMenuQuit, "Quit", "끝내기"},
    Row{Text::kMenuView, "View", "보기"},
    Row{Text::kMenuKernelTable, "Kernel socket table", "커널 소켓 표"},
    Row{Text::kMenuDiagrams, "Lifecycle diagrams", "생애 주기 그림"},
    Row{Text::kMenuFullScreen, "Full screen", "전체 화면"},
    Row{Text::kMenuHelp, "Help", "도움말"},
    Row{Text::kMenuShortcuts, "Keyboard shortcuts", "단축키"},
    Row{Text::kMenuAbout, "About sockstep", "sockstep 정보"},
    Row{Text::kAboutText,
        "sockstep runs one real system call per click on loopback and shows what the kernel did. "
        "Nothing is simulated: every state comes from the kernel (TCP_INFO, sock_diag).",
        "sockstep은 클릭 한 번에 진짜 시스템 호출 하나를 루프백에서 실행하고, 커널이 한 일을 "
        "보여 줍니다. 흉내 낸 것은 없습니다. 모든 상태는 커널(TCP_INFO, sock_diag)에서 읽습니다."},

    Row{Text::kLesson, "Lesson", "레슨"},
    Row{Text::kLessonsFrom, "From {0}", "{0}에서 온 레슨"},
    Row{Text::kLessonShadowed, "shadowed", "가려짐"},
    Row{Text::kLessonShadowedWhy, "Not used: another lesson with the id {0} comes first: {1}",
        "쓰이지 않음: 같은 id({0})의 레슨이 먼저 쓰입니다: {1}"},
    Row{Text::kLessonBroken, "cannot be opened", "열 수 없음"},
    Row{Text::kFreePlay, "Free play (no lesson)", "자유 실습 (레슨 없음)"},
    Row{Text::kFreePlayHint,
        "Free play: right-click a socket (or its ⋯ button) to run any call on it; "
        "\"socket()\" in a pane makes a new one.",
        "자유 실습: 소켓을 오른쪽 클릭하거나 ⋯ 버튼을 눌러 어떤 호출이든 실행해 보세요. "
        "창의 \"socket()\" 버튼으로 새 소켓을 만듭니다."},
    Row{Text::kStep, "Step", "한 단계"},
    Row{Text::kStepBusy, "{0} is still waiting in {1}(): its next call has to wait.",
        "{0}: 아직 {1}() 안에서 기다리는 중이라 다음 호출을 할 수 없습니다."},
    Row{Text::kStepAnswerFirst, "Answer the question first (or skip it).",
        "먼저 질문에 답하세요 (건너뛰어도 됩니다)."},
    Row{Text::kStepDone, "The lesson is over.", "레슨이 끝났습니다."},
    Row{Text::kStepFile, "Show the next call of the saved log.",
        "저장된 기록의 다음 호출을 봅니다."},
    Row{Text::kPlay, "Play", "자동 재생"},
    Row{Text::kPause, "Pause", "일시 정지"},
    Row{Text::kSpeed, "Speed", "속도"},
    Row{Text::kReset, "Reset", "처음부터"},
    Row{Text::kNewClient, "New client", "클라이언트 추가"},
    Row{Text::kLanguageName, "English", "한국어"},
    Row{Text::kTextSize, "Text size", "글자 크기"},
    Row{Text::kTextSizeAuto, "Text size: automatic (follows the window)",
        "글자 크기: 자동 (창 크기에 맞춤)"},
    Row{Text::kThemeLight, "Light", "밝은 테마"},
    Row{Text::kThemeDark, "Dark", "어두운 테마"},
    Row{Text::kKernelTableButton, "Kernel table", "커널 표"},
    Row{Text::kHelpButton, "Help", "도움말"},

    Row{Text::kLive, "LIVE", "실시간"},
    Row{Text::kHistory, "HISTORY", "지난 기록"},
    Row{Text::kHistoryBanner, "Viewing event {0} of {1}: the kernel state at that moment, not now.",
        "{1}개 이벤트 중 {0}번째를 보는 중: 지금이 아니라 그 순간의 커널 상태입니다."},
    Row{Text::kHistoryBannerShort, "event {0} of {1}", "{1}개 중 {0}번째"},
    Row{Text::kBackToLive, "Back to live", "실시간으로 돌아가기"},
    Row{Text::kFileBanner, "Saved log {0}: replay only, no socket is open.",
        "저장된 기록 {0}: 다시 보기만 합니다. 열린 소켓은 없습니다."},
    Row{Text::kFileBannerShort, "Saved log {0}", "저장된 기록 {0}"},
    Row{Text::kFileCloseLog, "Close the log", "기록 닫기"},
    Row{Text::kLogBadge, "SAVED LOG", "저장된 기록"},
    Row{Text::kDiscardTitle, "Discard the {0} steps of this session?",
        "이 세션의 {0}단계를 버릴까요?"},
    Row{Text::kDiscardTitleOne, "Discard the 1 step of this session?",
        "이 세션의 1단계를 버릴까요?"},
    Row{Text::kDiscardReset, "Reset closes every socket and starts again from the first step.",
        "다시 시작하면 모든 소켓을 닫고 첫 단계부터 시작합니다."},
    Row{Text::kDiscardLesson, "Another lesson closes every socket of this session.",
        "다른 수업을 열면 이 세션의 모든 소켓을 닫습니다."},
    Row{Text::kDiscardOpenLog,
        "Opening a saved log closes every socket of this session. Save this log first if you "
        "want to keep it (File > Save log).",
        "저장된 기록을 열면 이 세션의 모든 소켓을 닫습니다. 이 기록을 남기려면 먼저 저장하세요 "
        "(파일 > 기록 저장)."},
    Row{Text::kDiscard, "Discard (Enter)", "버리기 (Enter)"},
    Row{Text::kKeepSession, "Keep the session (Esc)", "세션 유지 (Esc)"},

    Row{Text::kFd, "fd {0}", "fd {0}"},
    Row{Text::kNoFd, "no fd", "fd 없음"},
    Row{Text::kLocal, "local", "내 주소"},
    Row{Text::kPeer, "peer", "상대"},
    Row{Text::kNotBound, "no address yet", "아직 주소 없음"},
    Row{Text::kAcceptQueue, "accept queue {0}/{1}", "accept 대기열 {0}/{1}"},
    Row{Text::kAcceptQueueTip,
        "Filled slots: connections the kernel has completed, waiting for accept(). "
        "Slots: the backlog the kernel uses.",
        "채워진 칸: 커널이 연결을 끝내 놓고 accept()를 기다리는 연결. 칸 수: 커널이 쓰는 backlog."},
    Row{Text::kToRead, "to read", "읽을 데이터"},
    Row{Text::kToSend, "not yet acknowledged", "아직 확인 안 된 데이터"},
    Row{Text::kBytes, "{0} B", "{0}바이트"},
    Row{Text::kQueueEntry, "kernel: waiting in the accept queue",
        "커널: accept 대기열에서 기다리는 중"},
    Row{Text::kQueueEntryHalf, "kernel: handshake not finished", "커널: 핸드셰이크 진행 중"},
    Row{Text::kQueueEntryShort, "queued", "대기 중"},
    Row{Text::kQueueEntryHalfShort, "half-open", "연결 중"},
    Row{Text::kLingering, "closed by {0}; the kernel keeps it",
        "{0} 쪽은 닫았지만 커널이 아직 붙잡고 있음"},
    Row{Text::kOutsideProgram, "outside program", "외부 프로그램"},
    Row{Text::kKernelOnly, "kernel: no descriptor holds it", "커널: 디스크립터 없이 남은 소켓"},
    Row{Text::kSplitOff, "new socket from accept()", "accept()가 만든 새 소켓"},
    Row{Text::kTimerLeft, "timer {0} s", "타이머 {0}초"},
    Row{Text::kTimeWaitLeft, "{0} s left", "{0}초 남음"},
    Row{Text::kCardMenuHint, "Right-click or ⋯: run a call on this socket",
        "오른쪽 클릭 또는 ⋯: 이 소켓에 호출 실행"},
    Row{Text::kInode, "inode", "inode"},
    Row{Text::kOwnerActor, "{0} fd {1}", "{0} fd {1}"},
    Row{Text::kOwnerKernel, "kernel", "커널"},
    Row{Text::kOwnerExternal, "outside", "외부"},
    Row{Text::kNoTcpState, "no TCP state", "TCP 상태 없음"},

    Row{Text::kBlockedBanner, "waiting in {0}() for {1} s", "{0}() 안에서 {1}초째 기다리는 중"},
    // The compact forms' banner, on a pane's header or as a card's one fact: the same facts in
    // fewer words, since at large text every line of a blocked client costs the stage a card.
    Row{Text::kBlockedShort, "in {0}() {1} s", "{0}() 대기 {1}초"},
    // The stage's mark for cards of the step it cannot show beside the call's own (a step about
    // four sockets at text scale 3.0 on a projector): how many, which, and where to find them.
    Row{Text::kMoreAbove, "▲ {0} more", "▲ {0}개 더"},
    Row{Text::kMoreBelow, "▼ {0} more", "▼ {0}개 더"},
    Row{Text::kMoreOfStepTip,
        "This step also changed {0}. They do not fit beside the call's own sockets at this text "
        "size: a larger window or smaller text (A-) shows them all.",
        "이 단계에서는 {0}도 바뀌었습니다. 이 글자 크기에서는 호출한 소켓 옆에 다 들어가지 "
        "않습니다. 창을 키우거나 글자를 줄이면(A-) 모두 보입니다."},
    Row{Text::kBlockedKernel, "kernel: {0}", "커널: {0}"},
    Row{Text::kBlockedUnseen, "the kernel did not let sockstep see where the thread sleeps",
        "커널이 이 스레드가 어디에서 잠들어 있는지 sockstep에게 보여 주지 않았습니다"},
    Row{Text::kSynRetransmits, "SYN resent {0} times so far", "지금까지 SYN을 {0}번 다시 보냄"},
    Row{Text::kRunning, "in a call", "호출 중"},
    Row{Text::kIdle, "ready", "대기"},
    Row{Text::kLastCallFailed, "last call failed", "마지막 호출 실패"},
    Row{Text::kNewSocket, "socket()", "socket()"},

    Row{Text::kNarration, "What happened", "무슨 일이 일어났나"},
    Row{Text::kStepOf, "Step {0} of {1}", "{1}단계 중 {0}단계"},
    Row{Text::kFreeCall, "Free-mode call", "자유 실습 호출"},
    Row{Text::kNextStep, "Next: {0}", "다음: {0}"},
    Row{Text::kNextFree, "Next: any call you like (right-click a socket).",
        "다음: 원하는 호출을 해 보세요 (소켓을 오른쪽 클릭)."},
    Row{Text::kQuestionBefore, "Before this call runs, what do you think?",
        "이 호출을 실행하기 전에, 어떻게 될까요?"},
    Row{Text::kAnswerToRun, "Pick an answer, then Step runs the call.",
        "답을 고르면 '한 단계'로 호출을 실행할 수 있습니다."},
    Row{Text::kSkipQuestion, "Skip the question", "질문 건너뛰기"},
    Row{Text::kYouAnswered, "You answered: {0}", "고른 답: {0}"},
    Row{Text::kRight, "Right!", "정답입니다!"},
    Row{Text::kNotQuite, "Not quite.", "아쉽지만 틀렸습니다."},
    Row{Text::kCorrectAnswer, "Answer: {0}", "정답: {0}"},
    Row{Text::kAnswerWhenReturns, "Your answer is kept: it is settled when this call returns.",
        "고른 답은 기억해 둡니다. 이 호출이 돌아오면 정답을 확인합니다."},
    Row{Text::kKernelAgreedLesson, "The kernel did what the lesson expected.",
        "커널이 레슨에서 예상한 대로 동작했습니다."},
    Row{Text::kPeerClosedFirst,
        "The other end had already closed its side (its FIN came first): the lesson expects "
        "that state from such a peer too.",
        "상대가 이미 자기 쪽을 닫았습니다(FIN이 먼저 왔습니다). 그런 상대라면 레슨이 예상하는 "
        "상태입니다."},
    Row{Text::kKernelDisagreedLesson, "The kernel did something else. Expected: {0}. Actual: {1}.",
        "커널이 예상과 다르게 동작했습니다. 예상: {0}. 실제: {1}."},
    Row{Text::kPrediction, "Prediction", "예측"},
    Row{Text::kPredictOk, "should succeed", "성공할 것"},
    Row{Text::kPredictFail, "will fail with {0}: {1}", "{0} 오류로 실패할 것: {1}"},
    Row{Text::kPredictBlock, "may wait in the kernel", "커널 안에서 기다릴 수 있음"},
    Row{Text::kPredictUnknown, "no prediction: the kernel decides", "예측 없음: 커널이 결정합니다"},
    Row{Text::kPredictDepends, "depends on {0}; then {1}", "{0}에 달려 있음. 그렇다면 {1}"},
    Row{Text::kKernelAgreed, "The kernel agreed with the prediction.",
        "커널의 결과가 예측과 같습니다."},
    Row{Text::kKernelDepended, "The table cannot predict that condition; the kernel answered {0}.",
        "전이표로는 그 조건을 예측할 수 없습니다. 커널은 {0}(으)로 답했습니다."},
    Row{Text::kKernelDisagreed, "The kernel did not do what the table predicted: it answered {0}.",
        "커널의 결과가 전이표의 예측과 다릅니다. 커널은 {0}(으)로 답했습니다."},
    Row{Text::kTableCannotAsync,
        "The table cannot predict this: an earlier packet left an error waiting on the socket, "
        "and the kernel gave it to this call: {0}.",
        "전이표로는 예측할 수 없습니다. 앞서 온 패킷이 소켓에 오류를 남겨 두었고, 커널이 그것을 "
        "이 호출에 돌려주었습니다: {0}."},
    Row{Text::kTableDiffered, "The table predicted otherwise; the kernel answered {0}.",
        "전이표는 다르게 예측했습니다. 커널은 {0}(으)로 답했습니다."},
    Row{Text::kResultReturned, "returned {0}", "반환값 {0}"},
    Row{Text::kResultNewSocket, "returned {0}: new socket {1}", "반환값 {0}: 새 소켓 {1}"},
    Row{Text::kResultFailed, "failed: {0}", "실패: {0}"},
    Row{Text::kResultSoft, "returned -1 with {0}", "-1 반환, {0}"},
    Row{Text::kResultBlocked, "waiting in the kernel", "커널 안에서 기다리는 중"},
    Row{Text::kResultInterrupted, "interrupted by Reset", "'처음부터'로 중단됨"},
    Row{Text::kResultRefused, "not run: {0}", "실행하지 않음: {0}"},
    Row{Text::kResultEntered, "called…", "호출 중…"},
    Row{Text::kReceivedData, "received: {0}", "받은 데이터: {0}"},
    Row{Text::kLessonOver,
        "The lesson is over. Reset to run it again, or right-click a socket to try "
        "any call.",
        "레슨이 끝났습니다. '처음부터'로 다시 하거나, 소켓을 오른쪽 클릭해 다른 호출도 해 보세요."},
    Row{Text::kNoEventsYet,
        "Nothing has run yet. Click Step (or press Space) to make the first call.",
        "아직 실행한 호출이 없습니다. '한 단계'를 누르거나 Space 키로 첫 호출을 실행하세요."},
    Row{Text::kWhatKernelDid, "What the kernel did", "커널이 한 일"},
    Row{Text::kNarrationMore, "More of this step…", "이 단계 더 보기…"},
    Row{Text::kNarrationWhole, "This step in full", "이 단계 전체"},

    Row{Text::kCode, "Code", "코드"},
    Row{Text::kCodeFree, "/* free mode */", "/* 자유 실습 */"},
    Row{Text::kCodeNoProgram, "/* no calls yet */", "/* 아직 호출 없음 */"},

    Row{Text::kTimeline, "Timeline", "타임라인"},
    Row{Text::kPhaseEnter, "called", "호출"},
    Row{Text::kPhaseBlocked, "waiting", "대기"},
    Row{Text::kPhaseReturn, "returned", "반환"},
    Row{Text::kPhaseInterrupted, "interrupted", "중단"},
    Row{Text::kPhaseRefused, "not run", "실행 안 함"},
    Row{Text::kPhasePacket, "packet on the wire", "오간 패킷"},
    Row{Text::kPhaseKernel, "the kernel changed a socket (no call)",
        "커널이 소켓을 바꿈 (호출 없음)"},
    Row{Text::kTimelineHint, "Click a mark to see that moment; ← → move through the log.",
        "표시를 누르면 그 순간을 봅니다. ← → 키로 기록을 오갑니다."},

    Row{Text::kKernelTable, "Kernel sockets", "커널의 소켓"},
    Row{Text::kKernelTableNote, "as ss -tan shows them: listeners show queue / backlog",
        "ss -tan처럼: 리슨 소켓은 대기열 / backlog"},
    Row{Text::kColState, "State", "상태"},
    Row{Text::kColRecvQ, "Recv-Q", "Recv-Q"},
    Row{Text::kColSendQ, "Send-Q", "Send-Q"},
    Row{Text::kColLocal, "Local", "내 주소"},
    Row{Text::kColPeer, "Peer", "상대 주소"},
    Row{Text::kColTimer, "Timer", "타이머"},
    Row{Text::kColOwner, "Owner", "주인"},
    Row{Text::kNoKernelSockets, "The kernel has no socket of this session.",
        "이 세션의 소켓이 커널에 없습니다."},

    Row{Text::kCallMenuTitle, "Run a call on {0}", "{0} 소켓에 호출 실행"},
    Row{Text::kCallDialogTitle, "{0}: {1}", "{0}: {1}"},
    Row{Text::kArgHost, "host", "호스트"},
    Row{Text::kArgPort, "port (0: the kernel picks)", "포트 (0: 커널이 고름)"},
    Row{Text::kArgPeer, "or the address of socket", "또는 이 소켓의 주소"},
    Row{Text::kArgPeerNone, "(use host and port)", "(호스트와 포트 사용)"},
    Row{Text::kArgBacklog, "backlog", "backlog"},
    Row{Text::kArgData, "data", "데이터"},
    Row{Text::kArgSize, "buffer size", "버퍼 크기"},
    Row{Text::kArgHow, "how", "방향"},
    Row{Text::kArgOption, "option", "옵션"},
    Row{Text::kArgValue, "value", "값"},
    Row{Text::kArgNonblocking, "O_NONBLOCK", "O_NONBLOCK"},
    Row{Text::kArgResultName, "name of the new socket", "새 소켓 이름"},
    Row{Text::kArgFamily, "family", "주소 체계"},
    Row{Text::kArgType, "type", "종류"},
    Row{Text::kRun, "Run", "실행"},
    Row{Text::kCancel, "Cancel", "취소"},
    Row{Text::kKernelDecides, "The call runs anyway: the kernel decides.",
        "예측과 상관없이 호출은 실행됩니다. 판단은 커널이 합니다."},
    Row{Text::kNewSocketFor, "New socket for {0}", "{0}의 새 소켓"},

    Row{Text::kPath, "File", "파일"},
    Row{Text::kOpen, "Open", "열기"},
    Row{Text::kSave, "Save", "저장"},
    Row{Text::kExport, "Export", "내보내기"},
    Row{Text::kFilesHere, "Logs in this folder:", "이 폴더의 기록:"},
    Row{Text::kNoFilesHere, "(no .jsonl files here)", "(.jsonl 파일 없음)"},
    Row{Text::kSavedTo, "Saved {0}", "저장함: {0}"},
    Row{Text::kOpened, "Opened {0}", "열었음: {0}"},
    Row{Text::kWrotePng, "Wrote {0}", "저장함: {0}"},
    Row{Text::kError, "Error: {0}", "오류: {0}"},
    Row{Text::kLessonError, "The lesson cannot run:", "레슨을 실행할 수 없습니다:"},

    Row{Text::kShortcutsTitle, "Keyboard shortcuts", "단축키"},
    Row{Text::kKeyStep, "run the next step (PageDown in the history: forward)",
        "다음 단계 실행 (지난 기록에서 PageDown은 앞으로)"},
    Row{Text::kKeyTimeline, "move through the timeline (history)", "타임라인 이동 (지난 기록)"},
    Row{Text::kKeyBack, "one step back in the history (a clicker's back)",
        "지난 기록에서 한 단계 뒤로 (발표용 리모컨의 뒤로)"},
    Row{Text::kKeyAnswer, "answer the question with the first, second or third choice",
        "질문에 첫째, 둘째, 셋째 답으로 답하기"},
    Row{Text::kKeyReset, "reset: close every socket, start again",
        "처음부터: 모든 소켓을 닫고 다시 시작"},
    Row{Text::kKeyPlay, "play / pause", "자동 재생 / 일시 정지"},
    Row{Text::kKeyFont, "bigger / smaller text", "글자 크게 / 작게"},
    Row{Text::kKeyFullScreen, "full screen", "전체 화면"},
    Row{Text::kKeyLanguage, "switch language (한국어 / English)", "언어 바꾸기 (한국어 / English)"},
    Row{Text::kKeyHelp, "this help", "이 도움말"},
    Row{Text::kKeyKernelTable, "show / hide the kernel socket table",
        "커널 소켓 표 보이기 / 숨기기"},
    Row{Text::kKeyEscape, "close this help or a dialog; back to live",
        "도움말이나 대화상자 닫기, 실시간으로"},
    Row{Text::kMouseHelp, "Right-click a socket card to run any call on it (free mode).",
        "소켓 카드를 오른쪽 클릭하면 어떤 호출이든 실행할 수 있습니다 (자유 실습)."},
    Row{Text::kClose, "Close", "닫기"},
    Row{Text::kDiagramTitle, "Lifecycle", "생애 주기"},
    Row{Text::kDiagramAnyState, "close() from any state", "어느 상태에서든 close()"},
    Row{Text::kMenuExportLesson, "Export lesson", "레슨 내보내기"},
    Row{Text::kMenuExportC, "As C programs…", "C 프로그램으로…"},
    Row{Text::kMenuExportPython, "As Python programs…", "파이썬 프로그램으로…"},
    Row{Text::kMenuExportSvg, "As a sequence diagram (SVG)…", "시퀀스 다이어그램(SVG)으로…"},
    Row{Text::kMenuExportMermaid, "As Mermaid (for Markdown)…", "Mermaid(마크다운용)로…"},
    Row{Text::kExportFolderHint,
        "A folder: one .c file per program, and a README on how to build and run them.",
        "폴더: 프로그램마다 .c 파일 하나와, 빌드하고 실행하는 방법을 적은 README."},
    Row{Text::kExportPythonFolderHint,
        "A folder: one .py file per program (python3 alone runs them), and a README on how to "
        "run them.",
        "폴더: 프로그램마다 .py 파일 하나(python3만 있으면 실행됩니다)와, 실행하는 방법을 적은 "
        "README."},
    Row{Text::kExportRunHint, "The calls run so far, with their results and packets.",
        "지금까지 실행한 호출과 결과, 패킷."},
    Row{Text::kOverwrite, "Replace files that exist", "있는 파일 덮어쓰기"},
    Row{Text::kReplaceHint, "tick \"{0}\" in the dialog to replace it",
        "바꾸려면 대화 상자에서 \"{0}\"를 선택하세요"},
    Row{Text::kExportNeedsLesson, "Export needs an open lesson.",
        "내보내려면 레슨을 열어야 합니다."},
    Row{Text::kTraceQuestion, "Question", "질문"},
    Row{Text::kTraceAnswer, "Answer", "정답"},
    Row{Text::kTraceExpectHeld, "expectation held", "예상대로입니다"},
    Row{Text::kTraceExpectFailed, "EXPECTATION FAILED", "예상과 다릅니다"},
    Row{Text::kTraceExpected, "expected", "예상"},
    Row{Text::kTraceGot, "the kernel did", "실제 커널 결과"},
    Row{Text::kTraceBlocked, "blocked in the kernel", "커널 안에서 기다리는 중"},
    Row{Text::kTraceBlockedUnseen, "the kernel did not let sockstep see where the thread sleeps",
        "커널이 이 스레드가 어디에서 잠들어 있는지 sockstep에게 보여 주지 않았습니다"},
    Row{Text::kTraceResumed, "resumed", "재개"},
    Row{Text::kTraceRefusedBySockstep, "refused by sockstep before any call",
        "sockstep이 호출 전에 거부함"},
    Row{Text::kTraceWaitingForClient,
        "Waiting for a real client program. From another terminal, try one of:",
        "실제 클라이언트 프로그램을 기다립니다. 다른 터미널에서 다음 중 하나를 실행해 보세요:"},
    Row{Text::kTraceClientArrived, "a client arrived from", "클라이언트가 접속했습니다:"},
    Row{Text::kTraceClientClosedFirst,
        "the client already closed its side (its FIN came first): that is one of the states the "
        "lesson expects from such a client",
        "클라이언트가 이미 자기 쪽을 닫았습니다(FIN이 먼저 왔습니다). 그런 클라이언트라면 레슨이 "
        "예상하는 상태 중 하나입니다"},
    Row{Text::kTraceServerClosedFirst,
        "the server already closed its side (its FIN came first): that is one of the states the "
        "lesson expects from such a server",
        "서버가 이미 자기 쪽을 닫았습니다(FIN이 먼저 왔습니다). 그런 서버라면 레슨이 예상하는 "
        "상태 중 하나입니다"},
    Row{Text::kTraceStillBlocked, "is still blocked in", "아직 다음 호출에서 기다리는 중:"},
    Row{Text::kTraceHolding,
        "Holding every socket open for {0} s. Look at them from another terminal with:",
        "모든 소켓을 {0}초 동안 열어 둡니다. 다른 터미널에서 다음 명령으로 살펴보세요:"},
    Row{Text::kTraceHoldingDone, "Hold is over; closing every socket.",
        "대기 시간이 끝났습니다. 모든 소켓을 닫습니다."},
    Row{Text::kTraceCtrlC,
        "Interrupted by {0}: every blocked call is woken and every socket closed.",
        "{0}(으)로 중단했습니다. 기다리던 호출을 깨우고 모든 소켓을 닫았습니다."},
    Row{Text::kTraceCutShort, "Step {0}, {1}, was still in the kernel and did not finish.",
        "{0}단계 {1}은(는) 아직 커널 안에 있었고 끝나지 않았습니다."},
    Row{Text::kTraceNotRun,
        "Steps that did not run: {0}. The lesson is incomplete: nothing about them was checked.",
        "실행되지 않은 단계: {0}. 레슨이 끝나지 않았으므로 그 단계들은 확인하지 않았습니다."},
    Row{Text::kTraceHoldCut, "The hold was ended early by {0}; every step had run.",
        "{0}(으)로 대기를 일찍 끝냈습니다. 모든 단계는 이미 실행되었습니다."},
    Row{Text::kTraceSummaryOk, "All {0} expectations held.", "예상 {0}개가 모두 맞았습니다."},
    Row{Text::kTraceSummaryFailed, "{0} of {1} expectations did not hold.",
        "예상 {1}개 중 {0}개가 맞지 않았습니다."},
    Row{Text::kTraceSummaryNone, "This lesson run checked no expectations.",
        "이번 실행에서 확인한 예상이 없습니다."},
    Row{Text::kTraceConnectNote,
        "--connect: the server steps are skipped; the program listening at {0} plays the server.",
        "--connect: 서버 단계는 건너뜁니다. {0}에서 듣고 있는 프로그램이 서버 역할을 합니다."},
    Row{Text::kTraceUntilNote, "--until {0}: stopped after step {0}.",
        "--until {0}: {0}단계까지 실행하고 멈췄습니다."},
    Row{Text::kTraceCaptureOff,
        "Packet capture is off: capturing on lo needs the CAP_NET_RAW capability, which this "
        "process does not have. Every call still runs and every socket state is still read from "
        "the kernel; only the packets on the wire are not shown. To see them, grant it once with:",
        "패킷 캡처가 꺼져 있습니다: lo에서 패킷을 잡으려면 CAP_NET_RAW 권한이 필요한데, 이 "
        "프로세스에는 없습니다. 모든 호출은 그대로 실행되고 소켓 상태도 커널에서 그대로 읽지만, "
        "오간 패킷만 보이지 않습니다. 패킷까지 보려면 다음 명령으로 한 번만 권한을 주세요:"},
    Row{Text::kTraceCaptureFailed,
        "Packet capture is off: opening a packet socket on lo failed: {0}. Every call still runs; "
        "only the packets on the wire are not shown.",
        "패킷 캡처가 꺼져 있습니다: lo에 패킷 소켓을 열지 못했습니다: {0}. 모든 호출은 그대로 "
        "실행되지만 오간 패킷은 보이지 않습니다."},
    Row{Text::kTraceCaptureDropped,
        "The capture lost {0} packets (its buffer was full): the packet lines above may be "
        "incomplete.",
        "캡처 버퍼가 가득 차서 패킷 {0}개를 놓쳤습니다. 위의 패킷 줄이 빠짐없다고 할 수 "
        "없습니다."},
    Row{Text::kTracePacketByKernel, "sent by the kernel on its own, during no call",
        "호출 없이 커널이 스스로 보냄"},
    Row{Text::kTraceKernelChanged, "the kernel, with no call running", "호출 없이 커널이 바꿈"},
};
static_assert(kRows.size() == static_cast<size_t>(Text::kCount), "one row per Text");

constexpr bool RowsInOrder() {
    for (size_t i = 0; i < kRows.size(); ++i) {
        if (static_cast<size_t>(kRows[i].id) != i) return false;
    }
    return true;
}
static_assert(RowsInOrder(), "rows in the order of the Text enum");

}  // namespace

const char* Tr(Text text, core::Lang lang) {
    const Row& row = kRows[static_cast<size_t>(text)];
    return lang == core::Lang::kKo ? row.ko : row.en;
}

std::string FormatPositional(std::string_view pattern,
                             std::initializer_list<std::string_view> args) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
            pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
            const auto n = static_cast<size_t>(pattern[i + 1] - '0');
            if (n < args.size()) out += *(args.begin() + n);
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

std::string Fmt(Text text, core::Lang lang, std::initializer_list<std::string_view> args) {
    return FormatPositional(Tr(text, lang), args);
}

std::string AllUiText(core::Lang lang) {
    std::string all;
    for (const Row& row : kRows) all += lang == core::Lang::kKo ? row.ko : row.en;
    // Both language names are always shown in the language switch.
    all += "한국어English";
    all += AllExplainText(lang);
    return all;
}

}  // namespace sockstep::ui
