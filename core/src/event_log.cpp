// The append-only event log with lock-free reading of views.
#include "sockstep/core/event_log.h"

namespace sockstep::core {

uint64_t EventLog::Append(Event event) {
    std::lock_guard lock(m_mutex);
    if (m_size % kEventBlockSize == 0) {
        // Views hold shared_ptrs to blocks, so copying the block list never moves an event.
        m_blocks.push_back(std::make_shared<EventBlock>());
    }
    event.seq = m_size;
    m_blocks.back()->events[m_size % kEventBlockSize] = std::move(event);
    return m_size++;
}

LogView EventLog::View() const {
    std::lock_guard lock(m_mutex);
    return LogView(m_blocks, m_size);
}

size_t EventLog::size() const {
    std::lock_guard lock(m_mutex);
    return m_size;
}

void EventLog::Clear() {
    std::lock_guard lock(m_mutex);
    m_blocks.clear();
    m_size = 0;
}

}  // namespace sockstep::core
