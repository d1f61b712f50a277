// The append-only, ordered event log of a session. Writers append under a mutex; a reader takes
// a LogView (a few pointers, copied under the mutex) and then reads it without any lock while
// writers go on appending: events are stored in fixed blocks that never move.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "sockstep/core/event.h"

namespace sockstep::core {

// Small enough that allocating a block under the log's mutex stays cheap (~40 KB).
inline constexpr size_t kEventBlockSize = 64;

struct EventBlock {
    std::array<Event, kEventBlockSize> events;
};

// An immutable view of the first size() events of a log.
class LogView {
  public:
    LogView() = default;
    LogView(std::vector<std::shared_ptr<EventBlock>> blocks, size_t size)
        : m_blocks(std::move(blocks)), m_size(size) {}
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const Event& operator[](size_t i) const {
        return m_blocks[i / kEventBlockSize]->events[i % kEventBlockSize];
    }
    const Event& back() const { return (*this)[m_size - 1]; }

  private:
    std::vector<std::shared_ptr<EventBlock>> m_blocks;
    size_t m_size = 0;
};

class EventLog {
  public:
    // Appends and returns the assigned sequence number (0, 1, 2, …).
    uint64_t Append(Event event);
    LogView View() const;
    size_t size() const;
    // Starts a new, empty log. Views taken before keep the old events alive.
    void Clear();

  private:
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<EventBlock>> m_blocks;
    size_t m_size = 0;
};

}  // namespace sockstep::core
