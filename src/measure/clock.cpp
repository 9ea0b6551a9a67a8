#include "pc/measure/clock.hpp"

#include <thread>

namespace pc::measure {

namespace {

class SteadyClock final : public Clock {
public:
    time_point now() override { return std::chrono::steady_clock::now(); }
    void sleep_until(time_point when) override { std::this_thread::sleep_until(when); }
};

}  // namespace

Clock& steady_clock() {
    static SteadyClock clock;
    return clock;
}

}  // namespace pc::measure
