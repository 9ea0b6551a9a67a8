// What a capacity measurement found: work units per load level and the figures derived from them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc::measure {

struct LevelResult {
    int busy_pct = 0;              // the level: each core busy this share of every period
    std::uint64_t work_units = 0;  // units completed at this level by all cores together
    double busy_core_seconds = 0;  // time all cores spent in those units (not in the JSON)
};

struct MeasureResult {
    std::string hostname;
    std::int64_t timestamp = 0;  // Unix seconds when the measurement started
    int num_cores = 0;           // cores measured (those this process may run on)
    std::vector<LevelResult> results;
    std::uint64_t max_units = 0;
    std::uint64_t avg_units = 0;  // mean over the levels, rounded to the nearest unit
    double units_per_sec = 0;
    std::string error;  // empty when every level completed
};

// Sets max_units, avg_units and units_per_sec from `results`. units_per_sec is the whole
// machine's rate while busy: the units of the 100 % level (or the highest level measured)
// divided by the busy seconds one core spent at that level (busy core-seconds / cores).
void summarize(MeasureResult& result);

}  // namespace pc::measure
