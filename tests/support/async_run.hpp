#pragma once
// Runs a coroutine to completion on an io_context and returns its result (or rethrows).

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>
#include <vector>

namespace hotel::test {

template <class T>
T run_async(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw, int threads = 1) {
    auto fut = boost::asio::co_spawn(ioc, std::move(aw), boost::asio::use_future);
    ioc.restart();
    std::vector<std::thread> extra;
    for (int i = 1; i < threads; ++i)
        extra.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : extra)
        t.join();
    return fut.get();
}

}  // namespace hotel::test
