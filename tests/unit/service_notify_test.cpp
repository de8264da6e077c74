// The sd_notify datagrams hoteld sends under a systemd unit of Type=notify, received on a real
// socket bound here, as systemd binds its own.

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "app/service_notify.hpp"
#include "notify_socket.hpp"

using hotel::app::notify_service_manager;
using hotel::app::service_manager_listens;
using hotel::test::NotifySocket;
using namespace std::chrono_literals;

namespace {

// Sets NOTIFY_SOCKET for one test and puts back what was there.
class NotifyEnv {
  public:
    explicit NotifyEnv(const char* value) {
        if (const char* old = std::getenv("NOTIFY_SOCKET"))
            saved_ = old;
        if (value != nullptr)
            ::setenv("NOTIFY_SOCKET", value, 1);
        else
            ::unsetenv("NOTIFY_SOCKET");
    }
    ~NotifyEnv() {
        if (saved_)
            ::setenv("NOTIFY_SOCKET", saved_->c_str(), 1);
        else
            ::unsetenv("NOTIFY_SOCKET");
    }

  private:
    std::optional<std::string> saved_;
};

}  // namespace

TEST(ServiceNotify, SendsTheStateToASocketPath) {
    NotifySocket manager(NotifySocket::Kind::path);
    NotifyEnv env(manager.name().c_str());
    EXPECT_TRUE(service_manager_listens());
    EXPECT_TRUE(notify_service_manager("READY=1\nSTATUS=serving"));
    EXPECT_EQ(manager.receive(2s).value_or("(nothing)"), "READY=1\nSTATUS=serving");
    EXPECT_TRUE(notify_service_manager("STOPPING=1"));
    EXPECT_EQ(manager.receive(2s).value_or("(nothing)"), "STOPPING=1");
}

TEST(ServiceNotify, SendsTheStateToAnAbstractSocket) {
    NotifySocket manager(NotifySocket::Kind::abstract);
    ASSERT_EQ(manager.name().front(), '@');
    NotifyEnv env(manager.name().c_str());
    EXPECT_TRUE(notify_service_manager("READY=1"));
    EXPECT_EQ(manager.receive(2s).value_or("(nothing)"), "READY=1");
}

TEST(ServiceNotify, DoesNothingOutsideAServiceManager) {
    NotifyEnv env(nullptr);
    EXPECT_FALSE(service_manager_listens());
    EXPECT_FALSE(notify_service_manager("READY=1"));
}

TEST(ServiceNotify, RefusesANameThatIsNeitherAPathNorAbstract) {
    NotifyEnv env("relative/notify.sock");
    EXPECT_FALSE(service_manager_listens());
    EXPECT_FALSE(notify_service_manager("READY=1"));
}

TEST(ServiceNotify, SaysSoWhenNobodyListensAnyMore) {
    std::string gone;
    {
        NotifySocket manager(NotifySocket::Kind::path);
        gone = manager.name();
    }
    NotifyEnv env(gone.c_str());
    EXPECT_FALSE(notify_service_manager("READY=1"));  // and does not throw or raise SIGPIPE
}
