// Standard descriptors and standard output. Descriptors 0-2 are reserved first thing in main:
// a closed one would be the next socket's number (the trace written into sockstep's own netlink
// socket, lines sent as frames on lo). Standard output is written through a buffer that keeps
// the first write error, so that a full disk or a closed stdout is reported, never lost.
#pragma once

#include <streambuf>
#include <string>

namespace sockstep::app {

// Opens /dev/null read-only on each of 0, 1 and 2 that is closed (writes to it then fail with
// EBADF and are reported). False when one could not be reserved.
bool ReserveStandardDescriptors();

// A streambuf over a descriptor: every write(2) checked, the first error kept.
class FdOutBuf : public std::streambuf {
  public:
    explicit FdOutBuf(int fd);
    ~FdOutBuf() override;
    FdOutBuf(const FdOutBuf&) = delete;
    FdOutBuf& operator=(const FdOutBuf&) = delete;

    // The errno of the first failed write (0: none).
    int Error() const { return m_error; }

  protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

  private:
    bool Drain();

    int m_fd;
    bool m_line_buffered;
    int m_error = 0;
    char m_buffer[8192];
};

// After the front end ran: flushes `out`, closes standard output (close(2) reports a deferred
// error), and reports a write error on `err`. Returns `code`, or 2 when it was 0 and the output
// was lost.
int FinishStandardOutput(std::ostream& out, FdOutBuf& buffer, int code, std::ostream& err);

}  // namespace sockstep::app
