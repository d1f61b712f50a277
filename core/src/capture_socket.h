// The AF_PACKET socket that captures frames on the loopback interface, and the eventfd that
// wakes the thread waiting on it. Internal to sockstep_core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace sockstep::core::detail {

// Enough for IPv6 with a few extension headers and a TCP header with every option: only the
// headers are read; the payload's length comes from the IP header.
inline constexpr size_t kCaptureSnapBytes = 256;

struct CapturedFrame {
    uint8_t bytes[kCaptureSnapBytes];
    size_t captured = 0;       // bytes in `bytes`
    size_t wire_length = 0;    // the whole frame, network header onwards
    uint16_t ethertype = 0;    // sll_protocol, host order: ETH_P_IP or ETH_P_IPV6
    int64_t realtime_ns = -1;  // when the kernel queued it (SO_TIMESTAMPNS), -1 unknown
};

class CaptureSocket {
  public:
    // Opens the capture on lo. nullopt and *error = errno when that fails: EPERM without
    // CAP_NET_RAW (packet(7)); EAFNOSUPPORT without AF_PACKET; ENODEV without lo; EMFILE/ENFILE.
    static std::optional<CaptureSocket> Open(int* error);

    CaptureSocket(CaptureSocket&& other) noexcept;
    CaptureSocket& operator=(CaptureSocket&&) = delete;
    CaptureSocket(const CaptureSocket&) = delete;
    CaptureSocket& operator=(const CaptureSocket&) = delete;
    ~CaptureSocket();

    // One queued frame, without waiting; false when none is queued (EAGAIN) or on an error.
    bool Read(CapturedFrame& frame);
    // Waits until a frame may be queued (true) or Stop() was called (false).
    bool Wait();
    // Makes every Wait(), now or later, return false. Safe from any thread.
    void Stop();
    // Frames the kernel dropped since the last call (PACKET_STATISTICS resets on read).
    uint64_t TakeDropped();

  private:
    CaptureSocket(int fd, int wake_fd) : m_fd(fd), m_wake_fd(wake_fd) {}

    int m_fd = -1;
    int m_wake_fd = -1;
};

}  // namespace sockstep::core::detail
