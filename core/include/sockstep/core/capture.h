// Whether a session captures the packets of its sockets on the loopback interface, and if not,
// why not and how to allow it. Capture needs CAP_NET_RAW (an AF_PACKET socket); without it the
// session runs every call as before and logs no packet at all: nothing is drawn from a guess.
#pragma once

#include <cstdint>
#include <string>

namespace sockstep::core {

// The capability packet capture needs, as capabilities(7) names it.
inline constexpr const char* kCaptureCapability = "CAP_NET_RAW";

struct CaptureStatus {
    bool active = false;  // packets of the session's sockets are being captured on lo
    int error = 0;        // when inactive: errno of opening the capture socket (EPERM: no
                          // CAP_NET_RAW)
    // When inactive: one English sentence saying so, naming CAP_NET_RAW and `command`.
    std::string reason;
    // When inactive because of a missing capability: the command that grants it to this
    // program, e.g. "sudo setcap cap_net_raw+ep /home/me/sockstep/build/sockstep". Front ends
    // translate `reason` and show this on its own line; "" for other errors.
    std::string command;
    // Frames the kernel dropped because the capture socket's buffer was full (PACKET_STATISTICS):
    // when not 0, the log lacks that many packets of lo (ours or other programs').
    uint64_t dropped = 0;
};

// "sudo setcap cap_net_raw+ep <program>" for the running executable (/proc/self/exe), or
// build/sockstep when that cannot be read.
std::string CaptureGrantCommand();

}  // namespace sockstep::core
