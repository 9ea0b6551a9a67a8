#include "pc/measure/measurer.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "pc/core/error.hpp"
#include "pc/measure/duty_cycle.hpp"
#include "pc/measure/work_unit.hpp"

namespace pc::measure {

namespace {

std::function<void()> default_work() {
    auto array = std::make_shared<WorkArray>();
    return [array] { array->run(); };
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

// Runs one level on `cores` threads; polls should_stop meanwhile.
LevelResult run_level(const MeasureOptions& options, int cores, int busy_pct,
                      std::atomic<bool>& stop) {
    Clock& clock = options.clock ? *options.clock : steady_clock();
    const DutyCycle cycle{busy_pct / 100.0, options.period, options.level_length};
    std::vector<CoreResult> per_core(static_cast<std::size_t>(cores));
    std::mutex mutex;
    std::condition_variable done_cv;
    int running = cores;
    std::vector<std::jthread> workers;
    workers.reserve(per_core.size());
    try {
        for (auto& slot : per_core) {
            workers.emplace_back([&, slot_ptr = &slot] {
                if (options.nice != 0) {
                    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)),
                                  options.nice);
                }
                auto work = options.work ? options.work() : default_work();
                *slot_ptr = run_duty_cycle(clock, cycle, work, stop);
                std::lock_guard lock(mutex);
                if (--running == 0) done_cv.notify_all();
            });
        }
    } catch (const std::system_error& e) {
        stop = true;
        std::unique_lock lock(mutex);
        running -= cores - static_cast<int>(workers.size());
        done_cv.wait(lock, [&] { return running == 0; });
        throw core::UserError(std::string("cannot start the measurement's threads: ") + e.what());
    }
    {
        std::unique_lock lock(mutex);
        while (
            !done_cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return running == 0; })) {
            if (options.should_stop && !stop) {
                lock.unlock();
                if (options.should_stop()) stop = true;
                lock.lock();
            }
        }
    }
    workers.clear();
    LevelResult level{busy_pct, 0, 0};
    for (const auto& core : per_core) {
        level.work_units += core.units;
        level.busy_core_seconds += std::chrono::duration<double>(core.busy).count();
    }
    return level;
}

}  // namespace

int usable_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::vector<int> parse_levels(std::string_view text, std::string_view option) {
    auto fail = [&] {
        return core::UserError(std::string(option) + ": cannot read levels \"" + std::string(text) +
                               "\"; give busy percentages 1..100 in increasing order, e.g. "
                               "10,20,30,40,50,60,70,80,90,100");
    };
    std::vector<int> levels;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto comma = text.find(',', pos);
        auto part = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
        int value = 0;
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || ec != std::errc() || ptr != part.data() + part.size() || value < 1 ||
            value > 100 || (!levels.empty() && value <= levels.back())) {
            throw fail();
        }
        levels.push_back(value);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return levels;
}

std::chrono::nanoseconds total_length(const MeasureOptions& options) {
    return options.level_length * static_cast<long>(options.levels.size());
}

MeasureResult measure(const MeasureOptions& options) {
    MeasureResult result;
    result.hostname = host_name();
    result.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    result.num_cores = options.cores > 0 ? options.cores : usable_cpus();
    std::atomic<bool> stop{false};
    for (int busy_pct : options.levels) {
        LevelResult level = run_level(options, result.num_cores, busy_pct, stop);
        if (stop) {
            result.error = "stopped";
            break;
        }
        result.results.push_back(level);
        if (options.on_level) options.on_level(level);
    }
    summarize(result);
    return result;
}

}  // namespace pc::measure
