// What the dashboard knows of a machine's ticks, fed one tick timestamp at a time in stored
// order (so a refresh reads only what arrived since the last one): how many ticks, its interval
// (the median of its recent tick-to-tick steps, as `pcctl validate` estimates the frequency),
// and how many gaps (a step of at least twice the interval and at least interval + 2 s: the
// rule of `pcctl validate`, judged against the interval known when the step is seen).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace pc::server {

class TickTimeline {
public:
    // A record's timestamp; a tick is a run of records with the same timestamp.
    void add(std::int64_t timestamp);

    std::uint64_t ticks() const { return ticks_; }
    std::uint64_t gaps() const { return gaps_; }
    // Seconds; nullopt until two ticks were seen.
    std::optional<std::int64_t> interval() const;
    std::optional<std::int64_t> last_tick() const { return last_; }

    static constexpr std::size_t kSteps = 32;  // recent steps the interval is the median of

private:
    std::uint64_t ticks_ = 0;
    std::uint64_t gaps_ = 0;
    std::optional<std::int64_t> last_;
    std::deque<std::int64_t> steps_;
};

}  // namespace pc::server
