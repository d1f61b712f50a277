// The kernel's view of every socket of a session at one moment.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sockstep/core/address.h"
#include "sockstep/core/api_state.h"
#include "sockstep/core/tcp_state.h"

namespace sockstep::core {

enum class Owner : uint8_t {
    kActor,     // a descriptor of one of the session's actors
    kKernel,    // no descriptor holds it: waiting in an accept queue, FIN-WAIT-2, TIME-WAIT
    kExternal,  // a peer outside the session (nc, curl, a browser) on loopback
};
std::string_view OwnerName(Owner owner);  // "actor", "kernel", "external"

struct SocketView {
    int id = -1;       // stable within a session: the same connection keeps its id
    std::string name;  // the script's name; empty for kernel/external sockets
    int fd = -1;       // -1 when no descriptor of the session holds it
    int actor = -1;    // owning actor index; -1 for kernel/external
    Owner owner = Owner::kActor;
    Family family = Family::kInet;
    SockType type = SockType::kStream;
    std::optional<Endpoint> local;
    std::optional<Endpoint> remote;
    ApiState api_state = ApiState::kCreated;
    std::optional<TcpState> tcp_state;  // from TCP_INFO or sock_diag; never guessed
    int accept_queue = -1;              // listeners: connections waiting for accept()
    int backlog = -1;                   // listeners: the backlog the kernel uses
    int inq = -1;                       // bytes received, not yet read (SIOCINQ)
    int outq = -1;                      // bytes sent, not yet acknowledged (SIOCOUTQ)
    int timer_ms = -1;     // kernel timer (TIME-WAIT, retransmit, keepalive), when running
    int retransmits = -1;  // TCP_INFO tcpi_retransmits: e.g. SYNs resent while SYN-SENT
    uint64_t inode = 0;    // the socket's inode: how descriptors and sock_diag entries match

    bool operator==(const SocketView&) const = default;
};

// The sockets of one moment, as a read-only sequence of SocketView. Views are held by shared
// pointer so that consecutive events share every socket that did not change: with 1,000 sockets
// a log of thousands of events would otherwise hold millions of copies.
class Snapshot {
  public:
    using value_type = SocketView;
    using Storage = std::vector<std::shared_ptr<const SocketView>>;

    class const_iterator {
      public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = SocketView;
        using difference_type = std::ptrdiff_t;
        using pointer = const SocketView*;
        using reference = const SocketView&;
        const_iterator() = default;
        explicit const_iterator(Storage::const_iterator it) : m_it(it) {}
        reference operator*() const { return **m_it; }
        pointer operator->() const { return m_it->get(); }
        reference operator[](difference_type n) const { return *m_it[n]; }
        const_iterator& operator++() {
            ++m_it;
            return *this;
        }
        const_iterator operator++(int) {
            auto old = *this;
            ++m_it;
            return old;
        }
        const_iterator& operator--() {
            --m_it;
            return *this;
        }
        const_iterator operator--(int) {
            auto old = *this;
            --m_it;
            return old;
        }
        const_iterator& operator+=(difference_type n) {
            m_it += n;
            return *this;
        }
        const_iterator& operator-=(difference_type n) {
            m_it -= n;
            return *this;
        }
        friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
        friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
        friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
            return a.m_it - b.m_it;
        }
        auto operator<=>(const const_iterator&) const = default;

      private:
        Storage::const_iterator m_it;
    };
    using iterator = const_iterator;

    Snapshot() = default;
    Snapshot(std::initializer_list<SocketView> views);
    explicit Snapshot(std::vector<SocketView> views);

    size_t size() const { return m_views.size(); }
    bool empty() const { return m_views.empty(); }
    const SocketView& operator[](size_t i) const { return *m_views[i]; }
    // The view at `i` as shared: the same object in every snapshot where the socket is
    // unchanged (ShareWith), so a front end may keep what it measured of it.
    const std::shared_ptr<const SocketView>& Shared(size_t i) const { return m_views[i]; }
    const SocketView& front() const { return *m_views.front(); }
    const SocketView& back() const { return *m_views.back(); }
    const_iterator begin() const { return const_iterator(m_views.begin()); }
    const_iterator end() const { return const_iterator(m_views.end()); }
    void push_back(SocketView view);
    void reserve(size_t n) { m_views.reserve(n); }
    void clear() { m_views.clear(); }

    // Points every view equal to the one at the same position (or with the same id) in
    // `previous` at that one, so the two share storage. The contents do not change.
    void ShareWith(const Snapshot& previous);

    bool operator==(const Snapshot& other) const;

  private:
    Storage m_views;
};

const SocketView* FindSocket(const Snapshot& snapshot, int id);
const SocketView* FindSocketByName(const Snapshot& snapshot, std::string_view name);

// The sockets whose kernel view differs between two snapshots, by id, ascending: a socket that
// appeared or went, or whose TCP state, addresses, queue lengths, retransmission count or timer
// (running or not) changed. The timer's remaining time changes continuously and does not count.
std::vector<int> KernelChanges(const Snapshot& before, const Snapshot& after);
// What KernelChanges found, one clause per socket, in `ss`'s words and the log's names:
// "sock3 FIN-WAIT-1 -> FIN-WAIT-2, outq 1 -> 0; 127.0.0.1:5000-127.0.0.1:40000 TIME-WAIT gone".
std::string DescribeKernelChanges(const Snapshot& before, const Snapshot& after);
// Whether the kernel will change some socket of `snapshot` on its own, with no call: a state it
// leaves by itself (SYN-SENT, SYN-RECV, FIN-WAIT-1/2, CLOSING, LAST-ACK, TIME-WAIT), bytes not
// yet acknowledged on an ESTAB or CLOSE-WAIT connection (an ACK or a retransmission is due) or a
// running timer.
bool KernelWillMove(const Snapshot& snapshot);

}  // namespace sockstep::core
