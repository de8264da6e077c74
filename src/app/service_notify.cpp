#include "app/service_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace hotel::app {
namespace {

// The address in $NOTIFY_SOCKET, with its length; false when it is unset or unusable.
bool notify_address(sockaddr_un& addr, socklen_t& length) {
    const char* name = std::getenv("NOTIFY_SOCKET");
    if (name == nullptr || (name[0] != '/' && name[0] != '@'))
        return false;
    const std::size_t size = std::strlen(name);
    if (size < 2 || size >= sizeof addr.sun_path)
        return false;
    std::memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name, size);
    if (name[0] == '@')
        addr.sun_path[0] = '\0';  // the abstract namespace: no file, the name's bytes only
    // An abstract name is exactly its bytes (no terminator); a path may carry its NUL.
    length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + size + (name[0] == '/' ? 1 : 0));
    return true;
}

}  // namespace

bool service_manager_listens() {
    sockaddr_un addr{};
    socklen_t length = 0;
    return notify_address(addr, length);
}

bool notify_service_manager(std::string_view state) {
    sockaddr_un addr{};
    socklen_t length = 0;
    if (!notify_address(addr, length) || state.empty())
        return false;
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const auto sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                               reinterpret_cast<const sockaddr*>(&addr), length);
    ::close(fd);
    return sent == static_cast<ssize_t>(state.size());
}

}  // namespace hotel::app
