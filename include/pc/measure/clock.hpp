// Time as the measurement sees it: injectable, so the duty cycle is tested without real time.
#pragma once

#include <chrono>

namespace pc::measure {

class Clock {
public:
    using time_point = std::chrono::steady_clock::time_point;

    virtual ~Clock() = default;
    virtual time_point now() = 0;
    virtual void sleep_until(time_point when) = 0;
};

// std::chrono::steady_clock and std::this_thread::sleep_until; safe on any thread.
Clock& steady_clock();

}  // namespace pc::measure
