// The data-quality report of one collection file (pcctl validate).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pc::validate {

// A list that keeps a total count but only the first few examples.
template <typename T>
struct Findings {
    std::uint64_t count = 0;
    std::vector<T> examples;

    void add(T item, std::size_t max_examples) {
        ++count;
        if (examples.size() < max_examples) examples.push_back(std::move(item));
    }
    bool empty() const { return count == 0; }
};

enum class LineProblemKind {
    malformed,        // a complete line that is not a collection record
    truncated,        // the last line has no '\n' and does not decode: interrupted write
    bad_measurement,  // a record whose measurement text does not parse as its subsystem
};

struct LineProblem {
    std::uint64_t line = 0;
    LineProblemKind kind = LineProblemKind::malformed;
    std::string detail;
};

struct Gap {
    std::int64_t after = 0;   // timestamp of the tick before the gap
    std::int64_t before = 0;  // timestamp of the tick after it
    std::uint64_t line = 0;   // first line of the tick after the gap
    std::int64_t missing_ticks = 0;
};

// A tick whose timestamp was already seen (a resent or re-appended tick), or one holding the
// same subsystem twice.
struct DuplicateTick {
    std::int64_t timestamp = 0;
    std::uint64_t line = 0;
    std::string detail;
};

struct OutOfOrder {
    std::int64_t timestamp = 0;
    std::int64_t previous = 0;
    std::uint64_t line = 0;
};

struct IncompleteTick {
    std::int64_t timestamp = 0;
    std::uint64_t line = 0;
    std::vector<std::string> missing;
};

struct CounterReset {
    std::int64_t timestamp = 0;
    std::uint64_t line = 0;
    std::string counter;  // "/proc/net/dev eth0 rx_bytes"
};

struct Reboot {
    std::int64_t timestamp = 0;
    std::uint64_t line = 0;
    std::uint64_t old_btime = 0;
    std::uint64_t new_btime = 0;
};

struct SubsystemCoverage {
    std::string subsystem;
    std::uint64_t ticks = 0;  // ticks holding at least one record of it
};

struct ValidationReport {
    std::string path;
    std::uint64_t bytes = 0;  // bytes read (after gzip decompression)
    std::uint64_t lines = 0;  // non-blank lines
    std::uint64_t records = 0;
    std::uint64_t ticks = 0;
    std::optional<std::int64_t> first_timestamp;
    std::optional<std::int64_t> last_timestamp;
    std::optional<std::int64_t> frequency;  // seconds: the median interval between ticks
    bool frequency_given = false;           // from --frequency rather than measured
    std::optional<std::int64_t> min_interval;
    std::optional<std::int64_t> max_interval;
    std::string kind;  // "host", "container", "mixed" or "empty"

    std::vector<SubsystemCoverage> subsystems;  // in order of first appearance
    std::vector<std::string> unknown_subsystems;

    Findings<LineProblem> line_problems;
    Findings<DuplicateTick> duplicates;
    Findings<OutOfOrder> out_of_order;
    Findings<Gap> gaps;
    std::int64_t missing_ticks = 0;  // summed over the gaps
    Findings<IncompleteTick> incomplete_ticks;
    Findings<CounterReset> counter_resets;
    Findings<Reboot> reboots;
    // A container or service whose cumulative counters went back: it restarted (a new cgroup
    // with the same name). Normal, so neither corruption nor a warning; `counter` names the
    // first counter seen going back.
    Findings<CounterReset> cgroup_restarts;

    // Lines that cannot be read, duplicated or reordered ticks: pcprocess would fail or compute
    // wrong figures.
    bool corrupt() const {
        return !line_problems.empty() || !duplicates.empty() || !out_of_order.empty();
    }
    // Worth a look but the file is usable: gaps, incomplete ticks, resets, reboots, unknown
    // subsystems, no ticks at all.
    bool has_warnings() const {
        return !gaps.empty() || !incomplete_ticks.empty() || !counter_resets.empty() ||
               !reboots.empty() || !unknown_subsystems.empty() || ticks == 0;
    }
};

const char* to_string(LineProblemKind kind);

}  // namespace pc::validate
