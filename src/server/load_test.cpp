#include "pc/server/load_test.hpp"

#include <spdlog/spdlog.h>

#include "pc/measure/measurer.hpp"

namespace pc::server {

namespace {

constexpr int kWorkerNice = 19;

}  // namespace

std::chrono::nanoseconds LoadTest::total_length() const {
    measure::MeasureOptions options;
    options.level_length = level_length_;
    return measure::total_length(options);
}

LoadTest::Outcome LoadTest::run(const std::function<bool()>& client_gone) {
    Outcome outcome;
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        if (running_) {
            const auto left = std::chrono::ceil<std::chrono::seconds>(ends_at_ - now).count();
            outcome.busy_seconds_left = std::max<long>(1, static_cast<long>(left));
            return outcome;
        }
        running_ = true;
        ends_at_ = now + total_length();
    }
    struct Release {
        LoadTest& self;
        ~Release() {
            std::lock_guard lock(self.mutex_);
            self.running_ = false;
        }
    } release{*this};

    measure::MeasureOptions options;
    options.level_length = level_length_;
    options.nice = kWorkerNice;
    options.should_stop = [&] {
        if (stopping_) return true;
        if (client_gone && client_gone()) {
            outcome.client_gone = true;
            return true;
        }
        return false;
    };
    options.on_level = [](const measure::LevelResult& level) {
        spdlog::debug("load test: {}% busy: {} work units", level.busy_pct, level.work_units);
    };
    if (stopping_) {
        outcome.result = measure::MeasureResult{};
        outcome.result->error = "pcd is stopping";
        return outcome;
    }
    outcome.result = measure::measure(options);
    if (!outcome.result->error.empty()) {
        outcome.result->error = outcome.client_gone ? "the client hung up" : "pcd is stopping";
    }
    return outcome;
}

}  // namespace pc::server
