// An X server of the test's own: Xvfb on a free display number (-displayfd: the server picks it
// and writes it once it accepts connections), DISPLAY set to it for the test and the programs it
// starts, the server killed when the test ends. Key-tap tests need it: on the display that
// xvfb-run shares between the tests ctest runs in parallel, another test's new GLFW window takes
// the keyboard focus (there is no window manager), and the taps sent with XTest land there.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace sockstep::testing {

class PrivateDisplay {
  public:
    PrivateDisplay() {
        int fds[2] = {-1, -1};
        if (pipe(fds) != 0) {
            m_error = "pipe failed";
            return;
        }
        m_pid = fork();
        if (m_pid == 0) {
            close(fds[0]);
            const std::string fd = std::to_string(fds[1]);
            execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1280x800x24",
                   "-nolisten", "tcp", "-noreset", static_cast<char*>(nullptr));
            _exit(127);
        }
        close(fds[1]);
        if (m_pid < 0) {
            close(fds[0]);
            m_error = "fork failed";
            return;
        }
        // The number and a newline, once the server is ready; end of file if it died.
        std::string number;
        char c = 0;
        for (ssize_t n; (n = read(fds[0], &c, 1)) != 0;) {
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 || c == '\n') break;
            number += c;
        }
        close(fds[0]);
        if (number.empty()) {
            m_error = "Xvfb did not start (Debian package xvfb; scripts/test installs it)";
            return;
        }
        m_display = ":" + number;
        setenv("DISPLAY", m_display.c_str(), 1);
    }
    ~PrivateDisplay() {
        if (m_pid > 0) {
            kill(m_pid, SIGTERM);
            waitpid(m_pid, nullptr, 0);
        }
    }
    PrivateDisplay(const PrivateDisplay&) = delete;
    PrivateDisplay& operator=(const PrivateDisplay&) = delete;

    bool Ready() const { return !m_display.empty(); }
    const std::string& Error() const { return m_error; }
    const std::string& Display() const { return m_display; }

  private:
    pid_t m_pid = -1;
    std::string m_display;
    std::string m_error;
};

}  // namespace sockstep::testing
