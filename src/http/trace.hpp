#pragma once
// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` a request brings,
// or a new trace when it brings none that is valid, and the trace of the request being handled
// now on this thread.
//
// A request's trace is reachable from code that never sees the request (log_event, the
// database pool) because the server runs each connection on a strand whose executor installs
// that connection's RequestTrace as the thread's current one around every step it runs (see
// server.cpp). Between requests, and on threads that serve no request, there is none.

#include <cstdint>
#include <string_view>

namespace hotel::http {

struct TraceParent {
    char trace_id[32];  // lower-case hex, not all zero
    char parent_id[16];
    std::uint8_t flags = 0;
};

// Parses a traceparent header value: "00-<32 hex>-<16 hex>-<2 hex>", lower-case, ids not all
// zero. A later version (not ff) is read for the same four fields when what follows them starts
// with '-', as the specification asks. False for anything else (the caller starts a new trace).
bool parse_traceparent(std::string_view value, TraceParent& out) noexcept;

// One connection's current request, as its strand publishes it.
struct RequestTrace {
    bool active = false;
    char trace_id[32];
    char span_id[16];  // this server's span: the parent id of anything it calls
    std::uint8_t flags = 0;
    char header[55];  // the traceparent this server answers with: 00-trace-span-flags

    // Continues the caller's trace when `incoming` is a valid traceparent, else starts one;
    // either way with a new span of this server.
    void start(std::string_view incoming) noexcept;
    void clear() noexcept { active = false; }
    std::string_view id() const noexcept { return {trace_id, sizeof trace_id}; }
    std::string_view traceparent() const noexcept { return {header, sizeof header}; }
};

// The request being handled by this thread now, or nullptr.
const RequestTrace* current_trace() noexcept;
// Its trace id, or "" outside a request.
std::string_view current_trace_id() noexcept;

// Makes `trace` the thread's current one for its lifetime (restoring the previous one).
class TraceScope {
  public:
    explicit TraceScope(const RequestTrace* trace) noexcept;
    ~TraceScope();
    TraceScope(const TraceScope&) = delete;
    TraceScope& operator=(const TraceScope&) = delete;

  private:
    const RequestTrace* previous_;
};

}  // namespace hotel::http
