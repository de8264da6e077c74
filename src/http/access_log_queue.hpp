#pragma once
// Private to src/http (access_log.cpp) and its unit test: the access log's record, the bounded
// queue between the I/O threads and the writer, and the formatting of one line.
//
// The queue is Dmitry Vyukov's bounded MPMC array queue, used with many producers (the I/O
// threads) and one consumer at a time (the writer, or whoever holds the drain lock once it has
// stopped). A slot's sequence number says whose turn it is: equal to the position, free for the
// producer of that position; position + 1, holding a record for the consumer. Producers claim a
// position with one compare-and-swap and never wait: when the slot at the tail is still full,
// the queue is full and push() returns false.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace hotel::http::detail {

// One request's fields, copied as they are: formatting waits for the writer. The six strings
// sit in a fixed inline buffer; only fields longer than that together (a long path) spill to the
// heap.
struct AccessRecord {
    static constexpr std::size_t kInline = 200;
    std::int64_t unix_ms = 0;  // when the request was logged ("ts")
    long long micros = 0;
    int status = 0;
    std::uint32_t sizes[6] = {};  // method, path, request id, trace id, remote, client
    char inline_text[kInline];
    std::string spill;

    void assign(std::int64_t unix_ms_, std::string_view method, std::string_view path, int status_,
                long long micros_, std::string_view request_id, std::string_view trace_id,
                std::string_view remote, std::string_view client);
    std::string_view method() const { return field(0); }
    std::string_view path() const { return field(1); }
    std::string_view request_id() const { return field(2); }
    std::string_view trace_id() const { return field(3); }
    std::string_view remote() const { return field(4); }
    std::string_view client() const { return field(5); }

  private:
    std::string_view field(int i) const;
};

class AccessLogQueue {
  public:
    // capacity: rounded up to a power of two.
    explicit AccessLogQueue(std::size_t capacity);
    std::size_t capacity() const noexcept { return mask_ + 1; }

    // Copies the fields into the next slot; false (nothing copied) when the queue is full.
    bool push(std::int64_t unix_ms, std::string_view method, std::string_view path, int status,
              long long micros, std::string_view request_id, std::string_view trace_id,
              std::string_view remote, std::string_view client);

    // Whether a record is ready at the head. Consumer side.
    bool ready() const noexcept;

    // Hands the records ready at the head, oldest first, to on_record (at most `max`) and frees
    // their slots; returns how many. One consumer at a time.
    template <class F>
    std::size_t drain(F&& on_record, std::size_t max) {
        std::size_t n = 0;
        while (n < max) {
            Slot& slot = slots_[head_ & mask_];
            if (slot.sequence.load(std::memory_order_acquire) != head_ + 1)
                break;
            on_record(static_cast<const AccessRecord&>(slot.record));
            if (slot.record.spill.capacity() > 0)
                std::string().swap(slot.record.spill);
            slot.sequence.store(head_ + mask_ + 1, std::memory_order_release);
            ++head_;
            ++n;
        }
        return n;
    }

  private:
    struct Slot {
        std::atomic<std::size_t> sequence{0};
        AccessRecord record;
    };
    std::size_t mask_;
    std::unique_ptr<Slot[]> slots_;
    alignas(64) std::atomic<std::size_t> tail_{0};
    alignas(64) std::size_t head_ = 0;
};

// Appends the line exactly as Boost.JSON serializes the object {"ts", "level": "info",
// "msg": "request", "method", "path" (made valid UTF-8), "status", "us", "request_id",
// "trace_id", "remote", "client"} in that order, then '\n'.
void append_access_line(std::string& out, const AccessRecord& record);

}  // namespace hotel::http::detail
