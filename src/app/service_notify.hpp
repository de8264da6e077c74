#pragma once
// Tells the service manager how hoteld is doing, for a systemd unit of Type=notify: one datagram
// such as "READY=1" or "STOPPING=1" to the Unix socket named in $NOTIFY_SOCKET, as sd_notify(3)
// sends it, without linking libsystemd. A name starting with '@' is a socket in the abstract
// namespace. Outside systemd ($NOTIFY_SOCKET unset) every call does nothing.

#include <string_view>

namespace hotel::app {

// True when $NOTIFY_SOCKET names a socket this helper can reach (a path or an '@' name).
bool service_manager_listens();

// Sends `state` (one or more "KEY=value" lines). False when no manager listens or the datagram
// could not be sent; never throws: a service manager that went away must not stop the server.
bool notify_service_manager(std::string_view state);

}  // namespace hotel::app
