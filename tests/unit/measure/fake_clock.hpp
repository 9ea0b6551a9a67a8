// A clock that only moves when told: each thread has its own time, advanced by the fake work
// and by sleeping, so duty cycles on several threads run instantly and exactly.
#pragma once

#include <chrono>

#include "pc/measure/clock.hpp"

namespace pc::test {

class ThreadFakeClock final : public pc::measure::Clock {
public:
    time_point now() override { return time_point(elapsed()); }
    void sleep_until(time_point when) override {
        ++sleeps();
        if (when.time_since_epoch() > elapsed()) elapsed() = when.time_since_epoch();
    }
    static void advance(std::chrono::nanoseconds d) { elapsed() += d; }
    static int& sleeps() {
        thread_local int count = 0;
        return count;
    }

private:
    static std::chrono::nanoseconds& elapsed() {
        thread_local std::chrono::nanoseconds value{std::chrono::seconds(1000)};
        return value;
    }
};

}  // namespace pc::test
