// The capacity measurement: for each load level, every core runs work units in a duty cycle for
// a fixed time; what each level achieved, summed over the cores.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pc/measure/clock.hpp"
#include "pc/measure/result.hpp"

namespace pc::measure {

// Makes one core's work unit (called once on each worker thread, which then calls the result
// for every unit).
using WorkFactory = std::function<std::function<void()>()>;

struct MeasureOptions {
    std::vector<int> levels{10, 20, 30, 40, 50, 60, 70, 80, 90, 100};  // busy %
    std::chrono::nanoseconds level_length{std::chrono::seconds(5)};
    std::chrono::nanoseconds period{std::chrono::milliseconds(100)};
    int cores = 0;           // worker threads; 0: the CPUs this process may run on
    int nice = 0;            // the workers' nice value (pcd lowers theirs so requests come first)
    Clock* clock = nullptr;  // nullptr: steady_clock()
    WorkFactory work;        // empty: a WorkArray per worker
    // After each level (progress).
    std::function<void(const LevelResult&)> on_level;
    // Asked every 50 ms while a level runs; true stops the measurement.
    std::function<bool()> should_stop;
};

// Runs every level in order. When should_stop ends it early, the levels completed so far are
// returned with error = "stopped". Throws UserError when worker threads cannot be started.
MeasureResult measure(const MeasureOptions& options);

// The CPUs this process may run on (sched_getaffinity: `taskset -c 0` gives 1).
int usable_cpus();

// "10,20,30": percentages 1..100, strictly increasing. Throws UserError naming `option`.
std::vector<int> parse_levels(std::string_view text, std::string_view option);

// How long options' levels take in all.
std::chrono::nanoseconds total_length(const MeasureOptions& options);

}  // namespace pc::measure
